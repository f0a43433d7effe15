package com.idynic.eventbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code smoke-test}: the round trip a service depends on. Creates a temporary pull subscription, publishes one
 * event, pulls until that event arrives, acks it, and deletes the subscription whatever happened; prints each
 * step and a PASS/FAIL summary.
 */
final class SmokeTest {
    static final String TYPE = "eventbus.smoke-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Context c;
    private final List<String> passed = new ArrayList<>();

    SmokeTest(Context c) {
        this.c = c;
    }

    int run(Args a) {
        a.atMost(1);
        String type = a.option("type").orElse(TYPE);
        Duration timeout = Duration.ofSeconds(a.number("timeout", 30));
        String run = c.ids().get();
        String sub = "cli-smoke-" + run;
        String eventId = "smoke-" + run;
        String step = "subscribe";
        boolean created = false;
        try {
            ObjectNode s = JSON.createObjectNode();
            s.putArray("eventTypes").add(type);
            s.putObject("target").put("type", "pull");
            s.put("ordering", "unordered");
            c.bus().putSubscription(sub, s);
            created = true;
            pass(step, "temporary pull subscription " + sub);

            step = "publish";
            ObjectNode e = JSON.createObjectNode()
                    .put("id", eventId)
                    .put("eventType", type)
                    .put("source", PublishCommands.SOURCE);
            e.putObject("data")
                    .put("check", "smoke-test")
                    .put("sentAt", c.clock().instant().toString());
            JsonNode receipt = c.bus().publish(e);
            pass(
                    step,
                    type + " " + eventId + " receipt " + receipt.path("receipt").asText("-"));

            step = "receive";
            Instant deadline = c.clock().instant().plus(timeout);
            int attempt = 0;
            while (attempt == 0) {
                long left = Duration.between(c.clock().instant(), deadline).toMillis();
                if (left <= 0) {
                    return fail(step, "event " + eventId + " did not arrive within " + timeout.toSeconds() + " s");
                }
                List<String> seen = new ArrayList<>();
                for (JsonNode d : c.bus().pull(sub, 10, Math.min(5000, left)).path("events")) {
                    String id = d.path("event").path("id").asText();
                    seen.add(id);
                    if (id.equals(eventId)) {
                        attempt = d.path("attempt").asInt(1);
                    }
                }
                if (attempt == 0 && !seen.isEmpty()) {
                    c.bus().ack(sub, seen);
                }
            }
            pass(step, eventId + " (delivery attempt " + attempt + ")");

            step = "ack";
            int settled = c.bus().ack(sub, List.of(eventId));
            if (settled != 1) {
                return fail(step, "the bus settled " + settled + " events, expected 1");
            }
            pass(step, "settled");
        } catch (BusError err) {
            return fail(step, ErrorPrinter.format(err).strip());
        } finally {
            if (created) {
                cleanUp(sub);
            }
        }
        c.out().println("smoke-test PASSED (" + passed.size() + " steps) against " + c.url());
        return ExitCode.OK;
    }

    private void cleanUp(String sub) {
        try {
            c.bus().deleteSubscription(sub);
            c.out().println("  cleanup    deleted " + sub);
        } catch (BusError err) {
            c.err()
                    .println("  cleanup    could not delete " + sub + ": "
                            + ErrorPrinter.format(err).strip());
        }
    }

    private void pass(String step, String what) {
        passed.add(step);
        c.out().println(String.format("  PASS %-9s %s", step, what));
    }

    private int fail(String step, String why) {
        c.out().println(String.format("  FAIL %-9s %s", step, why));
        c.out().println("smoke-test FAILED at " + step + " (" + passed.size() + " steps passed) against " + c.url());
        return ExitCode.FAILED;
    }
}
