/*
 * test_loop.c — the closed loop shared by problems, enterprise requests and
 * citizen questions (src/loop.c): every action from every state for every
 * kind of caller, written out as the expected table (independently of the
 * code's table), plus names and the order of refusals.
 */
#include "../../src/loop.h"
#include "unit.h"

enum { H = LOOP_HANDLER, R = LOOP_RAISER, O = LOOP_OFFICE };
#define OK LOOP_OK
#define NA LOOP_NOT_ACTOR
#define WS LOOP_WRONG_STATE
#define AR LOOP_ALREADY_RATED
#define XX LOOP_BAD_STATE /* no move expected */

typedef struct want {
  loop_action a;
  unsigned actors;
  int rated;
  /* verdict and resulting state from open, accepted, in_progress, replied, closed, reopened */
  loop_verdict v[LOOP_NSTATES];
  loop_state to[LOOP_NSTATES];
} want;

#define OPEN LOOP_OPEN
#define ACC LOOP_ACCEPTED
#define INP LOOP_IN_PROGRESS
#define REP LOOP_REPLIED
#define CLO LOOP_CLOSED
#define REO LOOP_REOPENED

static const want cases[] = {
    /* the handler accepts what is new or sent back */
    {LOOP_ACCEPT, H, 0, {OK, WS, WS, WS, WS, OK}, {ACC, XX, XX, XX, XX, ACC}},
    {LOOP_ACCEPT, R | O, 0, {NA, NA, NA, NA, NA, NA}, {XX, XX, XX, XX, XX, XX}},
    /* a note from the handler after accepting starts the work; anyone may note */
    {LOOP_COMMENT, H, 0, {OK, OK, OK, OK, OK, OK}, {OPEN, INP, INP, REP, CLO, INP}},
    {LOOP_COMMENT, R, 0, {OK, OK, OK, OK, OK, OK}, {OPEN, ACC, INP, REP, CLO, REO}},
    {LOOP_COMMENT, 0, 0, {OK, OK, OK, OK, OK, OK}, {OPEN, ACC, INP, REP, CLO, REO}},
    /* the handler replies at any point before the reply */
    {LOOP_REPLY, H, 0, {OK, OK, OK, WS, WS, OK}, {REP, REP, REP, XX, XX, REP}},
    {LOOP_REPLY, O | R, 0, {NA, NA, NA, NA, NA, NA}, {XX, XX, XX, XX, XX, XX}},
    /* the raiser or the office confirms a reply */
    {LOOP_CLOSE, R, 0, {WS, WS, WS, OK, WS, WS}, {XX, XX, XX, CLO, XX, XX}},
    {LOOP_CLOSE, O, 0, {WS, WS, WS, OK, WS, WS}, {XX, XX, XX, CLO, XX, XX}},
    {LOOP_CLOSE, H, 0, {NA, NA, NA, NA, NA, NA}, {XX, XX, XX, XX, XX, XX}},
    /* and may send it back, replied or closed */
    {LOOP_REOPEN, R, 0, {WS, WS, WS, OK, OK, WS}, {XX, XX, XX, REO, REO, XX}},
    {LOOP_REOPEN, O, 0, {WS, WS, WS, OK, OK, WS}, {XX, XX, XX, REO, REO, XX}},
    {LOOP_REOPEN, H, 0, {NA, NA, NA, NA, NA, NA}, {XX, XX, XX, XX, XX, XX}},
    /* only the raiser rates, once, a closed loop */
    {LOOP_RATE, R, 0, {WS, WS, WS, WS, OK, WS}, {XX, XX, XX, XX, CLO, XX}},
    {LOOP_RATE, R, 1, {WS, WS, WS, WS, AR, WS}, {XX, XX, XX, XX, XX, XX}},
    {LOOP_RATE, O | H, 0, {NA, NA, NA, NA, NA, NA}, {XX, XX, XX, XX, XX, XX}},
};

static void test_every_action_from_every_state(void) {
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const want *w = &cases[i];
    for (int s = 0; s < LOOP_NSTATES; s++) {
      loop_state to = XX;
      loop_verdict v = loop_step((loop_state)s, w->a, w->actors, w->rated, &to);
      CHECK_ROW(v == w->v[s], "case %zu (%s by %u) from %s: verdict %d, want %d", i, loop_action_name(w->a),
                w->actors, loop_state_name((loop_state)s), (int)v, (int)w->v[s]);
      if (v == LOOP_OK)
        CHECK_ROW(to == w->to[s], "case %zu (%s) from %s: to %s, want %s", i, loop_action_name(w->a),
                  loop_state_name((loop_state)s), loop_state_name(to), loop_state_name(w->to[s]));
      CHECK(loop_can((loop_state)s, w->a, w->actors, w->rated) == (w->v[s] == LOOP_OK));
    }
  }
}

/* One person can be raiser and handler at once (a unit raising a problem
 * for itself): each action takes the role that allows it. */
static void test_several_roles_at_once(void) {
  loop_state to;
  CHECK_EQ_INT(loop_step(LOOP_OPEN, LOOP_ACCEPT, H | R, 0, &to), LOOP_OK);
  CHECK_EQ_INT(loop_step(LOOP_REPLIED, LOOP_CLOSE, H | R, 0, &to), LOOP_OK);
  CHECK_EQ_INT(to, LOOP_CLOSED);
}

/* The caller who may never act hears that before anything about state. */
static void test_refusal_order(void) {
  CHECK_EQ_INT(loop_step(LOOP_CLOSED, LOOP_ACCEPT, R, 0, NULL), LOOP_NOT_ACTOR);
  CHECK_EQ_INT(loop_step(LOOP_OPEN, LOOP_RATE, H, 1, NULL), LOOP_NOT_ACTOR);
  CHECK_EQ_INT(loop_step(LOOP_OPEN, LOOP_RATE, R, 1, NULL), LOOP_WRONG_STATE);
  CHECK_EQ_INT(loop_step(LOOP_BAD_STATE, LOOP_REPLY, H, 0, NULL), LOOP_WRONG_STATE);
  CHECK_EQ_INT(loop_step(LOOP_OPEN, LOOP_BAD_ACTION, H | R | O, 0, NULL), LOOP_NOT_ACTOR);
}

static void test_names(void) {
  CHECK_EQ_INT(loop_state_parse("in_progress"), LOOP_IN_PROGRESS);
  CHECK_EQ_INT(loop_state_parse("done"), LOOP_BAD_STATE);
  CHECK_EQ_INT(loop_state_parse(NULL), LOOP_BAD_STATE);
  CHECK_EQ_STR(loop_state_zh(LOOP_REOPENED), "已退回");
  CHECK_EQ_STR(loop_state_zh(LOOP_BAD_STATE), "");
  CHECK_EQ_INT(loop_action_parse("rate"), LOOP_RATE);
  CHECK_EQ_INT(loop_action_parse("confirm"), LOOP_BAD_ACTION);
  for (int s = 0; s < LOOP_NSTATES; s++) CHECK_EQ_INT(loop_state_parse(loop_state_name((loop_state)s)), s);
  for (int a = 0; a < LOOP_NACTIONS; a++) CHECK_EQ_INT(loop_action_parse(loop_action_name((loop_action)a)), a);
  CHECK(loop_is_closed(LOOP_CLOSED) && !loop_is_closed(LOOP_REPLIED));
}

UNIT_MAIN(test_every_action_from_every_state, test_several_roles_at_once, test_refusal_order, test_names)
