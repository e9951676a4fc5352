-- 0009 approvals: the approval agency (审批代办 / 拿地即开工).  The catalogue
-- of approval items (事项库) with their issuing department and limits in
-- working days, prerequisites and parallel groups (并联审批); per project an
-- agency agreement (代办协议) and one record per item with its state, dates
-- and timeline.  Dates TEXT YYYY-MM-DD, times TEXT RFC 3339 UTC.

CREATE TABLE approval_items (
  id {{ID}},
  code TEXT NOT NULL,                          -- real_estate, land_planning, works_planning, construction_permit…
  name TEXT NOT NULL,
  unit_id BIGINT NOT NULL REFERENCES units(id),-- the issuing department
  statutory_days INTEGER NOT NULL,             -- the legal limit, working days
  promised_days INTEGER NOT NULL,              -- the district's promise, working days
  parallel_group TEXT,                         -- items of one group are handled in parallel
  node_kind TEXT,                              -- the battle-map node its issue completes (planning_permit…)
  sort_order INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
-- unique within the issuing department: districts merged into one database
-- (guatu copy) each keep their own catalogue
CREATE UNIQUE INDEX approval_items_unit_code ON approval_items(unit_id, code);
CREATE UNIQUE INDEX approval_items_unit_name ON approval_items(unit_id, name);

-- item needs prerequisite issued first
CREATE TABLE approval_item_prereqs (
  item_id BIGINT NOT NULL REFERENCES approval_items(id) ON DELETE CASCADE,
  prereq_id BIGINT NOT NULL REFERENCES approval_items(id) ON DELETE CASCADE,
  PRIMARY KEY (item_id, prereq_id)
);
CREATE INDEX approval_item_prereqs_prereq ON approval_item_prereqs(prereq_id);

-- the agency agreement 代办协议, one per project
CREATE TABLE approval_agreements (
  project_id BIGINT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  agent_user_id BIGINT REFERENCES users(id),   -- the agent 代办员, when a user of the platform
  agent_name TEXT NOT NULL,
  signed_on TEXT NOT NULL,
  scope TEXT,                                  -- what the agency covers
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX approval_agreements_agent ON approval_agreements(agent_user_id);

-- a project's record of one item
CREATE TABLE approvals (
  id {{ID}},
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  item_id BIGINT NOT NULL REFERENCES approval_items(id),
  state TEXT NOT NULL DEFAULT 'preparing',     -- preparing|submitted|accepted|issued
  submitted_on TEXT,                           -- the first submission: durations count returns
  accepted_on TEXT,
  issued_on TEXT,
  last_on TEXT,                                -- the date of the latest event
  due_date TEXT,                               -- submitted_on + promised working days
  returns INTEGER NOT NULL DEFAULT 0,
  return_reason TEXT,                          -- the latest return's reason
  handler TEXT,                                -- who handles it at the department
  problem_id BIGINT REFERENCES problems(id) ON DELETE SET NULL, -- raised when overdue
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (project_id, item_id)
);
CREATE INDEX approvals_item ON approvals(item_id, issued_on);
CREATE INDEX approvals_state_due ON approvals(state, due_date);
CREATE INDEX approvals_issued ON approvals(issued_on);

-- the timeline: create|submit|accept|issue|return
CREATE TABLE approval_events (
  id {{ID}},
  approval_id BIGINT NOT NULL REFERENCES approvals(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  on_date TEXT NOT NULL,                       -- the day it happened
  reason TEXT,
  user_id BIGINT REFERENCES users(id),
  at TEXT NOT NULL
);
CREATE INDEX approval_events_approval ON approval_events(approval_id, id);
