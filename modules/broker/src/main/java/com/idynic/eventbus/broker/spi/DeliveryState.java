package com.idynic.eventbus.broker.spi;

/**
 * Where a delivery row stands. Stored and shown by its name ({@code PENDING}, ...).
 *
 * @since 0.8.0
 */
public enum DeliveryState {
    /** Waiting to be leased, at once or at its retry time. */
    PENDING,
    /** Handed out under a lease; offered again when the lease lapses. */
    LEASED,
    /** Acknowledged by the subscriber. */
    DELIVERED,
    /** In the dead-letter queue (failed for good, or parked behind a dead letter of its key). */
    DEAD,
    /** Dropped: discarded by an operator or withheld from a subscriber that may no longer read it. */
    DISCARDED;

    /**
     * @param stored a stored state, e.g. {@code DEAD}
     * @return the state of that name
     * @throws IllegalArgumentException when the name is no delivery state (null included)
     */
    public static DeliveryState parse(String stored) {
        for (DeliveryState s : values()) {
            if (s.name().equals(stored)) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a delivery state: " + stored);
    }
}
