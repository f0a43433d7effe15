package com.idynic.eventbus.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What one webhook subscription received: first arrival per event id, duplicates, the last arrival. */
final class Sink {
    private final String name;
    private final Map<String, Long> firstArrival = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong lastArrival = new AtomicLong();

    Sink(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    void arrived(String id, long nanoTime) {
        calls.incrementAndGet();
        firstArrival.putIfAbsent(id, nanoTime);
        lastArrival.accumulateAndGet(nanoTime, Math::max);
    }

    /** @return distinct events received */
    long unique() {
        return firstArrival.size();
    }

    /** @return calls received, redeliveries included */
    long calls() {
        return calls.get();
    }

    /** @return {@link System#nanoTime()} of the first arrival of this event, or null */
    Long arrival(String id) {
        return firstArrival.get(id);
    }

    long lastArrival() {
        return lastArrival.get();
    }
}
