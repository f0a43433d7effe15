/**
 * For applications deployed on the same Liberty server as the bus: declare {@code void on(@Observes
 * @EventType("user.created") BusEvent e)} to receive events (at least once, in order per key; a throwing
 * observer gets the event again later), and inject {@link com.idynic.eventbus.client.EventPublisher} to
 * publish inside your own JTA transaction.
 *
 * @since 0.1.0
 */
package com.idynic.eventbus.client;
