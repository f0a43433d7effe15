/**
 * Subscriptions: {@link com.idynic.eventbus.subscribers.Subscription} and the {@link
 * com.idynic.eventbus.subscribers.SubscriptionRegistry} that validates, stores and caches them.
 *
 * @since 0.1.0
 */
package com.idynic.eventbus.subscribers;
