package com.idynic.eventbus.admin;

import java.time.Duration;
import java.time.Instant;

/**
 * An alert rule and where its evaluation stands. It fires when its condition has held for {@code holdFor}, and
 * resolves when it no longer holds; a rule without a value (no attempts in the window, a deleted subscription)
 * does not hold. A disabled rule never holds.
 *
 * @param id e.g. {@code dead-letter-queue-size} for a default rule or {@code alr-3f9c1b2a7d4e} for one created
 * @param name what the operator calls it, e.g. {@code Dead-letter queue}
 * @param metric what it watches
 * @param operator how the value compares with the threshold
 * @param threshold in the metric's unit, e.g. {@code 99.9} (percent) or {@code 500} (milliseconds)
 * @param subscription the subscription watched, or null for the whole bus
 * @param holdFor how long the condition must hold before the rule fires, e.g. 1 minute; zero fires at once
 * @param enabled whether the rule is evaluated
 * @param notifyUrl where firing and resolved notifications are POSTed, signed, or null for none
 * @param state the bus's: where evaluation stands
 * @param stateSince when the rule entered {@code state}
 * @param createdAt when it was created
 * @param updatedAt when it was last changed by an operator
 * @since 0.19.0
 */
public record AlertRule(
        String id,
        String name,
        AlertMetric metric,
        Comparison operator,
        double threshold,
        String subscription,
        Duration holdFor,
        boolean enabled,
        String notifyUrl,
        State state,
        Instant stateSince,
        Instant createdAt,
        Instant updatedAt) {

    /** Where a rule's evaluation stands. */
    public enum State {
        /** Its condition does not hold. */
        OK,
        /** Its condition holds, for less than {@code holdFor} so far. */
        PENDING,
        /** Its condition has held for {@code holdFor}: an active alert. */
        FIRING
    }

    /** How a value compares with a threshold. */
    public enum Comparison {
        /** Fires while the value is above the threshold. */
        ABOVE(">"),
        /** Fires while the value is below the threshold. */
        BELOW("<");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        /** @return {@code >} or {@code <} */
        public String symbol() {
            return symbol;
        }

        /** @return the comparison written {@code symbol}, or null */
        public static Comparison of(String symbol) {
            return ">".equals(symbol) ? ABOVE : "<".equals(symbol) ? BELOW : null;
        }

        /** @return whether {@code value} compares so with {@code threshold} */
        public boolean holds(double value, double threshold) {
            return this == ABOVE ? value > threshold : value < threshold;
        }
    }

    /** @return the rule with the state changed */
    public AlertRule withState(State next, Instant since) {
        return new AlertRule(
                id,
                name,
                metric,
                operator,
                threshold,
                subscription,
                holdFor,
                enabled,
                notifyUrl,
                next,
                since,
                createdAt,
                updatedAt);
    }

    /** @return the condition in words, e.g. {@code dead_letter_queue_size of subscription billing > 100} */
    public String condition() {
        return metric.id() + (subscription == null ? "" : " of subscription " + subscription) + " " + operator.symbol()
                + " " + number(threshold) + metric.unit();
    }

    /** @return a value as the messages show it: whole numbers without a fraction, others with up to three digits */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return Math.abs(v) < 1e12 ? String.valueOf(Math.round(v * 1000) / 1000.0) : String.valueOf(v);
    }
}
