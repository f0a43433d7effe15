package com.idynic.eventbus.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.broker.spi.EventRefusedException;
import com.idynic.eventbus.broker.spi.OutboxEntry;
import java.time.Instant;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class KafkaEventSinkTest {
    static final OutboxEntry BIG =
            new OutboxEntry(7, "evt-big", "it.big", "svc", null, null, null, "{\"a\":\"é\"}", 7, Instant.EPOCH);

    @Test
    void aRecordKafkaFindsTooLargeIsRefusedForGoodNamingTheEventAndItsSize() {
        var tooLarge = new RecordTooLargeException("The message is 3300000 bytes when serialized which is larger"
                + " than 3211264, which is the value of the max.request.size configuration.");
        Exception seen = KafkaEventSink.refusal(BIG, tooLarge);
        assertInstanceOf(EventRefusedException.class, seen);
        assertSame(tooLarge, seen.getCause());
        assertTrue(seen.getMessage().contains("evt-big"), seen.getMessage());
        assertTrue(seen.getMessage().contains("10 bytes of JSON"), seen.getMessage());
        assertTrue(seen.getMessage().contains("max.request.size"), seen.getMessage());
    }

    @Test
    void anyOtherFailureStaysAsItIsSoTheRelayRetriesIt() {
        var timeout = new TimeoutException("Expiring 1 record(s)");
        assertSame(timeout, KafkaEventSink.refusal(BIG, timeout));
    }
}
