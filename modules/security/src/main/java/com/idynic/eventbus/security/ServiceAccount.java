package com.idynic.eventbus.security;

import com.idynic.eventbus.api.EventTypes;
import java.util.List;
import java.util.Set;

/**
 * A service known to the bus: its roles, the event types it may publish and subscribe to (exact,
 * {@code prefix.*} or {@code *}), the {@code source} values it may publish with (its own name when
 * empty), its publish rate limit (the bus default when null) and its subscription quota (the default when
 * null).
 *
 * @since 0.3.0
 */
public record ServiceAccount(
        String name,
        Set<Role> roles,
        List<String> publishTypes,
        List<String> subscribeTypes,
        List<String> sources,
        RateLimit rateLimit,
        Integer maxSubscriptions) {

    public ServiceAccount {
        roles = Set.copyOf(roles);
        publishTypes = List.copyOf(publishTypes);
        subscribeTypes = List.copyOf(subscribeTypes);
        sources = List.copyOf(sources);
    }

    /** @return whether it has the role (admin has every role) */
    public boolean has(Role role) {
        return roles.contains(Role.ADMIN) || roles.contains(role);
    }

    /** @return whether it may publish events of the type */
    public boolean mayPublish(String eventType) {
        return roles.contains(Role.ADMIN) || anyMatch(publishTypes, eventType);
    }

    /** @return whether it may subscribe to events of the type selector (every type it can select) */
    public boolean maySubscribe(String selector) {
        if (roles.contains(Role.ADMIN)) {
            return true;
        }
        return subscribeTypes.stream().anyMatch(p -> EventTypes.covers(p, selector));
    }

    /** @return whether it may receive events of the type now (role {@code subscriber} and a matching pattern) */
    public boolean mayRead(String eventType) {
        return has(Role.SUBSCRIBER) && (roles.contains(Role.ADMIN) || anyMatch(subscribeTypes, eventType));
    }

    /** @return whether it may receive at least one type the selector ({@code a.b}, {@code a.*}, {@code *}) selects */
    public boolean mayReadSome(String selector) {
        return has(Role.SUBSCRIBER)
                && (roles.contains(Role.ADMIN)
                        || subscribeTypes.stream().anyMatch(p -> EventTypes.overlap(p, selector)));
    }

    /** @return whether it may publish with this {@code source} */
    public boolean mayUseSource(String source) {
        return roles.contains(Role.ADMIN) || name.equals(source) || sources.contains(source) || sources.contains("*");
    }

    private static boolean anyMatch(List<String> patterns, String eventType) {
        return patterns.stream().anyMatch(p -> EventTypes.matches(p, eventType));
    }
}
