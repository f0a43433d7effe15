package com.idynic.eventbus.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code publish TYPE JSON}, {@code publish-test-event} and {@code trigger TYPE}: one event each. */
final class PublishCommands {
    static final String SOURCE = "eventbus-cli";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Context c;

    PublishCommands(Context c) {
        this.c = c;
    }

    /** {@code publish TYPE JSON [--source S] [--key K] [--id ID]}. */
    int publish(Args a) {
        String type = a.required(1, "TYPE (e.g. user.created)");
        String json = a.required(2, "JSON data (e.g. '{\"userId\":\"123\"}')");
        a.atMost(3);
        JsonNode data;
        try {
            data = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw CliException.usage("JSON data is not valid JSON: " + e.getOriginalMessage());
        }
        if (data == null || !data.isObject()) {
            throw CliException.usage("JSON data must be a JSON object ({...})");
        }
        return send(envelope(a, type, "cli-", data));
    }

    /** {@code publish-test-event}: the seed's {@code user.created} example with a fresh id. */
    int publishTestEvent(Args a) {
        a.atMost(1);
        String id = a.option("id").orElse("test-" + c.ids().get());
        ObjectNode data = JSON.createObjectNode()
                .put("userId", "usr-" + id)
                .put("email", "user@example.com")
                .put("name", "John Doe");
        ObjectNode e = envelope(a, "user.created", "test-", data);
        e.put("id", id);
        return send(e);
    }

    /** {@code trigger TYPE}: data generated from the type's latest registered schema. */
    int trigger(Args a) {
        String type = a.required(1, "TYPE (e.g. order.placed)");
        a.atMost(2);
        JsonNode version = c.bus().schema(type, "latest");
        JsonNode data = new TestEvents(c.clock()).sample(version.path("schema"));
        c.out().println("schema " + type + " v" + version.path("version").asText("?") + " -> data " + data);
        return send(envelope(a, type, "trigger-", data));
    }

    private ObjectNode envelope(Args a, String type, String idPrefix, JsonNode data) {
        ObjectNode e = JSON.createObjectNode();
        e.put("id", a.option("id").orElse(idPrefix + c.ids().get()));
        e.put("eventType", type);
        e.put("source", a.option("source").orElse(SOURCE));
        e.set("data", data);
        a.option("key").ifPresent(k -> e.putObject("metadata").put("partitionKey", k));
        return e;
    }

    private int send(ObjectNode envelope) {
        JsonNode r = c.bus().publish(envelope);
        c.out()
                .println(r.path("status").asText("accepted") + " "
                        + envelope.path("eventType").asText() + " "
                        + r.path("eventId").asText(envelope.path("id").asText()) + " receipt "
                        + r.path("receipt").asText("-"));
        return ExitCode.OK;
    }
}
