-- Lease and settle cost with many delivered rows present (issue 18). Loaded by run.sh into a database migrated
-- with sql/V*.sql; defines the workload and the timed rounds, then run.sh calls them phase by phase.
--
-- The statements are the bus's, copied from modules/storage (DeliverySql: CANDIDATES_UNORDERED,
-- CANDIDATES_ORDERED_WINDOW, TAKE, SETTLE_DELIVERED, RECORD_ATTEMPTS; JdbcDeliveryArchive.MOVE), with the lease
-- size 50, a 30 s lease and the 16 MiB lease byte bound as parameters. RECORD_ATTEMPTS builds its rows from the
-- leased rows here instead of from Java arrays: the same table and index writes. Each statement of a round runs
-- under EXPLAIN (ANALYZE, BUFFERS): its execution time and the buffers it touched go to bench_timing.
set timezone = 'UTC';

-- Ten subscriptions: s0..s4 unordered, s5..s9 ordered.
insert into eb_subscription (id, owner, event_types, target_type, ordering, state)
select 's' || g, 'bench', 'order.*', 'webhook', case when g < 5 then 'unordered' else 'ordered' end, 'active'
from generate_series(0, 9) g;

create table bench_timing (
    phase     text    not null,
    statement text    not null,
    ms        numeric not null,
    buffers   bigint  not null
);

-- Publishes n events (about 500-byte payloads, 64 ordering keys, each with its own acceptance time as the bus
-- gives them) and queues one delivery row per subscription for each, as the dispatcher does.
create function bench_backlog(n int) returns void language sql as $$
    with ids as (
        insert into eb_event_id (id, accepted_at)
        select 'evt-' || md5(random()::text || g), now() - (n - g) * interval '10 microseconds'
          from generate_series(1, n) g
        returning id, accepted_at),
    ev as (
        insert into eb_event (id, event_type, source, occurred_at, partition_key, payload, content_hash, receipt,
                              accepted_at)
        select id, 'order.placed', 'order-service', now(), 'k' || (abs(hashtext(id)) % 64),
               '{"id":"' || id || '","eventType":"order.placed","source":"order-service","timestamp":"'
                   || now() || '","data":{"orderId":"' || id || '","note":"' || repeat('x', 320)
                   || '"},"metadata":{"partitionKey":"k' || (abs(hashtext(id)) % 64) || '"}}',
               md5(id) || md5(id), 'rcpt-' || left(md5(id), 12), accepted_at
        from ids
        returning id, partition_key, seq)
    insert into eb_delivery (subscription_id, event_id, ordering_key, event_seq)
    select s.id, ev.id, ev.partition_key, ev.seq from ev cross join eb_subscription s order by ev.seq;
$$;

-- Runs stmt under EXPLAIN ANALYZE and records its execution time and buffers (hit + read, planning included).
create function bench_explain(p_phase text, label text, stmt text) returns void language plpgsql as $$
declare
    plan json;
begin
    execute 'explain (analyze, buffers, format json) ' || stmt into plan;
    insert into bench_timing values (
        p_phase, label, (plan -> 0 ->> 'Execution Time')::numeric,
        coalesce((plan -> 0 -> 'Plan' ->> 'Shared Hit Blocks')::bigint, 0)
            + coalesce((plan -> 0 -> 'Plan' ->> 'Shared Read Blocks')::bigint, 0)
            + coalesce((plan -> 0 -> 'Planning' ->> 'Shared Hit Blocks')::bigint, 0)
            + coalesce((plan -> 0 -> 'Planning' ->> 'Shared Read Blocks')::bigint, 0));
end $$;

create function bench_candidates(sub text, ordered boolean) returns text language sql immutable as $$
    select case when not ordered then format(
        $q$select d.id from eb_delivery d where d.subscription_id = %L and d.state in ('PENDING', 'LEASED')
           and ((d.state = 'PENDING' and d.available_at <= now()) or (d.state = 'LEASED' and d.lease_until <= now()))
           order by d.event_seq limit 50$q$, sub)
    else format(
        $q$select d.id from (select * from eb_delivery w where w.subscription_id = %L
             and w.state in ('PENDING', 'LEASED') order by w.event_seq limit 1000) d
           where ((d.state = 'PENDING' and d.available_at <= now()) or (d.state = 'LEASED' and d.lease_until <= now()))
             and (d.ordering_key is null or (
                 not exists (select 1 from eb_delivery p
                              where p.subscription_id = d.subscription_id and p.ordering_key = d.ordering_key
                                and p.state in ('PENDING', 'LEASED', 'DEAD') and p.event_seq < d.event_seq)
                 and not exists (select 1 from eb_delivery p
                                  where p.subscription_id = d.subscription_id and p.ordering_key = d.ordering_key
                                    and p.state = 'LEASED' and p.lease_until > now() and p.id <> d.id)))
           order by d.event_seq limit 50$q$, sub)
    end;
$$;

-- One webhook-style round per subscription in turn: lease up to 50 due rows (one transaction), then settle them
-- as delivered with their attempt records (another), as the bus does.
create procedure bench_rounds(p_phase text, rounds int) language plpgsql as $$
declare
    sub text;
    ordered boolean;
    ids bigint[];
begin
    for r in 1 .. rounds loop
        sub := 's' || (r % 10);
        ordered := r % 10 >= 5;
        perform pg_advisory_xact_lock(hashtext('eb_delivery:' || sub));
        perform ordering from eb_subscription where id = sub and state = 'active';
        perform bench_explain(p_phase, case when ordered then 'lease: candidates, ordered'
                                            else 'lease: candidates, unordered' end, bench_candidates(sub, ordered));
        execute 'select coalesce(array_agg(id), ''{}'') from (' || bench_candidates(sub, ordered) || ') c' into ids;
        perform bench_explain(p_phase, 'lease: take', format($q$
            update eb_delivery d
               set state = 'LEASED', lease_until = now() + (30000 * interval '1 millisecond'),
                   attempts = d.attempts + 1, leased_at = now(), first_attempt_at = coalesce(d.first_attempt_at, now())
              from (select c.id as delivery_id, ev.payload, ev.content_hash, ev.receipt, ev.accepted_at,
                           sum(octet_length(ev.payload)) over (order by c.event_seq, c.id)
                             - octet_length(ev.payload) as bytes_before
                      from eb_delivery c
                      join eb_event_id i on i.id = c.event_id
                      join eb_event ev on ev.id = i.id and ev.accepted_at = i.accepted_at
                     where c.id = any(%L::bigint[])) e
             where d.id = e.delivery_id and e.bytes_before < 16777216
            returning d.id, d.subscription_id, d.attempts, d.first_attempt_at, d.leased_at, e.payload,
                      e.content_hash, e.receipt, e.accepted_at, d.is_replay$q$, ids));
        commit;
        perform bench_explain(p_phase, 'settle: delivered', format($q$
            update eb_delivery set state = 'DELIVERED', delivered_at = now(), lease_until = null
             where id = any(%L::bigint[]) and state = 'LEASED' returning id$q$, ids));
        perform bench_explain(p_phase, 'settle: attempts', format($q$
            insert into eb_delivery_attempt (delivery_id, subscription_id, event_id, attempt, started_at, duration_ms,
                                             target, outcome, http_status, error, accepted_at)
            select d.id, d.subscription_id, d.event_id, d.attempts, now(), 12,
                   'https://billing.internal/hooks/orders', 'SUCCESS', 204, null, i.accepted_at
              from eb_delivery d join eb_event_id i on i.id = d.event_id where d.id = any(%L::bigint[])$q$, ids));
        commit;
    end loop;
end $$;

-- JdbcDeliveryArchive.MOVE: one batch of at most 5,000 rows finished before the cutoff.
create function bench_move_statement(cutoff timestamptz) returns text language sql immutable as $$
    select format($q$
        with picked as (
          select d.id from eb_delivery d
           where d.state in ('DELIVERED', 'DISCARDED')
             and coalesce(d.delivered_at, d.dead_at, d.leased_at, d.created_at) < %L
           order by coalesce(d.delivered_at, d.dead_at, d.leased_at, d.created_at)
           limit 5000
           for update skip locked),
        moved as (
          delete from eb_delivery d using picked where d.id = picked.id
          returning d.id, d.delivered_at, d.dead_at, d.dead_group, d.attempts, d.subscription_id, d.event_id,
                    d.state, d.last_error)
        insert into eb_delivery_history (id, accepted_at, delivered_at, dead_at, dead_group, attempts,
                                         subscription_id, event_id, state, last_error)
        select m.id, i.accepted_at, m.delivered_at, m.dead_at, m.dead_group, m.attempts, m.subscription_id,
               m.event_id, m.state, m.last_error
          from moved m join eb_event_id i on i.id = m.event_id$q$, cutoff);
$$;

-- Moves every finished row to the history, batch by batch (5,000 rows, the last one fewer), timing each batch.
create procedure bench_move_all(p_phase text) language plpgsql as $$
declare
    before bigint;
begin
    loop
        select count(*) into before from eb_delivery where state in ('DELIVERED', 'DISCARDED');
        exit when before = 0;
        perform bench_explain(p_phase, 'move: batch', bench_move_statement(now() + interval '1 minute'));
        commit;
    end loop;
end $$;

-- GET /v1/events/{id}/deliveries: JdbcDeliveryHistory's STATUS_OF and ATTEMPTS_OF for the last event the rounds
-- delivered (its rows moved to the history).
create procedure bench_reads(p_phase text) language plpgsql as $$
declare
    event text := (select event_id from eb_delivery_history where id < 1000000000000 order by id desc limit 1);
begin
    perform bench_explain(p_phase, 'read: an event''s deliveries', format($q$
        select * from (select d.subscription_id, d.event_id, d.state, d.attempts, d.last_error, d.available_at,
                              d.delivered_at, d.dead_at, d.dead_group, d.id
                         from eb_delivery d where d.event_id = %1$L
                       union all
                       select h.subscription_id, h.event_id, h.state, h.attempts, h.last_error,
                              null::timestamptz as available_at, h.delivered_at, h.dead_at, h.dead_group, h.id
                         from eb_delivery_history h
                        where h.event_id = %1$L
                          and h.accepted_at = (select i.accepted_at from eb_event_id i where i.id = %1$L)) d
        order by d.subscription_id, d.id desc limit 1000$q$, event));
    perform bench_explain(p_phase, 'read: an event''s attempts', format($q$
        select subscription_id, event_id, attempt, started_at, duration_ms, target, outcome, http_status, error
          from eb_delivery_attempt
         where event_id = %1$L and accepted_at = (select i.accepted_at from eb_event_id i where i.id = %1$L)
         order by id limit 1000$q$, event));
end $$;
