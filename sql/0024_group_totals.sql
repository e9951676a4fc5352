-- 0024 group roll-ups over every unit with every figure (issue 21).
-- The rows with unit_id 0 now hold, for each chain, level and leader and
-- for the province as a whole (dim 'unit', gkey '', unit_id 0), every
-- figure of the per-unit rows: projects, plan, ytd, prev, lights, started,
-- completed, overdue and the monthly sums m01..m12 / l01..l12; the per-unit
-- chain / level / leader rows carry their monthly sums too, so that a
-- write moves the rows over every unit by the unit's difference
-- (src/rollups_groups.c).  The dashboard of a reader of every unit then
-- reads the province row, a few hundred group rows and the first units by
-- investment (group_rollups_rank) and by rate (group_rollups_rate), not
-- every unit's rows.
--   units  the units counted in the row: 1 in a unit's own rows, over
--          every unit the units with a project in the group
--   rate   a unit's own row: its ytd / plan as a double, -1e300 without a
--          plan (rollup_rate in src/rollups.h), what unit_ranking reads
--          in order; 0 in the other rows
ALTER TABLE group_rollups ADD COLUMN units BIGINT NOT NULL DEFAULT 0;
ALTER TABLE group_rollups ADD COLUMN rate DOUBLE PRECISION NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS group_rollups_rank ON group_rollups(dim, ytd);
CREATE INDEX IF NOT EXISTS group_rollups_rate ON group_rollups(dim, rate);
-- the dashboard's check that every unit row is for today: MIN(day) and
-- MAX(day) of the unit rows are two probes
CREATE INDEX IF NOT EXISTS group_rollups_day ON group_rollups(dim, day);
-- The rows written before hold no monthly sums over the dimensions: drop
-- the mark that they were built, so the daily tick (run at start-up when
-- stale) rebuilds every row and the dashboard computes from the facts
-- until it has.
DELETE FROM group_rollups WHERE dim = 'all';
