-- 0006 tasks: monthly tasks (月度攻坚任务), the project office's 问责 flags and
-- the published (frozen) accountability lists.  Figures are BIGINT in the
-- kind's measure: land hundredths of 亩, investment fen, counts plain.

CREATE TABLE tasks (
  id {{ID}},
  unit_id BIGINT NOT NULL REFERENCES units(id),
  month TEXT NOT NULL,                 -- YYYY-MM
  kind TEXT NOT NULL,                  -- land|demolition|investment|count|node (see accountability.h)
  title TEXT NOT NULL,
  description TEXT,
  target BIGINT NOT NULL,              -- > 0, in the kind's measure (node: 1)
  actual BIGINT,                       -- entered by the unit or the office; NULL: not yet reported
  source TEXT NOT NULL DEFAULT 'manual', -- manual|derived (node reached / approved investment)
  node_id BIGINT REFERENCES nodes(id), -- kind node: the node to reach
  deadline TEXT,                       -- kind node: YYYY-MM-DD
  weight INTEGER NOT NULL DEFAULT 1,
  confirmed INTEGER NOT NULL DEFAULT 0,-- the office confirmed (or set) the actual
  reported_by BIGINT REFERENCES users(id),
  reported_at TEXT,
  confirmed_by BIGINT REFERENCES users(id),
  confirmed_at TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX tasks_month_unit ON tasks(month, unit_id);
CREATE INDEX tasks_unit ON tasks(unit_id);

CREATE TABLE task_projects (
  task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  project_id BIGINT NOT NULL REFERENCES projects(id),
  PRIMARY KEY (task_id, project_id)
);
CREATE INDEX task_projects_project ON task_projects(project_id);

-- 问责 entries the project office flags for a month
CREATE TABLE accountability_flags (
  id {{ID}},
  month TEXT NOT NULL,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  reason TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX accountability_flags_month ON accountability_flags(month);

-- a published list is a frozen snapshot; a correction is the next version
CREATE TABLE accountability_versions (
  id {{ID}},
  month TEXT NOT NULL,
  version INTEGER NOT NULL,
  snapshot_json TEXT NOT NULL,         -- {settings, rankings, entries}
  changes_json TEXT,                   -- against the previous version
  note TEXT,
  published_by BIGINT REFERENCES users(id),
  published_at TEXT NOT NULL,
  UNIQUE (month, version)
);
