/*
 * lights.h — the traffic lights (红黄绿灯) of PRODUCT.md, one place for the
 * rule so the battle map, the project list and the dashboard agree.
 *
 *   node:    red when past its planned date and not done; yellow when not
 *            done and due within `yellow_days` (default 7); green otherwise.
 *   project: red if any node is red or the year-to-date investment rate
 *            lags the share of the year elapsed by more than `red_lag`
 *            points (default 20); yellow if any node is yellow or the lag
 *            exceeds `yellow_lag` (default 10); green otherwise.
 *
 * "Share of the year elapsed" is months closed / 12 (reports for the
 * current month are not due yet), so in January no project lags.  The rule
 * is pure: callers pass the thresholds, which an administrator sets in the
 * settings table (lights_config_load in projects.h reads them).
 */
#ifndef GUATU_LIGHTS_H
#define GUATU_LIGHTS_H

#include <stdint.h>

enum { LIGHT_GREEN = 0, LIGHT_YELLOW = 1, LIGHT_RED = 2 };

typedef struct light_cfg {
  int yellow_days; /* a node due within this many days is yellow */
  int red_lag;     /* percentage points */
  int yellow_lag;
} light_cfg;

extern const light_cfg light_defaults;

const char *light_name(int light); /* "green" | "yellow" | "red" */
int light_parse(const char *s);    /* -1 when not a light name */

/* A node's light; actual 0 (or any value > 0 meaning done) — pass done=1
 * when the node has an actual date. */
int node_light(int32_t planned, int done, int32_t today, const light_cfg *cfg);

/* The day a node's slip against its baseline (偏差) runs to: the actual date
 * when done; today when not done and past its planned date (an overdue node
 * keeps slipping each day it stays open, so it never shows 偏差 0 beside
 * 逾期 12 天); else the planned date. */
int32_t node_slip_until(int32_t planned, int done, int32_t actual, int32_t today);

/* The investment lag in hundredths of a percentage point (may be negative:
 * ahead of schedule); 0 when plan is 0.  months_closed in 0..12. */
int64_t investment_lag_bp(int64_t ytd_fen, int64_t plan_fen, int months_closed);

/* A project's light from its worst node light and its investment figures. */
int project_light(int worst_node, int64_t ytd_fen, int64_t plan_fen, int months_closed, const light_cfg *cfg);

/* Months closed at `today` for `year`: 0..12 (12 for past years, 0 for
 * future ones). */
int months_closed(int year, int32_t today);

/* Three SELECT-list columns for a query over `projects p`, in this order:
 * next_open (the earliest planned date of an open node, or NULL), ytd
 * (approved investment in fen from ?-01 to ?), plan (the year's plan).
 * Bind, in order: the first period "YYYY-01", the last period "YYYY-MM",
 * and the year as an integer. */
#define LIGHTS_COLUMNS                                                                                                  \
  "(SELECT MIN(n.planned_date) FROM nodes n WHERE n.project_id = p.id AND n.actual_date IS NULL) AS next_open, "    \
  "COALESCE((SELECT SUM(r.investment) FROM reports r WHERE r.project_id = p.id AND r.state = 'approved' "         \
  "AND r.period >= ? AND r.period <= ?), 0) AS ytd, "                                                              \
  "COALESCE((SELECT pp.amount FROM project_plans pp WHERE pp.project_id = p.id AND pp.year = ?), 0) AS plan"

/* The light from those three columns' values (next_open NULL → no open node). */
int light_from_columns(const char *next_open, int64_t ytd, int64_t plan, int year, int32_t today, const light_cfg *cfg);

#endif
