-- Bounded delivery history. Finished delivery rows (DELIVERED, DISCARDED) leave eb_delivery once their last
-- change is older than the history window (eventbus.delivery.history-window): the bus moves them in batches
-- into eb_delivery_history, so the table that leasing and settling touch holds only open, retrying, parked and
-- dead rows plus the window. Attempt records no longer hang off eb_delivery (its foreign key and cascade go):
-- each is written with its event's acceptance time and stays where it is. Both tables are range-partitioned by
-- day (UTC) on the acceptance time of the event they belong to, like eb_event, so retention drops a day of
-- history together with that day of events, and deletes them with the events it removes one by one.
create table eb_delivery_history (
    id              bigint       not null, -- the row's id in eb_delivery
    accepted_at     timestamptz  not null, -- the event's (eb_event_id.accepted_at): the partition key
    delivered_at    timestamptz,
    dead_at         timestamptz,
    dead_group      bigint,
    attempts        integer      not null,
    subscription_id varchar(100) not null,
    event_id        varchar(200) not null,
    state           varchar(12)  not null,
    last_error      text
) partition by range (accepted_at);
create table eb_delivery_history_default partition of eb_delivery_history default;
-- Every read knows the event's acceptance time (from eb_event_id): leading with it keeps the index's inserts near
-- its right-hand edge (recent events) instead of all over it (random event ids), however large the day grows;
-- an event's rows (one per subscription) share one key, which B-tree deduplication stores once.
create index eb_delivery_history_event on eb_delivery_history (accepted_at, event_id);

alter table eb_delivery_attempt rename to eb_delivery_attempt_unpartitioned;
alter sequence eb_delivery_attempt_id_seq owned by none;
create table eb_delivery_attempt (
    id              bigint       not null default nextval('eb_delivery_attempt_id_seq'),
    delivery_id     bigint       not null,
    accepted_at     timestamptz  not null, -- the event's: the partition key
    started_at      timestamptz  not null,
    duration_ms     bigint       not null,
    attempt         integer      not null,
    http_status     integer,
    subscription_id varchar(100) not null,
    event_id        varchar(200) not null,
    target          varchar(500) not null,
    outcome         varchar(20)  not null,
    error           text
) partition by range (accepted_at);
alter sequence eb_delivery_attempt_id_seq owned by eb_delivery_attempt.id;
create table eb_delivery_attempt_default partition of eb_delivery_attempt default;

-- Creates the day's partitions of both tables unless they exist, or unless their default partition already
-- holds rows of that day (they would block it; they stay where they are).
create function eb_delivery_history_partitions(day date) returns void language plpgsql as $$
declare
    lo timestamptz := day::timestamp at time zone 'UTC';
    hi timestamptz := (day + 1)::timestamp at time zone 'UTC';
    parent text;
    part text;
    blocked boolean;
begin
    foreach parent in array array['eb_delivery_history', 'eb_delivery_attempt'] loop
        part := parent || '_p' || to_char(day, 'YYYYMMDD');
        if to_regclass(part) is null then
            execute format('select exists (select 1 from %I where accepted_at >= $1 and accepted_at < $2)',
                           parent || '_default') into blocked using lo, hi;
            if blocked then
                raise warning '%_default holds rows of %; partition % not created', parent, day, part;
            else
                execute format('create table %I partition of %I for values from (%L) to (%L)', part, parent, lo, hi);
            end if;
        end if;
    end loop;
end $$;

-- The event partition of a day comes with the history partitions of that day (created as well when the event
-- partition exists already); the answer still says whether the event partition was created.
create or replace function eb_event_partition(day date) returns boolean language plpgsql as $$
declare
    part text := 'eb_event_p' || to_char(day, 'YYYYMMDD');
    lo timestamptz := day::timestamp at time zone 'UTC';
    hi timestamptz := (day + 1)::timestamp at time zone 'UTC';
begin
    if to_regclass(part) is not null then
        perform eb_delivery_history_partitions(day);
        return false;
    end if;
    if exists (select 1 from eb_event_default where accepted_at >= lo and accepted_at < hi) then
        raise warning 'eb_event_default holds rows of %; partition % not created', day, part;
        return false;
    end if;
    execute format('create table %I partition of eb_event for values from (%L) to (%L)', part, lo, hi);
    perform eb_delivery_history_partitions(day);
    return true;
end $$;

do $$
declare
    d date;
begin
    for d in select to_date(substr(c.relname, 11), 'YYYYMMDD') from pg_inherits i
               join pg_class c on c.oid = i.inhrelid
              where i.inhparent = 'eb_event'::regclass and c.relname ~ '^eb_event_p[0-9]{8}$' loop
        perform eb_delivery_history_partitions(d);
    end loop;
end $$;

insert into eb_delivery_attempt (id, delivery_id, accepted_at, started_at, duration_ms, attempt, http_status,
                                 subscription_id, event_id, target, outcome, error)
select a.id, a.delivery_id, i.accepted_at, a.started_at, a.duration_ms, a.attempt, a.http_status,
       a.subscription_id, a.event_id, a.target, a.outcome, a.error
from eb_delivery_attempt_unpartitioned a join eb_event_id i on i.id = a.event_id;
drop table eb_delivery_attempt_unpartitioned;
create index eb_delivery_attempt_event on eb_delivery_attempt (accepted_at, event_id);

-- What the mover looks for: finished rows by their last change (delivered, dead-lettered before a discard,
-- leased before being withheld). Rows already delivered at upgrade leave in batches once the bus runs;
-- building this index reads eb_delivery once (at upgrade).
create index eb_delivery_finished on eb_delivery ((coalesce(delivered_at, dead_at, leased_at, created_at)))
    where state in ('DELIVERED', 'DISCARDED');
