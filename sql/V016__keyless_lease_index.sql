-- An ordered subscription catching up looks at its oldest 1,000 open rows first; when those are all blocked
-- (a deep backlog of some keys), events without an ordering key are looked up on their own so they never
-- wait behind other keys. This index answers that lookup without walking the keyed backlog.
create index eb_delivery_keyless on eb_delivery (subscription_id, event_seq)
    where ordering_key is null and state in ('PENDING', 'LEASED');
