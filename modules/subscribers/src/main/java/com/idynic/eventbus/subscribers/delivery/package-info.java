/**
 * Delivery to subscribers, push and pull side by side over the broker's delivery queue: {@link
 * com.idynic.eventbus.subscribers.delivery.WebhookDelivery} (the push loop, with {@link
 * com.idynic.eventbus.subscribers.delivery.WebhookSender} and the per-subscription health and rate limits),
 * {@link com.idynic.eventbus.subscribers.delivery.PullService} (lease, ack, nack) with {@link
 * com.idynic.eventbus.subscribers.delivery.LongPolls} (long polls that hold no thread while they wait), and
 * {@link com.idynic.eventbus.subscribers.delivery.SettleBatcher} (outcomes recorded in batches). Each
 * outcome is decided by the subscription's retry policy ({@link com.idynic.eventbus.broker.Decision}).
 *
 * @since 0.8.0
 */
package com.idynic.eventbus.subscribers.delivery;
