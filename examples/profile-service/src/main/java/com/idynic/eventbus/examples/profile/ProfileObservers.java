package com.idynic.eventbus.examples.profile;

import com.idynic.eventbus.client.BusEvent;
import com.idynic.eventbus.client.EventType;
import com.idynic.eventbus.client.RejectEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Plain CDI observers of bus events. A {@code user.created} event whose data holds {@code "failTimes": n}
 * makes the observer throw on its first n calls, to show redelivery; one whose data holds {@code "reject":
 * "why"} is refused with a {@link RejectEvent}, which sends it straight to the dead-letter queue. An {@code
 * order.placed} event is written to this service's {@link OrderLedger} in the observer's transaction, the one in
 * which the bus client acknowledges it; {@code "holdMillis": n} in its data keeps the observer (and that
 * transaction) busy n ms more, up to a second, to show a slow observer.
 */
@ApplicationScoped
public class ProfileObservers {
    private static final Logger LOG = Logger.getLogger(ProfileObservers.class.getName());

    /**
     * At most one line per second: a line per event cost a tenth of the server's CPU at 500 events/s (and rolled
     * the log within minutes), which is the app's cost, not the bus's.
     */
    private final LogSampler userCreatedLines = new LogSampler(TimeUnit.SECONDS.toNanos(1));

    @Inject
    Received received;

    @Inject
    OrderLedger ledger;

    void onUserCreated(@Observes @EventType("user.created") BusEvent e) {
        String reject = e.data().getString("reject", null);
        if (reject != null) {
            received.record(new Received.Call(e, true));
            throw new RejectEvent(reject);
        }
        int failTimes = e.data().getInt("failTimes", 0);
        int call = failTimes > 0 ? received.attempts(e.id()) : 1;
        if (call <= failTimes) {
            received.record(new Received.Call(e, true));
            throw new IllegalStateException("profile store busy (simulated failure " + call + "/" + failTimes + ")");
        }
        received.recordWhenCommitted(new Received.Call(e, false));
        long quiet = userCreatedLines.quietSince();
        if (quiet >= 0) {
            LOG.info("profile-service received user.created " + e.id() + " for "
                    + e.data().getString("email", "?") + " (attempt " + e.attempt() + ")"
                    + (quiet > 0 ? " and " + quiet + " more since the last line" : ""));
        }
    }

    void onOrderPlaced(@Observes @EventType("order.placed") BusEvent e) {
        ledger.record(e);
        int holdMillis = e.data().getInt("holdMillis", 0);
        if (holdMillis > 0) {
            try {
                Thread.sleep(Math.min(holdMillis, 1000));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        received.recordWhenCommitted(new Received.Call(e, false));
        LOG.fine("profile-service received order.placed " + e.id());
    }
}
