package com.idynic.eventbus.runtime;

import com.idynic.eventbus.broker.ObservedDeliveryQueue;
import com.idynic.eventbus.broker.PullSettings;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.spi.DeliveryQueue;
import com.idynic.eventbus.broker.spi.Spans;
import com.idynic.eventbus.subscribers.delivery.LongPolls;
import com.idynic.eventbus.subscribers.delivery.PullService;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Wires pull delivery: leases for pulling services and the long polls that wait for deliveries. */
@ApplicationScoped
public class PullWiring {
    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ThreadFactory threads;

    private ScheduledThreadPoolExecutor longPollTimer;
    private ThreadPoolExecutor longPollLeasing;

    @Produces
    @Singleton
    PullService pulls(DeliveryQueue deliveries, BusMetrics metrics, Clock clock, Spans spans) {
        return new PullService(new ObservedDeliveryQueue(deliveries, metrics::settled, clock), clock, spans);
    }

    /**
     * Waiting long polls hold no request thread: one timer thread ends their waits and schedules rechecks,
     * and two leasing threads (the leases of one subscription queue on its lock anyway) serve every waiter.
     */
    @Produces
    @Singleton
    LongPolls longPolls(PullSettings settings, @Enqueued Signal enqueued) {
        longPollTimer = new ScheduledThreadPoolExecutor(1, threads);
        longPollTimer.setRemoveOnCancelPolicy(true);
        longPollLeasing = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threads);
        ScheduledThreadPoolExecutor timer = longPollTimer;
        return new LongPolls(
                settings.maxLongPollsPerService(),
                enqueued,
                longPollLeasing,
                (delay, task) -> {
                    ScheduledFuture<?> f = timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                    return () -> f.cancel(false);
                },
                LongPolls.RECHECK,
                LongPolls.QUIET);
    }

    void closeLongPolls(@Disposes LongPolls polls) {
        longPollTimer.shutdownNow();
        longPollLeasing.shutdownNow();
    }
}
