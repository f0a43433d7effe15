package com.idynic.eventbus.admin;

import com.idynic.eventbus.admin.spi.AlertStore;
import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.spi.AuditLog;
import com.idynic.eventbus.subscribers.AddressGuard;
import com.idynic.eventbus.subscribers.SubscriptionJson;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What operators do with alert rules: list, create, replace, delete (each audited), and read the active alerts and
 * the history. A rule's notification URL passes the {@link AddressGuard} like every address the bus calls; its
 * signing secret is generated unless given, shown only in the answer that sets it, and stored encrypted.
 *
 * @since 0.19.0
 */
public final class AlertRules {
    /** Longest hold time a rule may have. */
    public static final Duration MAX_HOLD = Duration.ofHours(24);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration DEFAULT_HOLD = Duration.ofMinutes(1);

    /**
     * A rule as saved.
     *
     * @param rule the rule
     * @param secret its notification signing secret when it is new (shown this once), else null
     * @param created whether it was created (else replaced)
     */
    public record Saved(AlertRule rule, String secret, boolean created) {}

    private final AlertStore store;
    private final Monitoring monitoring;
    private final RuleCheck check;
    private final AuditLog audit;
    private final Clock clock;

    /**
     * @param subscriptionExists whether a subscription id names a subscription (a rule must watch one that exists)
     * @param audit records every change with its actor
     */
    public AlertRules(
            AlertStore store,
            Monitoring monitoring,
            AddressGuard guard,
            Predicate<String> subscriptionExists,
            AuditLog audit,
            Clock clock) {
        this.store = store;
        this.monitoring = monitoring;
        this.check = new RuleCheck(guard, subscriptionExists);
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * The rules every bus starts with, on the seed's thresholds: delivery success rate below 99.9 %, processing
     * time (99th percentile) above 500 ms, queue depth above 10,000, dead-letter queue above 100, for the whole
     * bus, each held for a minute, without notification. Stored once ({@link #seedDefaults}); all editable.
     */
    public static List<AlertRule> defaults(Instant now) {
        return List.of(
                builtIn(
                        "delivery-success-rate",
                        "Delivery success rate",
                        AlertMetric.DELIVERY_SUCCESS_RATE,
                        "<",
                        99.9,
                        now),
                builtIn("processing-time", "Processing time (p99)", AlertMetric.PROCESSING_TIME_P99, ">", 500, now),
                builtIn("queue-depth", "Queue depth", AlertMetric.QUEUE_DEPTH, ">", 10_000, now),
                builtIn(
                        "dead-letter-queue-size",
                        "Dead-letter queue size",
                        AlertMetric.DEAD_LETTER_QUEUE_SIZE,
                        ">",
                        100,
                        now));
    }

    private static AlertRule builtIn(String id, String name, AlertMetric m, String op, double threshold, Instant now) {
        return new AlertRule(
                id,
                name,
                m,
                AlertRule.Comparison.of(op),
                threshold,
                null,
                DEFAULT_HOLD,
                true,
                null,
                AlertRule.State.OK,
                now,
                now,
                now);
    }

    /** Stores the default rules unless they were stored before (deleted ones stay deleted). */
    public boolean seedDefaults() {
        return store.seedOnce(defaults(clock.instant()));
    }

    /** @return every rule, by id */
    public List<AlertRule> rules() {
        return store.rules();
    }

    /** @throws BusException {@code NOT_FOUND} */
    public AlertRule rule(String id) {
        return store.rule(id).orElseThrow(() -> notFound(id));
    }

    /** Creates a rule with a new id ({@code alr-} and 12 hex digits). */
    public Saved create(String actor, RuleSpec spec) {
        check.check(spec);
        Instant now = clock.instant();
        String secret = spec.notifyUrl() == null ? null : secretOf(spec);
        AlertRule rule;
        do {
            rule = rule("alr-" + HexFormat.of().formatHex(randomBytes(6)), spec, AlertRule.State.OK, now, now, now);
        } while (!store.create(rule, secret));
        audit.audit(actor, "alert-rule-create", rule.subscription(), rule.id() + ": " + rule.condition());
        return new Saved(rule, secret, true);
    }

    /**
     * Replaces a rule's settings; its state stays, so a firing rule whose new condition no longer holds resolves
     * at the next evaluation. The signing secret stays unless one is given, or generated when the rule had none.
     */
    public Saved replace(String actor, String id, RuleSpec spec) {
        check.check(spec);
        AlertRule before = rule(id);
        String secret = spec.notifyUrl() == null
                ? null
                : spec.secret() != null || before.notifyUrl() == null ? secretOf(spec) : null;
        AlertRule rule = rule(id, spec, before.state(), before.stateSince(), before.createdAt(), clock.instant());
        if (!store.replace(rule, secret)) {
            throw notFound(id);
        }
        audit.audit(actor, "alert-rule-replace", rule.subscription(), rule.id() + ": " + rule.condition());
        return new Saved(rule, secret, false);
    }

    /** Deletes a rule; its history stays. */
    public void delete(String actor, String id) {
        AlertRule before = rule(id);
        if (!store.delete(id)) {
            throw notFound(id);
        }
        audit.audit(actor, "alert-rule-delete", before.subscription(), id + ": " + before.condition());
    }

    /** @return the firing rules with their metric's value now (null while the figures cannot be read) */
    public List<Alert> active() {
        List<Alert> out = new ArrayList<>();
        Overview now = null;
        try {
            now = monitoring.overview();
        } catch (RuntimeException figuresUnavailable) {
            // the alerts are still worth showing; their values are not known
        }
        for (AlertRule r : store.rules()) {
            if (r.state() == AlertRule.State.FIRING) {
                out.add(new Alert(
                        r, r.stateSince(), now == null ? null : r.metric().valueIn(now, r.subscription())));
            }
        }
        return out;
    }

    /**
     * @param ruleId one rule's entries, or null for all
     * @param before entries older than this id, or 0 for the newest
     * @param limit 1 to 500
     * @return entries, newest first
     */
    public List<AlertEvent> history(String ruleId, long before, int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidFieldException("limit", "must be between 1 and 500");
        }
        if (before < 0) {
            throw new InvalidFieldException("before", "must not be negative");
        }
        return store.history(ruleId, before, limit);
    }

    private static AlertRule rule(
            String id, RuleSpec s, AlertRule.State state, Instant stateSince, Instant createdAt, Instant updatedAt) {
        return new AlertRule(
                id,
                s.name(),
                s.metric(),
                s.operator(),
                s.threshold(),
                s.subscription(),
                s.holdFor(),
                s.enabled(),
                s.notifyUrl(),
                state,
                stateSince,
                createdAt,
                updatedAt);
    }

    private static String secretOf(RuleSpec spec) {
        return spec.secret() != null ? spec.secret() : SubscriptionJson.newSecret();
    }

    private static BusException notFound(String id) {
        return new BusException(ErrorCode.NOT_FOUND, "No alert rule '" + id + "'", Map.of("ruleId", id));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
