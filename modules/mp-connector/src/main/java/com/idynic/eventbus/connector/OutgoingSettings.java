package com.idynic.eventbus.connector;

import java.time.Duration;

/**
 * An {@code @Outgoing} channel's settings with their defaults, the one place they are read.
 *
 * @param url the bus, {@code url}
 * @param apiKey the service's key, {@code api-key}
 * @param channel the channel's name
 * @param type {@code type}: the event type of payloads that are no {@link OutgoingEvent}, or null (then such a
 *     payload is refused: the message is nacked)
 * @param source {@code source}, or null for the key's service
 * @param linger {@code linger-ms}: how long a message waits for others to share its request (0–1,000, default 2)
 * @param maxInFlight {@code max-in-flight}: requests at once (1–16, default 1, which keeps the channel's order)
 * @param maxPending {@code max-pending}: messages taken from the channel and not yet stored or refused by the bus
 *     (1–100,000, default 1,000); the channel asks its upstream for more only as these settle, so a fast
 *     {@code @Outgoing} method or emitter is held back (an emitter then applies its overflow strategy) instead of
 *     filling memory while the bus is slow or away
 */
record OutgoingSettings(
        String url,
        String apiKey,
        String channel,
        String type,
        String source,
        Duration linger,
        int maxInFlight,
        int maxPending) {
    static OutgoingSettings from(Attributes a) {
        return new OutgoingSettings(
                a.required("url"),
                a.required("api-key"),
                a.channel(),
                a.text("type", null),
                a.text("source", null),
                Duration.ofMillis(a.number("linger-ms", 2, 0, 1000)),
                a.number("max-in-flight", 1, 1, 16),
                a.number("max-pending", 1000, 1, 100_000));
    }
}
