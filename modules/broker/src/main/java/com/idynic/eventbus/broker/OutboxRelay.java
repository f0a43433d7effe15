package com.idynic.eventbus.broker;

import com.idynic.eventbus.broker.spi.EventSink;
import com.idynic.eventbus.broker.spi.OutboxEntry;
import com.idynic.eventbus.broker.spi.OutboxStore;
import com.idynic.eventbus.broker.spi.Relayed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves outbox rows to the sink in sequence order. A batch is sent in order; a row is removed only when
 * it and every row before it in the batch were acknowledged, so a failure leaves the unacknowledged
 * suffix for the next pass (resent, never lost; the idempotent producer and consumer-side dedup absorb
 * the duplicates a crash can cause). Within one partition the idempotent producer fails every record
 * after a failed one, so a key's records never overtake each other.
 *
 * @since 0.1.0
 */
public final class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());

    private final OutboxStore outbox;
    private final EventSink sink;
    private final int batchSize;
    private final long batchBytes;
    private final Duration ackTimeout;

    /**
     * @param outbox the outbox
     * @param sink where rows go
     * @param batchSize most rows per pass
     * @param batchBytes most payload bytes per pass (beyond the first row), so that a pass over large events
     *     holds a bounded part of the heap
     * @param ackTimeout longest wait for the sink to acknowledge one row
     */
    public OutboxRelay(OutboxStore outbox, EventSink sink, int batchSize, long batchBytes, Duration ackTimeout) {
        this.outbox = outbox;
        this.sink = sink;
        this.batchSize = batchSize;
        this.batchBytes = batchBytes;
        this.ackTimeout = ackTimeout;
    }

    /**
     * Relays one batch.
     *
     * @return rows relayed (0 when empty or when the sink refused the first row)
     */
    public int relayBatch() {
        return outbox.relay(batchSize, batchBytes, this::send);
    }

    /** @return rows still waiting */
    public long backlog() {
        return outbox.backlog();
    }

    List<Relayed> send(List<OutboxEntry> batch) {
        List<CompletableFuture<Relayed>> acks = new ArrayList<>(batch.size());
        for (OutboxEntry e : batch) {
            try {
                acks.add(sink.send(e));
            } catch (RuntimeException ex) {
                acks.add(CompletableFuture.failedFuture(ex));
                break;
            }
        }
        List<Relayed> sent = new ArrayList<>(acks.size());
        for (int i = 0; i < acks.size(); i++) {
            try {
                sent.add(acks.get(i).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception ex) {
                LOG.log(Level.WARNING, "relay of event {0} failed; it stays in the outbox: {1}", new Object[] {
                    batch.get(i).eventId(), ex.toString()
                });
                break;
            }
        }
        return sent;
    }
}
