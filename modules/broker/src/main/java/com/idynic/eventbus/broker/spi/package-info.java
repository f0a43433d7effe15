/**
 * Ports the broker needs from the outside: event, outbox and delivery stores, the subscription
 * directory and the event sink. Implemented by the storage and subscribers modules and by Kafka adapters.
 *
 * @since 0.1.0
 */
package com.idynic.eventbus.broker.spi;
