package com.idynic.eventbus.security;

import java.util.Locale;

/**
 * What a service may do. {@code admin} may do everything; the others are independent.
 *
 * @since 0.3.0
 */
public enum Role {
    /** Publish events of the types its permissions name, with its own {@code source}. */
    PUBLISHER,
    /** Manage its own subscriptions (to the types its permissions name), pull, ack. */
    SUBSCRIBER,
    /** Read everything; redrive dead letters, start replays, pause and resume subscriptions. */
    OPERATOR,
    /** Keys, services and permissions, schemas, retention; and everything above. */
    ADMIN,
    /**
     * Reads the clear values of fields a schema marks {@code "x-sensitive": true} in the console, operator reads and
     * exports (others see them masked); given with {@code operator}. {@code admin} holds it too.
     *
     * @since 0.19.0
     */
    SENSITIVE;

    /** @return the name used in tokens and JSON, e.g. {@code publisher} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the role named {@code id}, or null */
    public static Role of(String id) {
        for (Role r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }
}
