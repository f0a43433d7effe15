package com.idynic.eventbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code listen SUB --forward URL [--type T]... [--max-events N]}: pulls the subscription's events and POSTs each
 * event's JSON to a local URL, as webhook platforms' CLIs do instead of a tunnel. A 2xx answer acks the event;
 * any other answer or no answer nacks it (retried by the subscription's policy). Events of other types than
 * {@code --type} (exact, {@code order.*} or {@code *}) are acked without forwarding: give listen a subscription of
 * its own. Runs until Ctrl-C, or until N events were forwarded.
 */
final class Listen {
    private final Context c;

    Listen(Context c) {
        this.c = c;
    }

    int run(Args a) {
        String sub = a.required(1, "SUB (the pull subscription to listen on)");
        a.atMost(2);
        URI target = target(a.option("forward")
                .orElseThrow(
                        () -> CliException.usage("listen needs --forward URL (e.g. http://127.0.0.1:3000/hooks)")));
        List<String> types = a.all("type");
        long max = a.number("max-events", Long.MAX_VALUE);
        c.out()
                .println("listening on " + sub + ", forwarding "
                        + (types.isEmpty() ? "every type" : String.join(", ", types)) + " to " + target
                        + (c.tty() ? " (Ctrl-C to stop)" : ""));
        long forwarded = 0;
        while (forwarded < max && !Thread.currentThread().isInterrupted()) {
            for (JsonNode d :
                    c.bus().pull(sub, (int) Math.min(10, max - forwarded), 5000).path("events")) {
                JsonNode event = d.path("event");
                String id = event.path("id").asText();
                String type = event.path("eventType").asText();
                if (!matches(types, type)) {
                    c.bus().ack(sub, List.of(id));
                    c.out().println("  skip " + type + " " + id + " (not a --type)");
                    continue;
                }
                forward(sub, target, d, id, type);
                forwarded++;
            }
        }
        c.out().println("forwarded " + forwarded + " events");
        return ExitCode.OK;
    }

    private void forward(String sub, URI target, JsonNode delivery, String id, String type) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", id);
        headers.put("eventbus-subscription", sub);
        headers.put("eventbus-attempt", delivery.path("attempt").asText("1"));
        headers.put("eventbus-replay", delivery.path("replay").asText("false"));
        if (delivery.hasNonNull("traceparent")) {
            headers.put("traceparent", delivery.path("traceparent").asText());
        }
        String outcome;
        try {
            int status = c.forwarder().post(target, delivery.path("event").toString(), headers);
            if (status / 100 == 2) {
                c.bus().ack(sub, List.of(id));
                outcome = status + " acked";
            } else {
                c.bus().nack(sub, List.of(id), "local endpoint answered HTTP " + status);
                outcome = status + " nacked";
            }
        } catch (IOException e) {
            c.bus().nack(sub, List.of(id), "local endpoint unreachable: " + e.getMessage());
            outcome = "no answer (" + e.getMessage() + ") nacked";
        }
        c.out().println("  -> " + type + " " + id + "  " + outcome);
    }

    static boolean matches(List<String> types, String type) {
        if (types.isEmpty()) {
            return true;
        }
        for (String t : types) {
            if (t.equals("*")
                    || t.equals(type)
                    || (t.endsWith(".*") && type.startsWith(t.substring(0, t.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    private static URI target(String url) {
        try {
            URI u = URI.create(url);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return u;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw CliException.usage("--forward must be an http(s) URL (got '" + url + "')");
    }
}
