package com.idynic.eventbus.console;

import com.idynic.eventbus.admin.Alert;
import com.idynic.eventbus.admin.AlertEvent;
import com.idynic.eventbus.admin.AlertMetric;
import com.idynic.eventbus.admin.AlertRule;
import com.idynic.eventbus.admin.AlertRules;
import com.idynic.eventbus.admin.RuleSpec;
import com.idynic.eventbus.subscribers.Subscription;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Alerts: the firing ones first, then the rules (create, edit, delete) and the history of firings and resolutions,
 * through the service methods of {@code /v1/alerts}. Configuring alerts is an operator's task there, so it is here.
 */
@Named
@ViewScoped
public class AlertsView implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Entries of the history shown. */
    static final int HISTORY = 50;

    @Inject
    BusServices bus;

    @Inject
    Operator operator;

    private String editing;
    private String name;
    private String metric = AlertMetric.DEAD_LETTER_QUEUE_SIZE.id();
    private String comparison = ">";
    private Double threshold;
    private String subscription;
    private Long forSeconds = 60L;
    private boolean enabled = true;
    private String notifyUrl;
    private String shownSecret;
    private String shownSecretRule;

    /** @return the firing rules with their values now */
    public List<Alert> getActive() {
        return bus.alertRules().active();
    }

    /** @return every rule */
    public List<AlertRule> getRules() {
        return bus.alertRules().rules();
    }

    /** @return the newest firings and resolutions */
    public List<AlertEvent> getHistory() {
        return bus.alertRules().history(null, 0, HISTORY);
    }

    /** @return the metrics a rule may watch */
    public List<AlertMetric> getMetrics() {
        return Arrays.asList(AlertMetric.values());
    }

    /** @return the subscriptions a rule may watch */
    public List<String> getSubscriptions() {
        return bus.subscriptions().list(operator.account()).stream()
                .map(Subscription::id)
                .toList();
    }

    /** @return the rule's threshold with its unit, e.g. {@code 99.9 %} */
    public String threshold(AlertRule r) {
        return AlertRule.number(r.threshold()) + " " + r.metric().unit();
    }

    /** @return a value with the metric's unit, or "–" */
    public String value(AlertMetric m, Double v) {
        return v == null ? "–" : AlertRule.number(v) + " " + m.unit();
    }

    /** @return a time for a person, in UTC to the second */
    public String time(Instant t) {
        return t == null
                ? ""
                : t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** Creates a rule, or saves the one being edited. */
    public void save() {
        RuleSpec spec = new RuleSpec(
                blank(name),
                AlertMetric.of(metric),
                AlertRule.Comparison.of(comparison),
                threshold == null ? Double.NaN : threshold,
                blank(subscription),
                Duration.ofSeconds(forSeconds == null ? 0 : forSeconds),
                enabled,
                blank(notifyUrl),
                null);
        String actor = operator.account().name();
        String id = editing;
        AlertRules.Saved saved = Messages.attempt(() -> id == null
                ? bus.alertRules().create(actor, spec)
                : bus.alertRules().replace(actor, id, spec));
        if (saved == null) {
            return;
        }
        shownSecret = saved.secret();
        shownSecretRule = saved.rule().id();
        Messages.info((saved.created() ? "Created " : "Saved ") + saved.rule().id() + ": "
                + saved.rule().condition() + ".");
        clear();
    }

    /** Loads a rule into the form to edit it. */
    public void edit(String id) {
        AlertRule r = Messages.attempt(() -> bus.alertRules().rule(id));
        if (r == null) {
            return;
        }
        editing = r.id();
        name = r.name();
        metric = r.metric().id();
        comparison = r.operator().symbol();
        threshold = r.threshold();
        subscription = r.subscription();
        forSeconds = r.holdFor().toSeconds();
        enabled = r.enabled();
        notifyUrl = r.notifyUrl();
        shownSecret = null;
    }

    /** Leaves editing; the form creates a new rule again. */
    public void clear() {
        editing = null;
        name = null;
        metric = AlertMetric.DEAD_LETTER_QUEUE_SIZE.id();
        comparison = ">";
        threshold = null;
        subscription = null;
        forSeconds = 60L;
        enabled = true;
        notifyUrl = null;
    }

    /** Deletes a rule (its history stays). */
    public void delete(String id) {
        if (Messages.attempt(() -> {
                    bus.alertRules().delete(operator.account().name(), id);
                    return id;
                })
                != null) {
            Messages.info("Deleted " + id + ".");
            if (id.equals(editing)) {
                clear();
            }
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    public String getEditing() {
        return editing;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getMetric() {
        return metric;
    }

    public void setMetric(String metric) {
        this.metric = metric;
    }

    public String getComparison() {
        return comparison;
    }

    public void setComparison(String comparison) {
        this.comparison = comparison;
    }

    public Double getThreshold() {
        return threshold;
    }

    public void setThreshold(Double threshold) {
        this.threshold = threshold;
    }

    public String getSubscription() {
        return subscription;
    }

    public void setSubscription(String subscription) {
        this.subscription = subscription;
    }

    public Long getForSeconds() {
        return forSeconds;
    }

    public void setForSeconds(Long forSeconds) {
        this.forSeconds = forSeconds;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getNotifyUrl() {
        return notifyUrl;
    }

    public void setNotifyUrl(String notifyUrl) {
        this.notifyUrl = notifyUrl;
    }

    /** @return the signing secret of the rule just saved, shown this once, or null */
    public String getShownSecret() {
        return shownSecret;
    }

    /** @return the rule whose secret is shown */
    public String getShownSecretRule() {
        return shownSecretRule;
    }
}
