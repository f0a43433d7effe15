package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.idynic.eventbus.broker.spi.RetentionPolicy;
import com.idynic.eventbus.broker.spi.RetentionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionManagerTest {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    /** Remembers what it was asked; drops partitions worth the given counts. */
    static final class FakeStore implements RetentionStore {
        final List<RetentionPolicy> policies = new ArrayList<>();
        final Map<String, Long> wholeDays = new HashMap<>();
        Instant cutoff;
        int ensured;

        @Override
        public List<RetentionPolicy> policies() {
            return policies;
        }

        @Override
        public void save(RetentionPolicy policy) {
            policies.add(policy);
        }

        @Override
        public boolean delete(String eventType) {
            return false;
        }

        @Override
        public int purge(String eventType, Duration maxAge, Long maxCount, int batch) {
            return eventType == null ? 0 : 2;
        }

        @Override
        public int ensurePartitions(int daysAhead) {
            ensured = daysAhead;
            return 0;
        }

        @Override
        public Map<String, Long> dropPartitionsBefore(Instant cutoff) {
            this.cutoff = cutoff;
            return new HashMap<>(wholeDays);
        }
    }

    @Test
    void wholeDaysGoOnlyPastTheLongestPolicyAndAreCountedUnderTheirPolicy() {
        FakeStore store = new FakeStore();
        store.save(new RetentionPolicy("audit.logged", Duration.ofDays(30), null));
        store.save(new RetentionPolicy("ping.sent", Duration.ofHours(1), 10L));
        store.wholeDays.put("audit.logged", 5L);
        store.wholeDays.put("user.created", 7L);
        store.wholeDays.put("order.placed", 1L);
        List<RetentionManager.Report> seen = new ArrayList<>();
        RetentionManager m =
                new RetentionManager(store, Duration.ofDays(7), age -> {}, Clock.fixed(NOW, ZoneOffset.UTC), seen::add);

        RetentionManager.Report r = m.runOnce();

        assertEquals(NOW.minus(Duration.ofDays(30)), store.cutoff, "no day goes before every policy is past it");
        assertEquals(7L, r.removed().get("audit.logged"), "5 by partition + 2 by batch");
        assertEquals(2L, r.removed().get("ping.sent"));
        assertEquals(8L, r.removed().get("*"), "types without a policy count under the default");
        assertEquals(17L, m.removedTotal());
        assertEquals(List.of(r), seen, "metrics hear of every run");
        assertEquals(3, store.ensured, "partitions prepared ahead");
    }

    @Test
    void kafkaKeepsTheLongestAgeAndItsFailureDoesNotFailTheRun() {
        FakeStore store = new FakeStore();
        store.save(new RetentionPolicy("audit.logged", Duration.ofDays(30), null));
        List<Duration> applied = new ArrayList<>();
        RetentionManager m = new RetentionManager(
                store,
                Duration.ofDays(7),
                age -> {
                    applied.add(age);
                    throw new IllegalStateException("Kafka down");
                },
                Clock.fixed(NOW, ZoneOffset.UTC),
                r -> {});
        m.runOnce();
        assertEquals(List.of(Duration.ofDays(30)), applied);
    }
}
