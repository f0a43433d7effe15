package com.idynic.eventbus.storage;

/**
 * The statements of the delivery queue ({@link JdbcDeliveryQueue}), named. States appear as literals here
 * (the names of {@link com.idynic.eventbus.broker.spi.DeliveryState}); columns carry the names the row
 * mappers read.
 */
final class DeliverySql {
    private DeliverySql() {}

    static final String LEASED_COLUMNS =
            "d.id, d.subscription_id, d.attempts, d.first_attempt_at, d.leased_at, e.payload, e.content_hash,"
                    + " e.receipt, e.accepted_at, d.is_replay, d.event_seq";

    /** Whether an open row is due: pending and past its retry time, or leased by a holder that let it lapse. */
    static final String DUE =
            "((d.state = 'PENDING' and d.available_at <= now()) or (d.state = 'LEASED' and d.lease_until <= now()))";

    /** An ordered row may go only when no earlier event of its key is open and no event of its key is leased. */
    static final String KEY_FREE =
            """
            not exists (select 1 from eb_delivery p
                         where p.subscription_id = d.subscription_id and p.ordering_key = d.ordering_key
                           and p.state in ('PENDING', 'LEASED', 'DEAD') and p.event_seq < d.event_seq)
            and not exists (select 1 from eb_delivery p
                             where p.subscription_id = d.subscription_id and p.ordering_key = d.ordering_key
                               and p.state = 'LEASED' and p.lease_until > now() and p.id <> d.id)""";

    /** Serializes the leases of one subscription (transaction-scoped). */
    static final String LOCK = "select pg_advisory_xact_lock(hashtext(?))";

    /** The ordering of a subscription that may be handed events now (one in the given state). */
    static final String ORDERING_IF_IN_STATE = "select ordering from eb_subscription where id = ? and state = ?";

    /** Unordered: every due row, oldest first (rows waiting for a retry are skipped in the index walk). */
    static final String CANDIDATES_UNORDERED = "select d.id from eb_delivery d where d.subscription_id = ?"
            + " and d.state in ('PENDING', 'LEASED') and " + DUE + " order by d.event_seq limit ?";

    /**
     * Ordered, first look: the oldest open rows (at most a window of them, so the cost of a lease does not
     * grow with the backlog), keeping those whose key is free. Only the first row of each key in the window can be
     * (the window's later rows of that key have an open one before them), so only those are probed for a free key:
     * probing all of them cost about 0.2 ms per row on a loaded 2-core machine, 218 ms per lease with a 75,000-event
     * backlog, against 6.5 ms this way (a soak's ordered webhook, 64 keys).
     */
    static final String CANDIDATES_ORDERED_WINDOW = "select d.id from (select w.*, row_number() over"
            + " (partition by w.ordering_key order by w.event_seq) as key_rank from (select * from eb_delivery w"
            + " where w.subscription_id = ? and w.state in ('PENDING', 'LEASED') order by w.event_seq limit ?) w) d"
            + " where (d.ordering_key is null or d.key_rank = 1) and " + DUE + " and (d.ordering_key is null or "
            + KEY_FREE + ") order by d.event_seq limit ?";

    /** Whether more open rows exist than the ordered window looks at. */
    static final String WINDOW_FULL = "select exists (select 1 from eb_delivery"
            + " where subscription_id = ? and state in ('PENDING', 'LEASED') order by event_seq offset ?)"
            + " as window_full";

    /**
     * Ordered, second look when the window was full of blocked rows: the head of each key (a skip scan over
     * the keys with open rows, at most {@code ?} keys), so a key far behind in the backlog still progresses
     * while others wait for retries: one key's trouble never holds up the rest.
     */
    static final String CANDIDATES_ORDERED_HEADS =
            """
            with recursive k(ordering_key) as (
              (select ordering_key from eb_delivery
                where subscription_id = ? and state in ('PENDING', 'LEASED', 'DEAD') and ordering_key is not null
                order by ordering_key limit 1)
              union all
              select (select x.ordering_key from eb_delivery x
                       where x.subscription_id = ? and x.state in ('PENDING', 'LEASED', 'DEAD')
                         and x.ordering_key > k.ordering_key
                       order by x.ordering_key limit 1)
                from k where k.ordering_key is not null)
            select d.id from (select ordering_key from k where ordering_key is not null limit ?) keys
            cross join lateral (
              select h.* from eb_delivery h
               where h.subscription_id = ? and h.ordering_key = keys.ordering_key
                 and h.state in ('PENDING', 'LEASED', 'DEAD')
               order by h.event_seq limit 1) d
            where\s"""
                    + DUE
                    + """
                     and not exists (select 1 from eb_delivery p
                                      where p.subscription_id = d.subscription_id and p.ordering_key = d.ordering_key
                                        and p.state = 'LEASED' and p.lease_until > now() and p.id <> d.id)
                      and d.id <> all(?)
                    order by d.event_seq limit ?""";

    /**
     * Ordered, second look for events without an ordering key when the window was full of blocked rows: they
     * wait for nothing but their own retry time, so a deep backlog of other keys must not hold them up.
     */
    static final String CANDIDATES_KEYLESS = "select d.id from eb_delivery d where d.subscription_id = ?"
            + " and d.ordering_key is null and d.state in ('PENDING', 'LEASED') and " + DUE
            + " and d.id <> all(?) order by d.event_seq limit ?";

    /**
     * The open and parked events after each candidate key's head (keys in head order), at most {@code ?} per key
     * and {@code ?} in all, each marked due or not (a parked or retry-waiting event is not due and ends its
     * key's run; {@link LeaseCandidates#runs} keeps each key's run up to there). One index probe per key on
     * {@code eb_delivery_blocking}; the keys are visited in order, so the overall limit cuts the last keys.
     */
    static final String RUNS =
            """
            select r.id, r.event_seq, r.ordering_key, r.due
              from unnest(?::varchar[], ?::bigint[]) with ordinality as k(okey, after_seq, ord)
              cross join lateral (
                select d.id, d.event_seq, d.ordering_key,\s"""
                    + DUE
                    + """
                 as due
                  from eb_delivery d
                 where d.subscription_id = ? and d.ordering_key = k.okey and d.state in ('PENDING', 'LEASED', 'DEAD')
                   and d.event_seq > k.after_seq
                 order by d.event_seq limit ?) r
             order by k.ord, r.event_seq
             limit ?""";

    /** The candidates' keys (null for keyless ones) and sequence numbers. */
    static final String HEADS = "select id, event_seq, ordering_key from eb_delivery where id = any(?)";

    /**
     * A retry or dead letter of an ordered subscription's event returns the later events of its key that the same
     * lease took (the same {@code leased_at}: one lease statement, one transaction time) and that are still leased
     * to pending, taking back the attempt their lease counted, so they are delivered again after it or parked behind
     * it. Rows another lease took since (after this one lapsed) are not touched. Run only after the settlement of
     * the head applied, so only the holder of that lease releases its run.
     */
    static final String RELEASE_RUN =
            """
            update eb_delivery r set state = 'PENDING', lease_until = null, attempts = greatest(r.attempts - 1, 0),
                   first_attempt_at = case when r.attempts <= 1 then null else r.first_attempt_at end
              from eb_delivery h join eb_subscription s on s.id = h.subscription_id
             where h.id = ? and s.ordering = 'ordered' and h.ordering_key is not null
               and r.subscription_id = h.subscription_id and r.ordering_key = h.ordering_key
               and r.event_seq > h.event_seq and r.state = 'LEASED' and r.leased_at = h.leased_at""";

    /**
     * Takes the candidates in sequence order while the payloads before each add up to less than {@code ?}
     * bytes ({@code octet_length} reads the stored length without decompressing); the rest stay due. Parameters:
     * the candidate ids, the lease in milliseconds, the byte bound, the candidate ids again.
     *
     * <p>Planned so that statistics older than a burst cannot make it read more than the candidates: each
     * candidate's event is probed by its id ({@code lateral ... limit 1}, never flattened into a join), the events are read once ({@code materialized}), and
     * the update is driven by the ids ({@code d.id = any(?)}). With stale statistics PostgreSQL once planned it
     * from every due row of the table (5,165 in a soak, estimated at 1) and joined each to the candidates again,
     * 1.5 to 2.2 s per lease; or it read a whole day's events to join a few (a day partition not yet analyzed).
     */
    static final String TAKE =
            """
            with e as materialized (
                select c.id as delivery_id, ev.payload, ev.content_hash, ev.receipt, ev.accepted_at,
                       sum(octet_length(ev.payload)) over (order by c.event_seq, c.id)
                         - octet_length(ev.payload) as bytes_before
                  from eb_delivery c
                  cross join lateral (select x.payload, x.content_hash, x.receipt, x.accepted_at
                                        from eb_event_id i
                                        join eb_event x on x.id = i.id and x.accepted_at = i.accepted_at
                                       where i.id = c.event_id limit 1) ev
                 where c.id = any(?))
            update eb_delivery d
               set state = 'LEASED', lease_until = now() + (? * interval '1 millisecond'), attempts = d.attempts + 1,
                   leased_at = now(), first_attempt_at = coalesce(d.first_attempt_at, now())
              from e
             where d.id = e.delivery_id and e.bytes_before < ? and d.id = any(?) and\s"""
                    + DUE
                    + """
            returning\s"""
                    + LEASED_COLUMNS;

    /**
     * A batch of delivery rows in one statement. An event's row in {@code eb_event_id} (unpartitioned) must exist,
     * which retention removes in the same transaction as the event itself. Its sequence number is the one given
     * (the dispatcher reads it from the Kafka record); where none is given (null) it is read from the event row,
     * through the id row's acceptance time so that the partitioned events table is probed in one day only.
     */
    static final String ENQUEUE_ALL =
            """
            insert into eb_delivery (subscription_id, event_id, ordering_key, event_seq)
            select u.sub, u.eid, u.okey,
                   coalesce(u.seq, (select e.seq from eb_event e where e.id = i.id and e.accepted_at = i.accepted_at))
              from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[]) with ordinality as u(sub, eid, okey, seq, ord)
              join eb_subscription s on s.id = u.sub
              join eb_event_id i on i.id = u.eid
             where u.seq is not null
                or exists (select 1 from eb_event e where e.id = i.id and e.accepted_at = i.accepted_at)
             order by u.ord
            on conflict on constraint eb_delivery_once do nothing""";

    static final String LEASED = "select " + LEASED_COLUMNS
            + " from eb_delivery d join eb_event e on e.id = d.event_id"
            + " where d.subscription_id = ? and d.event_id = any(?) and d.state = 'LEASED'";

    /** Leased rows their holder will not attempt go back to pending, uncounted, unless leased again meanwhile. */
    static final String RELEASE =
            """
            update eb_delivery d set state = 'PENDING', lease_until = null, attempts = greatest(d.attempts - 1, 0),
                   first_attempt_at = case when d.attempts <= 1 then null else d.first_attempt_at end
              from unnest(?::bigint[], ?::integer[]) u(id, attempt)
             where d.id = u.id and d.attempts = u.attempt and d.state = 'LEASED'""";

    /*
     * Settlements are fenced by the lease they answer: the row must still be leased at the attempt count the lease
     * handed out. A holder whose lease lapsed and was taken by another lease (which counted one more attempt)
     * changes nothing; releases take the count back only for rows of their own lease, so a count never returns to
     * one that another holder still has.
     */

    static final String WITHHOLD = "update eb_delivery set state = 'DISCARDED',"
            + " lease_until = null, last_error = ? where id = ? and attempts = ? and state = 'LEASED'";

    static final String SETTLE_DELIVERED =
            """
            update eb_delivery d set state = 'DELIVERED', delivered_at = now(), lease_until = null
              from unnest(?::bigint[], ?::integer[]) u(id, attempt)
             where d.id = u.id and d.attempts = u.attempt and d.state = 'LEASED' returning d.id""";

    static final String SETTLE_RETRY = "update eb_delivery set state = 'PENDING', lease_until = null,"
            + " available_at = ?, last_error = ? where id = ? and attempts = ? and state = 'LEASED'";

    static final String SETTLE_DEAD = "update eb_delivery set state = 'DEAD', dead_at = now(), dead_group = id,"
            + " lease_until = null, last_error = ? where id = ? and attempts = ? and state = 'LEASED'";

    /** Ordered subscriptions: every later pending event of a dead letter's key joins its parked sequence. */
    static final String PARK_BEHIND = "update eb_delivery p set state = 'DEAD', dead_at = now(),"
            + " dead_group = h.id, last_error = 'parked behind dead letter ' || h.event_id"
            + " from eb_delivery h join eb_subscription s on s.id = h.subscription_id"
            + " where h.id = ? and s.ordering = 'ordered' and h.ordering_key is not null"
            + " and p.subscription_id = h.subscription_id and p.ordering_key = h.ordering_key"
            + " and p.event_seq > h.event_seq and p.state = 'PENDING'";

    /**
     * Attempt records carry their event's acceptance time (the table is partitioned by day on it) and whether they
     * were replays (a replayed event's age is not a processing time).
     */
    static final String RECORD_ATTEMPTS =
            """
            insert into eb_delivery_attempt (delivery_id, subscription_id, event_id, attempt, started_at, duration_ms,
                                             target, outcome, http_status, error, accepted_at, replay)
            select * from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::integer[], ?::timestamptz[], ?::bigint[],
                                 ?::varchar[], ?::varchar[], ?::integer[], ?::text[], ?::timestamptz[], ?::boolean[])""";

    static final String REQUEUE = "insert into eb_delivery (subscription_id, event_id,"
            + " ordering_key, event_seq, is_replay) select ?, e.id, e.partition_key, e.seq, true"
            + " from eb_event e where e.id = any(?)"
            + " on conflict on constraint eb_delivery_once do update set state = 'PENDING', attempts = 0,"
            + " first_attempt_at = null, available_at = now(), is_replay = true, last_error = null, created_at = now(),"
            + " delivered_at = null where eb_delivery.state in ('DELIVERED', 'DISCARDED')";

    /** @return the text cut to a column's length, or null */
    static String fit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
