package com.idynic.eventbus.console;

import com.idynic.eventbus.subscribers.Subscription;
import com.idynic.eventbus.subscribers.delivery.SubscriberHealth;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;

/** Every subscription with its state and health; pause and resume (the service methods of the REST API). */
@Named
@ViewScoped
public class SubscriptionsView implements Serializable {
    private static final long serialVersionUID = 1L;

    @Inject
    BusServices bus;

    @Inject
    Operator operator;

    private transient List<Subscription> subscriptions;

    /** @return every subscription the operator reads (all of them) */
    public List<Subscription> getSubscriptions() {
        if (subscriptions == null) {
            subscriptions = bus.subscriptions().list(operator.account());
        }
        return subscriptions;
    }

    /** @return the subscription's delivery health (webhooks), or null */
    public SubscriberHealth.Snapshot health(Subscription s) {
        return bus.subscriptions().health(s).orElse(null);
    }

    /** @return the subscription's target for a person: its URL or "pull" */
    public String target(Subscription s) {
        return s.target().url() == null ? s.target().type() : s.target().url();
    }

    /** Pauses: events keep being queued but are not handed out. */
    public void pause(String id) {
        if (Messages.attempt(() -> bus.subscriptions().pause(operator.account(), id)) != null) {
            Messages.info("Paused " + id + ".");
        }
        subscriptions = null;
    }

    /** Resumes delivery. */
    public void resume(String id) {
        if (Messages.attempt(() -> bus.subscriptions().resume(operator.account(), id)) != null) {
            Messages.info("Resumed " + id + ".");
        }
        subscriptions = null;
    }
}
