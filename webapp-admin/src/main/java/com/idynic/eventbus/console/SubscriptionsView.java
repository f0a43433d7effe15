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

    private transient com.idynic.eventbus.admin.Overview figures;

    /** @return the subscription's figures over the monitoring window (success rate, queue depth, dead letters), or null */
    public com.idynic.eventbus.admin.DeliveryFigures figures(Subscription s) {
        if (figures == null) {
            try {
                figures = bus.monitoring().overview();
            } catch (RuntimeException e) {
                return null;
            }
        }
        return figures.subscription(s.id())
                .map(com.idynic.eventbus.admin.SubscriptionFigures::figures)
                .orElse(null);
    }

    /** @return the monitoring window the success rate is over, for a person ("over 5 min") */
    public String getWindow() {
        return "over " + age(bus.monitoring().window()).replace(" 0 s", "");
    }

    /** @return the success rate as a percentage with one decimal, or "–" without attempts in the window */
    public String successRate(Subscription s) {
        var f = figures(s);
        return f == null || f.successRate() == null
                ? "–"
                : String.format(java.util.Locale.ROOT, "%.1f %%", f.successRate() * 100);
    }

    /**
     * @return how long the oldest owed delivery has waited, for a person ("45 s", "3 min 5 s", "2 h 0 min"), or "–"
     *     when nothing is owed or the figures cannot be read
     */
    public String lag(Subscription s) {
        var f = figures(s);
        return f == null || f.lag() == null ? "–" : age(f.lag());
    }

    /** @return the duration for a person, to the second below an hour, to the minute above */
    static String age(java.time.Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    /** @return the retry policy for a person, e.g. "15 attempts, 1s ×2 up to 1h, within 24h" */
    public String retry(Subscription s) {
        var r = s.retryPolicy();
        return r.maxAttempts() + " attempts, " + human(r.initialDelay()) + " ×" + r.multiplier() + " up to "
                + human(r.maxDelay()) + ", within " + human(r.maxAge());
    }

    private static String human(java.time.Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
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
