package com.idynic.eventbus.web;

import com.idynic.eventbus.api.EnvelopeParser;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.Backoff;
import com.idynic.eventbus.broker.DispatchWatch;
import com.idynic.eventbus.broker.Dispatcher;
import com.idynic.eventbus.broker.Loops;
import com.idynic.eventbus.broker.SupervisedLoop;
import com.idynic.eventbus.broker.kafka.KafkaSettings;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The dispatcher: a static MicroProfile Reactive Messaging channel ({@code bus-events}) over the events
 * topic, consumed as a stream so records are dispatched in batches. Up to {@code eventbus.dispatch.batch} records are
 * requested at a time; a worker thread takes whatever has arrived, records the delivery rows of the whole
 * batch in one statement (retrying while PostgreSQL is down), and only then acknowledges the records, so
 * the connector commits their offsets after the rows are stored: a crash replays them and the idempotent
 * insert absorbs the repeat. While one batch is written the next one gathers; nothing waits on a timer.
 * The worker is a supervised loop ({@code dispatch}): whatever ends it, an {@link Error} included, is
 * logged and it is restarted with backoff, retrying the batch it held.
 */
@ApplicationScoped
public class DispatchChannel {
    private static final Logger LOG = Logger.getLogger(DispatchChannel.class.getName());
    /** While PostgreSQL refuses a batch: 100 ms, doubling up to 5 s. */
    private static final Backoff RETRY = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(5));

    @Inject
    Dispatcher dispatcher;

    @Inject
    DispatchWatch watch;

    @Inject
    Loops loops;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    /** Its {@code dispatchBatch}: at most this many records unacknowledged (the connector's {@code unacked.limit} must allow it). */
    @Inject
    KafkaSettings kafka;

    private volatile Batcher batcher;

    @Incoming("bus-events")
    public Subscriber<Message<String>> records() {
        Batcher b = new Batcher();
        batcher = b;
        return b;
    }

    @PreDestroy
    void stop() {
        Batcher b = batcher;
        if (b != null) {
            b.stop();
        }
    }

    private final class Batcher implements Subscriber<Message<String>> {
        private final BlockingQueue<Message<String>> arrived = new LinkedBlockingQueue<>();
        /** Taken from {@code arrived} and not yet acknowledged; kept across a restart of the worker. */
        private final List<Message<String>> batch = new ArrayList<>(kafka.dispatchBatch());

        private volatile Subscription upstream;
        private volatile boolean running = true;
        private volatile SupervisedLoop loop;

        @Override
        public void onSubscribe(Subscription s) {
            upstream = s;
            SupervisedLoop l = loops.supervise("dispatch", this::work, () -> running = false);
            loop = l;
            l.start(threads);
            s.request(kafka.dispatchBatch());
        }

        void stop() {
            running = false;
            SupervisedLoop l = loop;
            if (l != null) {
                l.stop();
            }
        }

        @Override
        public void onNext(Message<String> record) {
            arrived.add(record);
        }

        @Override
        public void onError(Throwable t) {
            LOG.log(Level.SEVERE, "the dispatch channel ended; liveness reports it once records wait", t);
        }

        @Override
        public void onComplete() {
            LOG.warning("the dispatch channel completed");
        }

        private void work() {
            try {
                while (running) {
                    if (batch.isEmpty()) {
                        Message<String> first = arrived.poll(1, TimeUnit.SECONDS);
                        if (first == null) {
                            continue;
                        }
                        batch.add(first);
                        arrived.drainTo(batch, kafka.dispatchBatch() - 1);
                    }
                    dispatch(batch);
                    batch.forEach(Message::ack);
                    upstream.request(batch.size());
                    batch.clear();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void dispatch(List<Message<String>> batch) throws InterruptedException {
            List<EventEnvelope> events = new ArrayList<>(batch.size());
            for (Message<String> m : batch) {
                EventEnvelope e = envelope(m.getPayload());
                if (e != null) {
                    events.add(e);
                }
            }
            Duration backoff = RETRY.initial();
            while (true) {
                watch.progressed();
                try {
                    dispatcher.dispatchAll(events);
                    return;
                } catch (RuntimeException ex) {
                    LOG.log(Level.WARNING, "dispatch of " + events.size() + " events failed, retrying: " + ex);
                    Thread.sleep(backoff.toMillis());
                    backoff = RETRY.next(backoff);
                }
            }
        }
    }

    /** @return the record's envelope, or null (logged) for a record that is not one */
    static EventEnvelope envelope(String value) {
        try {
            return EnvelopeParser.stored(value, "");
        } catch (RuntimeException bad) {
            LOG.warning("skipping a record that is not an event envelope: " + bad);
            return null;
        }
    }
}
