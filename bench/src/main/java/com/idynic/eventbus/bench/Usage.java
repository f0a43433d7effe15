package com.idynic.eventbus.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Liberty and the machine used during a measured window.
 *
 * @param libertyRssMaxMiB highest VmRSS of the Liberty process, NaN when its pid is unknown
 * @param libertyRssAvgMiB mean of the VmRSS samples
 * @param libertyCpuCores Liberty's utime+stime over the window divided by its length (1.0 = one core busy)
 * @param machineBusyCores all CPUs' busy time over the window divided by its length (everything on the machine)
 * @param seconds the window's length
 */
record Usage(
        double libertyRssMaxMiB,
        double libertyRssAvgMiB,
        double libertyCpuCores,
        double machineBusyCores,
        double seconds) {

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("libertyRssMaxMiB", libertyRssMaxMiB);
        m.put("libertyRssAvgMiB", libertyRssAvgMiB);
        m.put("libertyCpuCores", libertyCpuCores);
        m.put("machineBusyCores", machineBusyCores);
        m.put("seconds", seconds);
        return m;
    }
}
