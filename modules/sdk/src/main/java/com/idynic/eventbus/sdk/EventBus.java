package com.idynic.eventbus.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A connection to the bus from another process, safe for many threads. Concurrent {@code publish} calls within
 * the linger go out as one batch request; each call completes when its own event is durably stored. Close it
 * to send what is queued and stop its subscribers.
 *
 * <pre>{@code
 * try (EventBus bus = EventBus.connect("http://127.0.0.1:9080", System.getenv("EVENTBUS_API_KEY"))) {
 *     bus.publish("user.created", Map.of("userId", "123"));
 * }
 * }</pre>
 *
 * @since 0.3.0
 */
public final class EventBus implements AutoCloseable {
    private final Transport transport;
    private final LingerBatcher batcher;
    private final ScheduledExecutorService timer;
    private final String source;
    private final Duration deliveryTimeout;
    private final int maxInFlight;
    private final List<Subscriber> subscribers = new ArrayList<>();

    private EventBus(Builder b) {
        this.transport = new Transport(b.url, b.apiKey, b.http, b.requestTimeout, b.clock, b.mapper);
        this.source = b.source != null ? b.source : transport.service();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eventbus-sdk-retry");
            t.setDaemon(true);
            return t;
        });
        this.deliveryTimeout = b.deliveryTimeout;
        this.maxInFlight = b.maxInFlight;
        this.batcher = new LingerBatcher(transport, b.linger, b.maxBatchSize, b.maxBatchBytes, b.maxInFlight, timer);
    }

    /**
     * Connects with the defaults: exchanges {@code apiKey} for a token now (so a bad key fails here), linger 2 ms,
     * at most 100 events per request.
     *
     * @param url the bus, e.g. {@code http://127.0.0.1:9080}
     * @param apiKey a service's API key, {@code ebk_…}
     * @throws EventBusException {@code 401 UNAUTHORIZED} for a bad, revoked or expired key
     */
    public static EventBus connect(String url, String apiKey) {
        return builder(url, apiKey).connect();
    }

    /** @return a builder for a connection with other settings than {@link #connect(String, String)}'s */
    public static Builder builder(String url, String apiKey) {
        return new Builder(URI.create(Objects.requireNonNull(url)), Objects.requireNonNull(apiKey));
    }

    /** @return the source events get when {@link PublishOptions#source(String)} is not given */
    public String source() {
        return source;
    }

    /**
     * Publishes and waits until the bus stored the event.
     *
     * @param type the event type, e.g. {@code user.created}
     * @param data a JSON object: a record, bean, {@code Map} or {@code ObjectNode}
     * @throws EventBusException the bus refused this event (its error code), or could not be reached within the
     *     delivery timeout
     */
    public Receipt publish(String type, Object data) {
        return publish(type, data, PublishOptions.none());
    }

    /** Like {@link #publish(String, Object)} with options (id, source, ordering key, correlation id, …). */
    public Receipt publish(String type, Object data, PublishOptions options) {
        try {
            return publishAsync(type, data, options).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Publishes without waiting; the future completes with the receipt, or fails with an {@link EventBusException}. */
    public CompletableFuture<Receipt> publishAsync(String type, Object data) {
        return publishAsync(type, data, PublishOptions.none());
    }

    /** Like {@link #publishAsync(String, Object)} with options. */
    public CompletableFuture<Receipt> publishAsync(String type, Object data, PublishOptions options) {
        CompletableFuture<Receipt> result = new CompletableFuture<>();
        String id = options.id() != null ? options.id() : "evt-" + UUID.randomUUID();
        byte[] json;
        try {
            json = envelope(id, Objects.requireNonNull(type, "type"), data, options);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return result;
        }
        batcher.add(new LingerBatcher.Pending(id, json, result, System.nanoTime() + deliveryTimeout.toNanos()));
        return result;
    }

    private byte[] envelope(String id, String type, Object data, PublishOptions o) {
        ObjectMapper mapper = transport.mapper();
        JsonNode tree = mapper.valueToTree(data);
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException(
                    "data must be a JSON object, got " + (tree == null ? "null" : tree.getNodeType()));
        }
        ObjectNode e = mapper.createObjectNode()
                .put("id", id)
                .put("eventType", type)
                .put("source", o.source() != null ? o.source() : source);
        e.set("data", tree);
        if (o.timestamp() != null) {
            e.put("timestamp", o.timestamp().toString());
        }
        ObjectNode metadata = mapper.createObjectNode();
        o.metadata().forEach(metadata::put);
        if (o.orderingKey() != null) {
            metadata.put("partitionKey", o.orderingKey());
        }
        if (o.correlationId() != null) {
            metadata.put("correlationId", o.correlationId());
        }
        if (o.traceparent() != null) {
            metadata.put("traceparent", o.traceparent());
        }
        if (!metadata.isEmpty()) {
            e.set("metadata", metadata);
        }
        try {
            return mapper.writeValueAsBytes(e);
        } catch (JsonProcessingException x) {
            throw new IllegalArgumentException("data cannot be written as JSON", x);
        }
    }

    /** Pulls from a pull subscription with the default options; see {@link #subscribe(String, EventHandler, SubscribeOptions)}. */
    public Subscriber subscribe(String subscriptionId, EventHandler handler) {
        return subscribe(subscriptionId, handler, SubscribeOptions.defaults());
    }

    /**
     * Starts pulling from a pull subscription ({@code "target": {"type": "pull"}}) the key's service owns. The
     * handler acks by returning, nacks (retry by the subscription's policy) by throwing, dead-letters by throwing
     * {@link RejectException}.
     *
     * @param subscriptionId e.g. {@code reports}
     * @return the running subscriber; closing this {@code EventBus} closes it too
     */
    public Subscriber subscribe(String subscriptionId, EventHandler handler, SubscribeOptions options) {
        Objects.requireNonNull(handler);
        return subscribeAsync(
                subscriptionId,
                e -> {
                    try {
                        handler.handle(e);
                        return CompletableFuture.completedFuture(null);
                    } catch (Exception | LinkageError x) {
                        return CompletableFuture.failedFuture(x);
                    }
                },
                options);
    }

    /**
     * Like {@link #subscribe(String, EventHandler, SubscribeOptions)}, but each event is settled when the stage the
     * handler returns completes: normally acks, exceptionally nacks, with a {@link RejectException} dead-letters.
     *
     * @since 0.4.0
     */
    public synchronized Subscriber subscribeAsync(
            String subscriptionId, AsyncEventHandler handler, SubscribeOptions options) {
        Subscriber s = new Subscriber(transport, subscriptionId, Objects.requireNonNull(handler), options);
        subscribers.add(s);
        return s;
    }

    /**
     * Pulls one event type's events with {@code data} read as {@code dataType}, e.g. a record generated by {@code
     * eventbus types java}: {@code bus.subscribe("reports", OrderPlaced.TYPE, OrderPlaced.class, (order, event) ->
     * …)}. An event of another type, or whose data does not fit {@code dataType}, is dead-lettered (retrying would
     * not change it); give the type a subscription of its own, or read several types with {@link
     * #subscribe(String, EventHandler)} and {@link Event#data(Class)}.
     *
     * @param subscriptionId a pull subscription the key's service owns, e.g. {@code reports}
     * @param eventType the one type it delivers, e.g. {@code order.placed}
     * @since 0.21.0
     */
    public <T> Subscriber subscribe(
            String subscriptionId, String eventType, Class<T> dataType, DataHandler<T> handler) {
        return subscribe(subscriptionId, eventType, dataType, handler, SubscribeOptions.defaults());
    }

    /** Like {@link #subscribe(String, String, Class, DataHandler)} with options. */
    public <T> Subscriber subscribe(
            String subscriptionId,
            String eventType,
            Class<T> dataType,
            DataHandler<T> handler,
            SubscribeOptions options) {
        return subscribe(subscriptionId, new TypedHandler<>(eventType, dataType, handler), options);
    }

    /**
     * Creates or replaces the pull subscription {@code subscriptionId}, owned by the key's service: {@code PUT
     * /v1/subscriptions/{id}} with these event types, ordering and attempts (a replace keeps its state, paused or
     * active, and its queued events).
     *
     * @param eventTypes exact types ({@code order.placed}), prefixes ({@code order.*}) or {@code *}
     * @param ordered one event per ordering key at a time, in publish order; false: in parallel
     * @param maxAttempts attempts before an event becomes a dead letter; 0 for the bus's default (15)
     * @throws EventBusException the bus refused it (e.g. {@code 403 FORBIDDEN}: a type the key may not read)
     * @since 0.4.0
     */
    public void declarePullSubscription(
            String subscriptionId, List<String> eventTypes, boolean ordered, int maxAttempts) {
        ObjectMapper mapper = transport.mapper();
        ObjectNode body = mapper.createObjectNode();
        eventTypes.forEach(body.putArray("eventTypes")::add);
        body.putObject("target").put("type", "pull");
        body.put("ordering", ordered ? "ordered" : "unordered");
        if (maxAttempts > 0) {
            body.putObject("retryPolicy").put("maxAttempts", maxAttempts);
        }
        try {
            Transport.Answer a = transport.put(
                    "/v1/subscriptions/" + Subscriber.checkedId(subscriptionId), mapper.writeValueAsBytes(body));
            if (!a.ok()) {
                throw transport.error(a);
            }
        } catch (IOException e) {
            throw Transport.unreachable("PUT /v1/subscriptions/" + subscriptionId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Transport.unreachable("PUT /v1/subscriptions/" + subscriptionId, e);
        }
    }

    /** @return requests, events and retries since this connection was made */
    public PublishStats stats() {
        return batcher.stats();
    }

    /**
     * Sends every queued event and waits for its outcome (at most the delivery timeout), then stops the
     * subscribers (each finishes and acks what it pulled).
     */
    @Override
    public void close() {
        boolean interrupted = false;
        try {
            batcher.close(deliveryTimeout, maxInFlight);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        List<Subscriber> running;
        synchronized (this) {
            running = List.copyOf(subscribers);
        }
        for (Subscriber s : running) {
            try {
                s.close();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        timer.shutdown();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The clock a client uses unless its builder is given one: the system clock in UTC. */
    static final Clock DEFAULT_CLOCK = Clock.systemUTC();

    /**
     * Settings of a connection; every one has a default.
     *
     * @since 0.3.0
     */
    public static final class Builder {
        private final URI url;
        private final String apiKey;
        private Duration linger = Duration.ofMillis(2);
        private int maxBatchSize = 100;
        private int maxBatchBytes = 4 << 20;
        private int maxInFlight = 4;
        private Duration deliveryTimeout = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private String source;
        private Clock clock = DEFAULT_CLOCK;
        private ObjectMapper mapper = new ObjectMapper()
                .findAndRegisterModules()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        private HttpClient http;

        private Builder(URI url, String apiKey) {
            this.url = url;
            this.apiKey = apiKey;
        }

        /** @param linger how long the first waiting event waits for others to join its request (default 2 ms; 0 sends at once) */
        public Builder linger(Duration linger) {
            if (linger.isNegative()) {
                throw new IllegalArgumentException("linger must not be negative");
            }
            this.linger = linger;
            return this;
        }

        /** @param n most events per request (1–1,000, default 100; keep it within your service's rate-limit burst) */
        public Builder maxBatchSize(int n) {
            if (n < 1 || n > 1000) {
                throw new IllegalArgumentException("maxBatchSize must be 1–1000, got " + n);
            }
            this.maxBatchSize = n;
            return this;
        }

        /** @param bytes a request closes once its events reach this many bytes (default 4 MiB; the bus takes 16) */
        public Builder maxBatchBytes(int bytes) {
            this.maxBatchBytes = bytes;
            return this;
        }

        /**
         * @param n requests in flight at once (default 4). With more than 1, events of one ordering key published
         *     by different threads or without waiting may be stored in another order than called; use 1 for
         *     strict order of {@code publishAsync} calls
         */
        public Builder maxInFlight(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1");
            }
            this.maxInFlight = n;
            return this;
        }

        /** @param timeout how long a publish keeps retrying (network errors, 429, 503) before it fails (default 60 s) */
        public Builder deliveryTimeout(Duration timeout) {
            this.deliveryTimeout = timeout;
            return this;
        }

        /** @param timeout one HTTP request's timeout (default 30 s); a timed-out batch is sent again with the same ids */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** @param source the default {@code source} of published events (default: the key's service name) */
        public Builder source(String source) {
            this.source = source;
            return this;
        }

        /**
         * @param mapper the Jackson mapper for {@code data} both ways (default: one with the modules found and
         *     {@code java.time}, writing times as ISO-8601 text, as JSON Schema's {@code date-time} wants them)
         */
        public Builder objectMapper(ObjectMapper mapper) {
            this.mapper = mapper;
            return this;
        }

        /** @param clock decides when the token is renewed (default: the system clock) */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** @param http the HTTP client to use (default: a new HTTP/1.1 client) */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        /** Exchanges the API key for a token and starts the connection. */
        public EventBus connect() {
            if (http == null) {
                http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
            }
            return new EventBus(this);
        }
    }
}
