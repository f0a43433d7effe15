package com.idynic.eventbus.admin;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.api.Timestamps;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON form of alert rules, active alerts and history entries (REST API). Reading names the first invalid
 * field; unknown fields are refused, so a misspelt one cannot be silently dropped.
 *
 * @since 0.19.0
 */
public final class AlertJson {
    private static final Set<String> RULE_FIELDS =
            Set.of("name", "metric", "operator", "threshold", "subscription", "forSeconds", "enabled", "notify");
    private static final Set<String> NOTIFY_FIELDS = Set.of("url", "secret");

    private AlertJson() {}

    /**
     * Reads a rule: {@code {"name":"DLQ of billing","metric":"dead_letter_queue_size","operator":">",
     * "threshold":100,"subscription":"billing","forSeconds":60,"enabled":true,"notify":{"url":"https://..."}}};
     * {@code subscription}, {@code forSeconds} (0), {@code enabled} (true) and {@code notify} are optional.
     *
     * @throws InvalidFieldException naming the first invalid field
     */
    public static RuleSpec read(JsonObject o) {
        known(o, RULE_FIELDS, "");
        String metricId = string(o, "metric", "metric");
        AlertMetric metric = metricId == null ? null : AlertMetric.of(metricId);
        if (metricId != null && metric == null) {
            throw new InvalidFieldException("metric", "must be one of " + RuleCheck.metricIds());
        }
        String op = string(o, "operator", "operator");
        AlertRule.Comparison operator = op == null ? null : AlertRule.Comparison.of(op);
        if (op != null && operator == null) {
            throw new InvalidFieldException("operator", "must be \">\" or \"<\"");
        }
        JsonValue t = o.get("threshold");
        if (!(t instanceof JsonNumber n)) {
            throw new InvalidFieldException("threshold", "is required: a number");
        }
        JsonValue hold = o.get("forSeconds");
        long forSeconds = 0;
        if (hold != null && hold.getValueType() != JsonValue.ValueType.NULL) {
            if (!(hold instanceof JsonNumber h) || !h.isIntegral()) {
                throw new InvalidFieldException("forSeconds", "must be a whole number of seconds");
            }
            if (h.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(AlertRules.MAX_HOLD.toSeconds())) > 0
                    || h.bigDecimalValue().signum() < 0) {
                throw new InvalidFieldException(
                        "forSeconds", "must be between 0 and " + AlertRules.MAX_HOLD.toSeconds());
            }
            forSeconds = h.longValue();
        }
        JsonValue enabled = o.get("enabled");
        if (enabled != null && enabled != JsonValue.TRUE && enabled != JsonValue.FALSE) {
            throw new InvalidFieldException("enabled", "must be true or false");
        }
        String url = null;
        String secret = null;
        JsonValue notify = o.get("notify");
        if (notify != null && notify.getValueType() != JsonValue.ValueType.NULL) {
            if (notify.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new InvalidFieldException("notify", "must be an object: {\"url\":\"https://...\"}");
            }
            JsonObject n2 = notify.asJsonObject();
            known(n2, NOTIFY_FIELDS, "notify.");
            url = string(n2, "url", "notify.url");
            if (url == null) {
                throw new InvalidFieldException("notify.url", "is required with notify");
            }
            secret = string(n2, "secret", "notify.secret");
        }
        return new RuleSpec(
                string(o, "name", "name"),
                metric,
                operator,
                n.doubleValue(),
                string(o, "subscription", "subscription"),
                Duration.ofSeconds(forSeconds),
                enabled != JsonValue.FALSE,
                url,
                secret);
    }

    /**
     * @param secret the signing secret to show (only in the answer that sets it), or null
     * @return the rule, with its state
     */
    public static JsonObject write(AlertRule r, String secret) {
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("id", r.id())
                .add("name", r.name())
                .add("metric", r.metric().id())
                .add("operator", r.operator().symbol())
                .add("threshold", r.threshold())
                .add("unit", r.metric().unit())
                .add("forSeconds", r.holdFor().toSeconds())
                .add("enabled", r.enabled())
                .add("condition", r.condition())
                .add("state", r.state().name().toLowerCase(Locale.ROOT))
                .add("stateSince", Timestamps.format(r.stateSince()))
                .add("createdAt", Timestamps.format(r.createdAt()))
                .add("updatedAt", Timestamps.format(r.updatedAt()));
        if (r.subscription() != null) {
            b.add("subscription", r.subscription());
        }
        if (r.notifyUrl() != null) {
            JsonObjectBuilder n = CachedJson.createObjectBuilder().add("url", r.notifyUrl());
            if (secret != null) {
                n.add("secret", secret);
            }
            b.add("notify", n);
        }
        return b.build();
    }

    /** @return an active alert: its rule's id, name and condition, since when, and the value now */
    public static JsonObject write(Alert a) {
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("ruleId", a.rule().id())
                .add("name", a.rule().name())
                .add("metric", a.rule().metric().id())
                .add("condition", a.rule().condition())
                .add("since", Timestamps.format(a.since()));
        if (a.rule().subscription() != null) {
            b.add("subscription", a.rule().subscription());
        }
        if (a.value() != null) {
            b.add("value", a.value());
        }
        return b.build();
    }

    /** @return a history entry */
    public static JsonObject write(AlertEvent e) {
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("id", e.id())
                .add("ruleId", e.ruleId())
                .add("name", e.ruleName())
                .add("condition", e.condition())
                .add("kind", e.kind().name().toLowerCase(Locale.ROOT))
                .add("at", Timestamps.format(e.at()))
                .add("message", e.message())
                .add("notification", e.notification().name().toLowerCase(Locale.ROOT))
                .add("notifyAttempts", e.notifyAttempts());
        if (e.subscription() != null) {
            b.add("subscription", e.subscription());
        }
        if (e.value() != null) {
            b.add("value", e.value());
        }
        if (e.notifyError() != null) {
            b.add("notifyError", e.notifyError());
        }
        return b.build();
    }

    private static void known(JsonObject o, Set<String> fields, String prefix) {
        for (String k : o.keySet()) {
            if (!fields.contains(k)) {
                throw new InvalidFieldException(
                        prefix + (k.length() > 60 ? k.substring(0, 60) + "…" : k), "is not a field of an alert rule");
            }
        }
    }

    private static String string(JsonObject o, String field, String path) {
        JsonValue v = o.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw new InvalidFieldException(path, "must be a string");
        }
        if (s.getString().length() > 2000) {
            throw new InvalidFieldException(path, "must be at most 2000 characters");
        }
        return s.getString();
    }
}
