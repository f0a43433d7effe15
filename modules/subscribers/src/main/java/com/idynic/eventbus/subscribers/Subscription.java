package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.EventTypes;
import com.idynic.eventbus.broker.RetryPolicy;
import java.util.List;
import java.util.Map;

/**
 * Who wants which events, and how they receive them.
 *
 * @param id unique name, e.g. {@code profile-service}
 * @param owner the owning service
 * @param eventTypes selectors: {@code user.created}, {@code order.*} or {@code *}
 * @param filter attribute filter on source and data
 * @param target webhook, pull or cdi
 * @param ordering {@code ordered} (one event per ordering key at a time) or {@code unordered}
 * @param retryPolicy backoff and limits for failed deliveries
 * @param startPosition {@code latest}, {@code earliest}, an ISO-8601 time or an event id
 * @param maxConcurrency most deliveries in flight at once (webhooks)
 * @param maxRatePerSecond most deliveries started per second (webhooks), 0 for no limit
 * @param state the {@link SubscriptionState#wire() wire form} of its state: {@code active}, {@code paused} or
 *     {@code disabled}; events are queued in every state but handed out only while {@code active}
 * @param disabledReason why the bus disabled it, or null
 * @param schemaVersions the schema version the subscriber reads, per event type (for breakage reports)
 * @since 0.1.0
 */
public record Subscription(
        String id,
        String owner,
        List<String> eventTypes,
        Filter filter,
        Target target,
        String ordering,
        RetryPolicy retryPolicy,
        String startPosition,
        int maxConcurrency,
        double maxRatePerSecond,
        String state,
        String disabledReason,
        Map<String, Integer> schemaVersions) {

    public Subscription {
        eventTypes = List.copyOf(eventTypes);
        schemaVersions = Map.copyOf(schemaVersions);
    }

    /** A pull subscription with defaults, as the CDI client and tests create it. */
    public static Subscription pull(String id, String owner, List<String> eventTypes) {
        return new Subscription(
                id,
                owner,
                eventTypes,
                Filter.NONE,
                Target.pull(),
                "ordered",
                RetryPolicy.DEFAULT,
                "latest",
                16,
                0,
                SubscriptionState.ACTIVE.wire(),
                null,
                Map.of());
    }

    /**
     * Whether the event is queued for this subscription, in any state: a paused or disabled subscription
     * accumulates its events and receives them, in key order, when it is resumed.
     *
     * @return whether this subscription's selectors and filter select the event
     */
    public boolean wants(EventEnvelope e) {
        return selects(e.eventType()) && filter.matches(e);
    }

    /**
     * @return whether one of its selectors selects the type (its filter is not asked)
     * @since 0.22.0
     */
    public boolean selects(String eventType) {
        for (String sel : eventTypes) {
            if (EventTypes.matches(sel, eventType)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether it is in this state */
    public boolean in(SubscriptionState s) {
        return s.wire().equals(state);
    }

    /** @return a copy in another state */
    public Subscription withState(SubscriptionState newState, String reason) {
        return withState(newState.wire(), reason);
    }

    /** @return a copy in another state, given by its wire form */
    public Subscription withState(String newState, String reason) {
        return new Subscription(
                id,
                owner,
                eventTypes,
                filter,
                target,
                ordering,
                retryPolicy,
                startPosition,
                maxConcurrency,
                maxRatePerSecond,
                newState,
                reason,
                schemaVersions);
    }

    /** @return a copy with another target (e.g. to keep an existing secret) */
    public Subscription withTarget(Target newTarget) {
        return new Subscription(
                id,
                owner,
                eventTypes,
                filter,
                newTarget,
                ordering,
                retryPolicy,
                startPosition,
                maxConcurrency,
                maxRatePerSecond,
                state,
                disabledReason,
                schemaVersions);
    }
}
