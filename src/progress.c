/*
 * progress.c — the pure arithmetic of progress reports; see progress.h for
 * the deadline rule.  No database, no clock: callers pass "today".
 */
#include "progress.h"

#include <string.h>

#include "calendar.h"
#include "money.h"
#include "rate.h"

const char *period_state_name(int s) { return s == PERIOD_LATE ? "late" : s == PERIOD_DUE ? "due" : "not_due"; }

static int days_in_month(int y, int m) {
  int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
  return (int)(date_from_ymd(ny, nm, 1) - date_from_ymd(y, m, 1));
}

int32_t progress_month_end(int y, int m) { return date_from_ymd(y, m, days_in_month(y, m)); }

int32_t progress_deadline(int y, int m, int deadline_day) {
  int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
  int dim = days_in_month(ny, nm);
  if (deadline_day < 1) deadline_day = 1;
  if (deadline_day > dim) deadline_day = dim;
  return date_from_ymd(ny, nm, deadline_day);
}

int progress_period_state(int y, int m, int32_t today, int deadline_day) {
  if (today < progress_month_end(y, m)) return PERIOD_NOT_DUE;
  if (today <= progress_deadline(y, m, deadline_day)) return PERIOD_DUE;
  return PERIOD_LATE;
}

int progress_is_late(int y, int m, int32_t day, int deadline_day) { return day > progress_deadline(y, m, deadline_day); }

int progress_is_future(int y, int m, int32_t today) {
  int ty, tm, td;
  date_to_ymd(today, &ty, &tm, &td);
  return y * 12 + m > ty * 12 + tm;
}

int progress_add(progress_year *py, int year, const char *period, int64_t fen) {
  int y, m;
  if (!period || month_parse(period, &y, &m) != 0 || y != year) return 0;
  py->m[m - 1] = money_add(py->m[m - 1], fen);
  return 1;
}

int64_t progress_ytd(const progress_year *py, int upto) {
  int64_t s = 0;
  if (upto > 12) upto = 12;
  for (int i = 0; i < upto; i++) s = money_add(s, py->m[i]);
  return s;
}

int64_t progress_plan_share(int64_t plan, int upto) {
  if (upto <= 0) return 0;
  if (upto >= 12) return plan;
  __int128 num = (__int128)plan * upto;
  __int128 q = num / 12, rem = num % 12;
  if (rem < 0) rem = -rem;
  if (rem * 2 >= 12) q += num < 0 ? -1 : 1;
  return (int64_t)q;
}

void progress_rate(int64_t ytd, int64_t plan, char buf[32]) { rate_format(ytd, plan, buf); }

int progress_growth(int64_t cur, int64_t prev, char buf[32]) {
  if (prev == 0) {
    buf[0] = 0;
    return 0;
  }
  growth_format(cur, prev, buf);
  return 1;
}

void progress_period(int y, int m, char buf[8]) {
  unsigned yy = (unsigned)y % 10000u, mm = (unsigned)m % 100u;
  buf[0] = (char)('0' + yy / 1000), buf[1] = (char)('0' + yy / 100 % 10), buf[2] = (char)('0' + yy / 10 % 10);
  buf[3] = (char)('0' + yy % 10), buf[4] = '-', buf[5] = (char)('0' + mm / 10), buf[6] = (char)('0' + mm % 10), buf[7] = 0;
}

void progress_prev_month(int *y, int *m) {
  if (--*m == 0) {
    *m = 12;
    --*y;
  }
}
