package com.idynic.eventbus.sdk;

/**
 * Thrown by an {@link EventHandler} for an event that no retry can fix: the event goes straight to the
 * subscription's dead-letter queue ({@code nack} with {@code reject: true}).
 *
 * @since 0.3.0
 */
public class RejectException extends RuntimeException {
    /** @param reason kept as the dead letter's last error */
    public RejectException(String reason) {
        super(reason);
    }
}
