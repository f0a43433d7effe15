package com.idynic.eventbus.admin;

import java.time.Instant;

/**
 * One entry of the alert history: a rule fired or resolved, with the rule as it was then and its notification.
 *
 * @param id increasing with time
 * @param ruleId the rule (it may have been deleted since)
 * @param ruleName its name then
 * @param condition its condition then, e.g. {@code dead_letter_queue_size of subscription billing > 100}
 * @param subscription the subscription it watched, or null
 * @param kind fired or resolved
 * @param at when
 * @param value the metric's value then, or null when it had none (e.g. no attempts in the window)
 * @param message one line saying what happened, e.g. {@code dead_letter_queue_size of subscription billing is 130
 *     (> 100)}
 * @param notification what became of the webhook notification
 * @param notifyAttempts calls made for it
 * @param notifyError the last call's failure, or null
 * @since 0.19.0
 */
public record AlertEvent(
        long id,
        String ruleId,
        String ruleName,
        String condition,
        String subscription,
        Kind kind,
        Instant at,
        Double value,
        String message,
        Notification notification,
        int notifyAttempts,
        String notifyError) {

    /** What happened to the rule. */
    public enum Kind {
        /** Its condition held for its hold time. */
        FIRING,
        /** Its condition stopped holding. */
        RESOLVED
    }

    /** What became of the notification. */
    public enum Notification {
        /** The rule has no notification URL. */
        NONE,
        /** Not delivered yet; retried. */
        PENDING,
        /** The receiver answered 2xx. */
        SENT,
        /** Given up after the last attempt (or the rule was deleted meanwhile). */
        FAILED
    }
}
