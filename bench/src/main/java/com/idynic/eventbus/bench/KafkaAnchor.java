package com.idynic.eventbus.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Raw Kafka, the broker the bus uses: an idempotent {@code acks=all} producer (one, shared by the clients, as
 * an application would) sending synchronously in a closed loop, into a topic of the benchmark's own with the
 * bus topic's partition count; then a plain consumer reading records from the beginning (the replay's anchor).
 */
final class KafkaAnchor {
    private static final String BUS_TOPIC = "idynic.events";

    private final Bench b;
    private final String bootstrap;
    private final String topic;

    KafkaAnchor(Bench b) {
        this.b = b;
        this.bootstrap = b.env.require("EVENTBUS_KAFKA_BOOTSTRAP");
        this.topic = "bench-anchor-" + b.slug;
    }

    void run() throws Exception {
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        ap.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        ap.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        try (Admin admin = Admin.create(ap)) {
            int partitions = partitions(admin);
            admin.createTopics(List.of(
                            new NewTopic(topic, partitions, (short) 1).configs(Map.of("min.insync.replicas", "1"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            b.results.put("anchors.kafka.partitions", partitions);
            try {
                produceAndConsume(partitions);
            } finally {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private int partitions(Admin admin) throws Exception {
        try {
            TopicDescription d = admin.describeTopics(List.of(BUS_TOPIC))
                    .allTopicNames()
                    .get(20, TimeUnit.SECONDS)
                    .get(BUS_TOPIC);
            return d.partitions().size();
        } catch (Exception e) {
            b.results.note("kafka: could not read the bus topic's partition count (" + e.getMessage()
                    + "); used the bus's default, 6");
            return 6;
        }
    }

    private void produceAndConsume(int partitions) throws Exception {
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        pp.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        pp.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        pp.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp)) {
            AtomicLong sent = new AtomicLong();
            for (int clients : b.plan.anchorClients()) {
                LoadResult r = b.loop.run(
                        clients,
                        i -> () -> {
                            byte[] body = b.payloads.anchorMessage("kafka");
                            producer.send(new ProducerRecord<>(topic, Payloads.key(sent.incrementAndGet()), body))
                                    .get(30, TimeUnit.SECONDS);
                            return 0;
                        },
                        0,
                        1,
                        b.plan);
                b.results.put("anchors.kafka.produce.c" + clients, r);
            }
            long have = sent.get();
            int n = b.plan.backlog();
            for (long i = have; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, Payloads.key(i), b.payloads.anchorMessage("kafka")));
            }
            producer.flush();
        }
        consume(partitions, b.plan.backlog());
    }

    /** Reads {@code n} records from the beginning of the topic with one consumer (all partitions assigned). */
    private void consume(int partitions, int n) {
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long t0 = System.nanoTime();
            long deadline = t0 + Duration.ofSeconds(120).toNanos();
            long count = 0;
            long first = 0;
            long firstAt = 0;
            long last = t0;
            while (count < n && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    if (firstAt == 0) {
                        firstAt = System.nanoTime();
                        first = records.count();
                    }
                    count += records.count();
                    last = System.nanoTime();
                }
            }
            // from the first records on: the consumer's start-up (metadata, offsets) is not reading
            double seconds = Math.max(1e-3, (last - firstAt) / 1e9);
            b.results.put("anchors.kafka.consume.records", count);
            b.results.put("anchors.kafka.consume.seconds", seconds);
            b.results.put("anchors.kafka.consume.perSecond", firstAt == 0 ? Double.NaN : (count - first) / seconds);
            b.results.put("anchors.kafka.consume.withStartupPerSecond", count / Math.max(1e-3, (last - t0) / 1e9));
            if (count < n) {
                b.results.note("kafka consumer: read " + count + " of " + n + " records within 120 s");
            }
        }
    }
}
