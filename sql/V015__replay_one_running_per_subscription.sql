-- One running replay per subscription, across every server on this database: a second start answers 409
-- ALREADY_RUNNING naming the first (two jobs would each deliver the range again). Replays outlive their
-- subscription: deleting it cancels them in its transaction (state 'cancelled', with the reason as error),
-- instead of removing their records under a job that goes on queueing for a subscription that is gone.
alter table eb_replay drop constraint eb_replay_subscription_id_fkey;

update eb_replay set state = 'cancelled', error = 'subscription deleted', updated_at = now()
where state = 'running' and not exists (select 1 from eb_subscription s where s.id = eb_replay.subscription_id);

-- Of the jobs running side by side for one subscription, the oldest goes on; the others end here.
update eb_replay r set state = 'cancelled', error = 'another replay of the subscription was running',
                      updated_at = now()
where r.state = 'running'
  and exists (select 1 from eb_replay o
              where o.subscription_id = r.subscription_id and o.state = 'running'
                and (o.created_at, o.id) < (r.created_at, r.id));

create unique index eb_replay_one_running on eb_replay (subscription_id) where state = 'running';
