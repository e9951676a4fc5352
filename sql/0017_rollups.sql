-- 0017 rollups: per project what the dashboard reads of its nodes and its
-- light, kept in the same transaction as every change that moves it (src/
-- rollups.c) and recomputed for the new day by the daily tick; `guatu check
-- rollups` compares every row with the facts.
--   next_open   the earliest planned date of an open node (NULL: none open)
--   nodes_*     open nodes by light on `day` (red: past due; yellow: due
--               within the yellow days; green: later) and done nodes
--   light       the project's light (lights.h) on `day`, for the year of
--               `day` with the months reported so far (the dashboard's
--               default view); 0 green, 1 yellow, 2 red
--   day         YYYY-MM-DD the counts and the light are for; NULL until the
--               first computation (next_open and nodes_done hold any day)
CREATE TABLE project_rollups (
  project_id BIGINT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  next_open TEXT,
  nodes_red INTEGER NOT NULL DEFAULT 0,
  nodes_yellow INTEGER NOT NULL DEFAULT 0,
  nodes_green INTEGER NOT NULL DEFAULT 0,
  nodes_done INTEGER NOT NULL DEFAULT 0,
  light INTEGER NOT NULL DEFAULT 0,
  day TEXT
);
CREATE INDEX project_rollups_day ON project_rollups(day);

-- the existing projects: their nodes now; the day's figures come with the
-- server's first tick (until then the dashboard computes them itself)
INSERT INTO project_rollups (project_id, next_open, nodes_done)
SELECT p.id,
       (SELECT MIN(n.planned_date) FROM nodes n WHERE n.project_id = p.id AND n.actual_date IS NULL),
       (SELECT COUNT(*) FROM nodes n WHERE n.project_id = p.id AND n.actual_date IS NOT NULL)
FROM projects p;
