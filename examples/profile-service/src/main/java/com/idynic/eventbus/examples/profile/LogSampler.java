package com.idynic.eventbus.examples.profile;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Lets one log line through per interval and counts the ones it held back meanwhile. */
final class LogSampler {
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextAt;
    private final AtomicLong held = new AtomicLong();

    LogSampler(long intervalNanos) {
        this(intervalNanos, System::nanoTime);
    }

    LogSampler(long intervalNanos, LongSupplier nanoTime) {
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
        this.nextAt = new AtomicLong(nanoTime.getAsLong());
    }

    /**
     * @return -1 to hold this line back (counted); otherwise log it, with this many lines held back since the
     *     last one
     */
    long quietSince() {
        long now = nanoTime.getAsLong();
        long at = nextAt.get();
        if (now - at >= 0 && nextAt.compareAndSet(at, now + intervalNanos)) {
            return held.getAndSet(0);
        }
        held.incrementAndGet();
        return -1;
    }
}
