package com.idynic.eventbus.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The fault suite's ledger: every publish the load generator sent with the answer it got, and every delivery a
 * receiver saw. Written to {@code target/faults/ledger.csv} and {@code deliveries.csv} after each scenario.
 */
final class FaultLedger {
    /** No answer: connection refused or reset, or a timeout. Neither accepted nor refused. */
    static final int NO_ANSWER = -1;

    /**
     * One publish: per key, {@code seq} grows in the order the publisher sent them (one publisher per key, each
     * waiting for its answer before the next).
     */
    record Sent(
            String id,
            String scenario,
            String key,
            long seq,
            String type,
            Instant sentAt,
            Instant answeredAt,
            int status) {
        boolean accepted() {
            return status == 202;
        }
    }

    /** One delivery a receiver saw; {@code clean} when it was acknowledged (2xx answered in full, or acked). */
    record Got(String receiver, String id, Instant at, boolean clean) {}

    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Sent> sentOrder = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Got> got = new ConcurrentLinkedQueue<>();
    private final Map<Integer, java.util.concurrent.atomic.AtomicLong> answers = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicLong> clean = new ConcurrentHashMap<>();
    private final Path dir;

    FaultLedger(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("ledger.csv"), "id,scenario,key,seq,type,sent_at,answered_at,status\n");
            Files.writeString(dir.resolve("deliveries.csv"), "receiver,id,at,clean\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void sent(Sent s) {
        sent.put(s.id(), s);
        sentOrder.add(s);
        answers.computeIfAbsent(s.status(), k -> new java.util.concurrent.atomic.AtomicLong())
                .incrementAndGet();
    }

    /** @return how many publishes got this answer so far (every scenario) */
    long answered(int status) {
        java.util.concurrent.atomic.AtomicLong n = answers.get(status);
        return n == null ? 0 : n.get();
    }

    /** @return how many clean deliveries {@code receiver} saw so far, repeats included (every scenario) */
    long cleanDeliveries(String receiver) {
        java.util.concurrent.atomic.AtomicLong n = clean.get(receiver);
        return n == null ? 0 : n.get();
    }

    private void count(Got g) {
        if (g.clean()) {
            clean.computeIfAbsent(g.receiver(), k -> new java.util.concurrent.atomic.AtomicLong())
                    .incrementAndGet();
        }
    }

    /**
     * Records a delivery; kept even when its publish is not yet recorded (a delivery can arrive before the publisher
     * has read its 202) and matched to the ledger when checked.
     */
    void got(String receiver, String id, boolean clean) {
        if (id != null) {
            Got g = new Got(receiver, id, Instant.now(), clean);
            got.add(g);
            count(g);
        }
    }

    private boolean of(Got g, String scenario) {
        Sent s = sent.get(g.id());
        return s != null && s.scenario().equals(scenario);
    }

    /** Deliveries that only the bus can tell (the CDI observer's, read from the delivery table). */
    void gotAt(String receiver, String id, Instant at) {
        Got g = new Got(receiver, id, at, true);
        got.add(g);
        count(g);
    }

    Sent sent(String id) {
        return sent.get(id);
    }

    List<Sent> sent(String scenario, boolean acceptedOnly) {
        List<Sent> out = new ArrayList<>();
        for (Sent s : sentOrder) {
            if (s.scenario().equals(scenario) && (!acceptedOnly || s.accepted())) {
                out.add(s);
            }
        }
        return out;
    }

    /** @return every delivery to {@code receiver} of an event of {@code scenario}, in arrival order */
    List<Got> got(String receiver, String scenario) {
        List<Got> out = new ArrayList<>();
        for (Got g : got) {
            if (g.receiver().equals(receiver) && of(g, scenario)) {
                out.add(g);
            }
        }
        out.sort((a, b) -> a.at().compareTo(b.at()));
        return out;
    }

    /** @return the scenario's events that {@code receiver} took at least once */
    java.util.Set<String> delivered(String receiver, String scenario) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Got g : got) {
            if (g.clean() && g.receiver().equals(receiver) && of(g, scenario)) {
                ids.add(g.id());
            }
        }
        return ids;
    }

    /** Appends the scenario's rows to the CSV files. */
    void write(String scenario, Collection<String> receivers) {
        StringBuilder l = new StringBuilder();
        for (Sent s : sent(scenario, false)) {
            l.append(s.id())
                    .append(',')
                    .append(s.scenario())
                    .append(',')
                    .append(s.key())
                    .append(',')
                    .append(s.seq())
                    .append(',')
                    .append(s.type())
                    .append(',')
                    .append(s.sentAt())
                    .append(',')
                    .append(s.answeredAt())
                    .append(',')
                    .append(s.status())
                    .append('\n');
        }
        StringBuilder d = new StringBuilder();
        for (String r : receivers) {
            for (Got g : got(r, scenario)) {
                d.append(g.receiver())
                        .append(',')
                        .append(g.id())
                        .append(',')
                        .append(g.at())
                        .append(',')
                        .append(g.clean())
                        .append('\n');
            }
        }
        try {
            Files.writeString(dir.resolve("ledger.csv"), l, StandardOpenOption.APPEND);
            Files.writeString(dir.resolve("deliveries.csv"), d, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
