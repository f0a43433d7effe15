-- Events move to a table range-partitioned by day (UTC) on accepted_at, so retention can drop a whole
-- day at once and indexes stay per-day sized at tens of millions of rows. A partitioned table cannot
-- enforce a unique id on its own (the key must include accepted_at), so eb_event_id holds the unique
-- ids (dedup on publish) and is what the outbox and delivery rows reference.
create table eb_event_id (
    id          varchar(200) primary key,
    accepted_at timestamptz  not null
);
insert into eb_event_id (id, accepted_at) select id, accepted_at from eb_event;
create index eb_event_id_accepted on eb_event_id (accepted_at);

alter table eb_outbox drop constraint eb_outbox_event_id_fkey;
alter table eb_outbox add constraint eb_outbox_event_fk foreign key (event_id) references eb_event_id (id);
alter table eb_delivery drop constraint eb_delivery_event_id_fkey;
alter table eb_delivery add constraint eb_delivery_event_fk foreign key (event_id) references eb_event_id (id);

alter sequence eb_event_seq_seq owned by none;
alter table eb_event rename to eb_event_unpartitioned;

create table eb_event (
    id              varchar(200) not null,
    event_type      varchar(200) not null,
    source          varchar(200) not null,
    occurred_at     timestamptz  not null,
    partition_key   varchar(200),
    correlation_id  varchar(200),
    traceparent     varchar(200),
    payload         text         not null,
    content_hash    char(64)     not null,
    receipt         varchar(40)  not null,
    accepted_at     timestamptz  not null,
    seq             bigint       not null default nextval('eb_event_seq_seq'),
    kafka_topic     varchar(250),
    kafka_partition integer,
    kafka_offset    bigint
) partition by range (accepted_at);
alter sequence eb_event_seq_seq owned by eb_event.seq;

-- Catches rows outside every daily partition (the bus creates days ahead, so normally empty).
create table eb_event_default partition of eb_event default;

-- Creates the partition for one UTC day unless it exists; false when it existed or when the default
-- partition already holds rows of that day (they would block it; they stay where they are).
create function eb_event_partition(day date) returns boolean language plpgsql as $$
declare
    part text := 'eb_event_p' || to_char(day, 'YYYYMMDD');
    lo timestamptz := day::timestamp at time zone 'UTC';
    hi timestamptz := (day + 1)::timestamp at time zone 'UTC';
begin
    if to_regclass(part) is not null then
        return false;
    end if;
    if exists (select 1 from eb_event_default where accepted_at >= lo and accepted_at < hi) then
        raise warning 'eb_event_default holds rows of %; partition % not created', day, part;
        return false;
    end if;
    execute format('create table %I partition of eb_event for values from (%L) to (%L)', part, lo, hi);
    return true;
end $$;

do $$
declare
    first_day date := greatest(
        coalesce((select min(accepted_at at time zone 'UTC')::date from eb_event_unpartitioned), current_date),
        current_date - 60);
    d date;
begin
    d := least(first_day, current_date);
    while d <= current_date + 3 loop
        perform eb_event_partition(d);
        d := d + 1;
    end loop;
end $$;

insert into eb_event (id, event_type, source, occurred_at, partition_key, correlation_id, traceparent, payload,
                      content_hash, receipt, accepted_at, seq, kafka_topic, kafka_partition, kafka_offset)
select id, event_type, source, occurred_at, partition_key, correlation_id, traceparent, payload,
       content_hash, receipt, accepted_at, seq, kafka_topic, kafka_partition, kafka_offset
from eb_event_unpartitioned;
drop table eb_event_unpartitioned;

create index eb_event_by_id on eb_event (id);
create index eb_event_type_time on eb_event (event_type, accepted_at);
create index eb_event_correlation on eb_event (correlation_id) where correlation_id is not null;
create index eb_event_by_seq on eb_event (seq);
create index eb_event_accepted on eb_event (accepted_at);
