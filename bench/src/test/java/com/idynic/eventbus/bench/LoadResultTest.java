package com.idynic.eventbus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LoadResultTest {
    private static LoadResult point(long ok, double seconds, long latencyMicros, Map<Integer, Long> statuses, Usage u) {
        Histogram h = LoadResult.histogram();
        for (long i = 0; i < ok; i++) {
            h.recordValue(latencyMicros);
        }
        return new LoadResult(32, seconds, ok, 1, h, statuses, 1, null, u);
    }

    @Test
    void roundsAddUpAsOneLongerPoint() {
        Usage u1 = new Usage(500, 400, 1.0, 2.0, 0.4, 0.1, 0.2, 10);
        Usage u2 = new Usage(600, 500, 0.5, 1.0, 0.2, 0.3, 0.4, 30);
        LoadResult sum = LoadResult.sum(List.of(
                point(100, 10, 1_000, Map.of(429, 2L), u1), point(500, 30, 3_000, Map.of(429, 3L, 503, 1L), u2)));

        assertEquals(40.0, sum.seconds());
        assertEquals(600, sum.ok());
        assertEquals(15.0, sum.perSecond());
        assertEquals(600, sum.latencyMicros().getTotalCount());
        assertEquals(3.0, sum.percentileMs(50), 0.01);
        assertEquals(Map.of(429, 5L, 503, 1L), sum.otherStatuses());
        assertEquals(2, sum.errors());
        assertEquals(new Usage(600, 475, 0.625, 1.25, 0.25, 0.25, 0.35, 40), sum.usage());
    }

    @Test
    void usageIsUnknownWhenAnyRoundsIs() {
        Usage u = new Usage(500, 400, 1.0, 2.0, 0.4, 0.1, 0.2, 10);
        LoadResult sum = LoadResult.sum(List.of(point(1, 1, 1, Map.of(), u), point(1, 1, 1, Map.of(), null)));
        assertNull(sum.usage());
    }
}
