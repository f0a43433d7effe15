package com.idynic.eventbus.console;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every view of the console, the role it needs and its place in the navigation. Access is decided from
 * the view Faces resolved ({@link ConsoleAccess}), so no spelling of a URL reaches a page around it.
 */
public enum Page {
    /** Sign in with an API key. */
    SIGN_IN("/sign-in.xhtml", "Sign in", Access.ANYONE, false),
    /** Health and flow of the bus. */
    OVERVIEW("/index.xhtml", "Overview", Access.OPERATOR, true),
    /** Find events and read one event's timeline. */
    EVENTS("/events.xhtml", "Events", Access.OPERATOR, true),
    /** Dead letters per subscription: inspect, redrive, discard. */
    DEAD_LETTERS("/dead-letters.xhtml", "Dead letters", Access.OPERATOR, true),
    /** Subscriptions, their state and health; pause and resume. */
    SUBSCRIPTIONS("/subscriptions.xhtml", "Subscriptions", Access.OPERATOR, true),
    /** Replays: dry run, start, progress. */
    REPLAYS("/replays.xhtml", "Replays", Access.OPERATOR, true),
    /** Graph of services, event types and subscriptions with live counts and failures. */
    FLOWS("/flows.xhtml", "Flows", Access.OPERATOR, true),
    /** Every event type: schema versions, publishers, subscribers, a sample. */
    CATALOG("/catalog.xhtml", "Catalog", Access.OPERATOR, true),
    /** Alerts: the firing ones, the rules (create, edit, delete) and the history. */
    ALERTS("/alerts.xhtml", "Alerts", Access.OPERATOR, true),
    /** The audit log: who did what, filtered and paged. */
    AUDIT("/audit.xhtml", "Audit log", Access.OPERATOR, true),
    /** Services and their roles (admin). */
    SERVICES("/services.xhtml", "Services", Access.ADMIN, true),
    /** Schemas (register with compatibility check) and retention (admin). */
    SCHEMAS("/schemas.xhtml", "Schemas & retention", Access.ADMIN, true),
    /** Refusal shown to a signed-in operator on an admin page. */
    FORBIDDEN("/forbidden.xhtml", "Not allowed", Access.ANYONE, false);

    /** Who may open a page. */
    public enum Access {
        /** Anyone, signed in or not. */
        ANYONE,
        /** A signed-in service with the operator or admin role. */
        OPERATOR,
        /** A signed-in service with the admin role. */
        ADMIN
    }

    private final String viewId;
    private final String title;
    private final Access access;
    private final boolean navigation;

    Page(String viewId, String title, Access access, boolean navigation) {
        this.viewId = viewId;
        this.title = title;
        this.access = access;
        this.navigation = navigation;
    }

    /** @return the Faces view id, e.g. {@code /events.xhtml} */
    public String viewId() {
        return viewId;
    }

    /** @return the page's title and navigation label */
    public String title() {
        return title;
    }

    /** @return who may open it */
    public Access access() {
        return access;
    }

    /** @return the page for a view id, or empty for a view the console does not know */
    public static Optional<Page> of(String viewId) {
        return Arrays.stream(values()).filter(p -> p.viewId.equals(viewId)).findFirst();
    }

    /** @return the pages shown in the navigation, in order */
    public static List<Page> navigation() {
        return Arrays.stream(values()).filter(p -> p.navigation).toList();
    }
}
