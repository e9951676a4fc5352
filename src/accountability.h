/*
 * accountability.h — the rule of seed 002 as pure functions, with no
 * database, so every boundary of it is unit-tested (tests/unit/
 * test_accountability.c) and the API, the published snapshot and the demo
 * all compute it the same way.
 *
 *   约谈 interview:  the unit did not complete its tasks of a kind in the month
 *                    AND ranks in the last N of its peer group for that kind.
 *   通报 circulate:  the unit missed its tasks in each of the last M calendar
 *                    months (a month without tasks breaks the run).
 *   问责 discipline: flagged by the project office with a reason (not computed).
 *
 * Ranking ("单项攻坚任务完成情况排名"): within one peer group and one task kind,
 * units are ordered by completion ratio (Σactual / Σtarget), then by the
 * absolute actual, then by the number of tasks completed — all descending.
 * Units equal on all three share a rank (1, 2, 2, 4) and are listed by name.
 * A unit is "in the last N" when fewer than N units rank strictly behind it,
 * so a tie at the boundary brings every tied unit in, and in a group of N or
 * fewer units every unit is in the last N.
 *
 * Overall ranking: the score is the weighted mean of the tasks' completion
 * ratios, each capped at 100% (over-fulfilling one task cannot hide a missed
 * one); ties by tasks completed, then by the number of tasks.
 *
 * Figures are integers in the kind's measure: 亩 in hundredths, 元 in fen,
 * 栋 / 个 / nodes as plain counts.  Ratios are basis points of a percent
 * (hundredths of a percent: 3500 = 35.00%).
 */
#ifndef GUATU_ACCOUNTABILITY_H
#define GUATU_ACCOUNTABILITY_H

#include <stddef.h>
#include <stdint.h>

/* Task kinds (单项): each has one measure so figures of a kind add up. */
enum { TK_LAND, TK_DEMOLITION, TK_INVESTMENT, TK_COUNT, TK_NODE, TK_N };
extern const char *const task_kind_names[];   /* "land", …, NULL-terminated */
extern const char *const task_kind_zh[];      /* "征拆", "拆房", "投资", "项目", "节点" */
extern const char *const task_kind_measure[]; /* "亩", "栋", "元", "个", "个节点" */
int task_kind_parse(const char *s); /* -1 when unknown */

/* Peer groups: unit kinds that are ranked against each other. */
enum { PG_TOWN, PG_DEPARTMENT, PG_HQ, PG_N };
extern const char *const peer_group_names[]; /* "town", "department", "hq", NULL */
extern const char *const peer_group_zh[];    /* "镇街组", "部门组", "指挥部组" */
int peer_group_parse(const char *s);          /* -1 when not a ranked kind */

/* actual / target as basis points of a percent, rounded half up; 0 when
 * target <= 0.  Never overflows (128-bit intermediate), saturates at INT64_MAX. */
int64_t acc_ratio_bp(int64_t actual, int64_t target);
/* A task is completed when target > 0 and actual >= target. */
int acc_task_completed(int64_t actual, int64_t target);

/* One unit's tasks of one kind in one month. */
typedef struct acc_kind {
  int present;          /* the unit has tasks of this kind */
  int64_t target, actual;
  int tasks, done;
  int rank, behind;     /* out: competition rank, units ranked strictly behind */
  int pending;          /* reported by the unit, not yet confirmed (not counted) */
} acc_kind;

typedef struct acc_unit {
  int64_t id;
  const char *name;
  acc_kind k[TK_N];
  /* overall */
  int tasks, done;
  int64_t wsum;         /* Σ weight */
  int64_t wdone;        /* Σ weight × min(ratio_bp, 10000) */
  int64_t score_bp;     /* out: wdone / wsum */
  int rank, behind;     /* out: overall rank */
} acc_unit;

/* Adds one task to a unit's figures. */
void acc_add_task(acc_unit *u, int kind, int64_t target, int64_t actual, int weight);
/* Ranks the units (one peer group) for one kind; units without the kind get
 * rank 0.  Returns the number ranked. */
int acc_rank_kind(acc_unit *u, int n, int kind);
/* Computes score_bp and ranks overall (units with tasks only).  Returns the
 * number ranked. */
int acc_rank_overall(acc_unit *u, int n);
/* Sorts an index array for display: by the kind's rank (or overall when
 * kind < 0), then by name in codepoint order; unranked last. */
void acc_display_order(const acc_unit *u, int n, int kind, int *idx);

/* 1 when the unit missed the kind and ranks in the last `last_n`. */
int acc_interview(const acc_kind *k, int last_n);
/* history[i] for consecutive calendar months ending with the current month
 * at history[n-1]: 1 missed, 0 completed, -1 no tasks.  1 when the last
 * `m` months are all missed (m >= 1). */
int acc_circulate(const int *history, int n, int m);

/* Weighted composite of factor rates (bp) over the available factors; the
 * weights of unavailable factors are spread over the others.  0 when none
 * is available or the weights sum to 0. */
int64_t acc_composite_bp(const int64_t *rate_bp, const int *available, const int *weight, int n);

/* The month `delta` months from "YYYY-MM" (negative: earlier), written to
 * out; returns 0, or -1 when `month` is not a month. */
int acc_month_add(const char *month, int delta, char out[16]);

/* Writes bp as "35.00". */
void acc_bp_format(int64_t bp, char buf[32]);
/* A figure with its measure for a sentence: "200亩", "4191.26亩", "12栋",
 * "500万元", "3个", "2个节点" (trailing ".00" dropped). */
void acc_value_text(int kind, int64_t v, char buf[48]);

#endif
