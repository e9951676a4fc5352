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

#include "db.h"

/* Recomputes the row of one project for today from its nodes, plan and
 * report_totals (deletes it when the project is gone).  DB_OK or an error. */
int rollup_project(db *d, int64_t project_id);
/* Recomputes every row for `day` (a day number): DB_OK or an error. */
int rollup_rebuild(db *d, int32_t day);
/* 1 when some row is for a day before `day` or not yet for any day. */
int rollup_stale(db *d, int32_t day);
/* Recomputes every roll-up (project_rollups and report_totals) from the
 * facts and prints each difference to `out`; returns the number of
 * differences, or -1 on a database error. */
int64_t rollup_check(db *d, FILE *out);

#endif
