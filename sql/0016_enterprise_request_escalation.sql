-- Enterprise requests escalate like problems and questions (issue 17): the
-- level already notified by the escalation tick (ent_escalate.c); the level
-- shown is computed on read, this records what was told.  Reset to 0 when a
-- request is reopened with a fresh deadline.
ALTER TABLE enterprise_requests ADD COLUMN escalation INTEGER NOT NULL DEFAULT 0;
