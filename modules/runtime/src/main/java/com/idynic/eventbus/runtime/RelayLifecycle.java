package com.idynic.eventbus.runtime;

import com.idynic.eventbus.admin.AlertLoop;
import com.idynic.eventbus.broker.BulkRedriveRunner;
import com.idynic.eventbus.broker.HistoryMover;
import com.idynic.eventbus.broker.Loops;
import com.idynic.eventbus.broker.OutboxRelay;
import com.idynic.eventbus.broker.RelaySettings;
import com.idynic.eventbus.broker.RelayWorker;
import com.idynic.eventbus.broker.RetentionManager;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.broker.SupervisedLoop;
import com.idynic.eventbus.broker.kafka.KafkaDispatcher;
import com.idynic.eventbus.broker.kafka.KafkaRecordSize;
import com.idynic.eventbus.broker.kafka.KafkaSettings;
import com.idynic.eventbus.broker.kafka.KafkaTopics;
import com.idynic.eventbus.subscribers.Replays;
import com.idynic.eventbus.subscribers.delivery.WebhookDelivery;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Logger;

/**
 * Starts and stops the bus's workers. The relay runs on a managed thread until the application stops: it
 * first runs the start-up steps ({@link BusStartup}), then makes sure the events topic exists (retried while
 * Kafka is down), then starts the webhook, replay, retention, delivery history, alert and dispatch loops on managed
 * threads of their own (once), and relays. Every one of these loops is supervised ({@link Loops}): whatever ends
 * it, an {@link Error}
 * included, is logged and the loop is restarted with backoff; the start-up steps are part of the relay's
 * loop, so they are retried too.
 */
@ApplicationScoped
public class RelayLifecycle {
    private static final Logger LOG = Logger.getLogger(RelayLifecycle.class.getName());

    @Inject
    BusStartup startup;

    @Inject
    OutboxRelay relay;

    @Inject
    KafkaTopics topics;

    @Inject
    KafkaRecordSize recordSize;

    @Inject
    KafkaSettings kafka;

    @Inject
    RelaySettings relaySettings;

    @Inject
    WebhookDelivery webhooks;

    @Inject
    Replays replays;

    @Inject
    RetentionManager retention;

    @Inject
    BulkRedriveRunner bulkRedrives;

    @Inject
    HistoryMover history;

    @Inject
    @RelayWake
    Signal relayWake;

    @Inject
    Loops loops;

    @Inject
    RelayMembers relayMembers;

    @Inject
    KafkaDispatcher dispatcher;

    @Inject
    AlertLoop alerts;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ThreadFactory threads;

    private volatile SupervisedLoop relayLoop;
    private volatile List<SupervisedLoop> workers = List.of();
    private volatile boolean workersStarted;
    private volatile RelayWorker worker;
    private volatile List<SupervisedLoop> members = List.of();
    private final java.util.concurrent.atomic.AtomicBoolean membersStarted =
            new java.util.concurrent.atomic.AtomicBoolean();

    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Starts the relay and, once its start-up steps succeeded, the other loops; called once the REST module is
     * up (a later call does nothing).
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        RelayWorker worker = new RelayWorker(relay, relayWake, relaySettings.pollInterval(), this::relayProgressed);
        this.worker = worker;
        workers = List.of(
                loops.supervise("webhooks", webhooks, webhooks::stop),
                loops.supervise("replays", replays, replays::stop),
                loops.supervise("redrives", bulkRedrives, bulkRedrives::stop),
                loops.supervise("retention", retention, retention::stop),
                loops.supervise("history", history, history::stop),
                loops.supervise("alerts", alerts, alerts::stop),
                loops.supervise("dispatch", dispatcher, dispatcher::stop));
        members = memberLoops();
        relayLoop = loops.supervise(
                "relay",
                () -> {
                    startOnce();
                    startup.retry(
                            "Kafka not reachable yet, events wait in the outbox",
                            () -> topics.ensure(
                                    kafka.topic(), kafka.partitions(), kafka.replicationFactor(), recordSize),
                            this::relayProgressed);
                    if (membersStarted.compareAndSet(false, true)) {
                        members.forEach(m -> m.start(threads));
                    }
                    worker.run();
                },
                worker::stop,
                this::outboxBacklog);
        relayLoop.start(threads);
        LOG.info("eventbus relay started: topic " + kafka.topic() + ", " + kafka.partitions() + " partitions");
    }

    /** Runs the start-up steps, then starts the other loops; a failed attempt counts as the relay's progress. */
    private void startOnce() {
        if (workersStarted) {
            return;
        }
        startup.prepare(this::relayProgressed);
        workers.forEach(w -> w.start(threads));
        workersStarted = true;
    }

    /**
     * @return the loops of the relay's other members on this server ({@code relay-2}, ...), started once the
     *     first has made sure of the topic; each waits on its own signal, raised with the relay's (a level-triggered
     *     signal is cleared by the one waiter it wakes)
     */
    private List<SupervisedLoop> memberLoops() {
        List<SupervisedLoop> out = new java.util.ArrayList<>();
        int n = 2;
        for (OutboxRelay r : relayMembers.relays()) {
            Signal own = new Signal();
            relayWake.onRaise(own::raise);
            SupervisedLoop[] self = new SupervisedLoop[1];
            RelayWorker w = new RelayWorker(r, own, relaySettings.pollInterval(), () -> {
                SupervisedLoop l = self[0];
                if (l != null) {
                    l.progressed();
                }
            });
            self[0] = loops.supervise("relay-" + n++, w, w::stop, w::backlogSeen);
            out.add(self[0]);
        }
        return List.copyOf(out);
    }

    private void relayProgressed() {
        SupervisedLoop l = relayLoop;
        if (l != null) {
            l.progressed();
        }
    }

    /**
     * @return the outbox backlog the relay last saw, empty before its first look: from memory, so liveness
     *     never waits for PostgreSQL (a probe that did would time out, and restart servers, in a database outage)
     */
    private OptionalLong outboxBacklog() {
        return worker == null ? OptionalLong.empty() : worker.backlogSeen();
    }

    @PreDestroy
    void stop() {
        SupervisedLoop r = relayLoop;
        if (r != null) {
            r.stop();
        }
        members.forEach(SupervisedLoop::stop);
        workers.forEach(SupervisedLoop::stop);
    }
}
