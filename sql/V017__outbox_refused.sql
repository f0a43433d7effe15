-- Events Kafka refused for good (a record larger than the topic accepts): the relay moves their outbox row
-- here instead of retrying it forever, so the events after it go on. The event itself stays in eb_event.
-- Once the limit allows it, an operator queues it again:
--   insert into eb_outbox (event_id) select event_id from eb_outbox_refused where event_id = '...';
--   delete from eb_outbox_refused where event_id = '...';
-- Retention removes a refused event like any other, and its row here with it.
create table eb_outbox_refused (
    event_id   varchar(200) primary key references eb_event_id (id) on delete cascade,
    outbox_seq bigint       not null,
    reason     text         not null,
    refused_at timestamptz  not null default now()
);
