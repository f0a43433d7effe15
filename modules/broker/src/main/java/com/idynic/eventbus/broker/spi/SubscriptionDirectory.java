package com.idynic.eventbus.broker.spi;

import com.idynic.eventbus.api.EventEnvelope;
import java.util.List;

/**
 * Answers which subscriptions want an event.
 *
 * @since 0.1.0
 */
public interface SubscriptionDirectory {
    /**
     * Paused and disabled subscriptions are included, so their events wait for them until they are resumed
     * (the delivery store hands out events only to active subscriptions).
     *
     * @return ids of the subscriptions, in any state, whose selector and filter match the event and whose
     *     owner may read it now; never null
     */
    List<String> matching(EventEnvelope event);
}
