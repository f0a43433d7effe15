package com.idynic.eventbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import org.junit.jupiter.api.Test;

class LongPollsTest {
    @Test
    void aServiceHoldingAllItsSlotsIsRefusedWithTheLimitAndARetryAfterOfOneSecond() {
        LongPolls polls = new LongPolls(2);
        polls.enter("billing", 5000);
        polls.enter("billing", 5000);

        BusException e = assertThrows(BusException.class, () -> polls.enter("billing", 5000));

        assertEquals(ErrorCode.RATE_LIMITED, e.errorCode());
        assertEquals(2, e.details().get("limit"));
        assertEquals(2, e.details().get("inFlight"));
        assertEquals(1, e.details().get("retryAfterSeconds"));
    }

    @Test
    void pullsWithoutWaitOtherServicesAndReturnedSlotsAreNotCounted() {
        LongPolls polls = new LongPolls(1);
        LongPolls.Slot held = polls.enter("billing", 5000);

        polls.enter("billing", 0).close();
        polls.enter("reports", 5000).close();
        held.close();

        polls.enter("billing", 5000).close();
    }
}
