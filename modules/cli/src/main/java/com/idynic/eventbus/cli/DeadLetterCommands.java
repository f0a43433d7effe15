package com.idynic.eventbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** {@code dlq list SUB [--limit N]} and {@code dlq redrive SUB (--all | ID...)}. */
final class DeadLetterCommands {
    private final Context c;

    DeadLetterCommands(Context c) {
        this.c = c;
    }

    int run(Args a) {
        String verb = a.required(1, "dlq command: list or redrive");
        String sub = a.required(2, "SUB (the subscription id)");
        return switch (verb) {
            case "list" -> list(a, sub);
            case "redrive" -> redrive(a, sub);
            default -> throw CliException.usage("unknown dlq command '" + verb + "' (list, redrive)");
        };
    }

    private int list(Args a, String sub) {
        a.atMost(3);
        JsonNode page = c.bus().deadLetters(sub, (int) Math.min(1000, a.number("limit", 100)));
        JsonNode rows = page.path("deadLetters");
        c.out()
                .println(page.path("count").asLong() + " dead letters in " + sub
                        + (page.has("next") ? " (first " + rows.size() + " shown; --limit for more)" : ""));
        if (!rows.isEmpty()) {
            c.out()
                    .println(String.format(
                            "%-36s %-8s %8s  %-24s %s", "EVENT", "STATE", "ATTEMPTS", "DEAD AT", "LAST ERROR"));
        }
        for (JsonNode d : rows) {
            c.out()
                    .println(String.format(
                            "%-36s %-8s %8d  %-24s %s",
                            d.path("eventId").asText(),
                            d.path("state").asText(),
                            d.path("attempts").asInt(),
                            d.path("deadAt").asText("-"),
                            d.path("lastError").asText("")));
        }
        return ExitCode.OK;
    }

    private int redrive(Args a, String sub) {
        List<String> ids = a.words(3);
        if (a.flag("all") == !ids.isEmpty()) {
            throw CliException.usage("dlq redrive needs either --all or event ids, not both");
        }
        JsonNode r = c.bus().redrive(sub, ids);
        c.out().println("redriven " + r.path("redriven").asLong() + " from " + sub);
        return ExitCode.OK;
    }
}
