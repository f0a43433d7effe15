package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.Auditor;
import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.Signal;
import com.idynic.eventbus.security.Permissions;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.subscribers.delivery.SubscriberHealth;
import com.idynic.eventbus.subscribers.delivery.WebhookDelivery;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a service does to its subscriptions: create or replace (with the owner, quota, state and secret rules),
 * list, read, delete, pause and resume. The caller is passed in; every rule lives here once, for the REST
 * resource and, later, the console and the CLI. Pull delivery is {@link SubscriptionPulls}.
 *
 * @since 0.8.0
 */
public final class SubscriptionService {
    private final SubscriptionRegistry registry;
    private final SubscriptionAccess access;
    private final ReplayService replays;
    private final WebhookDelivery webhooks;
    private final Signal enqueued;
    private final int maxPerService;
    private final Auditor audit;

    /**
     * @param replays starts a new subscription's history
     * @param webhooks whose circuit a resume closes, and which knows each webhook's health
     * @param enqueued raised on a resume, so the events queued meanwhile go out without waiting for a poll
     * @param maxPerService subscriptions a service may own, unless its account says otherwise (admins: no limit)
     * @param audit records each create, update, delete, pause and resume with the caller's name
     */
    public SubscriptionService(
            SubscriptionRegistry registry,
            ReplayService replays,
            WebhookDelivery webhooks,
            Signal enqueued,
            int maxPerService,
            Auditor audit) {
        this.registry = registry;
        this.audit = audit;
        this.access = new SubscriptionAccess(registry);
        this.replays = replays;
        this.webhooks = webhooks;
        this.enqueued = enqueued;
        this.maxPerService = maxPerService;
    }

    /**
     * What a create or replace stored.
     *
     * @param subscription as stored (with its secret, to show only when {@code showSecret})
     * @param created true when new, false when replaced
     * @param showSecret whether the webhook's signing secret is new, and so is shown this once
     * @param history the replay of the history a new subscription asked for with its {@code startPosition}
     */
    public record Saved(Subscription subscription, boolean created, boolean showSecret, Optional<ReplayView> history) {}

    /**
     * Creates or replaces the subscription {@code id} from its JSON form. Without {@code owner} the owner is the
     * existing one, else the caller; only an admin creates for another service. A replace without {@code state}
     * keeps the current state (a restarting client must not resume what an operator paused) and the reason for
     * a state is the bus's, kept only while the state is. A replace without a secret keeps the old one. A new
     * subscription counts against its owner's quota, and one whose {@code startPosition} is not {@code latest}
     * gets its history through a replay; if that cannot start, the subscription is removed again.
     *
     * @throws BusException {@code FORBIDDEN}, {@code QUOTA_EXCEEDED}, or {@code VALIDATION_ERROR} naming the field
     */
    public Saved save(ServiceAccount me, String id, JsonObject body) {
        Optional<Subscription> before = registry.find(id);
        JsonObject o = body.containsKey("owner")
                ? body
                : CachedJson.createObjectBuilder(body)
                        .add("owner", before.map(Subscription::owner).orElse(me.name()))
                        .build();
        Subscription s = SubscriptionJson.read(id, o);
        if (!s.owner().equals(me.name()) && !me.has(Role.ADMIN)) {
            throw new BusException(
                    ErrorCode.FORBIDDEN,
                    "Service '" + me.name() + "' may only create subscriptions it owns",
                    Map.of("service", me.name(), "field", "owner"));
        }
        Permissions.checkSubscribe(me, s.eventTypes());
        String keptState = o.containsKey("state")
                ? s.state()
                : before.map(Subscription::state).orElse(s.state());
        String keptReason = before.filter(b -> b.state().equals(keptState))
                .map(Subscription::disabledReason)
                .orElse(null);
        s = s.withState(keptState, keptReason);
        if (before.isPresent()) {
            Permissions.checkOwner(me, id, before.get().owner());
        } else {
            checkQuota(me, s.owner());
        }
        boolean secretGiven = o.get("target") instanceof JsonObject t && t.containsKey("secret");
        String oldSecret = before.map(b -> b.target().secret()).orElse(null);
        if (!secretGiven && oldSecret != null && s.target().isPush()) {
            Target t = s.target();
            s = s.withTarget(t.withSecret(oldSecret));
        }
        boolean created = registry.save(s);
        Optional<ReplayView> history =
                created && !"latest".equals(s.startPosition()) ? Optional.of(history(s)) : Optional.empty();
        boolean showSecret = s.target().isPush() && (secretGiven || oldSecret == null);
        audit.audit(
                me.name(),
                created ? "subscription-create" : "subscription-update",
                id,
                s.state() + ", " + s.eventTypes() + " -> "
                        + (s.target().url() == null
                                ? s.target().type()
                                : s.target().url()));
        return new Saved(s, created, showSecret, history);
    }

    private void checkQuota(ServiceAccount me, String owner) {
        long owned =
                registry.all().stream().filter(x -> x.owner().equals(owner)).count();
        int max = me.maxSubscriptions() == null ? maxPerService : me.maxSubscriptions();
        if (owned >= max && !me.has(Role.ADMIN)) {
            throw new BusException(
                    ErrorCode.QUOTA_EXCEEDED,
                    "Service '" + owner + "' already has " + owned + " subscriptions (limit " + max + ")",
                    Map.of("service", owner, "limit", max));
        }
    }

    private ReplayView history(Subscription s) {
        try {
            return replays.history(s);
        } catch (InvalidFieldException e) {
            registry.delete(s.id());
            throw new InvalidFieldException(
                    "startPosition", String.valueOf(e.details().get("error")));
        }
    }

    /** @return the subscriptions the caller may read: all for an operator, else its own */
    public List<Subscription> list(ServiceAccount me) {
        return registry.all().stream()
                .filter(s -> me.has(Role.OPERATOR) || me.name().equals(s.owner()))
                .toList();
    }

    /**
     * @return the subscription, when the caller owns it or is an operator
     * @throws BusException {@code NOT_FOUND} or {@code FORBIDDEN}
     */
    public Subscription get(ServiceAccount me, String id) {
        return access.readable(me, id);
    }

    /**
     * Deletes a subscription the caller owns (or any, for an admin); its running replay is cancelled.
     *
     * @throws BusException {@code NOT_FOUND} or {@code FORBIDDEN}
     */
    public void delete(ServiceAccount me, String id) {
        access.owned(me, id);
        if (!registry.delete(id)) {
            throw SubscriptionAccess.notFound(id);
        }
        audit.audit(me.name(), "subscription-delete", id, null);
    }

    /**
     * Pauses a subscription: its events are still queued, and handed out nowhere until it is resumed.
     *
     * @return the paused subscription
     * @throws BusException {@code NOT_FOUND} or {@code FORBIDDEN} (owner or operator only)
     */
    public Subscription pause(ServiceAccount me, String id) {
        access.readable(me, id);
        Subscription s = registry.changeState(id, SubscriptionState.PAUSED, null)
                .orElseThrow(() -> SubscriptionAccess.notFound(id));
        audit.audit(me.name(), "subscription-pause", id, null);
        return s;
    }

    /**
     * Resumes a paused or disabled subscription and closes its circuit; the events queued meanwhile flow, per
     * key in publish order.
     *
     * @return the active subscription
     * @throws BusException {@code NOT_FOUND} or {@code FORBIDDEN} (owner or operator only)
     */
    public Subscription resume(ServiceAccount me, String id) {
        access.readable(me, id);
        Subscription s = registry.changeState(id, SubscriptionState.ACTIVE, null)
                .orElseThrow(() -> SubscriptionAccess.notFound(id));
        webhooks.reset(id);
        enqueued.raise();
        audit.audit(me.name(), "subscription-resume", id, null);
        return s;
    }

    /** @return the webhook's delivery health on this server, or empty for a subscription that is not a webhook */
    public Optional<SubscriberHealth.Snapshot> health(Subscription s) {
        return s.target().isPush() ? Optional.of(webhooks.healthOf(s.id()).snapshot()) : Optional.empty();
    }
}
