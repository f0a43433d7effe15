-- :rows delivered rows in the delivery history and as many attempt records, of :rows / 10 events accepted earlier
-- today (10 subscriptions each, sharing their event's id and acceptance time): today's partitions, the ones the
-- live rounds write into.
set timezone = 'UTC';
insert into eb_delivery_history (id, accepted_at, delivered_at, dead_at, dead_group, attempts, subscription_id,
                                 event_id, state, last_error)
select 1000000000000 + g, t, t + interval '40 ms', null, null, 1, 's' || (g % 10), 'evt-' || md5('h' || (g / 10)),
       'DELIVERED', null
from (select g, date_trunc('day', now()) + (now() - date_trunc('day', now())) * ((g / 10)::float8 / (:rows / 10)) as t
        from generate_series(0, :rows - 1) g) x;
insert into eb_delivery_attempt (delivery_id, accepted_at, started_at, duration_ms, attempt, http_status,
                                 subscription_id, event_id, target, outcome, error)
select 1000000000000 + g, t, t + interval '30 ms', 12, 1, 204, 's' || (g % 10), 'evt-' || md5('h' || (g / 10)),
       'https://billing.internal/hooks/orders', 'SUCCESS', null
from (select g, date_trunc('day', now()) + (now() - date_trunc('day', now())) * ((g / 10)::float8 / (:rows / 10)) as t
        from generate_series(0, :rows - 1) g) x;
