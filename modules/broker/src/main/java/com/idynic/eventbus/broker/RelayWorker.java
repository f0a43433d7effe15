package com.idynic.eventbus.broker;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay's thread body: relays while there is work, sleeps until woken by a commit or the poll
 * interval passes (the poll recovers rows written by other servers, co-deployed apps or before a crash),
 * and backs off exponentially while the sink or the database fails. After every pass, relayed or failed, it
 * reports progress, so its supervisor tells a relay that is stuck in a pass from one that waits or retries.
 *
 * @since 0.1.0
 */
public final class RelayWorker implements Runnable {
    private static final Logger LOG = Logger.getLogger(RelayWorker.class.getName());
    private static final Backoff BACKOFF = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final OutboxRelay relay;
    private final Signal wake;
    private final Duration pollInterval;
    private final Runnable progressed;
    private volatile boolean running = true;
    /** Events seen waiting at the last look (-1 before the first): read by liveness, never by a query. */
    private volatile long backlogSeen = -1;

    /**
     * @param relay the relay
     * @param wake raised after each commit
     * @param pollInterval idle poll period
     * @param progressed told after every pass, e.g. {@link SupervisedLoop#progressed()}
     * @since 0.6.0
     */
    public RelayWorker(OutboxRelay relay, Signal wake, Duration pollInterval, Runnable progressed) {
        this.relay = relay;
        this.wake = wake;
        this.pollInterval = pollInterval;
        this.progressed = progressed;
    }

    @Override
    public void run() {
        Duration backoff = BACKOFF.initial();
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                int n = relay.relayBatch();
                progressed.run();
                if (n > 0) {
                    backlogSeen = Math.max(backlogSeen, 1);
                    backoff = BACKOFF.initial();
                    continue;
                }
                backlogSeen = relay.backlog();
                if (relay.lastClaimed() > 0) {
                    // rows were claimed and none left the outbox: the sink fails (Kafka away), back off
                    Thread.sleep(backoff.toMillis());
                    backoff = BACKOFF.next(backoff);
                } else {
                    // nothing in this server's lanes: rows in other servers' lanes are theirs to relay; a publish
                    // on this server wakes it, rows written elsewhere are found by the poll
                    backoff = BACKOFF.initial();
                    wake.await(pollInterval);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "relay pass failed, retrying in " + backoff.toMillis() + " ms: " + e);
                progressed.run();
                sleepQuietly(backoff);
                backoff = BACKOFF.next(backoff);
            }
        }
    }

    /**
     * @return the outbox backlog the relay saw at its last look, empty before the first; from memory, so a
     *     liveness probe never waits for PostgreSQL
     * @since 0.6.0
     */
    public java.util.OptionalLong backlogSeen() {
        long b = backlogSeen;
        return b < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(b);
    }

    /** Asks the loop to end after the current pass. */
    public void stop() {
        running = false;
        wake.raise();
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
