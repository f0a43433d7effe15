package com.idynic.eventbus.broker.spi;

/**
 * The sink refuses one entry for good: sending it again cannot succeed (e.g. Kafka's {@code
 * RecordTooLargeException}, a record larger than the topic accepts). The relay sets such an entry aside
 * instead of retrying it, so the entries after it are not held up.
 *
 * @since 0.7.0
 */
public final class EventRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message why, as an operator should read it, e.g. {@code record of 3,200,000 bytes is larger than
     *     max.request.size 3,211,264}
     * @param cause the sink's own exception
     */
    public EventRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
