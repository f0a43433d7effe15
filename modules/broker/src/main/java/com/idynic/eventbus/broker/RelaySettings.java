package com.idynic.eventbus.broker;

import java.time.Duration;

/**
 * How the relay moves events from the outbox to Kafka ({@code eventbus.relay.*}).
 *
 * @param batchSize most events sent in one pass, e.g. 500
 * @param batchBytes a pass also stops once its events' JSON adds up to this many bytes (at least one event
 *     is sent), e.g. 16 MiB
 * @param pollInterval the idle wait between looks at the outbox when no commit wakes the relay, e.g. 0.5 s
 * @param threads relay threads on this server (members of the relay, each with its own lanes and Kafka
 *     producer), e.g. 2; at least 1
 * @since 0.8.0
 */
public record RelaySettings(int batchSize, long batchBytes, Duration pollInterval, int threads) {
    public RelaySettings {
        if (threads < 1) {
            throw new IllegalArgumentException("eventbus.relay.threads must be at least 1, was " + threads);
        }
    }
}
