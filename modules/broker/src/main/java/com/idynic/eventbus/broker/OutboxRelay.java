package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.EventRefusedException;
import com.idynic.eventbus.broker.spi.EventSink;
import com.idynic.eventbus.broker.spi.OutboxEntry;
import com.idynic.eventbus.broker.spi.OutboxStore;
import com.idynic.eventbus.broker.spi.Refused;
import com.idynic.eventbus.broker.spi.RelayOutcome;
import com.idynic.eventbus.broker.spi.Relayed;
import com.idynic.eventbus.broker.spi.Spans;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves outbox rows to the sink in sequence order: claims a batch, sends it with no database transaction
 * open (a slow broker never holds one), then records the outcome. A batch is sent in order; a row is removed only when
 * it and every row before it in the batch were acknowledged or refused for good, so a failure leaves the
 * unacknowledged suffix for the next pass (resent, never lost; the idempotent producer and consumer-side
 * dedup absorb the duplicates a crash can cause). Whenever it stops before the last row (a failure, the ack
 * timeout), it abandons the sink's pass, so no row of the suffix can still be written behind the failed one and
 * then again, after it, by the next pass: per key, Kafka's first copies of the events stay in outbox order
 * ({@link EventSink#open}). A row the sink refuses for good
 * (a record larger than Kafka accepts) is set aside, logged and counted, instead of blocking every later
 * row by being retried forever.
 *
 * @since 0.1.0
 */
public final class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());

    private volatile int lastClaimed;
    private final OutboxStore outbox;
    private final EventSink sink;
    private final int batchSize;
    private final long batchBytes;
    private final Duration ackTimeout;
    private final Consumer<Refused> refused;
    private final Spans spans;

    /**
     * @param outbox the outbox
     * @param sink where rows go
     * @param batchSize most rows per pass
     * @param batchBytes most payload bytes per pass (beyond the first row), so that a pass over large events
     *     holds a bounded part of the heap
     * @param ackTimeout longest wait for the sink to acknowledge one row
     * @param refused told of each row set aside, once its pass committed (e.g. a metric)
     * @since 0.7.0
     */
    public OutboxRelay(
            OutboxStore outbox,
            EventSink sink,
            int batchSize,
            long batchBytes,
            Duration ackTimeout,
            Consumer<Refused> refused) {
        this(outbox, sink, batchSize, batchBytes, ackTimeout, refused, Spans.NONE);
    }

    /**
     * As {@link #OutboxRelay(OutboxStore, EventSink, int, long, Duration, Consumer)}, recording a {@value
     * Spans#RELAY} span per row sent: a child of the event's stored trace context, from the send to Kafka's
     * acknowledgement (or the failure).
     *
     * @param spans where spans go
     * @since 0.20.0
     */
    public OutboxRelay(
            OutboxStore outbox,
            EventSink sink,
            int batchSize,
            long batchBytes,
            Duration ackTimeout,
            Consumer<Refused> refused,
            Spans spans) {
        this.spans = spans;
        this.outbox = outbox;
        this.sink = sink;
        this.batchSize = batchSize;
        this.batchBytes = batchBytes;
        this.ackTimeout = ackTimeout;
        this.refused = refused;
    }

    /**
     * Relays one batch.
     *
     * @return rows removed from the outbox, relayed or set aside (0 when empty or when the sink failed the
     *     first row)
     */
    public int relayBatch() {
        List<OutboxEntry> batch = outbox.claim(batchSize, batchBytes);
        lastClaimed = batch.size();
        if (batch.isEmpty()) {
            return 0;
        }
        RelayOutcome outcome = send(batch);
        int removed = outbox.record(batch, outcome);
        for (Refused r : outcome.refused()) {
            LOG.log(
                    Level.SEVERE,
                    "Kafka refused event {0} for good; it was moved from eb_outbox to eb_outbox_refused and will not"
                            + " be delivered unless it is queued again: {1}",
                    new Object[] {r.eventId(), r.reason()});
            refused.accept(r);
        }
        return removed;
    }

    /**
     * @return rows the last {@link #relayBatch()} claimed (0: this server's lanes were empty, or it holds none);
     *     more than 0 with nothing removed means the sink failed
     * @since 0.21.0
     */
    public int lastClaimed() {
        return lastClaimed;
    }

    /** @return rows still waiting */
    public long backlog() {
        return outbox.backlog();
    }

    RelayOutcome send(List<OutboxEntry> batch) {
        EventSink.Pass pass = sink.open();
        List<CompletableFuture<Relayed>> acks = new ArrayList<>(batch.size());
        List<Spans.Span> started = new ArrayList<>(batch.size());
        for (OutboxEntry e : batch) {
            started.add(spans.start(Spans.RELAY, Spans.Kind.PRODUCER, e.traceparent(), null)
                    .attribute(Spans.EVENT_ID, e.eventId())
                    .attribute(Spans.EVENT_TYPE, e.eventType())
                    .attribute(Spans.EVENT_SOURCE, e.source())
                    .attribute(Spans.MESSAGING_SYSTEM, "kafka"));
            try {
                acks.add(pass.send(e));
            } catch (EventRefusedException ex) {
                acks.add(CompletableFuture.failedFuture(ex));
            } catch (RuntimeException ex) {
                acks.add(CompletableFuture.failedFuture(ex));
                break;
            }
        }
        List<Relayed> sent = new ArrayList<>(acks.size());
        List<Refused> refusedRows = new ArrayList<>();
        int ended = 0;
        for (int i = 0; i < acks.size(); i++, ended++) {
            OutboxEntry e = batch.get(i);
            Spans.Span span = started.get(i);
            try {
                Relayed r = acks.get(i).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
                sent.add(r);
                span.attribute(Spans.DESTINATION, r.topic())
                        .attribute(Spans.PARTITION, String.valueOf(r.partition()))
                        .attribute(Spans.OFFSET, r.offset())
                        .end(null);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException ex) {
                if (ex.getCause() instanceof EventRefusedException refusal) {
                    refusedRows.add(new Refused(e.seq(), e.eventId(), String.valueOf(refusal.getMessage())));
                    span.end("refused: " + refusal.getMessage());
                    continue;
                }
                warn(e, ex.getCause());
                break;
            } catch (Exception ex) {
                warn(e, ex);
                break;
            }
        }
        if (ended < batch.size()) {
            pass.abandon();
        }
        for (int i = ended; i < started.size(); i++) {
            started.get(i).end("not acknowledged; stays in the outbox");
        }
        return new RelayOutcome(sent, refusedRows);
    }

    private static void warn(OutboxEntry e, Throwable failure) {
        LOG.log(Level.WARNING, "relay of event {0} failed; it stays in the outbox: {1}", new Object[] {
            e.eventId(), String.valueOf(failure)
        });
    }
}
