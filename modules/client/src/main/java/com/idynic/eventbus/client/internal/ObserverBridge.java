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
import jakarta.transaction.UserTransaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Delivers bus events to the app's CDI observers: registers an ordered pull subscription for the observed
 * selectors when the app starts, then leases batches from the bus (one request per batch of up to {@code
 * eventbus.client.batch} events; an ordered subscription hands out each key's consecutive events) and delivers
 * each batch on {@code eventbus.client.threads} lanes with {@link BatchDelivery}: one key's events go through one
 * lane in order, different keys in parallel. The next lease is requested while a batch is delivered (it cannot
 * hand out the keys the batch holds, and it is delivered after the batch), {@code eventbus.client.linger} after a
 * batch that was not full, so a trickle of events is not leased one event per request. With {@code eventbus.client.settle=transaction} (the default) each
 * group of up to {@code eventbus.client.events-per-transaction} events is fired and acknowledged in one JTA
 * transaction on the bus's DataSource ({@link InTransactionSink}): the observers' writes to that database and the
 * acknowledgement commit together. With {@code http} the delivered events of a batch are acknowledged in one
 * request ({@link HttpSink}). An observer that throws gets its event again by the subscription's retry policy,
 * and later events of its key wait for it; a {@link RejectEvent} sends it straight to the dead-letter queue. The
 * pull loop is a {@link RestartingLoop}: an {@link Error} thrown by the loop or an observer is logged and the loop
 * restarts with backoff (the events it held are redelivered after their ack deadline); {@link BridgeLiveness}
 * reports it.
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

    /**
     * One selected {@code Event} per selector, kept: the container resolves an {@code Event}'s observers on its
     * first fire and remembers them in it, so a new selection per event resolved them for every event (5 % of the
     * server's Java samples at ~550 deliveries/s).
     */
    private final Map<String, Event<BusEvent>> selected = new ConcurrentHashMap<>();

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ThreadFactory threads;

    @Inject
    ClientSettings settings;

    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    private volatile boolean running = true;
    private volatile ExecutorService lanes;
    private volatile ExecutorService prefetch;
    private volatile RestartingLoop supervised;
    private volatile PullClient current;
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
        lanes = Executors.newFixedThreadPool(settings.threads(), threads);
        prefetch = Executors.newSingleThreadExecutor(threads);
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
        for (ExecutorService x : new ExecutorService[] {lanes, prefetch}) {
            if (x != null) {
                x.shutdownNow();
            }
        }
    }

    /** @return whether the pull loop has ended or has failed for longer than {@code eventbus.client.down-after} */
    public boolean down() {
        RestartingLoop l = supervised;
        return l != null && l.down(settings.downAfter());
    }

    /**
     * @return how the pull loop reaches the bus now: {@code in-process} (the bus's endpoint in this JVM), {@code
     *     http}, or {@code none} before it first subscribed
     */
    public String transport() {
        PullClient c = current;
        return c == null ? "none" : c.inProcess() ? "in-process" : "http";
    }

    /** @return the pull loop, empty when this app does not subscribe */
    public Optional<RestartingLoop> pullLoop() {
        return Optional.ofNullable(supervised);
    }

    private void run(String subscription, Set<String> selectors) {
        PullClient client = new PullClient(
                settings.url(), settings.apiKey().orElse(""), settings.inProcessWhenCoDeployed(), settings.clock());
        Consumer<BusEvent> fire = e -> fire(selectors, e);
        HttpSink http = new HttpSink(client, subscription, fire);
        BatchDelivery delivery = settings.settlesInTransaction()
                ? new BatchDelivery(
                        subscription,
                        new InTransactionSink(subscription, ds, ObserverBridge::userTransaction, fire, http),
                        settings.threads(),
                        settings.eventsPerTransaction())
                : new BatchDelivery(subscription, http, settings.threads(), 1);
        boolean subscribed = false;
        long backoffMs = 200;
        CompletableFuture<List<BusEvent>> next = null;
        while (running) {
            try {
                if (!subscribed) {
                    client.subscribe(subscription, settings.source(), selectors);
                    subscribed = true;
                    current = client;
                    LOG.info("eventbus client: subscription '" + subscription + "' pulls " + selectors
                            + (client.inProcess() ? " in-process" : " over HTTP")
                            + (settings.settlesInTransaction()
                                    ? ", acknowledged in the observers' transactions"
                                    : ", acknowledged over HTTP"));
                }
                List<BusEvent> batch = next != null ? next.join() : pull(client, subscription);
                next = null;
                if (!batch.isEmpty()) {
                    // the next lease overlaps this batch's delivery: it cannot hand out the keys this batch holds
                    long linger =
                            batch.size() < settings.batch() ? settings.linger().toMillis() : 0;
                    next = CompletableFuture.supplyAsync(
                            () -> pullUnchecked(client, subscription),
                            CompletableFuture.delayedExecutor(linger, TimeUnit.MILLISECONDS, prefetch));
                    delivery.deliver(batch, lanes);
                    http.ackCollected();
                }
                backoffMs = 200;
            } catch (Exception e) {
                next = null;
                if (!running) {
                    return;
                }
                LOG.log(Level.FINE, "eventbus client: bus not reachable, retrying", e);
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5000);
            }
        }
    }

    private List<BusEvent> pull(PullClient client, String subscription) throws IOException {
        return client.pull(subscription, settings.batch(), Duration.ofSeconds(5), settings.ackDeadline());
    }

    private List<BusEvent> pullUnchecked(PullClient client, String subscription) {
        try {
            return pull(client, subscription);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void fire(Set<String> selectors, BusEvent e) {
        for (String sel : selectors) {
            if (EventTypes.matches(sel, e.type())) {
                selected.computeIfAbsent(sel, s -> events.select(new EventType.Literal(s)))
                        .fire(e);
            }
        }
    }

    private static UserTransaction userTransaction() {
        try {
            return (UserTransaction) new InitialContext().lookup("java:comp/UserTransaction");
        } catch (NamingException e) {
            throw new IllegalStateException("no java:comp/UserTransaction: " + e, e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
