package com.idynic.eventbus.broker.kafka;

import com.idynic.eventbus.broker.spi.EventLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Replays read from the events topic: each record's timestamp is the event's accepted time and its
 * {@code eb-seq} header its publish-order number, so a reader seeks every partition by time
 * ({@code offsetsForTimes}), reads up to the end offsets seen when it opened, and merges the partitions
 * by sequence number: the same events, in the same order, as the PostgreSQL store would give (records of
 * either format, {@link EventRecords}). A
 * record relayed twice (a relay retry) is read once; a record without the header, or a range Kafka no
 * longer fully holds, makes the reader fail or not open, and the replay reads PostgreSQL instead.
 */
public final class KafkaEventLog implements EventLog {
    /** Header carrying the event's global sequence number. */
    public static final String SEQ_HEADER = "eb-seq";

    private static final Logger LOG = Logger.getLogger(KafkaEventLog.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STALL = Duration.ofSeconds(30);
    private static final long SKEW_MILLIS = 10_000;

    private final String bootstrap;
    private final String topic;

    public KafkaEventLog(String bootstrap, String topic) {
        this.bootstrap = bootstrap;
        this.topic = topic;
    }

    @Override
    public Optional<Reader> open(Instant since, long afterSeq, long upToSeq) {
        KafkaConsumer<String, String> consumer = consumer();
        try {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(5))
                    .forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            if (parts.isEmpty()) {
                consumer.close();
                return Optional.empty();
            }
            consumer.assign(parts);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts, Duration.ofSeconds(5));
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(5));
            Map<TopicPartition, Long> zero = new HashMap<>();
            Map<TopicPartition, Long> from = new HashMap<>();
            long seekTime = Math.max(0, since.toEpochMilli() - SKEW_MILLIS);
            for (TopicPartition p : parts) {
                zero.put(p, 0L);
                from.put(p, seekTime);
            }
            Map<TopicPartition, OffsetAndTimestamp> first = consumer.offsetsForTimes(zero, Duration.ofSeconds(5));
            for (TopicPartition p : parts) {
                OffsetAndTimestamp f = first.get(p);
                if (begin.get(p) > 0 && (f == null || f.timestamp() > seekTime)) {
                    LOG.info("replay reads PostgreSQL: " + p + " no longer holds events from " + since);
                    consumer.close();
                    return Optional.empty();
                }
            }
            Map<TopicPartition, OffsetAndTimestamp> at = consumer.offsetsForTimes(from, Duration.ofSeconds(5));
            for (TopicPartition p : parts) {
                OffsetAndTimestamp o = at.get(p);
                consumer.seek(p, o == null ? end.get(p) : o.offset());
            }
            return Optional.of(new MergingReader(consumer, parts, end, afterSeq, upToSeq));
        } catch (RuntimeException e) {
            LOG.info("replay reads PostgreSQL: Kafka not usable (" + e.getMessage() + ")");
            consumer.close();
            return Optional.empty();
        }
    }

    private KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // records deleted under a running replay must fail it (it then reads PostgreSQL), never skip ahead
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "eventbus-replay");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return new KafkaConsumer<>(p);
    }

    /** Per-partition buffers merged by sequence number (a partition's records are in publish order). */
    private static final class MergingReader implements Reader {
        private final KafkaConsumer<String, String> consumer;
        private final Map<TopicPartition, ArrayDeque<Logged>> buffers = new HashMap<>();
        private final Map<TopicPartition, Long> end;
        private final Map<TopicPartition, Long> lastSeen = new HashMap<>();
        private final long afterSeq;
        private final long upToSeq;

        MergingReader(
                KafkaConsumer<String, String> consumer,
                List<TopicPartition> parts,
                Map<TopicPartition, Long> end,
                long afterSeq,
                long upToSeq) {
            this.consumer = consumer;
            this.end = end;
            this.afterSeq = afterSeq;
            this.upToSeq = upToSeq;
            parts.forEach(p -> buffers.put(p, new ArrayDeque<>()));
        }

        private boolean drained(TopicPartition p) {
            return consumer.position(p) >= end.get(p);
        }

        @Override
        public List<Logged> next(int max) {
            List<Logged> out = new ArrayList<>();
            long stalledSince = System.nanoTime();
            while (out.size() < max) {
                boolean waiting =
                        buffers.entrySet().stream().anyMatch(e -> e.getValue().isEmpty() && !drained(e.getKey()));
                if (waiting) {
                    int got = fill();
                    if (got == 0 && System.nanoTime() - stalledSince > STALL.toNanos()) {
                        throw new IllegalStateException("Kafka returned nothing for " + STALL.toSeconds() + " s");
                    }
                    if (got > 0) {
                        stalledSince = System.nanoTime();
                    }
                    continue;
                }
                ArrayDeque<Logged> lowest = null;
                for (ArrayDeque<Logged> b : buffers.values()) {
                    if (!b.isEmpty()
                            && (lowest == null
                                    || b.peekFirst().seq() < lowest.peekFirst().seq())) {
                        lowest = b;
                    }
                }
                if (lowest == null) {
                    break;
                }
                out.add(lowest.pollFirst());
            }
            return out;
        }

        private int fill() {
            int n = 0;
            for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                TopicPartition p = new TopicPartition(r.topic(), r.partition());
                if (r.offset() >= end.get(p)) {
                    continue;
                }
                n++;
                Header h = r.headers().lastHeader(SEQ_HEADER);
                if (h == null) {
                    throw new IllegalStateException("record " + p + "@" + r.offset() + " has no " + SEQ_HEADER
                            + " header (relayed by an older version)");
                }
                long seq = Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
                if (seq <= afterSeq || seq > upToSeq || seq == lastSeen.getOrDefault(p, -1L)) {
                    continue;
                }
                lastSeen.put(p, seq);
                buffers.get(p).addLast(new Logged(seq, EventRecords.envelope(r)));
            }
            return n;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
