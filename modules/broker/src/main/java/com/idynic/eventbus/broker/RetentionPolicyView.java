package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.RetentionPolicy;
import java.time.Duration;

/**
 * How long events of one type are kept, as operators read and set it (the stored {@link RetentionPolicy} may
 * change without changing it).
 *
 * @param eventType the exact type
 * @param maxAge events older than this (by acceptance time) are removed
 * @param maxCount at most this many of the newest events of the type are kept; null for no count limit
 * @since 0.23.0
 */
public record RetentionPolicyView(String eventType, Duration maxAge, Long maxCount) {
    static RetentionPolicyView of(RetentionPolicy p) {
        return new RetentionPolicyView(p.eventType(), p.maxAge(), p.maxCount());
    }
}
