package com.idynic.eventbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** Writes a bus error the way the API sent it: status, errorCode and message on one line, then each detail. */
final class ErrorPrinter {
    private ErrorPrinter() {}

    static String format(BusError e) {
        if (e.status() == 0) {
            return "error: " + e.raw() + "\n";
        }
        JsonNode body = e.body();
        if (body == null || !body.hasNonNull("errorCode")) {
            String raw = e.raw().length() > 500 ? e.raw().substring(0, 500) + "…" : e.raw();
            return "error: HTTP " + e.status() + (raw.isBlank() ? "" : ": " + raw.strip()) + "\n";
        }
        StringBuilder s = new StringBuilder("error: ")
                .append(e.status())
                .append(' ')
                .append(body.path("errorCode").asText())
                .append(": ")
                .append(body.path("message").asText(""))
                .append('\n');
        for (Iterator<Map.Entry<String, JsonNode>> it = body.path("details").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> d = it.next();
            JsonNode v = d.getValue();
            s.append("  ")
                    .append(d.getKey())
                    .append(": ")
                    .append(v.isTextual() ? v.asText() : v.toString())
                    .append('\n');
        }
        return s.toString();
    }
}
