-- Events as published, and the transactional outbox the relay drains to Kafka.
create table eb_event (
    id             varchar(200) primary key,
    event_type     varchar(200) not null,
    source         varchar(200) not null,
    occurred_at    timestamptz  not null,
    partition_key  varchar(200),
    correlation_id varchar(200),
    traceparent    varchar(200),
    payload        text         not null,
    content_hash   char(64)     not null,
    receipt        varchar(40)  not null,
    accepted_at    timestamptz  not null
);
create index eb_event_type_time on eb_event (event_type, accepted_at);
create index eb_event_correlation on eb_event (correlation_id) where correlation_id is not null;

create table eb_outbox (
    seq        bigserial    primary key,
    event_id   varchar(200) not null references eb_event (id),
    created_at timestamptz  not null default now()
);
