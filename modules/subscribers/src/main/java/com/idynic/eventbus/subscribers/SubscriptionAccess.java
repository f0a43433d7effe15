package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.security.Permissions;
import com.idynic.eventbus.security.ServiceAccount;
import java.util.Map;

/** Who may read a subscription and who may act as its owner: the one home of these checks for every service. */
final class SubscriptionAccess {
    private final SubscriptionRegistry registry;

    SubscriptionAccess(SubscriptionRegistry registry) {
        this.registry = registry;
    }

    /**
     * @return the subscription, when the caller owns it or is an operator (reading, pause, resume, dead letters)
     * @throws BusException {@code NOT_FOUND} or {@code FORBIDDEN}
     */
    Subscription readable(ServiceAccount me, String id) {
        Subscription s = registry.find(id).orElseThrow(() -> notFound(id));
        Permissions.checkReader(me, id, s.owner());
        return s;
    }

    /**
     * @return the subscription, when the caller owns it or is an admin (consuming, changing, deleting)
     * @throws BusException {@code NOT_FOUND} or {@code FORBIDDEN}
     */
    Subscription owned(ServiceAccount me, String id) {
        Subscription s = registry.find(id).orElseThrow(() -> notFound(id));
        Permissions.checkOwner(me, id, s.owner());
        return s;
    }

    /** @return the subscription, whoever asks (the caller's role was checked by the caller) */
    Subscription existing(String id) {
        return registry.find(id).orElseThrow(() -> notFound(id));
    }

    static BusException notFound(String id) {
        return new BusException(
                ErrorCode.NOT_FOUND, "No subscription with id '" + id + "'", Map.of("subscriptionId", id));
    }
}
