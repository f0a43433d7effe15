package com.idynic.eventbus.subscribers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The subscriptions a new schema version would break: those that read a pinned version of the event type
 * whose readers the new version breaks. Reported before a schema is registered, so an admin sees whom a
 * change hurts.
 *
 * @since 0.8.0
 */
public final class SchemaReaders {
    private final Supplier<List<Subscription>> subscriptions;

    /** @param subscriptions every subscription (e.g. {@code registry::all}) */
    public SchemaReaders(Supplier<List<Subscription>> subscriptions) {
        this.subscriptions = subscriptions;
    }

    /**
     * A subscription the new version breaks.
     *
     * @param subscriptionId the subscription
     * @param readsVersion the version of the event type's schema it reads
     * @param breaks what the new version breaks for it
     */
    public record Broken(String subscriptionId, int readsVersion, List<String> breaks) {}

    /**
     * @param eventType the type a new schema version is proposed for
     * @param breaksReader what the new version breaks for a reader of the given version (empty for nothing)
     * @return the subscriptions reading a version of {@code eventType} that the new version breaks, in the
     *     subscriptions' order
     */
    public List<Broken> brokenBy(String eventType, IntFunction<List<String>> breaksReader) {
        List<Broken> out = new ArrayList<>();
        for (Subscription sub : subscriptions.get()) {
            Integer reads = sub.schemaVersions().get(eventType);
            if (reads == null) {
                continue;
            }
            List<String> breaks = breaksReader.apply(reads);
            if (!breaks.isEmpty()) {
                out.add(new Broken(sub.id(), reads, List.copyOf(breaks)));
            }
        }
        return out;
    }
}
