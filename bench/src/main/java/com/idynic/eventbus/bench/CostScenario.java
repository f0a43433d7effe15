package com.idynic.eventbus.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-event database cost: N events published (16 clients) to a type with 1 and then with 10 unordered webhook
 * subscriptions, waited for until delivered everywhere, and PostgreSQL's cumulative statistics read before and
 * after: transactions ({@code pg_stat_database}), rows inserted/updated/deleted per table
 * ({@code pg_stat_user_tables}) and, when available, statement calls ({@code pg_stat_statements}), each divided
 * by N. Server processes report their counters lazily (within about 10 s when idle), so every snapshot follows
 * {@value #QUIET_SECONDS} quiet seconds; what the bus does when idle (polls) is measured the same way and
 * subtracted from the transactions.
 */
final class CostScenario {
    private static final int QUIET_SECONDS = 11;

    private final Bench b;

    CostScenario(Bench b) {
        this.b = b;
    }

    void run() throws Exception {
        String why = b.db.enableStatements();
        boolean statements = why == null;
        if (!statements) {
            b.results.note(
                    "pg_stat_statements unavailable (" + why.lines().findFirst().orElse(why)
                            + "): statement calls per event not measured (devstack's PostgreSQL does not preload it)");
        }
        Map<Integer, List<Sink>> sinks = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        try {
            for (int subs : List.of(1, 10)) {
                List<Sink> list = new ArrayList<>();
                for (int j = 0; j < subs; j++) {
                    Sink s = b.receiver.sink("cost" + subs + "-" + j);
                    list.add(s);
                    String id = b.subscriptionId("cost" + subs + "-" + j);
                    ids.add(id);
                    b.bus.webhook(id, type(subs), b.receiver.url(s), "unordered");
                }
                sinks.put(subs, list);
                b.probe(type(subs), list.toArray(Sink[]::new));
            }
            b.settleOrNote("cost");
            Thread.sleep(QUIET_SECONDS * 1000L);
            BusDb.Snapshot idle0 = b.db.snapshot(statements);
            Thread.sleep(b.plan.idleSeconds() * 1000L);
            BusDb.Snapshot before = b.db.snapshot(statements);
            double idlePerSecond = (before.transactions() - idle0.transactions()) / seconds(idle0, before);
            b.results.put("bus.cost.idleTransactionsPerSecond", idlePerSecond);
            for (int subs : List.of(1, 10)) {
                long n = publishAndDeliver(subs, sinks.get(subs));
                Thread.sleep(QUIET_SECONDS * 1000L);
                BusDb.Snapshot after = b.db.snapshot(statements);
                report(subs, n, before, after, idlePerSecond);
                before = after;
            }
        } finally {
            for (String id : ids) {
                b.bus.deleteSubscription(id);
            }
            sinks.values().forEach(l -> l.forEach(b.receiver::drop));
        }
    }

    private static String type(int subs) {
        return "bench.cost" + subs;
    }

    /** @return events accepted, all delivered to every sink (or the wait ended with a note) */
    private long publishAndDeliver(int subs, List<Sink> sinks) throws Exception {
        long[] base = sinks.stream().mapToLong(Sink::unique).toArray();
        AtomicLong accepted = new AtomicLong();
        ClosedLoop.Factory publisher = b.publisher(type(subs), "cost" + subs);
        ClosedLoop.Factory counting = i -> {
            ClosedLoop.Client c = publisher.open(i);
            return () -> {
                int s = c.call();
                if (s == 202) {
                    accepted.incrementAndGet();
                }
                return s;
            };
        };
        int n = b.costEvents();
        LoadResult r = b.loop.count(
                Plan.FAN_CLIENTS, counting, 202, 1, n, Duration.ofSeconds(120).toNanos());
        b.results.put("bus.cost.subs" + subs + ".publish", r);
        long events = accepted.get();
        boolean all = Waits.until(Duration.ofSeconds(60 + events * subs / 100), Duration.ofMillis(50), () -> {
            for (int j = 0; j < sinks.size(); j++) {
                if (sinks.get(j).unique() - base[j] < events) {
                    return false;
                }
            }
            return true;
        });
        if (!all) {
            b.results.note("cost with " + subs + " subscriptions: not every event was delivered when the wait ended;"
                    + " the per-event figures include fewer deliveries");
        }
        return events;
    }

    private void report(int subs, long n, BusDb.Snapshot before, BusDb.Snapshot after, double idlePerSecond) {
        String key = "bus.cost.subs" + subs;
        double window = seconds(before, after);
        long xacts = after.transactions() - before.transactions();
        b.results.put(key + ".events", n);
        b.results.put(key + ".windowSeconds", window);
        b.results.put(key + ".transactionsPerEventRaw", xacts / (double) n);
        b.results.put(key + ".transactionsPerEvent", (xacts - idlePerSecond * window) / n);
        Map<String, Object> rows = new LinkedHashMap<>();
        after.tables().forEach((table, a) -> {
            long[] z = before.tables().getOrDefault(table, new long[3]);
            long ins = a[0] - z[0];
            long upd = a[1] - z[1];
            long del = a[2] - z[2];
            if (ins != 0 || upd != 0 || del != 0) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("inserted", ins / (double) n);
                t.put("updated", upd / (double) n);
                t.put("deleted", del / (double) n);
                rows.put(table, t);
            }
        });
        b.results.put(key + ".rowsPerEvent", rows);
        if (!after.statements().isEmpty()) {
            Map<String, Object> calls = new LinkedHashMap<>();
            after.statements().entrySet().stream()
                    .map(e -> Map.entry(
                            e.getKey(), e.getValue() - before.statements().getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                    .limit(25)
                    .forEach(e -> calls.put(e.getKey(), e.getValue() / (double) n));
            b.results.put(key + ".statementCallsPerEvent", calls);
        }
    }

    private static double seconds(BusDb.Snapshot a, BusDb.Snapshot b) {
        return (b.nanoTime() - a.nanoTime()) / 1e9;
    }
}
