-- 0026 land progress and approval statistics without a scan of the facts.
--
-- GET /land-progress summed every household of the district per request
-- (1,000,000 at province scale: a full scan of land_households_progress,
-- ~0.35 s of CPU, 0.6–0.8 s with the rest) although the covering index of
-- 0011 already held the columns: the index spares the table rows, not the
-- scan.  land_rollups keeps one row per project with households: the
-- figures of its households, recomputed from the project's households (an
-- index range) in the same transaction as every change to a household, its
-- compensation items or its payments (src/land_rollups.c); `guatu check
-- rollups` recomputes them from the facts.  A project without households
-- has no row.
CREATE TABLE land_rollups (
  project_id BIGINT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  households BIGINT NOT NULL,           -- every household
  signed BIGINT NOT NULL,               -- at signed or beyond
  demolished BIGINT NOT NULL,           -- at demolished or beyond
  handed_over BIGINT NOT NULL,
  acquired_mu BIGINT NOT NULL,          -- land of the households handed over (hundredths of 亩)
  surveyed_mu BIGINT NOT NULL,          -- land of every household
  due BIGINT NOT NULL,                  -- fen
  paid BIGINT NOT NULL,
  houses BIGINT NOT NULL,
  houses_demolished BIGINT NOT NULL,    -- houses of households demolished or handed over
  start_on TEXT                         -- the earliest survey
);
INSERT INTO land_rollups (project_id, households, signed, demolished, handed_over, acquired_mu, surveyed_mu, due, paid, houses,
                          houses_demolished, start_on)
SELECT h.project_id, COUNT(h.id),
       COALESCE(SUM(CASE WHEN h.state IN ('signed', 'demolished', 'handed_over') THEN 1 ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN h.state IN ('demolished', 'handed_over') THEN 1 ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN h.state = 'handed_over' THEN 1 ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN h.state = 'handed_over' THEN h.collective_mu + h.state_mu ELSE 0 END), 0),
       COALESCE(SUM(h.collective_mu + h.state_mu), 0), COALESCE(SUM(h.due), 0), COALESCE(SUM(h.paid), 0),
       COALESCE(SUM(h.houses), 0),
       COALESCE(SUM(CASE WHEN h.state IN ('demolished', 'handed_over') THEN h.houses ELSE 0 END), 0),
       MIN(h.surveyed_on)
FROM land_households h GROUP BY h.project_id;

-- the projects with a land plan, by unit: the land projects of
-- /land-progress are these and the projects of land_rollups, and each
-- unit's plan is summed from this index alone
CREATE INDEX projects_land_plan ON projects(unit_id, land_plan_mu) WHERE land_plan_mu > 0;

-- GET /approvals/stats reads the issued records of a period: this index
-- holds every column it needs (id too, for PostgreSQL's index-only scan),
-- so the read is one index range, no table row
CREATE INDEX approvals_issued_stats ON approvals(state, issued_on, item_id, project_id, submitted_on, id);
