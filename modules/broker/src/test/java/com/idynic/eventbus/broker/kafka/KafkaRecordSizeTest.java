package com.idynic.eventbus.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaRecordSizeTest {
    static final int MIB = 1024 * 1024;
    /** Kafka's defaults: the producer's max.request.size and the broker's message.max.bytes. */
    static final int KAFKA_MAX_REQUEST_SIZE = 1_048_576;

    static final int KAFKA_MESSAGE_MAX_BYTES = 1_048_588;

    @Test
    void aRecordHoldsThreeBytesForEveryCharacterOfTheLargestEventAnd64KiBForKeyAndHeaders() {
        assertEquals(3 * MIB + 64 * 1024, KafkaRecordSize.forEvents(MIB).maxBytes());
        assertEquals(3 * 1000 + 64 * 1024, KafkaRecordSize.forEvents(1000).maxBytes());
    }

    @Test
    void theLargestEventOfTheDefaultLimitFitsAboveKafkasOwnDefaults() {
        KafkaRecordSize size = KafkaRecordSize.forEvents(MIB);
        assertTrue((int) size.producerSettings().get("max.request.size") > KAFKA_MAX_REQUEST_SIZE);
        assertTrue(Integer.parseInt(size.topicSettings().get("max.message.bytes")) > KAFKA_MESSAGE_MAX_BYTES);
    }

    @Test
    void theProducerAndTheTopicAgreeOnTheLimit() {
        KafkaRecordSize size = KafkaRecordSize.forEvents(MIB);
        assertEquals(Map.of("max.message.bytes", String.valueOf(size.maxBytes())), size.topicSettings());
        assertEquals(size.maxBytes(), size.producerSettings().get("max.request.size"));
    }

    @Test
    void aBatchEventOfTheLimitInThreeByteCharactersFitsWithItsHeaders() {
        int chars = MIB;
        long payloadBytes = "€".repeat(chars).getBytes(StandardCharsets.UTF_8).length;
        long headers = 7 * (16 + 3 * 200L);
        assertTrue(payloadBytes + headers <= KafkaRecordSize.forEvents(chars).maxBytes());
    }

    @Test
    void theProducerBufferKeepsItsDefaultUnlessOneRecordWouldNotFitInIt() {
        assertFalse(KafkaRecordSize.forEvents(MIB).producerSettings().containsKey("buffer.memory"));
        KafkaRecordSize huge = KafkaRecordSize.forEvents(16L * MIB);
        assertEquals((long) huge.maxBytes(), huge.producerSettings().get("buffer.memory"));
    }

    @Test
    void anEventLimitThatIsNotPositiveOrMakesRecordsOver2GiBIsRefusedNamingTheSetting() {
        for (long limit : new long[] {0, -1, Integer.MAX_VALUE}) {
            var e = assertThrows(IllegalArgumentException.class, () -> KafkaRecordSize.forEvents(limit));
            assertTrue(e.getMessage().contains("eventbus.publish.max-body-bytes"), e.getMessage());
        }
    }
}
