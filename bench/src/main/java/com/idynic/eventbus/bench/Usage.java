package com.idynic.eventbus.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Liberty, PostgreSQL, Kafka, this program and the machine used during a measured window.
 *
 * @param libertyRssMaxMiB highest VmRSS of the Liberty process, NaN when its pid is unknown
 * @param libertyRssAvgMiB mean of the VmRSS samples
 * @param libertyCpuCores Liberty's utime+stime over the window divided by its length (1.0 = one core busy)
 * @param machineBusyCores all CPUs' busy time over the window divided by its length (everything on the machine)
 * @param postgresCores the bus's PostgreSQL (postmaster, backends, autovacuum, WAL writer: {@link CpuMeter}) over
 *     the window's length, NaN when its processes are unknown; a process that ended in the window is missing
 * @param kafkaCores the Kafka broker's CPU, the same way
 * @param benchCores this benchmark program's own CPU (its load generators), the same way
 * @param seconds the window's length
 */
record Usage(
        double libertyRssMaxMiB,
        double libertyRssAvgMiB,
        double libertyCpuCores,
        double machineBusyCores,
        double postgresCores,
        double kafkaCores,
        double benchCores,
        double seconds) {

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("libertyRssMaxMiB", libertyRssMaxMiB);
        m.put("libertyRssAvgMiB", libertyRssAvgMiB);
        m.put("libertyCpuCores", libertyCpuCores);
        m.put("machineBusyCores", machineBusyCores);
        m.put("postgresCores", postgresCores);
        m.put("kafkaCores", kafkaCores);
        m.put("benchCores", benchCores);
        m.put("seconds", seconds);
        return m;
    }

    /** @return the usages as one over their summed seconds (maxima kept, the rest weighted), null if any is */
    static Usage weighted(java.util.List<Usage> all) {
        if (all.isEmpty() || all.stream().anyMatch(java.util.Objects::isNull)) {
            return null;
        }
        double seconds = all.stream().mapToDouble(Usage::seconds).sum();
        return new Usage(
                all.stream().mapToDouble(Usage::libertyRssMaxMiB).max().orElse(0),
                all.stream().mapToDouble(u -> u.libertyRssAvgMiB * u.seconds).sum() / seconds,
                all.stream().mapToDouble(u -> u.libertyCpuCores * u.seconds).sum() / seconds,
                all.stream().mapToDouble(u -> u.machineBusyCores * u.seconds).sum() / seconds,
                all.stream().mapToDouble(u -> u.postgresCores * u.seconds).sum() / seconds,
                all.stream().mapToDouble(u -> u.kafkaCores * u.seconds).sum() / seconds,
                all.stream().mapToDouble(u -> u.benchCores * u.seconds).sum() / seconds,
                seconds);
    }
}
