-- Where a replay reads from: 'auto' (the Kafka topic where it still holds the range, else the store)
-- or 'postgresql'; read_from records what the job actually used.
alter table eb_replay
    add column source    varchar(20) not null default 'auto',
    add column read_from varchar(20);
