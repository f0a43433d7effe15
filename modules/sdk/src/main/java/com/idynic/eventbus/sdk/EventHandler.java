package com.idynic.eventbus.sdk;

/**
 * Handles one pulled event. Returning acks it; throwing nacks it (the bus retries it by the subscription's
 * policy); throwing {@link RejectException} sends it straight to the dead-letter queue.
 *
 * @since 0.3.0
 */
@FunctionalInterface
public interface EventHandler {
    /** @param event the event, leased to this subscriber until it is acked or nacked */
    void handle(Event event) throws Exception;
}
