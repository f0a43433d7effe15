package com.idynic.eventbus.broker;

import java.time.Duration;

/**
 * How publishing stores events and when it refuses them ({@code eventbus.publish.*}, {@code
 * eventbus.overload.*}); the body limits are the HTTP layer's.
 *
 * @param groupCommitWriters threads that store batches of publishes without an idempotency key, e.g. 2
 * @param groupCommitMaxBatch most publishes stored in one transaction, e.g. 500
 * @param groupCommitQueue most publishes waiting for a writer, e.g. 10000
 * @param groupCommitMaxWait the longest a publish waits for its batch to commit, e.g. 30 s
 * @param idempotencyWindow how long an {@code Idempotency-Key} is remembered, e.g. 24 h
 * @param overloadOutboxThreshold events waiting for Kafka at which every publish is refused, e.g. 10000
 * @param overloadMaxRelayLag the oldest unrelayed event's age at which every publish is refused, e.g. 60 s
 * @param overloadRetryAfter the {@code Retry-After} of a refused publish, e.g. 5 s
 * @param flow when a publish is held before its body is read (since 0.25.0)
 * @since 0.8.0
 */
public record PublishSettings(
        int groupCommitWriters,
        int groupCommitMaxBatch,
        int groupCommitQueue,
        Duration groupCommitMaxWait,
        Duration idempotencyWindow,
        long overloadOutboxThreshold,
        Duration overloadMaxRelayLag,
        Duration overloadRetryAfter,
        Backpressure.Flow flow) {}
