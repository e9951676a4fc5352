/*
 * tasks.h — what tasks.c and rankings.c share about monthly tasks: the SQL
 * of a task's actual (derived from guatu's own data where it can be) and of
 * the actual that counts (confirmed or derived), and the figure formats.
 */
#ifndef GUATU_TASKS_H
#define GUATU_TASKS_H

#include <jansson.h>
#include <stdint.h>

/* Over `tasks t`: the actual as reported or derived.  A node task is
 * reached when its node's actual date is on or before the deadline; an
 * investment task sums the approved reports of its linked projects for the
 * task's month; a land task sums the land (hundredths of 亩) of the linked
 * projects' households handed over (交地) in the month, a demolition task
 * the houses (栋) of those demolished (倒房) in the month — the land ledger's
 * figures (land.h). */
#define TASK_ACTUAL_SQL                                                                                             \
  "(CASE WHEN t.source = 'derived' AND t.kind = 'node' THEN (CASE WHEN EXISTS (SELECT 1 FROM nodes n WHERE "         \
  "n.id = t.node_id AND n.actual_date IS NOT NULL AND n.actual_date <= t.deadline) THEN 1 ELSE 0 END) "              \
  "WHEN t.source = 'derived' AND t.kind = 'land' THEN (SELECT CAST(COALESCE(SUM(h.collective_mu + h.state_mu), 0) "  \
  "AS BIGINT) FROM land_households h JOIN task_projects tp ON tp.project_id = h.project_id WHERE tp.task_id = t.id "  \
  "AND h.state = 'handed_over' AND h.handed_over_on >= (t.month || '-01') AND h.handed_over_on <= (t.month || '-31')) " \
  "WHEN t.source = 'derived' AND t.kind = 'demolition' THEN (SELECT CAST(COALESCE(SUM(h.houses), 0) AS BIGINT) FROM " \
  "land_households h JOIN task_projects tp ON tp.project_id = h.project_id WHERE tp.task_id = t.id AND h.state IN "  \
  "('demolished', 'handed_over') AND h.demolished_on >= (t.month || '-01') AND h.demolished_on <= (t.month || '-31')) " \
  "WHEN t.source = 'derived' THEN (SELECT CAST(COALESCE(SUM(rp.investment), 0) AS BIGINT) FROM reports rp JOIN "     \
  "task_projects tp ON tp.project_id = rp.project_id WHERE tp.task_id = t.id AND rp.state = 'approved' AND "        \
  "rp.period = t.month) ELSE t.actual END)"

/* The actual that counts in rankings: derived, or confirmed by the office. */
#define TASK_COUNTED_SQL                                                                                             \
  "(CASE WHEN t.source = 'derived' THEN " TASK_ACTUAL_SQL " WHEN t.confirmed = 1 THEN COALESCE(t.actual, 0) ELSE 0 END)"

/* A figure of a kind on the wire: land "200.00" (亩), investment "5000000.00"
 * (元), counts "12". */
json_t *task_figure_json(int kind, int64_t v);

#endif
