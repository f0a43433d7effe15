package com.idynic.eventbus.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.idynic.eventbus.broker.spi.Spans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OpenTelemetry adapter on the real SDK: parents, ids as traceparents, attributes, status, start time. */
class OtelSpansTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER = "00f067aa0ba902b7";

    final List<SpanData> exported = new ArrayList<>();
    final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
                @Override
                public CompletableResultCode export(Collection<SpanData> spans) {
                    exported.addAll(spans);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            }))
            .build();
    final OtelSpans spans = new OtelSpans(provider.get("test"));

    @AfterEach
    void close() {
        provider.close();
    }

    SpanData exported(String name) {
        return exported.stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aSpanOnAThreadWithoutContextIsAChildOfTheGivenTraceparentAndNamesItselfAsTheNextParent() {
        Spans.Span s = spans.start(Spans.RELAY, Spans.Kind.PRODUCER, "00-" + TRACE + "-" + CALLER + "-01", null)
                .attribute("eventbus.event.id", "evt-1")
                .attribute("messaging.kafka.offset", 42)
                .attribute("left.out", (String) null);
        String own = s.traceparent();
        s.end(null);

        SpanData d = exported("relay");
        assertEquals(TRACE, d.getTraceId());
        assertEquals(CALLER, d.getParentSpanId());
        assertEquals(SpanKind.PRODUCER, d.getKind());
        assertEquals("00-" + TRACE + "-" + d.getSpanId() + "-01", own);
        assertEquals(
                Map.of("eventbus.event.id", "evt-1", "messaging.kafka.offset", 42L),
                Map.of(
                        "eventbus.event.id",
                        d.getAttributes().asMap().entrySet().stream()
                                .filter(e -> e.getKey().getKey().equals("eventbus.event.id"))
                                .findFirst()
                                .orElseThrow()
                                .getValue(),
                        "messaging.kafka.offset",
                        d.getAttributes().asMap().entrySet().stream()
                                .filter(e -> e.getKey().getKey().equals("messaging.kafka.offset"))
                                .findFirst()
                                .orElseThrow()
                                .getValue()));
        assertEquals(2, d.getAttributes().size(), "a null value is left out");
        assertEquals(StatusCode.UNSET, d.getStatus().getStatusCode());
    }

    @Test
    void insideTheServerSpanThatContinuedTheCallersTraceThePublishSpanIsTheServerSpansChild() {
        io.opentelemetry.api.trace.Span server = provider.get("test")
                .spanBuilder("POST /v1/events")
                .setSpanKind(SpanKind.SERVER)
                .setParent(io.opentelemetry.context.Context.root()
                        .with(io.opentelemetry.api.trace.Span.wrap(
                                io.opentelemetry.api.trace.SpanContext.createFromRemoteParent(
                                        TRACE,
                                        CALLER,
                                        io.opentelemetry.api.trace.TraceFlags.getSampled(),
                                        io.opentelemetry.api.trace.TraceState.getDefault()))))
                .startSpan();
        try (Scope ignored = server.makeCurrent()) {
            spans.start(Spans.PUBLISH, Spans.Kind.INTERNAL, "00-" + TRACE + "-" + CALLER + "-01", null)
                    .end(null);
        } finally {
            server.end();
        }
        assertEquals(TRACE, exported(Spans.PUBLISH).getTraceId());
        assertEquals(
                server.getSpanContext().getSpanId(),
                exported(Spans.PUBLISH).getParentSpanId(),
                "the caller -> request -> publish chain, not a sibling of the request");
    }

    @Test
    void insideASpanOfTheSameTraceTheNewSpanIsItsChildAndCurrentNamesIt() {
        io.opentelemetry.api.trace.Span server = provider.get("test")
                .spanBuilder("POST /v1/events")
                .setSpanKind(SpanKind.SERVER)
                .startSpan();
        String serverTrace = server.getSpanContext().getTraceId();
        try (Scope ignored = server.makeCurrent()) {
            String current = spans.current();
            assertEquals(
                    "00-" + serverTrace + "-" + server.getSpanContext().getSpanId() + "-"
                            + server.getSpanContext().getTraceFlags().asHex(),
                    current);
            spans.start(Spans.PUBLISH, Spans.Kind.INTERNAL, current, null).end(null);
            spans.start("other", Spans.Kind.INTERNAL, "00-" + TRACE + "-" + CALLER + "-01", null)
                    .end(null);
        } finally {
            server.end();
        }
        assertEquals(
                server.getSpanContext().getSpanId(), exported(Spans.PUBLISH).getParentSpanId());
        assertEquals(CALLER, exported("other").getParentSpanId(), "another trace: its own context is the parent");
        assertEquals(TRACE, exported("other").getTraceId());
    }

    @Test
    void anErrorSetsTheStatusAndAStartTimeIsKept() {
        Instant leased = Instant.parse("2026-01-01T00:00:00Z");
        spans.start(Spans.DELIVER, Spans.Kind.CLIENT, "00-" + TRACE + "-" + CALLER + "-01", leased)
                .end("HTTP 503");
        SpanData d = exported(Spans.DELIVER);
        assertEquals(StatusCode.ERROR, d.getStatus().getStatusCode());
        assertEquals("HTTP 503", d.getStatus().getDescription());
        assertEquals(leased.toEpochMilli() * 1_000_000L, d.getStartEpochNanos());
        assertEquals(SpanKind.CLIENT, d.getKind());
    }

    @Test
    void withoutAnyContextASpanStartsATraceAndWithoutTheSdkNothingIsNamed() {
        spans.start(Spans.PUBLISH, Spans.Kind.INTERNAL, "not a traceparent", null)
                .end(null);
        assertEquals("0000000000000000", exported(Spans.PUBLISH).getParentSpanId());
        assertNull(spans.current());
        OtelSpans noop = new OtelSpans(io.opentelemetry.api.OpenTelemetry.noop().getTracer("x"));
        assertNull(
                noop.start(Spans.PUBLISH, Spans.Kind.INTERNAL, "00-" + TRACE + "-" + CALLER + "-01", null)
                        .traceparent(),
                "the no-op API's span is not ours: Spans.NONE semantics");
        assertEquals(Optional.empty(), Optional.ofNullable(noop.current()));
    }
}
