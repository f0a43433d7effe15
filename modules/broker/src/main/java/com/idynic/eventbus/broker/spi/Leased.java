package com.idynic.eventbus.broker.spi;

/**
 * An event handed to a pulling subscriber under an ack deadline.
 *
 * @param event the stored event
 * @param attempt 1 for the first delivery, 2 for the first redelivery, ...
 * @since 0.1.0
 */
public record Leased(StoredEvent event, int attempt) {}
