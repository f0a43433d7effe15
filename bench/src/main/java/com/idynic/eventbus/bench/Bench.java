package com.idynic.eventbus.bench;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What every scenario shares: options, the bus, the receiver, the run's ids, the closed loop and the results. */
final class Bench {
    final Options options;
    final Plan plan;
    final EnvFile env;
    final BusClient bus;
    final BusDb db;
    final WebhookReceiver receiver;
    final Payloads payloads;
    final ProcessSampler sampler;
    final ClosedLoop loop;
    final Results results;
    final String slug;
    private Boolean batch;

    /** The catch-up scenario's backlog, which the replay scenario replays; null until published. */
    volatile Backlog backlog;

    Bench(Options options, EnvFile env, BusClient bus, WebhookReceiver receiver, Results results) {
        this.options = options;
        this.plan = options.plan();
        this.env = env;
        this.bus = bus;
        this.db = new BusDb(env);
        this.receiver = receiver;
        this.slug = RunId.slug(options.runId());
        this.payloads = new Payloads(slug);
        this.sampler = new ProcessSampler(options.libertyPid(), options.clkTck());
        this.loop = new ClosedLoop(sampler);
        this.results = results;
    }

    /**
     * @return whether the bus has {@code POST /v1/events/batch} (asked once; an unexpected answer is noted and
     *     counts as no)
     */
    synchronized boolean batchAvailable() throws InterruptedException {
        if (batch == null) {
            try {
                batch = PublishScenarios.probeBatch(this);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                results.note("batch publish probe failed (" + e.getMessage() + "): batch treated as unavailable");
                batch = false;
            }
            results.put("bus.batch.available", batch);
        }
        return batch;
    }

    /** A scenario body; whatever it throws is recorded and the run goes on. */
    interface Body {
        void run() throws Exception;
    }

    /** Runs one scenario unless {@code --only} leaves it out; a failure is recorded under its name. */
    void section(String name, Body body) {
        if (!options.runs(name)) {
            return;
        }
        long t0 = System.nanoTime();
        System.err.println("bench: " + name + " ...");
        try {
            body.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            results.error(name, e);
        } catch (Exception | Error e) {
            results.error(name, e);
        } finally {
            for (String left : bus.deleteLeftovers()) {
                results.note(name + ": could not delete subscription " + left);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            results.put("timing." + name + "Seconds", seconds);
            System.err.printf("bench: %s done in %.1f s%n", name, seconds);
        }
    }

    /**
     * @return the catch-up backlog (and so the replay's size): {@link Plan#backlog()} when fixed, otherwise what the
     *     bus delivers in {@link Plan#backlogSeconds()} at the slowest of its steady rates (keeps-up scenario), at
     *     least 1,000 and at most {@link Plan#backlog()}, so a slow bus does not stretch the run for hours
     */
    int backlogSize() {
        if (plan.backlogFixed()) {
            return plan.backlog();
        }
        double rate = slowestSteadyRate();
        if (Double.isNaN(rate)) {
            return plan.backlog();
        }
        int n = (int) Math.max(1000, Math.min(plan.backlog(), rate * plan.backlogSeconds()));
        if (n < plan.backlog()) {
            results.note("catch-up backlog sized to " + n + " events (" + plan.backlogSeconds() + " s at the slowest"
                    + " steady rate, " + Math.round(rate) + " events/s) instead of " + plan.backlog()
                    + "; --backlog N fixes it");
        }
        return n;
    }

    /** @return events for each cost run: {@link Plan#costSeconds()} of steady unordered delivery, 200 to the plan's */
    int costEvents() {
        double rate = results.number("bus.keepup.unordered.deliveredPerSecond");
        if (Double.isNaN(rate) || rate <= 0) {
            return plan.costEvents();
        }
        return (int) Math.max(200, Math.min(plan.costEvents(), rate * plan.costSeconds()));
    }

    /** @return the lowest of the keeps-up publish and delivered rates, else publish @32, else NaN */
    private double slowestSteadyRate() {
        double min = Double.NaN;
        for (String k : java.util.List.of(
                "bus.keepup.unordered.publishPerSecond",
                "bus.keepup.unordered.deliveredPerSecond",
                "bus.keepup.ordered.deliveredPerSecond")) {
            double v = results.number(k);
            if (v > 0 && (Double.isNaN(min) || v < min)) {
                min = v;
            }
        }
        if (Double.isNaN(min)) {
            double v = results.number("bus.publish.c32");
            return v > 0 ? v : Double.NaN;
        }
        return min;
    }

    /** @return a subscription id unique in this run */
    String subscriptionId(String name) {
        return "bench-" + slug + "-" + name;
    }

    /** A closed-loop client publishing single events of {@code type} to {@code POST /v1/events}. */
    ClosedLoop.Factory publisher(String type, String tag) {
        return i -> () -> {
            String id = payloads.nextId(tag);
            return bus.postStatus("/v1/events", payloads.envelope(type, id, idNumber(id)));
        };
    }

    /**
     * A closed-loop client that publishes single events (or batches of {@link Plan#BATCH_SIZE} when {@code batch})
     * and, on 429 or 503, waits for the answer's {@code Retry-After} (at most 5 s) and sends again: the catch-up
     * backlog must be complete. Adds the events each 202 accepted to {@code accepted} (a batch answer's
     * {@code accepted}; 1 for a single publish).
     */
    ClosedLoop.Factory insistentPublisher(
            String type, String tag, boolean batch, AtomicLong refused, AtomicLong accepted) {
        return i -> () -> {
            String body;
            if (batch) {
                body = payloads.batch(type, tag, Plan.BATCH_SIZE);
            } else {
                String id = payloads.nextId(tag);
                body = payloads.envelope(type, id, idNumber(id));
            }
            String path = batch ? "/v1/events/batch" : "/v1/events";
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (true) {
                HttpResponse<String> r = bus.post(path, body);
                int s = r.statusCode();
                if (s == 202) {
                    accepted.addAndGet(batch ? acceptedOf(r.body()) : 1);
                }
                if ((s != 429 && s != 503) || System.nanoTime() > deadline) {
                    return s;
                }
                refused.incrementAndGet();
                long wait = r.headers()
                        .firstValue("Retry-After")
                        .flatMap(Bench::seconds)
                        .orElse(1L);
                Thread.sleep(Math.min(5, Math.max(1, wait)) * 1000L);
            }
        };
    }

    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");

    /** @return a batch answer's {@code accepted} count, or the batch size when it has none */
    static long acceptedOf(String body) {
        Matcher m = ACCEPTED.matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : Plan.BATCH_SIZE;
    }

    private static Optional<Long> seconds(String s) {
        try {
            return Optional.of(Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** @return the number at the end of a payload id (it picks the ordering key) */
    static long idNumber(String id) {
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }

    /**
     * Waits until the bus has nothing in flight: outbox empty (everything in Kafka) and no record waiting for the
     * dispatcher (its consumer lag 0, or unchanged for 2 s: committed offsets may trail). Load points start from
     * the same quiet state.
     *
     * @return whether it got there before the timeout
     */
    boolean settle(Duration timeout) throws InterruptedException {
        long[] last = {-1, 0};
        return Waits.until(timeout, Duration.ofMillis(250), () -> {
            JsonObject pg = Json.checkData(bus.health("ready"), "backpressure");
            long backlog = Json.number(pg, "outboxBacklog").orElse(0L);
            JsonObject dispatcher = Json.checkData(bus.health("live"), "dispatcher");
            long lag = Json.number(dispatcher, "consumerLag").orElse(0L);
            last[1] = lag == last[0] ? last[1] + 1 : 0;
            last[0] = lag;
            return backlog == 0 && (lag == 0 || last[1] >= 8);
        });
    }

    void settleOrNote(String what) throws InterruptedException {
        if (!settle(Duration.ofSeconds(options.quick() ? 30 : 90))) {
            results.note(what + ": the bus had not drained its outbox / dispatch backlog before the next point");
        }
    }

    /**
     * Publishes a probe event of {@code type} until one reaches every sink (a subscription takes effect within
     * about a second): the subscriptions are in force and the whole path works before anything is measured.
     */
    void probe(String type, Sink... sinks) throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            String id = payloads.nextId("probe");
            BusClient.expect(bus.post("/v1/events", payloads.envelope(type, id, idNumber(id))), 202);
            boolean all = Waits.until(Duration.ofSeconds(3), Duration.ofMillis(20), () -> {
                for (Sink s : sinks) {
                    if (s.arrival(id) == null) {
                        return false;
                    }
                }
                return true;
            });
            if (all) {
                return;
            }
        }
        throw new java.util.concurrent.TimeoutException(
                "no probe event of " + type + " reached every webhook sink in 30 s");
    }
}
