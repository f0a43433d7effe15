package com.idynic.eventbus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.idynic.eventbus.admin.EventFlows.Edge;
import com.idynic.eventbus.admin.EventFlows.Kind;
import com.idynic.eventbus.admin.EventFlows.Node;
import com.idynic.eventbus.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFlowsTest {
    private final CatalogFixture f = new CatalogFixture();
    private final SettableClock clock = SettableClock.at("2026-12-06T10:07:30Z");
    private Overview overview = overview();

    private final EventFlows flows =
            new EventFlows(f.catalog, f.store, () -> overview, () -> f.subscriptions, Duration.ofMinutes(5), clock);

    private static Overview overview(SubscriptionFigures... subs) {
        return new Overview(
                Instant.parse("2026-12-06T10:07:30Z"),
                Duration.ofMinutes(5),
                DeliveryFigures.NONE,
                List.of(subs),
                new PipelineFigures(0, Duration.ZERO, null, null, null));
    }

    private static DeliveryFigures figures(long queued, long dead, long finished, long succeeded) {
        return new DeliveryFigures(queued, dead, finished, succeeded, succeeded, null, null, null);
    }

    @Test
    void servicesToTypesToSubscriptionsWithWindowCountsAndFailures() {
        f.schema("order.placed", 2);
        f.published("order.placed", "shop", "2026-12-06T08:00:00Z", "2026-12-06T10:02:10Z", 4);
        f.published("order.placed", "shop", "2026-12-06T08:00:00Z", "2026-12-06T10:06:10Z", 3);
        f.published("order.placed", "shop", "2026-12-06T08:00:00Z", "2026-12-06T09:00:00Z", 100);
        f.published("user.created", "accounts", "2026-12-06T08:00:00Z", "2026-12-06T10:05:00Z", 2);
        f.subscribe("billing", "active", Map.of(), "order.placed");
        f.subscribe("audit", "active", Map.of(), "*");
        f.subscribe("idle", "active", Map.of(), "invoice.*");
        overview = overview(
                new SubscriptionFigures("billing", figures(0, 0, 7, 7), "closed"),
                new SubscriptionFigures("audit", figures(3, 2, 10, 6), "open"),
                new SubscriptionFigures("idle", DeliveryFigures.NONE, null));

        EventFlows.Graph g = flows.graph();

        assertEquals(
                List.of(new Node(Kind.SERVICE, "accounts", 2, "", false), new Node(Kind.SERVICE, "shop", 7, "", false)),
                g.services(),
                "published in the minutes from 10:02 (the window reaches back to 10:02:30); 09:00 is outside");
        assertEquals(
                List.of(
                        new Node(Kind.TYPE, "order.placed", 7, "v2 · backward", false),
                        new Node(Kind.TYPE, "user.created", 2, "no schema", false)),
                g.types());
        assertEquals(
                List.of(
                        new Node(
                                Kind.SUBSCRIPTION,
                                "audit",
                                6,
                                "4 failed · 2 dead letters · 3 queued · circuit open",
                                true),
                        new Node(Kind.SUBSCRIPTION, "billing", 7, "", false),
                        new Node(Kind.SUBSCRIPTION, "idle", 0, "", false)),
                g.subscriptions());
        assertEquals(
                List.of(
                        new Edge(Kind.SERVICE, "shop", Kind.TYPE, "order.placed", 7, false),
                        new Edge(Kind.SERVICE, "accounts", Kind.TYPE, "user.created", 2, false),
                        new Edge(Kind.TYPE, "order.placed", Kind.SUBSCRIPTION, "audit", -1, true),
                        new Edge(Kind.TYPE, "order.placed", Kind.SUBSCRIPTION, "billing", 7, false),
                        new Edge(Kind.TYPE, "user.created", Kind.SUBSCRIPTION, "audit", -1, true)),
                g.edges(),
                "audit receives two types, so its deliveries are not split per type (-1)");
        assertEquals(Duration.ofMinutes(5), g.window());
    }

    @Test
    void aDisabledSubscriptionOrOneWithADeadLetterFails() {
        f.subscribe("off", "disabled", Map.of(), "order.placed");
        f.subscribe("dlq", "paused", Map.of(), "order.placed");
        overview = overview(new SubscriptionFigures("dlq", figures(0, 1, 0, 0), null));

        List<Node> subs = flows.graph().subscriptions();

        assertEquals(
                List.of(
                        new Node(Kind.SUBSCRIPTION, "dlq", 0, "paused · 1 dead letter", true),
                        new Node(Kind.SUBSCRIPTION, "off", 0, "disabled", true)),
                subs);
    }
}
