package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.idynic.eventbus.broker.DeadLetters;
import com.idynic.eventbus.broker.Masking;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.spi.DeadLetterStore;
import com.idynic.eventbus.broker.spi.DeliveryHistory;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** An inspected dead letter's sensitive values: clear for its subscription's owner and the role sensitive only. */
class SensitiveDeadLettersTest {
    static final JsonObject MASKED =
            Json.createObjectBuilder().add("card", Masking.MASK).build();

    final SubscriptionDeadLettersTest fixture = new SubscriptionDeadLettersTest();
    final SubscriptionDeadLetters deadLetters = new SubscriptionDeadLetters(
            fixture.registry,
            new DeadLetters(
                    (DeadLetterStore) fixture.store,
                    (DeliveryHistory) fixture.store,
                    fixture.events,
                    new Signal(),
                    new Masking((type, data) -> MASKED)));

    JsonObject inspected(ServiceAccount viewer) {
        return deadLetters.inspect(viewer, "orders", "e1").event().orElseThrow().data();
    }

    @Test
    void anOperatorSeesTheEventMasked() {
        assertEquals(MASKED, inspected(fixture.operator));
    }

    @Test
    void theOwnerAndAnOperatorWithTheRoleSensitiveSeeItInClear() {
        assertEquals(JsonObject.EMPTY_JSON_OBJECT, inspected(fixture.billing));
        assertEquals(
                JsonObject.EMPTY_JSON_OBJECT,
                inspected(SubscriptionDeadLettersTest.account("ops-2", Role.OPERATOR, Role.SENSITIVE)));
    }
}
