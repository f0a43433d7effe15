package com.idynic.eventbus.admin;

import com.idynic.eventbus.admin.spi.CatalogStore;
import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventTypes;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.Masking;
import com.idynic.eventbus.schema.Compatibility;
import com.idynic.eventbus.schema.SchemaRegistry;
import com.idynic.eventbus.schema.SchemaVersion;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.subscribers.Subscription;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The event catalog: every event type the bus knows (it has a schema, was published, or a subscription names it
 * exactly) with its schema versions and compatibility mode, the services seen publishing it, the subscriptions
 * whose selectors match it and the schema version each reads, and on request the latest stored event as a sample.
 * Read from the schema registry, the subscription directory and the publisher counts the bus keeps
 * ({@link PublisherTracker}); the events table is read only for a sample, one index probe.
 *
 * @since 0.20.0
 */
public final class EventCatalog {
    /** What a subscription reads when it pins no version. */
    public static final String LATEST = "latest";

    /**
     * A service seen publishing a type.
     *
     * @param source the events' {@code source}
     * @param published events stored since it was first seen
     */
    public record Publisher(String source, Instant firstSeen, Instant lastSeen, long published) {}

    /**
     * A subscription receiving a type.
     *
     * @param selector its selector that matches the type (the first, when several do)
     * @param schemaVersion the version it reads ({@code subscription.schemaVersions}), or {@link #LATEST}
     * @param state {@code active}, {@code paused} or {@code disabled}
     */
    public record Reader(String subscriptionId, String owner, String selector, String schemaVersion, String state) {}

    /**
     * One event type.
     *
     * @param compatibility its compatibility mode, or null when it has no schema
     * @param versions its schema versions, oldest first (empty without a schema)
     */
    public record Entry(
            String eventType,
            Compatibility compatibility,
            List<SchemaVersion> versions,
            List<Publisher> publishers,
            List<Reader> subscribers) {
        public Entry {
            versions = List.copyOf(versions);
            publishers = List.copyOf(publishers);
            subscribers = List.copyOf(subscribers);
        }

        /** @return the newest version not deprecated (else the newest), or null without a schema */
        public SchemaVersion latest() {
            return versions.stream()
                    .filter(v -> !v.deprecated())
                    .reduce((a, b) -> b)
                    .orElse(versions.isEmpty() ? null : versions.get(versions.size() - 1));
        }
    }

    private final SchemaRegistry schemas;
    private final Supplier<List<Subscription>> subscriptions;
    private final CatalogStore store;
    private final Runnable flushCounts;
    private final Masking masking;

    /**
     * @param subscriptions every subscription (the directory)
     * @param flushCounts adds this server's publisher counts to the store before a read (so a page shows what was
     *     just published here); failures are the reader's
     */
    public EventCatalog(
            SchemaRegistry schemas,
            Supplier<List<Subscription>> subscriptions,
            CatalogStore store,
            Runnable flushCounts) {
        this(schemas, subscriptions, store, flushCounts, Masking.NONE);
    }

    /**
     * As {@link #EventCatalog(SchemaRegistry, Supplier, CatalogStore, Runnable)}, with the masking of sensitive
     * values in samples.
     *
     * @since 0.19.0
     */
    public EventCatalog(
            SchemaRegistry schemas,
            Supplier<List<Subscription>> subscriptions,
            CatalogStore store,
            Runnable flushCounts,
            Masking masking) {
        this.schemas = schemas;
        this.subscriptions = subscriptions;
        this.store = store;
        this.flushCounts = flushCounts;
        this.masking = masking;
    }

    /** @return every known event type, by name */
    public List<Entry> entries() {
        flushCounts.run();
        Map<String, List<Publisher>> publishers = new TreeMap<>();
        for (CatalogStore.Published p : store.publishers()) {
            publishers
                    .computeIfAbsent(p.eventType(), t -> new ArrayList<>())
                    .add(new Publisher(p.source(), p.firstSeen(), p.lastSeen(), p.published()));
        }
        List<Subscription> subs = subscriptions.get();
        TreeSet<String> types = new TreeSet<>(schemas.types());
        types.addAll(publishers.keySet());
        for (Subscription s : subs) {
            s.eventTypes().stream().filter(EventTypes::isType).forEach(types::add);
        }
        List<Entry> out = new ArrayList<>(types.size());
        for (String type : types) {
            out.add(entry(type, publishers.getOrDefault(type, List.of()), subs));
        }
        return out;
    }

    /**
     * @return one event type
     * @throws InvalidFieldException {@code eventType} when it is not an event type
     * @throws BusException {@code NOT_FOUND} when the bus does not know it
     */
    public Entry entry(String eventType) {
        requireType(eventType);
        return entries().stream()
                .filter(e -> e.eventType().equals(eventType))
                .findFirst()
                .orElseThrow(() -> new BusException(
                        ErrorCode.NOT_FOUND,
                        "The catalog has no event type '" + eventType + "'",
                        Map.of("eventType", eventType)));
    }

    /**
     * @return the latest stored event of the type (one index probe), or empty when none is stored
     * @throws InvalidFieldException {@code eventType} when it is not an event type
     */
    public Optional<CatalogSample> sample(String eventType) {
        return sample(null, eventType);
    }

    /**
     * @param viewer who reads: its sensitive values are masked unless it may read them ({@link Masking#clearFor}); null
     *     masks
     * @return the latest stored event of the type (one index probe), or empty when none is stored
     * @throws InvalidFieldException {@code eventType} when it is not an event type
     * @since 0.19.0
     */
    public Optional<CatalogSample> sample(ServiceAccount viewer, String eventType) {
        requireType(eventType);
        return store.latest(eventType).map(s -> {
            JsonObject stored;
            try (JsonReader r = CachedJson.createReader(new StringReader(s.json()))) {
                stored = r.readObject();
            }
            JsonObject seen = masking.view(viewer, stored);
            return new CatalogSample(s.eventId(), s.acceptedAt(), seen == stored ? s.json() : seen.toString());
        });
    }

    private Entry entry(String type, List<Publisher> publishers, List<Subscription> subs) {
        List<SchemaVersion> versions = schemas.versions(type);
        List<Publisher> sorted = new ArrayList<>(publishers);
        sorted.sort(Comparator.comparing(Publisher::source));
        return new Entry(type, versions.isEmpty() ? null : schemas.mode(type), versions, sorted, readers(type, subs));
    }

    /** @return the subscriptions whose selectors match the type, by id */
    static List<Reader> readers(String type, List<Subscription> subs) {
        List<Reader> out = new ArrayList<>();
        for (Subscription s : subs) {
            s.eventTypes().stream()
                    .filter(sel -> EventTypes.matches(sel, type))
                    .findFirst()
                    .ifPresent(sel -> out.add(new Reader(
                            s.id(),
                            s.owner(),
                            sel,
                            s.schemaVersions().containsKey(type)
                                    ? String.valueOf(s.schemaVersions().get(type))
                                    : LATEST,
                            s.state())));
        }
        out.sort(Comparator.comparing(Reader::subscriptionId));
        return out;
    }

    private static void requireType(String eventType) {
        if (eventType == null || !EventTypes.isType(eventType)) {
            throw new InvalidFieldException("eventType", "must be an exact event type");
        }
    }
}
