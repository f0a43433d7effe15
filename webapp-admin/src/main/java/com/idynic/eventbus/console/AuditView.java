package com.idynic.eventbus.console;

import com.idynic.eventbus.admin.AuditEntry;
import com.idynic.eventbus.admin.AuditTrail;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log, newest first, filtered by actor, action, subscription and time, a page at a time (the service
 * method of {@code GET /v1/audit}).
 */
@Named
@ViewScoped
public class AuditView implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Entries per page. */
    static final int PAGE = 50;

    @Inject
    BusServices bus;

    private String actor;
    private String action;
    private String subscription;
    private String from;
    private String to;
    private final List<AuditEntry> entries = new ArrayList<>();
    private Long next;
    private boolean loaded;

    /** Reads the first page for the filters. */
    public void search() {
        entries.clear();
        next = null;
        loaded = true;
        more(0);
    }

    /** Appends the next page. */
    public void more() {
        if (next != null) {
            more(next);
        }
    }

    private void more(long before) {
        AuditTrail.Page page =
                Messages.attempt(() -> bus.auditTrail().page(actor, action, subscription, from, to, before, PAGE));
        if (page != null) {
            entries.addAll(page.entries());
            next = page.next();
        }
    }

    /** @return the entries read so far (the newest page on first display) */
    public List<AuditEntry> getEntries() {
        if (!loaded) {
            search();
        }
        return entries;
    }

    /** @return whether there are older entries */
    public boolean isMoreAvailable() {
        return next != null;
    }

    /** @return a time for a person, in UTC to the millisecond */
    public String time(Instant t) {
        return t == null ? "" : t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    public String getActor() {
        return actor;
    }

    public void setActor(String actor) {
        this.actor = actor;
    }

    public String getAction() {
        return action;
    }

    public void setAction(String action) {
        this.action = action;
    }

    public String getSubscription() {
        return subscription;
    }

    public void setSubscription(String subscription) {
        this.subscription = subscription;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }
}
