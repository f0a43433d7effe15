package com.idynic.eventbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * {@code replay start SUB --from TIME|EVENTID|earliest [--rate N] [--no-wait]} and {@code replay status SUB ID}.
 * Start follows the job with a progress bar until it ends (redrawn in place on a terminal, a line per change
 * otherwise); ends 0 when the job is {@code done}, 1 when it failed or was cancelled.
 */
final class ReplayCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Context c;
    private final ProgressBar bar = new ProgressBar(30);

    ReplayCommands(Context c) {
        this.c = c;
    }

    int run(Args a) {
        String verb = a.required(1, "replay command: start or status");
        String sub = a.required(2, "SUB (the subscription id)");
        return switch (verb) {
            case "start" -> start(a, sub);
            case "status" -> status(a, sub);
            default -> throw CliException.usage("unknown replay command '" + verb + "' (start, status)");
        };
    }

    private int start(Args a, String sub) {
        a.atMost(3);
        String from = a.option("from")
                .orElseThrow(() -> CliException.usage("replay start needs --from TIME|EVENTID|earliest"));
        ObjectNode request = JSON.createObjectNode().put("from", from);
        if (a.option("rate").isPresent()) {
            request.put("ratePerSecond", a.number("rate", 100));
        }
        JsonNode job;
        try {
            job = c.bus().startReplay(sub, request);
        } catch (BusError e) {
            if ("ALREADY_RUNNING".equals(e.errorCode())) {
                c.err().print(ErrorPrinter.format(e));
                c.err()
                        .println("follow it: eventbus replay status " + sub + " "
                                + e.body().path("details").path("runningId").asText());
                return e.exitCode();
            }
            throw e;
        }
        String id = job.path("id").asText();
        c.out().println("replay " + id + " of " + sub + " from " + from + " started");
        if (a.flag("no-wait")) {
            c.out().println(line(job));
            c.out().println("follow it: eventbus replay status " + sub + " " + id);
            return ExitCode.OK;
        }
        Duration interval = Duration.ofSeconds(a.number("interval", 1));
        String shown = null;
        while ("running".equals(job.path("state").asText())) {
            shown = show(line(job), shown);
            c.pause(interval);
            job = c.bus().replay(sub, id);
        }
        show(line(job), shown);
        if (c.tty()) {
            c.out().println();
        }
        return ended(job);
    }

    private int status(Args a, String sub) {
        String id = a.required(3, "ID (the replay id, rpl-…)");
        a.atMost(4);
        JsonNode job = c.bus().replay(sub, id);
        c.out().println(line(job));
        return "running".equals(job.path("state").asText()) ? ExitCode.OK : ended(job);
    }

    private String show(String line, String shown) {
        if (line.equals(shown)) {
            return shown;
        }
        if (c.tty()) {
            c.out().print("\r" + line);
            c.out().flush();
        } else {
            c.out().println(line);
        }
        return line;
    }

    private String line(JsonNode job) {
        return bar.render(
                job.path("done").asLong(),
                job.path("total").asLong(),
                job.path("etaSeconds").asLong(-1),
                job.path("state").asText());
    }

    private int ended(JsonNode job) {
        if ("done".equals(job.path("state").asText())) {
            return ExitCode.OK;
        }
        c.err()
                .println("replay " + job.path("id").asText() + " ended "
                        + job.path("state").asText()
                        + (job.has("error") ? ": " + job.path("error").asText() : ""));
        return ExitCode.FAILED;
    }
}
