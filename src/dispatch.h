/*
 * dispatch.h — what the dispatch meetings (dispatch.c) share with the
 * weekly report (dispatch_weekly.c): the red/yellow projects with their
 * reasons as of a day, and a meeting's decisions with their status.
 */
#ifndef GUATU_DISPATCH_H
#define GUATU_DISPATCH_H

#include <jansson.h>
#include <stdint.h>

#include "arena.h"
#include "auth.h"
#include "db.h"
#include "lights.h"
#include "problems.h"

typedef struct dispatch_red {
  int64_t project_id;
  const char *name, *unit, *reason, *next_open;
  int light; /* LIGHT_RED or LIGHT_YELLOW */
  int64_t ytd, plan;
} dispatch_red;

/* Projects under preparation or construction whose light is not green on
 * `date` (YYYY-MM-DD), with a reason in Chinese.  Returns the count (array
 * in the arena) or -1 on a database error. */
int dispatch_red_projects(db *d, arena *a, const char *date, dispatch_red **out);
/* The next slot of a growing array of red projects (in the arena). */
dispatch_red *dispatch_red_push(arena *a, dispatch_red **v, int *n, int *cap);
/* Fills each project's reason (its worst open node, its investment lag) as
 * of `today`; with `asof` (YYYY-MM-DD) a node completed after it counts as
 * open (the weekly report's past weeks). */
void dispatch_red_reasons(db *d, arena *a, dispatch_red *v, int n, int32_t today, const char *asof, const light_cfg *cfg,
                          int mc);
/* A meeting's decisions with project, unit, deadline and status now. */
json_t *dispatch_decisions_json(db *d, int64_t meeting, const char *today);

/* (Re)generates a meeting's agenda for its date, keeping custom items and
 * items that already carry decisions.  Caller holds the transaction. */
int dispatch_generate_agenda(db *d, int64_t meeting, const char *date);
/* Records a decision (kind "problem": creates the problem from `p`;
 * "node": moves the node to new_date, optionally to `unit`), notifies,
 * audits as `who`, marks the meeting held.  Caller holds the transaction.
 * Returns the decision id, 0 on error. */
int64_t dispatch_decide(db *d, const audit_actor *who, int64_t meeting, int64_t item, const char *kind, const char *text,
                        const problem_new *p, int64_t node, const char *new_date, int64_t unit);

#endif
