package com.idynic.eventbus.client.internal;

import com.idynic.eventbus.client.BusEvent;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Delivers in-process with an exactly-once effect: each call begins a JTA transaction, fires the events to the
 * observers in it, and marks their delivery rows delivered on the bus's DataSource in the same transaction, fenced
 * by the lease (the row must still be leased at the attempt this app was handed). An observer's writes to that
 * database and the acknowledgement commit together or not at all: a crash before the commit leaves the rows
 * leased and the bus delivers the events again once the lease lapses; after it, they are never delivered again.
 * A lease lost meanwhile (it lapsed and another holder took the event) rolls the call back.
 */
final class InTransactionSink implements BatchDelivery.Sink {
    /**
     * Marks the leased rows delivered and records each attempt, in one statement; it counts the rows it settled.
     * The same columns as the bus's own settle ({@code eb_delivery}, {@code eb_delivery_attempt}, whose day
     * partition is chosen by the event's acceptance time, read from {@code eb_event_id}).
     */
    static final String SETTLE =
            """
            with settled as (
              update eb_delivery d set state = 'DELIVERED', delivered_at = now(), lease_until = null
                from unnest(?::varchar[], ?::integer[]) u(event_id, attempt)
               where d.subscription_id = ? and d.event_id = u.event_id and d.attempts = u.attempt
                 and d.state = 'LEASED'
              returning d.id, d.event_id, d.attempts, d.leased_at)
            insert into eb_delivery_attempt (delivery_id, subscription_id, event_id, attempt, started_at, duration_ms,
                                             target, outcome, accepted_at)
            select s.id, ?, s.event_id, s.attempts, coalesce(s.leased_at, now()),
                   greatest(0, (extract(epoch from clock_timestamp() - coalesce(s.leased_at, now())) * 1000)::bigint),
                   'cdi', 'SUCCESS', i.accepted_at
              from settled s join eb_event_id i on i.id = s.event_id""";

    private final String subscription;
    private final DataSource ds;
    private final Supplier<UserTransaction> transactions;
    private final Consumer<BusEvent> fire;
    private final BatchDelivery.Sink nacks;

    /**
     * @param ds the bus's server-level DataSource ({@code jdbc/eventbus}), enlisted in the transaction
     * @param transactions the app's {@code java:comp/UserTransaction}
     * @param fire calls the observers of one event
     * @param nacks where negative acknowledgements go (the bus's API: its retry policy decides)
     */
    InTransactionSink(
            String subscription,
            DataSource ds,
            Supplier<UserTransaction> transactions,
            Consumer<BusEvent> fire,
            BatchDelivery.Sink nacks) {
        this.subscription = subscription;
        this.ds = ds;
        this.transactions = transactions;
        this.fire = fire;
        this.nacks = nacks;
    }

    @Override
    public void deliver(List<BusEvent> events) {
        UserTransaction tx = transactions.get();
        try {
            tx.begin();
        } catch (Exception e) {
            throw new IllegalStateException("could not begin a transaction: " + e, e);
        }
        boolean done = false;
        try {
            for (BusEvent e : events) {
                try {
                    fire.accept(e);
                } catch (RuntimeException failure) {
                    throw new BatchDelivery.ObserverFailure(e, failure);
                }
            }
            if (tx.getStatus() == Status.STATUS_MARKED_ROLLBACK) {
                throw new IllegalStateException("an observer marked the transaction for rollback");
            }
            int settled = settle(events);
            if (settled != events.size()) {
                throw new BatchDelivery.LeaseLost((events.size() - settled) + " of " + events.size()
                        + " events are no longer leased to this app");
            }
            tx.commit();
            done = true;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the transaction did not commit: " + e, e);
        } finally {
            if (!done) {
                rollback(tx);
            }
        }
    }

    private int settle(List<BusEvent> events) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(SETTLE)) {
            ps.setArray(
                    1,
                    c.createArrayOf("varchar", events.stream().map(BusEvent::id).toArray()));
            ps.setArray(
                    2,
                    c.createArrayOf(
                            "integer", events.stream().map(BusEvent::attempt).toArray()));
            ps.setString(3, subscription);
            ps.setString(4, subscription);
            return ps.executeUpdate();
        }
    }

    private static void rollback(UserTransaction tx) {
        try {
            if (tx.getStatus() != Status.STATUS_NO_TRANSACTION) {
                tx.rollback();
            }
        } catch (Exception ignored) {
            // the transaction is gone either way; the bus delivers the events again when their lease lapses
        }
    }

    @Override
    public void nack(BusEvent event, String reason, boolean reject) {
        nacks.nack(event, reason, reject);
    }
}
