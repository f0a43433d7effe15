package com.idynic.eventbus.broker.spi;

import java.time.Instant;

/**
 * Where the bus records its trace spans: publish, relay and each delivery attempt. Implemented in the server by
 * MicroProfile Telemetry (OpenTelemetry), exporting only when an OTLP endpoint is configured; {@link #NONE} records
 * nothing and is the default of every service, so the core never sees a vendor type and a unit test passes a fake.
 *
 * <p>A span's parent is a W3C {@code traceparent}: the event's stored trace context. When the calling thread already
 * runs inside a span of the same trace (the publish request's server span), the implementation parents the new span
 * on that one, so the chain reads caller → request → publish → relay, deliver.
 *
 * @since 0.20.0
 */
public interface Spans {
    /** The span names the bus records. */
    String PUBLISH = "publish";

    String RELAY = "relay";
    String DELIVER = "deliver";

    /** Attribute: the event's id. */
    String EVENT_ID = "eventbus.event.id";

    /** Attribute: the event's type. */
    String EVENT_TYPE = "eventbus.event.type";

    /** Attribute: the publishing service. */
    String EVENT_SOURCE = "eventbus.event.source";

    /** Attribute: the subscription of a delivery attempt. */
    String SUBSCRIPTION = "eventbus.subscription";

    /** Attribute: the attempt's number, 1 for the first. */
    String ATTEMPT = "eventbus.attempt";

    /** Attribute: how the attempt went ({@code success}, {@code failure}, {@code rejected}). */
    String OUTCOME = "eventbus.outcome";

    /** Attribute: what the bus does next ({@code delivered}, {@code retry}, {@code dead_letter}, ...). */
    String DECISION = "eventbus.decision";

    /** Attribute: how the event was delivered ({@code webhook}, {@code pull}, {@code cdi}). */
    String TARGET = "eventbus.target";

    /** Attribute: the webhook's HTTP status (OpenTelemetry semantic convention). */
    String HTTP_STATUS = "http.response.status_code";

    /** Attribute: {@code kafka} (OpenTelemetry semantic convention). */
    String MESSAGING_SYSTEM = "messaging.system";

    /** Attribute: the Kafka topic (OpenTelemetry semantic convention). */
    String DESTINATION = "messaging.destination.name";

    /** Attribute: the Kafka partition (OpenTelemetry semantic convention). */
    String PARTITION = "messaging.destination.partition.id";

    /** Attribute: the Kafka offset (OpenTelemetry semantic convention). */
    String OFFSET = "messaging.kafka.offset";

    /** What a span stands for, as OpenTelemetry's span kinds. */
    enum Kind {
        INTERNAL,
        PRODUCER,
        CLIENT,
        CONSUMER
    }

    /**
     * Starts a span.
     *
     * @param name {@link #PUBLISH}, {@link #RELAY} or {@link #DELIVER}
     * @param kind its kind
     * @param parent the parent's {@code traceparent}; null or invalid starts a new trace
     * @param startedAt when the work started, or null for now
     * @return the started span; never null
     */
    Span start(String name, Kind kind, String parent, Instant startedAt);

    /**
     * @return the {@code traceparent} of the span the calling thread runs in (e.g. the server span of an HTTP request),
     *     or null when there is none or spans are not recorded
     */
    default String current() {
        return null;
    }

    /** One started span: attributes, then exactly one {@link #end}. */
    interface Span {
        /** @return itself, with a string attribute (a null value is left out) */
        Span attribute(String key, String value);

        /** @return itself, with a number attribute */
        Span attribute(String key, long value);

        /**
         * @return this span's own {@code traceparent} (its trace id, its span id as parent id), to hand to the next
         *     hop; null when spans are not recorded (then the caller keeps its own context)
         */
        String traceparent();

        /**
         * Ends the span.
         *
         * @param error null when the work succeeded, else why it failed (the span's status is then an error)
         */
        void end(String error);
    }

    /** Records nothing. */
    Spans NONE = new Spans() {
        @Override
        public Span start(String name, Kind kind, String parent, Instant startedAt) {
            return NO_SPAN;
        }
    };

    /** The span of {@link #NONE}. */
    Span NO_SPAN = new Span() {
        @Override
        public Span attribute(String key, String value) {
            return this;
        }

        @Override
        public Span attribute(String key, long value) {
            return this;
        }

        @Override
        public String traceparent() {
            return null;
        }

        @Override
        public void end(String error) {}
    };
}
