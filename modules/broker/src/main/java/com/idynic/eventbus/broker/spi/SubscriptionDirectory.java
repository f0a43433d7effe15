package com.idynic.eventbus.broker.spi;

import com.idynic.eventbus.api.EventEnvelope;
import java.util.List;

/**
 * Answers which active subscriptions want an event.
 *
 * @since 0.1.0
 */
public interface SubscriptionDirectory {
    /** @return ids of active subscriptions whose selector and filter match the event; never null */
    List<String> matching(EventEnvelope event);
}
