-- Webhook signing secrets leave the spec JSON for a column of their own, encrypted by the bus with
-- AES-256-GCM as 'enc:v1:<key id>:<base64(iv || ciphertext || tag)>' (the subscription id is bound in).
-- Rows whose spec still holds a plain 'whsec_' secret are moved and encrypted by the bus itself the first
-- time it reads them with a key configured (it has the key; SQL does not).
alter table eb_subscription add column secret text;
