package com.idynic.eventbus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.admin.spi.MonitoringStore.AttemptStats;
import com.idynic.eventbus.admin.spi.MonitoringStore.QueueCounts;
import com.idynic.eventbus.broker.Loops;
import com.idynic.eventbus.broker.SupervisedLoop;
import com.idynic.eventbus.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MonitoringTest {
    final SettableClock clock = SettableClock.at("2026-12-10T12:00:00Z");
    final ScriptedFigures store = new ScriptedFigures();
    final Loops loops = store.loops(clock);
    final List<Overview> told = new ArrayList<>();
    final Monitoring monitoring = store.monitoring(clock, loops, Duration.ofSeconds(5), told);

    @Test
    void eachSubscriptionsFiguresAndTheWholeBussComeFromOneReadingOfTheStore() {
        store.queues = List.of(new QueueCounts("hook-a", 2, 1), new QueueCounts("pull-b", 7, 5));
        store.attempts = List.of(
                new AttemptStats(
                        "hook-a", 10, 10, 10, Duration.ofMillis(40), Duration.ofMillis(90), Duration.ofMillis(120)),
                new AttemptStats("pull-b", 5, 0, 0, null, null, null),
                new AttemptStats(
                        null, 15, 10, 10, Duration.ofMillis(40), Duration.ofMillis(90), Duration.ofMillis(120)));

        Overview o = monitoring.overview();

        DeliveryFigures a = o.subscription("hook-a").orElseThrow().figures();
        assertEquals(
                new DeliveryFigures(
                        2, 1, 10, 10, 10, Duration.ofMillis(40), Duration.ofMillis(90), Duration.ofMillis(120)),
                a);
        assertEquals(1.0, a.successRate());
        DeliveryFigures b = o.subscription("pull-b").orElseThrow().figures();
        assertEquals(new DeliveryFigures(7, 5, 5, 0, 0, null, null, null), b);
        assertEquals(0.0, b.successRate());
        assertEquals(9, o.total().queueDepth());
        assertEquals(6, o.total().deadLetters());
        assertEquals(10.0 / 15, o.total().successRate());
        assertEquals("closed", o.subscription("hook-a").orElseThrow().circuit());
        assertNull(o.subscription("pull-b").orElseThrow().circuit(), "a pull subscription has no circuit");
        assertEquals(List.of(Instant.parse("2026-12-10T11:55:00Z")), store.attemptWindows, "the window is 5 minutes");
        assertEquals(List.of(o), told, "the reading is told once");
    }

    @Test
    void aSubscriptionWithoutAttemptsInTheWindowHasNoSuccessRateAndNoProcessingTime() {
        store.queues = List.of(new QueueCounts("quiet", 3, 0));

        Overview o = monitoring.overview();

        DeliveryFigures q = o.subscription("quiet").orElseThrow().figures();
        assertEquals(new DeliveryFigures(3, 0, 0, 0, 0, null, null, null), q);
        assertNull(q.successRate());
        assertNull(o.total().successRate());
        assertEquals(3, o.total().queueDepth());
    }

    @Test
    void aSubscriptionsLagIsTheAgeOfItsOldestOwedDeliveryAndTheBussIsTheLargest() {
        store.queues = List.of(
                new QueueCounts("slow", 2, 0, Instant.parse("2026-12-10T11:58:30Z")),
                new QueueCounts("fresh", 9000, 0, Instant.parse("2026-12-10T11:59:58Z")),
                new QueueCounts("skewed", 1, 0, Instant.parse("2026-12-10T12:00:03Z")),
                new QueueCounts("idle", 0, 4, null));

        Overview o = monitoring.overview();

        assertEquals(
                Duration.ofSeconds(90),
                o.subscription("slow").orElseThrow().figures().lag());
        assertEquals(
                Duration.ofSeconds(2),
                o.subscription("fresh").orElseThrow().figures().lag());
        assertEquals(
                Duration.ZERO,
                o.subscription("skewed").orElseThrow().figures().lag(),
                "a database clock ahead of the server's is not a negative lag");
        assertNull(o.subscription("idle").orElseThrow().figures().lag(), "nothing owed: no lag");
        assertEquals(Duration.ofSeconds(90), o.total().lag());
    }

    @Test
    void aReadingIsAnsweredAgainUntilTheCachePeriodHasPassed() {
        Overview first = monitoring.overview();
        clock.advance(Duration.ofMillis(4_999));
        assertSame(first, monitoring.overview());
        assertEquals(1, store.queueReads);

        clock.advance(Duration.ofMillis(1));
        Overview second = monitoring.overview();

        assertEquals(2, store.queueReads);
        assertEquals(clock.instant(), second.at());
        assertEquals(2, told.size());
    }

    @Test
    void aFailedReadingIsNotTriedAgainUntilTheCachePeriodHasPassed() {
        store.down = new IllegalStateException("connection refused");
        assertThrows(IllegalStateException.class, monitoring::overview);
        clock.advance(Duration.ofMillis(4_999));
        assertSame(store.down, assertThrows(IllegalStateException.class, monitoring::overview));
        assertEquals(1, store.queueReads, "one attempt per cache period");

        store.down = null;
        clock.advance(Duration.ofMillis(1));
        Overview back = monitoring.overview();

        assertEquals(2, store.queueReads);
        assertEquals(List.of(back), told);
    }

    @Test
    void thePipelineShowsTheBacklogTheRelayLagAndHowLongAgoRelayAndDispatchMoved() {
        store.backlog.set(42);
        store.lagMillis.set(7_500);
        store.dispatchLag = OptionalLong.of(12);
        PipelineFigures before = monitoring.overview().pipeline();
        assertNull(before.sinceRelayProgress(), "no relay loop yet");
        assertNull(before.dispatchLag(), "Kafka not probed yet");
        assertEquals(0, store.kafkaAsked, "a reading never waits for Kafka");

        SupervisedLoop[] relay = new SupervisedLoop[1];
        relay[0] = loops.supervise(Monitoring.RELAY_LOOP, () -> relay[0].stop(), () -> {});
        relay[0].run();
        clock.advance(Duration.ofSeconds(30));
        monitoring.probe();
        clock.advance(Duration.ofSeconds(10));

        PipelineFigures p = monitoring.overview().pipeline();

        assertEquals(42, p.outboxBacklog());
        assertEquals(Duration.ofMillis(7_500), p.relayLag());
        assertEquals(Duration.ofSeconds(40), p.sinceRelayProgress());
        assertEquals(12L, p.dispatchLag());
        assertEquals(Duration.ofSeconds(40), p.sinceDispatchProgress(), "records wait, none handled since the start");
        assertEquals(1, store.kafkaAsked, "once, by the probe");
        store.dispatchLag = OptionalLong.empty();
        monitoring.probe();
        clock.advance(Duration.ofSeconds(5));
        assertNull(monitoring.overview().pipeline().dispatchLag(), "Kafka did not answer");
    }
}
