package com.idynic.eventbus.admin;

import com.idynic.eventbus.broker.RetryPolicy;
import com.idynic.eventbus.schema.Compatibility;
import com.idynic.eventbus.schema.DataValidator;
import com.idynic.eventbus.schema.SchemaRegistry;
import com.idynic.eventbus.schema.SchemaVersion;
import com.idynic.eventbus.schema.spi.SchemaStore;
import com.idynic.eventbus.subscribers.Filter;
import com.idynic.eventbus.subscribers.Subscription;
import com.idynic.eventbus.subscribers.Target;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Schemas, subscriptions and publisher counts for the catalog and flow tests. */
final class CatalogFixture {
    static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}}}";

    final Map<String, List<SchemaVersion>> versions = new TreeMap<>();
    final Map<String, Compatibility> modes = new TreeMap<>();
    final List<Subscription> subscriptions = new ArrayList<>();
    final InMemoryCatalogStore store = new InMemoryCatalogStore();
    int flushes;

    final SchemaRegistry schemas = new SchemaRegistry(
            new SchemaStore() {
                @Override
                public List<SchemaVersion> versions(String eventType) {
                    return versions.getOrDefault(eventType, List.of());
                }

                @Override
                public List<String> types() {
                    return List.copyOf(versions.keySet());
                }

                @Override
                public int add(String eventType, String schema) {
                    List<SchemaVersion> l = versions.computeIfAbsent(eventType, t -> new ArrayList<>());
                    l.add(new SchemaVersion(
                            eventType, l.size() + 1, schema, false, Instant.parse("2026-12-01T00:00:00Z")));
                    return l.size();
                }

                @Override
                public boolean deprecate(String eventType, int version) {
                    return false;
                }

                @Override
                public Optional<Compatibility> compatibility(String eventType) {
                    return Optional.ofNullable(modes.get(eventType));
                }

                @Override
                public void setCompatibility(String eventType, Compatibility mode) {
                    modes.put(eventType, mode);
                }
            },
            new DataValidator(),
            false);

    final EventCatalog catalog = new EventCatalog(schemas, () -> subscriptions, store, () -> flushes++);

    void schema(String type, int count) {
        for (int i = 0; i < count; i++) {
            versions.computeIfAbsent(type, t -> new ArrayList<>())
                    .add(new SchemaVersion(type, i + 1, SCHEMA, false, Instant.parse("2026-12-01T00:00:00Z")));
        }
    }

    void published(String type, String source, String first, String last, long n) {
        store.add(
                List.of(new com.idynic.eventbus.admin.spi.CatalogStore.Published(
                        type, source, Instant.parse(first), Instant.parse(last), n)),
                List.of(new com.idynic.eventbus.admin.spi.CatalogStore.PublishedInMinute(
                        type, source, Instant.parse(last).truncatedTo(java.time.temporal.ChronoUnit.MINUTES), n)));
    }

    Subscription subscribe(String id, String state, Map<String, Integer> pinned, String... selectors) {
        Subscription s = new Subscription(
                id,
                id + "-owner",
                List.of(selectors),
                Filter.NONE,
                Target.pull(),
                "ordered",
                RetryPolicy.DEFAULT,
                "latest",
                16,
                0,
                state,
                null,
                pinned);
        subscriptions.add(s);
        return s;
    }
}
