package com.idynic.eventbus.web;

import com.idynic.eventbus.subscribers.delivery.LongPolls;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.CompletionCallback;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Answers a suspended request with a long poll's outcome: at once when it is done, else when it completes, on a
 * managed thread, so that neither the long-poll timer nor its leasing threads wait on a client. A client that
 * goes away cancels the poll.
 */
@ApplicationScoped
public class LongPollAnswers {
    /** A backstop only: a long poll is answered by {@link LongPolls} when its wait ends, never this late. */
    private static final long LATE_MARGIN_MILLIS = 5_000;

    /** Writes long polls' answers. */
    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ExecutorService responder;

    /**
     * @param answer the poll's outcome
     * @param waitMillis how long the poll waits at most
     * @param view the response for what the poll got
     */
    public <T> void resume(
            CompletableFuture<T> answer, long waitMillis, AsyncResponse response, Function<T, Response> view) {
        if (answer.isDone() && !answer.isCompletedExceptionally()) {
            response.resume(view.apply(answer.join()));
            return;
        }
        response.register((CompletionCallback) failure -> answer.cancel(false));
        // LongPolls answers every poll when its wait ends, or as soon as a lease running at that moment returns:
        // a slow database can hold that lease past the margin, and what it leases must be answered, not dropped
        // (its events would wait out their ack deadline with an attempt counted), so the backstop waits on
        response.setTimeoutHandler(late -> {
            if (!answer.isDone()) {
                late.setTimeout(LATE_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
        response.setTimeout(waitMillis + LATE_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
        answer.whenCompleteAsync(
                (got, failure) -> {
                    if (failure == null) {
                        response.resume(view.apply(got));
                    } else if (!(failure instanceof CancellationException)) {
                        response.resume(
                                failure instanceof CompletionException c && c.getCause() != null
                                        ? c.getCause()
                                        : failure);
                    }
                },
                responder);
    }
}
