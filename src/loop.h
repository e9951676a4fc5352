/*
 * loop.h — the closed loop (闭环) shared by problems (问题交办), enterprise
 * requests (企业诉求) and citizen questions (网络问政): something is raised,
 * routed to a handling unit with a deadline in working days, accepted,
 * worked on, replied to, confirmed (closed) by whoever raised it, rated, or
 * sent back (reopened).  The rule is one table (loop.c), pure and
 * unit-tested (tests/unit/test_loop.c); each module adds only what is its
 * own (moderation of questions, co-units of problems…) and keeps its state
 * as the names below.  Deadlines and escalation are escalation.h's.
 *
 *   open ──accept──▶ accepted ──comment by the handler──▶ in_progress
 *     │                 │                                   │
 *     └──────reply──────┴──────────────reply────────────────┴──▶ replied
 *   replied ──close (raiser/office)──▶ closed ──rate (raiser, once)
 *   replied | closed ──reopen (raiser/office)──▶ reopened ──accept/reply…
 */
#ifndef GUATU_LOOP_H
#define GUATU_LOOP_H

typedef enum loop_state {
  LOOP_BAD_STATE = -1,
  LOOP_OPEN,        /* open         待受理 */
  LOOP_ACCEPTED,    /* accepted     已受理 */
  LOOP_IN_PROGRESS, /* in_progress  办理中 */
  LOOP_REPLIED,     /* replied      已答复 */
  LOOP_CLOSED,      /* closed       已办结 */
  LOOP_REOPENED,    /* reopened     已退回 */
  LOOP_NSTATES
} loop_state;

typedef enum loop_action {
  LOOP_BAD_ACTION = -1,
  LOOP_COMMENT, /* comment: a note; the handler's first note starts the work */
  LOOP_ACCEPT,  /* accept */
  LOOP_REPLY,   /* reply */
  LOOP_CLOSE,   /* close: the raiser confirms (for requests: "confirm") */
  LOOP_REOPEN,  /* reopen: sent back to be handled again */
  LOOP_RATE,    /* rate: satisfaction 1–5, once, after closing */
  LOOP_NACTIONS
} loop_action;

/* Who the caller is for one record (a bit set: one person can be several). */
enum {
  LOOP_HANDLER = 1u, /* acts for the handling (lead) unit */
  LOOP_RAISER = 2u,  /* raised it (or acts for whoever did) */
  LOOP_OFFICE = 4u,  /* the project office: oversees every loop */
};

typedef enum loop_verdict {
  LOOP_OK = 0,
  LOOP_NOT_ACTOR,     /* this caller may never take the action */
  LOOP_WRONG_STATE,   /* not in this state */
  LOOP_ALREADY_RATED, /* rated once already */
} loop_verdict;

/* Names ↔ values; the *_BAD_* value or NULL for unknown ones. */
loop_state loop_state_parse(const char *name);
const char *loop_state_name(loop_state s);
/* The Chinese name (待受理…), or "" for a bad state. */
const char *loop_state_zh(loop_state s);
loop_action loop_action_parse(const char *name);
const char *loop_action_name(loop_action a);
/* The NULL-terminated lists of names, for enum validation of inputs. */
extern const char *const loop_state_names[];
extern const char *const loop_action_names[];

/* Decides one step: whether `actors` may take `a` on a record in `from`
 * (already rated or not) and, when LOOP_OK, the state it moves to (*to may
 * equal from).  Actor is checked before state, state before rating, so a
 * caller who may never act hears that first. */
loop_verdict loop_step(loop_state from, loop_action a, unsigned actors, int rated, loop_state *to);
/* 1 when loop_step would answer LOOP_OK (for the UI's buttons). */
int loop_can(loop_state from, loop_action a, unsigned actors, int rated);
/* 1 once the loop has ended (closed). */
int loop_is_closed(loop_state s);

#endif
