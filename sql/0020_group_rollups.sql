-- 0020 group roll-ups: what the dashboard's default view (the year of `day`,
-- January up to last month, the period project_rollups' light is for) reads
-- per unit and per chain / level / leader, kept in the same transaction as
-- every change of one of the unit's projects (src/rollups_groups.c) and
-- rebuilt for the new day by the daily tick; `guatu check rollups` compares
-- every row with the facts.  Reserve projects (储备) are not counted.
--   dim       'unit' (gkey ''), 'chain' (gkey the chain, '' none), 'level'
--             (gkey the level), 'leader' (gkey and ref the leader's id), or
--             'all' (unit_id 0, gkey ''): the mark that every unit's rows
--             have been built once
--   unit_id   the unit; 0 for a chain / level / leader over every unit
--   plan ytd prev     this year's plan, January..last month this year and
--                     the same months last year (fen)
--   red yellow green  the projects by light on `day`
--   started completed projects with a start / completion node done this year
--   overdue   open nodes planned before `day`
--   m01..m12  approved investment per month this year (unit rows only),
--   l01..l12  and the year before
--   day       YYYY-MM-DD the row is for: the earliest day of the project
--             roll-ups it was summed from ('' when one had none)
CREATE TABLE group_rollups (
  dim TEXT NOT NULL,
  gkey TEXT NOT NULL,
  unit_id BIGINT NOT NULL,
  ref BIGINT NOT NULL DEFAULT 0,
  projects INTEGER NOT NULL DEFAULT 0,
  plan BIGINT NOT NULL DEFAULT 0,
  ytd BIGINT NOT NULL DEFAULT 0,
  prev BIGINT NOT NULL DEFAULT 0,
  red INTEGER NOT NULL DEFAULT 0,
  yellow INTEGER NOT NULL DEFAULT 0,
  green INTEGER NOT NULL DEFAULT 0,
  started INTEGER NOT NULL DEFAULT 0,
  completed INTEGER NOT NULL DEFAULT 0,
  overdue INTEGER NOT NULL DEFAULT 0,
  m01 BIGINT NOT NULL DEFAULT 0, m02 BIGINT NOT NULL DEFAULT 0, m03 BIGINT NOT NULL DEFAULT 0,
  m04 BIGINT NOT NULL DEFAULT 0, m05 BIGINT NOT NULL DEFAULT 0, m06 BIGINT NOT NULL DEFAULT 0,
  m07 BIGINT NOT NULL DEFAULT 0, m08 BIGINT NOT NULL DEFAULT 0, m09 BIGINT NOT NULL DEFAULT 0,
  m10 BIGINT NOT NULL DEFAULT 0, m11 BIGINT NOT NULL DEFAULT 0, m12 BIGINT NOT NULL DEFAULT 0,
  l01 BIGINT NOT NULL DEFAULT 0, l02 BIGINT NOT NULL DEFAULT 0, l03 BIGINT NOT NULL DEFAULT 0,
  l04 BIGINT NOT NULL DEFAULT 0, l05 BIGINT NOT NULL DEFAULT 0, l06 BIGINT NOT NULL DEFAULT 0,
  l07 BIGINT NOT NULL DEFAULT 0, l08 BIGINT NOT NULL DEFAULT 0, l09 BIGINT NOT NULL DEFAULT 0,
  l10 BIGINT NOT NULL DEFAULT 0, l11 BIGINT NOT NULL DEFAULT 0, l12 BIGINT NOT NULL DEFAULT 0,
  day TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (dim, gkey, unit_id)
);
CREATE INDEX group_rollups_unit ON group_rollups(unit_id);

-- the unit each project roll-up was counted in, so that a project moved to
-- another unit refreshes the rows of both (filled by the first tick)
ALTER TABLE project_rollups ADD COLUMN unit_id BIGINT REFERENCES units(id);
UPDATE project_rollups SET unit_id = (SELECT p.unit_id FROM projects p WHERE p.id = project_rollups.project_id);
