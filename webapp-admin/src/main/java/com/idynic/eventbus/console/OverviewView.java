package com.idynic.eventbus.console;

import com.idynic.eventbus.broker.DeadLetters;
import com.idynic.eventbus.subscribers.Subscription;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The overview: subscriptions by state and the dead letters waiting in each queue. */
@Named
@RequestScoped
public class OverviewView {
    @Inject
    BusServices bus;

    @Inject
    Operator operator;

    /** A subscription with dead letters. */
    public record Queue(String subscriptionId, long deadLetters) {}

    private List<Subscription> subscriptions;
    private List<Queue> queues;

    private List<Subscription> subscriptions() {
        if (subscriptions == null) {
            subscriptions = bus.subscriptions().list(operator.account());
        }
        return subscriptions;
    }

    /** @return the number of subscriptions per state ({@code active}, {@code paused}, {@code disabled}) */
    public Map<String, Integer> getStates() {
        Map<String, Integer> m = new TreeMap<>();
        subscriptions().forEach(s -> m.merge(s.state(), 1, Integer::sum));
        return m;
    }

    /** @return the subscriptions' number */
    public int getSubscriptionCount() {
        return subscriptions().size();
    }

    /** @return every subscription whose dead-letter queue is not empty, with its size */
    public List<Queue> getQueues() {
        if (queues == null) {
            queues = new ArrayList<>();
            for (Subscription s : subscriptions()) {
                DeadLetters.Page p = bus.deadLetters().list(operator.account(), s.id(), null, null, 0, 1);
                if (p.count() > 0) {
                    queues.add(new Queue(s.id(), p.count()));
                }
            }
        }
        return queues;
    }

    /** @return dead letters in all queues */
    public long getDeadLetterTotal() {
        return getQueues().stream().mapToLong(Queue::deadLetters).sum();
    }
}
