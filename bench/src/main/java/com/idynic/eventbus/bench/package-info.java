/**
 * The side-by-side benchmark ({@code bench/run.sh}): the bus measured next to raw PostgreSQL, Kafka,
 * RabbitMQ and NATS JetStream on the same machine, in the same run, with the same payload and concurrency.
 * Not part of the test suite; speed lives here, not in tests.
 */
package com.idynic.eventbus.bench;
