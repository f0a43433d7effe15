-- Redriven dead letters are recognisable: a delivery row counts its redrives and keeps the time of the last,
-- so one that comes back to the dead-letter queue after a redrive shows it.
alter table eb_delivery
    add column redrive_count integer not null default 0,
    add column redriven_at   timestamptz;

-- Bulk redrives: "redrive every dead letter of a subscription matching a filter" as a throttled background job.
-- The job covers the dead letters that match when it starts (delivery ids up to up_to_id); it walks them in
-- delivery order, and each step redrives a chunk and records the cursor (last_id) and done in one transaction,
-- so a restart resumes exactly where the job stood. One running job per subscription (partial unique index).
create table eb_dead_letter_redrive (
    id              varchar(40)  primary key,
    subscription_id varchar(100) not null,
    event_type      varchar(200),
    error_contains  text,
    dead_from       timestamptz,
    dead_to         timestamptz,
    rate_per_second double precision not null,
    state           varchar(20)  not null,
    total           bigint       not null default 0,
    done            bigint       not null default 0,
    up_to_id        bigint       not null default 0,
    last_id         bigint       not null default 0,
    error           text,
    actor           varchar(200) not null,
    owner           varchar(100),
    created_at      timestamptz  not null default now(),
    updated_at      timestamptz  not null default now()
);
create unique index eb_dead_letter_redrive_one_running on eb_dead_letter_redrive (subscription_id)
    where state = 'running';
create index eb_dead_letter_redrive_running on eb_dead_letter_redrive (state) where state = 'running';
