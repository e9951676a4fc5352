/*
 * test_calendar.c — unit tests for src/calendar.c and the built-in data in
 * src/calendar_data.c.
 *
 * The heart of it is an independent transcription of the State Council's
 * holiday notices for 2020–2026, written here in a different shape (the
 * notices' own wording: period, "共N天", make-up days with their stated
 * weekday) so that a typo in either copy is caught by the other.  Every
 * single day of those years is checked against it.  Then working-day
 * arithmetic around holidays, brute-force cross-checks, calendar_set, the
 * import format (good and bad files, all-or-nothing), and the shipped
 * data/calendar/2020-2026.txt (path from argv[1], default relative to the
 * repository root).
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "../../src/calendar.h"
#include "unit.h"

/* ---- Helpers ---- */

static int32_t ymd(int y, int m, int d) { return date_from_ymd(y, m, d); }

static int32_t day_of(const char *text) {
  int32_t day = 0;
  if (date_parse(text, &day) != 0) {
    fprintf(stderr, "test bug: bad date literal %s\n", text);
    abort();
  }
  return day;
}

static const char *fmt(int32_t day, char buf[11]) {
  date_format(day, buf);
  return buf;
}

/* A growable text dump of a calendar's overrides, to compare calendars. */
typedef struct dump {
  char *text;
  size_t len, alloc;
} dump;

static int dump_line(int32_t day, int kind, const char *name, void *ctx) {
  dump *d = ctx;
  char date[11];
  date_format(day, date);
  char line[200];
  int n = snprintf(line, sizeof line, "%s %d %s\n", date, kind, name ? name : "(none)");
  if (n < 0) return 1;
  if (d->len + (size_t)n + 1 > d->alloc) {
    size_t alloc = (d->alloc + (size_t)n + 1) * 2;
    char *grown = realloc(d->text, alloc);
    if (grown == NULL) return 1;
    d->text = grown;
    d->alloc = alloc;
  }
  memcpy(d->text + d->len, line, (size_t)n + 1);
  d->len += (size_t)n;
  return 0;
}

/* Caller frees. */
static char *dump_calendar(const calendar *cal) {
  dump d = {NULL, 0, 0};
  dump_line(0, 0, "start", &d); /* so even an empty calendar gives a string */
  calendar_foreach_override(cal, dump_line, &d);
  return d.text;
}

/* ---- The notices, transcribed independently ---- */

typedef struct notice_period {
  int year, first_month, first_day, last_month, last_day; /* last may be in year+1 */
  int stated_days;                                        /* the notice's "共N天" */
  const char *name;
} notice_period;

typedef struct notice_makeup {
  int year, month, day;
  int stated_weekday; /* the notice's "（星期六）" = 6, "（星期日）" = 7 */
  const char *festival;
} notice_makeup;

static const notice_period periods[] = {
    /* 国务院办公厅关于2020年部分节假日安排的通知, plus the extension of the
     * Spring Festival to 2 Feb (国办发明电〔2020〕1号): 7 + 3 days. */
    {2020, 1, 1, 1, 1, 1, "元旦"},
    {2020, 1, 24, 2, 2, 10, "春节"},
    {2020, 4, 4, 4, 6, 3, "清明节"},
    {2020, 5, 1, 5, 5, 5, "劳动节"},
    {2020, 6, 25, 6, 27, 3, "端午节"},
    {2020, 10, 1, 10, 8, 8, "国庆节、中秋节"},
    /* 2021 */
    {2021, 1, 1, 1, 3, 3, "元旦"},
    {2021, 2, 11, 2, 17, 7, "春节"},
    {2021, 4, 3, 4, 5, 3, "清明节"},
    {2021, 5, 1, 5, 5, 5, "劳动节"},
    {2021, 6, 12, 6, 14, 3, "端午节"},
    {2021, 9, 19, 9, 21, 3, "中秋节"},
    {2021, 10, 1, 10, 7, 7, "国庆节"},
    /* 2022 */
    {2022, 1, 1, 1, 3, 3, "元旦"},
    {2022, 1, 31, 2, 6, 7, "春节"},
    {2022, 4, 3, 4, 5, 3, "清明节"},
    {2022, 4, 30, 5, 4, 5, "劳动节"},
    {2022, 6, 3, 6, 5, 3, "端午节"},
    {2022, 9, 10, 9, 12, 3, "中秋节"},
    {2022, 10, 1, 10, 7, 7, "国庆节"},
    /* 2023: 元旦 is 2022-12-31 to 2023-01-02 */
    {2022, 12, 31, 1, 2, 3, "元旦"},
    {2023, 1, 21, 1, 27, 7, "春节"},
    {2023, 4, 5, 4, 5, 1, "清明节"},
    {2023, 4, 29, 5, 3, 5, "劳动节"},
    {2023, 6, 22, 6, 24, 3, "端午节"},
    {2023, 9, 29, 10, 6, 8, "中秋节、国庆节"},
    /* 2024: 元旦 and 端午 "与周末连休" — one day each */
    {2024, 1, 1, 1, 1, 1, "元旦"},
    {2024, 2, 10, 2, 17, 8, "春节"},
    {2024, 4, 4, 4, 6, 3, "清明节"},
    {2024, 5, 1, 5, 5, 5, "劳动节"},
    {2024, 6, 10, 6, 10, 1, "端午节"},
    {2024, 9, 15, 9, 17, 3, "中秋节"},
    {2024, 10, 1, 10, 7, 7, "国庆节"},
    /* 2025 */
    {2025, 1, 1, 1, 1, 1, "元旦"},
    {2025, 1, 28, 2, 4, 8, "春节"},
    {2025, 4, 4, 4, 6, 3, "清明节"},
    {2025, 5, 1, 5, 5, 5, "劳动节"},
    {2025, 5, 31, 6, 2, 3, "端午节"},
    {2025, 10, 1, 10, 8, 8, "国庆节、中秋节"},
    /* 2026 */
    {2026, 1, 1, 1, 3, 3, "元旦"},
    {2026, 2, 15, 2, 23, 9, "春节"},
    {2026, 4, 4, 4, 6, 3, "清明节"},
    {2026, 5, 1, 5, 5, 5, "劳动节"},
    {2026, 6, 19, 6, 21, 3, "端午节"},
    {2026, 9, 25, 9, 27, 3, "中秋节"},
    {2026, 10, 1, 10, 7, 7, "国庆节"},
};

static const notice_makeup makeups[] = {
    /* 2020 (02-01 was cancelled by the extension) */
    {2020, 1, 19, 7, "春节"},
    {2020, 4, 26, 7, "劳动节"},
    {2020, 5, 9, 6, "劳动节"},
    {2020, 6, 28, 7, "端午节"},
    {2020, 9, 27, 7, "国庆节、中秋节"},
    {2020, 10, 10, 6, "国庆节、中秋节"},
    /* 2021 */
    {2021, 2, 7, 7, "春节"},
    {2021, 2, 20, 6, "春节"},
    {2021, 4, 25, 7, "劳动节"},
    {2021, 5, 8, 6, "劳动节"},
    {2021, 9, 18, 6, "中秋节"},
    {2021, 9, 26, 7, "国庆节"},
    {2021, 10, 9, 6, "国庆节"},
    /* 2022 */
    {2022, 1, 29, 6, "春节"},
    {2022, 1, 30, 7, "春节"},
    {2022, 4, 2, 6, "清明节"},
    {2022, 4, 24, 7, "劳动节"},
    {2022, 5, 7, 6, "劳动节"},
    {2022, 10, 8, 6, "国庆节"},
    {2022, 10, 9, 7, "国庆节"},
    /* 2023 */
    {2023, 1, 28, 6, "春节"},
    {2023, 1, 29, 7, "春节"},
    {2023, 4, 23, 7, "劳动节"},
    {2023, 5, 6, 6, "劳动节"},
    {2023, 6, 25, 7, "端午节"},
    {2023, 10, 7, 6, "中秋节、国庆节"},
    {2023, 10, 8, 7, "中秋节、国庆节"},
    /* 2024 */
    {2024, 2, 4, 7, "春节"},
    {2024, 2, 18, 7, "春节"},
    {2024, 4, 7, 7, "清明节"},
    {2024, 4, 28, 7, "劳动节"},
    {2024, 5, 11, 6, "劳动节"},
    {2024, 9, 14, 6, "中秋节"},
    {2024, 9, 29, 7, "国庆节"},
    {2024, 10, 12, 6, "国庆节"},
    /* 2025 */
    {2025, 1, 26, 7, "春节"},
    {2025, 2, 8, 6, "春节"},
    {2025, 4, 27, 7, "劳动节"},
    {2025, 9, 28, 7, "国庆节、中秋节"},
    {2025, 10, 11, 6, "国庆节、中秋节"},
    /* 2026 */
    {2026, 1, 4, 7, "元旦"},
    {2026, 2, 14, 6, "春节"},
    {2026, 2, 28, 6, "春节"},
    {2026, 5, 9, 6, "劳动节"},
    {2026, 9, 20, 7, "国庆节"},
    {2026, 10, 10, 6, "国庆节"},
};

#define SPAN_FIRST_YEAR 2020
#define SPAN_LAST_YEAR 2026

typedef struct expected_day {
  int working;
  char name[CALENDAR_NAME_MAX + 1]; /* "" when none */
} expected_day;

/* Builds the expectation for [first, first + ndays) from the tables above,
 * checking the tables' own consistency (stated counts and weekdays) on the
 * way.  Caller frees. */
static expected_day *build_expectation(int32_t first, int32_t ndays) {
  expected_day *exp = calloc((size_t)ndays, sizeof *exp);
  if (exp == NULL) abort();
  for (int32_t i = 0; i < ndays; i++) exp[i].working = date_weekday(first + i) <= 5;

  for (size_t p = 0; p < sizeof periods / sizeof periods[0]; p++) {
    const notice_period *np = &periods[p];
    int last_year = np->last_month < np->first_month ? np->year + 1 : np->year;
    int32_t a = ymd(np->year, np->first_month, np->first_day);
    int32_t b = ymd(last_year, np->last_month, np->last_day);
    CHECK_ROW(b - a + 1 == np->stated_days, "%d %s: %d days, notice says %d", np->year, np->name,
              (int)(b - a + 1), np->stated_days);
    for (int32_t d = a; d <= b; d++) {
      if (d < first || d >= first + ndays) continue;
      exp[d - first].working = 0;
      snprintf(exp[d - first].name, sizeof exp[d - first].name, "%s", np->name);
    }
  }
  for (size_t k = 0; k < sizeof makeups / sizeof makeups[0]; k++) {
    const notice_makeup *nm = &makeups[k];
    int32_t d = ymd(nm->year, nm->month, nm->day);
    char buf[11];
    CHECK_ROW(date_weekday(d) == nm->stated_weekday, "make-up day %s is weekday %d, notice says %d",
              fmt(d, buf), date_weekday(d), nm->stated_weekday);
    CHECK_ROW(exp[d - first].name[0] == '\0', "make-up day %s lies inside a holiday", fmt(d, buf));
    exp[d - first].working = 1;
    snprintf(exp[d - first].name, sizeof exp[d - first].name, "%s调休上班", nm->festival);
  }
  return exp;
}

/* ---- Dates ---- */

static void test_date_parse(void) {
  static const struct {
    const char *text;
    int y, m, d;
  } good[] = {
      {"1970-01-01", 1970, 1, 1}, {"2022-10-08", 2022, 10, 8}, {"2024-02-29", 2024, 2, 29},
      {"2000-02-29", 2000, 2, 29}, {"1900-01-01", 1900, 1, 1},  {"2200-12-31", 2200, 12, 31},
      {"2026-12-31", 2026, 12, 31}, {"1969-12-31", 1969, 12, 31},
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    int32_t day = 0;
    int rc = date_parse(good[i].text, &day);
    CHECK_ROW(rc == 0 && day == ymd(good[i].y, good[i].m, good[i].d), "date_parse(\"%s\")",
              good[i].text);
    char buf[11];
    CHECK_ROW(strcmp(fmt(day, buf), good[i].text) == 0, "date_format round trip of %s -> %s",
              good[i].text, buf);
  }
  static const char *const bad[] = {
      "",           "2022-1-01",   "2022-01-1",   "22-01-01",    "2022/01/01",  "2022-00-01",
      "2022-13-01", "2022-01-00",  "2022-01-32",  "2022-02-29",  "1900-02-29",  "2100-02-29",
      "2022-04-31", "1899-12-31",  "2201-01-01",  " 2022-01-01", "2022-01-01 ", "2022-01-01x",
      "２０２２-01-01", "2022-01-0a", "+022-01-01",  "2022_01-01",  "2022-01-01\n", "0000-00-00",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int32_t day = 4242;
    CHECK_ROW(date_parse(bad[i], &day) == -1 && day == 4242, "date_parse(\"%s\") should fail",
              bad[i]);
  }
  int32_t day;
  CHECK_EQ_INT(date_parse(NULL, &day), -1);
}

static void test_month_parse(void) {
  int y = 0, m = 0;
  CHECK_EQ_INT(month_parse("2024-02", &y, &m), 0);
  CHECK_EQ_INT(y, 2024);
  CHECK_EQ_INT(m, 2);
  CHECK_EQ_INT(month_parse("1900-01", &y, &m), 0);
  CHECK_EQ_INT(month_parse("2200-12", &y, &m), 0);
  static const char *const bad[] = {"",        "2024-2",  "2024-00", "2024-13", "24-02",
                                    "2024/02", "2024-02-01", "1899-12", "2201-01", "2024-0x",
                                    " 2024-02", "2024-02 ", NULL};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    y = 7;
    m = 7;
    CHECK_ROW(month_parse(bad[i], &y, &m) == -1 && y == 7 && m == 7,
              "month_parse(\"%s\") should fail", bad[i] ? bad[i] : "(null)");
  }
}

static void test_date_arithmetic(void) {
  CHECK_EQ_INT(ymd(1970, 1, 1), 0);
  CHECK_EQ_INT(ymd(1969, 12, 31), -1);
  CHECK_EQ_INT(ymd(2000, 3, 1), 11017);
  CHECK_EQ_INT(date_weekday(0), 4);                   /* Thursday */
  CHECK_EQ_INT(date_weekday(-1), 3);
  CHECK_EQ_INT(date_weekday(day_of("2022-10-08")), 6); /* Saturday */
  CHECK_EQ_INT(date_weekday(day_of("2022-10-09")), 7);
  CHECK_EQ_INT(date_weekday(day_of("2022-10-10")), 1);
  CHECK_EQ_INT(date_weekday(day_of("1900-01-01")), 1);
  CHECK_EQ_INT(date_weekday(INT32_MIN) >= 1 && date_weekday(INT32_MIN) <= 7, 1);
  CHECK_EQ_INT(date_weekday(INT32_MAX) >= 1 && date_weekday(INT32_MAX) <= 7, 1);

  /* Every day 1900..2200 round-trips and days follow one another. */
  int bad = 0;
  int32_t first = ymd(1900, 1, 1), last = ymd(2200, 12, 31);
  int py = 1899, pm = 12, pd = 31;
  for (int32_t day = first; day <= last; day++) {
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    if (ymd(y, m, d) != day) bad++;
    int next_ok = (y == py && m == pm && d == pd + 1) || (y == py && m == pm + 1 && d == 1) ||
                  (y == py + 1 && m == 1 && d == 1 && pm == 12);
    if (!next_ok) bad++;
    if (date_weekday(day) != (date_weekday(day - 1) % 7) + 1) bad++;
    py = y, pm = m, pd = d;
  }
  CHECK_EQ_INT(bad, 0);
  CHECK_EQ_INT(last - first + 1, 301 * 365 + 73); /* leap years: 1904..2196 except 2100 */

  char buf[11];
  CHECK_EQ_STR(fmt(0, buf), "1970-01-01");
  CHECK_EQ_STR(fmt(day_of("2026-12-31"), buf), "2026-12-31");
  CHECK_EQ_STR(fmt(INT32_MAX, buf), "\?\?\?\?-\?\?-\?\?");
  CHECK_EQ_STR(fmt(INT32_MIN, buf), "\?\?\?\?-\?\?-\?\?");
  CHECK_EQ_STR(fmt(ymd(9999, 12, 31), buf), "9999-12-31");
  CHECK_EQ_STR(fmt(ymd(10000, 1, 1), buf), "\?\?\?\?-\?\?-\?\?");
  CHECK_EQ_STR(fmt(ymd(1, 1, 1), buf), "0001-01-01");
}

/* ---- The built-in calendar ---- */

static void test_builtin_every_day(void) {
  calendar *cal = calendar_new_builtin();
  CHECK(cal != NULL);
  if (cal == NULL) return;
  /* From the day before 2020 to the day after 2026: 2022-12-31 (元旦 2023)
   * is inside, and the neighbours must carry no override. */
  int32_t first = ymd(SPAN_FIRST_YEAR, 1, 1) - 1;
  int32_t last = ymd(SPAN_LAST_YEAR, 12, 31) + 1;
  int32_t ndays = last - first + 1;
  expected_day *exp = build_expectation(first, ndays);
  int mismatches = 0, checked = 0, workdays_on_weekends = 0;
  for (int32_t i = 0; i < ndays; i++) {
    int32_t day = first + i;
    int got = calendar_is_working_day(cal, day);
    const char *name = calendar_day_name(cal, day);
    const char *want_name = exp[i].name[0] ? exp[i].name : NULL;
    int name_ok = (name == NULL || want_name == NULL) ? name == want_name
                                                      : strcmp(name, want_name) == 0;
    if (got != exp[i].working || !name_ok) {
      char buf[11];
      mismatches++;
      fprintf(stderr, "%s (weekday %d): working %d want %d, name %s want %s\n", fmt(day, buf),
              date_weekday(day), got, exp[i].working, name ? name : "NULL",
              want_name ? want_name : "NULL");
    }
    checked++;
    if (got && date_weekday(day) >= 6) workdays_on_weekends++;
  }
  CHECK_EQ_INT(mismatches, 0);
  CHECK_EQ_INT(checked, 2557 + 2);
  CHECK_EQ_INT(workdays_on_weekends, (int)(sizeof makeups / sizeof makeups[0]));

  /* Working days per year, counted two ways. */
  for (int y = SPAN_FIRST_YEAR; y <= SPAN_LAST_YEAR; y++) {
    int32_t a = ymd(y, 1, 1), b = ymd(y, 12, 31);
    int want = 0;
    for (int32_t d = a; d <= b; d++) want += exp[d - first].working;
    CHECK_ROW(calendar_working_days_between(cal, a - 1, b) == want, "working days in %d: %d vs %d",
              y, calendar_working_days_between(cal, a - 1, b), want);
  }
  free(exp);

  /* Spot checks a reader can verify against the notices directly. */
  CHECK_EQ_INT(calendar_is_working_day(cal, day_of("2022-10-08")), 1); /* Saturday, worked */
  CHECK_EQ_INT(calendar_is_working_day(cal, day_of("2022-10-07")), 0); /* Friday, 国庆 */
  CHECK_EQ_STR(calendar_day_name(cal, day_of("2022-10-03")), "国庆节");
  CHECK_EQ_STR(calendar_day_name(cal, day_of("2022-10-08")), "国庆节调休上班");
  CHECK_EQ_INT(calendar_is_working_day(cal, day_of("2024-02-09")), 1); /* 除夕 2024: worked */
  CHECK_EQ_INT(calendar_is_working_day(cal, day_of("2020-01-31")), 0); /* extension */
  CHECK_EQ_INT(calendar_is_working_day(cal, day_of("2020-02-01")), 0); /* make-up cancelled */
  CHECK_EQ_INT(calendar_is_working_day(cal, day_of("2020-02-03")), 1);
  CHECK_EQ_INT(calendar_is_working_day(cal, day_of("2026-01-04")), 1); /* Sunday, worked */
  CHECK_EQ_STR(calendar_day_name(cal, day_of("2022-12-31")), "元旦");
  CHECK_EQ_STR(calendar_day_name(cal, day_of("2022-10-10")), NULL);
  CHECK_EQ_INT(calendar_is_working_day(cal, day_of("2027-01-01")), 1); /* no data yet: a Friday */
  CHECK_EQ_INT(calendar_is_working_day(NULL, day_of("2022-10-03")), 1); /* plain week */
  calendar_free(cal);
}

/* The table in calendar_data.c is well formed: dates parse, periods are
 * ordered, kinds and names are sensible. */
static void test_builtin_table(void) {
  CHECK(calendar_builtin_period_count > 0);
  int32_t previous_last = INT32_MIN;
  for (size_t i = 0; i < calendar_builtin_period_count; i++) {
    const calendar_period *p = &calendar_builtin_periods[i];
    int32_t a = 0, b = 0;
    CHECK_ROW(date_parse(p->first, &a) == 0 && date_parse(p->last, &b) == 0 && a <= b,
              "row %zu: %s..%s", i, p->first, p->last);
    CHECK_ROW(a > previous_last, "row %zu (%s) overlaps or is out of order", i, p->first);
    CHECK_ROW(p->kind == CAL_HOLIDAY || p->kind == CAL_WORKDAY, "row %zu kind %d", i, p->kind);
    CHECK_ROW(p->name != NULL && p->name[0] != '\0', "row %zu has no name", i);
    if (p->kind == CAL_WORKDAY)
      for (int32_t d = a; d <= b; d++)
        CHECK_ROW(date_weekday(d) >= 6, "row %zu: make-up day %s is not a weekend", i, p->first);
    previous_last = b;
  }
}

/* ---- Working-day arithmetic ---- */

static void test_add_working_days(void) {
  calendar *cal = calendar_new_builtin();
  if (cal == NULL) {
    CHECK(cal != NULL);
    return;
  }
  static const struct {
    const char *from;
    int n;
    const char *want;
  } rows[] = {
      /* 国庆 2022: last working day before is Fri 09-30; 10-08 (Sat) and
       * 10-09 (Sun) were worked. */
      {"2022-09-30", 1, "2022-10-08"},
      {"2022-09-30", 2, "2022-10-09"},
      {"2022-09-30", 3, "2022-10-10"},
      {"2022-09-30", 0, "2022-09-30"},
      {"2022-10-03", 0, "2022-10-03"}, /* n = 0 is the day itself, even a holiday */
      {"2022-10-03", 1, "2022-10-08"},
      {"2022-10-08", -1, "2022-09-30"},
      {"2022-10-10", -1, "2022-10-09"},
      {"2022-10-10", -2, "2022-10-08"},
      {"2022-10-10", -3, "2022-09-30"},
      {"2022-10-05", -1, "2022-09-30"},
      {"2022-09-29", 1, "2022-09-30"},
      /* 2020 Spring Festival with its extension: back to work Mon 02-03. */
      {"2020-01-23", 1, "2020-02-03"},
      {"2020-01-18", 1, "2020-01-19"}, /* Sat -> the make-up Sunday */
      /* 2024: 除夕 02-09 is a working Friday; 02-18 (Sun) is worked. */
      {"2024-02-08", 1, "2024-02-09"},
      {"2024-02-08", 2, "2024-02-18"},
      {"2024-02-08", 3, "2024-02-19"},
      {"2024-02-18", -1, "2024-02-09"},
      /* 2026 Spring Festival: Sat 02-14 worked, then 02-15..02-23 off. */
      {"2026-02-13", 1, "2026-02-14"},
      {"2026-02-13", 2, "2026-02-24"},
      {"2026-02-24", -2, "2026-02-13"},
      /* Across New Year 2026: 01-01..01-03 off, Sun 01-04 worked. */
      {"2025-12-31", 1, "2026-01-04"},
      {"2025-12-31", 2, "2026-01-05"},
      {"2026-01-04", -1, "2025-12-31"},
      /* A plain stretch: Fri + 5 working days = next Fri. */
      {"2023-03-03", 5, "2023-03-10"},
      {"2023-03-04", 1, "2023-03-06"},
      {"2023-03-06", -1, "2023-03-03"},
      /* After the last built-in year: arithmetic weeks. */
      {"2030-01-07", 5, "2030-01-14"},
      {"2030-01-07", 10, "2030-01-21"},
      {"2030-01-05", 6, "2030-01-14"},
      {"2030-01-07", -5, "2029-12-31"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    char got[11];
    fmt(calendar_add_working_days(cal, day_of(rows[i].from), rows[i].n), got);
    CHECK_ROW(strcmp(got, rows[i].want) == 0, "%s %+d working days = %s, want %s", rows[i].from,
              rows[i].n, got, rows[i].want);
  }

  /* Against brute force, from every day 2019-12-01..2027-01-31 and n up to
   * ±60, plus a handful of long jumps that take the fast path. */
  int bad = 0;
  int32_t first = ymd(2019, 12, 1), last = ymd(2027, 1, 31);
  for (int32_t from = first; from <= last; from++) {
    for (int n = -60; n <= 60; n += (from % 3 == 0) ? 1 : 13) {
      int32_t want = from;
      int left = n < 0 ? -n : n;
      while (left > 0) {
        want += n > 0 ? 1 : -1;
        if (calendar_is_working_day(cal, want)) left--;
      }
      if (calendar_add_working_days(cal, from, n) != want) {
        if (bad++ < 5) fprintf(stderr, "add_working_days(%d, %d) mismatch\n", (int)from, n);
      }
    }
  }
  static const int long_n[] = {1000, 2500, 2501, 5003, -1000, -2502, -5003, 40000, -40000};
  static const char *const long_from[] = {"1990-05-17", "2019-06-30", "2023-10-06", "2026-12-31",
                                          "2031-02-28", "2150-03-01"};
  for (size_t f = 0; f < sizeof long_from / sizeof long_from[0]; f++) {
    for (size_t k = 0; k < sizeof long_n / sizeof long_n[0]; k++) {
      int32_t from = day_of(long_from[f]), want = from;
      int n = long_n[k], left = n < 0 ? -n : n;
      while (left > 0) {
        want += n > 0 ? 1 : -1;
        if (calendar_is_working_day(cal, want)) left--;
      }
      CHECK_ROW(calendar_add_working_days(cal, from, n) == want, "%s %+d (long jump)",
                long_from[f], n);
    }
  }
  CHECK_EQ_INT(bad, 0);

  /* Saturation instead of overflow. */
  CHECK_EQ_INT(calendar_add_working_days(cal, INT32_MAX - 3, 10), INT32_MAX);
  CHECK_EQ_INT(calendar_add_working_days(cal, INT32_MIN + 3, -10), INT32_MIN);
  CHECK_EQ_INT(calendar_add_working_days(cal, 0, INT_MAX), INT32_MAX);
  CHECK_EQ_INT(calendar_add_working_days(cal, 0, INT_MIN), INT32_MIN);
  int32_t big = calendar_add_working_days(cal, 0, 1000000000); /* 1.4e9 days: still in range */
  CHECK_EQ_INT(calendar_working_days_between(cal, 0, big), 1000000000);
  CHECK_EQ_INT(calendar_add_working_days(NULL, day_of("2022-09-30"), 1), day_of("2022-10-03"));
  calendar_free(cal);
}

static void test_working_days_between(void) {
  calendar *cal = calendar_new_builtin();
  if (cal == NULL) {
    CHECK(cal != NULL);
    return;
  }
  static const struct {
    const char *from, *to;
    int want;
  } rows[] = {
      {"2022-09-30", "2022-10-08", 1},  {"2022-09-30", "2022-10-07", 0},
      {"2022-09-30", "2022-10-09", 2},  {"2022-09-30", "2022-10-10", 3},
      {"2022-10-08", "2022-09-30", -1}, {"2022-10-10", "2022-09-30", -3},
      {"2022-09-29", "2022-09-30", 1},  {"2022-09-30", "2022-09-30", 0},
      {"2022-10-03", "2022-10-03", 0},  {"2023-03-03", "2023-03-10", 5},
      {"2023-03-04", "2023-03-05", 0},  {"2020-01-23", "2020-02-03", 1},
      {"2024-02-08", "2024-02-18", 2},  {"2025-12-31", "2026-01-04", 1},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    int got = calendar_working_days_between(cal, day_of(rows[i].from), day_of(rows[i].to));
    CHECK_ROW(got == rows[i].want, "between(%s, %s) = %d want %d", rows[i].from, rows[i].to, got,
              rows[i].want);
  }

  /* Brute force over windows in and around the built-in years. */
  int bad = 0;
  int32_t first = ymd(2019, 11, 1), last = ymd(2027, 3, 1);
  for (int32_t from = first; from <= last; from += 5) {
    int count = 0;
    for (int32_t to = from; to <= from + 400; to++) {
      if (to > from && calendar_is_working_day(cal, to)) count++;
      if (calendar_working_days_between(cal, from, to) != count) bad++;
      if (calendar_working_days_between(cal, to, from) != -count) bad++;
    }
  }
  CHECK_EQ_INT(bad, 0);

  /* Inverse of add_working_days for n >= 0. */
  bad = 0;
  for (int32_t from = first; from <= last; from += 3)
    for (int n = 0; n <= 300; n += 7)
      if (calendar_working_days_between(cal, from, calendar_add_working_days(cal, from, n)) != n)
        bad++;
  CHECK_EQ_INT(bad, 0);

  /* Long spans are computed, not stepped: 1900..2200 against a count. */
  int32_t a = ymd(1900, 1, 1), b = ymd(2200, 12, 31);
  int want = 0;
  for (int32_t d = a + 1; d <= b; d++) want += calendar_is_working_day(cal, d);
  CHECK_EQ_INT(calendar_working_days_between(cal, a, b), want);
  CHECK_EQ_INT(calendar_working_days_between(cal, b, a), -want);
  /* An empty week: exactly 5 per 7 days. */
  CHECK_EQ_INT(calendar_working_days_between(NULL, ymd(2030, 1, 6), ymd(2030, 1, 13)), 5);
  CHECK_EQ_INT(calendar_working_days_between(cal, INT32_MIN, INT32_MAX), INT_MAX);
  CHECK_EQ_INT(calendar_working_days_between(cal, INT32_MAX, INT32_MIN), INT_MIN);
  calendar_free(cal);
}

/* ---- Changing a calendar ---- */

static int count_overrides(int32_t day, int kind, const char *name, void *ctx) {
  (void)day, (void)kind, (void)name;
  ++*(int *)ctx;
  return 0;
}

static int stop_at_third(int32_t day, int kind, const char *name, void *ctx) {
  (void)kind, (void)name;
  int32_t *seen = ctx;
  CHECK(seen[0] == 0 || day > seen[1]); /* ascending */
  seen[0]++;
  seen[1] = day;
  return seen[0] == 3 ? 42 : 0;
}

static void test_set_and_foreach(void) {
  calendar *cal = calendar_new();
  CHECK(cal != NULL);
  if (cal == NULL) return;
  int32_t monday = day_of("2030-01-07"), saturday = day_of("2030-01-12");
  CHECK_EQ_INT(calendar_is_working_day(cal, monday), 1);
  CHECK_EQ_INT(calendar_is_working_day(cal, saturday), 0);

  CHECK_EQ_INT(calendar_set(cal, monday, CAL_HOLIDAY, "测试假日"), 0);
  CHECK_EQ_INT(calendar_is_working_day(cal, monday), 0);
  CHECK_EQ_STR(calendar_day_name(cal, monday), "测试假日");
  CHECK_EQ_INT(calendar_set(cal, saturday, CAL_WORKDAY, NULL), 0);
  CHECK_EQ_INT(calendar_is_working_day(cal, saturday), 1);
  CHECK_EQ_STR(calendar_day_name(cal, saturday), NULL);
  CHECK_EQ_INT(calendar_set(cal, saturday, CAL_WORKDAY, ""), 0);
  CHECK_EQ_STR(calendar_day_name(cal, saturday), NULL);

  /* Replacing keeps one override per day. */
  CHECK_EQ_INT(calendar_set(cal, monday, CAL_WORKDAY, "改为上班"), 0);
  CHECK_EQ_INT(calendar_is_working_day(cal, monday), 1);
  CHECK_EQ_STR(calendar_day_name(cal, monday), "改为上班");
  int n = 0;
  calendar_foreach_override(cal, count_overrides, &n);
  CHECK_EQ_INT(n, 2);

  /* Refused changes leave the day as it was. */
  CHECK_EQ_INT(calendar_set(cal, monday, 7, "x"), -1);
  CHECK_EQ_INT(calendar_set(cal, monday, CAL_HOLIDAY, "bad\xff"), -1);
  CHECK_EQ_INT(calendar_set(cal, monday, CAL_HOLIDAY, "tab\there"), -1);
  CHECK_EQ_INT(calendar_set(cal, monday, CAL_HOLIDAY, "\xed\xa0\x80"), -1);  /* surrogate */
  CHECK_EQ_INT(calendar_set(cal, monday, CAL_HOLIDAY, "\xc0\xaf"), -1);      /* overlong */
  CHECK_EQ_INT(calendar_set(cal, monday, CAL_HOLIDAY, "\xe5\x9b"), -1);      /* truncated */
  char long_name[CALENDAR_NAME_MAX + 2];
  memset(long_name, 'a', sizeof long_name - 1);
  long_name[sizeof long_name - 1] = '\0';
  CHECK_EQ_INT(calendar_set(cal, monday, CAL_HOLIDAY, long_name), -1);
  long_name[CALENDAR_NAME_MAX] = '\0';
  CHECK_EQ_INT(calendar_set(cal, day_of("2030-01-08"), CAL_HOLIDAY, long_name), 0);
  CHECK_EQ_STR(calendar_day_name(cal, monday), "改为上班");
  CHECK_EQ_INT(calendar_is_working_day(cal, monday), 1);
  CHECK_EQ_INT(calendar_set(NULL, monday, CAL_HOLIDAY, NULL), -1);

  /* CAL_NORMAL removes; removing twice is fine. */
  CHECK_EQ_INT(calendar_set(cal, monday, CAL_NORMAL, NULL), 0);
  CHECK_EQ_INT(calendar_set(cal, monday, CAL_NORMAL, "ignored"), 0);
  CHECK_EQ_STR(calendar_day_name(cal, monday), NULL);
  n = 0;
  calendar_foreach_override(cal, count_overrides, &n);
  CHECK_EQ_INT(n, 2);

  /* Insertion out of order still lists in day order; fn can stop early. */
  for (int i = 40; i >= 0; i -= 4)
    CHECK_EQ_INT(calendar_set(cal, day_of("2031-03-02") + i, CAL_HOLIDAY, "h"), 0);
  int32_t seen[2] = {0, 0};
  CHECK_EQ_INT(calendar_foreach_override(cal, stop_at_third, seen), 42);
  CHECK_EQ_INT(seen[0], 3);
  CHECK_EQ_INT(calendar_foreach_override(cal, NULL, NULL), 0);
  calendar_free(cal);
  calendar_free(NULL);

  /* Many overrides: growth beyond the first allocation. */
  cal = calendar_new();
  if (cal == NULL) return;
  int ok = 1;
  for (int i = 0; i < 3000; i++) ok &= calendar_set(cal, (i * 7919) % 3001, CAL_HOLIDAY, "x") == 0;
  CHECK(ok);
  n = 0;
  calendar_foreach_override(cal, count_overrides, &n);
  CHECK_EQ_INT(n, 3000);
  calendar_free(cal);
}

/* ---- Import ---- */

static void test_load_good(void) {
  calendar *cal = calendar_new_builtin();
  if (cal == NULL) {
    CHECK(cal != NULL);
    return;
  }
  const char *text =
      "# 2027 — sample\r\n"
      "\n"
      "   # indented comment\n"
      "2027-02-05\tholiday\t春节\r\n"
      "2027-02-06 workday  春节调休上班  \n"
      "2027-10-01 holiday National Day (test)\n"
      "2022-10-08 normal\n"
      "2022-10-10 holiday 临时假日\n"
      "2027-03-01 holiday\n"
      "   \t  \n"
      "2027-03-02 normal some ignored name\n"
      "2027-03-03 workday"; /* no final newline */
  char err[128] = "untouched";
  CHECK_EQ_INT(calendar_load_text(cal, text, err, sizeof err), 0);
  CHECK_EQ_STR(err, "");
  CHECK_EQ_INT(calendar_is_working_day(cal, day_of("2027-02-05")), 0);
  CHECK_EQ_STR(calendar_day_name(cal, day_of("2027-02-05")), "春节");
  CHECK_EQ_INT(calendar_is_working_day(cal, day_of("2027-02-06")), 1);
  CHECK_EQ_STR(calendar_day_name(cal, day_of("2027-02-06")), "春节调休上班");
  CHECK_EQ_STR(calendar_day_name(cal, day_of("2027-10-01")), "National Day (test)");
  CHECK_EQ_INT(calendar_is_working_day(cal, day_of("2022-10-08")), 0); /* back to a Saturday */
  CHECK_EQ_STR(calendar_day_name(cal, day_of("2022-10-08")), NULL);
  CHECK_EQ_INT(calendar_is_working_day(cal, day_of("2022-10-10")), 0);
  CHECK_EQ_INT(calendar_is_working_day(cal, day_of("2027-03-01")), 0);
  CHECK_EQ_STR(calendar_day_name(cal, day_of("2027-03-01")), NULL);
  CHECK_EQ_STR(calendar_day_name(cal, day_of("2027-03-02")), NULL);
  CHECK_EQ_INT(calendar_is_working_day(cal, day_of("2027-03-03")), 1);
  /* Untouched built-in data survives an import. */
  CHECK_EQ_STR(calendar_day_name(cal, day_of("2022-10-09")), "国庆节调休上班");

  /* Empty text and comment-only text change nothing. */
  char *before = dump_calendar(cal);
  CHECK_EQ_INT(calendar_load_text(cal, "", err, sizeof err), 0);
  CHECK_EQ_INT(calendar_load_text(cal, "# nothing\n\n", NULL, 0), 0);
  char *after = dump_calendar(cal);
  CHECK_EQ_STR(after, before);
  free(before);
  free(after);
  calendar_free(cal);
}

static void test_load_bad(void) {
  static const struct {
    const char *text;
    const char *err_prefix;
  } rows[] = {
      {"2027-02-05 holiday 春节\n2027-13-01 holiday x\n", "line 2: bad date"},
      {"2027-02-29 holiday x\n", "line 1: bad date"},
      {"27-02-05 holiday x\n", "line 1: bad date"},
      {"2027/02/05 holiday x\n", "line 1: bad date"},
      {"2027-02-05-extra holiday\n", "line 1: bad date"},
      {"2027-02-05\n", "line 1: missing kind"},
      {"2027-02-05   \n", "line 1: missing kind"},
      {"# c\n\n2027-02-05 Holiday x\n", "line 3: unknown kind"},
      {"2027-02-05 off\n", "line 1: unknown kind"},
      {"2027-02-05 holidays\n", "line 1: unknown kind"},
      {"2027-02-05 holiday a\n2027-02-06 workday b\n2027-02-05 normal\n",
       "line 3: 2027-02-05 is already set on line 1"},
      {"2027-02-05 holiday bad\xff name\n", "line 1: name is not valid UTF-8"},
      {"2027-02-05 holiday bell\a\n", "line 1: name is not valid UTF-8"},
      {"2027-02-05 holiday "
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaa\n",
       "line 1: name longer than"},
      {"holiday 2027-02-05\n", "line 1: bad date"},
      {"\n\n\n\n2027-02-05 holiday ok\r\nnot a line\r\n", "line 6: bad date"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    calendar *cal = calendar_new_builtin();
    if (cal == NULL) {
      CHECK(cal != NULL);
      return;
    }
    char *before = dump_calendar(cal);
    char err[128] = "";
    int rc = calendar_load_text(cal, rows[i].text, err, sizeof err);
    CHECK_ROW(rc == -1, "row %zu: bad file accepted", i);
    CHECK_ROW(strncmp(err, rows[i].err_prefix, strlen(rows[i].err_prefix)) == 0,
              "row %zu: err \"%s\", want prefix \"%s\"", i, err, rows[i].err_prefix);
    char *after = dump_calendar(cal);
    CHECK_ROW(before && after && strcmp(before, after) == 0, "row %zu: calendar changed", i);
    /* The good lines before the bad one were not applied either. */
    CHECK_ROW(calendar_day_name(cal, day_of("2027-02-05")) == NULL, "row %zu: partial apply", i);
    free(before);
    free(after);
    calendar_free(cal);
  }
  /* A short error buffer is truncated, not overrun; NULL err is allowed. */
  calendar *cal = calendar_new();
  if (cal == NULL) return;
  char tiny[8];
  CHECK_EQ_INT(calendar_load_text(cal, "x\n", tiny, sizeof tiny), -1);
  CHECK_EQ_STR(tiny, "line 1:");
  CHECK_EQ_INT(calendar_load_text(cal, "x\n", NULL, 0), -1);
  CHECK_EQ_INT(calendar_load_text(cal, NULL, tiny, sizeof tiny), -1);
  CHECK_EQ_INT(calendar_load_text(NULL, "", tiny, sizeof tiny), -1);
  calendar_free(cal);
}

/* data/calendar/2020-2026.txt is the built-in data in the import format:
 * loading it into an empty calendar gives exactly the built-in calendar. */
static void test_shipped_file(void) {
  const char *path = unit_argc > 1 ? unit_argv[1] : "data/calendar/2020-2026.txt";
  FILE *f = fopen(path, "rb");
  CHECK_ROW(f != NULL, "cannot open %s (run from the repository root or pass the path)", path);
  if (f == NULL) return;
  char *text = NULL;
  size_t len = 0, alloc = 0;
  char chunk[4096];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (len + got + 1 > alloc) {
      alloc = (len + got + 1) * 2;
      char *grown = realloc(text, alloc);
      if (grown == NULL) abort();
      text = grown;
    }
    memcpy(text + len, chunk, got);
    len += got;
  }
  fclose(f);
  if (text == NULL) {
    CHECK(text != NULL);
    return;
  }
  text[len] = '\0';

  calendar *from_file = calendar_new();
  calendar *builtin = calendar_new_builtin();
  if (from_file == NULL || builtin == NULL) abort();
  char err[128] = "";
  CHECK_EQ_INT(calendar_load_text(from_file, text, err, sizeof err), 0);
  CHECK_EQ_STR(err, "");
  char *a = dump_calendar(from_file), *b = dump_calendar(builtin);
  CHECK(a && b && strcmp(a, b) == 0);
  free(a);
  free(b);
  free(text);
  calendar_free(from_file);
  calendar_free(builtin);
}

UNIT_MAIN(test_date_parse, test_month_parse, test_date_arithmetic,
          test_builtin_table, test_builtin_every_day, test_add_working_days,
          test_working_days_between, test_set_and_foreach, test_load_good, test_load_bad,
          test_shipped_file)
