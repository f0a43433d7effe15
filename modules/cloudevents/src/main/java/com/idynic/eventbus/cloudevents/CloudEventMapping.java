package com.idynic.eventbus.cloudevents;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.EnvelopeParser;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.InvalidFieldException;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The one mapping between the seed's envelope and CloudEvents 1.0, both ways and without loss; the HTTP
 * resource, the webhook sender, the Kafka relay and the bus's readers of the topic only call it. On HTTP and Kafka
 * alike binary mode carries {@code data} as the body (record value) and every other attribute as a header ({@code
 * ce-} on HTTP, {@code ce_} on Kafka).
 *
 * <table>
 *   <caption>seed field and CloudEvents attribute</caption>
 *   <tr><td>{@code id}</td><td>{@code id}</td></tr>
 *   <tr><td>{@code eventType}</td><td>{@code type}</td></tr>
 *   <tr><td>{@code source}</td><td>{@code source}</td></tr>
 *   <tr><td>{@code timestamp}</td><td>{@code time}</td></tr>
 *   <tr><td>{@code data} (a JSON object)</td><td>{@code data}, {@code datacontenttype: application/json}</td></tr>
 *   <tr><td>{@code metadata.correlationId}</td><td>extension {@code correlationid}</td></tr>
 *   <tr><td>{@code metadata.partitionKey}</td><td>extension {@code partitionkey} (Kafka record key)</td></tr>
 *   <tr><td>{@code metadata.traceparent}, {@code tracestate}</td><td>Distributed Tracing extension</td></tr>
 *   <tr><td>{@code metadata.schemaVersion} (a string)</td><td>extension {@code schemaversion}</td></tr>
 *   <tr><td>{@code metadata.subject}, {@code metadata.dataschema}</td><td>{@code subject}, {@code dataschema}</td></tr>
 *   <tr><td>other {@code metadata} entries</td><td>an extension of the same name when the name is a valid
 *       extension name and the value a string; all others (numbers, booleans, objects, other names) together as
 *       the JSON text of the extension {@code ebmetadata}, since binary mode carries every attribute as a string</td></tr>
 * </table>
 *
 * @since 0.21.0
 */
public final class CloudEventMapping {
    private final Clock clock;

    /**
     * @param clock stamps an incoming event that has no {@code time} (the bus passes its one clock)
     * @since 0.23.0
     */
    public CloudEventMapping(Clock clock) {
        this.clock = clock;
    }
    /** Media type of one structured-mode event. */
    public static final String STRUCTURED = "application/cloudevents+json";
    /** Media type of a batch of structured-mode events. */
    public static final String BATCH = "application/cloudevents-batch+json";
    /** Extension for {@code metadata.correlationId}. */
    public static final String CORRELATION_ID = "correlationid";
    /** Extension for {@code metadata.partitionKey}; the Kafka binding's record key. */
    public static final String PARTITION_KEY = "partitionkey";
    /** Distributed Tracing extension: {@code metadata.traceparent}. */
    public static final String TRACEPARENT = "traceparent";
    /** Distributed Tracing extension: {@code metadata.tracestate}. */
    public static final String TRACESTATE = "tracestate";
    /** Extension for {@code metadata.schemaVersion}. */
    public static final String SCHEMA_VERSION = "schemaversion";
    /** Extension holding, as JSON text, the metadata entries no other attribute can carry. */
    public static final String METADATA = "ebmetadata";
    /** Prefix of the Kafka binding's attribute headers. */
    public static final String KAFKA_PREFIX = "ce_";
    /** The Kafka binding's header for {@code datacontenttype} in binary mode. */
    public static final String KAFKA_CONTENT_TYPE = "content-type";

    private static final Map<String, String> NAMED = Map.of(
            "correlationId", CORRELATION_ID,
            "partitionKey", PARTITION_KEY,
            "traceparent", TRACEPARENT,
            "tracestate", TRACESTATE,
            "schemaVersion", SCHEMA_VERSION,
            "subject", "subject",
            "dataschema", "dataschema");
    private static final Map<String, String> SEED_NAME = Map.of(
            CORRELATION_ID, "correlationId",
            PARTITION_KEY, "partitionKey",
            TRACEPARENT, "traceparent",
            TRACESTATE, "tracestate",
            SCHEMA_VERSION, "schemaVersion");
    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");
    private static final Set<String> RESERVED = Set.of(
            "id",
            "type",
            "source",
            "time",
            "specversion",
            "datacontenttype",
            "dataschema",
            "subject",
            "data",
            "data_base64",
            METADATA);
    private static final JsonFormat FORMAT = new JsonFormat();

    /** How a publish request's body is to be read. */
    public enum Mode {
        /** The seed's own JSON envelope. */
        SEED,
        /** CloudEvents HTTP binary mode. */
        BINARY,
        /** CloudEvents HTTP structured mode. */
        STRUCTURED,
        /** A batch of structured-mode CloudEvents. */
        BATCH
    }

    /**
     * @param contentType the request's {@code Content-Type}, or null
     * @param headerNames the request's header names (any case)
     * @return how to read the body: by media type, else binary mode when any {@code ce-} header is present
     */
    public static Mode mode(String contentType, java.util.Collection<String> headerNames) {
        String media = mediaType(contentType);
        if (media.equals(STRUCTURED)) {
            return Mode.STRUCTURED;
        }
        if (media.equals(BATCH)) {
            return Mode.BATCH;
        }
        for (String h : headerNames) {
            if (h.regionMatches(true, 0, "ce-", 0, 3)) {
                return Mode.BINARY;
            }
        }
        return Mode.SEED;
    }

    /**
     * A message ready to send.
     *
     * @param headers HTTP headers, {@code Content-Type} included
     * @param body the body, exactly the bytes to sign and send
     */
    public record Encoded(Map<String, String> headers, byte[] body) {}

    /**
     * @param headers the request's headers (any case); {@code ce-specversion} and the other {@code ce-*} headers
     * @param data the request body parsed as JSON, or null when empty
     * @return the envelope, validated as a seed publish is
     * @throws InvalidFieldException naming the {@code ce-} header or {@code data} that is wrong
     */
    public EventEnvelope fromBinary(Map<String, List<String>> headers, JsonValue data) {
        Map<String, String> ce = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.startsWith("ce-") && values != null && !values.isEmpty()) {
                ce.put(n, values.get(0));
            }
        });
        if (!ce.containsKey("ce-specversion")) {
            throw new InvalidFieldException("ce-specversion", "is required in CloudEvents binary mode (use 1.0)");
        }
        for (String required : List.of("id", "source", "type")) {
            if (!ce.containsKey("ce-" + required)) {
                throw new InvalidFieldException("ce-" + required, "is required");
            }
        }
        ce.put("content-type", "application/json");
        CloudEvent event;
        try {
            event = HttpMessageFactory.createReader(ce, new byte[0]).toEvent();
        } catch (InvalidFieldException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Refusals.refused("ce-", null, e);
        }
        if (event.getSpecVersion() != SpecVersion.V1) {
            throw new InvalidFieldException("ce-specversion", "must be \"1.0\"");
        }
        return parse(seed(event, data), "ce-");
    }

    /**
     * @param json one structured-mode event (a member of a batch, or a whole body)
     * @return the envelope, validated as a seed publish is
     * @throws InvalidFieldException naming the attribute that is wrong
     */
    public EventEnvelope fromStructured(JsonObject json) {
        return parse(seedOfStructured(json), "");
    }

    /**
     * As {@link #fromStructured(JsonObject)}, answering the seed's JSON (for the batch path, which parses it).
     *
     * @param json one structured-mode event
     * @return the event in the seed's JSON shape, already checked
     */
    public JsonObject seedFromStructured(JsonObject json) {
        JsonObject seed = seedOfStructured(json);
        parse(seed, "");
        return seed;
    }

    private JsonObject seedOfStructured(JsonObject json) {
        JsonValue sv = json.get("specversion");
        if (!(sv instanceof JsonString s)) {
            throw new InvalidFieldException("specversion", "is required and must be the string \"1.0\"");
        }
        if (json.containsKey("data_base64")) {
            throw new InvalidFieldException("data_base64", "is not accepted: data must be a JSON object");
        }
        for (String required : List.of("id", "source", "type")) {
            if (!(json.get(required) instanceof JsonString)) {
                throw new InvalidFieldException(required, "is required and must be a string");
            }
        }
        CloudEventBuilder b;
        try {
            SpecVersion version = SpecVersion.parse(s.getString());
            if (version != SpecVersion.V1) {
                throw CloudEventRWException.newInvalidSpecVersion(s.getString());
            }
            b = CloudEventBuilder.fromSpecVersion(version);
        } catch (CloudEventRWException e) {
            throw new InvalidFieldException("specversion", "must be \"1.0\"");
        }
        for (Map.Entry<String, JsonValue> a : json.entrySet()) {
            String name = a.getKey();
            if (name.equals("specversion") || name.equals("data")) {
                continue;
            }
            try {
                switch (a.getValue().getValueType()) {
                    case STRING -> b.withContextAttribute(name, ((JsonString) a.getValue()).getString());
                    case TRUE, FALSE -> b.withContextAttribute(name, a.getValue() == JsonValue.TRUE);
                    case NUMBER -> b.withContextAttribute(name, integer(name, (JsonNumber) a.getValue()));
                    case NULL -> {}
                    default -> throw new InvalidFieldException(name, "must be a string, a boolean or an integer");
                }
            } catch (InvalidFieldException e) {
                throw e;
            } catch (RuntimeException e) {
                throw Refusals.refused("", name, e);
            }
        }
        CloudEvent event;
        try {
            event = b.build();
        } catch (RuntimeException e) {
            throw new InvalidFieldException("specversion", "does not describe a valid CloudEvents 1.0 event");
        }
        return seed(event, json.get("data"));
    }

    private static Integer integer(String name, JsonNumber n) {
        if (!n.isIntegral() || n.bigIntegerValue().bitLength() > 31) {
            throw new InvalidFieldException(name, "must be an integer between -2147483648 and 2147483647");
        }
        return n.intValue();
    }

    /** The rule CloudEvents to seed: see the class comment. */
    private static JsonObject seed(CloudEvent e, JsonValue data) {
        String contentType = e.getDataContentType();
        if (contentType != null && !isJson(contentType)) {
            throw new InvalidFieldException(
                    "datacontenttype", "must be application/json (the bus carries data as a JSON object)");
        }
        JsonObjectBuilder metadata = CachedJson.createObjectBuilder();
        if (e.getSubject() != null) {
            metadata.add("subject", e.getSubject());
        }
        if (e.getDataSchema() != null) {
            metadata.add("dataschema", e.getDataSchema().toString());
        }
        for (String name : e.getExtensionNames()) {
            Object v = e.getExtension(name);
            if (name.equals(METADATA)) {
                for (Map.Entry<String, JsonValue> m : carried(v).entrySet()) {
                    metadata.add(m.getKey(), m.getValue());
                }
            } else {
                metadata.add(seedName(name), json(v));
            }
        }
        JsonObjectBuilder seed = CachedJson.createObjectBuilder()
                .add("id", e.getId())
                .add("eventType", e.getType())
                .add("source", e.getSource().toString());
        if (e.getTime() != null) {
            seed.add("timestamp", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(e.getTime()));
        }
        if (data != null) {
            seed.add("data", data);
        }
        return seed.add("metadata", metadata).build();
    }

    private static JsonObject carried(Object v) {
        try (JsonReader r = CachedJson.createReader(new StringReader(String.valueOf(v)))) {
            return r.readObject();
        } catch (RuntimeException e) {
            throw new InvalidFieldException(METADATA, "must be the JSON text of an object");
        }
    }

    private static JsonValue json(Object v) {
        if (v instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (v instanceof Integer i) {
            return CachedJson.createValue(i);
        }
        if (v instanceof byte[] bytes) {
            return CachedJson.createValue(Base64.getEncoder().encodeToString(bytes));
        }
        if (v instanceof OffsetDateTime t) {
            return CachedJson.createValue(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t));
        }
        return CachedJson.createValue(String.valueOf(v));
    }

    /** Validates as a seed publish does, naming fields by their CloudEvents names. */
    private EventEnvelope parse(JsonObject seed, String prefix) {
        try {
            return EnvelopeParser.parse(seed, clock);
        } catch (InvalidFieldException e) {
            Object field = e.details().get("field");
            Object error = e.details().get("error");
            throw new InvalidFieldException(ceName(String.valueOf(field), prefix), String.valueOf(error));
        }
    }

    private static String ceName(String seedField, String prefix) {
        String name =
                switch (seedField) {
                    case "eventType" -> "type";
                    case "timestamp" -> "time";
                    case "id", "source" -> seedField;
                    case "data" -> null;
                    default -> seedField.startsWith("metadata.")
                            ? NAMED.getOrDefault(seedField.substring("metadata.".length()), METADATA)
                            : seedField.equals("metadata") ? METADATA : null;
                };
        return name == null ? "data" : prefix + name;
    }

    /** The rule seed to CloudEvents: see the class comment. */
    public CloudEvent toCloudEvent(EventEnvelope e) {
        CloudEventBuilder b = CloudEventBuilder.v1()
                .withId(e.id())
                .withType(e.eventType())
                .withSource(URI.create(e.source()))
                .withTime(e.timestamp())
                .withData("application/json", e.data().toString().getBytes(StandardCharsets.UTF_8));
        JsonObject carried = attributes(e.metadata(), (name, value) -> {
            switch (name) {
                case "subject" -> b.withSubject(value);
                case "dataschema" -> b.withDataSchema(URI.create(value));
                default -> b.withExtension(name, value);
            }
        });
        if (!carried.isEmpty()) {
            b.withExtension(METADATA, carried.toString());
        }
        return b.build();
    }

    /**
     * The rule seed to CloudEvents for {@code metadata}: hands each entry that is an attribute of its own to {@code
     * attribute} (attribute name, string value), in the metadata's order.
     *
     * @return the entries no attribute of their own can carry (for {@link #METADATA}), possibly empty
     */
    private static JsonObject attributes(JsonObject metadata, BiConsumer<String, String> attribute) {
        JsonObjectBuilder rest = null;
        for (Map.Entry<String, JsonValue> m : metadata.entrySet()) {
            String name = attributeName(m.getKey(), m.getValue());
            if (name != null) {
                attribute.accept(name, ((JsonString) m.getValue()).getString());
            } else {
                if (rest == null) {
                    rest = CachedJson.createObjectBuilder();
                }
                rest.add(m.getKey(), m.getValue());
            }
        }
        return rest == null ? JsonValue.EMPTY_JSON_OBJECT : rest.build();
    }

    /** @return the attribute a metadata entry becomes, or null when it goes to {@link #METADATA} */
    private static String attributeName(String key, JsonValue v) {
        if (!(v instanceof JsonString s)) {
            return null;
        }
        String named = NAMED.get(key);
        if (named == null
                && (!EXTENSION_NAME.matcher(key).matches() || RESERVED.contains(key) || SEED_NAME.containsKey(key))) {
            return null;
        }
        if ("dataschema".equals(named)) {
            try {
                new URI(s.getString());
            } catch (java.net.URISyntaxException notAUri) {
                return null;
            }
        }
        return named != null ? named : key;
    }

    /** @return the {@code metadata} key an attribute other than the five top-level ones goes back to */
    private static String seedName(String attribute) {
        return SEED_NAME.getOrDefault(attribute, attribute);
    }

    /**
     * @param e the event to deliver
     * @param format how to write it
     * @return headers (with {@code Content-Type}) and body
     */
    public Encoded encode(EventEnvelope e, WebhookFormat format) {
        Map<String, String> headers = new LinkedHashMap<>();
        return switch (format) {
            case SEED -> {
                headers.put("Content-Type", "application/json");
                yield new Encoded(headers, e.toJson().toString().getBytes(StandardCharsets.UTF_8));
            }
            case STRUCTURED -> {
                headers.put("Content-Type", STRUCTURED);
                yield new Encoded(headers, FORMAT.serialize(toCloudEvent(e)));
            }
            case BINARY -> {
                byte[][] body = new byte[1][];
                HttpMessageFactory.createWriter(headers::put, bytes -> body[0] = bytes)
                        .writeBinary(toCloudEvent(e));
                headers.put("Content-Type", headers.remove("Content-Type"));
                yield new Encoded(headers, body[0] == null ? new byte[0] : body[0]);
            }
        };
    }

    /**
     * The CloudEvents Kafka binding in binary mode: every attribute {@link #toCloudEvent} gives the event as a {@code
     * ce_} header (UTF-8 text), and {@code content-type: application/json} for {@code data}, which is the record's
     * value ({@code e.data()} as JSON text). The record key is {@code partitionkey}; the caller sets it.
     *
     * @param e the event on the log
     * @return header name to value: {@code ce_specversion}, {@code ce_id}, {@code ce_type}, {@code ce_source}, {@code
     *     ce_time}, the metadata's attributes in its order, {@code ce_ebmetadata} when needed, {@code content-type}
     * @since 0.22.0
     */
    public static Map<String, String> kafkaHeaders(EventEnvelope e) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(KAFKA_PREFIX + "specversion", SpecVersion.V1.toString());
        h.put(KAFKA_PREFIX + "id", e.id());
        h.put(KAFKA_PREFIX + "type", e.eventType());
        h.put(KAFKA_PREFIX + "source", e.source());
        h.put(KAFKA_PREFIX + "time", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(e.timestamp()));
        JsonObject carried = attributes(e.metadata(), (name, value) -> h.put(KAFKA_PREFIX + name, value));
        if (!carried.isEmpty()) {
            h.put(KAFKA_PREFIX + METADATA, carried.toString());
        }
        h.put(KAFKA_CONTENT_TYPE, "application/json");
        return h;
    }

    /**
     * The reverse of {@link #kafkaHeaders(EventEnvelope)}: the envelope a binary-mode record of the bus carries. Like
     * {@link EnvelopeParser#stored(JsonObject, String)} it reads what the bus itself wrote, without today's grammar
     * checks, and parses no JSON beyond {@code ce_ebmetadata} when present.
     *
     * @param headers the record's {@code ce_} headers by name, values as UTF-8 text (other names are ignored)
     * @param data the record's value, parsed
     * @param contentHash the event's content hash, or {@code ""} where none is needed
     * @return the envelope
     * @throws IllegalArgumentException when {@code ce_id}, {@code ce_type}, {@code ce_source} or {@code ce_time} is
     *     missing
     * @throws InvalidFieldException when {@code ce_ebmetadata} is not the JSON text of an object
     * @throws java.time.format.DateTimeParseException when {@code ce_time} is not RFC 3339
     * @since 0.22.0
     */
    public static EventEnvelope fromKafkaHeaders(Map<String, String> headers, JsonObject data, String contentHash) {
        JsonObjectBuilder metadata = CachedJson.createObjectBuilder();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String header = h.getKey();
            if (!header.startsWith(KAFKA_PREFIX) || h.getValue() == null) {
                continue;
            }
            String name = header.substring(KAFKA_PREFIX.length());
            switch (name) {
                case "specversion", "id", "type", "source", "time", "datacontenttype" -> {}
                case METADATA -> carried(h.getValue()).forEach(metadata::add);
                default -> metadata.add(seedName(name), h.getValue());
            }
        }
        return new EventEnvelope(
                required(headers, "id"),
                required(headers, "type"),
                required(headers, "source"),
                OffsetDateTime.parse(required(headers, "time")),
                data,
                metadata.build(),
                contentHash);
    }

    private static String required(Map<String, String> headers, String attribute) {
        String v = headers.get(KAFKA_PREFIX + attribute);
        if (v == null) {
            throw new IllegalArgumentException("no " + KAFKA_PREFIX + attribute + " header");
        }
        return v;
    }

    /** @return whether {@code contentType} names JSON ({@code application/json} or {@code application/*+json}) */
    public static boolean isJson(String contentType) {
        String ct = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        return ct.equals("application/json") || (ct.startsWith("application/") && ct.endsWith("+json"));
    }

    /**
     * @param contentType the request's {@code Content-Type}, or null
     * @return the media type without parameters, lower case, or {@code ""}
     */
    public static String mediaType(String contentType) {
        return contentType == null
                ? ""
                : contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
    }
}
