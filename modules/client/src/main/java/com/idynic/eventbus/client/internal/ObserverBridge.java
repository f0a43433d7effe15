package com.idynic.eventbus.client.internal;

import com.idynic.eventbus.api.EventTypes;
import com.idynic.eventbus.client.BusEvent;
import com.idynic.eventbus.client.EventType;
import com.idynic.eventbus.client.RejectEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers bus events to the app's CDI observers: registers a pull subscription for the observed
 * selectors when the app starts, then pulls, fires each event synchronously and acknowledges it when
 * every observer returned, or negatively acknowledges it when one threw (the bus redelivers it later by
 * the subscription's retry policy and holds back later events of the same key meanwhile; a {@link
 * RejectEvent} sends it straight to the dead-letter queue). The pull loop is a {@link RestartingLoop}: an
 * {@link Error} thrown by the loop or an observer is logged and the loop restarts with backoff (the event
 * it held is redelivered after its ack deadline); {@link BridgeLiveness} reports it.
 */
@ApplicationScoped
public class ObserverBridge {
    private static final Logger LOG = Logger.getLogger(ObserverBridge.class.getName());
    private static final RestartingLoop.Backoff BACKOFF =
            new RestartingLoop.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60));

    @Inject
    ObservedTypes observed;

    @Inject
    Event<BusEvent> events;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ThreadFactory threads;

    @Inject
    ClientSettings settings;

    private volatile boolean running = true;
    private volatile RestartingLoop supervised;
    private Thread loop;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        Set<String> selectors = observed.selectors();
        if (selectors.isEmpty() || settings.subscription().isEmpty()) {
            LOG.info("eventbus client: no @EventType observers or no eventbus.client.subscription; not subscribing");
            return;
        }
        String id = settings.subscription().get();
        RestartingLoop l = new RestartingLoop(
                "eventbus-client-" + id,
                () -> run(id, selectors),
                BACKOFF,
                settings.clock(),
                RestartingLoop.Sleeper.THREAD);
        supervised = l;
        loop = threads.newThread(l);
        loop.setName(l.name());
        loop.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        RestartingLoop l = supervised;
        if (l != null) {
            l.stop();
        }
        if (loop != null) {
            loop.interrupt();
        }
    }

    /** @return whether the pull loop has ended or has failed for longer than {@code eventbus.client.down-after} */
    public boolean down() {
        RestartingLoop l = supervised;
        return l != null && l.down(settings.downAfter());
    }

    /** @return the pull loop, empty when this app does not subscribe */
    public Optional<RestartingLoop> pullLoop() {
        return Optional.ofNullable(supervised);
    }

    private void run(String subscription, Set<String> selectors) {
        PullClient client = new PullClient(settings.url(), settings.apiKey().orElse(""));
        boolean subscribed = false;
        long backoffMs = 200;
        while (running) {
            try {
                if (!subscribed) {
                    client.subscribe(subscription, settings.source(), selectors);
                    subscribed = true;
                    LOG.info("eventbus client: subscription '" + subscription + "' pulls " + selectors);
                }
                for (BusEvent e : client.pull(subscription, 16, Duration.ofSeconds(5), settings.ackDeadline())) {
                    deliver(client, subscription, selectors, e);
                }
                backoffMs = 200;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.log(Level.FINE, "eventbus client: bus not reachable, retrying", e);
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5000);
            }
        }
    }

    private void deliver(PullClient client, String subscription, Set<String> selectors, BusEvent e) throws Exception {
        try {
            for (String sel : selectors) {
                if (EventTypes.matches(sel, e.type())) {
                    events.select(new EventType.Literal(sel)).fire(e);
                }
            }
        } catch (RuntimeException failure) {
            boolean reject = rejected(failure);
            LOG.log(
                    Level.WARNING,
                    "observer failed for event " + e.id() + " (attempt " + e.attempt() + "); "
                            + (reject ? "rejected, it goes to the dead-letter queue: " : "it will be redelivered: ")
                            + failure);
            client.settle(subscription, e.id(), false, String.valueOf(failure), reject);
            return;
        }
        client.settle(subscription, e.id(), true, null, false);
    }

    private static boolean rejected(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof RejectEvent) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
