package com.idynic.eventbus.api;

import java.time.Clock;

/**
 * Where the server's one {@link Clock} comes from: the bus produces it for injection ({@code ClockWiring}), and
 * the co-deployed client library falls back to it when its app has no {@code Clock} bean of its own. Everything
 * else has the clock injected; nothing reads the time from anywhere else.
 */
public final class SystemClock {
    /** The system clock in UTC. */
    public static final Clock UTC = Clock.systemUTC();

    private SystemClock() {}
}
