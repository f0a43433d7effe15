package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.DeadLetterStore;
import com.idynic.eventbus.broker.spi.DeliveryAttempt;
import com.idynic.eventbus.broker.spi.DeliveryHistory;
import com.idynic.eventbus.broker.spi.DeliveryState;
import com.idynic.eventbus.broker.spi.DeliveryStatus;
import com.idynic.eventbus.broker.spi.EventStore;
import com.idynic.eventbus.broker.spi.IdempotencyRecord;
import com.idynic.eventbus.broker.spi.StoredEvent;
import jakarta.json.JsonObject;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    final List<List<Object>> calls = new ArrayList<>();
    /** What the store answers, by method name; 2 for any method not named here. */
    final Map<String, Object> answers = new HashMap<>();

    final Signal enqueued = new Signal();
    final Object store = Proxy.newProxyInstance(
            DeadLetterStore.class.getClassLoader(),
            new Class<?>[] {DeadLetterStore.class, DeliveryHistory.class},
            (proxy, method, args) -> {
                List<Object> call = new ArrayList<>();
                call.add(method.getName());
                call.addAll(Arrays.asList(args));
                calls.add(call);
                return answers.getOrDefault(method.getName(), 2);
            });
    final Map<String, EventEnvelope> stored = new HashMap<>();
    final EventStore events = new EventStore() {
        @Override
        public boolean append(EventEnvelope event, PublishReceipt receipt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean append(
                EventEnvelope event, PublishReceipt receipt, String service, String idempotencyKey, Duration window) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<IdempotencyRecord> idempotencyKey(String service, String key, Duration window) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StoredEvent> find(String eventId) {
            return Optional.ofNullable(stored.get(eventId)).map(e -> new StoredEvent(e, null, true, null));
        }
    };
    final DeadLetters deadLetters = new DeadLetters((DeadLetterStore) store, (DeliveryHistory) store, events, enqueued);

    static DeliveryStatus dead(long deliveryId, String eventId, Long group) {
        return new DeliveryStatus(
                deliveryId, "billing", eventId, DeliveryState.DEAD, 3, "HTTP 500", null, null, T, group);
    }

    static DeliveryAttempt attempt(String subscriptionId, String eventId) {
        return new DeliveryAttempt(subscriptionId, eventId, 1, T, 5, "webhook", "FAILURE", 500, "HTTP 500");
    }

    @Test
    void aRedriveGoesToTheStoreWithItsActorInOneCallAndWakesTheDeliveryLoops() {
        long before = enqueued.generation();

        assertEquals(2, deadLetters.redrive("billing", List.of("e1", "e2"), "ops"));

        assertEquals(List.of(List.of("redrive", "billing", List.of("e1", "e2"), "ops")), calls);
        assertEquals(before + 1, enqueued.generation());
    }

    @Test
    void aRedriveOfAllPassesNoIdsToTheStore() {
        deadLetters.redrive("billing", null, "ops");

        assertEquals(List.of(Arrays.asList("redrive", "billing", null, "ops")), calls);
    }

    @Test
    void aDiscardWithoutAReasonIsRefusedNamingTheReasonAndTouchesNothing() {
        long before = enqueued.generation();
        for (String reason : Arrays.asList(null, "", "  ")) {
            BusException e =
                    assertThrows(BusException.class, () -> deadLetters.discard("billing", null, reason, "ops"));
            assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
            assertEquals("reason", e.details().get("field"));
        }
        assertEquals(List.of(), calls);
        assertEquals(before, enqueued.generation());
    }

    @Test
    void aDiscardGoesToTheStoreWithItsReasonAndActorInOneCall() {
        assertEquals(2, deadLetters.discard("billing", null, "obsolete", "ops"));
        List<Object> expected = new ArrayList<>(Arrays.asList("discard", "billing", null, "obsolete", "ops"));
        assertEquals(List.of(expected), calls);
    }

    @Test
    void aListAsksTheStoreWithItsFiltersAndCountsEveryMatch() {
        answers.put("deadLetters", List.of(dead(7, "e1", null)));
        answers.put("deadLetterCount", 40L);

        DeadLetters.Page page = deadLetters.list("billing", "order.placed", "timeout", 5, 10);

        assertEquals(List.of(DeliveryView.of(dead(7, "e1", null))), page.deadLetters());
        assertEquals(40, page.count());
        assertEquals(
                List.of(
                        List.of("deadLetters", "billing", DeadLetterFilter.of("order.placed", "timeout"), 5L, 10),
                        List.of("deadLetterCount", "billing", DeadLetterFilter.of("order.placed", "timeout"))),
                calls);
    }

    @Test
    void aFullPageNamesTheLastDeliveryAsTheNextPagesStart() {
        answers.put("deadLetters", List.of(dead(7, "e1", null), dead(9, "e2", null)));
        answers.put("deadLetterCount", 5L);

        assertEquals(
                OptionalLong.of(9),
                deadLetters.list("billing", null, null, 0, 2).next());
    }

    @Test
    void aPageShorterThanTheLimitIsTheLast() {
        answers.put("deadLetters", List.of(dead(7, "e1", null)));
        answers.put("deadLetterCount", 1L);

        assertEquals(
                OptionalLong.empty(),
                deadLetters.list("billing", null, null, 0, 2).next());
    }

    @Test
    void aLimitOutsideOneTo500IsRefusedNamingTheLimitAndReadsNothing() {
        for (int limit : new int[] {0, 501}) {
            BusException e = assertThrows(BusException.class, () -> deadLetters.list("billing", null, null, 0, limit));
            assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
            assertEquals("limit", e.details().get("field"));
        }
        assertEquals(List.of(), calls);
    }

    @Test
    void inspectingAnEventNotDeadInTheQueueIsNotFoundNamingTheEvent() {
        answers.put("deadLetter", Optional.empty());

        BusException e = assertThrows(BusException.class, () -> deadLetters.inspect("billing", "e1", t -> true));

        assertEquals(ErrorCode.NOT_FOUND, e.errorCode());
        assertEquals("e1", e.details().get("eventId"));
    }

    @Test
    void anInspectionShowsTheEventItsAttemptsToThisSubscriptionAndItsParkedSequence() {
        answers.put("deadLetter", Optional.of(dead(7, "e1", 7L)));
        answers.put("parkedSequence", List.of("e1", "e2"));
        answers.put("attemptsOf", List.of(attempt("billing", "e1"), attempt("audit", "e1")));
        stored.put("e1", EventEnvelope.of("e1", "order.placed", "shop", JsonObject.EMPTY_JSON_OBJECT));

        DeadLetters.Inspection i = deadLetters.inspect("billing", "e1", t -> true);

        assertEquals(DeliveryView.of(dead(7, "e1", 7L)), i.deadLetter());
        assertTrue(i.deadLetter().parksOthers(), "it heads the parked sequence");
        assertEquals(List.of("e1", "e2"), i.parkedSequence());
        assertFalse(i.parkedSequenceTruncated());
        assertEquals(List.of(AttemptView.of(attempt("billing", "e1"))), i.attempts());
        assertEquals("order.placed", i.event().orElseThrow().eventType());
        assertTrue(calls.contains(List.of("parkedSequence", "billing", 7L, DeadLetters.MAX_PARKED_SHOWN + 1)));
    }

    @Test
    void aDeadLetterThatParksNothingHasAnEmptySequenceWithoutAskingTheStore() {
        answers.put("deadLetter", Optional.of(dead(7, "e1", null)));
        answers.put("attemptsOf", List.of());

        DeadLetters.Inspection i = deadLetters.inspect("billing", "e1", t -> true);

        assertEquals(List.of(), i.parkedSequence());
        assertTrue(calls.stream().noneMatch(c -> c.get(0).equals("parkedSequence")));
    }

    @Test
    void aParkedSequenceLongerThanTheShownMostIsCutAndSaysSo() {
        answers.put("deadLetter", Optional.of(dead(7, "e1", 7L)));
        answers.put(
                "parkedSequence",
                LongStream.rangeClosed(1, DeadLetters.MAX_PARKED_SHOWN + 1)
                        .mapToObj(n -> "e" + n)
                        .toList());
        answers.put("attemptsOf", List.of());

        DeadLetters.Inspection i = deadLetters.inspect("billing", "e1", t -> true);

        assertEquals(DeadLetters.MAX_PARKED_SHOWN, i.parkedSequence().size());
        assertEquals(
                "e" + DeadLetters.MAX_PARKED_SHOWN,
                i.parkedSequence().get(i.parkedSequence().size() - 1));
        assertTrue(i.parkedSequenceTruncated());
    }

    @Test
    void anEventOfATypeTheCallerMayNotReadIsLeftOut() {
        answers.put("deadLetter", Optional.of(dead(7, "e1", null)));
        answers.put("attemptsOf", List.of());
        stored.put("e1", EventEnvelope.of("e1", "secret.rotated", "vault", JsonObject.EMPTY_JSON_OBJECT));

        DeadLetters.Inspection i = deadLetters.inspect("billing", "e1", t -> !t.startsWith("secret."));

        assertEquals(Optional.empty(), i.event());
    }
}
