package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.RelayedEvent;
import com.idynic.eventbus.broker.spi.SubscriptionDirectory;
import com.idynic.eventbus.subscribers.spi.ReadPermissions;
import com.idynic.eventbus.subscribers.spi.SubscriptionCache;
import com.idynic.eventbus.subscribers.spi.SubscriptionStore;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Validates and stores subscriptions (PostgreSQL is the source of truth) and shares them through a cache
 * (Redis) that every server polls by version, so a change on one server is seen by all within the poll
 * interval. When the cache is unreachable the registry reads the store instead (at most {@code
 * maxStaleness} old) and, once the cache answers again, rewrites it from the store before trusting it.
 * Webhook signing secrets never go through the cache: they are read from the store (which keeps them
 * encrypted) and held in memory only until the next change to any subscription.
 *
 * @since 0.1.0
 */
public final class SubscriptionRegistry implements SubscriptionDirectory {
    private static final Logger LOG = Logger.getLogger(SubscriptionRegistry.class.getName());
    private static final Duration VERSION_POLL = Duration.ofMillis(200);

    private final SubscriptionStore store;
    private final SubscriptionCache shared;
    private final Clock clock;
    private final Duration maxStaleness;
    private final ReadPermissions permissions;
    private final AddressGuard guard;
    private volatile List<Subscription> cache;
    private volatile Instant loadedAt = Instant.MIN;
    private volatile Instant checkedAt = Instant.MIN;
    private volatile long seenVersion = Long.MIN_VALUE;
    private volatile boolean sharedInSync;
    private final Map<String, KnownSecret> secrets = new ConcurrentHashMap<>();
    private volatile TypeIndex typeIndex;

    /** Most event types one {@link TypeIndex} remembers (types are few; this bounds a flood of made-up ones). */
    private static final int TYPE_INDEX_LIMIT = 10_000;

    /** The subscriptions of one list ({@code of}, compared by identity) that select each event type seen. */
    private record TypeIndex(List<Subscription> of, Map<String, List<Subscription>> types) {}

    /** A secret read from the store while {@code seenWith} was the current list of subscriptions. */
    private record KnownSecret(List<Subscription> seenWith, String secret) {}

    /**
     * @param store durable records
     * @param clock time source for cache expiry
     * @param maxStaleness longest time a change by another server may go unseen
     */
    public SubscriptionRegistry(SubscriptionStore store, SubscriptionCache shared, Clock clock, Duration maxStaleness) {
        this(store, shared, clock, maxStaleness, ReadPermissions.ALL);
    }

    /**
     * A registry whose webhook targets must be public addresses (no allow-list), looked up in the system's DNS.
     *
     * @param permissions what each owner may read now, asked at dispatch and delivery
     */
    public SubscriptionRegistry(
            SubscriptionStore store,
            SubscriptionCache shared,
            Clock clock,
            Duration maxStaleness,
            ReadPermissions permissions) {
        this(store, shared, clock, maxStaleness, permissions, new AddressGuard(List.of(), InetAddress::getAllByName));
    }

    /**
     * @param permissions what each owner may read now, asked at dispatch and delivery
     * @param guard checks webhook targets when they are saved
     * @since 0.4.0
     */
    public SubscriptionRegistry(
            SubscriptionStore store,
            SubscriptionCache shared,
            Clock clock,
            Duration maxStaleness,
            ReadPermissions permissions,
            AddressGuard guard) {
        this.store = store;
        this.shared = shared;
        this.clock = clock;
        this.maxStaleness = maxStaleness;
        this.permissions = permissions;
        this.guard = guard;
    }

    /** Start of the reason given to subscriptions the bus paused because their owner lost the right to read. */
    public static final String PERMISSIONS_WITHDRAWN = "permissions withdrawn: ";

    /**
     * Validates and stores a subscription. A webhook's URL must pass the {@link AddressGuard}: a loopback,
     * link-local or private address (unless allowed), a port the deny-list holds or a host that does not resolve
     * is refused.
     *
     * @return true when it was created, false when replaced
     * @throws com.idynic.eventbus.api.InvalidFieldException (a {@code VALIDATION_ERROR}) naming the invalid field
     */
    public boolean save(Subscription s) {
        SubscriptionValidation.validate(s);
        SubscriptionValidation.checkTarget(s, guard);
        return write(s);
    }

    private boolean write(Subscription s) {
        boolean created = store.upsert(s);
        share(() -> shared.put(s));
        invalidate();
        return created;
    }

    /**
     * @return the subscription, with its webhook secret when that can be read (see {@link #withSecret}), or
     *     empty; the secret is for keeping it on a replace, never for a response
     */
    public Optional<Subscription> find(String id) {
        return store.find(id).map(s -> {
            try {
                return withSecret(s);
            } catch (IllegalStateException unreadable) {
                return s;
            }
        });
    }

    /**
     * @return the subscription with its webhook signing secret, read from the store (decrypted) and kept in
     *     memory until any subscription changes; a subscription that is not a webhook, unchanged
     * @throws IllegalStateException when the stored secret cannot be decrypted, or a webhook has none; the
     *     message says why and never contains the secret
     * @since 0.4.0
     */
    public Subscription withSecret(Subscription s) {
        if (!s.target().isPush()) {
            return s;
        }
        List<Subscription> seen = current();
        KnownSecret known = secrets.get(s.id());
        String secret;
        if (known != null && known.seenWith() == seen) {
            secret = known.secret();
        } else {
            secret = store.secretOf(s.id())
                    .orElseThrow(() -> new IllegalStateException("subscription " + s.id() + " has no signing secret"));
            secrets.put(s.id(), new KnownSecret(seen, secret));
        }
        Target t = s.target();
        return s.withTarget(t.withSecret(secret));
    }

    /** @return every subscription */
    public List<Subscription> all() {
        return store.all();
    }

    /** @return true when removed */
    public boolean delete(String id) {
        boolean removed = store.delete(id);
        secrets.remove(id);
        share(() -> shared.remove(id));
        invalidate();
        return removed;
    }

    @Override
    public List<String> matching(EventEnvelope event) {
        return current().stream()
                .filter(s -> s.wants(event) && mayRead(s, event.eventType()))
                .map(Subscription::id)
                .toList();
    }

    /**
     * As {@link #matching(EventEnvelope)}, from the subscriptions that select the event's type (looked up once per
     * type and list of subscriptions); the event's envelope is parsed only for a subscription with a filter.
     *
     * @since 0.22.0
     */
    @Override
    public List<String> matching(RelayedEvent event) {
        String type = event.eventType();
        List<Subscription> candidates = byType(current(), type);
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(candidates.size());
        for (Subscription s : candidates) {
            if ((s.filter().passesAll() || s.filter().matches(event.envelope())) && mayRead(s, type)) {
                out.add(s.id());
            }
        }
        return out;
    }

    /** @return the subscriptions of the list whose selectors select the type */
    private List<Subscription> byType(List<Subscription> subs, String type) {
        TypeIndex index = typeIndex;
        if (index == null || index.of() != subs) {
            index = new TypeIndex(subs, new ConcurrentHashMap<>());
            typeIndex = index;
        }
        List<Subscription> known = index.types().get(type);
        if (known != null) {
            return known;
        }
        List<Subscription> selecting =
                subs.stream().filter(s -> s.selects(type)).toList();
        if (index.types().size() < TYPE_INDEX_LIMIT) {
            index.types().put(type, selecting);
        }
        return selecting;
    }

    /** @return whether the subscription's owner may receive events of this type now */
    public boolean mayRead(Subscription s, String eventType) {
        return permissions.mayRead(s.owner(), eventType);
    }

    /**
     * Applies an owner's current permissions to its subscriptions: one left with nothing it may read is
     * paused with a reason starting {@link #PERMISSIONS_WITHDRAWN}; one paused that way that may read
     * again is resumed. Subscriptions paused or disabled for other reasons are left alone.
     *
     * @return the subscriptions whose state changed
     */
    public List<Subscription> applyPermissions(String owner) {
        List<Subscription> changed = new ArrayList<>();
        for (Subscription s : store.all()) {
            if (!owner.equals(s.owner())) {
                continue;
            }
            boolean readable = s.eventTypes().stream().anyMatch(sel -> permissions.mayReadSome(owner, sel));
            boolean pausedByUs = s.in(SubscriptionState.PAUSED)
                    && s.disabledReason() != null
                    && s.disabledReason().startsWith(PERMISSIONS_WITHDRAWN);
            if (!readable && s.in(SubscriptionState.ACTIVE)) {
                String reason =
                        PERMISSIONS_WITHDRAWN + "service '" + owner + "' may no longer read any of " + s.eventTypes();
                changeState(s.id(), SubscriptionState.PAUSED, reason).ifPresent(changed::add);
            } else if (readable && pausedByUs) {
                changeState(s.id(), SubscriptionState.ACTIVE, null).ifPresent(changed::add);
            }
        }
        return changed;
    }

    /**
     * Pauses, resumes or disables a subscription. Its webhook target is not checked again here: the sender
     * checks it before every call.
     *
     * @return the updated subscription, or empty
     */
    public Optional<Subscription> changeState(String id, SubscriptionState state, String reason) {
        Optional<Subscription> s = store.find(id).map(x -> x.withState(state.wire(), reason));
        s.ifPresent(x -> {
            SubscriptionValidation.validate(x);
            write(x);
        });
        return s;
    }

    /** @return active subscriptions the bus pushes to (webhooks), from the cache */
    public List<Subscription> activePush() {
        return current().stream()
                .filter(s -> s.in(SubscriptionState.ACTIVE) && s.target().isPush())
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
}
