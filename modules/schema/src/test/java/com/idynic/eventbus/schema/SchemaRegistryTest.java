package com.idynic.eventbus.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.schema.spi.SchemaStore;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaRegistryTest {
    static final String V1 =
            "{\"type\":\"object\",\"properties\":{\"userId\":{\"type\":\"string\"}},\"required\":[\"userId\"]}";
    static final String V2 = "{\"type\":\"object\",\"properties\":{\"userId\":{\"type\":\"string\"},"
            + "\"name\":{\"type\":\"string\"}}}";

    final List<SchemaVersion> versions = new ArrayList<>();

    final SchemaStore store = new SchemaStore() {
        @Override
        public List<SchemaVersion> versions(String eventType) {
            return List.copyOf(versions);
        }

        @Override
        public List<String> types() {
            return List.of("it.t");
        }

        @Override
        public int add(String eventType, String schema) {
            versions.add(new SchemaVersion(eventType, versions.size() + 1, schema, false, Instant.EPOCH));
            return versions.size();
        }

        @Override
        public boolean deprecate(String eventType, int version) {
            return false;
        }

        @Override
        public Optional<Compatibility> compatibility(String eventType) {
            return Optional.of(Compatibility.NONE);
        }

        @Override
        public void setCompatibility(String eventType, Compatibility mode) {}
    };

    final SchemaRegistry registry = new SchemaRegistry(store, new DataValidator(), false);

    static JsonObject json(String s) {
        return Json.createReader(new StringReader(s)).readObject();
    }

    static EventEnvelope event(String data, String metadata) {
        return EventEnvelope.of("evt-1", "it.t", "it-service", json(data), json(metadata));
    }

    @Test
    void aNewVersionADeprecationAndAModeChangeAreAuditedButADryRunOrARepeatIsNot() {
        List<String> audited = new java.util.ArrayList<>();
        SchemaRegistry audit = new SchemaRegistry(
                store,
                new DataValidator(),
                false,
                (actor, action, sub, detail) -> audited.add(actor + " " + action + " " + detail));
        audit.register("ops", "it.t", json(V1), false);
        audit.register("ops", "it.t", json(V1), false);
        audit.register("ops", "it.t", json(V2), true);
        audit.setMode("root", "it.t", Compatibility.FULL);

        assertEquals(List.of("ops schema-register it.t v1", "root schema-compatibility it.t: FULL"), audited);
    }

    @Test
    void registeringAnIdenticalSchemaAgainReturnsItsVersionAndStoresNothing() {
        assertEquals(
                new SchemaRegistry.Registration(1, List.of(), Compatibility.NONE, false),
                registry.register("ops", "it.t", json(V1), false));
        assertEquals(
                new SchemaRegistry.Registration(2, List.of(), Compatibility.NONE, false),
                registry.register("ops", "it.t", json(V2), false));
        String v1Reordered =
                "{\"required\":[\"userId\"],\"properties\":{\"userId\":{\"type\":\"string\"}},  \"type\":\"object\"}";

        assertEquals(
                new SchemaRegistry.Registration(1, List.of(), Compatibility.NONE, true),
                registry.register("ops", "it.t", json(v1Reordered), false));
        assertEquals(
                new SchemaRegistry.Registration(2, List.of(), Compatibility.NONE, true),
                registry.register("ops", "it.t", json(V2), true));
        assertEquals(2, versions.size());
    }

    @Test
    void aSchemaVersionWrittenAsANumberSelectsTheSameVersionAsItsStringForm() {
        store.add("it.t", V1);
        store.add("it.t", V2);
        registry.validate(event("{\"name\":\"n\"}", "{}"));
        for (String metadata : List.of("{\"schemaVersion\":1}", "{\"schemaVersion\":\"1\"}")) {
            BusException e = assertThrows(
                    BusException.class, () -> registry.validate(event("{\"name\":\"n\"}", metadata)), metadata);
            assertEquals(ErrorCode.SCHEMA_VALIDATION_ERROR, e.errorCode(), metadata);
            assertEquals("data.userId", e.details().get("field"), metadata);
            assertEquals(1, e.details().get("schemaVersion"), metadata);
        }
    }

    @Test
    void inRejectModeAnEventOfATypeWithoutASchemaIsRefusedNamingTheEventType() {
        SchemaRegistry strict = new SchemaRegistry(store, new DataValidator(), true);
        BusException e = assertThrows(BusException.class, () -> strict.validate(event("{\"userId\":\"u\"}", "{}")));
        assertEquals(ErrorCode.SCHEMA_VALIDATION_ERROR, e.errorCode());
        assertEquals("No schema is registered for event type 'it.t'", e.getMessage());
        assertEquals("eventType", e.details().get("field"));
        assertEquals("has no registered schema", e.details().get("error"));

        strict.register("ops", "it.t", json(V1), false);
        strict.validate(event("{\"userId\":\"u\"}", "{}"));
        BusException invalid = assertThrows(BusException.class, () -> strict.validate(event("{}", "{}")));
        assertEquals("data.userId", invalid.details().get("field"), "a registered type is validated as usual");
    }

    @Test
    void inAllowModeAnEventOfATypeWithoutASchemaIsAccepted() {
        registry.validate(event("{\"anything\":1}", "{}"));
    }

    @Test
    void aNumberNamingNoVersionIsRefusedLikeItsStringForm() {
        store.add("it.t", V1);
        for (String metadata : List.of("{\"schemaVersion\":9}", "{\"schemaVersion\":\"9\"}")) {
            InvalidFieldException e = assertThrows(
                    InvalidFieldException.class, () -> registry.validate(event("{\"userId\":\"u\"}", metadata)));
            assertEquals("metadata.schemaVersion", e.details().get("field"));
        }
        assertEquals(
                JsonValue.ValueType.NUMBER,
                event("{}", "{\"schemaVersion\":9}")
                        .metadata()
                        .get("schemaVersion")
                        .getValueType());
    }
}
