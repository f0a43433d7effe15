package com.idynic.eventbus.broker.spi;

import java.util.List;

/**
 * Answers which active subscriptions want an event type.
 *
 * @since 0.1.0
 */
public interface SubscriptionDirectory {
    /** @return ids of active subscriptions whose selector matches {@code eventType}; never null */
    List<String> matching(String eventType);
}
