-- Leasing an ordered subscription asks two questions per candidate: is an earlier event of its key still
-- open (eb_delivery_blocking answers with one index probe), and is another event of its key leased right
-- now. The second used to share the first's range scan, so its cost grew with the key's backlog (a
-- subscription catching up slowed down the further behind it was); this small index answers it alone.
create index eb_delivery_leased_key on eb_delivery (subscription_id, ordering_key) where state = 'LEASED';
