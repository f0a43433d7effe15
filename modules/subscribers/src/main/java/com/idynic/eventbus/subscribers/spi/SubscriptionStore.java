package com.idynic.eventbus.subscribers.spi;

import com.idynic.eventbus.subscribers.Subscription;
import java.util.List;
import java.util.Optional;

/**
 * Durable subscription records.
 *
 * @since 0.1.0
 */
public interface SubscriptionStore {
    /** Inserts or replaces the subscription with this id. @return true when it was new */
    boolean upsert(Subscription s);

    /** @return the subscription, or empty */
    Optional<Subscription> find(String id);

    /** @return every subscription, ordered by id */
    List<Subscription> all();

    /** @return true when a subscription was removed */
    boolean delete(String id);
}
