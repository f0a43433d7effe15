-- Subscriptions get a full spec (filter, target, retry policy, limits); deliveries get dead-letter
-- state and an attempt history; operator actions are audited.
alter table eb_subscription
    add column spec            text,
    add column disabled_reason text;

alter table eb_delivery drop constraint eb_delivery_state;
alter table eb_delivery
    add constraint eb_delivery_state check (state in ('PENDING', 'LEASED', 'DELIVERED', 'DEAD', 'DISCARDED')),
    add column first_attempt_at timestamptz,
    add column leased_at        timestamptz,
    add column dead_at          timestamptz,
    add column dead_group       bigint,
    add column is_replay        boolean not null default false;

drop index eb_delivery_open;
drop index eb_delivery_open_key;
create index eb_delivery_open on eb_delivery (subscription_id, id) where state in ('PENDING', 'LEASED');
create index eb_delivery_blocking on eb_delivery (subscription_id, ordering_key, id)
    where state in ('PENDING', 'LEASED', 'DEAD');
create index eb_delivery_dead on eb_delivery (subscription_id, id) where state = 'DEAD';
create index eb_delivery_event on eb_delivery (event_id);

create table eb_delivery_attempt (
    id              bigserial    primary key,
    delivery_id     bigint       not null references eb_delivery (id) on delete cascade,
    subscription_id varchar(100) not null,
    event_id        varchar(200) not null,
    attempt         integer      not null,
    started_at      timestamptz  not null,
    duration_ms     bigint       not null,
    target          varchar(500) not null,
    outcome         varchar(20)  not null,
    http_status     integer,
    error           text
);
create index eb_delivery_attempt_event on eb_delivery_attempt (event_id, id);
create index eb_delivery_attempt_delivery on eb_delivery_attempt (delivery_id, id);

create table eb_audit (
    id              bigserial    primary key,
    at              timestamptz  not null default now(),
    actor           varchar(200) not null,
    action          varchar(50)  not null,
    subscription_id varchar(100),
    detail          text
);
