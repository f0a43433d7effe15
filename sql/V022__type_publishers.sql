-- Event catalog and flow graph (issue 19): who publishes which event type, without reading eb_event.
--
-- Each server counts the events it stores per (event type, source) in memory (a map update per event) and adds
-- its counts here every few seconds in one batch, so the cost per event is no database work at all and the
-- catalog reads a table of one row per pair. eb_type_publisher_minute holds the same counts per minute for the
-- flow graph's "published in the window"; rows older than a day are removed by the same flush.
create table eb_type_publisher (
    event_type  varchar(200) not null,
    source      varchar(200) not null,
    first_seen  timestamptz  not null,
    last_seen   timestamptz  not null,
    published   bigint       not null,
    primary key (event_type, source)
);

create table eb_type_publisher_minute (
    event_type  varchar(200) not null,
    source      varchar(200) not null,
    minute      timestamptz  not null,
    published   bigint       not null,
    primary key (minute, event_type, source)
);
