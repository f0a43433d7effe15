package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.EventTypes;
import java.util.List;

/**
 * Who wants which events, and how they receive them.
 *
 * @param id unique name, e.g. {@code profile-service}
 * @param owner the owning service
 * @param eventTypes selectors: {@code user.created}, {@code order.*} or {@code *}
 * @param target {@code pull} (SDK and CDI clients fetch and acknowledge)
 * @param ordering {@code ordered} (one event per ordering key at a time) or {@code unordered}
 * @param state {@code active} or {@code paused}
 * @since 0.1.0
 */
public record Subscription(
        String id, String owner, List<String> eventTypes, String target, String ordering, String state) {

    public Subscription {
        eventTypes = List.copyOf(eventTypes);
    }

    /** @return whether this subscription is active and selects {@code eventType} */
    public boolean wants(String eventType) {
        return "active".equals(state) && eventTypes.stream().anyMatch(sel -> EventTypes.matches(sel, eventType));
    }
}
