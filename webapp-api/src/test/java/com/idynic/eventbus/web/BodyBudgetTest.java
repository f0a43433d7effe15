package com.idynic.eventbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import org.junit.jupiter.api.Test;

class BodyBudgetTest {
    @Test
    void aShareIsRefusedWith503AndARetryAfterWhileOthersHoldTheBudgetAndGetsItOnceTheyClose() {
        BodyBudget budget = new BodyBudget(1000);
        BodyBudget.Share first = budget.open();
        first.charge(700);
        BodyBudget.Share second = budget.open();

        BusException e = assertThrows(BusException.class, () -> second.charge(400));

        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, e.errorCode());
        assertEquals(503, Errors.status(e.errorCode()));
        assertEquals(1, e.details().get("retryAfterSeconds"));
        assertEquals(0, second.charged(), "a refused charge holds nothing");
        first.close();
        second.charge(400);
        assertEquals(400, budget.inUse());
    }

    @Test
    void aShareThatAloneWouldNeedMoreThanTheWholeBudgetIsRefusedWith413() {
        BodyBudget budget = new BodyBudget(1000);
        BodyBudget.Share share = budget.open();
        share.charge(600);

        BusException e = assertThrows(BusException.class, () -> share.charge(401));

        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, e.errorCode());
        assertEquals(1000L, e.details().get("budgetBytes"));
    }

    @Test
    void closingAShareGivesBackEverythingItWasChargedOnce() {
        BodyBudget budget = new BodyBudget(1000);
        BodyBudget.Share share = budget.open();
        share.charge(300);
        share.charge(200);

        share.close();
        share.close();

        assertEquals(0, budget.inUse());
    }
}
