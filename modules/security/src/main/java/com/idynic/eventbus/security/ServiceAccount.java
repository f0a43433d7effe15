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
        return subscribeTypes.stream().anyMatch(p -> covers(p, selector));
    }

    /** @return whether it may publish with this {@code source} */
    public boolean mayUseSource(String source) {
        return roles.contains(Role.ADMIN) || name.equals(source) || sources.contains(source) || sources.contains("*");
    }

    private static boolean anyMatch(List<String> patterns, String eventType) {
        return patterns.stream().anyMatch(p -> EventTypes.matches(p, eventType));
    }

    /** Whether every type {@code selector} selects is also selected by {@code granted}. */
    static boolean covers(String granted, String selector) {
        if ("*".equals(granted)) {
            return true;
        }
        if ("*".equals(selector)) {
            return false;
        }
        if (selector.endsWith(".*")) {
            return granted.endsWith(".*") && selector.startsWith(granted.substring(0, granted.length() - 1));
        }
        return EventTypes.matches(granted, selector);
    }
}
