package com.idynic.eventbus.admin.spi;

import com.idynic.eventbus.admin.AlertEvent;
import com.idynic.eventbus.admin.AlertRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Alert rules, their evaluation state and their history with its notifications. Notification secrets are stored
 * encrypted; only {@link #secretOf} returns one. Several servers evaluate the same rules: a state change happens
 * once ({@link #transition}), so each firing and resolution is recorded and notified once.
 *
 * @since 0.19.0
 */
public interface AlertStore {
    /** @return every rule, by id */
    List<AlertRule> rules();

    /** @return one rule */
    Optional<AlertRule> rule(String id);

    /**
     * Stores a new rule.
     *
     * @param secret its notification signing secret, or null when it has no notification URL
     * @return false (and nothing stored) when a rule with its id exists
     */
    boolean create(AlertRule rule, String secret);

    /**
     * Replaces a rule's settings (name to notification URL, and {@code updatedAt}); its state stays.
     *
     * @param secret the new signing secret, or null to keep the stored one
     * @return false when the rule does not exist
     */
    boolean replace(AlertRule rule, String secret);

    /** @return false when the rule did not exist; its history stays */
    boolean delete(String id);

    /**
     * Stores the default rules, once in the life of the database: rules deleted since are not brought back.
     *
     * @return whether they were stored now
     */
    boolean seedOnce(List<AlertRule> defaults);

    /** @return a rule's notification signing secret, decrypted; empty when it has none or does not exist */
    Optional<String> secretOf(String ruleId);

    /**
     * A rule's move from one state to another, and the history entry it makes.
     *
     * @param ruleId the rule
     * @param from the state it must be in now
     * @param to the state it moves to
     * @param at when
     * @param event {@code FIRING} or {@code RESOLVED} to record in the history (with a notification to send when
     *     the rule has a URL), or null for a move that makes no entry (to and from {@code PENDING})
     * @param value the metric's value, or null
     * @param message one line for the history
     */
    record Transition(
            String ruleId,
            AlertRule.State from,
            AlertRule.State to,
            Instant at,
            AlertEvent.Kind event,
            Double value,
            String message) {}

    /** @return true when this call moved the rule (it was in {@code from}); false when it was not, e.g. another server moved it */
    boolean transition(Transition t);

    /**
     * @param ruleId only this rule's entries, or null for all
     * @param before only entries with a smaller id, or 0 for the newest
     * @param limit most entries
     * @return entries, newest first
     */
    List<AlertEvent> history(String ruleId, long before, int limit);

    /**
     * Claims notifications due now: pending, due, and the oldest pending one of their rule (so a rule's
     * notifications arrive in order); each claimed one counts an attempt and is not due again for {@code lease}.
     *
     * @return the claimed entries, oldest first
     */
    List<AlertEvent> claimNotifications(Instant now, Duration lease, int max);

    /**
     * Records a notification attempt's outcome.
     *
     * @param status {@code SENT}, {@code FAILED} (given up) or {@code PENDING} (try again at {@code retryAt})
     * @param error why the attempt failed, or null
     * @param retryAt when to try again; only with {@code PENDING}
     */
    void notified(long eventId, AlertEvent.Notification status, String error, Instant retryAt);
}
