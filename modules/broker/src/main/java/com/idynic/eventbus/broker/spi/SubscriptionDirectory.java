package com.idynic.eventbus.broker.spi;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.RelayedEvent;
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

    /**
     * As {@link #matching(EventEnvelope)} for an event read from the events topic: implementations should look at
     * {@link RelayedEvent#envelope()} (which parses the record) only for subscriptions whose filter needs it.
     *
     * @return ids of the subscriptions that want the event; never null
     * @since 0.22.0
     */
    default List<String> matching(RelayedEvent event) {
        return matching(event.envelope());
    }
}
