-- A subscription's lag is the age of its oldest owed delivery: min(created_at) of its open rows, one probe of this
-- partial index (owed rows only; delivered and dead history is not in it). A replay or a redrive that queues a row
-- again sets its created_at to that moment.
create index eb_delivery_open_since on eb_delivery (subscription_id, created_at) where state in ('PENDING', 'LEASED');
