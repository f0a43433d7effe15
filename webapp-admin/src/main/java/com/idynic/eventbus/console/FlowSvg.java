package com.idynic.eventbus.console;

import com.idynic.eventbus.admin.EventFlows;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Draws the flow graph as inline SVG, server-side: three columns (services, event types, subscriptions), one box
 * per node in name order, arrows from column to column labelled with their counts. Boxes of types and
 * subscriptions are links (keyboard-focusable in the page's tab order); failing subscriptions and the arrows into
 * them are drawn red. Styles come from classes in {@code console.css} (the console's CSP allows no inline styles).
 */
final class FlowSvg {
    static final int BOX_WIDTH = 280;
    static final int BOX_HEIGHT = 46;
    static final int PITCH = 58;
    static final int TOP = 34;
    static final int[] COLUMN_X = {8, 378, 748};
    static final int WIDTH = COLUMN_X[2] + BOX_WIDTH + 8;
    static final int MAX_LABEL = 30;
    static final int MAX_DETAIL = 44;

    /** A box's position. */
    record Box(int x, int y) {
        int midY() {
            return y + BOX_HEIGHT / 2;
        }
    }

    private FlowSvg() {}

    /** @return the graph's height in pixels: the tallest column */
    static int height(EventFlows.Graph g) {
        int rows = Math.max(
                1,
                Math.max(
                        g.services().size(),
                        Math.max(g.types().size(), g.subscriptions().size())));
        return TOP + rows * PITCH;
    }

    /** @return the position of every node, keyed by kind and id */
    static Map<String, Box> layout(EventFlows.Graph g) {
        Map<String, Box> out = new HashMap<>();
        List<List<EventFlows.Node>> columns = List.of(g.services(), g.types(), g.subscriptions());
        for (int c = 0; c < 3; c++) {
            List<EventFlows.Node> nodes = columns.get(c);
            for (int i = 0; i < nodes.size(); i++) {
                out.put(key(nodes.get(i).kind(), nodes.get(i).id()), new Box(COLUMN_X[c], TOP + i * PITCH));
            }
        }
        return out;
    }

    /**
     * @param href a node's link, or null for none
     * @return the SVG element
     */
    static String render(EventFlows.Graph g, Function<EventFlows.Node, String> href) {
        Map<String, Box> at = layout(g);
        int h = height(g);
        StringBuilder s = new StringBuilder(4096);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flow-graph\" id=\"flowGraph\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(h)
                .append("\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(h)
                .append("\" role=\"group\" aria-label=\"Event flows: services, event types, subscriptions\">");
        String[] headers = {"Services (published)", "Event types (published)", "Subscriptions (delivered)"};
        for (int c = 0; c < 3; c++) {
            s.append("<text class=\"flow-head\" x=\"")
                    .append(COLUMN_X[c])
                    .append("\" y=\"18\">")
                    .append(headers[c])
                    .append("</text>");
        }
        for (EventFlows.Edge e : g.edges()) {
            Box a = at.get(key(e.fromKind(), e.from()));
            Box b = at.get(key(e.toKind(), e.to()));
            if (a == null || b == null) {
                continue;
            }
            int x1 = a.x() + BOX_WIDTH;
            int x2 = b.x();
            int mx = (x1 + x2) / 2;
            s.append("<path class=\"flow-edge")
                    .append(e.failing() ? " failing" : "")
                    .append("\" d=\"M")
                    .append(x1)
                    .append(' ')
                    .append(a.midY())
                    .append(" C")
                    .append(mx)
                    .append(' ')
                    .append(a.midY())
                    .append(' ')
                    .append(mx)
                    .append(' ')
                    .append(b.midY())
                    .append(' ')
                    .append(x2)
                    .append(' ')
                    .append(b.midY())
                    .append("\"/>");
            if (e.count() >= 0) {
                s.append("<text class=\"flow-count")
                        .append(e.failing() ? " failing" : "")
                        .append("\" x=\"")
                        .append(mx)
                        .append("\" y=\"")
                        .append((a.midY() + b.midY()) / 2 - 4)
                        .append("\" text-anchor=\"middle\">")
                        .append(e.count())
                        .append("</text>");
            }
        }
        for (List<EventFlows.Node> column : List.of(g.services(), g.types(), g.subscriptions())) {
            for (EventFlows.Node n : column) {
                node(s, n, at.get(key(n.kind(), n.id())), href.apply(n));
            }
        }
        return s.append("</svg>").toString();
    }

    private static void node(StringBuilder s, EventFlows.Node n, Box b, String href) {
        String cls = "flow-node flow-" + n.kind().name().toLowerCase(java.util.Locale.ROOT)
                + (n.failing() ? " failing" : "");
        if (href != null) {
            s.append("<a href=\"")
                    .append(escape(href))
                    .append("\" class=\"flow-link\" id=\"flow-")
                    .append(n.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .append('-')
                    .append(escape(n.id()))
                    .append("\">");
        }
        s.append("<g class=\"")
                .append(cls)
                .append("\" data-id=\"")
                .append(escape(n.id()))
                .append("\">");
        s.append("<title>")
                .append(escape(n.id() + (n.detail().isEmpty() ? "" : " — " + n.detail())))
                .append("</title>");
        s.append("<rect x=\"")
                .append(b.x())
                .append("\" y=\"")
                .append(b.y())
                .append("\" width=\"")
                .append(BOX_WIDTH)
                .append("\" height=\"")
                .append(BOX_HEIGHT)
                .append("\" rx=\"6\"/>");
        s.append("<text class=\"flow-label\" x=\"")
                .append(b.x() + 10)
                .append("\" y=\"")
                .append(b.y() + 19)
                .append("\">")
                .append(escape(shorten(n.id(), MAX_LABEL)))
                .append("</text>");
        s.append("<text class=\"flow-detail\" x=\"")
                .append(b.x() + 10)
                .append("\" y=\"")
                .append(b.y() + 37)
                .append("\">")
                .append(escape(shorten(line(n), MAX_DETAIL)))
                .append("</text>");
        s.append("</g>");
        if (href != null) {
            s.append("</a>");
        }
    }

    /** @return the box's second line: its count and state */
    static String line(EventFlows.Node n) {
        String count = n.count() + (n.kind() == EventFlows.Kind.SUBSCRIPTION ? " delivered" : " published");
        return n.detail().isEmpty() ? count : count + " · " + n.detail();
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static String key(EventFlows.Kind k, String id) {
        return k + "\n" + id;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
