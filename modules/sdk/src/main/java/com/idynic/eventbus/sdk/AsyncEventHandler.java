package com.idynic.eventbus.sdk;

import java.util.concurrent.CompletionStage;

/**
 * Handles one pulled event and settles it later, for frameworks that hand the event on and learn its outcome
 * asynchronously (a MicroProfile Reactive Messaging connector). The event is acked when the returned stage
 * completes normally and nacked (retried by the subscription's policy) when it completes exceptionally; a
 * {@link RejectException} as the cause sends it straight to the dead-letter queue. The subscriber hands the next
 * event of its pull only after this one's stage completed, so per-key order holds.
 *
 * @since 0.4.0
 */
@FunctionalInterface
public interface AsyncEventHandler {
    /**
     * @param event the event, leased to this subscriber until the stage completes (at most the ack deadline: a stage
     *     still open then counts as a failure and the event is nacked)
     * @return completes when the event is processed
     */
    CompletionStage<?> handle(Event event);
}
