package com.idynic.eventbus.sdk;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Optional fields of one published event; immutable, each method returns a copy:
 * {@code PublishOptions.none().orderingKey("cus-7").correlationId("corr-1")}.
 *
 * @since 0.3.0
 */
public final class PublishOptions {
    private static final PublishOptions NONE = new PublishOptions(null, null, null, null, null, null, Map.of());

    private final String id;
    private final String source;
    private final String orderingKey;
    private final String correlationId;
    private final String traceparent;
    private final Instant timestamp;
    private final Map<String, String> metadata;

    private PublishOptions(
            String id,
            String source,
            String orderingKey,
            String correlationId,
            String traceparent,
            Instant timestamp,
            Map<String, String> metadata) {
        this.id = id;
        this.source = source;
        this.orderingKey = orderingKey;
        this.correlationId = correlationId;
        this.traceparent = traceparent;
        this.timestamp = timestamp;
        this.metadata = metadata;
    }

    /** @return no options: a fresh id, the connection's source, no key */
    public static PublishOptions none() {
        return NONE;
    }

    /**
     * @param id the event id, which is also its idempotency key (e.g. {@code ord-1003}); by default the SDK makes
     *     one ({@code evt-<uuid>}) per call, kept across retries
     */
    public PublishOptions id(String id) {
        return new PublishOptions(
                Objects.requireNonNull(id), source, orderingKey, correlationId, traceparent, timestamp, metadata);
    }

    /** @param source the event's source; by default the connection's ({@link EventBus.Builder#source(String)}) */
    public PublishOptions source(String source) {
        return new PublishOptions(
                id, Objects.requireNonNull(source), orderingKey, correlationId, traceparent, timestamp, metadata);
    }

    /** @param key the ordering key ({@code metadata.partitionKey}): events of one key are delivered in order */
    public PublishOptions orderingKey(String key) {
        return new PublishOptions(
                id, source, Objects.requireNonNull(key), correlationId, traceparent, timestamp, metadata);
    }

    /** @param correlationId {@code metadata.correlationId}, searchable on the bus */
    public PublishOptions correlationId(String correlationId) {
        return new PublishOptions(
                id, source, orderingKey, Objects.requireNonNull(correlationId), traceparent, timestamp, metadata);
    }

    /** @param traceparent a W3C {@code traceparent} ({@code metadata.traceparent}) */
    public PublishOptions traceparent(String traceparent) {
        return new PublishOptions(
                id, source, orderingKey, correlationId, Objects.requireNonNull(traceparent), timestamp, metadata);
    }

    /** @param timestamp the event's time; by default the time the bus accepts it */
    public PublishOptions timestamp(Instant timestamp) {
        return new PublishOptions(
                id, source, orderingKey, correlationId, traceparent, Objects.requireNonNull(timestamp), metadata);
    }

    /** @return these options plus one more {@code metadata} entry (an extension the bus keeps) */
    public PublishOptions metadata(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
        return new PublishOptions(id, source, orderingKey, correlationId, traceparent, timestamp, Map.copyOf(m));
    }

    String id() {
        return id;
    }

    String source() {
        return source;
    }

    String orderingKey() {
        return orderingKey;
    }

    String correlationId() {
        return correlationId;
    }

    String traceparent() {
        return traceparent;
    }

    Instant timestamp() {
        return timestamp;
    }

    Map<String, String> metadata() {
        return metadata;
    }
}
