package com.idynic.eventbus.bench;

import static com.idynic.eventbus.bench.Format.cores;
import static com.idynic.eventbus.bench.Format.met;
import static com.idynic.eventbus.bench.Format.ms;
import static com.idynic.eventbus.bench.Format.rate;
import static com.idynic.eventbus.bench.Format.ratio;
import static com.idynic.eventbus.bench.Format.sec;

/**
 * The co-deployed CDI observer's figures (keep-up under batch publish, backlog drain, what it costs single
 * publishes) and the ordered against unordered pull drain: their rows in the targets table and their own table.
 */
final class CdiTables extends ReportPart {
    CdiTables(Results r, Options o, StringBuilder md) {
        super(r, o, md);
    }

    /** Rows of the targets table (issue 18). */
    void targetRows() {
        row(
                "CDI keeps up with batch publish: delivered vs accepted",
                "bus.cdi.keepup.deliveredPerSecond",
                "bus.cdi.keepup.acceptedPerSecond",
                0.95,
                true,
                "≥ 0.95×");
        row(
                "CDI keep-up: lag growth per s vs accepted rate",
                "bus.cdi.keepup.lagGrowthPerSecond",
                "bus.cdi.keepup.acceptedPerSecond",
                LagSeries.FLAT_SHARE,
                false,
                "≤ " + LagSeries.FLAT_SHARE + "× (flat)");
        row(
                "Backlog drain (" + str("bus.cdi.drain.events") + " events): CDI vs webhook, both ordered",
                "bus.cdi.drain.drainPerSecond",
                "bus.catchup.ordered.drainPerSecond",
                0.9,
                true,
                "≥ 0.9×");
        row(
                "Backlog drain: CDI vs " + rate(CdiDrainScenario.BEFORE_PER_SECOND) + " ev/s before issue 18",
                "bus.cdi.drain.drainPerSecond",
                "bus.cdi.drain.beforePerSecond",
                10,
                true,
                "≥ 10×");
        row(
                "Single publish @32: CDI subscription active vs paused",
                "bus.cdi.publish.active",
                "bus.cdi.publish.paused",
                0.95,
                true,
                "≥ 0.95×");
        row(
                "Pull drain, 64 keys: ordered vs unordered",
                "bus.pull.ordered.drainPerSecond",
                "bus.pull.unordered.drainPerSecond",
                0.9,
                true,
                "≥ 0.9×");
    }

    void table() {
        line("## Co-deployed CDI observer (`examples/profile-service`, ordered) and pull drains");
        line("");
        line("| Scenario | Publish ev/s | Delivered ev/s | Ratio | Notes |");
        line("|---|---|---|---|---|");
        String k = "bus.cdi.keepup";
        LoadResult keep = r.load(k + ".publish");
        line("| CDI keep-up, batch publish (" + str(k + ".publishMode") + ") | " + rate(keep) + " | "
                + rate(r.number(k + ".deliveredPerSecond")) + " | " + ratio(r.number(k + ".ratio"))
                + " | lag " + str(k + ".lagAtWindowStart") + " → " + str(k + ".lagAtWindowEnd") + " (max "
                + str(k + ".lagMax") + "; at the end " + str(k + ".notQueuedAtWindowEnd")
                + " not yet queued by the dispatcher), growth " + rate(r.number(k + ".lagGrowthPerSecond"))
                + " ev/s, flat: "
                + str(k + ".lagFlat") + "; 429s " + (keep == null ? "–" : keep.status(429)) + "; the rest delivered "
                + sec(r.number(k + ".drainSecondsAfterEnd")) + " s later |");
        String d = "bus.cdi.drain";
        line("| CDI drain, " + str(d + ".events") + " events | " + rate(r.number(d + ".publish")) + " ("
                + str(d + ".publishMode") + ") | " + rate(r.number(d + ".drainPerSecond")) + " | "
                + ratio(r.number(d + ".ratioToWebhookOrdered")) + " of ordered webhook, "
                + ratio(r.number(d + ".ratioToWebhookUnordered")) + " of unordered | drained in "
                + sec(r.number(d + ".drainSeconds")) + " s, Liberty " + cores(cpu(d + ".usage")) + " cores |");
        String p = "bus.cdi.publish";
        for (String state : new String[] {"active", "paused"}) {
            LoadResult l = r.load(p + "." + state);
            line("| Single publish, " + CdiPublishScenario.CLIENTS + " clients, CDI subscription " + state + " | "
                    + rate(l) + " | | "
                    + (state.equals("paused") ? ratio(r.number(p + ".ratio")) + " active/paused" : "")
                    + " | p50 " + ms(l, 50) + " ms, p99 " + ms(l, 99) + " ms"
                    + (state.equals("paused")
                            ? "; its backlog delivered " + sec(r.number(p + ".pausedBacklogDrainSeconds"))
                                    + " s after the resume"
                            : "")
                    + " |");
        }
        for (String mode : new String[] {"unordered", "ordered"}) {
            String q = "bus.pull." + mode;
            line("| Pull drain, " + mode + ", " + str(q + ".events") + " events, " + PullDrainScenario.CLIENTS
                    + " clients × " + PullDrainScenario.MAX_EVENTS + " | " + rate(r.number("bus.pull.publish")) + " | "
                    + rate(r.number(q + ".drainPerSecond")) + " | "
                    + (mode.equals("ordered") ? ratio(r.number("bus.pull.ratio")) + " of unordered" : "")
                    + " | " + Format.tenths(r.number(q + ".eventsPerPull")) + " events per non-empty pull, "
                    + str(q + ".emptyPulls") + " empty pulls, drained in " + sec(r.number(q + ".drainSeconds"))
                    + " s |");
        }
        line("");
    }

    private double cpu(String key) {
        return r.get(key) instanceof Usage u ? u.libertyCpuCores() : Double.NaN;
    }

    private void row(String name, String busKey, String refKey, double target, boolean atLeast, String targetText) {
        double bus = r.number(busKey);
        double ref = r.number(refKey);
        double q = bus / ref;
        line("| " + name + " | " + rate(bus) + " | " + rate(ref) + " | " + ratio(q) + " | " + targetText + " | "
                + met(q, target, atLeast) + " |");
    }
}
