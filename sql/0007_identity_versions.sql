-- 0007 identity: optimistic concurrency for units and users, which several
-- administrators may edit at once (PATCH with the version read, or
-- If-Match: "N"; a stale version gets 409 instead of silently overwriting).
ALTER TABLE units ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
