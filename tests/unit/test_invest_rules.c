/*
 * test_invest_rules.c — the lead's stage machine (src/invest_rules.c): one
 * step forward at a time, no skipping to production, lost and going back
 * need a reason, signing only through the sign action after the decision,
 * started and production following the project; the stage a signed lead
 * shows; 履约 on constructed cases (started early, on the day, late, not
 * yet due); the rates' rounding and the days of a year and its quarters.
 */
#include <stdint.h>

#include "../../src/calendar.h"
#include "../../src/invest.h"
#include "unit.h"

static int32_t day_of(const char *text) {
  int32_t d = 0;
  date_parse(text, &d);
  return d;
}

static void test_forward_one_step_at_a_time(void) {
  CHECK_EQ_INT(invest_next(IS_LEAD, IS_NEGOTIATION, 0, IV_STAGE), IR_OK);
  CHECK_EQ_INT(invest_next(IS_NEGOTIATION, IS_PREREVIEW, 0, IV_STAGE), IR_OK);
  CHECK_EQ_INT(invest_next(IS_PREREVIEW, IS_DECISION, 0, IV_STAGE), IR_OK);
  CHECK_EQ_INT(invest_next(IS_SIGNED, IS_REGISTERED, 0, IV_STAGE), IR_OK);
  CHECK_EQ_INT(invest_next(IS_LEAD, IS_PREREVIEW, 0, IV_STAGE), IR_SKIP);
  CHECK_EQ_INT(invest_next(IS_NEGOTIATION, IS_DECISION, 1, IV_STAGE), IR_SKIP);
  CHECK_EQ_INT(invest_next(IS_LEAD, IS_LEAD, 0, IV_STAGE), IR_SAME);
}

static void test_no_skipping_to_production_or_started(void) {
  for (int from = IS_LEAD; from <= IS_REGISTERED; from++) {
    CHECK_ROW(invest_next(from, IS_PRODUCTION, 1, IV_STAGE) == IR_FOLLOWS_PROJECT, "from %d", from);
    CHECK_ROW(invest_next(from, IS_STARTED, 1, IV_STAGE) == IR_FOLLOWS_PROJECT, "from %d", from);
  }
  CHECK_EQ_INT(invest_next(IS_PRODUCTION, IS_LEAD, 1, IV_STAGE), IR_CLOSED);
}

static void test_lost_and_back_need_a_reason(void) {
  for (int from = IS_LEAD; from <= IS_DECISION; from++) {
    CHECK_ROW(invest_next(from, IS_LOST, 0, IV_STAGE) == IR_NO_REASON, "from %d", from);
    CHECK_ROW(invest_next(from, IS_LOST, 1, IV_STAGE) == IR_OK, "from %d", from);
  }
  CHECK_EQ_INT(invest_next(IS_DECISION, IS_NEGOTIATION, 0, IV_STAGE), IR_NO_REASON);
  CHECK_EQ_INT(invest_next(IS_DECISION, IS_NEGOTIATION, 1, IV_STAGE), IR_OK);
  /* a signed lead is a project: not lost, not back */
  CHECK_EQ_INT(invest_next(IS_SIGNED, IS_LOST, 1, IV_STAGE), IR_CLOSED);
  CHECK_EQ_INT(invest_next(IS_SIGNED, IS_DECISION, 1, IV_STAGE), IR_SKIP);
  /* lost is final */
  CHECK_EQ_INT(invest_next(IS_LOST, IS_LEAD, 1, IV_STAGE), IR_CLOSED);
  CHECK_EQ_INT(invest_next(IS_LOST, IS_SIGNED, 1, IV_SIGN), IR_CLOSED);
}

static void test_signing_only_after_the_decision_and_through_sign(void) {
  CHECK_EQ_INT(invest_next(IS_DECISION, IS_SIGNED, 0, IV_STAGE), IR_NEEDS_SIGN);
  CHECK_EQ_INT(invest_next(IS_DECISION, IS_SIGNED, 0, IV_SIGN), IR_OK);
  CHECK_EQ_INT(invest_next(IS_LEAD, IS_SIGNED, 0, IV_SIGN), IR_NOT_DECIDED);
  CHECK_EQ_INT(invest_next(IS_PREREVIEW, IS_SIGNED, 0, IV_SIGN), IR_NOT_DECIDED);
  CHECK_EQ_INT(invest_next(IS_SIGNED, IS_SIGNED, 0, IV_SIGN), IR_SAME);
  CHECK_EQ_INT(invest_next(IS_REGISTERED, IS_SIGNED, 0, IV_SIGN), IR_SAME);
  for (int o = IR_NO_REASON; o <= IR_NOT_DECIDED; o++) {
    CHECK_ROW(*invest_why_zh(o) && *invest_why_en(o), "outcome %d", o);
  }
}

static void test_stage_follows_the_project(void) {
  /* project_stages: reserve preparation construction completed production */
  CHECK_EQ_INT(invest_effective_stage(IS_SIGNED, 1), IS_SIGNED);
  CHECK_EQ_INT(invest_effective_stage(IS_SIGNED, 2), IS_STARTED);
  CHECK_EQ_INT(invest_effective_stage(IS_REGISTERED, 3), IS_STARTED);
  CHECK_EQ_INT(invest_effective_stage(IS_REGISTERED, 4), IS_PRODUCTION);
  CHECK_EQ_INT(invest_effective_stage(IS_NEGOTIATION, 4), IS_NEGOTIATION);
  CHECK_EQ_INT(invest_effective_stage(IS_LOST, -1), IS_LOST);
}

static void test_fulfilment_on_constructed_cases(void) {
  int32_t today = day_of("2026-11-18"), promised = day_of("2026-10-01");
  CHECK_EQ_INT(invest_fulfilment(promised, day_of("2026-09-20"), today), FU_KEPT);  /* early */
  CHECK_EQ_INT(invest_fulfilment(promised, promised, today), FU_KEPT);              /* on the day */
  CHECK_EQ_INT(invest_fulfilment(promised, day_of("2026-10-02"), today), FU_LATE);  /* a day late */
  CHECK_EQ_INT(invest_fulfilment(promised, INVEST_NO_DAY, today), FU_LATE);         /* passed, not started */
  CHECK_EQ_INT(invest_fulfilment(day_of("2026-12-01"), INVEST_NO_DAY, today), FU_NOT_DUE);
  CHECK_EQ_INT(invest_fulfilment(today, INVEST_NO_DAY, today), FU_NOT_DUE); /* due today: not passed yet */
  CHECK_EQ_INT(invest_fulfilment(today, today, today), FU_KEPT);
  CHECK_EQ_INT(invest_fulfilment(day_of("2026-12-01"), day_of("2026-11-02"), today), FU_KEPT); /* early, before due */
  CHECK_EQ_INT(invest_fulfilment(INVEST_NO_DAY, today, today), FU_NOT_DUE);
}

static void test_rates_round_half_up_with_two_decimals(void) {
  char b[32];
  CHECK_EQ_INT(invest_rate(2, 3, b), 0);
  CHECK_EQ_STR(b, "66.67");
  invest_rate(1, 3, b);
  CHECK_EQ_STR(b, "33.33");
  invest_rate(3, 3, b);
  CHECK_EQ_STR(b, "100.00");
  invest_rate(1, 8, b);
  CHECK_EQ_STR(b, "12.50");
  invest_rate(1, 16, b); /* 6.25 */
  CHECK_EQ_STR(b, "6.25");
  invest_rate(1, 160000, b); /* 0.000625 → 0.00 */
  CHECK_EQ_STR(b, "0.00");
  invest_rate(1, 200, b); /* 0.5 */
  CHECK_EQ_STR(b, "0.50");
  CHECK_EQ_INT(invest_rate(0, 0, b), -1);
}

static void test_periods(void) {
  int32_t f, t;
  char a[11], z[11];
  invest_period(2026, 0, &f, &t);
  date_format(f, a), date_format(t, z);
  CHECK_EQ_STR(a, "2026-01-01");
  CHECK_EQ_STR(z, "2026-12-31");
  invest_period(2026, 1, &f, &t);
  date_format(f, a), date_format(t, z);
  CHECK_EQ_STR(a, "2026-01-01");
  CHECK_EQ_STR(z, "2026-03-31");
  invest_period(2024, 1, &f, &t);
  date_format(t, z);
  CHECK_EQ_STR(z, "2024-03-31");
  invest_period(2026, 2, &f, &t);
  date_format(f, a), date_format(t, z);
  CHECK_EQ_STR(a, "2026-04-01");
  CHECK_EQ_STR(z, "2026-06-30");
  invest_period(2026, 4, &f, &t);
  date_format(f, a), date_format(t, z);
  CHECK_EQ_STR(a, "2026-10-01");
  CHECK_EQ_STR(z, "2026-12-31");
}

UNIT_MAIN(test_forward_one_step_at_a_time, test_no_skipping_to_production_or_started, test_lost_and_back_need_a_reason,
          test_signing_only_after_the_decision_and_through_sign, test_stage_follows_the_project,
          test_fulfilment_on_constructed_cases, test_rates_round_half_up_with_two_decimals, test_periods)
