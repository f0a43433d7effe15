package com.idynic.eventbus.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;

/**
 * One event handed to a subscriber, with its delivery's attempt number.
 *
 * @since 0.3.0
 */
public final class Event {
    private final JsonNode envelope;
    private final int attempt;
    private final boolean replay;
    private final String traceparent;
    private final ObjectMapper mapper;

    Event(JsonNode envelope, int attempt, boolean replay, String traceparent, ObjectMapper mapper) {
        this.envelope = envelope;
        this.attempt = attempt;
        this.replay = replay;
        this.traceparent = traceparent;
        this.mapper = mapper;
    }

    /** @return the event id */
    public String id() {
        return envelope.path("id").asText();
    }

    /** @return the event type, e.g. {@code order.placed} */
    public String type() {
        return envelope.path("eventType").asText();
    }

    /** @return the event's source */
    public String source() {
        return envelope.path("source").asText();
    }

    /** @return the event's time, or null when it has none */
    public Instant timestamp() {
        JsonNode t = envelope.get("timestamp");
        return t == null || !t.isTextual() ? null : Instant.parse(t.asText());
    }

    /** @return the ordering key ({@code metadata.partitionKey}), or null */
    public String orderingKey() {
        return metadata("partitionKey");
    }

    /** @return the {@code metadata} entry {@code key} as text, or null */
    public String metadata(String key) {
        JsonNode v = envelope.path("metadata").get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** @return {@code data} as a JSON tree */
    public JsonNode data() {
        return envelope.path("data");
    }

    /**
     * @param type a record or bean matching {@code data}, e.g. {@code OrderPlaced.class}
     * @return {@code data} read as {@code type} with the connection's Jackson mapper
     * @throws IllegalArgumentException when {@code data} does not fit {@code type}
     */
    public <T> T data(Class<T> type) {
        try {
            return mapper.treeToValue(data(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("data of " + id() + " is not a " + type.getName(), e);
        }
    }

    /** @return the whole envelope as the bus stored it */
    public JsonNode envelope() {
        return envelope;
    }

    /** @return 1 for the first delivery, 2 for the first retry, … */
    public int attempt() {
        return attempt;
    }

    /** @return whether this delivery is part of a replay */
    public boolean replay() {
        return replay;
    }

    /** @return the delivery's W3C {@code traceparent}, or null */
    public String traceparent() {
        return traceparent;
    }
}
