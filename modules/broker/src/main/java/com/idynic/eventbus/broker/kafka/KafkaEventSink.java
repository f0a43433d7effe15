package com.idynic.eventbus.broker.kafka;

import com.idynic.eventbus.broker.spi.EventRefusedException;
import com.idynic.eventbus.broker.spi.EventSink;
import com.idynic.eventbus.broker.spi.OutboxEntry;
import com.idynic.eventbus.broker.spi.Relayed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Sends outbox rows to one Kafka topic with an idempotent, {@code acks=all} producer, in the CloudEvents Kafka
 * binding's binary mode ({@link EventRecords}): record key = the ordering key ({@code partitionkey}), value = the
 * event's {@code data}, every other envelope field in a {@code ce_} header, so a CloudEvents consumer reads the
 * topic as the events themselves. A row whose payload is not an envelope fails its send with {@link
 * EventRefusedException}. Records may be as large as
 * {@link KafkaRecordSize} allows; a record Kafka still refuses as too large fails its send with {@link
 * EventRefusedException}, so the relay sets it aside rather than retrying it.
 *
 * <p>Order across a failure: when one record fails (its delivery timeout expired while the broker was away), the
 * idempotent producer bumps its epoch and goes on sending the records queued behind it, so a key's later event
 * could be written after its earlier one failed, and again after the relay resent both (issue 21: Kafka held
 * e2, e1, e2). So the first failure of a record (not a refusal), or the relay abandoning its pass, closes the
 * producer at once ({@code close(Duration.ZERO)}, from Kafka's own thread when the callback reports the failure,
 * before the next send loop could bump the epoch): every record it holds fails and nothing queued is written
 * later. The next {@link #open()} starts a new producer; passes opened on the old one fail at once instead of
 * handing their later rows to the new one. Within one producer epoch the broker writes a partition's batches
 * in sequence, so a record written implies its predecessors of that partition were.
 *
 * @since 0.1.0
 */
public final class KafkaEventSink implements EventSink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaEventSink.class.getName());

    private final Supplier<RecordProducer> producers;
    private final String topic;
    private Generation current;
    private boolean closed;

    /**
     * @param bootstrapServers e.g. {@code 127.0.0.1:9092}
     * @param topic the events topic
     * @param deliveryTimeoutMs upper bound for one send including retries
     * @param recordSize the largest record to send
     * @since 0.7.0
     */
    public KafkaEventSink(String bootstrapServers, String topic, int deliveryTimeoutMs, KafkaRecordSize recordSize) {
        this(producers(bootstrapServers, deliveryTimeoutMs, recordSize), topic);
    }

    /** @param producers makes the producer of each generation (the first, then one after each failure) */
    KafkaEventSink(Supplier<RecordProducer> producers, String topic) {
        this.producers = producers;
        this.topic = topic;
    }

    /** Producers numbered by generation ({@code eventbus-relay-1}, …), so that their metrics never collide. */
    private static Supplier<RecordProducer> producers(
            String bootstrapServers, int deliveryTimeoutMs, KafkaRecordSize recordSize) {
        AtomicInteger generation = new AtomicInteger();
        return () -> {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(10000, deliveryTimeoutMs - 1));
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeoutMs);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "eventbus-relay-" + generation.incrementAndGet());
            p.putAll(recordSize.producerSettings());
            return RecordProducer.kafka(p);
        };
    }

    /** @return a pass on the current producer, or on a new one when the current one was abandoned */
    @Override
    public synchronized Pass open() {
        if (closed) {
            throw new IllegalStateException("the Kafka sink is closed");
        }
        if (current == null || current.abandoned.get()) {
            current = new Generation(producers.get());
        }
        return current;
    }

    /** One producer, from its creation until the first record sent through it fails; shared by the passes. */
    private final class Generation implements Pass {
        private final RecordProducer producer;
        private final AtomicBoolean abandoned = new AtomicBoolean();

        Generation(RecordProducer producer) {
            this.producer = producer;
        }

        @Override
        public CompletableFuture<Relayed> send(OutboxEntry e) {
            if (abandoned.get()) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "not sent: the producer of this relay pass was closed after a failure"));
            }
            ProducerRecord<String, String> record;
            try {
                record = EventRecords.record(topic, e);
            } catch (RuntimeException notAnEvent) {
                return CompletableFuture.failedFuture(new EventRefusedException(
                        "event " + e.eventId() + ": its stored payload is not an event envelope: " + notAnEvent,
                        notAnEvent));
            }
            CompletableFuture<Relayed> done = new CompletableFuture<>();
            try {
                producer.send(record, (md, ex) -> {
                    if (ex == null) {
                        done.complete(new Relayed(e.seq(), e.eventId(), md.topic(), md.partition(), md.offset()));
                        return;
                    }
                    Exception seen = refusal(e, ex);
                    if (!(seen instanceof EventRefusedException)) {
                        abandon();
                    }
                    done.completeExceptionally(seen);
                });
            } catch (RuntimeException ex) {
                abandon();
                return CompletableFuture.failedFuture(ex);
            }
            return done;
        }

        @Override
        public void abandon() {
            if (!abandoned.compareAndSet(false, true)) {
                return;
            }
            LOG.info("a record failed or its relay pass was given up: the relay's Kafka producer is closed, its"
                    + " unacknowledged records fail and stay in the outbox, the next pass starts a new producer");
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "closing the relay's abandoned Kafka producer: " + ex);
            }
        }
    }

    /**
     * @return {@code failure} as the relay should see it: an {@link EventRefusedException} when Kafka will never
     *     take the record (too large for the producer or the topic), else unchanged
     */
    static Exception refusal(OutboxEntry e, Exception failure) {
        if (failure instanceof RecordTooLargeException) {
            return new EventRefusedException(
                    "event " + e.eventId() + " (type " + e.eventType() + ", "
                            + e.payload().getBytes(StandardCharsets.UTF_8).length
                            + " bytes of JSON) does not fit in one Kafka record: " + failure.getMessage(),
                    failure);
        }
        return failure;
    }

    /** Closes the current producer, waiting up to 5 s for what it holds; {@link #open()} fails from now on. */
    @Override
    public void close() {
        Generation last;
        synchronized (this) {
            closed = true;
            last = current;
            current = null;
        }
        if (last != null && last.abandoned.compareAndSet(false, true)) {
            last.producer.close(Duration.ofSeconds(5));
        }
    }
}
