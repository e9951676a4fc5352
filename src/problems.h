/*
 * problems.h — what problems.c shares with the dispatch meetings
 * (dispatch.c), the weekly report (dispatch_weekly.c) and its demo loader:
 * creating a problem inside the caller's transaction (so a meeting's
 * decision and the problem it creates commit together) and its JSON.
 */
#ifndef GUATU_PROBLEMS_H
#define GUATU_PROBLEMS_H

#include <jansson.h>
#include <stdint.h>

#include "db.h"

typedef struct problem_new {
  int64_t project_id, unit_id, raised_by, raised_unit_id, meeting_id;
  int64_t node_id;        /* 0: about the project as a whole */
  const char *category, *title, *description;
  const char *raised_on;  /* YYYY-MM-DD; NULL: today */
  int deadline_days;      /* 0: the category's default */
  const int64_t *co_units;
  int nco;
} problem_new;

/* Inserts the problem, its co-units and its "create" event, and notifies
 * the lead and co-units (in-app and webhooks).  Caller holds the
 * transaction and writes the audit entry.  Returns the id, 0 on error. */
int64_t problem_create(db *d, const problem_new *p);
/* The problem as the API shows it (with events when asked), or NULL. */
json_t *problem_json(db *d, int64_t id, int with_events);
/* The state names in Chinese: 待受理 已受理 办理中 已答复 已办结 已退回. */
const char *problem_state_zh(const char *state);
/* Runs one round of escalation as of `today` (YYYY-MM-DD); returns how
 * many problems changed level.  With own_tx each problem is claimed in its
 * own transaction (the tick: safe in several processes at once); without,
 * everything joins the caller's transaction (the demo) and -1 means a
 * database error. */
int problems_escalate(db *d, const char *today, int own_tx);

#endif
