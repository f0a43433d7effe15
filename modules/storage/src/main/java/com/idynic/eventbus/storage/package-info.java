/**
 * PostgreSQL adapters for the broker's and the subscribers' ports, as CDI beans: {@link
 * com.idynic.eventbus.storage.JpaEventStore} (EclipseLink, joins JTA), {@link
 * com.idynic.eventbus.storage.JdbcOutboxStore} (relay lease), the delivery adapters {@link
 * com.idynic.eventbus.storage.JdbcDeliveryQueue} (leases, acks), {@link
 * com.idynic.eventbus.storage.JdbcDeadLetterStore}, {@link com.idynic.eventbus.storage.JdbcDeliveryHistory},
 * {@link com.idynic.eventbus.storage.JdbcDeliveryArchive} and {@link com.idynic.eventbus.storage.JdbcAuditLog},
 * the operator's figures ({@link com.idynic.eventbus.storage.JdbcMonitoringStore}) and {@link
 * com.idynic.eventbus.storage.Database}; {@link com.idynic.eventbus.storage.JdbcSubscriptionStore} and {@link
 * com.idynic.eventbus.storage.JdbcAlertStore} (which need the key for secrets at rest) and the Redis adapters are
 * plain classes the wiring constructs.
 *
 * @since 0.1.0
 */
package com.idynic.eventbus.storage;
