-- A global sequence on events (their publish order), carried by delivery rows so that replayed history
-- and live events of one key are delivered in publish order; replay jobs.
alter table eb_event add column seq bigserial;
create unique index eb_event_seq on eb_event (seq);
create index eb_event_accepted on eb_event (accepted_at);

alter table eb_delivery add column event_seq bigint;
update eb_delivery d set event_seq = e.seq from eb_event e where e.id = d.event_id;
alter table eb_delivery alter column event_seq set not null;

drop index eb_delivery_open;
drop index eb_delivery_blocking;
create index eb_delivery_open on eb_delivery (subscription_id, event_seq) where state in ('PENDING', 'LEASED');
create index eb_delivery_blocking on eb_delivery (subscription_id, ordering_key, event_seq)
    where state in ('PENDING', 'LEASED', 'DEAD');

create table eb_replay (
    id              varchar(40)  primary key,
    subscription_id varchar(100) not null references eb_subscription (id) on delete cascade,
    from_position   varchar(200) not null,
    to_time         timestamptz,
    event_types     text,
    rate_per_second double precision not null,
    state           varchar(20)  not null,
    total           bigint       not null default 0,
    done            bigint       not null default 0,
    last_seq        bigint       not null default 0,
    error           text,
    owner           varchar(100),
    created_at      timestamptz  not null default now(),
    updated_at      timestamptz  not null default now()
);
