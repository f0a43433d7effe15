package com.idynic.eventbus.api;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C Trace Context {@code traceparent}, e.g. {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}:
 * version, trace id (32 lowercase hex digits), parent id (16) and flags (2), neither id all zeros. Every event
 * carries one in {@code metadata.traceparent}; every delivery of it carries a child (same trace id, a new
 * parent id per attempt), so a receiver's work joins the publisher's trace.
 *
 * @param traceId 32 lowercase hex digits, not all zeros
 * @param parentId 16 lowercase hex digits, not all zeros: the span this context names as parent
 * @param flags 2 lowercase hex digits; {@code 01} is "sampled"
 * @since 0.19.0
 */
public record TraceContext(String traceId, String parentId, String flags) {
    /** The HTTP and Kafka header name. */
    public static final String HEADER = "traceparent";

    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_PARENT = "0".repeat(16);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    public TraceContext {
        if (!hex(traceId, 32) || traceId.equals(ZERO_TRACE)) {
            throw new IllegalArgumentException("trace id must be 32 lowercase hex digits, not all zeros: " + traceId);
        }
        if (!hex(parentId, 16) || parentId.equals(ZERO_PARENT)) {
            throw new IllegalArgumentException("parent id must be 16 lowercase hex digits, not all zeros: " + parentId);
        }
        if (!hex(flags, 2)) {
            throw new IllegalArgumentException("flags must be 2 lowercase hex digits: " + flags);
        }
    }

    /**
     * Reads a {@code traceparent} value by the W3C rules: version {@code 00} has exactly four fields; a later
     * version (not {@code ff}) may have more after them, which are ignored; everything is lowercase hex.
     *
     * @param value a header or metadata value, may be null
     * @return the context, or empty when the value is absent or invalid (then a new trace is started)
     */
    public static Optional<TraceContext> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.length() < 55 || v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-') {
            return Optional.empty();
        }
        String version = v.substring(0, 2);
        if (!hex(version, 2) || version.equals("ff")) {
            return Optional.empty();
        }
        if (version.equals("00") ? v.length() != 55 : v.length() > 55 && v.charAt(55) != '-') {
            return Optional.empty();
        }
        String trace = v.substring(3, 35);
        String parent = v.substring(36, 52);
        String flags = v.substring(53, 55);
        if (!hex(trace, 32) || !hex(parent, 16) || !hex(flags, 2)) {
            return Optional.empty();
        }
        if (trace.equals(ZERO_TRACE) || parent.equals(ZERO_PARENT)) {
            return Optional.empty();
        }
        return Optional.of(new TraceContext(trace, parent, flags));
    }

    /** @return whether {@code value} is a valid {@code traceparent} */
    public static boolean valid(String value) {
        return parse(value).isPresent();
    }

    /** @return a new trace: random trace and parent ids, flags {@code 01} (sampled) */
    public static TraceContext start() {
        return new TraceContext(randomHex(16), randomHex(8), "01");
    }

    /** @return a child: the same trace id and flags, a new random parent id (the span of one hop, e.g. an attempt) */
    public TraceContext child() {
        return new TraceContext(traceId, randomHex(8), flags);
    }

    /**
     * The context an accepted event carries, by precedence: a valid {@code header} (the HTTP {@code traceparent}
     * of the publish request), else a valid {@code metadata.traceparent}, else a new trace. An invalid value is
     * ignored, never refused.
     *
     * @param header the request's {@code traceparent} header, or null
     * @param event the parsed event
     * @return the event with {@code metadata.traceparent} set to the effective context; its content hash stays the
     *     one of what the publisher sent, so a re-publish of the same body is still recognised as the same event
     */
    public static EventEnvelope propagate(String header, EventEnvelope event) {
        return propagate(header, event, null);
    }

    /**
     * As {@link #propagate(String, EventEnvelope)}, with one more source before a new trace: the context the bus
     * already runs in (the publish request's server span when tracing is on, which started a trace of its own when the
     * request carried none).
     *
     * @param current the {@code traceparent} of the calling thread's span, or null
     * @since 0.20.0
     */
    public static EventEnvelope propagate(String header, EventEnvelope event, String current) {
        TraceContext effective = parse(header)
                .or(() -> parse(event.traceparent()))
                .or(() -> parse(current))
                .orElseGet(TraceContext::start);
        return withContext(event, effective);
    }

    /**
     * @param event an event
     * @param context the trace context it is to carry
     * @return the event with {@code metadata.traceparent} set to {@code context} (the same object when it already
     *     is); its content hash is kept
     * @since 0.20.0
     */
    public static EventEnvelope withContext(EventEnvelope event, TraceContext context) {
        return context.traceparent().equals(event.traceparent()) ? event : withTraceparent(event, context);
    }

    /**
     * @param event a stored event (which may predate trace contexts)
     * @return the context of one delivery attempt of it: a child of the event's context, or a new trace when the
     *     event has none
     */
    public static TraceContext forDelivery(EventEnvelope event) {
        return parse(event.traceparent()).map(TraceContext::child).orElseGet(TraceContext::start);
    }

    /** @return the trace id of {@code traceparent}, or null when it is absent or invalid (for log lines) */
    public static String traceIdOf(String traceparent) {
        return parse(traceparent).map(TraceContext::traceId).orElse(null);
    }

    /** @return the header value, version {@code 00} */
    public String traceparent() {
        return "00-" + traceId + "-" + parentId + "-" + flags;
    }

    @Override
    public String toString() {
        return traceparent();
    }

    private static EventEnvelope withTraceparent(EventEnvelope e, TraceContext c) {
        return new EventEnvelope(
                e.id(),
                e.eventType(),
                e.source(),
                e.timestamp(),
                e.data(),
                CachedJson.createObjectBuilder(e.metadata())
                        .add(HEADER, c.traceparent())
                        .build(),
                e.contentHash());
    }

    private static boolean hex(String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Random, never all zeros (an all-zero id is invalid). */
    private static String randomHex(int bytes) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] out = new char[bytes * 2];
        boolean zero = true;
        for (int i = 0; i < out.length; i++) {
            int n = r.nextInt(16);
            zero &= n == 0;
            out[i] = HEX[n];
        }
        if (zero) {
            out[out.length - 1] = '1';
        }
        return new String(out);
    }
}
