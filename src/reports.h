/*
 * reports.h — what the progress files (reports.c, dashboard.c,
 * demo_reports.c) share: the deadline day setting, and the upkeep of report_totals, the
 * per-project/year summary of approved investment the dashboard reads.
 */
#ifndef GUATU_REPORTS_H
#define GUATU_REPORTS_H

#include <stdint.h>

#include "db.h"

/* settings report.deadline_day (1..28), default 25. */
int report_deadline_day(db *d);
/* Adds an approved report's investment to report_totals; inside the
 * caller's transaction. */
int report_totals_add(db *d, int64_t project_id, const char *period, int64_t fen);
/* A project's approved investment over all years (fen), from report_totals. */
int64_t report_approved_total(db *d, int64_t project_id);
/* Recomputes report_totals from the approved reports (demo, bulk loads). */
int report_totals_rebuild(db *d);
/* "m01 + m02 + … + mNN" for months 1..upto (1..12), prefixed with `alias.`. */
const char *report_months_sum(char *buf, size_t len, const char *alias, int upto);

/* The projects that owe monthly reports: a plan for the year and not a
 * reserve project.  SQL over `projects p`; bind the year. */
#define REPORT_REQUIRED_SQL                                                                                        \
  " p.stage <> 'reserve' AND EXISTS (SELECT 1 FROM project_plans pp0 WHERE pp0.project_id = p.id AND pp0.year = ? " \
  "AND pp0.amount > 0)"

#endif
