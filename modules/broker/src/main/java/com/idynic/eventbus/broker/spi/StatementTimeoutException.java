package com.idynic.eventbus.broker.spi;

import java.time.Duration;

/**
 * The database cancelled a statement that ran longer than the limit it was given: the store is healthy,
 * the work was too big for one statement (or waited on a lock). Nothing that statement did was kept.
 *
 * @since 0.4.0
 */
public class StatementTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    /**
     * @param timeout the limit the statement ran into
     * @param cause the driver's failure
     */
    public StatementTimeoutException(Duration timeout, Throwable cause) {
        super("statement timeout after " + seconds(timeout), cause);
        this.timeout = timeout;
    }

    /** @return the limit the statement ran into */
    public Duration timeout() {
        return timeout;
    }

    /** @return e.g. {@code 20 s}, or {@code 500 ms} below a second or for fractions */
    public static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
