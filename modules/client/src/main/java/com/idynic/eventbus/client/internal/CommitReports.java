package com.idynic.eventbus.client.internal;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.EventEnvelope;
import jakarta.json.JsonArrayBuilder;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Tells the bus, once the app's transaction has committed, which events it published in it: the bus then counts them
 * by type, lists the app among their publishers, records a {@code publish} span from each publish call to the commit,
 * and wakes its relay at once. One in-process call per committed transaction to the bus's endpoint {@value #NAME}
 * (JDK types only); nothing is reported for a transaction that rolls back, and a bus that cannot be told loses only
 * these figures, never an event.
 */
public final class CommitReports {
    /** Where the bus registers the endpoint. */
    static final String NAME = "com.idynic.eventbus:type=InProcessPublishes";

    private static final Logger LOG = Logger.getLogger(CommitReports.class.getName());
    private static final Object KEY = CommitReports.class;

    private CommitReports() {}

    private record Published(EventEnvelope event, Instant at) {}

    /** Adds a written event to its transaction's report, registering the report with the transaction at its first. */
    @SuppressWarnings("unchecked")
    public static void add(TransactionSynchronizationRegistry tx, EventEnvelope event, Instant publishedAt) {
        List<Published> events = (List<Published>) tx.getResource(KEY);
        if (events == null) {
            List<Published> mine = new ArrayList<>();
            tx.putResource(KEY, mine);
            tx.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {}

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        report(mine);
                    }
                }
            });
            events = mine;
        }
        events.add(new Published(event, publishedAt));
    }

    private static void report(List<Published> events) {
        JsonArrayBuilder a = CachedJson.createArrayBuilder();
        for (Published p : events) {
            EventEnvelope e = p.event();
            var o = CachedJson.createObjectBuilder()
                    .add("id", e.id())
                    .add("eventType", e.eventType())
                    .add("source", e.source())
                    .add("publishedAt", p.at().toEpochMilli());
            if (e.traceparent() != null) {
                o.add("traceparent", e.traceparent());
            }
            a.add(o);
        }
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(NAME);
            if (server.isRegistered(name)) {
                server.invoke(
                        name, "committed", new Object[] {a.build().toString()}, new String[] {String.class.getName()});
            }
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.FINE, "the bus was not told of a committed publish; only its figures are missing", e);
        }
    }
}
