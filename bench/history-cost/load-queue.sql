-- The model before V018, for comparison: :rows delivered rows left in eb_delivery itself (of :rows / 10 events,
-- 10 subscriptions each), without the index V018 added for moving them.
set timezone = 'UTC';
drop index eb_delivery_finished;
insert into eb_event_id (id, accepted_at)
select 'evt-' || md5('q' || g),
       date_trunc('day', now()) + (now() - date_trunc('day', now())) * (g::float8 / (:rows / 10))
from generate_series(0, :rows / 10 - 1) g;
insert into eb_delivery (subscription_id, event_id, ordering_key, state, attempts, available_at, created_at,
                         delivered_at, first_attempt_at, leased_at, event_seq)
select 's' || (g % 10), 'evt-' || md5('q' || (g / 10)), 'k' || ((g / 10) % 64), 'DELIVERED', 1, t, t,
       t + interval '40 ms', t, t, -1 - g / 10
from (select g, date_trunc('day', now()) + (now() - date_trunc('day', now())) * (g::float8 / :rows) as t
        from generate_series(0, :rows - 1) g) x;
