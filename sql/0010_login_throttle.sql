-- 0008 login throttling and idle sessions (issue 13, ASVS L2).
-- Failed logins are counted per (login, client address) and per client
-- address, for known and unknown logins alike; a count that reaches its
-- limit locks that key for a while, doubling with each further failure up
-- to 15 minutes.  The account itself is never locked for everyone, so
-- nobody can lock the administrator out for good.
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,      -- 'login:<login>@<ip>' or 'ip:<ip>'
  login TEXT,                -- for the login key: an administrator's unlock clears it
  failures INTEGER NOT NULL,
  locked_until TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX login_throttle_login ON login_throttle(login);
-- A session ends after 30 minutes without a request (and 12 hours after login at most).
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
