package com.idynic.eventbus.connector;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Hands items from the SDK's pulling threads to the stream's requests without blocking either: an item waits for
 * a request, or a request for an item, first come first served.
 */
final class Handoff<T> {
    private final Deque<T> ready = new ArrayDeque<>();
    private final Deque<CompletableFuture<T>> requests = new ArrayDeque<>();
    private boolean closed;

    /** @return false when closed: the item was not taken */
    boolean offer(T item) {
        CompletableFuture<T> request;
        synchronized (this) {
            if (closed) {
                return false;
            }
            request = requests.poll();
            if (request == null) {
                ready.add(item);
                return true;
            }
        }
        request.complete(item);
        return true;
    }

    /** @return the next item, now or once offered */
    synchronized CompletionStage<T> next() {
        T item = ready.poll();
        if (item != null) {
            return CompletableFuture.completedFuture(item);
        }
        CompletableFuture<T> request = new CompletableFuture<>();
        requests.add(request);
        return request;
    }

    /** Takes no more items; @return those offered and not yet requested */
    synchronized List<T> close() {
        closed = true;
        List<T> left = new ArrayList<>(ready);
        ready.clear();
        return left;
    }
}
