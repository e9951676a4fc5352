/*
 * lights.c — see lights.h.  Integer arithmetic throughout: a light must not
 * flip on a rounding error at exactly 20 points.
 */
#include "lights.h"

#include <string.h>

#include "calendar.h"

const light_cfg light_defaults = {7, 20, 10};

const char *light_name(int light) { return light == LIGHT_RED ? "red" : light == LIGHT_YELLOW ? "yellow" : "green"; }

int light_parse(const char *s) {
  if (!s) return -1;
  if (strcmp(s, "red") == 0) return LIGHT_RED;
  if (strcmp(s, "yellow") == 0) return LIGHT_YELLOW;
  if (strcmp(s, "green") == 0) return LIGHT_GREEN;
  return -1;
}

int32_t node_slip_until(int32_t planned, int done, int32_t actual, int32_t today) {
  if (done) return actual;
  return planned < today ? today : planned;
}

int node_light(int32_t planned, int done, int32_t today, const light_cfg *cfg) {
  if (done) return LIGHT_GREEN;
  if (planned < today) return LIGHT_RED;
  if (planned - today <= cfg->yellow_days) return LIGHT_YELLOW;
  return LIGHT_GREEN;
}

/* lag = months/12 − ytd/plan.  Comparisons are made exactly on the cross-
 * multiplied integers (in 128 bits: plan × 1200 can pass 2^63), so a lag of
 * 20.004 points is "more than 20" and 20.000 is not. */
static int lag_exceeds(int64_t ytd, int64_t plan, int months, int points) {
  if (plan <= 0) return 0;
  __int128 num = (__int128)months * plan - (__int128)12 * ytd;
  return num * 100 > (__int128)points * 12 * plan;
}

int64_t investment_lag_bp(int64_t ytd, int64_t plan, int months) {
  if (plan <= 0) return 0;
  __int128 num = ((__int128)months * plan - (__int128)12 * ytd) * 10000;
  return (int64_t)(num / ((__int128)12 * plan));
}

int project_light(int worst_node, int64_t ytd, int64_t plan, int months, const light_cfg *cfg) {
  if (worst_node == LIGHT_RED || lag_exceeds(ytd, plan, months, cfg->red_lag)) return LIGHT_RED;
  if (worst_node == LIGHT_YELLOW || lag_exceeds(ytd, plan, months, cfg->yellow_lag)) return LIGHT_YELLOW;
  return LIGHT_GREEN;
}

int months_closed(int year, int32_t today) {
  int y, m, d;
  date_to_ymd(today, &y, &m, &d);
  if (year < y) return 12;
  if (year > y) return 0;
  return m - 1;
}

int light_from_columns(const char *next_open, int64_t ytd, int64_t plan, int year, int32_t today, const light_cfg *cfg) {
  int worst = LIGHT_GREEN;
  int32_t due;
  if (next_open && date_parse(next_open, &due) == 0) worst = node_light(due, 0, today, cfg);
  return project_light(worst, ytd, plan, months_closed(year, today), cfg);
}
