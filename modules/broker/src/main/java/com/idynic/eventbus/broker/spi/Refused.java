package com.idynic.eventbus.broker.spi;

/**
 * An outbox row the sink refused for good; the store moves it out of the outbox.
 *
 * @param seq the outbox row
 * @param eventId its event
 * @param reason the sink's reason, e.g. {@code The message is 3200412 bytes when serialized which is larger
 *     than 3211264, ...}
 * @since 0.7.0
 */
public record Refused(long seq, String eventId, String reason) {}
