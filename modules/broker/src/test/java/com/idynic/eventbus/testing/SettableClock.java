package com.idynic.eventbus.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that stands still until a test moves it: the one test clock of the server modules (broker's test-jar,
 * used by subscribers and admin tests too), so that time-dependent rules are tested without waiting.
 */
public final class SettableClock extends Clock {
    private volatile Instant now;

    public SettableClock(Instant start) {
        this.now = start;
    }

    /** @return a clock standing at {@code iso}, e.g. {@code 2026-12-10T12:00:00Z} */
    public static SettableClock at(String iso) {
        return new SettableClock(Instant.parse(iso));
    }

    /** Moves the clock forward by {@code d}. */
    public void advance(Duration d) {
        now = now.plus(d);
    }

    /** Sets the clock to {@code at}. */
    public void set(Instant at) {
        now = at;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
