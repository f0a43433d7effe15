-- An Idempotency-Key belongs to the service that sent it: the same key from two services names two
-- events, and a refusal can only ever point at the caller's own event.
--
-- Keys recorded before this version (at most one dedup window old) get the source of the event they
-- published. A publisher may only use its own name as source unless granted others, so this is the
-- publishing service in the usual case; a retry across the upgrade keeps its first receipt. A key whose
-- event is gone is deleted: it could only ever have answered 503, and retention would never remove it.
alter table eb_idempotency add column service varchar(200);
update eb_idempotency k set service = e.source from eb_event e where e.id = k.event_id;
delete from eb_idempotency where service is null;
alter table eb_idempotency alter column service set not null;
alter table eb_idempotency drop constraint eb_idempotency_pkey;
alter table eb_idempotency add constraint eb_idempotency_pkey primary key (service, idem_key);
-- Retention removes keys together with their events.
create index eb_idempotency_event on eb_idempotency (event_id);
