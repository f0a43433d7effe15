package com.idynic.eventbus.subscribers.spi;

import com.idynic.eventbus.subscribers.Subscription;
import java.util.List;
import java.util.Optional;

/**
 * Durable subscription records. A webhook's signing secret is kept apart from the rest (encrypted at
 * rest): {@link #find} and {@link #all} return subscriptions without it, {@link #secretOf} reads it.
 *
 * @since 0.1.0
 */
public interface SubscriptionStore {
    /**
     * Inserts or replaces the subscription with this id. A webhook target without a secret keeps the
     * stored one.
     *
     * @return true when it was new
     * @throws com.idynic.eventbus.api.BusException {@code SERVICE_UNAVAILABLE} when the target carries a
     *     secret and the store has no key to encrypt it with
     */
    boolean upsert(Subscription s);

    /** @return the subscription without its webhook secret, or empty */
    Optional<Subscription> find(String id);

    /** @return every subscription without its webhook secret, ordered by id */
    List<Subscription> all();

    /**
     * @return the webhook signing secret of the subscription, decrypted; empty when there is no such
     *     subscription or it has no secret
     * @throws IllegalStateException when the stored secret cannot be decrypted (its key is not configured,
     *     or it was altered); the message says why and never contains the secret
     * @since 0.4.0
     */
    Optional<String> secretOf(String id);

    /**
     * Removes the subscription and, in the same transaction, cancels its running replay (state {@code
     * cancelled}, error {@link com.idynic.eventbus.subscribers.Replays#SUBSCRIPTION_DELETED}); the replay's
     * record stays, so its progress can still be read.
     *
     * @return true when a subscription was removed
     */
    boolean delete(String id);
}
