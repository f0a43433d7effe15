package com.idynic.eventbus.admin;

import com.idynic.eventbus.api.CachedJson;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** The headers the relay writes on every record (KafkaEventSink), as the AsyncAPI document describes them. */
final class KafkaHeaders {
    /** Header name and what it holds, in the order the relay writes them. */
    static final Map<String, String> HEADERS = headers();

    private KafkaHeaders() {}

    private static Map<String, String> headers() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ce_specversion", "CloudEvents spec version: 1.0");
        m.put("ce_id", "CloudEvents id: the event's id");
        m.put("ce_type", "CloudEvents type: the event's eventType");
        m.put("ce_source", "CloudEvents source: the event's source");
        m.put("ce_time", "CloudEvents time: the event's timestamp, with the publisher's offset");
        m.put("ce_subject", "CloudEvents subject: the event's metadata.subject (absent without one)");
        m.put("ce_dataschema", "CloudEvents dataschema: the event's metadata.dataschema (absent without one)");
        m.put("ce_correlationid", "CloudEvents extension: the event's metadata.correlationId (absent without one)");
        m.put("ce_partitionkey", "CloudEvents partitioning extension: the ordering key, also the record key");
        m.put("ce_traceparent", "CloudEvents distributed tracing extension: W3C trace context (absent without one)");
        m.put("ce_tracestate", "CloudEvents distributed tracing extension: metadata.tracestate (absent without one)");
        m.put("ce_schemaversion", "CloudEvents extension: metadata.schemaVersion when a string (absent otherwise)");
        m.put(
                "ce_ebmetadata",
                "CloudEvents extension: the JSON text of the metadata entries no other header carries (numbers,"
                        + " booleans, objects, names that are no extension name); absent without any. Other"
                        + " metadata entries with a string value appear as ce_<name>");
        m.put("content-type", "Content type of the record value, the event's data: application/json");
        m.put(
                "eb-format",
                "ce-binary: the value is the event's data (absent on records relayed by earlier versions,"
                        + " whose value is the whole envelope)");
        m.put("correlation-id", "The event's metadata.correlationId (absent without one)");
        m.put("traceparent", "W3C trace context of the publish (absent without one)");
        m.put("eb-seq", "The bus's sequence number of the event (decimal)");
        return m;
    }

    /** @return the headers as a JSON Schema object, every value a string */
    static JsonObject schema() {
        JsonObjectBuilder props = CachedJson.createObjectBuilder();
        HEADERS.forEach((name, what) -> props.add(
                name, CachedJson.createObjectBuilder().add("type", "string").add("description", what)));
        return CachedJson.createObjectBuilder()
                .add("type", "object")
                .add(
                        "required",
                        CachedJson.createArrayBuilder()
                                .add("ce_specversion")
                                .add("ce_id")
                                .add("ce_type")
                                .add("ce_source")
                                .add("ce_time"))
                .add("properties", props)
                .build();
    }
}
