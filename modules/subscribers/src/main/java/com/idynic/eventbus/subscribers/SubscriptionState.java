package com.idynic.eventbus.subscribers;

import java.util.Arrays;
import java.util.List;

/**
 * Whether a subscription is handed its events. Events are queued in every state; only an {@link #ACTIVE}
 * subscription receives them. The lowercase {@link #wire()} form is what JSON and the store hold.
 *
 * @since 0.8.0
 */
public enum SubscriptionState {
    /** Receives its events. */
    ACTIVE("active"),
    /** Paused by its owner or by the bus (permissions withdrawn); accumulates until resumed. */
    PAUSED("paused"),
    /** Disabled by the bus after failing too long; accumulates until resumed. */
    DISABLED("disabled");

    private final String wire;

    SubscriptionState(String wire) {
        this.wire = wire;
    }

    /** @return the stored and JSON form, e.g. {@code active} */
    public String wire() {
        return wire;
    }

    /** @return every wire form, sorted */
    public static List<String> wireForms() {
        return Arrays.stream(values()).map(SubscriptionState::wire).sorted().toList();
    }

    /**
     * @param wire a stored or JSON state, e.g. {@code paused}
     * @return the state of that form
     * @throws IllegalArgumentException when it is no subscription state (null and other cases included)
     */
    public static SubscriptionState parse(String wire) {
        for (SubscriptionState s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a subscription state: " + wire);
    }
}
