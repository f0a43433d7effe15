package com.idynic.eventbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A bus in memory: records every call, answers from queues the test fills. */
final class FakeBus implements Bus {
    static final ObjectMapper JSON = new ObjectMapper();

    final List<String> calls = new ArrayList<>();
    final List<ObjectNode> published = new ArrayList<>();
    final Deque<JsonNode> pulls = new ArrayDeque<>();
    final Deque<JsonNode> replays = new ArrayDeque<>();
    final Deque<String> metrics = new ArrayDeque<>();
    JsonNode schema;
    /** Answers of {@code schema(type, version)} by {@code "type version"}, {@code latest} included. */
    final java.util.Map<String, JsonNode> registered = new java.util.TreeMap<>();

    JsonNode deadLetters;
    JsonNode startedReplay;
    ObjectNode replayRequest;
    BusError publishError;
    Runnable onPull = () -> {};

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    @Override
    public JsonNode publish(ObjectNode envelope) {
        calls.add("publish " + envelope.path("id").asText());
        if (publishError != null) {
            throw publishError;
        }
        published.add(envelope);
        return json("{\"status\":\"accepted\",\"eventId\":\""
                + envelope.path("id").asText() + "\",\"receipt\":\"rcpt-1\"}");
    }

    @Override
    public JsonNode schemas() {
        calls.add("schemas");
        ObjectNode list = JSON.createObjectNode();
        var a = list.putArray("schemas");
        registered.keySet().stream()
                .map(k -> k.substring(0, k.indexOf(' ')))
                .distinct()
                .forEach(t -> a.addObject().put("eventType", t).put("compatibility", "BACKWARD"));
        return list;
    }

    @Override
    public JsonNode schema(String eventType, String version) {
        calls.add("schema " + eventType + " " + version);
        if (registered.containsKey(eventType + " " + version)) {
            return registered.get(eventType + " " + version);
        }
        if (schema == null) {
            throw new BusError(
                    404,
                    json("{\"status\":\"error\",\"errorCode\":\"NOT_FOUND\",\"message\":\"No schema for " + eventType
                            + "\",\"details\":{\"eventType\":\"" + eventType + "\"}}"),
                    "");
        }
        return schema;
    }

    @Override
    public JsonNode putSubscription(String id, ObjectNode subscription) {
        calls.add("put " + id + " " + subscription);
        return subscription;
    }

    @Override
    public void deleteSubscription(String id) {
        calls.add("delete " + id);
    }

    @Override
    public JsonNode pull(String subscription, int maxEvents, long waitMillis) {
        calls.add("pull " + subscription);
        if (calls.size() > 200) {
            throw new AssertionError("pulled without end: " + calls.subList(0, 5));
        }
        onPull.run();
        return pulls.isEmpty() ? json("{\"events\":[]}") : pulls.poll();
    }

    @Override
    public int ack(String subscription, List<String> eventIds) {
        calls.add("ack " + subscription + " " + eventIds);
        return eventIds.size();
    }

    @Override
    public int nack(String subscription, List<String> eventIds, String reason) {
        calls.add("nack " + subscription + " " + eventIds + " " + reason);
        return eventIds.size();
    }

    @Override
    public JsonNode deadLetters(String subscription, int limit) {
        calls.add("dead-letters " + subscription + " " + limit);
        return deadLetters;
    }

    @Override
    public JsonNode redrive(String subscription, List<String> eventIds) {
        calls.add("redrive " + subscription + " " + eventIds);
        return json("{\"redriven\":" + (eventIds.isEmpty() ? 7 : eventIds.size()) + "}");
    }

    @Override
    public JsonNode startReplay(String subscription, ObjectNode request) {
        calls.add("replay " + subscription + " " + request);
        return startedReplay;
    }

    @Override
    public JsonNode replay(String subscription, String replayId) {
        calls.add("progress " + subscription + " " + replayId);
        return replays.poll();
    }

    @Override
    public String metrics() {
        calls.add("metrics");
        return metrics.poll();
    }
}
