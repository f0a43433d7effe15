package com.idynic.eventbus.runtime;

import com.idynic.eventbus.api.TraceContext;
import com.idynic.eventbus.broker.spi.Spans;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link Spans} on the OpenTelemetry API that MicroProfile Telemetry gives the application. A span's parent is the
 * calling thread's span when that one belongs to the same trace as the given {@code traceparent} (the publish
 * request's server span, which continued the caller's {@code traceparent}), else the {@code traceparent} itself as a
 * remote parent (the event's stored context, on the relay's and the deliveries' threads).
 */
final class OtelSpans implements Spans {
    private final Tracer tracer;

    OtelSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public Spans.Span start(String name, Kind kind, String parent, Instant startedAt) {
        SpanBuilder b = tracer.spanBuilder(name).setSpanKind(kindOf(kind));
        Optional<TraceContext> p = TraceContext.parse(parent);
        SpanContext current = io.opentelemetry.api.trace.Span.current().getSpanContext();
        if (p.isEmpty()) {
            b.setParent(current.isValid() ? Context.current() : Context.root());
        } else if (current.isValid() && current.getTraceId().equals(p.get().traceId())) {
            b.setParent(Context.current());
        } else {
            TraceContext c = p.get();
            b.setParent(Context.root()
                    .with(io.opentelemetry.api.trace.Span.wrap(SpanContext.createFromRemoteParent(
                            c.traceId(), c.parentId(), TraceFlags.fromHex(c.flags(), 0), TraceState.getDefault()))));
        }
        if (startedAt != null) {
            b.setStartTimestamp(startedAt);
        }
        return new Recording(b.startSpan());
    }

    @Override
    public String current() {
        return traceparentOf(io.opentelemetry.api.trace.Span.current().getSpanContext());
    }

    private static String traceparentOf(SpanContext c) {
        return c.isValid()
                ? "00-" + c.getTraceId() + "-" + c.getSpanId() + "-"
                        + c.getTraceFlags().asHex()
                : null;
    }

    private static SpanKind kindOf(Kind kind) {
        return switch (kind) {
            case INTERNAL -> SpanKind.INTERNAL;
            case PRODUCER -> SpanKind.PRODUCER;
            case CLIENT -> SpanKind.CLIENT;
            case CONSUMER -> SpanKind.CONSUMER;
        };
    }

    private static final class Recording implements Spans.Span {
        private final io.opentelemetry.api.trace.Span span;

        Recording(io.opentelemetry.api.trace.Span span) {
            this.span = span;
        }

        @Override
        public Spans.Span attribute(String key, String value) {
            if (value != null) {
                span.setAttribute(key, value);
            }
            return this;
        }

        @Override
        public Spans.Span attribute(String key, long value) {
            span.setAttribute(key, value);
            return this;
        }

        /** @return the span's context, or null when it is not recorded (no SDK, or not sampled): nothing names it */
        @Override
        public String traceparent() {
            return span.isRecording() ? traceparentOf(span.getSpanContext()) : null;
        }

        @Override
        public void end(String error) {
            if (error != null) {
                span.setStatus(StatusCode.ERROR, error);
            }
            span.end();
        }
    }
}
