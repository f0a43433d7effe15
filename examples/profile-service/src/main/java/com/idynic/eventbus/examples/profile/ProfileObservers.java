package com.idynic.eventbus.examples.profile;

import com.idynic.eventbus.client.BusEvent;
import com.idynic.eventbus.client.EventType;
import com.idynic.eventbus.client.RejectEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Plain CDI observers of bus events. A {@code user.created} event whose data holds {@code "failTimes": n}
 * makes the observer throw on its first n calls, to show redelivery; one whose data holds {@code "reject":
 * "why"} is refused with a {@link RejectEvent}, which sends it straight to the dead-letter queue.
 */
@ApplicationScoped
public class ProfileObservers {
    private static final Logger LOG = Logger.getLogger(ProfileObservers.class.getName());

    @Inject
    Received received;

    void onUserCreated(@Observes @EventType("user.created") BusEvent e) {
        String reject = e.data().getString("reject", null);
        if (reject != null) {
            received.record(new Received.Call(e.id(), e.type(), e.attempt(), true));
            throw new RejectEvent(reject);
        }
        int failTimes = e.data().getInt("failTimes", 0);
        int call = received.attempts(e.id());
        if (call <= failTimes) {
            received.record(new Received.Call(e.id(), e.type(), e.attempt(), true));
            throw new IllegalStateException("profile store busy (simulated failure " + call + "/" + failTimes + ")");
        }
        received.record(new Received.Call(e.id(), e.type(), e.attempt(), false));
        LOG.info("profile-service received user.created " + e.id() + " for "
                + e.data().getString("email", "?") + " (attempt " + e.attempt() + ")");
    }

    void onOrderPlaced(@Observes @EventType("order.placed") BusEvent e) {
        received.record(new Received.Call(e.id(), e.type(), e.attempt(), false));
        LOG.info("profile-service received order.placed " + e.id());
    }
}
