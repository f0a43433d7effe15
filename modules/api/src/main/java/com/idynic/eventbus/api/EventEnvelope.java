package com.idynic.eventbus.api;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * One event in the seed's envelope format. Build it with {@link EnvelopeParser#parse(JsonObject, java.time.Clock)} (HTTP
 * input) or {@link #of(String, String, String, JsonObject)} (code), never by hand-filling the hash.
 *
 * @param id unique event id chosen by the publisher, e.g. {@code evt-123456}
 * @param eventType dotted type, e.g. {@code user.created}
 * @param source the publishing service, e.g. {@code user-service}
 * @param timestamp when the event happened (publisher's clock)
 * @param data the event payload, a JSON object
 * @param metadata the metadata object (correlationId, partitionKey, traceparent and extensions); never null
 * @param contentHash SHA-256 of the envelope as the publisher sent it; equal hashes mean equal content
 * @since 0.1.0
 */
public record EventEnvelope(
        String id,
        String eventType,
        String source,
        OffsetDateTime timestamp,
        JsonObject data,
        JsonObject metadata,
        String contentHash) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(contentHash, "contentHash");
    }

    /**
     * Builds and validates an envelope from code, e.g. in a co-deployed service.
     *
     * @param id event id
     * @param eventType e.g. {@code order.placed}
     * @param source e.g. {@code order-service}
     * @param data payload object
     * @return a validated envelope timestamped now
     * @throws InvalidFieldException when a field is invalid
     */
    public static EventEnvelope of(String id, String eventType, String source, JsonObject data) {
        return of(id, eventType, source, data, JsonObject.EMPTY_JSON_OBJECT);
    }

    /**
     * As {@link #of(String, String, String, JsonObject)}, with a metadata object (e.g. {@code
     * {"correlationId":"corr-1","partitionKey":"cust-7"}}).
     */
    public static EventEnvelope of(String id, String eventType, String source, JsonObject data, JsonObject metadata) {
        return of(id, eventType, source, data, metadata, OffsetDateTime.now(java.time.ZoneOffset.UTC));
    }

    /**
     * As {@link #of(String, String, String, JsonObject, JsonObject)}, stamped with the caller's time (the bus and the
     * client pass their one {@code Clock}'s; the shorter forms, for tests and tools, read the system clock).
     */
    public static EventEnvelope of(
            String id, String eventType, String source, JsonObject data, JsonObject metadata, OffsetDateTime at) {
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("eventType", eventType == null ? "" : eventType)
                .add("source", source == null ? "" : source)
                .add("id", id == null ? "" : id)
                .add("timestamp", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at))
                .add("data", data == null ? JsonObject.EMPTY_JSON_OBJECT : data)
                .add("metadata", metadata == null ? JsonObject.EMPTY_JSON_OBJECT : metadata);
        return EnvelopeParser.parse(b.build(), java.time.Clock.fixed(at.toInstant(), java.time.ZoneOffset.UTC));
    }

    /** @return {@code metadata.correlationId}, or null */
    public String correlationId() {
        return metadata.getString("correlationId", null);
    }

    /** @return {@code metadata.partitionKey}, the ordering key (Kafka record key), or null for none */
    public String partitionKey() {
        return metadata.getString("partitionKey", null);
    }

    /** @return {@code metadata.traceparent} (W3C trace context), or null */
    public String traceparent() {
        return metadata.getString("traceparent", null);
    }

    /**
     * @return the schema version {@code metadata.schemaVersion} names, in its string form whether the
     *     publisher wrote {@code 2} or {@code "2"}; null for none (validate against the latest)
     * @since 0.4.0
     */
    public String schemaVersion() {
        return EnvelopeParser.schemaVersion(metadata.get("schemaVersion"));
    }

    /** @return the envelope in the seed's JSON shape */
    public JsonObject toJson() {
        return CachedJson.createObjectBuilder()
                .add("eventType", eventType)
                .add("source", source)
                .add("id", id)
                .add("timestamp", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(timestamp))
                .add("data", data)
                .add("metadata", metadata)
                .build();
    }
}
