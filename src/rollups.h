/*
 * rollups.h — per-project roll-ups (sql/0017_rollups.sql) kept in the same
 * transaction as every change that moves them, the way report_totals is
 * kept with every approval: the dashboard then reads one row per project
 * instead of the project's nodes.
 *
 * A writer of nodes, of a project's plan or of a report's approval calls
 * rollup_project() for the one project it touched, inside its transaction;
 * a bulk load (demo, gen) or a change of the light rules calls
 * rollup_rebuild().  Lights depend on the day: the rollups module's tick
 * recomputes every row for a new day (one transaction, audited as
 * "system"), and a reader uses a row's light only when its `day` is today,
 * so an answer never holds the lights of another day.
 */
#ifndef GUATU_ROLLUPS_H
#define GUATU_ROLLUPS_H

#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "db.h"

/* Recomputes the row of one project for today from its nodes, plan and
 * report_totals (deletes it when the project is gone).  DB_OK or an error. */
int rollup_project(db *d, int64_t project_id);
/* A writer of many projects in one transaction (the project import) defers
 * the group rows: between rollup_defer_begin() and rollup_defer_end() on
 * this thread, rollup_project() keeps each project's own row and notes its
 * units; rollup_defer_end() recomputes each noted unit's group rows once
 * (DB_OK or an error; `d` is the writer's connection, in its transaction). */
void rollup_defer_begin(void);
int rollup_defer_end(db *d);
/* Recomputes every row for `day` (a day number): DB_OK or an error. */
int rollup_rebuild(db *d, int32_t day);
/* 1 when some row is for a day before `day` or not yet for any day. */
int rollup_stale(db *d, int32_t day);
/* Recomputes every roll-up (project_rollups and report_totals) from the
 * facts and prints each difference to `out`; returns the number of
 * differences, or -1 on a database error. */
int64_t rollup_check(db *d, FILE *out);

/* ---- group roll-ups (sql/0020_group_rollups.sql, rollups_groups.c) ---- */

/* One row of group_rollups: dim "unit" (key ""), "chain", "level",
 * "leader" (key and ref the leader's id) within unit_id, or over every unit
 * (unit_id 0; dim "unit" there is the province), every figure and month
 * (sql/0024_group_totals.sql). lights[] by light (lights.h). */
typedef struct grollup {
  char dim[8];
  const char *key;
  int64_t unit_id, ref, units, projects, plan, ytd, prev, lights[3], started, completed, overdue, m[12], l[12];
  double rate; /* as stored (read by the check only; written from ytd / plan) */
  char day[11];
} grollup;

/* The order of unit_ranking as one double, stored with each unit's row
 * (group_rollups.rate, indexed): ytd / plan for a unit with a plan, below
 * every such unit (-1e300) for one without.  Division is correctly
 * rounded, so a unit whose exact rate is higher never has a lower double;
 * the dashboard settles ties between equal doubles exactly. */
double rollup_rate(int64_t ytd, int64_t plan);

typedef struct grollups {
  grollup *r;
  size_t n, cap;
  arena a; /* the keys; arena_init before use */
} grollups;

/* A project's light and open past-due nodes, recomputed from the facts. */
typedef struct rollup_light {
  int64_t project_id;
  int light;
  int64_t red;
} rollup_light;

void grollups_free(grollups *gs);
/* The rows of one unit (0: every unit, without the rows over every unit)
 * for `day` from the projects, their plans, report_totals and
 * project_rollups; `lights` (sorted by project, or NULL) replaces the
 * stored lights.  DB_OK or an error. */
int rollup_groups_compute(db *d, int64_t unit_id, int32_t day, const rollup_light *lights, size_t nlights, grollups *out);
/* Adds the rows over every unit (unit_id 0) to the units' rows; sorts. */
int rollup_groups_totals(grollups *gs);
void rollup_groups_sort(grollups *gs);
/* Recomputes a unit's rows for today and moves the rows over every unit by
 * the difference, one upsert of deltas per changed row (nothing over every
 * unit before the first rebuild); on PostgreSQL the unit is locked first. */
int rollup_groups_unit(db *d, int64_t unit_id);
/* PostgreSQL: locks the unit for this transaction (what
 * rollup_groups_unit does first).  A writer that recomputes several units
 * locks them all, lowest id first, before the first: the rows over every
 * unit it then moves stay locked to commit, and a writer of one of its
 * units waiting on them while holding that unit would deadlock with it.
 * SQLite: nothing (one writer at a time).  DB_OK or an error. */
int rollup_groups_lock(db *d, int64_t unit_id);
/* Rebuilds every row for `day` and marks the table built for that day. */
int rollup_groups_rebuild(db *d, int32_t day);
/* 1 when the table was not yet built for `day` or a later day. */
int rollup_groups_stale(db *d, int32_t day);
/* Compares every stored row with the rows recomputed for today and prints
 * each difference; the number of differences or -1. */
int64_t rollup_groups_check(db *d, const rollup_light *lights, size_t nlights, FILE *out);

#endif
