/*
 * escalation_run.h — the escalation tick shared by everything that runs on
 * the closed loop with a deadline in working days (enterprise requests,
 * citizen questions): find the open items whose level on `today`
 * (escalation.h) is above the one recorded, and for each, in its own
 * transaction, claim the new level with a conditional UPDATE (another
 * server process may be running the same tick), let the area write its
 * timeline event and message, tell the handling unit (level 1), the
 * project office (level 1) or the district's leaders (level 2), and write
 * one audit entry as "system".  Problems keep their own tick
 * (problems.c): their second level has its own stored date.
 */
#ifndef GUATU_ESCALATION_RUN_H
#define GUATU_ESCALATION_RUN_H

#include <stdint.h>

#include "arena.h"
#include "db.h"
#include "notify.h"

typedef struct esc_item {
  int64_t id, unit;
  int old, level;
} esc_item;

typedef struct esc_spec {
  const char *entity; /* audit entity and notice entity: "question", "enterprise_request" */
  const char *table;  /* its table, with columns id, escalation */
  /* SELECT id, unit_id, escalation, <started on>, deadline_days FROM … for
   * the open items due before ?1, LIMIT ?2, in the order to escalate them */
  const char *select_sql;
  /* In the open transaction, for one level lv of item e: write the
   * timeline event and fill *nt (title, body, link; kind and entity are
   * set by the runner).  Returns a DB_ code. */
  int (*tell)(db *d, arena *a, const esc_item *e, int lv, const char *day, const char *now, notice *nt);
} esc_spec;

/* The items due for a higher level on `today`, at most max of them, into
 * items; returns how many (or -1 when the calendar cannot be read). */
int escalation_due(db *d, const esc_spec *s, int32_t today, esc_item *items, int max);
/* Escalates what is due on `today`; returns how many items changed, or -1. */
int escalation_run(db *d, const esc_spec *s, int32_t today);

#endif
