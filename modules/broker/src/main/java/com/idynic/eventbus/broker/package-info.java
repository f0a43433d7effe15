/**
 * The broker core: {@link com.idynic.eventbus.broker.PublishService} (validate, dedupe, store with an
 * outbox row), {@link com.idynic.eventbus.broker.OutboxRelay} (outbox to Kafka, in order, under one
 * relay lease), {@link com.idynic.eventbus.broker.Dispatcher} (Kafka record to one delivery row per
 * matching subscription) and the delivery vocabulary ({@link com.idynic.eventbus.broker.Decision}, {@link
 * com.idynic.eventbus.broker.RetryPolicy}, {@link com.idynic.eventbus.broker.AttemptResult}) that the
 * queue port records, and {@link com.idynic.eventbus.broker.HistoryMover} (finished deliveries to the history);
 * push and pull delivery live in {@code subscribers.delivery}. No CDI, no JPA:
 * containers wire these classes through constructors.
 *
 * @since 0.1.0
 */
package com.idynic.eventbus.broker;
