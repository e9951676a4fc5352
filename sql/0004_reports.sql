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
