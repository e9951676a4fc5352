/* test_clock.c — the one clock: system time in China, GUATU_TODAY and
 * GUATU_NOW pins, bad pins ignored. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../../src/calendar.h"
#include "../../src/clock.h"
#include "unit.h"

static int32_t day_of(const char *s) {
  int32_t d = 0;
  date_parse(s, &d);
  return d;
}

static void test_unpinned(void) {
  unsetenv("GUATU_TODAY");
  unsetenv("GUATU_NOW");
  time_t before = time(NULL);
  int64_t now = clock_now();
  time_t after = time(NULL);
  CHECK(now >= before && now <= after);
  time_t shanghai = before + 8 * 3600;
  struct tm tm;
  CHECK(gmtime_r(&shanghai, &tm) != NULL);
  int32_t want = date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  int32_t today = clock_today();
  /* Allow the date to roll over between the two clock reads. */
  CHECK(today == want || today == want + 1);
}

static void test_today_pinned(void) {
  unsetenv("GUATU_NOW");
  unsetenv("GUATU_CLOCK_START");
  static const char *const days[] = {"2026-11-25", "2026-01-01", "2026-10-03", "2024-02-29", "2026-12-31"};
  for (size_t i = 0; i < sizeof days / sizeof *days; i++) {
    setenv("GUATU_TODAY", days[i], 1);
    CHECK_EQ_INT(clock_today(), day_of(days[i]));
    /* now() lies on the pinned day in China time, whatever the wall clock's hour */
    int64_t china = clock_now() + 8 * 3600;
    CHECK_EQ_INT(china / 86400, day_of(days[i]));
    int64_t ms = clock_now_ms();
    CHECK((ms / 1000 + 8 * 3600) / 86400 == day_of(days[i]));
  }
  setenv("GUATU_TODAY", "2026-02-30", 1); /* not a date: ignored */
  int64_t wall = time(NULL);
  CHECK(clock_now() - wall <= 1 && wall - clock_now() <= 1);
  setenv("GUATU_TODAY", "tomorrow", 1);
  CHECK(clock_now() - wall <= 1 && wall - clock_now() <= 1);
  unsetenv("GUATU_TODAY");
}

static void test_now_pinned(void) {
  setenv("GUATU_TODAY", "2020-01-01", 1);
  setenv("GUATU_NOW", "2026-11-30T23:59:59", 1); /* China time: wins over GUATU_TODAY */
  CHECK_EQ_INT(clock_today(), day_of("2026-11-30"));
  CHECK_EQ_INT(clock_now(), (int64_t)day_of("2026-11-30") * 86400 + 86399 - 8 * 3600);
  CHECK_EQ_INT(clock_now_ms() % 1000, 0);
  setenv("GUATU_NOW", "2026-12-01T00:00:00", 1);
  CHECK_EQ_INT(clock_today(), day_of("2026-12-01"));
  /* 07:59 in China is still the previous day in UTC */
  setenv("GUATU_NOW", "2026-12-01T07:59:00", 1);
  CHECK_EQ_INT(clock_today(), day_of("2026-12-01"));
  CHECK_EQ_INT(clock_now() / 86400, day_of("2026-11-30"));
  static const char *const bad[] = {"2026-12-01 08:00:00", "2026-12-01T24:00:00", "2026-12-01T08:60:00",
                                    "2026-13-01T08:00:00", "2026-12-01T08:00", "2026-12-01T0a:00:00"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    setenv("GUATU_NOW", bad[i], 1);
    CHECK_EQ_INT(clock_today(), day_of("2020-01-01")); /* falls back to GUATU_TODAY */
  }
  unsetenv("GUATU_NOW");
  unsetenv("GUATU_TODAY");
}

/* GUATU_CLOCK_START (the test harnesses): the pinned day reads 08:00 at
 * that instant and runs on with the wall clock, never wrapping to the same
 * day's midnight; past the day's end it stays at its last millisecond. */
static void test_clock_start(void) {
  unsetenv("GUATU_NOW");
  setenv("GUATU_TODAY", "2026-11-18", 1);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  int64_t wall = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  int64_t eight = ((int64_t)day_of("2026-11-18") * 86400 + 8 * 3600 - 8 * 3600) * 1000; /* 08:00 China in UTC ms */
  char buf[32];
  snprintf(buf, sizeof buf, "%lld", (long long)(wall - 90 * 1000)); /* started 90 s ago */
  setenv("GUATU_CLOCK_START", buf, 1);
  int64_t ms = clock_now_ms();
  clock_gettime(CLOCK_REALTIME, &ts);
  int64_t wall_after = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  CHECK(ms - eight >= 90 * 1000 && ms - eight <= 90 * 1000 + (wall_after - wall));
  CHECK_EQ_INT(clock_today(), day_of("2026-11-18"));
  snprintf(buf, sizeof buf, "%lld", (long long)(wall - (int64_t)20 * 3600 * 1000)); /* 20 h ago: past midnight */
  setenv("GUATU_CLOCK_START", buf, 1);
  CHECK_EQ_INT(clock_now_ms(), ((int64_t)day_of("2026-11-18") + 1) * 86400 * 1000 - 8 * 3600 * 1000 - 1);
  CHECK_EQ_INT(clock_today(), day_of("2026-11-18"));
  static const char *const bad[] = {"", "soon", "12x", "-5", "99999999999999999"}; /* ignored: the wall time of day */
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    setenv("GUATU_CLOCK_START", bad[i], 1);
    CHECK_EQ_INT(clock_today(), day_of("2026-11-18"));
    int64_t china_tod = ((clock_now_ms() / 1000 + 8 * 3600) % 86400 + 86400) % 86400;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t wall_tod = ((int64_t)ts.tv_sec + 8 * 3600) % 86400;
    CHECK(china_tod == wall_tod || china_tod + 1 == wall_tod || (wall_tod == 0 && china_tod == 86399));
  }
  unsetenv("GUATU_CLOCK_START");
  unsetenv("GUATU_TODAY");
}

UNIT_MAIN(test_unpinned, test_today_pinned, test_now_pinned, test_clock_start)
