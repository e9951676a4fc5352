/*
 * accountability.c — the ranking, 约谈/通报 and composite rules of
 * accountability.h.  Pure: no database, no allocation beyond the stack.
 */
#include "accountability.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "calendar.h"
#include "money.h"

const char *const task_kind_names[] = {"land", "demolition", "investment", "count", "node", NULL};
const char *const task_kind_zh[] = {"征拆", "拆房", "投资", "项目", "节点"};
const char *const task_kind_measure[] = {"亩", "栋", "元", "个", "个节点"};
const char *const peer_group_names[] = {"town", "department", "hq", NULL};
const char *const peer_group_zh[] = {"镇街组", "部门组", "指挥部组"};

int task_kind_parse(const char *s) {
  for (int i = 0; s && task_kind_names[i]; i++)
    if (strcmp(s, task_kind_names[i]) == 0) return i;
  return -1;
}

int peer_group_parse(const char *s) {
  for (int i = 0; s && peer_group_names[i]; i++)
    if (strcmp(s, peer_group_names[i]) == 0) return i;
  return -1;
}

int64_t acc_ratio_bp(int64_t actual, int64_t target) {
  if (target <= 0) return 0;
  __int128 n = (__int128)actual * 10000;
  int neg = n < 0;
  if (neg) n = -n;
  __int128 q = (n * 2 + target) / ((__int128)target * 2);
  if (q > INT64_MAX) q = INT64_MAX;
  return neg ? -(int64_t)q : (int64_t)q;
}

int acc_task_completed(int64_t actual, int64_t target) { return target > 0 && actual >= target; }

void acc_add_task(acc_unit *u, int kind, int64_t target, int64_t actual, int weight) {
  if (kind < 0 || kind >= TK_N) return;
  acc_kind *k = &u->k[kind];
  int done = acc_task_completed(actual, target);
  k->present = 1;
  k->target += target;
  k->actual += actual;
  k->tasks++;
  k->done += done;
  u->tasks++;
  u->done += done;
  if (weight < 1) weight = 1;
  int64_t bp = acc_ratio_bp(actual, target);
  if (bp > 10000) bp = 10000;
  if (bp < 0) bp = 0;
  u->wsum += weight;
  u->wdone += (int64_t)weight * bp;
}

/* >0 when a ranks ahead of b for the kind; 0 when tied on every key.  The
 * ratios are compared by cross-multiplying, exactly. */
static int kind_cmp(const acc_kind *a, const acc_kind *b) {
  /* targets are validated > 0, so the cross products keep the order */
  __int128 x = (__int128)a->actual * b->target;
  __int128 y = (__int128)b->actual * a->target;
  if (x != y) return x > y ? 1 : -1;
  if (a->actual != b->actual) return a->actual > b->actual ? 1 : -1;
  if (a->done != b->done) return a->done > b->done ? 1 : -1;
  return 0;
}

static int overall_cmp(const acc_unit *a, const acc_unit *b) {
  if (a->score_bp != b->score_bp) return a->score_bp > b->score_bp ? 1 : -1;
  if (a->done != b->done) return a->done > b->done ? 1 : -1;
  if (a->tasks != b->tasks) return a->tasks > b->tasks ? 1 : -1;
  return 0;
}

typedef struct sort_ctx {
  const acc_unit *u;
  int kind; /* -1: overall */
} sort_ctx;

static int ctx_cmp(const sort_ctx *c, int a, int b) {
  return c->kind < 0 ? overall_cmp(&c->u[a], &c->u[b]) : kind_cmp(&c->u[a].k[c->kind], &c->u[b].k[c->kind]);
}

/* best first */
static int idx_cmp(const void *a, const void *b, void *ctx) {
  return -ctx_cmp(ctx, *(const int *)a, *(const int *)b);
}

/* Sorts the present units and gives each block of equals one rank; O(n log n)
 * so a province-wide peer group of thousands ranks at once. */
static int rank_units(acc_unit *u, int n, int kind) {
  int *idx = malloc((size_t)(n > 0 ? n : 1) * sizeof *idx);
  if (!idx) return 0;
  int m = 0;
  for (int i = 0; i < n; i++) {
    int present = kind < 0 ? u[i].tasks > 0 : u[i].k[kind].present;
    if (kind < 0) u[i].rank = u[i].behind = 0;
    else u[i].k[kind].rank = u[i].k[kind].behind = 0;
    if (present) idx[m++] = i;
  }
  sort_ctx c = {u, kind};
  qsort_r(idx, (size_t)m, sizeof *idx, idx_cmp, &c);
  for (int i = 0; i < m;) {
    int j = i + 1;
    while (j < m && ctx_cmp(&c, idx[j], idx[i]) == 0) j++;
    for (int t = i; t < j; t++) {
      if (kind < 0) {
        u[idx[t]].rank = i + 1;
        u[idx[t]].behind = m - j;
      } else {
        u[idx[t]].k[kind].rank = i + 1;
        u[idx[t]].k[kind].behind = m - j;
      }
    }
    i = j;
  }
  free(idx);
  return m;
}

int acc_rank_kind(acc_unit *u, int n, int kind) {
  if (kind < 0 || kind >= TK_N) return 0;
  return rank_units(u, n, kind);
}

int acc_rank_overall(acc_unit *u, int n) {
  for (int i = 0; i < n; i++) u[i].score_bp = u[i].wsum > 0 ? (u[i].wdone + u[i].wsum / 2) / u[i].wsum : 0;
  return rank_units(u, n, -1);
}

static int rank_of(const acc_unit *u, int kind) { return kind < 0 ? u->rank : u->k[kind].rank; }

static int display_cmp(const void *a, const void *b, void *ctx) {
  const sort_ctx *c = ctx;
  const acc_unit *x = &c->u[*(const int *)a], *y = &c->u[*(const int *)b];
  int rx = rank_of(x, c->kind), ry = rank_of(y, c->kind);
  if ((rx == 0) != (ry == 0)) return rx == 0 ? 1 : -1; /* unranked last */
  if (rx != ry) return rx < ry ? -1 : 1;
  int n = strcmp(x->name ? x->name : "", y->name ? y->name : "");
  if (n) return n;
  return *(const int *)a - *(const int *)b;
}

void acc_display_order(const acc_unit *u, int n, int kind, int *idx) {
  for (int i = 0; i < n; i++) idx[i] = i;
  sort_ctx c = {u, kind};
  qsort_r(idx, (size_t)n, sizeof *idx, display_cmp, &c);
}

int acc_interview(const acc_kind *k, int last_n) {
  return k->present && k->done < k->tasks && last_n > 0 && k->behind < last_n;
}

int acc_circulate(const int *history, int n, int m) {
  if (m < 1 || n < m) return 0;
  for (int i = n - m; i < n; i++)
    if (history[i] != 1) return 0;
  return 1;
}

int64_t acc_composite_bp(const int64_t *rate_bp, const int *available, const int *weight, int n) {
  int64_t wsum = 0;
  __int128 acc = 0;
  for (int i = 0; i < n; i++) {
    if (!available[i] || weight[i] <= 0) continue;
    wsum += weight[i];
    acc += (__int128)rate_bp[i] * weight[i];
  }
  if (wsum <= 0) return 0;
  return (int64_t)((acc * 2 + wsum) / ((__int128)wsum * 2));
}

int acc_month_add(const char *month, int delta, char out[16]) {
  int y, m;
  if (!month || month_parse(month, &y, &m) != 0) return -1;
  int t = y * 12 + (m - 1) + delta;
  if (t < 0) t = 0;
  snprintf(out, 16, "%04d-%02d", (t / 12) % 10000, t % 12 + 1);
  return 0;
}

void acc_bp_format(int64_t bp, char buf[32]) {
  int neg = bp < 0;
  uint64_t a = neg ? (uint64_t)0 - (uint64_t)bp : (uint64_t)bp;
  snprintf(buf, 32, "%s%llu.%02llu", neg ? "-" : "", (unsigned long long)(a / 100), (unsigned long long)(a % 100));
}

static void trim_zero_decimals(char *s) {
  size_t n = strlen(s);
  if (n > 3 && strcmp(s + n - 3, ".00") == 0) s[n - 3] = 0;
  else if (n > 2 && strchr(s, '.') && s[n - 1] == '0') s[n - 1] = 0;
}

void acc_value_text(int kind, int64_t v, char buf[48]) {
  char num[32];
  switch (kind) {
  case TK_LAND:
    area_format(v, num);
    trim_zero_decimals(num);
    snprintf(buf, 48, "%s亩", num);
    break;
  case TK_INVESTMENT:
    money_format_wan(v, num);
    trim_zero_decimals(num);
    snprintf(buf, 48, "%s万元", num);
    break;
  default:
    snprintf(buf, 48, "%lld%s", (long long)v, kind >= 0 && kind < TK_N ? task_kind_measure[kind] : "");
  }
}
