/*
 * test_escalation.c — due dates and escalation levels of problems
 * (src/escalation.c) across statutory holidays and make-up working days of
 * the built-in calendar.  The expected dates were worked out by hand from
 * the State Council notices (国办发明电), independently of the code.
 */
#include <stdint.h>

#include "../../src/escalation.h"
#include "unit.h"

static int32_t day_of(const char *text) {
  int32_t d = 0;
  date_parse(text, &d);
  return d;
}

static const char *fmt(int32_t d) {
  static char buf[4][11];
  static int k;
  k = (k + 1) % 4;
  date_format(d, buf[k]);
  return buf[k];
}

static calendar *cal;

/* 国庆 2022: 10-01..10-07 off, Sat 10-08 and Sun 10-09 worked. */
static void test_due_national_day_2022(void) {
  /* Raised on the last working day before the holiday (Fri 09-30) with 3
   * working days: 10-08 (Sat, worked), 10-09 (Sun, worked), 10-10 (Mon). */
  CHECK_EQ_STR(fmt(problem_due_date(cal, day_of("2022-09-30"), 3)), "2022-10-10");
  CHECK_EQ_STR(fmt(problem_due_date(cal, day_of("2022-09-30"), 1)), "2022-10-08");
  /* A full plain week before the holiday runs into the make-up Saturday. */
  CHECK_EQ_STR(fmt(problem_due_date(cal, day_of("2022-09-26"), 5)), "2022-10-08");
  /* Raised during the holiday: counting starts at the next working day. */
  CHECK_EQ_STR(fmt(problem_due_date(cal, day_of("2022-10-03"), 1)), "2022-10-08");
  /* Raised on the make-up Sunday: the next working day is Monday. */
  CHECK_EQ_STR(fmt(problem_due_date(cal, day_of("2022-10-09"), 1)), "2022-10-10");
  /* Twice the deadline: 10-08, 09, 10, 11, 12, 13. */
  CHECK_EQ_STR(fmt(problem_escalate2_date(cal, day_of("2022-09-30"), 3)), "2022-10-13");
}

/* 春节 2023: 01-21..01-27 off, Sat 01-28 and Sun 01-29 worked. */
static void test_due_spring_festival_2023(void) {
  CHECK_EQ_STR(fmt(problem_due_date(cal, day_of("2023-01-20"), 5)), "2023-02-01");
  CHECK_EQ_STR(fmt(problem_due_date(cal, day_of("2023-01-20"), 10)), "2023-02-08");
  CHECK_EQ_STR(fmt(problem_escalate2_date(cal, day_of("2023-01-20"), 5)), "2023-02-08");
}

/* 劳动节 2024: 05-01..05-05 off, Sun 04-28 and Sat 05-11 worked. */
static void test_due_labour_day_2024(void) {
  CHECK_EQ_STR(fmt(problem_due_date(cal, day_of("2024-04-26"), 2)), "2024-04-29");
  CHECK_EQ_STR(fmt(problem_due_date(cal, day_of("2024-04-29"), 2)), "2024-05-06");
  CHECK_EQ_STR(fmt(problem_due_date(cal, day_of("2024-05-06"), 5)), "2024-05-11");
}

static void test_levels(void) {
  int32_t raised = day_of("2022-09-30");
  /* due 10-10, level 2 after 10-13 */
  CHECK_EQ_INT(problem_escalation_level(cal, raised, 3, day_of("2022-09-30"), 0), ESC_NONE);
  CHECK_EQ_INT(problem_escalation_level(cal, raised, 3, day_of("2022-10-07"), 0), ESC_NONE);
  CHECK_EQ_INT(problem_escalation_level(cal, raised, 3, day_of("2022-10-10"), 0), ESC_NONE);
  CHECK_EQ_INT(problem_escalation_level(cal, raised, 3, day_of("2022-10-11"), 0), ESC_LEADER);
  CHECK_EQ_INT(problem_escalation_level(cal, raised, 3, day_of("2022-10-13"), 0), ESC_LEADER);
  CHECK_EQ_INT(problem_escalation_level(cal, raised, 3, day_of("2022-10-14"), 0), ESC_COMMANDER);
  CHECK_EQ_INT(problem_escalation_level(cal, raised, 3, day_of("2023-06-01"), 0), ESC_COMMANDER);
  /* a closed problem never escalates */
  CHECK_EQ_INT(problem_escalation_level(cal, raised, 3, day_of("2023-06-01"), 1), ESC_NONE);
  /* Over the 2023 Spring Festival: due 02-01, commander after 02-08; the
   * holiday week itself does not count towards being overdue. */
  int32_t r2 = day_of("2023-01-20");
  CHECK_EQ_INT(problem_escalation_level(cal, r2, 5, day_of("2023-01-27"), 0), ESC_NONE);
  CHECK_EQ_INT(problem_escalation_level(cal, r2, 5, day_of("2023-02-02"), 0), ESC_LEADER);
  CHECK_EQ_INT(problem_escalation_level(cal, r2, 5, day_of("2023-02-08"), 0), ESC_LEADER);
  CHECK_EQ_INT(problem_escalation_level(cal, r2, 5, day_of("2023-02-09"), 0), ESC_COMMANDER);
  /* Escalation reached on a day off: Saturday 2023-02-04 is past the due date. */
  CHECK_EQ_INT(problem_escalation_level(cal, r2, 5, day_of("2023-02-04"), 0), ESC_LEADER);
}

static void test_days_overdue(void) {
  int32_t due = day_of("2022-10-10");
  CHECK_EQ_INT(problem_days_overdue(cal, due, day_of("2022-10-10")), 0);
  CHECK_EQ_INT(problem_days_overdue(cal, due, day_of("2022-10-09")), 0);
  CHECK_EQ_INT(problem_days_overdue(cal, due, day_of("2022-10-11")), 1);
  /* 10-11..10-14 and Monday 10-17: the weekend does not count */
  CHECK_EQ_INT(problem_days_overdue(cal, due, day_of("2022-10-17")), 5);
  CHECK_EQ_INT(problem_days_overdue(cal, due, day_of("2022-10-16")), 4);
}

/* The rule as a whole, against a brute-force count over six years:
 * the level changes exactly on the day after the n-th / 2n-th working day. */
static void test_brute_force(void) {
  int bad = 0;
  for (int32_t raised = day_of("2020-01-01"); raised < day_of("2026-12-01"); raised += 3) {
    for (int n = 1; n <= 15; n += 7) {
      int32_t d = raised, seen = 0, due = 0, due2 = 0;
      while (seen < 2 * n) {
        d++;
        if (calendar_is_working_day(cal, d)) {
          seen++;
          if (seen == n) due = d;
          if (seen == 2 * n) due2 = d;
        }
      }
      if (problem_due_date(cal, raised, n) != due || problem_escalate2_date(cal, raised, n) != due2) bad++;
      if (problem_escalation_level(cal, raised, n, due, 0) != ESC_NONE) bad++;
      if (problem_escalation_level(cal, raised, n, due + 1, 0) != ESC_LEADER) bad++;
      if (problem_escalation_level(cal, raised, n, due2, 0) != ESC_LEADER) bad++;
      if (problem_escalation_level(cal, raised, n, due2 + 1, 0) != ESC_COMMANDER) bad++;
    }
  }
  CHECK_EQ_INT(bad, 0);
}

static void setup(void) { cal = calendar_new_builtin(); }
static void teardown(void) { calendar_free(cal); }

static void test_all(void) {
  setup();
  test_due_national_day_2022();
  test_due_spring_festival_2023();
  test_due_labour_day_2024();
  test_levels();
  test_days_overdue();
  test_brute_force();
  teardown();
}

UNIT_MAIN(test_all)
