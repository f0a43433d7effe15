package com.idynic.eventbus.console;

import com.idynic.eventbus.admin.EventFlows;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The flow graph ({@link EventFlows}), drawn as inline SVG ({@link FlowSvg}) and refreshed by a poll. */
@Named
@RequestScoped
public class FlowsView {
    @Inject
    BusServices bus;

    private EventFlows.Graph graph;
    private boolean read;

    /** @return the graph now, or null when it could not be read (the refusal is shown) */
    public EventFlows.Graph getGraph() {
        if (!read) {
            read = true;
            graph = Messages.attempt(() -> bus.flows().graph());
        }
        return graph;
    }

    /** @return the SVG, or empty */
    public String getSvg() {
        EventFlows.Graph g = getGraph();
        if (g == null) {
            return "";
        }
        String root = FacesContext.getCurrentInstance().getExternalContext().getRequestContextPath();
        return FlowSvg.render(g, n -> switch (n.kind()) {
            case TYPE -> root + "/catalog.xhtml?type=" + URLEncoder.encode(n.id(), StandardCharsets.UTF_8);
            case SUBSCRIPTION -> n.failing()
                    ? root + "/dead-letters.xhtml?subscription=" + URLEncoder.encode(n.id(), StandardCharsets.UTF_8)
                    : root + "/subscriptions.xhtml";
            case SERVICE -> null;
        });
    }

    /** @return the failing subscriptions, for the list under the graph */
    public List<EventFlows.Node> getFailing() {
        EventFlows.Graph g = getGraph();
        return g == null
                ? List.of()
                : g.subscriptions().stream().filter(EventFlows.Node::failing).toList();
    }

    /** @return the window in minutes */
    public long getWindowMinutes() {
        EventFlows.Graph g = getGraph();
        return g == null ? 0 : g.window().toMinutes();
    }
}
