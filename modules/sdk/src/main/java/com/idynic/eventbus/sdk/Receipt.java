package com.idynic.eventbus.sdk;

import java.time.Instant;

/**
 * The bus's answer to one accepted event: it is durably stored.
 *
 * @param eventId the event's id (the one given in {@link PublishOptions#id(String)}, or the SDK's)
 * @param receipt the bus's receipt, e.g. {@code rcpt-…}
 * @param acceptedAt when the bus first accepted the event
 * @param duplicate true when the bus already had this event (a retry that had landed, or a repeat): the receipt is
 *     the original one
 * @since 0.3.0
 */
public record Receipt(String eventId, String receipt, Instant acceptedAt, boolean duplicate) {}
