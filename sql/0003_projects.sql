-- 0003 projects: the project library (项目库) and the battle-map nodes.
-- Money columns are BIGINT fen; areas BIGINT hundredths of 亩; dates TEXT.
-- Columns named here are relied on by other modules: add, never rename.

CREATE TABLE projects (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  level TEXT NOT NULL,                 -- province|city|district
  category TEXT NOT NULL,              -- 产业项目|基础设施|社会民生|…
  chain TEXT,                          -- 产业链: 新材料, 信创, 硬质材料, 现代物流…
  stage TEXT NOT NULL,                 -- reserve|preparation|construction|completed|production
  total_investment BIGINT NOT NULL DEFAULT 0,
  land_area BIGINT NOT NULL DEFAULT 0,
  location TEXT,
  lng DOUBLE PRECISION,
  lat DOUBLE PRECISION,
  owner_unit_id BIGINT REFERENCES units(id),   -- the owner enterprise (a unit of kind enterprise)
  leader_id BIGINT REFERENCES users(id),       -- lead leader 联系领导
  unit_id BIGINT NOT NULL REFERENCES units(id),-- responsible unit 责任单位
  hq_id BIGINT REFERENCES units(id),           -- command HQ 指挥部
  flag_top500 INTEGER NOT NULL DEFAULT 0,      -- 三类500强 (亿元以上/10亿元以上 follow from total_investment)
  published INTEGER NOT NULL DEFAULT 0,        -- visible to the public
  custom_json TEXT,                            -- administrator-defined fields
  version INTEGER NOT NULL DEFAULT 1,          -- optimistic concurrency (ETag)
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX projects_unit ON projects(unit_id);
CREATE INDEX projects_leader ON projects(leader_id);
CREATE INDEX projects_owner ON projects(owner_unit_id);
CREATE INDEX projects_level_stage ON projects(level, stage);
CREATE INDEX projects_chain ON projects(chain);

-- planned investment per year (annual_plan)
CREATE TABLE project_plans (
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  year INTEGER NOT NULL,
  amount BIGINT NOT NULL,
  PRIMARY KEY (project_id, year)
);

-- lists a project belongs to: 省市重点, 集中开工, 领导联系…
CREATE TABLE project_tags (
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (project_id, tag)
);
CREATE INDEX project_tags_tag ON project_tags(tag);

-- milestone nodes of a project's plan (作战图)
CREATE TABLE nodes (
  id {{ID}},
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'other',  -- land_acquisition|land_approval|land_listing|planning_permit|
                                       -- construction_permit|start|topping_out|completion|production|other
  unit_id BIGINT REFERENCES units(id), -- responsible unit of this node
  person TEXT,                         -- responsible person
  planned_date TEXT NOT NULL,
  baseline_date TEXT,                  -- frozen 年初计划
  actual_date TEXT,                    -- done when set
  note TEXT,
  depends_on BIGINT REFERENCES nodes(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX nodes_project ON nodes(project_id, seq);
CREATE INDEX nodes_open_due ON nodes(planned_date, actual_date);
CREATE INDEX nodes_unit ON nodes(unit_id);

-- Additions for the project library (issue 4).  Nothing above is renamed.

-- project categories (项目类别): a small code table the administrator edits
CREATE TABLE project_categories (
  name TEXT PRIMARY KEY,
  sort_order INTEGER NOT NULL DEFAULT 0
);
INSERT INTO project_categories (name, sort_order) VALUES ('产业项目', 1);
INSERT INTO project_categories (name, sort_order) VALUES ('基础设施', 2);
INSERT INTO project_categories (name, sort_order) VALUES ('社会民生', 3);
INSERT INTO project_categories (name, sort_order) VALUES ('城市更新', 4);
INSERT INTO project_categories (name, sort_order) VALUES ('其他', 5);

-- administrator-defined custom fields (自定义字段)
CREATE TABLE project_fields (
  key TEXT PRIMARY KEY,
  label TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,                  -- text|number|money|date|choice
  options_json TEXT,                   -- choice: ["A","B"]
  required INTEGER NOT NULL DEFAULT 0,
  sort_order INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

-- custom values, one row per field, so that lists can filter on them with
-- plain SQL on both engines (projects.custom_json keeps the whole object)
CREATE TABLE project_custom (
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (project_id, key)
);
CREATE INDEX project_custom_kv ON project_custom(key, value);

-- node templates per category; steps_json is the ordered list of
-- {name, kind, duration_days, unit_role}
CREATE TABLE node_templates (
  id {{ID}},
  category TEXT NOT NULL,
  name TEXT NOT NULL,
  steps_json TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (category, name)
);

CREATE INDEX projects_code_name ON projects(name);
CREATE INDEX projects_hq ON projects(hq_id);
CREATE INDEX project_plans_year ON project_plans(year, project_id);
