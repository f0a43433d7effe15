package com.idynic.eventbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.admin.AlertRule;
import com.idynic.eventbus.admin.AlertRules;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The monitoring files in {@code ops/}: the Prometheus alert rules are valid YAML on the bus's default thresholds,
 * the Grafana dashboard is valid JSON, and every metric either names is in the README's table of metrics (which
 * {@code MetricsIT} checks against what the running server serves).
 */
class OpsFilesTest {
    static final Path OPS = Path.of("../ops");
    static final Pattern METRIC = Pattern.compile("\\b((?:eventbus|event|queue|dead)_[a-z0-9_]+)");

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> alertRules() throws IOException {
        Map<String, Object> doc = new Yaml().load(Files.readString(OPS.resolve("prometheus/eventbus-alerts.yml")));
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                byName.put((String) rule.get("alert"), rule);
            }
        }
        return byName;
    }

    static JsonObject dashboard() throws IOException {
        try (JsonReader r =
                Json.createReader(new StringReader(Files.readString(OPS.resolve("grafana/eventbus-dashboard.json"))))) {
            return r.readObject();
        }
    }

    /** @return the names in the README's table of metrics, without histogram suffixes */
    static Set<String> documented() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int from = readme.indexOf("<!-- metrics-table -->");
        int to = readme.indexOf("<!-- /metrics-table -->");
        assertTrue(from >= 0 && to > from, "the README has a table of metrics between its markers");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z_:][a-z0-9_:]*)`").matcher(readme.substring(from, to));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** @return {@code v} divided by 10^places, written exactly: 99.9 and 2 give {@code 0.999} */
    static String shifted(double v, int places) {
        return java.math.BigDecimal.valueOf(v)
                .movePointLeft(places)
                .stripTrailingZeros()
                .toPlainString();
    }

    /** @return the metric names a PromQL expression uses (not its label names: matchers and groupings are dropped) */
    static Set<String> named(String expr) {
        String text = expr.replaceAll("\\{[^}]*\\}", "").replaceAll("\\b(by|without)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group(1).replaceAll("_(bucket|count|sum|max)$", ""));
        }
        return names;
    }

    @Test
    void thePrometheusRulesAlertOnTheSeedsFourFiguresAtTheDefaultRulesThresholds() throws IOException {
        Map<String, Map<String, Object>> rules = alertRules();
        Map<String, Double> defaults = new LinkedHashMap<>();
        for (AlertRule r : AlertRules.defaults(Instant.EPOCH)) {
            defaults.put(r.id(), r.threshold());
        }
        assertEquals(
                Map.of(
                        "delivery-success-rate", 99.9,
                        "processing-time", 500.0,
                        "queue-depth", 10_000.0,
                        "dead-letter-queue-size", 100.0),
                defaults);

        assertEquals(
                "max(event_delivery_success_rate{subscription=\"_all\"}) < "
                        + shifted(defaults.get("delivery-success-rate"), 2),
                rules.get("EventDeliverySuccessRateLow").get("expr"));
        assertEquals(
                "histogram_quantile(0.99, sum by (le) (rate(event_processing_time_seconds_bucket[5m]))) > "
                        + shifted(defaults.get("processing-time"), 3),
                rules.get("EventProcessingTimeHigh").get("expr"));
        assertEquals(
                "max(queue_depth{subscription=\"_all\"}) > " + Math.round(defaults.get("queue-depth")),
                rules.get("QueueDepthHigh").get("expr"));
        assertEquals(
                "max(dead_letter_queue_size{subscription=\"_all\"}) > "
                        + Math.round(defaults.get("dead-letter-queue-size")),
                rules.get("DeadLetterQueueLarge").get("expr"));
        for (String seed : List.of(
                "EventDeliverySuccessRateLow", "EventProcessingTimeHigh", "QueueDepthHigh", "DeadLetterQueueLarge")) {
            assertEquals("1m", rules.get(seed).get("for"), seed + " holds as long as the default rule (60 s)");
        }
        assertTrue(AlertRules.defaults(Instant.EPOCH).stream()
                .allMatch(r -> r.holdFor().toSeconds() == 60));
    }

    @Test
    void everyMetricTheRulesAndTheDashboardNameIsInTheReadmesTable() throws IOException {
        Set<String> documented = documented();
        assertTrue(documented.containsAll(Set.of(
                "event_delivery_success_rate",
                "event_processing_time_seconds",
                "queue_depth",
                "dead_letter_queue_size")));
        Set<String> named = new TreeSet<>();
        alertRules().values().forEach(r -> named.addAll(named(String.valueOf(r.get("expr")))));
        JsonObject d = dashboard();
        assertFalse(d.getJsonArray("panels").isEmpty());
        for (JsonValue p : d.getJsonArray("panels")) {
            for (JsonValue t : p.asJsonObject().getJsonArray("targets")) {
                named.addAll(named(t.asJsonObject().getString("expr")));
            }
        }
        assertTrue(named.size() >= 10, named.toString());

        Set<String> undocumented = new TreeSet<>(named);
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented);
    }

    @Test
    void theDashboardShowsTheSeedsFourFiguresFirst() throws IOException {
        List<String> firstFour = dashboard().getJsonArray("panels").stream()
                .limit(4)
                .map(p -> p.asJsonObject().getString("title"))
                .toList();
        assertEquals(
                List.of(
                        "Delivery success rate",
                        "Processing time (publish to acknowledgement)",
                        "Queue depth",
                        "Dead-letter queue size"),
                firstFour);
    }
}
