-- The trace id index of V019 was partial (where traceparent is not null). PostgreSQL keeps no statistics for a
-- partial index's expression, so the planner guessed 0.5 % of all events per trace id and walked the sequence
-- index instead, reading every event (2.2 s with a million stored, 0.2 ms with this index). Every event has had a
-- traceparent since the bus started one for each publish that brought none, so the index need not be partial.
-- Building it locks publishing out for a few seconds per million stored events.
drop index if exists eb_event_trace;
create index eb_event_trace on eb_event (substr(traceparent, 4, 32));
