-- 0024 group roll-ups over every unit with every figure (issue 21).
-- The rows with unit_id 0 now hold, for each chain, level and leader and
-- for the province as a whole (dim 'unit', gkey '', unit_id 0), every
-- figure of the per-unit rows: projects, plan, ytd, prev, lights, started,
-- completed, overdue and the monthly sums m01..m12 / l01..l12; the per-unit
-- chain / level / leader rows carry their monthly sums too, so that a
-- write moves the rows over every unit by the unit's difference
-- (src/rollups_groups.c).  The dashboard of a reader of every unit then
-- reads the province row, a few hundred group rows and the first units by
-- investment (group_rollups_rank), not every unit's rows.
CREATE INDEX IF NOT EXISTS group_rollups_rank ON group_rollups(dim, ytd);
-- the dashboard's check that every unit row is for today: MIN(day) and
-- MAX(day) of the unit rows are two probes
CREATE INDEX IF NOT EXISTS group_rollups_day ON group_rollups(dim, day);
-- The rows written before hold no monthly sums over the dimensions: drop
-- the mark that they were built, so the daily tick (run at start-up when
-- stale) rebuilds every row and the dashboard computes from the facts
-- until it has.
DELETE FROM group_rollups WHERE dim = 'all';
