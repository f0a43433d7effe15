package com.idynic.eventbus.broker.kafka;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.Backoff;
import com.idynic.eventbus.broker.DispatchWatch;
import com.idynic.eventbus.broker.Dispatcher;
import com.idynic.eventbus.broker.RelayedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The dispatcher's Kafka consumer, owned by the bus and run as a supervised loop ({@code dispatch}): it polls the
 * events topic in batches, records the delivery rows of each batch in one statement (retrying while PostgreSQL
 * is down) and only then commits the batch's offsets, so a crash replays them and the idempotent insert absorbs
 * the repeat. A commit that fails while Kafka is away is covered by the next one. Whatever breaks the consumer
 * itself (a poll that throws, an {@link Error}) ends {@link #run()}; the supervisor starts it again with backoff
 * and a new consumer resumes from the last committed offsets. This replaces a MicroProfile Reactive Messaging channel, which ended for good
 * when Kafka disappeared during an offset commit and stopped all delivery until the server was restarted.
 *
 * @since 0.8.0
 */
public final class KafkaDispatcher implements Runnable {
    private static final Logger LOG = Logger.getLogger(KafkaDispatcher.class.getName());
    /** While PostgreSQL refuses a batch: 100 ms, doubling up to 5 s. */
    private static final Backoff RETRY = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(5));

    private static final Duration POLL = Duration.ofMillis(500);

    private final Supplier<Consumer<String, String>> consumers;
    private final String topic;
    private final Dispatcher dispatcher;
    private final DispatchWatch watch;
    private volatile boolean running = true;
    private volatile Consumer<String, String> current;

    /**
     * @param consumers makes a new consumer for each run (see {@link #consumer(KafkaSettings)})
     * @param topic the events topic
     * @param dispatcher records the delivery rows
     * @param watch told of progress, for liveness
     */
    public KafkaDispatcher(
            Supplier<Consumer<String, String>> consumers, String topic, Dispatcher dispatcher, DispatchWatch watch) {
        this.consumers = consumers;
        this.topic = topic;
        this.dispatcher = dispatcher;
        this.watch = watch;
    }

    /**
     * @return a consumer in the dispatcher's group: offsets committed by hand, from the earliest record when the
     *     group has none, at most {@code dispatchBatch} records per poll
     */
    public static Supplier<Consumer<String, String>> consumer(KafkaSettings kafka) {
        return () -> {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
            p.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.dispatcherGroup());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(kafka.dispatchBatch()));
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, "eventbus-dispatcher");
            p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
            // a member that vanished (a crashed server) gives its partitions up within 10 s, not the default 45 s
            p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
            p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
            return new KafkaConsumer<>(p);
        };
    }

    /** Consumes until {@link #stop()}; returns or throws when the consumer broke (the supervisor restarts it). */
    @Override
    public void run() {
        try (Consumer<String, String> c = consumers.get()) {
            current = c;
            c.subscribe(List.of(topic));
            while (running) {
                ConsumerRecords<String, String> records = c.poll(POLL);
                if (records.isEmpty()) {
                    continue;
                }
                dispatch(records);
                commit(c, records);
                watch.progressed();
            }
        } catch (WakeupException stopping) {
            if (running) {
                throw stopping;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            current = null;
        }
    }

    /**
     * Commits the batch's offsets. A commit that fails (Kafka gone, its coordinator moving, the group
     * rebalancing) is not retried on its own: the rows are stored, the consumer stays, and the next batch's commit
     * covers these offsets too; should the partitions move meanwhile, their new owner reads the records again
     * from the last committed offset and the idempotent enqueue absorbs them. Keeping the consumer matters: a new
     * one would have to join the group again, which waits for the old member's session to expire when Kafka
     * never heard it leave.
     */
    private static void commit(Consumer<String, String> c, ConsumerRecords<String, String> records) {
        try {
            c.commitSync(offsets(records));
        } catch (WakeupException | InterruptException stopping) {
            throw stopping;
        } catch (KafkaException e) {
            LOG.warning("committing the dispatcher's offsets failed; the next batch's commit covers them: " + e);
        }
    }

    /** Ends {@link #run()}: wakes a consumer blocked in a poll or a commit. */
    public void stop() {
        running = false;
        Consumer<String, String> c = current;
        if (c != null) {
            c.wakeup();
        }
    }

    private void dispatch(ConsumerRecords<String, String> records) throws InterruptedException {
        List<RelayedEvent> events = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> r : records) {
            RelayedEvent e = relayed(r);
            if (e != null) {
                events.add(e);
            }
        }
        Duration backoff = RETRY.initial();
        while (true) {
            watch.progressed();
            try {
                dispatcher.dispatchRelayed(events);
                return;
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "dispatch of " + events.size() + " events failed, retrying: " + ex);
                Thread.sleep(backoff.toMillis());
                backoff = RETRY.next(backoff);
            }
            if (!running) {
                throw new InterruptedException("stopping");
            }
        }
    }

    /** @return the offset after the last record of each partition in the batch */
    static Map<TopicPartition, OffsetAndMetadata> offsets(ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition p : records.partitions()) {
            List<ConsumerRecord<String, String>> in = records.records(p);
            next.put(p, new OffsetAndMetadata(in.get(in.size() - 1).offset() + 1));
        }
        return next;
    }

    /**
     * @return the event of a record: id, type and sequence number from its headers ({@code ce_id}, {@code ce_type},
     *     {@code eb-seq}), its ordering key from the record key, the envelope rebuilt from headers and value ({@link
     *     EventRecords}, either format) only when a filter asks; a record without those headers (written before they
     *     existed, or by another producer) is read at once; null (logged) for a record that is not an event
     */
    static RelayedEvent relayed(ConsumerRecord<String, String> r) {
        String id = header(r, "ce_id");
        String type = header(r, "ce_type");
        long seq = number(header(r, KafkaEventLog.SEQ_HEADER));
        if (id != null && type != null && seq >= 0 && r.value() != null) {
            return RelayedEvent.of(id, type, r.key(), seq, () -> EventRecords.envelope(r));
        }
        EventEnvelope e = envelope(r);
        return e == null ? null : RelayedEvent.of(e);
    }

    /** @return the header's sequence number, or -1 when it has none or not a number */
    private static long number(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header);
        } catch (NumberFormatException bad) {
            return -1;
        }
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** @return the record's envelope (either format, {@link EventRecords}), or null (logged) for a record that is not one */
    static EventEnvelope envelope(ConsumerRecord<String, String> r) {
        try {
            return EventRecords.envelope(r);
        } catch (RuntimeException bad) {
            LOG.warning("skipping record " + r.topic() + "-" + r.partition() + "@" + r.offset()
                    + ": not an event of the bus: " + bad);
            return null;
        }
    }
}
