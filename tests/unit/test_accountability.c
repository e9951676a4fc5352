/*
 * test_accountability.c — the accountability rule (accountability.h) on
 * constructed months: ties at the boundary of the last 2, a unit that
 * completed but ranks last, a missed-missed run broken by a gap month, a new
 * unit with one month of history, peer groups of size 1 and 2, the overall
 * score and the quarterly composite.
 */
#include "accountability.h"
#include "unit.h"

/* A group of units with one land task each: targets and actuals in 亩
 * hundredths. */
static void group_land(acc_unit *u, int n, const int64_t *target, const int64_t *actual) {
  static const char *const names[] = {"A街道", "B街道", "C街道", "D街道", "E街道", "F街道", "G街道"};
  memset(u, 0, (size_t)n * sizeof *u);
  for (int i = 0; i < n; i++) {
    u[i].id = i + 1;
    u[i].name = names[i];
    acc_add_task(&u[i], TK_LAND, target[i], actual[i], 1);
  }
  acc_rank_kind(u, n, TK_LAND);
  acc_rank_overall(u, n);
}

static void test_ratio(void) {
  CHECK_EQ_INT(acc_ratio_bp(70, 200), 3500);
  CHECK_EQ_INT(acc_ratio_bp(419126, 429126), 9767);
  CHECK_EQ_INT(acc_ratio_bp(118, 120), 9833);
  CHECK_EQ_INT(acc_ratio_bp(1, 3), 3333);
  CHECK_EQ_INT(acc_ratio_bp(2, 3), 6667);
  CHECK_EQ_INT(acc_ratio_bp(5, 0), 0);
  CHECK_EQ_INT(acc_ratio_bp(300, 200), 15000);
  CHECK(acc_task_completed(200, 200));
  CHECK(!acc_task_completed(199, 200));
  CHECK(!acc_task_completed(0, 0));
  char buf[32];
  acc_bp_format(3500, buf);
  CHECK_EQ_STR(buf, "35.00");
  acc_bp_format(5, buf);
  CHECK_EQ_STR(buf, "0.05");
  char v[48];
  acc_value_text(TK_LAND, 20000, v);
  CHECK_EQ_STR(v, "200亩");
  acc_value_text(TK_LAND, 419126, v);
  CHECK_EQ_STR(v, "4191.26亩");
  acc_value_text(TK_LAND, 7050, v);
  CHECK_EQ_STR(v, "70.5亩");
  acc_value_text(TK_INVESTMENT, 500000000, v);
  CHECK_EQ_STR(v, "500万元");
  acc_value_text(TK_DEMOLITION, 12, v);
  CHECK_EQ_STR(v, "12栋");
  char m[16];
  CHECK_EQ_INT(acc_month_add("2026-01", -1, m), 0);
  CHECK_EQ_STR(m, "2025-12");
  CHECK_EQ_INT(acc_month_add("2026-11", 2, m), 0);
  CHECK_EQ_STR(m, "2027-01");
  CHECK_EQ_INT(acc_month_add("2026-13", 0, m), -1);
}

/* Six towns, the example of the issue: the last is 35% (70 of 200 亩). */
static void test_plain_last_two(void) {
  int64_t t[] = {200, 200, 200, 200, 200, 200}, a[] = {200, 190, 180, 150, 100, 70};
  acc_unit u[6];
  group_land(u, 6, t, a);
  CHECK_EQ_INT(u[0].k[TK_LAND].rank, 1);
  CHECK_EQ_INT(u[5].k[TK_LAND].rank, 6);
  CHECK_EQ_INT(u[5].k[TK_LAND].behind, 0);
  CHECK(!acc_interview(&u[0].k[TK_LAND], 2)); /* completed */
  CHECK(!acc_interview(&u[3].k[TK_LAND], 2)); /* missed, 3rd from last */
  CHECK(acc_interview(&u[4].k[TK_LAND], 2));
  CHECK(acc_interview(&u[5].k[TK_LAND], 2));
  /* N is configurable */
  CHECK(acc_interview(&u[3].k[TK_LAND], 3));
  CHECK(!acc_interview(&u[4].k[TK_LAND], 1));
}

/* Ties at the boundary of the last 2: D and E equal on every key, F last. */
static void test_tie_at_boundary(void) {
  int64_t t[] = {200, 200, 200, 200, 200, 200}, a[] = {200, 190, 180, 100, 100, 70};
  acc_unit u[6];
  group_land(u, 6, t, a);
  CHECK_EQ_INT(u[3].k[TK_LAND].rank, 4);
  CHECK_EQ_INT(u[4].k[TK_LAND].rank, 4); /* shared rank */
  CHECK_EQ_INT(u[5].k[TK_LAND].rank, 6);
  CHECK(acc_interview(&u[3].k[TK_LAND], 2)); /* both tied units come in */
  CHECK(acc_interview(&u[4].k[TK_LAND], 2));
  CHECK(acc_interview(&u[5].k[TK_LAND], 2));
  CHECK(!acc_interview(&u[2].k[TK_LAND], 2));
  /* equal ratio, different absolute actual: the larger actual ranks ahead */
  int64_t t2[] = {400, 200, 100}, a2[] = {200, 100, 50};
  acc_unit v[3];
  group_land(v, 3, t2, a2);
  CHECK_EQ_INT(v[0].k[TK_LAND].rank, 1);
  CHECK_EQ_INT(v[1].k[TK_LAND].rank, 2);
  CHECK_EQ_INT(v[2].k[TK_LAND].rank, 3);
  CHECK(!acc_interview(&v[0].k[TK_LAND], 2));
  CHECK(acc_interview(&v[1].k[TK_LAND], 2));
  /* equal ratio and actual, more tasks completed ranks ahead */
  acc_unit w[2];
  memset(w, 0, sizeof w);
  w[0].name = "甲";
  w[1].name = "乙";
  acc_add_task(&w[0], TK_LAND, 100, 100, 1); /* done */
  acc_add_task(&w[0], TK_LAND, 100, 0, 1);
  acc_add_task(&w[1], TK_LAND, 100, 50, 1);
  acc_add_task(&w[1], TK_LAND, 100, 50, 1);
  acc_rank_kind(w, 2, TK_LAND);
  CHECK_EQ_INT(w[0].k[TK_LAND].rank, 1);
  CHECK_EQ_INT(w[1].k[TK_LAND].rank, 2);
  /* display order: tied units by name */
  int idx[6];
  acc_display_order(u, 6, TK_LAND, idx);
  CHECK_EQ_INT(idx[3], 3);
  CHECK_EQ_INT(idx[4], 4);
  CHECK_EQ_INT(idx[5], 5);
}

/* Everyone completed; the smallest over-fulfilment ranks last: no 约谈. */
static void test_completed_but_last(void) {
  int64_t t[] = {100, 100, 100, 100}, a[] = {150, 130, 120, 100};
  acc_unit u[4];
  group_land(u, 4, t, a);
  CHECK_EQ_INT(u[3].k[TK_LAND].rank, 4);
  CHECK(!acc_interview(&u[3].k[TK_LAND], 2));
  CHECK(!acc_interview(&u[2].k[TK_LAND], 2));
  /* overall: capped at 100%, all tie on score */
  CHECK_EQ_INT(u[0].score_bp, 10000);
  CHECK_EQ_INT(u[3].score_bp, 10000);
  CHECK_EQ_INT(u[3].rank, 1);
}

/* 通报: consecutive calendar months; a gap month breaks the run. */
static void test_circulate(void) {
  int missed_twice[] = {1, 1};
  CHECK(acc_circulate(missed_twice, 2, 2));
  int gap[] = {1, 0, 1}; /* missed, completed, missed */
  CHECK(!acc_circulate(gap, 3, 2));
  int no_tasks_between[] = {1, -1, 1}; /* missed, no tasks, missed */
  CHECK(!acc_circulate(no_tasks_between, 3, 2));
  int new_unit[] = {-1, 1}; /* first month with tasks */
  CHECK(!acc_circulate(new_unit, 2, 2));
  int one_month[] = {1};
  CHECK(!acc_circulate(one_month, 1, 2)); /* only one month of history */
  CHECK(acc_circulate(one_month, 1, 1));   /* M = 1 */
  int three[] = {1, 1, 1};
  CHECK(acc_circulate(three, 3, 3));
  int recovered[] = {1, 1, 0};
  CHECK(!acc_circulate(recovered, 3, 2));
}

/* Peer groups of one and of two. */
static void test_small_groups(void) {
  int64_t t1[] = {100}, a1[] = {50};
  acc_unit one[1];
  group_land(one, 1, t1, a1);
  CHECK_EQ_INT(one[0].k[TK_LAND].rank, 1);
  CHECK(acc_interview(&one[0].k[TK_LAND], 2)); /* alone, missed: in the last 2 */
  int64_t a1b[] = {100};
  group_land(one, 1, t1, a1b);
  CHECK(!acc_interview(&one[0].k[TK_LAND], 2)); /* alone, completed */

  int64_t t2[] = {100, 100}, a2[] = {100, 40};
  acc_unit two[2];
  group_land(two, 2, t2, a2);
  CHECK(!acc_interview(&two[0].k[TK_LAND], 2));
  CHECK(acc_interview(&two[1].k[TK_LAND], 2));
  CHECK(!acc_interview(&two[0].k[TK_LAND], 1));
  CHECK(acc_interview(&two[1].k[TK_LAND], 1));
  int64_t a2b[] = {80, 40};
  group_land(two, 2, t2, a2b);
  CHECK(acc_interview(&two[0].k[TK_LAND], 2)); /* both missed, both in the last 2 */
  CHECK(!acc_interview(&two[0].k[TK_LAND], 1)); /* but only one is last */
}

/* A unit without tasks of a kind is not ranked in it. */
static void test_kinds_separate(void) {
  acc_unit u[3];
  memset(u, 0, sizeof u);
  u[0].name = "甲";
  u[1].name = "乙";
  u[2].name = "丙";
  acc_add_task(&u[0], TK_LAND, 100, 100, 1);
  acc_add_task(&u[1], TK_LAND, 100, 10, 1);
  acc_add_task(&u[1], TK_DEMOLITION, 10, 10, 3);
  acc_add_task(&u[2], TK_DEMOLITION, 10, 2, 1);
  CHECK_EQ_INT(acc_rank_kind(u, 3, TK_LAND), 2);
  CHECK_EQ_INT(acc_rank_kind(u, 3, TK_DEMOLITION), 2);
  CHECK_EQ_INT(u[2].k[TK_LAND].rank, 0);
  CHECK(!acc_interview(&u[2].k[TK_LAND], 2));
  CHECK(acc_interview(&u[2].k[TK_DEMOLITION], 2));
  acc_rank_overall(u, 3);
  /* 乙: land 10% (w1) and demolition 100% (w3) → 77.50 */
  CHECK_EQ_INT(u[1].score_bp, 7750);
  CHECK_EQ_INT(u[0].rank, 1);
  CHECK_EQ_INT(u[1].rank, 2);
  CHECK_EQ_INT(u[2].rank, 3);
}

static void test_composite(void) {
  int64_t rate[] = {8000, 10000, 5000, 0, 9000};
  int avail[] = {1, 1, 1, 1, 1};
  int w[] = {30, 20, 20, 15, 15};
  /* (8000*30 + 10000*20 + 5000*20 + 0 + 9000*15) / 100 = 6750 */
  CHECK_EQ_INT(acc_composite_bp(rate, avail, w, 5), 6750);
  int no_problems[] = {1, 1, 1, 0, 1};
  /* the problems weight is spread: 675000 / 85 = 7941.18 → 7941 */
  CHECK_EQ_INT(acc_composite_bp(rate, no_problems, w, 5), 7941);
  int none[] = {0, 0, 0, 0, 0};
  CHECK_EQ_INT(acc_composite_bp(rate, none, w, 5), 0);
}

UNIT_MAIN(test_ratio, test_plain_last_two, test_tie_at_boundary, test_completed_but_last, test_circulate,
          test_small_groups, test_kinds_separate, test_composite)
