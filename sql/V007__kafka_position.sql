-- Where each event landed in Kafka once relayed.
alter table eb_event
    add column kafka_topic     varchar(250),
    add column kafka_partition integer,
    add column kafka_offset    bigint;
