-- Schema registry: versions per event type and a compatibility mode per type.
create table eb_schema (
    event_type varchar(200) not null,
    version    integer      not null,
    schema     text         not null,
    deprecated boolean      not null default false,
    created_at timestamptz  not null default now(),
    primary key (event_type, version)
);

create table eb_schema_config (
    event_type    varchar(200) primary key,
    compatibility varchar(10)  not null check (compatibility in ('BACKWARD', 'FORWARD', 'FULL', 'NONE'))
);
