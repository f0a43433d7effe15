package com.idynic.eventbus.admin;

import com.idynic.eventbus.admin.spi.CatalogStore;
import com.idynic.eventbus.api.EventTypes;
import com.idynic.eventbus.subscribers.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The flow graph: services → event types → subscriptions, with what each service published of each type in the
 * monitoring window (the publisher counts, per minute), what each subscription delivered in it, and the
 * subscriptions in trouble (failed attempts in the window, dead letters, an open circuit, disabled) marked as
 * failing. Built from the catalog's sources and {@link Monitoring#overview()}, never from the events table.
 *
 * @since 0.20.0
 */
public final class EventFlows {
    /** A column of the graph. */
    public enum Kind {
        SERVICE,
        TYPE,
        SUBSCRIPTION
    }

    /**
     * A box.
     *
     * @param id the service, type or subscription id
     * @param count published in the window (services, types) or delivered in it (subscriptions)
     * @param detail a line about its state, e.g. {@code 2 dead letters · circuit open}, or empty
     * @param failing whether it needs attention
     */
    public record Node(Kind kind, String id, long count, String detail, boolean failing) {}

    /**
     * An arrow.
     *
     * @param count events published in the window (service → type); for type → subscription the subscription's
     *     deliveries when it receives only that type, else -1 (not known per type)
     * @param failing whether the arrow ends at a failing subscription
     */
    public record Edge(Kind fromKind, String from, Kind toKind, String to, long count, boolean failing) {}

    /**
     * The graph.
     *
     * @param window how far back the counts look
     */
    public record Graph(
            Instant at,
            Duration window,
            List<Node> services,
            List<Node> types,
            List<Node> subscriptions,
            List<Edge> edges) {
        public Graph {
            services = List.copyOf(services);
            types = List.copyOf(types);
            subscriptions = List.copyOf(subscriptions);
            edges = List.copyOf(edges);
        }
    }

    private final EventCatalog catalog;
    private final CatalogStore store;
    private final Supplier<Overview> figures;
    private final Supplier<List<Subscription>> subscriptions;
    private final Duration window;
    private final Clock clock;

    /**
     * @param figures the monitoring figures ({@link Monitoring#overview()})
     * @param window how far back published counts look (the monitoring window, so both sides of the graph agree)
     */
    public EventFlows(
            EventCatalog catalog,
            CatalogStore store,
            Supplier<Overview> figures,
            Supplier<List<Subscription>> subscriptions,
            Duration window,
            Clock clock) {
        this.catalog = catalog;
        this.store = store;
        this.figures = figures;
        this.subscriptions = subscriptions;
        this.window = window;
        this.clock = clock;
    }

    /** @return the graph now */
    public Graph graph() {
        List<EventCatalog.Entry> entries = catalog.entries();
        Instant now = clock.instant();
        Instant since = now.minus(window).truncatedTo(ChronoUnit.MINUTES);
        return assemble(now, window, entries, store.publishedSince(since), figures.get(), subscriptions.get());
    }

    /** The graph of given readings (no I/O). */
    static Graph assemble(
            Instant at,
            Duration window,
            List<EventCatalog.Entry> entries,
            List<CatalogStore.Published> recent,
            Overview overview,
            List<Subscription> subs) {
        Map<String, Long> pairCounts = new LinkedHashMap<>();
        for (CatalogStore.Published p : recent) {
            pairCounts.merge(p.source() + "\n" + p.eventType(), p.published(), Long::sum);
        }
        TreeMap<String, Long> services = new TreeMap<>();
        List<Node> types = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        Map<String, Node> subNodes = new TreeMap<>();
        for (Subscription s : subs) {
            subNodes.put(s.id(), subscriptionNode(s, overview.subscription(s.id())));
        }
        for (EventCatalog.Entry e : entries) {
            long typeCount = 0;
            for (EventCatalog.Publisher p : e.publishers()) {
                long n = pairCounts.getOrDefault(p.source() + "\n" + e.eventType(), 0L);
                typeCount += n;
                services.merge(p.source(), n, Long::sum);
                edges.add(new Edge(Kind.SERVICE, p.source(), Kind.TYPE, e.eventType(), n, false));
            }
            types.add(new Node(Kind.TYPE, e.eventType(), typeCount, versionLine(e), false));
        }
        for (EventCatalog.Entry e : entries) {
            for (EventCatalog.Reader r : e.subscribers()) {
                Node sub = subNodes.get(r.subscriptionId());
                if (sub == null) {
                    continue;
                }
                long count = onlyType(r.subscriptionId(), subs, entries) ? sub.count() : -1;
                edges.add(new Edge(
                        Kind.TYPE, e.eventType(), Kind.SUBSCRIPTION, r.subscriptionId(), count, sub.failing()));
            }
        }
        List<Node> serviceNodes = new ArrayList<>();
        services.forEach((name, n) -> serviceNodes.add(new Node(Kind.SERVICE, name, n, "", false)));
        return new Graph(at, window, serviceNodes, types, List.copyOf(subNodes.values()), edges);
    }

    private static String versionLine(EventCatalog.Entry e) {
        return e.versions().isEmpty()
                ? "no schema"
                : "v" + e.latest().version() + " · " + e.compatibility().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the subscription receives exactly one of the catalog's types (then its deliveries are that type's). */
    private static boolean onlyType(String subscriptionId, List<Subscription> subs, List<EventCatalog.Entry> entries) {
        Subscription s = subs.stream()
                .filter(x -> x.id().equals(subscriptionId))
                .findFirst()
                .orElseThrow();
        TreeSet<String> matched = new TreeSet<>();
        for (EventCatalog.Entry e : entries) {
            if (s.eventTypes().stream().anyMatch(sel -> EventTypes.matches(sel, e.eventType()))) {
                matched.add(e.eventType());
            }
        }
        return matched.size() == 1;
    }

    static Node subscriptionNode(Subscription s, Optional<SubscriptionFigures> figures) {
        DeliveryFigures f = figures.map(SubscriptionFigures::figures).orElse(DeliveryFigures.NONE);
        String circuit = figures.map(SubscriptionFigures::circuit).orElse(null);
        long failed = f.attemptsFinished() - f.attemptsSucceeded();
        List<String> parts = new ArrayList<>();
        if (!"active".equals(s.state())) {
            parts.add(s.state());
        }
        if (failed > 0) {
            parts.add(failed + " failed");
        }
        if (f.deadLetters() > 0) {
            parts.add(f.deadLetters() + " dead " + (f.deadLetters() == 1 ? "letter" : "letters"));
        }
        if (f.queueDepth() > 0) {
            parts.add(f.queueDepth() + " queued");
        }
        if ("open".equals(circuit)) {
            parts.add("circuit open");
        }
        boolean failing = failed > 0 || f.deadLetters() > 0 || "open".equals(circuit) || "disabled".equals(s.state());
        return new Node(Kind.SUBSCRIPTION, s.id(), f.attemptsSucceeded(), String.join(" · ", parts), failing);
    }
}
