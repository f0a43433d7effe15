package com.idynic.eventbus.client;

/**
 * Thrown by an observer that can never process an event (e.g. it is invalid for this service): the
 * event goes straight to the subscription's dead-letter queue instead of being retried.
 *
 * @since 0.2.0
 */
public class RejectEvent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param reason why the event is refused; shown in the dead-letter queue */
    public RejectEvent(String reason) {
        super(reason);
    }
}
