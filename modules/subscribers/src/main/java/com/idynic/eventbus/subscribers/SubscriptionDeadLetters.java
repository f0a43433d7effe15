package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.broker.DeadLetters;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import java.util.Collection;

/**
 * A subscription's dead-letter queue as a caller may see and act on it: its owner and operators only (the
 * roles that may redrive or discard are the caller's binding to check), and an event shown only when the
 * caller is an operator or the owner may still read its type. The queue's own rules are {@link DeadLetters}.
 *
 * @since 0.8.0
 */
public final class SubscriptionDeadLetters {
    private final SubscriptionRegistry registry;
    private final SubscriptionAccess access;
    private final DeadLetters deadLetters;

    public SubscriptionDeadLetters(SubscriptionRegistry registry, DeadLetters deadLetters) {
        this.registry = registry;
        this.access = new SubscriptionAccess(registry);
        this.deadLetters = deadLetters;
    }

    /**
     * @see DeadLetters#list
     * @throws BusException {@code NOT_FOUND}, {@code FORBIDDEN} or {@code VALIDATION_ERROR} naming {@code limit}
     */
    public DeadLetters.Page list(
            ServiceAccount me, String id, String eventType, String errorContains, long after, int limit) {
        access.readable(me, id);
        return deadLetters.list(id, eventType, errorContains, after, limit);
    }

    /**
     * The event's sensitive values are shown in clear to the subscription's owner (it receives them in every
     * delivery) and to a caller with the role {@code sensitive}, masked to others ({@link
     * com.idynic.eventbus.broker.Masking}).
     *
     * @see DeadLetters#inspect
     * @throws BusException {@code NOT_FOUND} (subscription or dead letter) or {@code FORBIDDEN}
     */
    public DeadLetters.Inspection inspect(ServiceAccount me, String id, String eventId) {
        Subscription s = access.readable(me, id);
        boolean clear = me.has(Role.SENSITIVE) || me.name().equals(s.owner());
        return deadLetters.inspect(id, eventId, type -> me.has(Role.OPERATOR) || registry.mayRead(s, type), clear);
    }

    /**
     * Redrives dead letters, audited with the caller's name.
     *
     * @param eventIds the ids, or null for all
     * @return number redriven
     * @throws BusException {@code NOT_FOUND} or {@code FORBIDDEN}
     */
    public int redrive(ServiceAccount me, String id, Collection<String> eventIds) {
        access.readable(me, id);
        return deadLetters.redrive(id, eventIds, me.name());
    }

    /**
     * Discards dead letters, audited with the caller's name.
     *
     * @param eventIds the ids, or null for all
     * @param reason why, required
     * @return number discarded
     * @throws BusException {@code NOT_FOUND}, {@code FORBIDDEN} or {@code VALIDATION_ERROR} naming {@code reason}
     */
    public int discard(ServiceAccount me, String id, Collection<String> eventIds, String reason) {
        access.readable(me, id);
        return deadLetters.discard(id, eventIds, reason, me.name());
    }
}
