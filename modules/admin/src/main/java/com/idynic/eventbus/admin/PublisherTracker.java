package com.idynic.eventbus.admin;

import com.idynic.eventbus.admin.spi.CatalogStore;
import com.idynic.eventbus.api.EventEnvelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Remembers who publishes which event type at no database cost per event: each stored event adds one to an
 * in-memory count per (type, source, minute), and at most every {@code flushEvery} the publishing thread that finds
 * the counts due adds them to the store in one batch (a few rows, whatever the event rate). A crash loses at most
 * that interval's counts, which the catalog can afford (it shows who publishes, not an audit of how much). Pairs
 * are bounded by {@code maxPairs} between flushes; beyond it further new pairs are not counted until the next flush.
 *
 * @since 0.20.0
 */
public final class PublisherTracker {
    private static final Logger LOG = Logger.getLogger(PublisherTracker.class.getName());
    /** How long per-minute counts are kept (the flow graph reads minutes of the monitoring window). */
    static final Duration KEEP_MINUTES = Duration.ofDays(1);

    private record Key(String eventType, String source, Instant minute) {}

    private record Tally(long count, Instant first, Instant last) {
        Tally plus(Tally o) {
            return new Tally(
                    count + o.count, first.isBefore(o.first) ? first : o.first, last.isAfter(o.last) ? last : o.last);
        }
    }

    private final CatalogStore store;
    private final Clock clock;
    private final Duration flushEvery;
    private final int maxPairs;
    private final Map<Key, Tally> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private volatile Instant lastFlush;
    private volatile Instant lastPrune = Instant.MIN;

    /**
     * @param flushEvery how often counts reach the store, e.g. 5 seconds
     * @param maxPairs most (type, source, minute) counts held between flushes, e.g. 10,000
     */
    public PublisherTracker(CatalogStore store, Clock clock, Duration flushEvery, int maxPairs) {
        this.store = store;
        this.clock = clock;
        this.flushEvery = flushEvery;
        this.maxPairs = maxPairs;
        this.lastFlush = clock.instant();
    }

    /** Counts a stored event (called after its commit); adds the counts to the store when they are due. */
    public void stored(EventEnvelope e) {
        Instant now = clock.instant();
        Key k = new Key(e.eventType(), e.source(), now.truncatedTo(ChronoUnit.MINUTES));
        Tally one = new Tally(1, now, now);
        if (pending.size() >= maxPairs && !pending.containsKey(k)) {
            return;
        }
        pending.merge(k, one, Tally::plus);
        if (!now.isBefore(lastFlush.plus(flushEvery))) {
            try {
                flush();
            } catch (RuntimeException storeUnavailable) {
                LOG.log(Level.FINE, "publisher counts not stored yet", storeUnavailable);
            }
        }
    }

    /**
     * Adds the counts held so far to the store (one thread at a time; a concurrent call returns at once). Counts the
     * store refuses are kept for the next flush.
     *
     * @throws RuntimeException when the store cannot be written
     */
    public void flush() {
        if (!flushing.compareAndSet(false, true)) {
            return;
        }
        Map<Key, Tally> taken = new HashMap<>();
        try {
            lastFlush = clock.instant();
            for (Key k : List.copyOf(pending.keySet())) {
                Tally t = pending.remove(k);
                if (t != null) {
                    taken.put(k, t);
                }
            }
            if (!taken.isEmpty()) {
                store.add(totals(taken), minutes(taken));
            }
            taken.clear();
            Instant now = clock.instant();
            if (now.isAfter(lastPrune.plus(Duration.ofHours(1)))) {
                store.pruneMinutes(now.minus(KEEP_MINUTES));
                lastPrune = now;
            }
        } finally {
            taken.forEach((k, t) -> pending.merge(k, t, Tally::plus));
            flushing.set(false);
        }
    }

    /** Totals per (type, source), in key order (so that concurrent servers lock rows in one order). */
    static List<CatalogStore.Published> totals(Map<Key, Tally> taken) {
        Map<List<String>, Tally> byPair = new HashMap<>();
        taken.forEach((k, t) -> byPair.merge(List.of(k.eventType(), k.source()), t, Tally::plus));
        List<CatalogStore.Published> out = new ArrayList<>();
        byPair.forEach(
                (k, t) -> out.add(new CatalogStore.Published(k.get(0), k.get(1), t.first(), t.last(), t.count())));
        out.sort(Comparator.comparing(CatalogStore.Published::eventType).thenComparing(CatalogStore.Published::source));
        return out;
    }

    private static List<CatalogStore.PublishedInMinute> minutes(Map<Key, Tally> taken) {
        List<CatalogStore.PublishedInMinute> out = new ArrayList<>();
        taken.forEach((k, t) ->
                out.add(new CatalogStore.PublishedInMinute(k.eventType(), k.source(), k.minute(), t.count())));
        out.sort(Comparator.comparing(CatalogStore.PublishedInMinute::minute)
                .thenComparing(CatalogStore.PublishedInMinute::eventType)
                .thenComparing(CatalogStore.PublishedInMinute::source));
        return out;
    }
}
