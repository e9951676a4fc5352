/*
 * approval_rules.c — the pure logic of the approval agency: the item state
 * machine as a transition table with its guards, durations in working days
 * (China calendar), the statistics' figures and the critical path through
 * prerequisites.  No database, no clock: everything is a parameter, so
 * tests/unit/test_approval_rules.c checks it case by case.
 */
#include <stdlib.h>

#include "approval.h"
#include "rate.h"

const char *const approval_states[] = {"preparing", "submitted", "accepted", "issued", NULL};
const char *const approval_states_zh[] = {"准备中", "已提交", "已受理", "已办结", NULL};
const char *const approval_event_types[] = {"submit", "accept", "issue", "return", NULL};

/* next[state][event]: the state an event leads to, -1 when not allowed. */
static const int next_state[4][4] = {
    /*                submit        accept        issue      return */
    /* preparing */ {AP_SUBMITTED, -1, -1, -1},
    /* submitted */ {-1, AP_ACCEPTED, -1, AP_PREPARING},
    /* accepted  */ {-1, -1, AP_ISSUED, AP_PREPARING},
    /* issued    */ {-1, -1, -1, -1},
};

int approval_next(const approval_step *s, int *next) {
  if (s->state < 0 || s->state > AP_ISSUED || s->event < 0 || s->event > AE_RETURN) return AR_WRONG_STATE;
  if (s->date > s->today) return AR_FUTURE;
  if (s->last_on != APPROVAL_NO_DAY && s->date < s->last_on) return AR_BEFORE_PREVIOUS;
  if (s->event == AE_RETURN && !s->has_reason) return AR_NO_REASON;
  int n = next_state[s->state][s->event];
  if (n < 0) return AR_WRONG_STATE;
  if (s->event == AE_SUBMIT && s->missing_prereqs > 0) return AR_PREREQ;
  *next = n;
  return AR_OK;
}

const char *approval_why_zh(int outcome) {
  switch (outcome) {
  case AR_FUTURE: return "日期不能晚于今天";
  case AR_BEFORE_PREVIOUS: return "日期不能早于上一环节的日期";
  case AR_NO_REASON: return "退回须填写理由";
  case AR_WRONG_STATE: return "当前状态不允许此操作";
  case AR_PREREQ: return "前置事项尚未办结，不能提交";
  default: return "";
  }
}

const char *approval_why_en(int outcome) {
  switch (outcome) {
  case AR_FUTURE: return "cannot be in the future";
  case AR_BEFORE_PREVIOUS: return "cannot be before the previous event";
  case AR_NO_REASON: return "a return needs its reason";
  case AR_WRONG_STATE: return "not allowed in the current state";
  case AR_PREREQ: return "prerequisites are not issued yet";
  default: return "";
  }
}

const char *approval_why_field(int outcome) {
  switch (outcome) {
  case AR_FUTURE:
  case AR_BEFORE_PREVIOUS: return "date";
  case AR_NO_REASON: return "reason";
  default: return "type";
  }
}

/* ---- durations ---- */

int approval_working_days(const calendar *cal, int32_t submitted, int32_t issued) {
  if (submitted == APPROVAL_NO_DAY || issued == APPROVAL_NO_DAY) return -1;
  return calendar_working_days_between(cal, submitted, issued);
}

int32_t approval_due(const calendar *cal, int32_t submitted, int promised) {
  return calendar_add_working_days(cal, submitted, promised);
}

int approval_overdue(const calendar *cal, int state, int32_t submitted, int promised, int32_t today) {
  if (state == AP_ISSUED || state == AP_PREPARING || submitted == APPROVAL_NO_DAY) return 0;
  return today > approval_due(cal, submitted, promised);
}

/* ---- statistics ---- */

void approval_tally_add(approval_tally *t, int days, int statutory, int promised) {
  t->count++;
  t->sum_days += days;
  t->sum_statutory += statutory;
  if (days <= promised) t->within++;
}

double approval_mean(int64_t sum, int64_t count) {
  if (count <= 0) return 0;
  /* round half away from zero at the second decimal, in integers */
  int64_t h = sum * 100, q = (llabs(h) * 2 + count) / (2 * count);
  return (double)(h < 0 ? -q : q) / 100.0;
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

double approval_median(int *days, int n) {
  if (n <= 0) return 0;
  qsort(days, (size_t)n, sizeof *days, cmp_int);
  int mid = n / 2;
  if (n % 2) return (double)days[mid];
  return ((double)days[mid - 1] + (double)days[mid]) / 2.0;
}

void approval_within_rate(const approval_tally *t, char buf[32]) { rate_format(t->within, t->count, buf); }

void approval_saved_rate(const approval_tally *t, char buf[32]) {
  rate_format(t->sum_statutory - t->sum_days, t->sum_statutory, buf);
}

/* ---- critical path ---- */

#define CP_MAX 256

/* Longest finish time of item i (its duration plus its longest
 * prerequisite chain), memoised; -1 on a cycle. */
static int finish(int i, const int *dur, int nedges, const int (*edges)[2], int *memo, int *mark, int *via) {
  if (mark[i] == 2) return memo[i];
  if (mark[i] == 1) return -1; /* on the stack: a cycle */
  mark[i] = 1;
  int best = 0, from = -1;
  for (int k = 0; k < nedges; k++) {
    if (edges[k][0] != i) continue;
    int f = finish(edges[k][1], dur, nedges, edges, memo, mark, via);
    if (f < 0) return -1;
    if (f > best || from < 0) best = f, from = edges[k][1];
  }
  mark[i] = 2;
  via[i] = from;
  memo[i] = best + dur[i];
  return memo[i];
}

int approval_critical_path(int n, const int *dur, int nedges, const int (*edges)[2], int *on_path) {
  for (int i = 0; i < n; i++) on_path[i] = 0;
  if (n <= 0 || n > CP_MAX) return n <= 0 ? 0 : -1;
  for (int k = 0; k < nedges; k++)
    if (edges[k][0] < 0 || edges[k][0] >= n || edges[k][1] < 0 || edges[k][1] >= n) return -1;
  int memo[CP_MAX] = {0}, mark[CP_MAX] = {0}, via[CP_MAX];
  int best = -1, end = -1;
  for (int i = 0; i < n; i++) {
    int f = finish(i, dur, nedges, edges, memo, mark, via);
    if (f < 0) return -1;
    if (f > best) best = f, end = i;
  }
  for (int i = end; i >= 0; i = via[i]) on_path[i] = 1;
  return best;
}
