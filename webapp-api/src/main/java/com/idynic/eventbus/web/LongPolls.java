package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** Caps the long polls one service holds at once: each keeps a request thread for up to 30 s. */
final class LongPolls {
    private static final Slot NO_SLOT = () -> {};

    private final int maxPerService;
    private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();

    /** @param maxPerService long polls one service may hold at the same time, at least 1 */
    LongPolls(int maxPerService) {
        if (maxPerService < 1) {
            throw new IllegalArgumentException("eventbus.pull.max-long-polls-per-service must be at least 1");
        }
        this.maxPerService = maxPerService;
    }

    /**
     * Takes one of the service's slots for a pull that waits; a pull that does not wait takes none.
     *
     * @param waitMillis how long the pull may wait for events
     * @return the slot, to close when the pull returns
     * @throws BusException {@code RATE_LIMITED} (429, {@code Retry-After: 1}) when the service holds all its slots
     */
    Slot enter(String service, long waitMillis) {
        if (waitMillis <= 0) {
            return NO_SLOT;
        }
        Semaphore s = slots.computeIfAbsent(service, k -> new Semaphore(maxPerService));
        if (!s.tryAcquire()) {
            throw new BusException(
                    ErrorCode.RATE_LIMITED,
                    "Service '" + service + "' already has " + maxPerService + " long polls waiting; pull without"
                            + " waitMillis or retry when one returns",
                    Map.of(
                            "limit",
                            maxPerService,
                            "inFlight",
                            maxPerService - s.availablePermits(),
                            "retryAfterSeconds",
                            1));
        }
        return s::release;
    }

    /** A held long-poll slot; closing it gives the slot back. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
