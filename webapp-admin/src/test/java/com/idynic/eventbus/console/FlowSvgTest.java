package com.idynic.eventbus.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.admin.EventFlows;
import com.idynic.eventbus.admin.EventFlows.Edge;
import com.idynic.eventbus.admin.EventFlows.Kind;
import com.idynic.eventbus.admin.EventFlows.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowSvgTest {
    private static final EventFlows.Graph GRAPH = new EventFlows.Graph(
            Instant.parse("2026-12-06T10:00:00Z"),
            Duration.ofMinutes(5),
            List.of(new Node(Kind.SERVICE, "shop", 7, "", false)),
            List.of(
                    new Node(Kind.TYPE, "order.placed", 7, "v2 · backward", false),
                    new Node(Kind.TYPE, "order.<script>", 0, "no schema", false)),
            List.of(
                    new Node(Kind.SUBSCRIPTION, "audit", 6, "2 dead letters", true),
                    new Node(Kind.SUBSCRIPTION, "billing", 7, "", false),
                    new Node(Kind.SUBSCRIPTION, "mailer", 0, "", false)),
            List.of(
                    new Edge(Kind.SERVICE, "shop", Kind.TYPE, "order.placed", 7, false),
                    new Edge(Kind.TYPE, "order.placed", Kind.SUBSCRIPTION, "audit", -1, true),
                    new Edge(Kind.TYPE, "order.placed", Kind.SUBSCRIPTION, "billing", 7, false)));

    @Test
    void threeColumnsOneRowPerNodeInOrder() {
        Map<String, FlowSvg.Box> at = FlowSvg.layout(GRAPH);
        assertEquals(new FlowSvg.Box(8, 34), at.get("SERVICE\nshop"));
        assertEquals(new FlowSvg.Box(378, 34), at.get("TYPE\norder.placed"));
        assertEquals(new FlowSvg.Box(378, 92), at.get("TYPE\norder.<script>"));
        assertEquals(new FlowSvg.Box(748, 150), at.get("SUBSCRIPTION\nmailer"));
        assertEquals(34 + 3 * 58, FlowSvg.height(GRAPH), "as tall as the tallest column");
    }

    @Test
    void edgesCarryTheirCountsAndFailuresAreRed() {
        String svg = FlowSvg.render(GRAPH, n -> n.kind() == Kind.SERVICE ? null : "/c/" + n.id());

        assertTrue(svg.contains("<path class=\"flow-edge\" d=\"M288 57 C333 57 333 57 378 57\"/>"), svg);
        assertTrue(svg.contains(">7</text>"), "the service → type count");
        assertTrue(svg.contains("<path class=\"flow-edge failing\" d=\"M658 57 C703 57 703 57 748 57\"/>"), svg);
        assertEquals(2, count(svg, "class=\"flow-count"), "7 and 7 are drawn; -1 (not known per type) is not");
        assertTrue(svg.contains("<g class=\"flow-node flow-subscription failing\" data-id=\"audit\">"), svg);
        assertTrue(svg.contains("6 delivered · 2 dead letters"), svg);
        assertTrue(svg.contains("<g class=\"flow-node flow-subscription\" data-id=\"billing\">"), svg);
    }

    @Test
    void typesAndSubscriptionsAreLinksServicesAreNotAndNamesAreEscaped() {
        String svg = FlowSvg.render(GRAPH, n -> n.kind() == Kind.SERVICE ? null : "/c/" + n.id());

        assertTrue(svg.contains("<a href=\"/c/audit\" class=\"flow-link\" id=\"flow-subscription-audit\">"), svg);
        assertTrue(svg.contains("<a href=\"/c/order.placed\""), svg);
        assertFalse(svg.contains("href=\"/c/shop\""), svg);
        assertFalse(svg.contains("<script>"), svg);
        assertTrue(svg.contains("order.&lt;script&gt;"), svg);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
