/*
 * test_approval_rules.c — the approval item state machine and its guards,
 * durations in working days across weekends, statutory holidays and make-up
 * working days, the statistics' figures and the critical path
 * (src/approval_rules.c).  Expected days were counted by hand from the State
 * Council notices (国办发明电), independently of the code.
 */
#include <stdint.h>

#include "../../src/approval.h"
#include "unit.h"

static int32_t day_of(const char *text) {
  int32_t d = 0;
  date_parse(text, &d);
  return d;
}

static calendar *cal;

static approval_step step(int state, int event, const char *date, const char *last) {
  approval_step s = {state, event, day_of(date), day_of("2026-11-18"), last ? day_of(last) : APPROVAL_NO_DAY, 0, 0};
  return s;
}

static void test_transitions(void) {
  static const struct {
    int state, event, want, next;
  } rows[] = {
      {AP_PREPARING, AE_SUBMIT, AR_OK, AP_SUBMITTED},   {AP_PREPARING, AE_ACCEPT, AR_WRONG_STATE, 0},
      {AP_PREPARING, AE_ISSUE, AR_WRONG_STATE, 0},      {AP_SUBMITTED, AE_ACCEPT, AR_OK, AP_ACCEPTED},
      {AP_SUBMITTED, AE_SUBMIT, AR_WRONG_STATE, 0},     {AP_SUBMITTED, AE_ISSUE, AR_WRONG_STATE, 0},
      {AP_ACCEPTED, AE_ISSUE, AR_OK, AP_ISSUED},        {AP_ACCEPTED, AE_ACCEPT, AR_WRONG_STATE, 0},
      {AP_ISSUED, AE_RETURN, AR_WRONG_STATE, 0},        {AP_ISSUED, AE_SUBMIT, AR_WRONG_STATE, 0},
      {AP_ISSUED, AE_ISSUE, AR_WRONG_STATE, 0},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    approval_step s = step(rows[i].state, rows[i].event, "2026-11-10", "2026-11-09");
    s.has_reason = 1;
    int next = -1, got = approval_next(&s, &next);
    CHECK_ROW(got == rows[i].want, "row %zu: outcome %d want %d", i, got, rows[i].want);
    if (rows[i].want == AR_OK) CHECK_ROW(next == rows[i].next, "row %zu: next %d want %d", i, next, rows[i].next);
  }
  /* a return needs its reason, then goes back to preparing */
  approval_step s = step(AP_SUBMITTED, AE_RETURN, "2026-11-10", "2026-11-09");
  int next = -1;
  CHECK_EQ_INT(approval_next(&s, &next), AR_NO_REASON);
  s.has_reason = 1;
  CHECK_EQ_INT(approval_next(&s, &next), AR_OK);
  CHECK_EQ_INT(next, AP_PREPARING);
  s.state = AP_ACCEPTED;
  CHECK_EQ_INT(approval_next(&s, &next), AR_OK);
  CHECK_EQ_INT(next, AP_PREPARING);
  CHECK_EQ_STR(approval_why_field(AR_NO_REASON), "reason");
}

static void test_guards(void) {
  int next;
  /* today is allowed, tomorrow is not */
  approval_step s = step(AP_PREPARING, AE_SUBMIT, "2026-11-18", NULL);
  CHECK_EQ_INT(approval_next(&s, &next), AR_OK);
  s = step(AP_PREPARING, AE_SUBMIT, "2026-11-19", NULL);
  CHECK_EQ_INT(approval_next(&s, &next), AR_FUTURE);
  CHECK_EQ_STR(approval_why_field(AR_FUTURE), "date");
  /* the same day as the previous event is fine, the day before is not */
  s = step(AP_SUBMITTED, AE_ACCEPT, "2026-11-10", "2026-11-10");
  CHECK_EQ_INT(approval_next(&s, &next), AR_OK);
  s = step(AP_SUBMITTED, AE_ACCEPT, "2026-11-09", "2026-11-10");
  CHECK_EQ_INT(approval_next(&s, &next), AR_BEFORE_PREVIOUS);
  /* prerequisites refuse a submission, and only a submission */
  s = step(AP_PREPARING, AE_SUBMIT, "2026-11-10", NULL);
  s.missing_prereqs = 2;
  CHECK_EQ_INT(approval_next(&s, &next), AR_PREREQ);
  s = step(AP_SUBMITTED, AE_ACCEPT, "2026-11-10", NULL);
  s.missing_prereqs = 2;
  CHECK_EQ_INT(approval_next(&s, &next), AR_OK);
  /* a date guard comes before the state: the field error is what the user fixes first */
  s = step(AP_ISSUED, AE_ISSUE, "2026-12-01", NULL);
  CHECK_EQ_INT(approval_next(&s, &next), AR_FUTURE);
}

static void test_durations(void) {
  /* a weekend: Fri 2024-03-01 → Mon 2024-03-04 is one working day */
  CHECK_EQ_INT(approval_working_days(cal, day_of("2024-03-01"), day_of("2024-03-04")), 1);
  /* the same day: 0 (82 minutes) */
  CHECK_EQ_INT(approval_working_days(cal, day_of("2024-04-19"), day_of("2024-04-19")), 0);
  /* 国庆 2022: 10-01..07 off, Sat 10-08 and Sun 10-09 worked: 10-08, 10-09, 10-10 */
  CHECK_EQ_INT(approval_working_days(cal, day_of("2022-09-30"), day_of("2022-10-10")), 3);
  /* 春节 2023: 01-21..27 off, 01-28 and 01-29 worked */
  CHECK_EQ_INT(approval_working_days(cal, day_of("2023-01-20"), day_of("2023-02-01")), 5);
  /* 劳动节 2024: 05-01..05 off, Sun 04-28 and Sat 05-11 worked: 04-28, 04-29, 04-30, 05-06 */
  CHECK_EQ_INT(approval_working_days(cal, day_of("2024-04-26"), day_of("2024-05-06")), 4);
  CHECK_EQ_INT(approval_working_days(cal, APPROVAL_NO_DAY, day_of("2024-05-06")), -1);
  /* due: 5 promised days from Fri 2022-09-30: 10-08, 09, 10, 11, 12 */
  char buf[11];
  date_format(approval_due(cal, day_of("2022-09-30"), 5), buf);
  CHECK_EQ_STR(buf, "2022-10-12");
  /* overdue only the day after the due date, only while submitted or accepted */
  CHECK_EQ_INT(approval_overdue(cal, AP_SUBMITTED, day_of("2022-09-30"), 5, day_of("2022-10-12")), 0);
  CHECK_EQ_INT(approval_overdue(cal, AP_ACCEPTED, day_of("2022-09-30"), 5, day_of("2022-10-13")), 1);
  CHECK_EQ_INT(approval_overdue(cal, AP_ISSUED, day_of("2022-09-30"), 5, day_of("2022-10-13")), 0);
  CHECK_EQ_INT(approval_overdue(cal, AP_PREPARING, day_of("2022-09-30"), 5, day_of("2022-10-13")), 0);
}

static void test_stats(void) {
  /* three issued items: 2, 3 and 7 working days; statutory 20 each; promise 5 */
  approval_tally t = {0};
  approval_tally_add(&t, 2, 20, 5);
  approval_tally_add(&t, 3, 20, 5);
  approval_tally_add(&t, 7, 20, 5);
  char buf[32];
  approval_within_rate(&t, buf);
  CHECK_EQ_STR(buf, "66.67");
  approval_saved_rate(&t, buf); /* (60 - 12) / 60 */
  CHECK_EQ_STR(buf, "80.00");
  CHECK(approval_mean(t.sum_days, t.count) == 4.0);
  CHECK(approval_mean(10, 3) == 3.33);
  CHECK(approval_mean(2, 3) == 0.67);
  CHECK(approval_mean(0, 0) == 0);
  int a[] = {7, 2, 3}, b[] = {9, 1, 4, 2}, c[1];
  CHECK(approval_median(a, 3) == 3.0);
  CHECK(approval_median(b, 4) == 3.0);
  int e[] = {1, 2};
  CHECK(approval_median(e, 2) == 1.5);
  CHECK(approval_median(c, 0) == 0);
  /* slower than the law: negative savings */
  approval_tally s = {0};
  approval_tally_add(&s, 30, 20, 5);
  approval_saved_rate(&s, buf);
  CHECK_EQ_STR(buf, "-50.00");
  approval_within_rate(&s, buf);
  CHECK_EQ_STR(buf, "0.00");
  approval_tally z = {0};
  approval_within_rate(&z, buf);
  CHECK_EQ_STR(buf, "0.00");
}

static void test_critical_path(void) {
  /* 0 land(2) → 2 works planning(3) → 4 permit(1); 1 land planning(1) → 2; 3 drawings(4) → 4 */
  int dur[] = {2, 1, 3, 4, 1};
  const int edges[][2] = {{2, 0}, {2, 1}, {4, 2}, {4, 3}};
  int on[5];
  CHECK_EQ_INT(approval_critical_path(5, dur, 4, edges, on), 6);
  CHECK(on[0] && !on[1] && on[2] && !on[3] && on[4]);
  /* drawings take longer: the path moves */
  dur[3] = 9;
  CHECK_EQ_INT(approval_critical_path(5, dur, 4, edges, on), 10);
  CHECK(!on[0] && !on[1] && !on[2] && on[3] && on[4]);
  /* a cycle is refused */
  const int cyc[][2] = {{0, 1}, {1, 2}, {2, 0}};
  CHECK_EQ_INT(approval_critical_path(3, dur, 3, cyc, on), -1);
  CHECK(!on[0] && !on[1] && !on[2]);
  /* no items, no path; an item alone is its own path */
  CHECK_EQ_INT(approval_critical_path(0, dur, 0, edges, on), 0);
  CHECK_EQ_INT(approval_critical_path(1, dur, 0, edges, on), 2);
  CHECK(on[0]);
}

static void test_all(void) {
  cal = calendar_new_builtin();
  test_transitions();
  test_guards();
  test_durations();
  test_stats();
  test_critical_path();
  calendar_free(cal);
}

UNIT_MAIN(test_all)
