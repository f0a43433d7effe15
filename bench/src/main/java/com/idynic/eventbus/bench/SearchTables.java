package com.idynic.eventbus.bench;

import static com.idynic.eventbus.bench.Format.met;
import static com.idynic.eventbus.bench.Format.ms;
import static com.idynic.eventbus.bench.Format.rate;
import static com.idynic.eventbus.bench.Format.sec;

/** The operator's questions with a million stored events under load: rows of the targets table and a table. */
final class SearchTables extends ReportPart {
    private static final String[][] QUESTIONS = {
        {"byId", "Event by id", "200"},
        {"timeline", "Event timeline (its deliveries)", "200"},
        {"traceId", "Events of a trace id", "200"},
        {"correlation", "Events of a correlation id", "200"},
        {"typeRange", "Page of one type in a one-hour range", "500"},
        {"source", "Page of one source", "500"},
        {"overview", "Console overview page (signed in, whole page)", "1000"},
    };

    SearchTables(Results r, Options o, StringBuilder md) {
        super(r, o, md);
    }

    /** Rows of the targets table (issue 19): p99 of each question. */
    void targetRows() {
        for (String[] q : QUESTIONS) {
            LoadResult l = r.load("bus.search." + q[0]);
            double p99 = l == null ? Double.NaN : l.percentileMs(99);
            double limit = Double.parseDouble(q[2]);
            line("| " + q[1] + ", " + str("bus.search.stored") + " stored, under load: p99 | " + ms(p99) + " | – | "
                    + ms(p99) + " | < " + q[2] + " ms | " + met(p99, limit, false) + " |");
        }
    }

    void table() {
        line("## Operator questions with " + str("bus.search.stored") + " stored events, under load");
        line("");
        line("Seeded in PostgreSQL in the stored form in " + sec(r.number("bus.search.seedSeconds")) + " s; "
                + SearchScenario.LOAD_CLIENTS + " clients published single events meanwhile ("
                + rate(r.number("bus.search.loadPerSecond")) + " ev/s); one client asked each question in a closed"
                + " loop, through the REST API (the console calls the same service methods); the overview is the console's"
                + " page as a browser loads it, without its scripts and styles.");
        line("");
        line("| Question | Answers/s | p50 ms | p99 ms | non-200 |");
        line("|---|---|---|---|---|");
        for (String[] q : QUESTIONS) {
            LoadResult l = r.load("bus.search." + q[0]);
            if (l == null) {
                line("| " + q[1] + " | – | – | – | – |");
                continue;
            }
            line("| " + q[1] + " | " + rate(l.perSecond()) + " | " + ms(l.percentileMs(50)) + " | "
                    + ms(l.percentileMs(99)) + " | " + (l.otherThan429() + l.status(429) + l.errors())
                    + (l.firstError() == null ? "" : " (" + l.firstError() + ")") + " |");
        }
        line("");
    }
}
