package com.idynic.eventbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {
    static final String W3C_EXAMPLE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    static EventEnvelope event(JsonObject metadata) {
        return EventEnvelope.of("evt-1", "user.created", "user-service", JsonObject.EMPTY_JSON_OBJECT, metadata);
    }

    @Test
    void readsTheW3cExample() {
        TraceContext c = TraceContext.parse(W3C_EXAMPLE).orElseThrow();
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", c.traceId());
        assertEquals("00f067aa0ba902b7", c.parentId());
        assertEquals("01", c.flags());
        assertEquals(W3C_EXAMPLE, c.traceparent());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "garbage",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
                "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
                "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
            })
    void refusesWhatTheW3cRulesRefuse(String value) {
        assertEquals(Optional.empty(), TraceContext.parse(value));
    }

    @Test
    void aLaterVersionIsReadByItsFirstFourFieldsAndPassedOnAsVersion00() {
        TraceContext c = TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next")
                .orElseThrow();
        assertEquals(W3C_EXAMPLE, c.traceparent());
    }

    @Test
    void aNewTraceIsValidAndSampled() {
        TraceContext c = TraceContext.start();
        assertEquals(Optional.of(c), TraceContext.parse(c.traceparent()));
        assertEquals("01", c.flags());
        assertNotEquals(c.traceId(), TraceContext.start().traceId());
    }

    @Test
    void aChildKeepsTheTraceIdAndFlagsWithANewParentId() {
        TraceContext parent = TraceContext.parse(W3C_EXAMPLE).orElseThrow();
        TraceContext child = parent.child();
        assertEquals(parent.traceId(), child.traceId());
        assertEquals(parent.flags(), child.flags());
        assertNotEquals(parent.parentId(), child.parentId());
        assertNotEquals(child.parentId(), parent.child().parentId());
    }

    @Test
    void theHeaderWinsOverMetadata() {
        EventEnvelope e = event(Json.createObjectBuilder()
                .add("traceparent", "00-11111111111111111111111111111111-2222222222222222-01")
                .add("correlationId", "corr-1")
                .build());
        EventEnvelope out = TraceContext.propagate(W3C_EXAMPLE, e);
        assertEquals(W3C_EXAMPLE, out.traceparent());
        assertEquals("corr-1", out.correlationId());
        assertEquals(e.contentHash(), out.contentHash(), "the publisher's content decides idempotency");
    }

    @Test
    void validMetadataIsKeptWhenThereIsNoHeader() {
        EventEnvelope e =
                event(Json.createObjectBuilder().add("traceparent", W3C_EXAMPLE).build());
        assertSame(e, TraceContext.propagate(null, e));
    }

    @Test
    void anInvalidHeaderIsIgnoredForValidMetadata() {
        EventEnvelope e =
                event(Json.createObjectBuilder().add("traceparent", W3C_EXAMPLE).build());
        assertEquals(W3C_EXAMPLE, TraceContext.propagate("not-a-traceparent", e).traceparent());
    }

    @Test
    void withNeitherOrOnlyInvalidValuesANewTraceIsStarted() {
        EventEnvelope none = TraceContext.propagate(null, event(JsonObject.EMPTY_JSON_OBJECT));
        EventEnvelope invalid = TraceContext.propagate(
                "nope", event(Json.createObjectBuilder().add("traceparent", "x").build()));
        for (EventEnvelope e : new EventEnvelope[] {none, invalid}) {
            assertTrue(TraceContext.valid(e.traceparent()), e.traceparent());
            assertTrue(e.traceparent().endsWith("-01"), e.traceparent());
        }
        assertNotEquals(TraceContext.traceIdOf(none.traceparent()), TraceContext.traceIdOf(invalid.traceparent()));
    }

    @Test
    void aDeliveryIsAChildOfTheEventsContextOrANewTraceForAnEventWithout() {
        EventEnvelope traced =
                event(Json.createObjectBuilder().add("traceparent", W3C_EXAMPLE).build());
        TraceContext d = TraceContext.forDelivery(traced);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", d.traceId());
        assertNotEquals("00f067aa0ba902b7", d.parentId());
        assertTrue(TraceContext.valid(
                TraceContext.forDelivery(event(JsonObject.EMPTY_JSON_OBJECT)).traceparent()));
    }
}
