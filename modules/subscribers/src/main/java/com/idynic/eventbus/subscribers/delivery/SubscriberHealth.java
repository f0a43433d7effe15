package com.idynic.eventbus.subscribers.delivery;

import com.idynic.eventbus.broker.AttemptResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Health of one push subscriber on this server: success and failure counts, latency, and a circuit
 * breaker. After {@code failureThreshold} failures in a row the circuit opens (no calls); when the open
 * period ends one probe is let through; its success closes the circuit, its failure reopens it for twice
 * as long (up to {@code maxOpen}). A subscriber failing without a success for {@code disableAfter}
 * should be disabled.
 *
 * @since 0.2.0
 */
public final class SubscriberHealth {
    /** What the delivery loop may do now. */
    public enum Gate {
        /** deliver normally */
        OPEN_FLOW,
        /** send exactly one probe */
        PROBE,
        /** send nothing */
        BLOCKED
    }

    /**
     * A point-in-time view.
     *
     * @param circuit {@code closed}, {@code open} or {@code half-open}
     * @param successes successful attempts since start
     * @param failures failed attempts since start
     * @param consecutiveFailures failures since the last success
     * @param averageLatencyMs exponentially weighted mean attempt duration
     * @param failingSince when the current failure streak began, or null
     * @param lastError the last failure, or null
     */
    public record Snapshot(
            String circuit,
            long successes,
            long failures,
            int consecutiveFailures,
            double averageLatencyMs,
            Instant failingSince,
            String lastError) {}

    private final Clock clock;
    private final int failureThreshold;
    private final Duration minOpen;
    private final Duration maxOpen;
    private final Duration disableAfter;

    private long successes;
    private long failures;
    private int consecutiveFailures;
    private double latencyMs;
    private Instant failingSince;
    private String lastError;
    private String circuit = "closed";
    private Instant openUntil = Instant.MIN;
    private Duration openFor;
    private boolean probing;

    public SubscriberHealth(
            Clock clock, int failureThreshold, Duration minOpen, Duration maxOpen, Duration disableAfter) {
        this.clock = clock;
        this.failureThreshold = failureThreshold;
        this.minOpen = minOpen;
        this.maxOpen = maxOpen;
        this.disableAfter = disableAfter;
        this.openFor = minOpen;
    }

    /** @return whether and how much the loop may deliver now */
    public synchronized Gate gate() {
        switch (circuit) {
            case "closed":
                return Gate.OPEN_FLOW;
            case "open":
                if (clock.instant().isBefore(openUntil)) {
                    return Gate.BLOCKED;
                }
                circuit = "half-open";
                probing = false;
                return gate();
            default:
                if (probing) {
                    return Gate.BLOCKED;
                }
                probing = true;
                return Gate.PROBE;
        }
    }

    /**
     * Hands back a probe that was not sent (nothing was due, or no rate token), so that a later pass may
     * send it; without this the circuit would stay half-open and send nothing until it is reset.
     */
    public synchronized void probeUnused() {
        if ("half-open".equals(circuit)) {
            probing = false;
        }
    }

    /** Records an attempt's outcome. */
    public synchronized void record(AttemptResult r) {
        latencyMs = successes + failures == 0
                ? r.duration().toMillis()
                : 0.8 * latencyMs + 0.2 * r.duration().toMillis();
        if (r.outcome() == AttemptResult.Outcome.SUCCESS) {
            successes++;
            consecutiveFailures = 0;
            failingSince = null;
            circuit = "closed";
            openFor = minOpen;
            probing = false;
            return;
        }
        failures++;
        consecutiveFailures++;
        lastError = r.httpStatus() != null ? "HTTP " + r.httpStatus() : r.error();
        if (failingSince == null) {
            failingSince = r.startedAt();
        }
        if ("half-open".equals(circuit)) {
            openFor = openFor.multipliedBy(2).compareTo(maxOpen) > 0 ? maxOpen : openFor.multipliedBy(2);
            open();
        } else if (consecutiveFailures >= failureThreshold && "closed".equals(circuit)) {
            open();
        }
    }

    private void open() {
        circuit = "open";
        probing = false;
        openUntil = clock.instant().plus(openFor);
    }

    /** @return whether the subscriber has failed without a success for longer than the disable period */
    public synchronized boolean shouldDisable() {
        return failingSince != null
                && Duration.between(failingSince, clock.instant()).compareTo(disableAfter) >= 0;
    }

    /** @return the current view */
    public synchronized Snapshot snapshot() {
        return new Snapshot(circuit, successes, failures, consecutiveFailures, latencyMs, failingSince, lastError);
    }
}
