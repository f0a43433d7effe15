package com.idynic.eventbus.security;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks behind every 403: each names the service, what it asked for and what it lacks.
 *
 * @since 0.3.0
 */
public final class Permissions {
    private Permissions() {}

    /** @throws BusException {@code FORBIDDEN} unless the service has one of the roles */
    public static void requireRole(ServiceAccount s, Role... anyOf) {
        for (Role r : anyOf) {
            if (s.has(r)) {
                return;
            }
        }
        List<String> needed = java.util.Arrays.stream(anyOf).map(Role::id).toList();
        throw forbidden(
                "Service '" + s.name() + "' needs the role " + String.join(" or ", needed),
                Map.of("service", s.name(), "requiredRoles", needed));
    }

    /** @throws BusException {@code FORBIDDEN} when the service may not publish this type or source */
    public static void checkPublish(ServiceAccount s, String eventType, String source) {
        requireRole(s, Role.PUBLISHER);
        if (!s.mayPublish(eventType)) {
            throw forbidden(
                    "Service '" + s.name() + "' may not publish events of type '" + eventType + "'",
                    Map.of("service", s.name(), "field", "eventType", "eventType", eventType));
        }
        if (!s.mayUseSource(source)) {
            throw forbidden(
                    "Service '" + s.name() + "' may not publish with source '" + source + "'",
                    Map.of("service", s.name(), "field", "source", "source", source));
        }
    }

    /** @throws BusException {@code FORBIDDEN} naming the first selector the service may not subscribe to */
    public static void checkSubscribe(ServiceAccount s, List<String> selectors) {
        requireRole(s, Role.SUBSCRIBER);
        for (String sel : selectors) {
            if (!s.maySubscribe(sel)) {
                throw forbidden(
                        "Service '" + s.name() + "' may not subscribe to '" + sel + "'",
                        Map.of("service", s.name(), "field", "eventTypes", "eventType", sel));
            }
        }
    }

    /**
     * For reading a subscription and its dead letters, and pausing or resuming it.
     *
     * @throws BusException {@code FORBIDDEN} unless the service owns the subscription or is an operator
     */
    public static void checkReader(ServiceAccount s, String subscriptionId, String owner) {
        if (s.has(Role.OPERATOR) || s.name().equals(owner)) {
            return;
        }
        throw forbidden(
                "Service '" + s.name() + "' does not own subscription '" + subscriptionId + "'",
                Map.of("service", s.name(), "subscriptionId", subscriptionId));
    }

    /**
     * For consuming (pull, ack, nack), changing or deleting a subscription: operators may not act as its
     * owner.
     *
     * @throws BusException {@code FORBIDDEN} unless the service owns the subscription or is an admin
     */
    public static void checkOwner(ServiceAccount s, String subscriptionId, String owner) {
        if (s.has(Role.ADMIN) || s.name().equals(owner)) {
            return;
        }
        throw forbidden(
                "Service '" + s.name() + "' does not own subscription '" + subscriptionId + "'",
                Map.of("service", s.name(), "subscriptionId", subscriptionId));
    }

    static BusException forbidden(String message, Map<String, Object> details) {
        return new BusException(ErrorCode.FORBIDDEN, message, new LinkedHashMap<>(details));
    }
}
