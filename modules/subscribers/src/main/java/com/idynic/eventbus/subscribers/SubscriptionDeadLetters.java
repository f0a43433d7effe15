package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.broker.BulkRedriveView;
import com.idynic.eventbus.broker.BulkRedrives;
import com.idynic.eventbus.broker.DeadLetterFilter;
import com.idynic.eventbus.broker.DeadLetters;
import com.idynic.eventbus.broker.DeliveryView;
import com.idynic.eventbus.broker.export.Export;
import com.idynic.eventbus.broker.export.TableExport;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A subscription's dead-letter queue as a caller may see and act on it: its owner and operators only (the
 * roles that may redrive or discard are the caller's binding to check), and an event shown only when the
 * caller is an operator or the owner may still read its type. The queue's own rules are {@link DeadLetters}.
 *
 * @since 0.8.0
 */
public final class SubscriptionDeadLetters {
    private final SubscriptionRegistry registry;
    private final SubscriptionAccess access;
    private final DeadLetters deadLetters;
    private final BulkRedrives bulk;

    public SubscriptionDeadLetters(SubscriptionRegistry registry, DeadLetters deadLetters) {
        this(registry, deadLetters, null);
    }

    /**
     * @param bulk bulk redrives ("all matching a filter")
     * @since 0.9.0
     */
    public SubscriptionDeadLetters(SubscriptionRegistry registry, DeadLetters deadLetters, BulkRedrives bulk) {
        this.registry = registry;
        this.access = new SubscriptionAccess(registry);
        this.deadLetters = deadLetters;
        this.bulk = bulk;
    }

    /**
     * @see DeadLetters#list
     * @throws BusException {@code NOT_FOUND}, {@code FORBIDDEN} or {@code VALIDATION_ERROR} naming {@code limit}
     */
    public DeadLetters.Page list(
            ServiceAccount me, String id, String eventType, String errorContains, long after, int limit) {
        access.readable(me, id);
        return deadLetters.list(id, eventType, errorContains, after, limit);
    }

    /**
     * @see DeadLetters#list(String, DeadLetterFilter, long, int)
     * @throws BusException {@code NOT_FOUND}, {@code FORBIDDEN} or {@code VALIDATION_ERROR} naming {@code limit}
     *     or {@code deadTo}
     * @since 0.9.0
     */
    public DeadLetters.Page list(ServiceAccount me, String id, DeadLetterFilter filter, long after, int limit) {
        access.readable(me, id);
        return deadLetters.list(id, filter, after, limit);
    }

    /** The columns of a dead-letter export, in order. */
    public static final List<String> EXPORT_COLUMNS =
            List.of("eventId", "state", "attempts", "deadAt", "lastError", "parksOthers", "redriveCount", "redrivenAt");

    /**
     * Exports the dead letters that match {@code filter} in delivery order, read through {@link #list} a page
     * at a time (so an export shows what the list shows), at most {@link TableExport#MAX_ROWS}.
     *
     * @return the export, its first page read: a refusal comes before the first byte
     * @throws BusException {@code NOT_FOUND}, {@code FORBIDDEN} or {@code VALIDATION_ERROR}
     * @since 0.9.0
     */
    public Export export(ServiceAccount me, String id, DeadLetterFilter filter, TableExport.Format format) {
        DeadLetters.Page first = list(me, id, filter, 0, 500);
        return new Export(
                format, "dead-letters-" + id.replaceAll("[^A-Za-z0-9._-]", "_") + "." + format.extension(), out -> {
                    try (TableExport t = TableExport.open(format, EXPORT_COLUMNS, out)) {
                        DeadLetters.Page page = first;
                        while (true) {
                            for (DeliveryView d : page.deadLetters()) {
                                if (!t.row(Arrays.asList(
                                        d.eventId(),
                                        d.state(),
                                        d.attempts(),
                                        d.deadAt() == null ? null : Timestamps.format(d.deadAt()),
                                        d.lastError(),
                                        d.parksOthers(),
                                        d.redriveCount(),
                                        d.redrivenAt() == null ? null : Timestamps.format(d.redrivenAt())))) {
                                    return;
                                }
                            }
                            if (page.next().isEmpty()) {
                                return;
                            }
                            page = list(me, id, filter, page.next().getAsLong(), 500);
                        }
                    }
                });
    }

    /**
     * Counts what a redrive of all dead letters matching {@code filter} would redrive, changing nothing.
     *
     * @see BulkRedrives#dryRun
     * @throws BusException {@code NOT_FOUND}, {@code FORBIDDEN} or {@code VALIDATION_ERROR}
     * @since 0.9.0
     */
    public BulkRedrives.DryRun dryRunRedriveAll(ServiceAccount me, String id, DeadLetterFilter filter, Double rate) {
        access.readable(me, id);
        return bulk.dryRun(id, filter, rate);
    }

    /**
     * Starts the throttled redrive of every dead letter matching {@code filter}, audited with the caller's name.
     *
     * @see BulkRedrives#start
     * @throws BusException {@code NOT_FOUND}, {@code FORBIDDEN}, {@code VALIDATION_ERROR} or
     *     {@code ALREADY_RUNNING}
     * @since 0.9.0
     */
    public BulkRedriveView redriveAll(ServiceAccount me, String id, DeadLetterFilter filter, Double rate) {
        access.readable(me, id);
        return bulk.start(id, filter, rate, me.name());
    }

    /**
     * A bulk redrive's progress.
     *
     * @throws BusException {@code NOT_FOUND} (subscription or job) or {@code FORBIDDEN}
     * @since 0.9.0
     */
    public BulkRedriveView redriveAllProgress(ServiceAccount me, String id, String redriveId) {
        access.readable(me, id);
        return bulk.progress(id, redriveId);
    }

    /**
     * Cancels a bulk redrive, audited with the caller's name; idempotent.
     *
     * @throws BusException {@code NOT_FOUND} (subscription or job) or {@code FORBIDDEN}
     * @since 0.9.0
     */
    public BulkRedriveView cancelRedriveAll(ServiceAccount me, String id, String redriveId) {
        access.readable(me, id);
        return bulk.cancel(id, redriveId, me.name());
    }

    /**
     * The event's sensitive values are shown in clear to the subscription's owner (it receives them in every
     * delivery) and to a caller with the role {@code sensitive}, masked to others ({@link
     * com.idynic.eventbus.broker.Masking}).
     *
     * @see DeadLetters#inspect
     * @throws BusException {@code NOT_FOUND} (subscription or dead letter) or {@code FORBIDDEN}
     */
    public DeadLetters.Inspection inspect(ServiceAccount me, String id, String eventId) {
        Subscription s = access.readable(me, id);
        boolean clear = me.has(Role.SENSITIVE) || me.name().equals(s.owner());
        return deadLetters.inspect(id, eventId, type -> me.has(Role.OPERATOR) || registry.mayRead(s, type), clear);
    }

    /**
     * Redrives dead letters, audited with the caller's name.
     *
     * @param eventIds the ids, or null for all
     * @return number redriven
     * @throws BusException {@code NOT_FOUND} or {@code FORBIDDEN}
     */
    public int redrive(ServiceAccount me, String id, Collection<String> eventIds) {
        access.readable(me, id);
        return deadLetters.redrive(id, eventIds, me.name());
    }

    /**
     * Discards dead letters, audited with the caller's name.
     *
     * @param eventIds the ids, or null for all
     * @param reason why, required
     * @return number discarded
     * @throws BusException {@code NOT_FOUND}, {@code FORBIDDEN} or {@code VALIDATION_ERROR} naming {@code reason}
     */
    public int discard(ServiceAccount me, String id, Collection<String> eventIds, String reason) {
        access.readable(me, id);
        return deadLetters.discard(id, eventIds, reason, me.name());
    }
}
