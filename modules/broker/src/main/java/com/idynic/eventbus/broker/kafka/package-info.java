/**
 * Kafka adapters built on kafka-clients: the idempotent producer behind the relay and topic
 * provisioning. Used where exact producer control is needed (acks, idempotence, per-record futures).
 *
 * @since 0.1.0
 */
package com.idynic.eventbus.broker.kafka;
