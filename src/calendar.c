/*
 * calendar.c — civil-date arithmetic and the working-day calendar.
 *
 * A calendar is a sorted array of overrides (holidays and make-up working
 * days) on top of the Monday–Friday week.  Lookups are binary searches;
 * counting working days over long spans is done arithmetically for the
 * plain weeks and corrected by the overrides inside the span, so neither
 * cost grows with the length of the span.  See calendar.h for the API.
 */
#include "calendar.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2200

/* ---- Dates ---- */

/* Floor division: C's '/' truncates toward zero, which is wrong for the
 * days before 1970. */
static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

/* Howard Hinnant's days_from_civil, in int64 so no input can overflow. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = floor_div(y, 400);
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Reads exactly `width` ASCII digits; -1 if any is not a digit. */
static int fixed_digits(const char *s, int width) {
  int v = 0;
  for (int i = 0; i < width; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int month_parse(const char *s, int *y, int *m) {
  if (s == NULL || strlen(s) != 7 || s[4] != '-') return -1;
  int year = fixed_digits(s, 4), month = fixed_digits(s + 5, 2);
  if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR || month < 1 || month > 12) return -1;
  *y = year;
  *m = month;
  return 0;
}

int date_parse(const char *s, int32_t *day) {
  if (s == NULL || strlen(s) != 10 || s[7] != '-') return -1;
  char month_part[8];
  memcpy(month_part, s, 7);
  month_part[7] = '\0';
  int y, m;
  if (month_parse(month_part, &y, &m) != 0) return -1;
  int d = fixed_digits(s + 8, 2);
  if (d < 1 || d > days_in_month(y, m)) return -1;
  *day = (int32_t)days_from_civil(y, m, d);
  return 0;
}

int32_t date_from_ymd(int y, int m, int d) { return (int32_t)days_from_civil(y, m, d); }

void date_to_ymd(int32_t day, int *y, int *m, int *d) {
  int64_t year;
  civil_from_days(day, &year, m, d);
  *y = (int)year;
}

void date_format(int32_t day, char buf[11]) {
  int64_t y;
  int m, d;
  civil_from_days(day, &y, &m, &d);
  if (y < 0 || y > 9999) {
    /* Escaped: with -std=c17 "??-" would be a trigraph. */
    memcpy(buf, "\?\?\?\?-\?\?-\?\?", 11);
    return;
  }
  snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

int date_weekday(int32_t day) {
  /* 1970-01-01 (day 0) was a Thursday, ISO weekday 4. */
  return (int)(((int64_t)day % 7 + 7 + 3) % 7) + 1;
}

/* ---- Calendar ---- */

typedef struct override {
  int32_t day;
  int kind;
  char *name; /* NULL when none */
} override;

struct calendar {
  override *items; /* sorted by day, at most one per day */
  size_t count, alloc;
};

static int is_weekday(int32_t day) { return date_weekday(day) <= 5; }

/* Index of the first of `count` items (each `size` bytes, sorted by the
 * int32_t day at `offset` in them) with day >= `day` (count if none). */
static size_t day_lower_bound(const void *items, size_t count, size_t size, size_t offset, int64_t day) {
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int32_t d;
    memcpy(&d, (const char *)items + mid * size + offset, sizeof d);
    if (d < day)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Index of the first override with day >= `day` (count if none). */
static size_t lower_bound(const calendar *cal, int64_t day) {
  return day_lower_bound(cal->items, cal->count, sizeof *cal->items, offsetof(override, day), day);
}

static const override *find_override(const calendar *cal, int32_t day) {
  size_t i = lower_bound(cal, day);
  return i < cal->count && cal->items[i].day == day ? &cal->items[i] : NULL;
}

/* Names end up in JSON, HTML and export files, so only well-formed UTF-8
 * without control characters is stored. */
static int name_is_valid(const char *name) {
  size_t len = strlen(name);
  if (len > CALENDAR_NAME_MAX) return 0;
  const unsigned char *p = (const unsigned char *)name;
  while (*p) {
    unsigned c = *p;
    size_t extra;
    unsigned min;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return 0;
      p++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      extra = 1, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3, min = 0x10000;
    } else {
      return 0;
    }
    unsigned cp = c & (0x3fu >> extra);
    for (size_t i = 1; i <= extra; i++) {
      if ((p[i] & 0xc0) != 0x80) return 0; /* also stops at the NUL */
      cp = (cp << 6) | (p[i] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    if (cp >= 0x80 && cp < 0xa0) return 0; /* C1 controls */
    p += extra + 1;
  }
  return 1;
}

static char *copy_string(const char *s) {
  size_t n = strlen(s) + 1;
  char *copy = malloc(n);
  if (copy) memcpy(copy, s, n);
  return copy;
}

calendar *calendar_new(void) { return calloc(1, sizeof(calendar)); }

void calendar_free(calendar *cal) {
  if (cal == NULL) return;
  for (size_t i = 0; i < cal->count; i++) free(cal->items[i].name);
  free(cal->items);
  free(cal);
}

int calendar_set(calendar *cal, int32_t day, int kind, const char *name) {
  if (cal == NULL) return -1;
  if (kind != CAL_NORMAL && kind != CAL_HOLIDAY && kind != CAL_WORKDAY) return -1;
  size_t i = lower_bound(cal, day);
  int exists = i < cal->count && cal->items[i].day == day;

  if (kind == CAL_NORMAL) {
    if (exists) {
      free(cal->items[i].name);
      memmove(&cal->items[i], &cal->items[i + 1], (cal->count - i - 1) * sizeof(override));
      cal->count--;
    }
    return 0;
  }

  char *name_copy = NULL;
  if (name != NULL && name[0] != '\0') {
    if (!name_is_valid(name)) return -1;
    name_copy = copy_string(name);
    if (name_copy == NULL) return -1;
  }
  if (exists) {
    free(cal->items[i].name);
    cal->items[i].kind = kind;
    cal->items[i].name = name_copy;
    return 0;
  }
  if (cal->count == cal->alloc) {
    size_t alloc = cal->alloc ? cal->alloc * 2 : 64;
    override *grown = realloc(cal->items, alloc * sizeof(override));
    if (grown == NULL) {
      free(name_copy);
      return -1;
    }
    cal->items = grown;
    cal->alloc = alloc;
  }
  memmove(&cal->items[i + 1], &cal->items[i], (cal->count - i) * sizeof(override));
  cal->items[i] = (override){day, kind, name_copy};
  cal->count++;
  return 0;
}

calendar *calendar_new_builtin(void) {
  calendar *cal = calendar_new();
  if (cal == NULL) return NULL;
  for (size_t i = 0; i < calendar_builtin_period_count; i++) {
    const calendar_period *p = &calendar_builtin_periods[i];
    int32_t first, last;
    /* The table is checked by the unit tests; a malformed row is a build
     * defect, reported as failure rather than a half-built calendar. */
    if (date_parse(p->first, &first) != 0 || date_parse(p->last, &last) != 0 || last < first) {
      calendar_free(cal);
      return NULL;
    }
    for (int32_t day = first; day <= last; day++) {
      if (calendar_set(cal, day, p->kind, p->name) != 0) {
        calendar_free(cal);
        return NULL;
      }
    }
  }
  return cal;
}

int calendar_is_working_day(const calendar *cal, int32_t day) {
  const override *o = cal ? find_override(cal, day) : NULL;
  if (o != NULL) return o->kind == CAL_WORKDAY;
  return is_weekday(day);
}

const char *calendar_day_name(const calendar *cal, int32_t day) {
  const override *o = cal ? find_override(cal, day) : NULL;
  return o ? o->name : NULL;
}

int32_t calendar_add_working_days(const calendar *cal, int32_t from, int n) {
  if (n == 0) return from;
  int step = n > 0 ? 1 : -1;
  int64_t remaining = n > 0 ? (int64_t)n : -(int64_t)n;
  int64_t day = from;
  size_t count = cal ? cal->count : 0;
  while (remaining > 0) {
    /* Once no override lies ahead, every 7 days hold exactly 5 working
     * days, so whole weeks can be skipped; the last 1..5 are stepped so
     * the answer lands on the right weekday. */
    int clear_ahead = count == 0 || (step > 0 ? day >= cal->items[count - 1].day
                                              : day <= cal->items[0].day);
    if (clear_ahead && remaining > 5) {
      int64_t weeks = (remaining - 1) / 5;
      day += (int64_t)step * 7 * weeks;
      remaining -= 5 * weeks;
      continue;
    }
    day += step;
    if (day > INT32_MAX) return INT32_MAX;
    if (day < INT32_MIN) return INT32_MIN;
    if (calendar_is_working_day(cal, (int32_t)day)) remaining--;
  }
  if (day > INT32_MAX) return INT32_MAX;
  if (day < INT32_MIN) return INT32_MIN;
  return (int32_t)day;
}

/* Number of Monday–Friday days d <= day, counted from a fixed Monday; only
 * differences of this are meaningful. */
static int64_t weekdays_through(int64_t day) {
  int64_t s = day + 3; /* s % 7 == 0 on Mondays, since day 0 is a Thursday */
  int64_t week = floor_div(s, 7);
  int64_t in_week = s - week * 7; /* 0 = Monday .. 6 = Sunday */
  return week * 5 + (in_week < 5 ? in_week + 1 : 5);
}

int calendar_working_days_between(const calendar *cal, int32_t from, int32_t to) {
  int sign = 1;
  int32_t lo = from, hi = to;
  if (to < from) {
    sign = -1;
    lo = to;
    hi = from;
  }
  int64_t total = weekdays_through(hi) - weekdays_through(lo);
  if (cal != NULL) {
    /* Only overrides that flip a day's plain status change the count. */
    for (size_t i = lower_bound(cal, (int64_t)lo + 1); i < cal->count && cal->items[i].day <= hi;
         i++) {
      int plain_working = is_weekday(cal->items[i].day);
      if (cal->items[i].kind == CAL_HOLIDAY && plain_working) total--;
      if (cal->items[i].kind == CAL_WORKDAY && !plain_working) total++;
    }
  }
  total *= sign;
  if (total > INT_MAX) return INT_MAX;
  if (total < INT_MIN) return INT_MIN;
  return (int)total;
}

int calendar_foreach_override(const calendar *cal,
                              int (*fn)(int32_t day, int kind, const char *name, void *ctx),
                              void *ctx) {
  if (cal == NULL || fn == NULL) return 0;
  for (size_t i = 0; i < cal->count; i++) {
    int rc = fn(cal->items[i].day, cal->items[i].kind, cal->items[i].name, ctx);
    if (rc != 0) return rc;
  }
  return 0;
}

/* ---- Import ---- */

/* A deep copy, so a failed import can be thrown away without touching the
 * original. */
static calendar *calendar_clone(const calendar *cal) {
  calendar *copy = calendar_new();
  if (copy == NULL) return NULL;
  if (cal->count > 0) {
    copy->items = malloc(cal->count * sizeof(override));
    if (copy->items == NULL) {
      free(copy);
      return NULL;
    }
    copy->alloc = cal->count;
  }
  for (size_t i = 0; i < cal->count; i++) {
    copy->items[i] = cal->items[i];
    if (cal->items[i].name != NULL) {
      copy->items[i].name = copy_string(cal->items[i].name);
      if (copy->items[i].name == NULL) {
        copy->count = i;
        calendar_free(copy);
        return NULL;
      }
    }
    copy->count = i + 1;
  }
  return copy;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Which line of the file set each day, to refuse a day listed twice (most
 * likely a typo in one of the two dates).  Kept sorted by day. */
typedef struct seen_day {
  int32_t day;
  int line;
} seen_day;

typedef struct seen_days {
  seen_day *items;
  size_t count, alloc;
} seen_days;

/* Returns the line that already set `day`, 0 after recording it as set on
 * `line`, or -1 on out-of-memory. */
static int seen_days_add(seen_days *seen, int32_t day, int line) {
  size_t lo = day_lower_bound(seen->items, seen->count, sizeof *seen->items, offsetof(seen_day, day), day);
  if (lo < seen->count && seen->items[lo].day == day) return seen->items[lo].line;
  if (seen->count == seen->alloc) {
    size_t alloc = seen->alloc ? seen->alloc * 2 : 256;
    seen_day *grown = realloc(seen->items, alloc * sizeof(seen_day));
    if (grown == NULL) return -1;
    seen->items = grown;
    seen->alloc = alloc;
  }
  memmove(&seen->items[lo + 1], &seen->items[lo], (seen->count - lo) * sizeof(seen_day));
  seen->items[lo] = (seen_day){day, line};
  seen->count++;
  return 0;
}

/* Parses and applies one line (without its line end) to `cal`.  Returns 0,
 * or -1 with the reason (without the "line N: " prefix) in `why`. */
static int apply_line(calendar *cal, seen_days *seen, int line_no, const char *line, size_t len,
                      char *why, size_t whylen) {
  size_t pos = 0;
  while (pos < len && is_blank(line[pos])) pos++;
  if (pos == len || line[pos] == '#') return 0;

  size_t date_start = pos;
  while (pos < len && !is_blank(line[pos])) pos++;
  size_t date_len = pos - date_start;
  char date_text[16];
  int32_t day;
  if (date_len >= sizeof date_text) {
    snprintf(why, whylen, "bad date \"%.*s...\" (expected YYYY-MM-DD)", 12, line + date_start);
    return -1;
  }
  memcpy(date_text, line + date_start, date_len);
  date_text[date_len] = '\0';
  if (date_parse(date_text, &day) != 0) {
    snprintf(why, whylen, "bad date \"%s\" (expected YYYY-MM-DD, years 1900-2200)", date_text);
    return -1;
  }

  while (pos < len && is_blank(line[pos])) pos++;
  size_t kind_start = pos;
  while (pos < len && !is_blank(line[pos])) pos++;
  size_t kind_len = pos - kind_start;
  static const struct {
    const char *word;
    int kind;
  } kinds[] = {{"holiday", CAL_HOLIDAY}, {"workday", CAL_WORKDAY}, {"normal", CAL_NORMAL}};
  int kind = -1;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (strlen(kinds[i].word) == kind_len && memcmp(line + kind_start, kinds[i].word, kind_len) == 0)
      kind = kinds[i].kind;
  if (kind_len == 0) {
    snprintf(why, whylen, "missing kind after the date (expected holiday, workday or normal)");
    return -1;
  }
  if (kind < 0) {
    snprintf(why, whylen, "unknown kind \"%.*s\" (expected holiday, workday or normal)",
             kind_len > 20 ? 20 : (int)kind_len, line + kind_start);
    return -1;
  }

  while (pos < len && is_blank(line[pos])) pos++;
  size_t name_end = len;
  while (name_end > pos && is_blank(line[name_end - 1])) name_end--;
  size_t name_len = name_end - pos;
  char name[CALENDAR_NAME_MAX + 1];
  if (name_len > CALENDAR_NAME_MAX) {
    snprintf(why, whylen, "name longer than %d bytes", CALENDAR_NAME_MAX);
    return -1;
  }
  memcpy(name, line + pos, name_len);
  name[name_len] = '\0';
  if (!name_is_valid(name)) {
    snprintf(why, whylen, "name is not valid UTF-8 text");
    return -1;
  }

  int earlier = seen_days_add(seen, day, line_no);
  if (earlier > 0) {
    snprintf(why, whylen, "%s is already set on line %d", date_text, earlier);
    return -1;
  }
  if (earlier < 0 || calendar_set(cal, day, kind, name) != 0) {
    snprintf(why, whylen, "out of memory");
    return -1;
  }
  return 0;
}

int calendar_load_text(calendar *cal, const char *text, char *err, size_t errlen) {
  if (err != NULL && errlen > 0) err[0] = '\0';
  if (cal == NULL || text == NULL) {
    if (err != NULL && errlen > 0) snprintf(err, errlen, "line 0: no calendar or no text");
    return -1;
  }
  calendar *work = calendar_clone(cal);
  if (work == NULL) {
    if (err != NULL && errlen > 0) snprintf(err, errlen, "line 0: out of memory");
    return -1;
  }
  seen_days seen = {NULL, 0, 0};
  int line_no = 0, rc = 0;
  const char *p = text;
  while (*p != '\0') {
    line_no++;
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    size_t content_len = len > 0 && p[len - 1] == '\r' ? len - 1 : len;
    char why[160];
    if (apply_line(work, &seen, line_no, p, content_len, why, sizeof why) != 0) {
      if (err != NULL && errlen > 0) snprintf(err, errlen, "line %d: %s", line_no, why);
      rc = -1;
      break;
    }
    p += end ? len + 1 : len;
  }
  free(seen.items);
  if (rc != 0) {
    calendar_free(work);
    return -1;
  }
  /* Swap contents so the caller's pointer stays valid. */
  calendar old = *cal;
  *cal = *work;
  *work = old;
  calendar_free(work);
  return 0;
}
