/*
 * test_progress.c — unit tests for src/progress.c: year-to-date sums (exact
 * money, months with no report, projects added mid-year), completion rate,
 * year-on-year growth, the deadline rule and the period states.
 */
#include <stdint.h>

#include "../../src/calendar.h"
#include "../../src/progress.h"
#include "unit.h"

static int32_t D(const char *s) {
  int32_t d = 0;
  date_parse(s, &d);
  return d;
}

static void test_ytd_exact(void) {
  progress_year py = {0};
  /* 3.66亿 + 12453万 + 39.625万 + 0.01 元: must add to the fen. */
  CHECK(progress_add(&py, 2026, "2026-01", 36600000000LL));
  CHECK(progress_add(&py, 2026, "2026-02", 1245300000LL));
  CHECK(progress_add(&py, 2026, "2026-03", 39625000LL));
  CHECK(progress_add(&py, 2026, "2026-03", 1));
  CHECK_EQ_INT(progress_ytd(&py, 1), 36600000000LL);
  CHECK_EQ_INT(progress_ytd(&py, 2), 37845300000LL);
  CHECK_EQ_INT(progress_ytd(&py, 3), 37884925001LL);
  CHECK_EQ_INT(progress_ytd(&py, 12), 37884925001LL);
  CHECK_EQ_INT(progress_ytd(&py, 0), 0);
  /* another year or junk is not added */
  CHECK(!progress_add(&py, 2026, "2025-03", 5));
  CHECK(!progress_add(&py, 2026, "2026-13", 5));
  CHECK(!progress_add(&py, 2026, "26-01", 5));
  CHECK(!progress_add(&py, 2026, NULL, 5));
  CHECK_EQ_INT(progress_ytd(&py, 12), 37884925001LL);
}

static void test_months_without_report(void) {
  /* Reports in Jan and Apr only: Feb, Mar count as zero, not as missing data. */
  progress_year py = {0};
  progress_add(&py, 2026, "2026-01", 100000);
  progress_add(&py, 2026, "2026-04", 250000);
  CHECK_EQ_INT(progress_ytd(&py, 2), 100000);
  CHECK_EQ_INT(progress_ytd(&py, 3), 100000);
  CHECK_EQ_INT(progress_ytd(&py, 4), 350000);
  char buf[32];
  progress_rate(progress_ytd(&py, 4), 1000000, buf);
  CHECK_EQ_STR(buf, "35.00");
}

static void test_added_mid_year(void) {
  /* Added in June: Jan–May have no reports and count as zero.  Its YTD is
   * the sum of the months it reported; last year is zero, so its own
   * growth is undefined rather than infinite. */
  progress_year cur = {0}, prev = {0};
  progress_add(&cur, 2026, "2026-06", 5000000);
  progress_add(&cur, 2026, "2026-07", 7000000);
  char g[32];
  CHECK(!progress_growth(progress_ytd(&cur, 10), progress_ytd(&prev, 10), g));
  CHECK_EQ_STR(g, "");
  /* Added to a district whose other projects did report last year, the
   * district's growth counts it from zero. */
  progress_add(&prev, 2025, "2025-03", 10000000);
  CHECK(progress_growth(progress_ytd(&cur, 10), progress_ytd(&prev, 10), g));
  CHECK_EQ_STR(g, "20.00");
}

static void test_growth(void) {
  char g[32];
  /* 211.8亿 this year vs 183.54亿 last year → 15.40% (荷塘区 2021 1–11月) */
  CHECK(progress_growth(2118000000000LL, 1835400000000LL, g));
  CHECK_EQ_STR(g, "15.40");
  CHECK(progress_growth(965, 1000, g));
  CHECK_EQ_STR(g, "-3.50");
  CHECK(progress_growth(0, 1000, g));
  CHECK_EQ_STR(g, "-100.00");
  CHECK(progress_growth(1000, 1000, g));
  CHECK_EQ_STR(g, "0.00");
}

static void test_rate_and_plan_share(void) {
  char r[32];
  progress_rate(0, 0, r);
  CHECK_EQ_STR(r, "0.00");
  progress_rate(1230000000000LL, 1230000000000LL, r);
  CHECK_EQ_STR(r, "100.00");
  progress_rate(2, 3, r);
  CHECK_EQ_STR(r, "66.67");
  CHECK_EQ_INT(progress_plan_share(1200, 1), 100);
  CHECK_EQ_INT(progress_plan_share(1000, 1), 83);  /* 83.33 */
  CHECK_EQ_INT(progress_plan_share(1000, 3), 250);
  CHECK_EQ_INT(progress_plan_share(1000, 5), 417); /* 416.67 */
  CHECK_EQ_INT(progress_plan_share(1001, 12), 1001);
  CHECK_EQ_INT(progress_plan_share(1001, 0), 0);
  CHECK_EQ_INT(progress_plan_share(INT64_MAX, 11), (int64_t)((__int128)INT64_MAX * 11 / 12));
}

static void test_deadline_and_states(void) {
  CHECK_EQ_INT(progress_deadline(2026, 10, 25), D("2026-11-25"));
  CHECK_EQ_INT(progress_deadline(2026, 12, 25), D("2027-01-25"));
  CHECK_EQ_INT(progress_deadline(2026, 1, 31), D("2026-02-28"));  /* clamped */
  CHECK_EQ_INT(progress_month_end(2024, 2), D("2024-02-29"));
  CHECK_EQ_INT(progress_period_state(2026, 10, D("2026-10-30"), 25), PERIOD_NOT_DUE);
  CHECK_EQ_INT(progress_period_state(2026, 10, D("2026-10-31"), 25), PERIOD_DUE);
  CHECK_EQ_INT(progress_period_state(2026, 10, D("2026-11-25"), 25), PERIOD_DUE);
  CHECK_EQ_INT(progress_period_state(2026, 10, D("2026-11-26"), 25), PERIOD_LATE);
  CHECK_EQ_INT(progress_period_state(2026, 10, D("2026-11-26"), 28), PERIOD_DUE);
  CHECK(!progress_is_late(2026, 10, D("2026-11-25"), 25));
  CHECK(progress_is_late(2026, 10, D("2026-11-26"), 25));
  CHECK(!progress_is_late(2026, 10, D("2026-10-20"), 25));
  CHECK(progress_is_future(2026, 12, D("2026-11-24")));
  CHECK(!progress_is_future(2026, 11, D("2026-11-24")));
  CHECK(progress_is_future(2027, 1, D("2026-12-31")));
  CHECK(!progress_is_future(2025, 12, D("2026-01-01")));
  CHECK_EQ_STR(period_state_name(PERIOD_LATE), "late");
  CHECK_EQ_STR(period_state_name(PERIOD_DUE), "due");
  CHECK_EQ_STR(period_state_name(PERIOD_NOT_DUE), "not_due");
  char p[8];
  progress_period(2026, 3, p);
  CHECK_EQ_STR(p, "2026-03");
  int y = 2026, m = 1;
  progress_prev_month(&y, &m);
  CHECK_EQ_INT(y, 2025);
  CHECK_EQ_INT(m, 12);
}

UNIT_MAIN(test_ytd_exact, test_months_without_report, test_added_mid_year, test_growth, test_rate_and_plan_share,
          test_deadline_and_states)
