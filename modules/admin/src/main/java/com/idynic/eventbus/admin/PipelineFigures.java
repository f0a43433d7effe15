package com.idynic.eventbus.admin;

import java.time.Duration;

/**
 * Whether events are flowing: what waits between publish and delivery, and how long ago each stage moved.
 *
 * @param outboxBacklog events accepted but not yet relayed to Kafka
 * @param relayLag how long the oldest of them has waited (zero when none wait)
 * @param sinceRelayProgress time since the relay last finished a pass (relayed, found nothing to do, or failed and
 *     retried), or null before the relay started: a relay stuck inside a pass shows here
 * @param dispatchLag records waiting in Kafka for the dispatcher, or null while Kafka does not answer (or before the
 *     first probe: {@link Monitoring#probe()})
 * @param sinceDispatchProgress time since the dispatcher last handled or retried a record (or had none waiting), or
 *     null before the first probe
 * @since 0.19.0
 */
public record PipelineFigures(
        long outboxBacklog,
        Duration relayLag,
        Duration sinceRelayProgress,
        Long dispatchLag,
        Duration sinceDispatchProgress) {}
