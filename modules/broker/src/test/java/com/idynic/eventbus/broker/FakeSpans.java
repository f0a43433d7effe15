package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.TraceContext;
import com.idynic.eventbus.broker.spi.Spans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Records spans in memory: each gets span id 000000000000000N (N from 1) in its parent's trace. */
final class FakeSpans implements Spans {
    /** One recorded span. */
    static final class Recorded implements Spans.Span {
        final String name;
        final Kind kind;
        final String parent;
        final Instant startedAt;
        final String traceparent;
        final Map<String, Object> attributes = new TreeMap<>();
        boolean ended;
        String error;

        Recorded(String name, Kind kind, String parent, Instant startedAt, String traceparent) {
            this.name = name;
            this.kind = kind;
            this.parent = parent;
            this.startedAt = startedAt;
            this.traceparent = traceparent;
        }

        @Override
        public Spans.Span attribute(String key, String value) {
            attributes.put(key, value);
            return this;
        }

        @Override
        public Spans.Span attribute(String key, long value) {
            attributes.put(key, value);
            return this;
        }

        @Override
        public String traceparent() {
            return traceparent;
        }

        @Override
        public void end(String error) {
            if (ended) {
                throw new IllegalStateException("span ended twice: " + name);
            }
            ended = true;
            this.error = error;
        }
    }

    final List<Recorded> spans = new ArrayList<>();
    String current;

    @Override
    public synchronized Spans.Span start(String name, Kind kind, String parent, Instant startedAt) {
        String trace = TraceContext.parse(parent).map(TraceContext::traceId).orElse("a".repeat(32));
        String own = "00-" + trace + "-" + String.format("%016x", spans.size() + 1) + "-01";
        Recorded r = new Recorded(name, kind, parent, startedAt, own);
        spans.add(r);
        return r;
    }

    @Override
    public String current() {
        return current;
    }
}
