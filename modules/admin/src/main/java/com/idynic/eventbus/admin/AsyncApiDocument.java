package com.idynic.eventbus.admin;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.schema.SchemaRegistry;
import com.idynic.eventbus.schema.SchemaVersion;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.util.List;

/**
 * The bus's events as an AsyncAPI 3.0 document, built from the schema registry on every request so that a version
 * registered a moment ago (on any server) is in the next document: one channel (the events topic), one message per
 * registered event type whose payload is the event's {@code data}, described by the type's latest schema (the
 * newest version not deprecated), the record's key and the CloudEvents/Kafka headers (binary mode) that carry every
 * other envelope field, and one {@code send} operation per type (the bus writes every event to the topic).
 *
 * @since 0.21.0
 */
public final class AsyncApiDocument {
    /** The AsyncAPI version of the document. */
    public static final String ASYNCAPI = "3.0.0";
    /** The channel's key in {@code channels}. */
    public static final String CHANNEL = "events";

    private static final String KAFKA_BINDING = "0.5.0";

    private final SchemaRegistry schemas;
    private final String topic;
    private final String bootstrap;

    /**
     * @param topic the events topic, e.g. {@code idynic.events}
     * @param bootstrap the Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}
     */
    public AsyncApiDocument(SchemaRegistry schemas, String topic, String bootstrap) {
        this.schemas = schemas;
        this.topic = topic;
        this.bootstrap = bootstrap;
    }

    /** @return the document for the types registered now, by type name */
    public JsonObject document() {
        JsonObjectBuilder channelMessages = CachedJson.createObjectBuilder();
        JsonObjectBuilder operations = CachedJson.createObjectBuilder();
        JsonObjectBuilder messages = CachedJson.createObjectBuilder();
        JsonObjectBuilder payloads = CachedJson.createObjectBuilder();
        for (String type : schemas.types().stream().sorted().toList()) {
            SchemaVersion latest = latest(schemas.versions(type));
            if (latest == null) {
                continue;
            }
            channelMessages.add(type, ref("#/components/messages/" + type));
            operations.add(type, operation(type));
            messages.add(type, message(latest));
            payloads.add(type, parse(latest.schema()));
        }
        return CachedJson.createObjectBuilder()
                .add("asyncapi", ASYNCAPI)
                .add(
                        "info",
                        CachedJson.createObjectBuilder()
                                .add("title", "idynic-event-bus events")
                                .add("version", "1.0.0")
                                .add(
                                        "description",
                                        "Every event the bus accepts, as relayed to Kafka: one message per registered"
                                                + " event type, its payload the envelope with data as the type's latest"
                                                + " schema. Generated from the schema registry on every request."))
                .add("defaultContentType", "application/json")
                .add(
                        "servers",
                        CachedJson.createObjectBuilder()
                                .add(
                                        "kafka",
                                        CachedJson.createObjectBuilder()
                                                .add("host", bootstrap)
                                                .add("protocol", "kafka")
                                                .add("description", "The bus's Kafka bootstrap servers")))
                .add(
                        "channels",
                        CachedJson.createObjectBuilder()
                                .add(
                                        CHANNEL,
                                        CachedJson.createObjectBuilder()
                                                .add("address", topic)
                                                .add("title", "Events topic")
                                                .add(
                                                        "description",
                                                        "One topic for all event types; the record key is"
                                                                + " metadata.partitionKey (or none)")
                                                .add(
                                                        "servers",
                                                        CachedJson.createArrayBuilder()
                                                                .add(ref("#/servers/kafka")))
                                                .add("messages", channelMessages)
                                                .add(
                                                        "bindings",
                                                        CachedJson.createObjectBuilder()
                                                                .add(
                                                                        "kafka",
                                                                        CachedJson.createObjectBuilder()
                                                                                .add("topic", topic)
                                                                                .add(
                                                                                        "bindingVersion",
                                                                                        KAFKA_BINDING)))))
                .add("operations", operations)
                .add(
                        "components",
                        CachedJson.createObjectBuilder()
                                .add("messages", messages)
                                .add("schemas", payloads.add("RecordHeaders", KafkaHeaders.schema())))
                .build();
    }

    /** @return the newest version not deprecated, else the newest, or null when there is none */
    static SchemaVersion latest(List<SchemaVersion> versions) {
        SchemaVersion newest = null;
        SchemaVersion live = null;
        for (SchemaVersion v : versions) {
            if (newest == null || v.version() > newest.version()) {
                newest = v;
            }
            if (!v.deprecated() && (live == null || v.version() > live.version())) {
                live = v;
            }
        }
        return live != null ? live : newest;
    }

    private static JsonObject operation(String type) {
        return CachedJson.createObjectBuilder()
                .add("action", "send")
                .add("title", "Relay " + type)
                .add("summary", "The bus writes each accepted " + type + " event to the topic")
                .add("channel", ref("#/channels/" + CHANNEL))
                .add(
                        "messages",
                        CachedJson.createArrayBuilder().add(ref("#/channels/" + CHANNEL + "/messages/" + type)))
                .build();
    }

    private static JsonObject message(SchemaVersion v) {
        return CachedJson.createObjectBuilder()
                .add("name", v.eventType())
                .add("title", v.eventType() + " (schema version " + v.version() + ")")
                .add("summary", "An " + v.eventType() + " event; data follows schema version " + v.version())
                .add("contentType", "application/json")
                .add("headers", ref("#/components/schemas/RecordHeaders"))
                .add("payload", ref("#/components/schemas/" + v.eventType()))
                .add(
                        "correlationId",
                        CachedJson.createObjectBuilder()
                                .add("description", "The event's metadata.correlationId")
                                .add("location", "$message.header#/correlation-id"))
                .add(
                        "bindings",
                        CachedJson.createObjectBuilder()
                                .add(
                                        "kafka",
                                        CachedJson.createObjectBuilder()
                                                .add(
                                                        "key",
                                                        CachedJson.createObjectBuilder()
                                                                .add("type", "string")
                                                                .add(
                                                                        "description",
                                                                        "metadata.partitionKey; absent without one"))
                                                .add("bindingVersion", KAFKA_BINDING)))
                .add("x-eventbus-schema-version", v.version())
                .build();
    }

    private static JsonObject ref(String to) {
        return CachedJson.createObjectBuilder().add("$ref", to).build();
    }

    private static JsonObject parse(String s) {
        try (JsonReader r = CachedJson.createReader(new StringReader(s))) {
            return r.readObject();
        }
    }
}
