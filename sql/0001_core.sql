-- 0001 core: the unit tree, users, sessions, API tokens, the audit log,
-- settings and the working-day calendar's administrator overrides.
-- {{ID}} is the dialect's auto-increment primary key (see migrate.c).

CREATE TABLE units (
  id {{ID}},
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,               -- district|hq|group|town|department|enterprise|bank
  parent_id BIGINT REFERENCES units(id),
  path TEXT NOT NULL DEFAULT '',    -- "/1/7/12/": ancestors and itself, for scope
  sort_order INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_path ON units(path);

CREATE TABLE users (
  id {{ID}},
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  phone TEXT,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  roles TEXT NOT NULL,              -- comma-separated role names
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX users_unit ON users(unit_id);

CREATE TABLE sessions (
  id {{ID}},
  token_hash TEXT NOT NULL UNIQUE,  -- hash of the cookie value; the cookie itself is never stored
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL,
  ip TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE audit_log (
  id {{ID}},
  at TEXT NOT NULL,
  user_id BIGINT,
  user_login TEXT,
  ip TEXT,
  action TEXT NOT NULL,             -- create|update|delete|read|login|logout|…
  entity TEXT NOT NULL,
  entity_id BIGINT,
  before_json TEXT,
  after_json TEXT
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_user ON audit_log(user_id, at);
CREATE INDEX audit_at ON audit_log(at);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE calendar_days (
  day TEXT PRIMARY KEY,             -- YYYY-MM-DD
  kind TEXT NOT NULL,               -- holiday|workday|normal
  name TEXT
);
