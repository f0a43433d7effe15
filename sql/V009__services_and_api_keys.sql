-- Services (identities with roles, permissions, limits) and their API keys (hashes only).
create table eb_service (
    name              varchar(100) primary key,
    roles             text         not null,
    publish_types     text         not null default '',
    subscribe_types   text         not null default '',
    sources           text         not null default '',
    rate_per_second   double precision,
    rate_burst        integer,
    max_subscriptions integer,
    created_at        timestamptz  not null default now(),
    updated_at        timestamptz  not null default now()
);

create table eb_api_key (
    key_id       varchar(32)  primary key,
    service      varchar(100) not null references eb_service (name) on delete cascade,
    hash         char(64)     not null,
    created_at   timestamptz  not null default now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
create index eb_api_key_service on eb_api_key (service, created_at);
