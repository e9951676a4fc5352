-- 0005 problems: problems assigned to units (问题交办) with their timeline,
-- in-app notifications and outgoing webhooks (企业微信 / 钉钉 group robots)
-- with a delivery log, and dispatch meetings (调度会) with agenda and
-- decisions.  Dates TEXT YYYY-MM-DD, times TEXT RFC 3339 UTC.

-- the category code table, with the default deadline in working days
CREATE TABLE problem_categories (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  deadline_days INTEGER NOT NULL,
  sort_order INTEGER NOT NULL DEFAULT 0
);
INSERT INTO problem_categories (code, name, deadline_days, sort_order) VALUES
  ('demolition', '征拆', 10, 1),
  ('land', '土地', 10, 2),
  ('planning', '规划', 7, 3),
  ('approval', '审批', 5, 4),
  ('funds', '资金', 10, 5),
  ('utilities', '水电气路', 7, 6),
  ('environment', '环保', 7, 7),
  ('other', '其他', 5, 8);

CREATE TABLE problems (
  id {{ID}},
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  category TEXT NOT NULL REFERENCES problem_categories(code),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  raised_by BIGINT NOT NULL REFERENCES users(id),
  raised_unit_id BIGINT REFERENCES units(id),  -- the raiser's unit at the time
  raised_on TEXT NOT NULL,                     -- the day the deadline counts from
  unit_id BIGINT NOT NULL REFERENCES units(id),-- the lead unit 牵头单位
  deadline_days INTEGER NOT NULL,
  due_date TEXT NOT NULL,                      -- raised_on + deadline_days working days
  escalate2_date TEXT NOT NULL,                -- raised_on + 2 × deadline_days working days
  state TEXT NOT NULL,                         -- open|accepted|in_progress|replied|closed|reopened
  escalation INTEGER NOT NULL DEFAULT 0,       -- 0 none, 1 lead leader, 2 HQ commander
  rating INTEGER,                              -- 1..5 by the raiser after closing
  replied_on TEXT,
  closed_on TEXT,
  meeting_id BIGINT,                           -- the dispatch meeting whose decision created it
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX problems_project ON problems(project_id);
CREATE INDEX problems_unit ON problems(unit_id, state);
CREATE INDEX problems_state_due ON problems(state, due_date);
CREATE INDEX problems_raised ON problems(raised_on);

CREATE TABLE problem_co_units (
  problem_id BIGINT NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  PRIMARY KEY (problem_id, unit_id)
);
CREATE INDEX problem_co_units_unit ON problem_co_units(unit_id);

-- the timeline: create|comment|accept|reply|close|reopen|rate|escalate|update
CREATE TABLE problem_events (
  id {{ID}},
  problem_id BIGINT NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  text TEXT,
  rating INTEGER,
  level INTEGER,                               -- escalate: the level reached
  user_id BIGINT REFERENCES users(id),         -- NULL: the system (escalation)
  unit_id BIGINT REFERENCES units(id),
  at TEXT NOT NULL
);
CREATE INDEX problem_events_problem ON problem_events(problem_id, id);
-- an escalation level is written once, whichever process gets there first
CREATE UNIQUE INDEX problem_events_escalate ON problem_events(problem_id, type, level);

CREATE TABLE notifications (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,                          -- assign|reply|close|reopen|escalate|decision|comment
  title TEXT NOT NULL,
  body TEXT,
  link TEXT,                                   -- the UI route to open
  entity TEXT,
  entity_id BIGINT,
  read_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX notifications_user ON notifications(user_id, read_at, id);

CREATE TABLE webhooks (
  id {{ID}},
  unit_id BIGINT NOT NULL REFERENCES units(id),
  kind TEXT NOT NULL,                          -- wecom|dingtalk
  url TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  name TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX webhooks_unit ON webhooks(unit_id);

-- one message to one webhook; claimed by a process with a conditional UPDATE
CREATE TABLE webhook_deliveries (
  id {{ID}},
  webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,                          -- the notification kind
  title TEXT NOT NULL,
  payload TEXT NOT NULL,                       -- the JSON body sent
  state TEXT NOT NULL,                         -- pending|sending|delivered|failed
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at TEXT NOT NULL,                       -- due time of the next attempt
  claimed_until TEXT,                          -- a sender that died lets go after this
  last_status INTEGER,
  last_error TEXT,
  delivered_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, id);

-- every attempt, for the delivery log
CREATE TABLE webhook_attempts (
  id {{ID}},
  delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  at TEXT NOT NULL,
  http_status INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, attempt);

CREATE TABLE meetings (
  id {{ID}},
  kind TEXT NOT NULL,                          -- weekly|special
  date TEXT NOT NULL,
  title TEXT NOT NULL,
  chair TEXT,
  attendees TEXT,
  location TEXT,
  notes TEXT,
  state TEXT NOT NULL DEFAULT 'planned',       -- planned|held
  created_by BIGINT REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX meetings_date ON meetings(date);

CREATE TABLE agenda_items (
  id {{ID}},
  meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,                          -- red_project|node|problem_overdue|problem_escalated|problem_new|custom
  project_id BIGINT REFERENCES projects(id) ON DELETE SET NULL,
  node_id BIGINT REFERENCES nodes(id) ON DELETE SET NULL,
  problem_id BIGINT REFERENCES problems(id) ON DELETE SET NULL,
  title TEXT NOT NULL,
  detail TEXT,
  notes TEXT,
  removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, seq);

CREATE TABLE decisions (
  id {{ID}},
  meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  item_id BIGINT REFERENCES agenda_items(id) ON DELETE SET NULL,
  kind TEXT NOT NULL,                          -- problem|node
  text TEXT NOT NULL,
  problem_id BIGINT REFERENCES problems(id) ON DELETE SET NULL,
  node_id BIGINT REFERENCES nodes(id) ON DELETE SET NULL,
  old_date TEXT,
  new_date TEXT,
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX decisions_meeting ON decisions(meeting_id);
