package com.idynic.eventbus.connector;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** What the channels need of the bus; {@link SdkBus} is the Java SDK's connection, the tests use fakes. */
interface Bus extends AutoCloseable {
    /** Creates or replaces the pull subscription with these selectors, ordering and attempts (0: the bus's). */
    void declare(String subscription, List<String> types, boolean ordered, int maxAttempts);

    /**
     * Starts pulling: each event goes to {@code handler} once the previous one's stage completed; completed normally
     * it is acked, exceptionally nacked (a {@code RejectException} cause: dead-lettered).
     */
    void subscribe(
            String subscription,
            int batch,
            int workers,
            Duration ackDeadline,
            Function<IncomingEvent, CompletionStage<?>> handler);

    /** @return completes when the bus stored the event, or fails with the bus's refusal */
    CompletionStage<?> publish(OutgoingEvent event);

    /** Sends what is queued, then stops the subscribers. */
    @Override
    void close();
}
