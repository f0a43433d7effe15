package com.idynic.eventbus.connector;

import java.time.Duration;
import java.util.List;

/**
 * An {@code @Incoming} channel's settings with their defaults, the one place they are read.
 *
 * @param url the bus, {@code url}
 * @param apiKey the service's key, {@code api-key}
 * @param channel the channel's name
 * @param subscription the pull subscription, {@code subscription} (default: the channel's name)
 * @param types {@code types}: when given, the subscription is created or replaced with these selectors at start;
 *     when empty it must exist
 * @param ordering {@code ordering} of a declared subscription: {@code ordered} (default) or {@code unordered}
 * @param maxAttempts {@code max-attempts} of a declared subscription before a dead letter; 0 (default): the bus's
 * @param batch {@code batch}: events per pull, their acks in one request (1–500, default 10)
 * @param workers {@code workers}: concurrent pulls (1–8, default 1); each hands its events one at a time
 * @param ackDeadline {@code ack-deadline-ms}: how long a message may stay unsettled (1,000–600,000, default 30,000)
 * @param payload {@code payload}: {@code string} (default: {@code data} as JSON text), {@code json} (a Jackson
 *     {@code JsonNode}) or {@code event} (an {@link IncomingEvent})
 */
record IncomingSettings(
        String url,
        String apiKey,
        String channel,
        String subscription,
        List<String> types,
        Ordering ordering,
        int maxAttempts,
        int batch,
        int workers,
        Duration ackDeadline,
        Payload payload) {
    enum Ordering {
        ORDERED,
        UNORDERED
    }

    enum Payload {
        STRING,
        JSON,
        EVENT
    }

    static IncomingSettings from(Attributes a) {
        return new IncomingSettings(
                a.required("url"),
                a.required("api-key"),
                a.channel(),
                a.text("subscription", a.channel()),
                a.list("types"),
                a.choice("ordering", Ordering.ORDERED),
                a.number("max-attempts", 0, 0, 1000),
                a.number("batch", 10, 1, 500),
                a.number("workers", 1, 1, 8),
                Duration.ofMillis(a.number("ack-deadline-ms", 30_000, 1_000, 600_000)),
                a.choice("payload", Payload.STRING));
    }
}
