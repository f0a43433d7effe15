package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.EnvelopeParser;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.api.TraceContext;
import com.idynic.eventbus.broker.spi.Spans;
import com.idynic.eventbus.security.Permissions;
import com.idynic.eventbus.security.RateLimit;
import com.idynic.eventbus.security.RateLimiter;
import com.idynic.eventbus.security.ServiceAccount;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The way in for every publish, single or batch, in one order: permissions, then the service's rate
 * limit, then the bus's backpressure, then validation and the write ({@link PublishService}). A refusal
 * stores nothing, and a forbidden event takes no rate-limit token.
 *
 * @since 0.8.0
 */
public final class PublishGate {
    /** Reason given to the refusal listener when the caller's rate limit is used up. */
    public static final String RATE_LIMITED = "rate_limited";

    /** Reason given to the refusal listener when backpressure refuses the publish. */
    public static final String OVERLOADED = "overloaded";

    private final PublishService publisher;
    private final RateLimiter rateLimiter;
    private final RateLimit defaultRateLimit;
    private final Backpressure backpressure;
    private final Duration idempotencyWindow;
    private final Consumer<String> refused;
    private final Spans spans;

    /**
     * @param publisher validates and stores accepted events
     * @param rateLimiter counts each service's publishes
     * @param defaultRateLimit the limit of a service that has none of its own
     * @param backpressure refuses publish while the bus is behind
     * @param idempotencyWindow how long an {@code Idempotency-Key} is remembered
     * @param refused told the reason ({@link #RATE_LIMITED}, {@link #OVERLOADED}) of every 429 (metrics)
     */
    public PublishGate(
            PublishService publisher,
            RateLimiter rateLimiter,
            RateLimit defaultRateLimit,
            Backpressure backpressure,
            Duration idempotencyWindow,
            Consumer<String> refused) {
        this(publisher, rateLimiter, defaultRateLimit, backpressure, idempotencyWindow, refused, Spans.NONE);
    }

    /**
     * As {@link #PublishGate(PublishService, RateLimiter, RateLimit, Backpressure, Duration, Consumer)}, recording a
     * {@value Spans#PUBLISH} span per event; the stored event's trace context names that span as its parent.
     *
     * @param spans where spans go
     * @since 0.20.0
     */
    public PublishGate(
            PublishService publisher,
            RateLimiter rateLimiter,
            RateLimit defaultRateLimit,
            Backpressure backpressure,
            Duration idempotencyWindow,
            Consumer<String> refused,
            Spans spans) {
        this.spans = spans;
        this.publisher = publisher;
        this.rateLimiter = rateLimiter;
        this.defaultRateLimit = defaultRateLimit;
        this.backpressure = backpressure;
        this.idempotencyWindow = idempotencyWindow;
        this.refused = refused;
    }

    /**
     * The first step of a publish over HTTP, before its body is read: holds it while the relay is behind ({@link
     * Backpressure#hold()}), then refuses it while the bus is overloaded ({@link Backpressure#check()}). A publisher
     * that sends faster than the bus relays is slowed at its socket, and one that is refused costs no parsing.
     *
     * @throws BusException {@code OVERLOADED}
     * @since 0.25.0
     */
    public void beforeBody() {
        try {
            backpressure.hold();
            backpressure.check();
        } catch (BusException e) {
            refused.accept(OVERLOADED);
            throw e;
        }
    }

    /**
     * Publishes one event for {@code service}.
     *
     * @param idempotencyKey the service's own key for this event, or null
     * @return the receipt, after the event and its outbox row committed
     * @throws BusException {@code FORBIDDEN}, {@code RATE_LIMITED}, {@code OVERLOADED}, or a refusal of
     *     {@link PublishService#publish(EventEnvelope, String, String, Duration)}
     */
    public PublishReceipt publish(ServiceAccount service, EventEnvelope event, String idempotencyKey) {
        return publish(service, event, idempotencyKey, null);
    }

    /**
     * Publishes one event for {@code service} in the trace context {@link TraceContext#propagate} chooses: the
     * request's {@code traceparent} header, else the event's {@code metadata.traceparent}, else the calling thread's
     * span (the request's server span while spans are recorded), else a new trace. The stored event's {@code
     * metadata.traceparent} holds that context, or, while spans are recorded, the context of this publish's
     * {@value Spans#PUBLISH} span (same trace id, that span as parent).
     *
     * @param traceparent the request's {@code traceparent} header, or null; an invalid one is ignored
     * @since 0.19.0
     */
    public PublishReceipt publish(
            ServiceAccount service, EventEnvelope event, String idempotencyKey, String traceparent) {
        Permissions.checkPublish(service, event.eventType(), event.source());
        admit(service, rateLimitOf(service), 1);
        EventEnvelope e = TraceContext.propagate(traceparent, event, spans.current());
        Spans.Span span = publishSpan(e);
        try {
            PublishReceipt r = publisher.publish(traced(e, span), service.name(), idempotencyKey, idempotencyWindow);
            span.end(null);
            return r;
        } catch (RuntimeException ex) {
            span.end(String.valueOf(ex.getMessage()));
            throw ex;
        }
    }

    /** @return a started {@value Spans#PUBLISH} span of the event, a child of its trace context */
    private Spans.Span publishSpan(EventEnvelope e) {
        return spans.start(Spans.PUBLISH, Spans.Kind.INTERNAL, e.traceparent(), null)
                .attribute(Spans.EVENT_ID, e.id())
                .attribute(Spans.EVENT_TYPE, e.eventType())
                .attribute(Spans.EVENT_SOURCE, e.source());
    }

    /** @return the event in the span's context (the span as parent), or as it is when spans are not recorded */
    private static EventEnvelope traced(EventEnvelope e, Spans.Span span) {
        String own = span.traceparent();
        return own == null
                ? e
                : TraceContext.parse(own)
                        .map(c -> TraceContext.withContext(e, c))
                        .orElse(e);
    }

    /**
     * Publishes a batch for {@code service}: each envelope is parsed and checked in order (the first bad one
     * refuses the batch, named {@code [i]}); a batch larger than the service's burst is refused as a whole
     * (field {@code []}); the batch takes one rate-limit token per event.
     *
     * @param envelopes the request's envelopes, in order
     * @return one result per event, in request order
     */
    public List<PublishService.BatchResult> publishAll(ServiceAccount service, List<JsonObject> envelopes) {
        return publishAll(service, envelopes, null);
    }

    /**
     * As {@link #publishAll(ServiceAccount, List)}, each event in the trace context of {@link
     * #publish(ServiceAccount, EventEnvelope, String, String)}: the request's header applies to every event.
     *
     * @param traceparent the request's {@code traceparent} header, or null; an invalid one is ignored
     * @since 0.19.0
     */
    public List<PublishService.BatchResult> publishAll(
            ServiceAccount service, List<JsonObject> envelopes, String traceparent) {
        List<EventEnvelope> events = new ArrayList<>(envelopes.size());
        for (int i = 0; i < envelopes.size(); i++) {
            try {
                EventEnvelope e = EnvelopeParser.parse(envelopes.get(i), publisher.clock());
                Permissions.checkPublish(service, e.eventType(), e.source());
                events.add(TraceContext.propagate(traceparent, e, spans.current()));
            } catch (BusException refusal) {
                throw PublishService.ofBatchEvent(i, refusal);
            }
        }
        RateLimit limit = rateLimitOf(service);
        if (events.size() > limit.burst()) {
            throw new InvalidFieldException(
                    "[]",
                    "holds " + events.size() + " events, more than service '" + service.name()
                            + "' may publish at once (its burst is " + limit.burst() + "); send smaller batches");
        }
        admit(service, limit, events.size());
        List<Spans.Span> started = new ArrayList<>(events.size());
        List<EventEnvelope> traced = new ArrayList<>(events.size());
        for (EventEnvelope e : events) {
            Spans.Span span = publishSpan(e);
            started.add(span);
            traced.add(traced(e, span));
        }
        List<PublishService.BatchResult> results;
        try {
            results = publisher.publishAll(traced);
        } catch (RuntimeException ex) {
            started.forEach(s -> s.end(String.valueOf(ex.getMessage())));
            throw ex;
        }
        for (int i = 0; i < started.size(); i++) {
            PublishService.BatchResult r = i < results.size() ? results.get(i) : null;
            started.get(i)
                    .end(
                            r == null
                                    ? "no result"
                                    : r.refused() == null
                                            ? null
                                            : String.valueOf(r.refused().getMessage()));
        }
        return results;
    }

    private RateLimit rateLimitOf(ServiceAccount service) {
        return service.rateLimit() == null ? defaultRateLimit : service.rateLimit();
    }

    private void admit(ServiceAccount service, RateLimit limit, int events) {
        Duration wait = rateLimiter.acquire(service.name(), limit, events);
        if (!wait.isZero()) {
            refused.accept(RATE_LIMITED);
            throw new BusException(
                    ErrorCode.RATE_LIMITED,
                    "Service '" + service.name() + "' is over its publish rate of " + limit.perSecond() + "/s",
                    Map.of(
                            "service", service.name(),
                            "perSecond", limit.perSecond(),
                            "burst", limit.burst(),
                            "retryAfterSeconds", (wait.toMillis() + 999) / 1000));
        }
        try {
            backpressure.check();
        } catch (BusException e) {
            refused.accept(OVERLOADED);
            throw e;
        }
    }
}
