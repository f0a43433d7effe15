package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.DeliveryQueue;
import com.idynic.eventbus.broker.spi.Leased;
import com.idynic.eventbus.broker.spi.StoredEvent;
import jakarta.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObservedDeliveryQueueTest {
    static final Instant NOW = Instant.parse("2026-12-10T12:00:00Z");

    /** Settles every delivery but those it lost the lease of. */
    static final class LosingQueue implements DeliveryQueue {
        final Set<Long> lost;

        LosingQueue(Set<Long> lost) {
            this.lost = lost;
        }

        @Override
        public void enqueue(String eventId, String orderingKey, Collection<String> subscriptionIds) {}

        @Override
        public List<Leased> lease(String subscriptionId, int max, Duration leaseFor) {
            return List.of();
        }

        @Override
        public List<Leased> leased(String subscriptionId, Collection<String> eventIds) {
            return List.of();
        }

        @Override
        public boolean withhold(Leased delivery, String reason) {
            return true;
        }

        @Override
        public boolean settle(Leased delivery, AttemptResult attempt, Decision decision) {
            return !lost.contains(delivery.deliveryId());
        }

        @Override
        public int requeue(String subscriptionId, Collection<String> eventIds) {
            return 0;
        }
    }

    static Leased leased(long id, String subscription, Instant acceptedAt, boolean replay) {
        EventEnvelope e = EventEnvelope.of(
                "evt-" + id,
                "order.placed",
                "orders",
                Json.createObjectBuilder().build());
        return new Leased(
                id,
                subscription,
                new StoredEvent(
                        e, new PublishReceipt(e.id(), OffsetDateTime.ofInstant(acceptedAt, ZoneOffset.UTC), "r"), true),
                1,
                NOW,
                NOW,
                replay);
    }

    static DeliveryQueue.Settlement settlement(Leased l, Decision.Kind kind) {
        AttemptResult r = new AttemptResult(
                kind == Decision.Kind.DELIVERED ? AttemptResult.Outcome.SUCCESS : AttemptResult.Outcome.FAILURE,
                NOW,
                Duration.ofMillis(5),
                "https://x.example",
                200,
                null,
                null);
        return new DeliveryQueue.Settlement(l, r, new Decision(kind, kind == Decision.Kind.RETRY ? NOW : null, null));
    }

    @Test
    void everySettlementThatCommittedIsToldWithItsTimeSincePublishAndNoneThatLostItsLease() {
        List<DeliverySettled> told = new ArrayList<>();
        DeliveryQueue q =
                new ObservedDeliveryQueue(new LosingQueue(Set.of(3L)), told::add, Clock.fixed(NOW, ZoneOffset.UTC));

        Set<Long> settled = q.settleAll(List.of(
                settlement(leased(1, "billing", NOW.minusMillis(250), false), Decision.Kind.DELIVERED),
                settlement(leased(2, "billing", NOW.minusSeconds(3), false), Decision.Kind.RETRY),
                settlement(leased(3, "billing", NOW.minusSeconds(1), false), Decision.Kind.DELIVERED),
                settlement(leased(4, "audit", NOW.minusSeconds(86_400), true), Decision.Kind.DELIVERED)));
        q.settle(leased(5, "audit", NOW.minusSeconds(9), false), null, new Decision(Decision.Kind.DEAD, null, "x"));

        assertEquals(Set.of(1L, 2L, 4L), settled);
        assertEquals(
                List.of(
                        new DeliverySettled("billing", Decision.Kind.DELIVERED, false, Duration.ofMillis(250)),
                        new DeliverySettled("billing", Decision.Kind.RETRY, false, Duration.ofSeconds(3)),
                        new DeliverySettled("audit", Decision.Kind.DELIVERED, true, Duration.ofSeconds(86_400)),
                        new DeliverySettled("audit", Decision.Kind.DEAD, false, Duration.ofSeconds(9))),
                told);
    }

    @Test
    void aListenerThatFailsDoesNotFailTheSettlement() {
        DeliveryQueue q = new ObservedDeliveryQueue(
                new LosingQueue(Set.of()),
                s -> {
                    throw new IllegalStateException("metrics down");
                },
                Clock.fixed(NOW, ZoneOffset.UTC));

        assertEquals(
                Set.of(1L),
                q.settleAll(List.of(settlement(leased(1, "billing", NOW, false), Decision.Kind.DELIVERED))));
    }
}
