/**
 * The MicroProfile Reactive Messaging connector {@code idynic-eventbus}: {@code @Incoming} channels pull from a bus
 * subscription ({@code ack()} acks on the bus, {@code nack()} retries or dead-letters), {@code @Outgoing} channels
 * and emitters publish. Configured with {@code mp.messaging.connector.idynic-eventbus.*} and
 * {@code mp.messaging.incoming|outgoing.<channel>.*}; see {@link com.idynic.eventbus.connector.IdynicEventBusConnector}.
 *
 * @since 0.4.0
 */
package com.idynic.eventbus.connector;
