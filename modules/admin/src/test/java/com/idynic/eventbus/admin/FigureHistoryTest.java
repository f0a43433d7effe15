package com.idynic.eventbus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FigureHistoryTest {
    final SettableClock clock = SettableClock.at("2026-01-01T10:00:00Z");
    final FigureHistory history =
            new FigureHistory(new FigureHistory.Settings(Duration.ofMinutes(1), Duration.ofSeconds(15)), clock);

    /** A reading now: 600 events published and 300 attempts (270 succeeded) in a 5-minute window. */
    Overview reading(long queueDepth) {
        return new Overview(
                clock.instant(),
                Duration.ofMinutes(5),
                new DeliveryFigures(queueDepth, 2, 300, 270, 270, null, Duration.ofMillis(120), null),
                List.of(),
                new PipelineFigures(0, Duration.ZERO, null, null, null),
                600);
    }

    @Test
    void aSampleHoldsTheReadingsRatesAndFigures() {
        assertTrue(history.record(reading(7)));

        assertEquals(
                List.of(new FigureHistory.Sample(Instant.parse("2026-01-01T10:00:00Z"), 2.0, 0.9, 0.9, 120L, 7, 2)),
                history.samples());
    }

    @Test
    void aReadingTooCloseToTheLastSampleIsNotKeptAndOneALittleEarlyIs() {
        history.record(reading(1));
        clock.advance(Duration.ofSeconds(5));
        assertFalse(history.record(reading(2)), "5 s after the last sample");
        clock.advance(Duration.ofSeconds(7));
        assertTrue(history.record(reading(3)), "12 s after: within 4/5 of the interval");

        assertEquals(List.of(1L, 3L), depths());
    }

    @Test
    void samplesOlderThanTheSpanLeaveAndTheRingNeverHoldsMoreThanTheSpanAllows() {
        for (int i = 1; i <= 7; i++) {
            history.record(reading(i));
            clock.advance(Duration.ofSeconds(15));
        }
        clock.advance(Duration.ofSeconds(-15));

        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), depths(), "10:00:30 to 10:01:30, the last minute");
        clock.advance(Duration.ofSeconds(50));
        assertEquals(List.of(7L), depths(), "read later, without new samples");
        clock.advance(Duration.ofSeconds(11));
        assertEquals(List.of(), depths());
    }

    @Test
    void aSampleWithoutAttemptsHasNoSuccessRateAndNoPercentile() {
        history.record(new Overview(
                clock.instant(),
                Duration.ofMinutes(5),
                DeliveryFigures.NONE,
                List.of(),
                new PipelineFigures(0, Duration.ZERO, null, null, null)));

        assertEquals(List.of(new FigureHistory.Sample(clock.instant(), 0.0, 0.0, null, null, 0, 0)), history.samples());
    }

    @Test
    void anIntervalLongerThanTheSpanIsRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new FigureHistory.Settings(Duration.ofSeconds(10), Duration.ofSeconds(15)));
    }

    @Test
    void everyPassOfTheAlertLoopFeedsTheMonitoringHistoryOnceAnInterval() {
        ScriptedFigures figures = new ScriptedFigures();
        Monitoring monitoring =
                figures.monitoring(clock, figures.loops(clock), Duration.ZERO, new java.util.ArrayList<>());
        AlertLoop loop = new AlertLoop(
                new InMemoryAlertStore(),
                monitoring,
                new AlertNotifier(
                        new InMemoryAlertStore(),
                        (target, headers, body) -> 204,
                        new AlertNotifier.Settings(Duration.ofSeconds(10), 5),
                        clock),
                new AlertLoop.Settings(Duration.ofSeconds(15)),
                clock);
        figures.only("billing", 4, 1, 10, 9);

        loop.pass();
        clock.advance(Duration.ofSeconds(3));
        loop.pass();
        clock.advance(Duration.ofSeconds(12));
        figures.only("billing", 6, 1, 10, 10);
        loop.pass();

        assertEquals(
                List.of(
                        new FigureHistory.Sample(Instant.parse("2026-01-01T10:00:00Z"), 0.0, 0.03, 0.9, null, 4, 1),
                        new FigureHistory.Sample(
                                Instant.parse("2026-01-01T10:00:15Z"), 0.0, 10 / 300.0, 1.0, null, 6, 1)),
                monitoring.history().samples());
    }

    private List<Long> depths() {
        return history.samples().stream().map(FigureHistory.Sample::queueDepth).toList();
    }
}
