-- 0004 reports: monthly progress reports (进度填报).  Only approved reports
-- count in any figure.
CREATE TABLE reports (
  id {{ID}},
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  period TEXT NOT NULL,                -- YYYY-MM
  investment BIGINT NOT NULL,          -- fen completed this month
  image_progress TEXT,                 -- 形象进度
  percent INTEGER,                     -- completion percentage 0..100
  problems TEXT,                       -- problems met
  state TEXT NOT NULL,                 -- submitted|returned|approved
  late INTEGER NOT NULL DEFAULT 0,     -- submitted after the deadline day
  submitted_by BIGINT REFERENCES users(id),
  submitted_at TEXT,
  reviewed_by BIGINT REFERENCES users(id),
  reviewed_at TEXT,
  review_reason TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (project_id, period)
);
CREATE INDEX reports_period_state ON reports(period, state);
-- Lookups by project (a project's history; the dashboard's drill-down).
CREATE INDEX reports_project_state ON reports(project_id, state, period);
CREATE INDEX reports_state_period ON reports(state, period);

-- Approved investment per project, year and month: one row per project and
-- year, maintained in the same transaction as each approval (and rebuilt by
-- `guatu reports rebuild-totals`), so the dashboard reads 50,000 rows
-- instead of summing millions of reports.  m01..m12 are fen.
CREATE TABLE report_totals (
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  year INTEGER NOT NULL,
  m01 BIGINT NOT NULL DEFAULT 0, m02 BIGINT NOT NULL DEFAULT 0, m03 BIGINT NOT NULL DEFAULT 0,
  m04 BIGINT NOT NULL DEFAULT 0, m05 BIGINT NOT NULL DEFAULT 0, m06 BIGINT NOT NULL DEFAULT 0,
  m07 BIGINT NOT NULL DEFAULT 0, m08 BIGINT NOT NULL DEFAULT 0, m09 BIGINT NOT NULL DEFAULT 0,
  m10 BIGINT NOT NULL DEFAULT 0, m11 BIGINT NOT NULL DEFAULT 0, m12 BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, year)
);
CREATE INDEX report_totals_year ON report_totals(year);

-- Photos and documents of any entity (reports, problems…).  The bytes live
-- in the database so every store and every backup carries them.
CREATE TABLE attachments (
  id {{ID}},
  entity TEXT NOT NULL,                -- report|problem|…
  entity_id BIGINT NOT NULL,
  kind TEXT NOT NULL,                  -- photo|document
  name TEXT,
  mime TEXT NOT NULL,                  -- from the content's magic bytes
  size BIGINT NOT NULL,
  width INTEGER,
  height INTEGER,
  data {{BLOB}} NOT NULL,
  thumb {{BLOB}},                      -- JPEG, at most 320 px on the long side
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX attachments_entity ON attachments(entity, entity_id);

-- The year's targets (年度目标): projects to start and complete, the number
-- of key projects and the investment to complete.
CREATE TABLE year_targets (
  year INTEGER PRIMARY KEY,
  start_target INTEGER NOT NULL DEFAULT 0,
  complete_target INTEGER NOT NULL DEFAULT 0,
  project_count INTEGER NOT NULL DEFAULT 0,
  investment_target BIGINT NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL
);

-- Started/completed counts and the per-project earliest open node.
CREATE INDEX nodes_kind_actual ON nodes(kind, actual_date);
CREATE INDEX nodes_project_open ON nodes(project_id, actual_date, planned_date);
CREATE INDEX nodes_open ON nodes(actual_date, planned_date);

-- The deadline day of the month for the previous month's report.
INSERT INTO settings (key, value) VALUES ('report.deadline_day', '25');
