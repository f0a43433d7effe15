package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /metrics} after a known scenario: the seed's four figures per subscription, exactly; and every metric the
 * README's table, the Prometheus alert rules and the Grafana dashboard name is one the server serves.
 */
class MetricsIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    /** One series of the Prometheus text: {@code name{labels} value}. */
    static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)");

    static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Series(String name, Map<String, String> labels, double value) {}

    /** @return every series {@code /metrics} serves now */
    static List<Series> scrape() {
        String body = Stack.raw(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/metrics"))
                        .header("Accept", "text/plain")
                        .build())
                .body();
        return body.lines()
                .map(SERIES::matcher)
                .filter(Matcher::find)
                .map(m -> {
                    Map<String, String> labels = new LinkedHashMap<>();
                    if (m.group(3) != null) {
                        Matcher l = LABEL.matcher(m.group(3));
                        while (l.find()) {
                            labels.put(l.group(1), l.group(2));
                        }
                    }
                    return new Series(m.group(1), labels, Double.parseDouble(m.group(4)));
                })
                .toList();
    }

    /** @return the value of {@code name} with these labels (and any others), or NaN when there is no such series */
    static double value(String name, Map<String, String> labels) {
        return scrape().stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Series::value)
                .findFirst()
                .orElse(Double.NaN);
    }

    /** @return a counter's value, 0 before it was first counted */
    static double counted(String name, Map<String, String> labels) {
        double v = value(name, labels);
        return Double.isNaN(v) ? 0 : v;
    }

    static double of(String name, String subscription) {
        return value(name, Map.of("subscription", subscription));
    }

    static boolean is(String name, String subscription, double expected) {
        double v = of(name, subscription);
        return Double.isNaN(expected) ? Double.isNaN(v) && served(name, subscription) : v == expected;
    }

    static boolean served(String name, String subscription) {
        return scrape().stream()
                .anyMatch(s ->
                        s.name().equals(name) && subscription.equals(s.labels().get("subscription")));
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @Test
    void theSeedsFourFiguresPerSubscriptionAreExactAfterAKnownScenario() {
        String ok = unique("m-ok-");
        String failing = unique("m-fail-");
        String retried = unique("m-retry-");
        String paused = unique("m-paused-");
        receiver.on("/" + ok, c -> new WebhookReceiver.Answer(204, null, 0));
        receiver.on("/" + failing, c -> WebhookReceiver.Answer.status(500));
        receiver.on("/" + retried, c -> WebhookReceiver.Answer.status(500));
        Subscriptions.webhook(ok, "it.m." + ok, receiver.url("/" + ok), "unordered", 3);
        Subscriptions.webhook(failing, "it.m." + failing, receiver.url("/" + failing), "unordered", 1);
        Subscriptions.webhook(retried, "it.m." + retried, receiver.url("/" + retried), "unordered", 2);
        Subscriptions.create(
                paused,
                "{\"owner\":\"it\",\"eventTypes\":[\"it.m." + paused + "\"],\"target\":{\"type\":\"pull\"},"
                        + "\"state\":\"paused\"}");
        double timedBefore = counted("event_processing_time_seconds_count", Map.of());
        double userCreatedBefore = counted("eventbus_events_published_total", Map.of("event_type", "user.created"));
        double unregisteredBefore = counted("eventbus_events_published_total", Map.of("event_type", "unregistered"));

        for (int i = 0; i < 10; i++) {
            Subscriptions.publish("it.m." + ok, null, "{\"n\":" + i + "}");
        }
        for (int i = 0; i < 5; i++) {
            Subscriptions.publish("it.m." + failing, null, "{\"n\":" + i + "}");
        }
        for (int i = 0; i < 2; i++) {
            Subscriptions.publish("it.m." + retried, null, "{\"n\":" + i + "}");
        }
        for (int i = 0; i < 7; i++) {
            Subscriptions.publish("it.m." + paused, null, "{\"n\":" + i + "}");
        }
        assertEquals(
                202,
                Stack.postJson("/v1/events", Stack.userCreated(Stack.newId("evt-m")))
                        .statusCode());

        Duration wait = Duration.ofSeconds(60);
        await(wait, "10 delivered to " + ok, () -> receiver.calls("/" + ok).size() == 10);
        await(wait, "5 dead letters of " + failing, () -> is("dead_letter_queue_size", failing, 5));
        await(wait, "2 dead letters of " + retried, () -> is("dead_letter_queue_size", retried, 2));
        await(
                wait,
                "queue depth 0 of " + ok,
                () -> is("queue_depth", ok, 0) && is("event_delivery_success_rate", ok, 1));
        await(wait, "queue depth 7 of " + paused, () -> is("queue_depth", paused, 7));

        assertEquals(0, of("queue_depth", ok));
        assertEquals(0, of("dead_letter_queue_size", ok));
        assertEquals(1.0, of("event_delivery_success_rate", ok), "10 attempts, 10 succeeded");
        assertEquals(0, of("queue_depth", failing));
        assertEquals(5, of("dead_letter_queue_size", failing));
        assertEquals(0.0, of("event_delivery_success_rate", failing), "5 attempts, none succeeded");
        assertEquals(4, receiver.calls("/" + retried).size(), "2 events, 2 attempts each");
        assertEquals(0.0, of("event_delivery_success_rate", retried));
        assertEquals(2, of("eventbus_delivery_retries_total", retried), "each event retried once");
        assertEquals(0, of("eventbus_delivery_retries_total", failing), "one attempt each: no retry");
        assertEquals(7, of("queue_depth", paused));
        assertEquals(0, of("dead_letter_queue_size", paused));
        assertTrue(is("event_delivery_success_rate", paused, Double.NaN), "no attempts: no rate");
        assertEquals(0, of("eventbus_webhook_circuit_state", ok), "closed");
        assertTrue(of("queue_depth", "_all") >= 7, "the whole bus holds at least the paused subscription's 7");
        assertTrue(of("dead_letter_queue_size", "_all") >= 7);
        assertTrue(
                counted("event_processing_time_seconds_count", Map.of()) - timedBefore >= 10,
                "each delivery to " + ok + " is timed");
        assertEquals(
                1,
                counted("eventbus_events_published_total", Map.of("event_type", "user.created")) - userCreatedBefore);
        assertEquals(
                24,
                counted("eventbus_events_published_total", Map.of("event_type", "unregistered")) - unregisteredBefore,
                "types without a schema are counted under one label");

        assertEquals(
                204,
                Stack.send(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/v1/subscriptions/" + paused))
                                .DELETE())
                        .statusCode());
        await(wait, "the deleted subscription's gauges go", () -> !served("queue_depth", paused));
    }

    /** The metric names the README's table lists (between its markers). */
    static Set<String> readmeNames() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        String table =
                readme.substring(readme.indexOf("<!-- metrics-table -->"), readme.indexOf("<!-- /metrics-table -->"));
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z_:][a-z0-9_:]*)`").matcher(table);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The PromQL expressions of the alert rules ({@code expr:} lines) and of the dashboard's panels. */
    static List<String> opsExpressions() {
        try {
            List<String> exprs = new java.util.ArrayList<>();
            Files.readAllLines(Path.of("../ops/prometheus/eventbus-alerts.yml")).stream()
                    .map(String::trim)
                    .filter(l -> l.startsWith("expr:"))
                    .forEach(l -> exprs.add(l.substring(5).trim()));
            String dashboard = Files.readString(Path.of("../ops/grafana/eventbus-dashboard.json"));
            Stack.parse(dashboard).getJsonArray("panels").forEach(p -> p.asJsonObject()
                    .getJsonArray("targets")
                    .forEach(t -> exprs.add(t.asJsonObject().getString("expr"))));
            return exprs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the metric names the expressions use (label matchers and groupings dropped) */
    static Set<String> opsNames() {
        Set<String> names = new TreeSet<>();
        for (String expr : opsExpressions()) {
            String text = expr.replaceAll("\\{[^}]*\\}", "").replaceAll("\\b(by|without)\\s*\\([^)]*\\)", "");
            Matcher m = Pattern.compile("\\b((?:eventbus|event|queue|dead)_[a-z0-9_]+)")
                    .matcher(text);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void everyMetricTheReadmeTheAlertRulesAndTheDashboardNameIsServed() throws IOException {
        Path sample = Path.of("target/metrics-sample.txt");
        Files.writeString(
                sample,
                Stack.raw(HttpRequest.newBuilder(URI.create(Stack.baseUrl() + "/metrics?scope=application"))
                                .build())
                        .body());
        Set<String> served = new TreeSet<>();
        scrape().forEach(s -> served.add(s.name()));
        Set<String> wanted = new TreeSet<>(readmeNames());
        wanted.addAll(opsNames());
        assertTrue(wanted.containsAll(Set.of(
                "event_delivery_success_rate",
                "queue_depth",
                "dead_letter_queue_size",
                "event_processing_time_seconds")));

        Set<String> missing = new TreeSet<>();
        for (String name : wanted) {
            boolean found = served.contains(name)
                    || List.of("_bucket", "_count", "_sum", "_max").stream().allMatch(s -> served.contains(name + s))
                    || (name.endsWith("_bucket") && served.contains(name));
            if (!found) {
                missing.add(name);
            }
        }
        assertEquals(Set.of(), missing, "named but not served (sample in " + sample.toAbsolutePath() + ")");
    }
}
