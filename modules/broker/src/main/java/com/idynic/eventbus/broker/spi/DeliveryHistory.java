package com.idynic.eventbus.broker.spi;

import java.util.List;

/**
 * Where one event stands for each subscription, and every attempt made to deliver it: what an operator
 * reads when asking "did it arrive?".
 *
 * @since 0.8.0
 */
public interface DeliveryHistory {
    /**
     * @return the state of the event for every subscription that received it (at most 1000), by subscription; as
     *     long as the event is kept, delivered ones included. A subscription that got the event again (a replay
     *     after its first delivery left the queue for the history) has one entry per delivery, newest first.
     */
    List<DeliveryStatus> statusOf(String eventId);

    /** @return every recorded attempt for the event, oldest first (at most 1000), as long as the event is kept */
    List<DeliveryAttempt> attemptsOf(String eventId);
}
