package com.idynic.eventbus.broker.spi;

import java.time.Duration;

/**
 * How long events of one type are kept.
 *
 * @param eventType the exact type
 * @param maxAge events older than this (by acceptance time) are removed
 * @param maxCount keep at most this many of the newest events of the type; null for no count limit
 * @since 0.2.0
 */
public record RetentionPolicy(String eventType, Duration maxAge, Long maxCount) {}
