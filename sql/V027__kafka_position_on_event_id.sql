-- Where each event landed in Kafka moves from the wide event row to its narrow id row. The relay records a
-- position for every event it sends; on eb_event that update wrote a new version of the ~1 kB event row and an
-- entry in each of its indexes (as much work for PostgreSQL as the insert), on eb_event_id it writes ~100 bytes,
-- and, the position columns being in no index and the pages kept with room (fillfactor), usually no index entry
-- at all (a HOT update). The id row lives exactly as long as the event (retention releases both together).
alter table eb_event_id
    add column kafka_topic     varchar(250),
    add column kafka_partition integer,
    add column kafka_offset    bigint;
alter table eb_event_id set (fillfactor = 80);

update eb_event_id i
   set kafka_topic = e.kafka_topic, kafka_partition = e.kafka_partition, kafka_offset = e.kafka_offset
  from eb_event e
 where e.id = i.id and e.accepted_at = i.accepted_at and e.kafka_topic is not null;

-- eb_event's kafka_* columns are no longer written or read; they stay (all null from now on) so that a server of
-- the previous version still running during a rolling upgrade can finish its relay batch. A later version drops
-- them.
comment on column eb_event.kafka_topic is 'unused since V027: see eb_event_id.kafka_topic';
comment on column eb_event.kafka_partition is 'unused since V027: see eb_event_id.kafka_partition';
comment on column eb_event.kafka_offset is 'unused since V027: see eb_event_id.kafka_offset';
