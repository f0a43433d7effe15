-- Idempotency-Key header records, and retention policies per event type.
create table eb_idempotency (
    idem_key     varchar(200) primary key,
    content_hash char(64)     not null,
    event_id     varchar(200) not null,
    created_at   timestamptz  not null default now()
);
create index eb_idempotency_created on eb_idempotency (created_at);

create table eb_retention_policy (
    event_type      varchar(200) primary key,
    max_age_seconds bigint       not null,
    max_count       bigint,
    updated_at      timestamptz  not null default now()
);
