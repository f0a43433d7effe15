package com.idynic.eventbus.subscribers.spi;

import com.idynic.eventbus.subscribers.Subscription;
import java.util.List;
import java.util.OptionalLong;

/**
 * A shared cache of all subscriptions (Redis) that every server polls cheaply through a version counter.
 * Every method may throw when the cache is unreachable; the registry then falls back to the store.
 *
 * @since 0.2.0
 */
public interface SubscriptionCache {
    /** @return the version counter, or empty when the cache holds nothing (new or restarted cache) */
    OptionalLong version();

    /** @return every cached subscription */
    List<Subscription> all();

    /** Stores or replaces one subscription and bumps the version. */
    void put(Subscription s);

    /** Removes one subscription and bumps the version. */
    void remove(String id);

    /** Replaces the whole cache (resync from the store) and bumps the version. */
    void replaceAll(List<Subscription> all);

    /** @return a short description of the cache's state for health checks; throws when unreachable */
    String ping();
}
