package com.idynic.eventbus.web;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap the server lets request bodies take at once, shared by every request: the bytes read and the
 * JSON tree parsed from them. A request that cannot get its share is refused with 503 and
 * {@code Retry-After} instead of running the server out of memory; one that alone would need more than
 * the whole budget is refused with 413, since waiting would not help it.
 */
final class BodyBudget {
    /** Seconds a refused request is told to wait: a body is read and stored within a few seconds. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final long capacityBytes;
    private final AtomicLong inUse = new AtomicLong();

    /** @param capacityBytes estimated heap all request bodies in flight may take together, at least 1 */
    BodyBudget(long capacityBytes) {
        if (capacityBytes < 1) {
            throw new IllegalArgumentException("eventbus.http.body-budget-bytes must be at least 1");
        }
        this.capacityBytes = capacityBytes;
    }

    /** @return a share for one request; it holds nothing until charged */
    Share open() {
        return new Share();
    }

    /** @return bytes charged by every open share together */
    long inUse() {
        return inUse.get();
    }

    /** @return the whole budget in bytes */
    long capacity() {
        return capacityBytes;
    }

    private boolean take(long bytes) {
        long now;
        do {
            now = inUse.get();
            if (now + bytes > capacityBytes) {
                return false;
            }
        } while (!inUse.compareAndSet(now, now + bytes));
        return true;
    }

    /** One request's part of the budget; closing it gives back everything it was charged. */
    final class Share implements AutoCloseable {
        private long charged;
        private boolean closed;

        private Share() {}

        /**
         * Adds {@code bytes} to this request's share.
         *
         * @throws BusException {@code PAYLOAD_TOO_LARGE} (413) when this request alone would exceed the whole
         *     budget; {@code SERVICE_UNAVAILABLE} (503, {@code Retry-After: 1}) when other requests hold the rest
         */
        void charge(long bytes) {
            if (bytes <= 0) {
                return;
            }
            if (closed) {
                throw new IllegalStateException("share already closed");
            }
            if (charged + bytes > capacityBytes) {
                throw new BusException(
                        ErrorCode.PAYLOAD_TOO_LARGE,
                        "Body is too large to hold: read and parsed, it would take more than the server's "
                                + capacityBytes + " bytes for request bodies; send it in smaller parts",
                        Map.of("budgetBytes", capacityBytes));
            }
            if (!take(bytes)) {
                throw new BusException(
                        ErrorCode.SERVICE_UNAVAILABLE,
                        "The server is reading as many request bodies as its memory allows; retry after "
                                + RETRY_AFTER_SECONDS + " s",
                        Map.of("budgetBytes", capacityBytes, "retryAfterSeconds", RETRY_AFTER_SECONDS));
            }
            charged += bytes;
        }

        /** @return bytes this share holds */
        long charged() {
            return charged;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                inUse.addAndGet(-charged);
            }
        }
    }
}
