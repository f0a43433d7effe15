package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.spi.SubscriptionDirectory;
import com.idynic.eventbus.subscribers.spi.SubscriptionCache;
import com.idynic.eventbus.subscribers.spi.SubscriptionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Validates and stores subscriptions (PostgreSQL is the source of truth) and shares them through a cache
 * (Redis) that every server polls by version, so a change on one server is seen by all within the poll
 * interval. When the cache is unreachable the registry reads the store instead (at most {@code
 * maxStaleness} old) and, once the cache answers again, rewrites it from the store before trusting it.
 *
 * @since 0.1.0
 */
public final class SubscriptionRegistry implements SubscriptionDirectory {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern SELECTOR = Pattern.compile("\\*|[A-Za-z0-9]+([._-][A-Za-z0-9]+)*(\\.\\*)?");
    private static final Set<String> TARGETS = Set.of("pull", "webhook", "cdi");
    private static final Set<String> ORDERINGS = Set.of("ordered", "unordered");
    private static final Set<String> STATES = Set.of("active", "paused", "disabled");
    private static final Pattern START = Pattern.compile("latest|earliest|\\d{4}-.*|[A-Za-z0-9][A-Za-z0-9._:@/+=-]*");

    private static final Logger LOG = Logger.getLogger(SubscriptionRegistry.class.getName());
    private static final Duration VERSION_POLL = Duration.ofMillis(200);

    private final SubscriptionStore store;
    private final SubscriptionCache shared;
    private final Clock clock;
    private final Duration maxStaleness;
    private volatile List<Subscription> cache;
    private volatile Instant loadedAt = Instant.MIN;
    private volatile Instant checkedAt = Instant.MIN;
    private volatile long seenVersion = Long.MIN_VALUE;
    private volatile boolean sharedInSync;

    /**
     * @param store durable records
     * @param clock time source for cache expiry
     * @param maxStaleness longest time a change by another server may go unseen
     */
    public SubscriptionRegistry(SubscriptionStore store, SubscriptionCache shared, Clock clock, Duration maxStaleness) {
        this.store = store;
        this.shared = shared;
        this.clock = clock;
        this.maxStaleness = maxStaleness;
    }

    /**
     * Validates and stores a subscription.
     *
     * @return true when it was created, false when replaced
     * @throws InvalidFieldException (a {@code VALIDATION_ERROR}) naming the invalid field
     */
    public boolean save(Subscription s) {
        validate(s);
        boolean created = store.upsert(s);
        share(() -> shared.put(s));
        invalidate();
        return created;
    }

    /** @return the subscription, or empty */
    public Optional<Subscription> find(String id) {
        return store.find(id);
    }

    /** @return every subscription */
    public List<Subscription> all() {
        return store.all();
    }

    /** @return true when removed */
    public boolean delete(String id) {
        boolean removed = store.delete(id);
        share(() -> shared.remove(id));
        invalidate();
        return removed;
    }

    @Override
    public List<String> matching(EventEnvelope event) {
        return current().stream()
                .filter(s -> s.wants(event))
                .map(Subscription::id)
                .toList();
    }

    /** Pauses, resumes or disables a subscription. @return the updated subscription, or empty */
    public Optional<Subscription> changeState(String id, String state, String reason) {
        Optional<Subscription> s = store.find(id);
        s.ifPresent(x -> save(x.withState(state, reason)));
        return s.map(x -> x.withState(state, reason));
    }

    /** @return active subscriptions the bus pushes to (webhooks), from the cache */
    public List<Subscription> activePush() {
        return current().stream()
                .filter(s -> "active".equals(s.state()) && s.target().isPush())
                .toList();
    }

    /** @return the subscription from the cache (at most {@code maxStaleness} old), or empty */
    public Optional<Subscription> cached(String id) {
        return current().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    private List<Subscription> current() {
        Instant now = clock.instant();
        List<Subscription> c = cache;
        if (c != null && now.isBefore(checkedAt.plus(VERSION_POLL))) {
            return c;
        }
        checkedAt = now;
        try {
            if (!sharedInSync) {
                resync();
            }
            var version = shared.version();
            if (version.isEmpty()) {
                resync();
                version = shared.version();
            }
            if (c == null || version.orElse(Long.MIN_VALUE) != seenVersion) {
                c = shared.all();
                cache = c;
                seenVersion = version.orElse(Long.MIN_VALUE);
                loadedAt = now;
            }
            return c;
        } catch (RuntimeException cacheDown) {
            if (sharedInSync) {
                LOG.warning("subscription cache unreachable, reading PostgreSQL instead: " + cacheDown);
            }
            sharedInSync = false;
        }
        if (c == null || now.isAfter(loadedAt.plus(maxStaleness))) {
            c = store.all();
            cache = c;
            loadedAt = now;
        }
        return c;
    }

    private void resync() {
        shared.replaceAll(store.all());
        sharedInSync = true;
        LOG.info("subscription cache rewritten from PostgreSQL");
    }

    private void share(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException cacheDown) {
            sharedInSync = false;
        }
    }

    /** @return the cache's state, for readiness; throws when unreachable */
    public String cacheStatus() {
        return shared.ping() + (sharedInSync ? "" : " (resync pending)");
    }

    private void invalidate() {
        cache = null;
        checkedAt = Instant.MIN;
    }

    static void validate(Subscription s) {
        if (s.id() == null || !ID.matcher(s.id()).matches()) {
            throw new InvalidFieldException("id", "must be 1-100 letters, digits, '.', '_' or '-'");
        }
        if (s.eventTypes().isEmpty()) {
            throw new InvalidFieldException("eventTypes", "must list at least one event type");
        }
        for (int i = 0; i < s.eventTypes().size(); i++) {
            String sel = s.eventTypes().get(i);
            if (sel == null || sel.length() > 200 || !SELECTOR.matcher(sel).matches()) {
                throw new InvalidFieldException(
                        "eventTypes[" + i + "]", "must be an event type, a 'prefix.*' pattern or '*'");
            }
        }
        oneOf("target.type", s.target().type(), TARGETS);
        oneOf("ordering", s.ordering(), ORDERINGS);
        oneOf("state", s.state(), STATES);
        if (s.startPosition() == null || !START.matcher(s.startPosition()).matches()) {
            throw new InvalidFieldException(
                    "startPosition", "must be 'latest', 'earliest', an ISO-8601 time or an event id");
        }
        if (s.startPosition().matches("\\d{4}-.*")) {
            try {
                java.time.OffsetDateTime.parse(s.startPosition());
            } catch (java.time.format.DateTimeParseException e) {
                throw new InvalidFieldException("startPosition", "is not an ISO-8601 time with offset");
            }
        }
    }

    private static void oneOf(String field, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new InvalidFieldException(
                    field, "must be one of " + allowed.stream().sorted().toList());
        }
    }
}
