package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionStateTest {
    @Test
    void theWireFormsAreTheLowercaseStoredAndJsonValues() {
        assertEquals(List.of("active", "disabled", "paused"), SubscriptionState.wireForms());
        assertEquals(SubscriptionState.ACTIVE, SubscriptionState.parse("active"));
        assertEquals(SubscriptionState.PAUSED, SubscriptionState.parse("paused"));
        assertEquals(SubscriptionState.DISABLED, SubscriptionState.parse("disabled"));
    }

    @Test
    void anUnknownOrMissingStateIsRefusedNamingIt() {
        for (String wire : Arrays.asList("ACTIVE", "stopped", "", null)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> SubscriptionState.parse(wire));
            assertEquals("not a subscription state: " + wire, e.getMessage());
        }
    }

    @Test
    void aSubscriptionIsInTheStateItsWireFormNames() {
        Subscription s = Subscription.pull("s", "svc", List.of("a.b")).withState(SubscriptionState.PAUSED, "why");
        assertEquals("paused", s.state());
        assertEquals(true, s.in(SubscriptionState.PAUSED));
        assertEquals(false, s.in(SubscriptionState.ACTIVE));
    }
}
