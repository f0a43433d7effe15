-- Subscriptions and one delivery row per (subscription, event).
create table eb_subscription (
    id          varchar(100) primary key,
    owner       varchar(200) not null,
    event_types text         not null,
    target_type varchar(20)  not null,
    ordering    varchar(20)  not null,
    state       varchar(20)  not null,
    created_at  timestamptz  not null default now(),
    updated_at  timestamptz  not null default now()
);

create table eb_delivery (
    id              bigserial    primary key,
    subscription_id varchar(100) not null references eb_subscription (id) on delete cascade,
    event_id        varchar(200) not null references eb_event (id),
    ordering_key    varchar(200),
    state           varchar(12)  not null default 'PENDING',
    attempts        integer      not null default 0,
    available_at    timestamptz  not null default now(),
    lease_until     timestamptz,
    last_error      text,
    created_at      timestamptz  not null default now(),
    delivered_at    timestamptz,
    constraint eb_delivery_once unique (subscription_id, event_id),
    constraint eb_delivery_state check (state in ('PENDING', 'LEASED', 'DELIVERED'))
);
create index eb_delivery_open on eb_delivery (subscription_id, id) where state <> 'DELIVERED';
create index eb_delivery_open_key on eb_delivery (subscription_id, ordering_key, id) where state <> 'DELIVERED';
