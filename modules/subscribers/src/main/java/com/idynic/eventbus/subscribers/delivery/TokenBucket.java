package com.idynic.eventbus.subscribers.delivery;

/**
 * A token bucket refilled at {@code ratePerSecond}, holding at most one second's worth (at least one).
 * A rate of 0 means unlimited.
 */
final class TokenBucket {
    private final double rate;
    private final double capacity;
    private double tokens;
    private long last;

    TokenBucket(double ratePerSecond, long nowNanos) {
        this.rate = ratePerSecond;
        this.capacity = Math.max(1, ratePerSecond);
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** @return how many of {@code wanted} may start now (and takes them) */
    synchronized int take(int wanted, long nowNanos) {
        if (rate <= 0) {
            return wanted;
        }
        tokens = Math.min(capacity, tokens + (nowNanos - last) / 1e9 * rate);
        last = nowNanos;
        int n = (int) Math.min(wanted, Math.floor(tokens));
        tokens -= n;
        return n;
    }

    /** Returns tokens taken but not used (a lease handed out fewer events than it was allowed). */
    synchronized void giveBack(int unused) {
        if (rate > 0 && unused > 0) {
            tokens = Math.min(capacity, tokens + unused);
        }
    }
}
