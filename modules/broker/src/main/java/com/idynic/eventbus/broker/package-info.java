/**
 * The broker core: {@link com.idynic.eventbus.broker.PublishService} (validate, dedupe, store with an
 * outbox row), {@link com.idynic.eventbus.broker.OutboxRelay} (outbox to Kafka, in order, under one
 * relay lease), {@link com.idynic.eventbus.broker.Dispatcher} (Kafka record to one delivery row per
 * matching subscription) and {@link com.idynic.eventbus.broker.PullService} (lease, ack, nack) with {@link
 * com.idynic.eventbus.broker.LongPolls} (long polls that hold no thread while they wait). No CDI,
 * no JPA: containers wire these classes through constructors.
 *
 * @since 0.1.0
 */
package com.idynic.eventbus.broker;
