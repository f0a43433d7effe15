package com.idynic.eventbus.broker.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The largest Kafka record the relay produces, derived from the largest event the bus accepts, with the
 * producer and topic settings that let such a record through. Kafka's defaults stop at about 1 MiB, the
 * bus's default event limit, so without them an accepted event near the limit plus its headers would be
 * refused by Kafka.
 *
 * <p>A record holds the stored envelope as UTF-8, split ({@link EventRecords}): {@code data} as the value and the
 * other fields as {@code ce_} headers, each no larger than its JSON text in the envelope, plus its key and the
 * bus's own headers. An event published alone is
 * limited in bytes, one inside a batch in characters of JSON text, and one character is at most 3 bytes
 * in UTF-8; the key, the headers (each at most 200 characters), the record and batch framing and what the
 * stored envelope adds to the request (a normalised timestamp, an empty {@code metadata}, the {@code
 * metadata.traceparent} the bus sets) fit in 64 KiB.
 * For the default event limit of 1 MiB the record limit is 3,211,264 bytes.
 *
 * @param maxBytes largest record in bytes: the producer's {@code max.request.size} and the topic's {@code
 *     max.message.bytes}
 * @since 0.7.0
 */
public record KafkaRecordSize(int maxBytes) {
    /** Room beside the envelope: key, headers, framing, fields the bus writes into the envelope. */
    static final int HEADROOM_BYTES = 64 * 1024;

    /** Most UTF-8 bytes one character of JSON text (a batch's unit of size) becomes. */
    static final int BYTES_PER_CHAR = 3;

    /** The producer's default {@code buffer.memory}: kept unless one record would not fit in it. */
    static final long DEFAULT_BUFFER_MEMORY = 32L * 1024 * 1024;

    public KafkaRecordSize {
        if (maxBytes <= HEADROOM_BYTES) {
            throw new IllegalArgumentException("a Kafka record limit must be above " + HEADROOM_BYTES + " bytes");
        }
    }

    /**
     * @param maxEventBytes the largest event the bus accepts ({@code eventbus.publish.max-body-bytes})
     * @return the record limit for such events, e.g. 3,211,264 bytes for 1,048,576
     * @throws IllegalArgumentException when the event limit is not positive or its records could not be
     *     described to Kafka (over 2 GiB)
     */
    public static KafkaRecordSize forEvents(long maxEventBytes) {
        long bytes = maxEventBytes * BYTES_PER_CHAR + HEADROOM_BYTES;
        if (maxEventBytes <= 0 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("eventbus.publish.max-body-bytes must be between 1 and "
                    + (Integer.MAX_VALUE - HEADROOM_BYTES) / BYTES_PER_CHAR + ", not " + maxEventBytes);
        }
        return new KafkaRecordSize((int) bytes);
    }

    /**
     * @return the producer settings: {@code max.request.size}, and {@code buffer.memory} when the default
     *     could not hold one record
     */
    public Map<String, Object> producerSettings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxBytes);
        if (maxBytes > DEFAULT_BUFFER_MEMORY) {
            settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, (long) maxBytes);
        }
        return Map.copyOf(settings);
    }

    /** @return the topic settings: {@code max.message.bytes} */
    public Map<String, String> topicSettings() {
        return Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxBytes));
    }
}
