package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakVerdictTest {
    /** Samples every 10 s for 30 minutes: RSS as given, every other figure zero. */
    static List<SoakSampler.Sample> rss(java.util.function.DoubleUnaryOperator mbAtSecond) {
        List<SoakSampler.Sample> out = new ArrayList<>();
        for (int t = 0; t <= 1800; t += 10) {
            out.add(new SoakSampler.Sample(t, 0, 0, 0, mbAtSecond.applyAsDouble(t), 0, 0, 0, 0, 0, 0, 0));
        }
        return out;
    }

    @Test
    void theSlopeIsTheLeastSquaresFitPerMinute() {
        assertEquals(3.0, SoakVerdict.slopePerMinute(rss(t -> 100 + t / 20.0), SoakSampler.Sample::rssMb), 1e-9);
    }

    @Test
    void aSeriesGrowingTwoMegabytesAMinuteIsNotFlat() {
        SoakVerdict.Check rss = checkOf(rss(t -> 300 + t / 30.0));
        assertEquals(2.0, rss.slopePerMinute(), 1e-9);
        assertFalse(rss.passed());
    }

    @Test
    void aSeriesThatGrewAtFirstAndThenLevelledOffIsFlat() {
        SoakVerdict.Check rss = checkOf(rss(t -> t < 900 ? 300 + t / 10.0 : 390 + (t / 10 % 2)));
        assertEquals(0.0, Math.round(rss.slopePerMinute() * 10) / 10.0);
        assertTrue(rss.passed());
    }

    @Test
    void samplesThatCouldNotBeReadAreLeftOut() {
        SoakVerdict.Check rss = checkOf(rss(t -> t % 100 == 0 ? -1 : 400));
        assertEquals(400.0, rss.start());
        assertEquals(0.0, rss.slopePerMinute(), 1e-9);
        assertTrue(rss.passed());
    }

    @Test
    void aLagThatIsFlatButLargeAtTheEndFails() {
        SoakVerdict.Check lag = new SoakVerdict.Check("relay_lag_s", 30, 30, 0, 0.1, 5);
        assertFalse(lag.passed());
    }

    private static SoakVerdict.Check checkOf(List<SoakSampler.Sample> samples) {
        return SoakVerdict.check(SoakVerdict.SERIES.get(0), samples);
    }
}
