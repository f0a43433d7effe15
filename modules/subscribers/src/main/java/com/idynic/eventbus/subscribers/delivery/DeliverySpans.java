package com.idynic.eventbus.subscribers.delivery;

import com.idynic.eventbus.broker.AttemptResult;
import com.idynic.eventbus.broker.Decision;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.broker.spi.Spans;
import java.time.Instant;
import java.util.Locale;

/** The {@value Spans#DELIVER} span of one delivery attempt: its attributes, the same for webhook, pull and CDI. */
final class DeliverySpans {
    private DeliverySpans() {}

    /**
     * @param target {@code webhook}, {@code pull} or {@code cdi}
     * @param startedAt when the attempt started (a pull's lease), or null for now
     * @return a started span, a child of the event's trace context
     */
    static Spans.Span start(Spans spans, Leased l, String target, Instant startedAt) {
        return spans.start(
                        Spans.DELIVER, Spans.Kind.CLIENT, l.event().envelope().traceparent(), startedAt)
                .attribute(Spans.EVENT_ID, l.event().envelope().id())
                .attribute(Spans.EVENT_TYPE, l.event().envelope().eventType())
                .attribute(Spans.SUBSCRIPTION, l.subscriptionId())
                .attribute(Spans.ATTEMPT, l.attempt())
                .attribute(Spans.TARGET, target);
    }

    static Spans.Span start(Spans spans, Leased l, String target) {
        return start(spans, l, target, null);
    }

    /** Ends the span with the attempt's outcome, HTTP status and the decision taken on it. */
    static void end(Spans.Span span, AttemptResult r, Decision d) {
        span.attribute(Spans.OUTCOME, r.outcome().name().toLowerCase(Locale.ROOT));
        if (r.httpStatus() != null) {
            span.attribute(Spans.HTTP_STATUS, r.httpStatus());
        }
        if (d != null) {
            span.attribute(Spans.DECISION, d.kind().name().toLowerCase(Locale.ROOT));
        }
        span.end(
                r.outcome() == AttemptResult.Outcome.SUCCESS
                        ? null
                        : r.error() != null
                                ? r.error()
                                : r.httpStatus() != null
                                        ? "HTTP " + r.httpStatus()
                                        : r.outcome().name());
    }
}
