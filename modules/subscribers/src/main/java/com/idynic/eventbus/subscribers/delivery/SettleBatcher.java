package com.idynic.eventbus.subscribers.delivery;

import com.idynic.eventbus.broker.spi.DeliveryQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records delivery outcomes in batches without a thread of its own: the thread that finishes a delivery
 * queues its outcome and, unless another thread is writing already, writes everything queued in one
 * transaction; outcomes that arrive meanwhile go into the writer's next batch. So one settle costs one
 * transaction at low load and a share of one at high load, with no timer and no added wait.
 *
 * @since 0.5.0
 */
public final class SettleBatcher {
    private record Item(DeliveryQueue.Settlement settlement, CompletableFuture<Boolean> done) {}

    private final DeliveryQueue store;
    private final int maxBatch;
    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    /**
     * @param store where outcomes go
     * @param maxBatch most outcomes per transaction
     */
    public SettleBatcher(DeliveryQueue store, int maxBatch) {
        this.store = store;
        this.maxBatch = maxBatch;
    }

    /**
     * Records one outcome, possibly together with others; completes once its transaction committed.
     *
     * @return whether the delivery was still leased (and is now settled); failed when the store failed
     */
    public CompletableFuture<Boolean> settle(DeliveryQueue.Settlement s) {
        Item item = new Item(s, new CompletableFuture<>());
        queue.add(item);
        drain();
        return item.done;
    }

    private void drain() {
        // re-checked after letting go, so an outcome queued while the last batch was written is not stranded
        while (!queue.isEmpty() && writing.compareAndSet(false, true)) {
            try {
                List<Item> batch = new ArrayList<>();
                Item i;
                while (batch.size() < maxBatch && (i = queue.poll()) != null) {
                    batch.add(i);
                }
                write(batch);
            } finally {
                writing.set(false);
            }
        }
    }

    private void write(List<Item> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Set<Long> settled;
        try {
            settled = store.settleAll(batch.stream().map(Item::settlement).toList());
        } catch (RuntimeException | Error e) {
            batch.forEach(i -> i.done.completeExceptionally(e));
            return;
        }
        batch.forEach(
                i -> i.done.complete(settled.contains(i.settlement.delivery().deliveryId())));
    }
}
