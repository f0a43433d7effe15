package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.subscribers.spi.SubscriptionCache;
import com.idynic.eventbus.subscribers.spi.SubscriptionStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/** The subscription store and its shared cache, in memory, for one test thread; secrets stay in the stored rows. */
public final class InMemorySubscriptions {
    public final Map<String, Subscription> rows = new TreeMap<>();
    private final Map<String, Subscription> cached = new TreeMap<>();
    private long version;

    public final SubscriptionStore store = new SubscriptionStore() {
        @Override
        public boolean upsert(Subscription s) {
            return rows.put(s.id(), s) == null;
        }

        @Override
        public Optional<Subscription> find(String id) {
            return Optional.ofNullable(rows.get(id));
        }

        @Override
        public List<Subscription> all() {
            return List.copyOf(rows.values());
        }

        @Override
        public Optional<String> secretOf(String id) {
            return find(id).map(s -> s.target().secret());
        }

        @Override
        public boolean delete(String id) {
            return rows.remove(id) != null;
        }
    };

    public final SubscriptionCache cache = new SubscriptionCache() {
        @Override
        public OptionalLong version() {
            return version == 0 ? OptionalLong.empty() : OptionalLong.of(version);
        }

        @Override
        public List<Subscription> all() {
            return List.copyOf(cached.values());
        }

        @Override
        public void put(Subscription s) {
            cached.put(s.id(), s);
            version++;
        }

        @Override
        public void remove(String id) {
            cached.remove(id);
            version++;
        }

        @Override
        public void replaceAll(List<Subscription> all) {
            cached.clear();
            all.forEach(s -> cached.put(s.id(), s));
            version++;
        }

        @Override
        public String ping() {
            return "PONG";
        }
    };
}
