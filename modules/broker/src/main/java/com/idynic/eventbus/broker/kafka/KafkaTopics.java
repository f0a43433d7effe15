package com.idynic.eventbus.broker.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the events topic with the configured partition count and record size when it is missing, raises
 * the record size of an existing topic that is too small for the bus's largest event, and answers whether
 * the cluster is reachable (for readiness).
 *
 * @since 0.1.0
 */
public final class KafkaTopics implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaTopics.class.getName());

    private final Admin admin;

    /** @param bootstrapServers e.g. {@code 127.0.0.1:9092} */
    public KafkaTopics(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "eventbus-admin");
        this.admin = Admin.create(p);
    }

    /**
     * @param topic name
     * @param partitions partition count for a new topic (an existing topic keeps its own)
     * @param replication replication factor for a new topic
     * @param recordSize the largest record the relay sends: a new topic is created with it as {@code
     *     max.message.bytes}, an existing topic whose limit is lower is raised to it
     * @throws IllegalStateException when Kafka cannot be reached
     * @since 0.7.0
     */
    public void ensure(String topic, int partitions, short replication, KafkaRecordSize recordSize) {
        Map<String, String> configs = new HashMap<>(recordSize.topicSettings());
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "1");
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, replication).configs(configs)))
                    .all()
                    .get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e);
            }
            fitRecords(topic, recordSize);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic + ": " + e, e);
        }
    }

    /**
     * Raises an existing topic's {@code max.message.bytes} (often the broker's default, about 1 MiB) to the
     * record size; logs once when it does. A cluster that refuses the change is logged and left as it is:
     * records over its limit are then refused by Kafka and set aside by the relay.
     */
    private void fitRecords(String topic, KafkaRecordSize recordSize) {
        long current;
        try {
            current = maxMessageBytes(topic);
        } catch (IllegalStateException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            // e.g. no DescribeConfigs permission: the relay must still start; oversized records are set aside
            LOG.warning("cannot read max.message.bytes of topic " + topic + " (" + e.getCause() + "); events that"
                    + " make records over the topic's limit will be refused by Kafka and moved to eb_outbox_refused");
            return;
        }
        if (current >= recordSize.maxBytes()) {
            return;
        }
        var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        var op = new AlterConfigOp(
                new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(recordSize.maxBytes())),
                AlterConfigOp.OpType.SET);
        try {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(5, TimeUnit.SECONDS);
            LOG.info("raised max.message.bytes of topic " + topic + " from " + current + " to " + recordSize.maxBytes()
                    + " bytes, so that the largest event the bus accepts fits in one record");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            LOG.warning("cannot raise max.message.bytes of topic " + topic + " from " + current + " to "
                    + recordSize.maxBytes() + " bytes (" + e + "); events that make larger records will be refused"
                    + " by Kafka and moved to eb_outbox_refused");
        }
    }

    /** @return the topic's effective {@code max.message.bytes} (its own or the broker's default), -1 when unset */
    long maxMessageBytes(String topic) {
        var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            ConfigEntry entry = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(5, TimeUnit.SECONDS)
                    .get(resource)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return entry == null || entry.value() == null ? -1 : Long.parseLong(entry.value());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read max.message.bytes of " + topic + ": " + e, e);
        }
    }

    /**
     * Sets the topic's {@code retention.ms}.
     *
     * @throws IllegalStateException when Kafka cannot be reached
     */
    public void setRetention(String topic, java.time.Duration retention) {
        var resource = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
        var op = new org.apache.kafka.clients.admin.AlterConfigOp(
                new org.apache.kafka.clients.admin.ConfigEntry("retention.ms", String.valueOf(retention.toMillis())),
                org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
        try {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set retention of " + topic + ": " + e, e);
        }
    }

    /** @return the topic's {@code retention.ms} */
    public long retentionMs(String topic) {
        var resource = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
        try {
            return Long.parseLong(admin.describeConfigs(List.of(resource))
                    .all()
                    .get(5, TimeUnit.SECONDS)
                    .get(resource)
                    .get("retention.ms")
                    .value());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read retention of " + topic + ": " + e, e);
        }
    }

    /**
     * @return records of the topic not yet committed by the consumer group (over all partitions), or empty
     *     when Kafka does not answer within 3 s
     */
    public java.util.OptionalLong consumerLag(String topic, String group) {
        try {
            var committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(3, TimeUnit.SECONDS);
            var partitions = admin.describeTopics(java.util.List.of(topic))
                    .allTopicNames()
                    .get(3, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions();
            java.util.Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                    new java.util.HashMap<>();
            partitions.forEach(p -> latest.put(
                    new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                    org.apache.kafka.clients.admin.OffsetSpec.latest()));
            long lag = 0;
            for (var e :
                    admin.listOffsets(latest).all().get(3, TimeUnit.SECONDS).entrySet()) {
                var c = committed.get(e.getKey());
                lag += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
            }
            return java.util.OptionalLong.of(lag);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.OptionalLong.empty();
        } catch (Exception e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** @return the cluster id, or throws when the cluster does not answer within 3 s */
    public String clusterId() {
        try {
            return admin.describeCluster().clusterId().get(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka unreachable: " + e, e);
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(3));
    }
}
