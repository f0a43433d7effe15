package com.idynic.eventbus.bench;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an operator's questions cost with {@value #STORED} events stored and the bus under load: the events are
 * written straight into PostgreSQL in the stored form the bus writes (20 types, 50 sources, one correlation id
 * per 10 events, a day of acceptance times; publishing a million through the API would take most of the run),
 * then, while {@value #LOAD_CLIENTS} clients publish single events, one client asks each question in turn (closed
 * loop): an event by id, its deliveries (the timeline), the events of a trace id, of a correlation id, a page of
 * one type in a one-hour range, a page of one source; then the console's overview page, signed in. Latencies p50/p99 per question, from the request to the whole answer.
 */
final class SearchScenario {
    static final int STORED = 1_000_000;
    static final int LOAD_CLIENTS = 4;
    static final String TYPE_PREFIX = "bench.search.t";
    private static final int CHUNK = 100_000;
    private static final String KEY = "bus.search";

    private final Bench b;
    private final String prefix;

    SearchScenario(Bench b) {
        this.b = b;
        this.prefix = "srch-" + b.slug;
    }

    void run() throws Exception {
        long t0 = System.nanoTime();
        seed();
        b.results.put(KEY + ".stored", STORED);
        b.results.put(KEY + ".seedSeconds", (System.nanoTime() - t0) / 1e9);
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong published = new AtomicLong();
        Thread[] load = new Thread[LOAD_CLIENTS];
        for (int i = 0; i < LOAD_CLIENTS; i++) {
            load[i] = new Thread(() -> {
                while (loading.get()) {
                    try {
                        String id = b.payloads.nextId("srchload");
                        if (b.bus.postStatus(
                                        "/v1/events",
                                        b.payloads.envelope("bench.keepup.unordered", id, Bench.idNumber(id)))
                                == 202) {
                            published.incrementAndGet();
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            load[i].setDaemon(true);
            load[i].start();
        }
        long l0 = System.nanoTime();
        try {
            ask("byId", () -> "/v1/events/" + id(randomEvent()));
            ask("timeline", () -> "/v1/events/" + id(randomEvent()) + "/deliveries");
            ask("traceId", () -> "/v1/events?traceId=" + md5("" + id(randomEvent())));
            ask("correlation", () -> "/v1/events?correlationId=" + prefix + "-c" + randomEvent() / 10);
            ask("typeRange", () -> {
                Instant to = Instant.now()
                        .minus(Duration.ofMinutes(ThreadLocalRandom.current().nextInt(60, 1380)));
                return "/v1/events?type=" + TYPE_PREFIX
                        + two(ThreadLocalRandom.current().nextInt(20)) + "&from="
                        + enc(to.minus(Duration.ofHours(1)).toString()) + "&to=" + enc(to.toString()) + "&limit=50";
            });
            ask(
                    "source",
                    () -> "/v1/events?source=" + prefix + "-svc"
                            + ThreadLocalRandom.current().nextInt(50) + "&limit=50");
            ConsoleSession console = ConsoleSession.signIn(b.bus.base(), b.bus.apiKey());
            b.results.put(
                    KEY + ".overview",
                    b.loop.run(
                            1,
                            i -> () -> {
                                HttpResponse<String> r = console.get("/admin/index.xhtml");
                                return r.body().contains("Delivery success rate") ? r.statusCode() : 599;
                            },
                            200,
                            1,
                            b.plan));
        } finally {
            loading.set(false);
            for (Thread t : load) {
                t.join(10_000);
            }
        }
        b.results.put(KEY + ".loadPerSecond", published.get() / ((System.nanoTime() - l0) / 1e9));
        b.settleOrNote("after search");
    }

    private void ask(String name, PathSupplier path) throws Exception {
        LoadResult r = b.loop.run(
                1,
                i -> () -> {
                    int s = b.bus.get(path.get()).statusCode();
                    return s;
                },
                200,
                1,
                b.plan);
        b.results.put(KEY + "." + name, r);
    }

    @FunctionalInterface
    private interface PathSupplier {
        String get();
    }

    private static long randomEvent() {
        return ThreadLocalRandom.current().nextLong(STORED);
    }

    private String id(long n) {
        return prefix + "-" + n;
    }

    /** @return the seeded trace id of an event: the md5 of its id, as {@link #seed()} writes it */
    private static String md5(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : String.valueOf(n);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Writes the events in chunks, each its own transaction, then refreshes the planner's statistics. */
    private void seed() throws Exception {
        String at = "now() - (g * interval '86 millisecond')";
        String ids = "insert into eb_event_id (id, accepted_at) select ? || '-' || g, " + at
                + " from generate_series(?::bigint, ?::bigint) g";
        String events = "insert into eb_event (id, event_type, source, occurred_at, partition_key, correlation_id,"
                + " traceparent, payload, content_hash, receipt, accepted_at)"
                + " select x.id, x.type, x.src, x.at, 'k' || (x.g % 64), x.cid,"
                + " '00-' || md5(x.id) || '-' || substr(md5('s' || x.id), 1, 16) || '-01',"
                + " json_build_object('eventType', x.type, 'source', x.src, 'id', x.id,"
                + " 'timestamp', to_char(x.at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
                + " 'data', json_build_object('n', x.g, 'pad', repeat('x', 300)),"
                + " 'metadata', json_build_object('correlationId', x.cid, 'partitionKey', 'k' || (x.g % 64)))::text,"
                + " md5(x.id) || md5('h' || x.id), 'rcpt-' || md5(x.id), x.at"
                + " from (select g, ? || '-' || g as id, '" + TYPE_PREFIX + "' || lpad((g % 20)::text, 2, '0') as type,"
                + " ? || '-svc' || (g % 50) as src, ? || '-c' || (g / 10) as cid, " + at + " as at"
                + " from generate_series(?::bigint, ?::bigint) g) x";
        try (Connection c = b.db.connect()) {
            c.setAutoCommit(true);
            for (long from = 0; from < STORED; from += CHUNK) {
                long to = Math.min(STORED, from + CHUNK) - 1;
                try (PreparedStatement ps = c.prepareStatement(ids)) {
                    ps.setString(1, prefix);
                    ps.setLong(2, from);
                    ps.setLong(3, to);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(events)) {
                    ps.setString(1, prefix);
                    ps.setString(2, prefix);
                    ps.setString(3, prefix);
                    ps.setLong(4, from);
                    ps.setLong(5, to);
                    ps.executeUpdate();
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("analyze eb_event");
                s.execute("analyze eb_event_id");
            }
        }
    }
}
