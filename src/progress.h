/*
 * progress.h — the arithmetic of monthly progress reports (进度填报), pure
 * and unit-tested (tests/unit/test_progress.c), so the report endpoints,
 * the dashboard and the demo agree to the fen and to the day.
 *
 * Periods are months "YYYY-MM".  The report for month M is due from the
 * last day of M and must be submitted by day D of month M+1, D being the
 * deadline day (settings key report.deadline_day, default 25; a D beyond
 * the length of month M+1 means its last day).  So for D = 25:
 *   2026-10 is not_due up to 2026-10-30, due from 2026-10-31 to 2026-11-25,
 *   and late from 2026-11-26 on; a report submitted on 2026-11-26 or later
 *   carries the late flag.
 * A period after the current month is in the future and cannot be reported.
 *
 * Which projects owe a report is decided in SQL (reports.h,
 * REPORT_REQUIRED_SQL): a plan above zero for the year, not a reserve
 * project.  A project added mid-year simply has no reports for the months
 * before it: they count as zero, as any month without a report does.
 */
#ifndef GUATU_PROGRESS_H
#define GUATU_PROGRESS_H

#include <stdint.h>

#define DEADLINE_DAY_DEFAULT 25

/* The derived state of a project and period without a report. */
enum { PERIOD_NOT_DUE = 0, PERIOD_DUE = 1, PERIOD_LATE = 2 };
const char *period_state_name(int s); /* "not_due" | "due" | "late" */

/* Day number of the deadline of the report for (y, m). */
int32_t progress_deadline(int y, int m, int deadline_day);
/* Day number of the last day of month (y, m). */
int32_t progress_month_end(int y, int m);
/* PERIOD_NOT_DUE / PERIOD_DUE / PERIOD_LATE for a missing report at `today`. */
int progress_period_state(int y, int m, int32_t today, int deadline_day);
/* 1 when a report for (y, m) submitted on `day` is late. */
int progress_is_late(int y, int m, int32_t day, int deadline_day);
/* 1 when (y, m) is after the month of `today`. */
int progress_is_future(int y, int m, int32_t today);

/* Month figures of one year: fen per month, index 0 = January. */
typedef struct progress_year {
  int64_t m[12];
} progress_year;

/* Adds fen to the month of `period` when it lies in `year`; returns 1 when
 * added, 0 when the period is another year or malformed. */
int progress_add(progress_year *py, int year, const char *period, int64_t fen);
/* January to month `upto` (0..12; 0 gives 0). */
int64_t progress_ytd(const progress_year *py, int upto);
/* The plan share for months 1..upto: plan × upto / 12, rounded half up
 * (exact: 12 months give the whole plan). */
int64_t progress_plan_share(int64_t plan, int upto);
/* Completion rate "97.67" (ytd of plan; "0.00" without a plan). */
void progress_rate(int64_t ytd, int64_t plan, char buf[32]);
/* Year-on-year growth "15.40"; returns 0 and writes "" when last year is
 * zero (growth from nothing is undefined), 1 otherwise. */
int progress_growth(int64_t cur, int64_t prev, char buf[32]);
/* "YYYY-MM" of (y, m) into buf. */
void progress_period(int y, int m, char buf[8]);
/* The month before (y, m), in place. */
void progress_prev_month(int *y, int *m);

#endif
