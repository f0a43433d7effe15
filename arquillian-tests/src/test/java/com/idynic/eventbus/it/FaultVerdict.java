package com.idynic.eventbus.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One scenario's figures from the ledger. An event is expected at every receiver whose subscription matches its
 * type; delivered there when the receiver took it at least once. Out of order: a first delivery of a key's accepted
 * event after a later accepted event of that key had been delivered to the same receiver (redeliveries are
 * duplicates, not reorderings). Only publishes answered {@code 202} take part: one the client stopped waiting for
 * (unanswered) may still commit after the publisher's next event, so the bus's order (commit order) rightly puts it
 * after that one.
 */
record FaultVerdict(
        String scenario,
        int accepted,
        int refused,
        int unanswered,
        int expected,
        int delivered,
        int lost,
        int duplicates,
        int outOfOrder,
        int errorDelivered,
        int acceptedDuringOutage,
        Double resumeSeconds,
        Double drainSeconds,
        Double p50Millis,
        Double p99Millis,
        String problem,
        String info) {

    /** Receivers whose subscriptions are ordered (per key). */
    static final Set<String> ORDERED = Set.of("main", "pull", "flaky", "cdi");

    /** Receivers whose times are exact (the CDI observer's come from polling the delivery table). */
    static final Set<String> TIMED = Set.of("main", "pull");

    boolean passed() {
        return lost == 0 && outOfOrder == 0 && errorDelivered == 0 && acceptedDuringOutage == 0 && problem.isEmpty();
    }

    /**
     * @param faultStart when the fault began (null for none)
     * @param faultEnd when the dependency was back (server ready, broker started)
     * @param outage while publish must not answer 202 (null for no such rule)
     * @param cdiCalls the co-deployed observer's successful calls, in order (since its last start)
     */
    static FaultVerdict of(
            FaultLedger ledger,
            String scenario,
            Function<String, Set<String>> receiversOf,
            Set<String> receivers,
            Instant faultStart,
            Instant faultEnd,
            Instant[] outage,
            List<String> cdiCalls,
            String problem,
            String info) {
        List<FaultLedger.Sent> all = ledger.sent(scenario, false);
        int accepted = 0;
        int refused = 0;
        int unanswered = 0;
        int duringOutage = 0;
        for (FaultLedger.Sent s : all) {
            if (s.accepted()) {
                accepted++;
                if (outage != null
                        && s.sentAt().isAfter(outage[0])
                        && s.answeredAt().isBefore(outage[1])) {
                    duringOutage++;
                }
            } else if (s.status() == FaultLedger.NO_ANSWER) {
                unanswered++;
            } else {
                refused++;
            }
        }
        Map<String, Map<String, Instant>> first = new HashMap<>();
        int duplicates = 0;
        int outOfOrder = 0;
        Set<String> errorDelivered = new java.util.HashSet<>();
        for (String r : receivers) {
            Map<String, Instant> firstAt = new HashMap<>();
            Map<String, Long> maxSeq = new HashMap<>();
            for (FaultLedger.Got g : ledger.got(r, scenario)) {
                FaultLedger.Sent s = ledger.sent(g.id());
                if (!s.accepted() && s.status() != FaultLedger.NO_ANSWER) {
                    errorDelivered.add(g.id());
                }
                if (!g.clean()) {
                    continue;
                }
                if (firstAt.containsKey(g.id())) {
                    duplicates++;
                    continue;
                }
                firstAt.put(g.id(), g.at());
                if (ORDERED.contains(r) && !r.equals("cdi")) {
                    outOfOrder += order(maxSeq, s);
                }
            }
            first.put(r, firstAt);
        }
        if (cdiCalls != null) {
            Map<String, Long> maxSeq = new HashMap<>();
            Set<String> seen = new java.util.HashSet<>();
            for (String id : cdiCalls) {
                FaultLedger.Sent s = ledger.sent(id);
                if (s == null || !s.scenario().equals(scenario)) {
                    continue;
                }
                if (!seen.add(id)) {
                    duplicates++;
                } else {
                    outOfOrder += order(maxSeq, s);
                }
            }
        }
        int expected = 0;
        int delivered = 0;
        Instant resumed = null;
        Instant drained = faultEnd;
        List<Long> latencies = new ArrayList<>();
        for (FaultLedger.Sent s : all) {
            if (!s.accepted()) {
                continue;
            }
            for (String r : receiversOf.apply(s.type())) {
                expected++;
                Instant at = first.getOrDefault(r, Map.of()).get(s.id());
                if (at == null) {
                    continue;
                }
                delivered++;
                if (!TIMED.contains(r)) {
                    continue;
                }
                if (r.equals("main")) {
                    latencies.add(Duration.between(s.answeredAt(), at).toMillis());
                }
                if (faultEnd != null) {
                    if (!at.isBefore(faultEnd)
                            && !s.sentAt().isBefore(faultStart)
                            && (resumed == null || at.isBefore(resumed))) {
                        resumed = at;
                    }
                    if (!s.answeredAt().isAfter(faultEnd) && at.isAfter(drained)) {
                        drained = at;
                    }
                }
            }
        }
        Collections.sort(latencies);
        return new FaultVerdict(
                scenario,
                accepted,
                refused,
                unanswered,
                expected,
                delivered,
                expected - delivered,
                duplicates,
                outOfOrder,
                errorDelivered.size(),
                duringOutage,
                faultEnd == null || resumed == null ? null : seconds(faultEnd, resumed),
                faultEnd == null ? null : seconds(faultEnd, drained),
                percentile(latencies, 0.50),
                percentile(latencies, 0.99),
                problem,
                info);
    }

    private static int order(Map<String, Long> maxSeq, FaultLedger.Sent s) {
        if (!s.accepted()) {
            return 0;
        }
        Long max = maxSeq.get(s.key());
        if (max != null && s.seq() < max) {
            return 1;
        }
        maxSeq.put(s.key(), max == null ? s.seq() : Math.max(max, s.seq()));
        return 0;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static Double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return null;
        }
        return (double) sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static String fmt(Double d, String unit) {
        return d == null ? "–" : String.format(java.util.Locale.ROOT, "%.1f%s", d, unit);
    }

    /** @return the one-line verdict */
    String line() {
        return String.format(
                java.util.Locale.ROOT,
                "%s %s: accepted=%d refused=%d unanswered=%d delivered=%d/%d lost=%d duplicates=%d out-of-order=%d"
                        + " error-delivered=%d 202-in-outage=%d resumed=%s drained=%s latency-p50/p99=%s/%s%s",
                passed() ? "PASS" : "FAIL",
                scenario,
                accepted,
                refused,
                unanswered,
                delivered,
                expected,
                lost,
                duplicates,
                outOfOrder,
                errorDelivered,
                acceptedDuringOutage,
                fmt(resumeSeconds, " s"),
                fmt(drainSeconds, " s"),
                fmt(p50Millis, ""),
                fmt(p99Millis, " ms"),
                (problem.isEmpty() ? "" : " PROBLEM: " + problem) + (info.isEmpty() ? "" : " (" + info + ")"));
    }

    /** @return the verdict as a row of README's table */
    String row() {
        return String.format(
                java.util.Locale.ROOT,
                "| %s | %s | %d | %d | %d | %d/%d | **%d** | %d | **%d** | %d | %s | %s | %s / %s |",
                scenario,
                passed() ? "pass" : "FAIL",
                accepted,
                refused,
                unanswered,
                delivered,
                expected,
                lost,
                duplicates,
                outOfOrder,
                acceptedDuringOutage,
                fmt(resumeSeconds, " s"),
                fmt(drainSeconds, " s"),
                fmt(p50Millis, ""),
                fmt(p99Millis, " ms"));
    }
}
