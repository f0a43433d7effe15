package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.broker.spi.DeadLetterStore;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    final List<List<Object>> calls = new ArrayList<>();
    final Signal enqueued = new Signal();
    final DeadLetterStore store = (DeadLetterStore) Proxy.newProxyInstance(
            DeadLetterStore.class.getClassLoader(), new Class<?>[] {DeadLetterStore.class}, (proxy, method, args) -> {
                List<Object> call = new ArrayList<>();
                call.add(method.getName());
                call.addAll(Arrays.asList(args));
                calls.add(call);
                return 2;
            });
    final DeadLetters deadLetters = new DeadLetters(store, enqueued);

    @Test
    void aRedriveGoesToTheStoreWithItsActorInOneCallAndWakesTheDeliveryLoops() {
        long before = enqueued.generation();

        assertEquals(2, deadLetters.redrive("billing", List.of("e1", "e2"), "ops"));

        assertEquals(List.of(List.of("redrive", "billing", List.of("e1", "e2"), "ops")), calls);
        assertEquals(before + 1, enqueued.generation());
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
}
