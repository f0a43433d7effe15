-- Operator figures and alerts (issue 19).
--
-- Success rate and processing time are read from the attempt records of a recent window (by start time), so
-- attempts get an index on it that carries every column those figures read (an index-only scan per day
-- partition), and say whether they were replays: a replayed event's age is not a processing time.
alter table eb_delivery_attempt add column replay boolean not null default false;
create index eb_delivery_attempt_started on eb_delivery_attempt (started_at)
    include (subscription_id, outcome, replay, accepted_at, duration_ms);

-- Alert rules: a condition on one of the figures (for the whole bus, or one subscription), evaluated by the bus
-- every few seconds. state/state_since are the bus's: OK, PENDING (the condition holds, for less than
-- hold_seconds so far) or FIRING. The notification secret is encrypted by the bus like webhook secrets
-- ('enc:v1:<key id>:<base64>', the rule id bound in). No foreign key to the subscription: a rule outlives it and
-- resolves for want of a value.
create table eb_alert_rule (
    id              varchar(100)     primary key,
    name            varchar(200)     not null,
    metric          varchar(40)      not null,
    operator        varchar(2)       not null,
    threshold       double precision not null,
    subscription_id varchar(100),
    hold_seconds    bigint           not null default 0,
    enabled         boolean          not null default true,
    notify_url      varchar(2000),
    notify_secret   text,
    state           varchar(10)      not null default 'OK',
    state_since     timestamptz      not null,
    created_at      timestamptz      not null,
    updated_at      timestamptz      not null,
    constraint eb_alert_rule_state check (state in ('OK', 'PENDING', 'FIRING'))
);

-- One row once the default rules were stored: deleting a default rule is for good.
create table eb_alert_defaults (
    seeded_at timestamptz not null
);

-- The history: each firing and resolution, with the rule as it was then, and its notification (sent in order per
-- rule, retried with backoff). Rows stay when their rule is deleted.
create table eb_alert_event (
    id              bigserial        primary key,
    rule_id         varchar(100)     not null,
    rule_name       varchar(200)     not null,
    rule_condition  varchar(500)     not null,
    subscription_id varchar(100),
    kind            varchar(10)      not null,
    happened_at     timestamptz      not null,
    value           double precision,
    message         text             not null,
    notify_status   varchar(10)      not null,
    notify_attempts integer          not null default 0,
    notify_next_at  timestamptz,
    notify_error    text,
    constraint eb_alert_event_kind check (kind in ('FIRING', 'RESOLVED')),
    constraint eb_alert_event_notify check (notify_status in ('NONE', 'PENDING', 'SENT', 'FAILED'))
);
create index eb_alert_event_rule on eb_alert_event (rule_id, id);
create index eb_alert_event_pending on eb_alert_event (rule_id, id) where notify_status = 'PENDING';
