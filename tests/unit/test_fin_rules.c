/*
 * test_fin_rules.c — the financing area's pure rules (src/fin_rules.c):
 * the subsidy application's transition table and guards, the subsidy
 * amount with its rounding (half up to the fen) on boundary cases and the
 * cap per enterprise per year, and rates in hundredths of a percent.
 * Expected amounts were worked out by hand.
 */
#include <stdint.h>

#include "../../src/calendar.h"
#include "../../src/fin.h"
#include "../../src/money.h"
#include "unit.h"

static int32_t day_of(const char *text) {
  int32_t d = 0;
  date_parse(text, &d);
  return d;
}

static fin_step step(int state, int event) {
  fin_step s = {state, event, day_of("2026-11-10"), day_of("2026-11-18"), day_of("2026-11-09"), 1, 100, 100};
  return s;
}

static void test_transitions(void) {
  static const struct {
    int state, event, want, next;
  } rows[] = {
      {FS_APPLIED, FE_APPROVE, FR_OK, FS_APPROVED},      {FS_APPLIED, FE_RETURN, FR_OK, FS_RETURNED},
      {FS_APPLIED, FE_RESUBMIT, FR_WRONG_STATE, 0},      {FS_APPLIED, FE_PAY, FR_WRONG_STATE, 0},
      {FS_APPROVED, FE_PAY, FR_OK, FS_PAID},             {FS_APPROVED, FE_APPROVE, FR_WRONG_STATE, 0},
      {FS_APPROVED, FE_RETURN, FR_WRONG_STATE, 0},       {FS_RETURNED, FE_RESUBMIT, FR_OK, FS_APPLIED},
      {FS_RETURNED, FE_APPROVE, FR_WRONG_STATE, 0},      {FS_RETURNED, FE_PAY, FR_WRONG_STATE, 0},
      {FS_PAID, FE_PAY, FR_WRONG_STATE, 0},              {FS_PAID, FE_RETURN, FR_WRONG_STATE, 0},
      {FS_PAID, FE_APPROVE, FR_WRONG_STATE, 0},          {FS_PAID, FE_RESUBMIT, FR_WRONG_STATE, 0},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    fin_step s = step(rows[i].state, rows[i].event);
    int next = -1, got = fin_subsidy_next(&s, &next);
    CHECK_ROW(got == rows[i].want, "row %zu: got %d want %d", i, got, rows[i].want);
    if (rows[i].want == FR_OK) CHECK_ROW(next == rows[i].next, "row %zu: next %d", i, next);
  }
}

static void test_guards(void) {
  fin_step s = step(FS_APPLIED, FE_APPROVE);
  int next;
  s.date = day_of("2026-11-19"); /* tomorrow */
  CHECK_EQ_INT(fin_subsidy_next(&s, &next), FR_FUTURE);
  s.date = day_of("2026-11-18"); /* today is fine */
  CHECK_EQ_INT(fin_subsidy_next(&s, &next), FR_OK);
  s.date = day_of("2026-11-08"); /* before the application */
  CHECK_EQ_INT(fin_subsidy_next(&s, &next), FR_BEFORE_PREVIOUS);
  s = step(FS_APPLIED, FE_RETURN);
  s.has_reason = 0;
  CHECK_EQ_INT(fin_subsidy_next(&s, &next), FR_NO_REASON);
  CHECK_EQ_STR(fin_why_field(FR_NO_REASON), "reason");
  s = step(FS_APPLIED, FE_APPROVE);
  s.amount = 101; /* one fen above the rule */
  CHECK_EQ_INT(fin_subsidy_next(&s, &next), FR_OVER_LIMIT);
  s.amount = 0; /* approving nothing is allowed: the cap may be used up */
  CHECK_EQ_INT(fin_subsidy_next(&s, &next), FR_OK);
  s = step(FS_APPROVED, FE_PAY);
  s.amount = 99;
  CHECK_EQ_INT(fin_subsidy_next(&s, &next), FR_PAY_MISMATCH);
  CHECK_EQ_STR(fin_why_field(FR_PAY_MISMATCH), "amount");
  /* the state is checked before the amounts */
  s = step(FS_PAID, FE_PAY);
  s.amount = 1;
  CHECK_EQ_INT(fin_subsidy_next(&s, &next), FR_WRONG_STATE);
  CHECK(fin_why_zh(FR_WRONG_STATE)[0] && fin_why_en(FR_WRONG_STATE)[0]);
}

static void test_rounding(void) {
  /* 50 % of 0.01 元 = 0.005 元 → 0.01 元 (half up) */
  CHECK_EQ_INT(fin_share_round(1, 5000), 1);
  /* 50 % of 0.03 元 = 0.015 → 0.02 */
  CHECK_EQ_INT(fin_share_round(3, 5000), 2);
  /* 30 % of 0.01 元 = 0.003 → 0.00 */
  CHECK_EQ_INT(fin_share_round(1, 3000), 0);
  /* 33.33 % of 1.50 元 = 0.49995 → 0.50 (exactly half a fen past 49) */
  CHECK_EQ_INT(fin_share_round(150, 3333), 50);
  /* 33.33 % of 1.49 元 = 0.496617 → 0.50 */
  CHECK_EQ_INT(fin_share_round(149, 3333), 50);
  /* 12.34 % of 4,049.99 元 = 499.768766 → 499.77 */
  CHECK_EQ_INT(fin_share_round(404999, 1234), 49977);
  /* 0.01 % of 49.99 元 = 0.004999 → 0.00; of 50.00 元 = 0.005 → 0.01 */
  CHECK_EQ_INT(fin_share_round(4999, 1), 0);
  CHECK_EQ_INT(fin_share_round(5000, 1), 1);
  /* 100 % is the base itself; 0 % and a zero base give nothing */
  CHECK_EQ_INT(fin_share_round(123456789, 10000), 123456789);
  CHECK_EQ_INT(fin_share_round(123456789, 0), 0);
  CHECK_EQ_INT(fin_share_round(0, 5000), 0);
  /* the largest amount: 99.99 % of ¥10 trillion without overflow */
  CHECK_EQ_INT(fin_share_round(MONEY_MAX_FEN, 9999), MONEY_MAX_FEN / 10000 * 9999);
  CHECK_EQ_INT(fin_share_round(MONEY_MAX_FEN - 1, 9999), MONEY_MAX_FEN / 10000 * 9999 - 1);
  /* 1e15-1 fen × 0.9999 = 999899999999999.0001 → …999 */
}

static void test_cap(void) {
  /* 50 % of 30,000 元 = 15,000 元, under a 20,000 元 cap with nothing used */
  CHECK_EQ_INT(fin_subsidy_amount(3000000, 5000, 2000000, 0), 1500000);
  /* 8,000 元 used: 12,000 left, 15,000 is cut to 12,000 */
  CHECK_EQ_INT(fin_subsidy_amount(3000000, 5000, 2000000, 800000), 1200000);
  /* exactly at the cap: what is left equals the amount */
  CHECK_EQ_INT(fin_subsidy_amount(3000000, 5000, 2000000, 500000), 1500000);
  /* one fen more used: one fen less */
  CHECK_EQ_INT(fin_subsidy_amount(3000000, 5000, 2000000, 500001), 1499999);
  /* the cap used up or exceeded: nothing, never negative */
  CHECK_EQ_INT(fin_subsidy_amount(3000000, 5000, 2000000, 2000000), 0);
  CHECK_EQ_INT(fin_subsidy_amount(3000000, 5000, 2000000, 2500000), 0);
  /* no cap (0) */
  CHECK_EQ_INT(fin_subsidy_amount(3000000, 5000, 0, 99999999), 1500000);
  /* rounding happens before the cap */
  CHECK_EQ_INT(fin_subsidy_amount(3, 5000, 2, 0), 2);
  CHECK_EQ_INT(fin_subsidy_amount(3, 5000, 1, 0), 1);
}

static void test_rates(void) {
  int bp = -1;
  CHECK_EQ_INT(fin_rate_parse("3.45", 10000, &bp), 0);
  CHECK_EQ_INT(bp, 345);
  CHECK_EQ_INT(fin_rate_parse("4", 10000, &bp), 0);
  CHECK_EQ_INT(bp, 400);
  CHECK_EQ_INT(fin_rate_parse("3.5%", 10000, &bp), 0);
  CHECK_EQ_INT(bp, 350);
  CHECK_EQ_INT(fin_rate_parse("100", 10000, &bp), 0);
  CHECK_EQ_INT(fin_rate_parse("100.01", 10000, &bp), -1);
  CHECK_EQ_INT(fin_rate_parse("3.456", 10000, &bp), -1);
  CHECK_EQ_INT(fin_rate_parse("3.", 10000, &bp), -1);
  CHECK_EQ_INT(fin_rate_parse(".5", 10000, &bp), -1);
  CHECK_EQ_INT(fin_rate_parse("-1", 10000, &bp), -1);
  CHECK_EQ_INT(fin_rate_parse("abc", 10000, &bp), -1);
  CHECK_EQ_INT(fin_rate_parse("", 10000, &bp), -1);
  CHECK_EQ_INT(fin_rate_from_double(3.85, 10000, &bp), 0);
  CHECK_EQ_INT(bp, 385);
  CHECK_EQ_INT(fin_rate_from_double(3.855, 10000, &bp), -1);
  CHECK_EQ_INT(fin_rate_from_double(-0.5, 10000, &bp), -1);
  char buf[16];
  fin_rate_format(345, buf);
  CHECK_EQ_STR(buf, "3.45");
  fin_rate_format(5, buf);
  CHECK_EQ_STR(buf, "0.05");
  fin_rate_format(10000, buf);
  CHECK_EQ_STR(buf, "100.00");
}

UNIT_MAIN(test_transitions, test_guards, test_rounding, test_cap, test_rates)
