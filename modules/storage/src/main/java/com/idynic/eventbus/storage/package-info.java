/**
 * PostgreSQL adapters for the broker's and the subscribers' ports, as CDI beans: {@link
 * com.idynic.eventbus.storage.JpaEventStore} (EclipseLink, joins JTA), {@link
 * com.idynic.eventbus.storage.JdbcOutboxStore} (relay lease), {@link
 * com.idynic.eventbus.storage.JdbcDeliveryStore} (leases, acks) and {@link
 * com.idynic.eventbus.storage.Database}; {@link com.idynic.eventbus.storage.JdbcSubscriptionStore} (which
 * needs the key for secrets at rest) and the Redis adapters are plain classes the wiring constructs.
 *
 * @since 0.1.0
 */
package com.idynic.eventbus.storage;
