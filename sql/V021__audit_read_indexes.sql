-- The audit log's read side (GET /v1/audit, the console's audit page): newest first, a page at a time by id,
-- filtered by actor, action or subscription (each an index prefix) or by time.
create index eb_audit_actor on eb_audit (actor, id);
create index eb_audit_action on eb_audit (action, id);
create index eb_audit_subscription on eb_audit (subscription_id, id);
create index eb_audit_at on eb_audit (at);
