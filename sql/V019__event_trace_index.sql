-- Event search by trace id (the 32 hex digits of a W3C traceparent, characters 4-35): an operator who has a
-- trace id from a log line or a tracing tool finds its events with one index probe.
create index eb_event_trace on eb_event (substr(traceparent, 4, 32)) where traceparent is not null;
