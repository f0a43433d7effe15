-- Retention runs as background jobs with progress (POST /v1/retention/run answers 202 with one). The
-- partial unique index lets only one run be 'RUNNING' at a time, across every server on this database;
-- the owner and updated_at let another server resume a run whose server stopped.
create table eb_retention_run (
    id          varchar(40)  primary key,
    state       varchar(12)  not null,
    started_by  varchar(20)  not null,
    removed     jsonb        not null default '{}',
    batches     bigint       not null default 0,
    event_type  varchar(200),
    error       text,
    owner       varchar(100),
    started_at  timestamptz  not null,
    updated_at  timestamptz  not null default now(),
    finished_at timestamptz,
    constraint eb_retention_run_state check (state in ('RUNNING', 'DONE', 'FAILED'))
);
create unique index eb_retention_run_one_running on eb_retention_run (state) where state = 'RUNNING';
create index eb_retention_run_started on eb_retention_run (started_at);

-- Retention walks each event type's history in (accepted_at, seq) order, one batch of at most 1,000 index
-- entries per statement (keyset: events kept because they are owed are passed once, not once per batch);
-- the count limit finds the newest N in the same index. It serves every query the old (event_type,
-- accepted_at) index served. Building it locks writes to eb_event while it runs (once, at upgrade).
create index eb_event_type_time_seq on eb_event (event_type, accepted_at, seq);
drop index eb_event_type_time;

-- Removing an event id checks that no outbox row references it; without this index that check reads the
-- whole outbox once per id (1,000 times per batch, a day's worth per dropped partition) when Kafka lags.
create index eb_outbox_event on eb_outbox (event_id);
