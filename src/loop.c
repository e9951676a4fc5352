/*
 * loop.c — the closed loop's transition table (see loop.h).  A step is
 * decided by the first row that names the action, admits one of the
 * caller's roles and starts from the current state; rows are ordered from
 * the specific to the general (the handler's comment that starts the work
 * comes before the plain comment anybody may leave).
 */
#include "loop.h"

#include <string.h>

const char *const loop_state_names[] = {"open", "accepted", "in_progress", "replied", "closed", "reopened", NULL};
static const char *const state_zh[] = {"待受理", "已受理", "办理中", "已答复", "已办结", "已退回"};
const char *const loop_action_names[] = {"comment", "accept", "reply", "close", "reopen", "rate", NULL};

#define S(x) (1u << (x))
#define ANY_STATE (S(LOOP_NSTATES) - 1u)
#define KEEP LOOP_BAD_STATE
#define ANYONE 0u /* no role needed beyond reading the record */

typedef struct row {
  loop_action action;
  unsigned actors; /* any of these (ANYONE: everybody who may read it) */
  unsigned from;   /* set of states */
  loop_state to;   /* KEEP: stays */
} row;

static const row table[] = {
    {LOOP_COMMENT, LOOP_HANDLER, S(LOOP_ACCEPTED) | S(LOOP_REOPENED), LOOP_IN_PROGRESS},
    {LOOP_COMMENT, ANYONE, ANY_STATE, KEEP},
    {LOOP_ACCEPT, LOOP_HANDLER, S(LOOP_OPEN) | S(LOOP_REOPENED), LOOP_ACCEPTED},
    {LOOP_REPLY, LOOP_HANDLER, S(LOOP_OPEN) | S(LOOP_ACCEPTED) | S(LOOP_IN_PROGRESS) | S(LOOP_REOPENED), LOOP_REPLIED},
    {LOOP_CLOSE, LOOP_RAISER | LOOP_OFFICE, S(LOOP_REPLIED), LOOP_CLOSED},
    {LOOP_REOPEN, LOOP_RAISER | LOOP_OFFICE, S(LOOP_REPLIED) | S(LOOP_CLOSED), LOOP_REOPENED},
    {LOOP_RATE, LOOP_RAISER, S(LOOP_CLOSED), KEEP},
};

static int lookup(const char *const *names, const char *name) {
  if (!name) return -1;
  for (int i = 0; names[i]; i++)
    if (strcmp(names[i], name) == 0) return i;
  return -1;
}

loop_state loop_state_parse(const char *name) { return (loop_state)lookup(loop_state_names, name); }
loop_action loop_action_parse(const char *name) { return (loop_action)lookup(loop_action_names, name); }

const char *loop_state_name(loop_state s) { return s >= 0 && s < LOOP_NSTATES ? loop_state_names[s] : NULL; }
const char *loop_state_zh(loop_state s) { return s >= 0 && s < LOOP_NSTATES ? state_zh[s] : ""; }
const char *loop_action_name(loop_action a) { return a >= 0 && a < LOOP_NACTIONS ? loop_action_names[a] : NULL; }

loop_verdict loop_step(loop_state from, loop_action a, unsigned actors, int rated, loop_state *to) {
  int may_act = 0, in_state = 0;
  for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
    const row *w = &table[i];
    if (w->action != a || (w->actors != ANYONE && !(w->actors & actors))) continue;
    may_act = 1;
    if (from < 0 || from >= LOOP_NSTATES || !(w->from & S(from))) continue;
    in_state = 1;
    if (a == LOOP_RATE && rated) continue;
    if (to) *to = w->to == KEEP ? from : w->to;
    return LOOP_OK;
  }
  return !may_act ? LOOP_NOT_ACTOR : !in_state ? LOOP_WRONG_STATE : LOOP_ALREADY_RATED;
}

int loop_can(loop_state from, loop_action a, unsigned actors, int rated) {
  return loop_step(from, a, actors, rated, NULL) == LOOP_OK;
}

int loop_is_closed(loop_state s) { return s == LOOP_CLOSED; }
