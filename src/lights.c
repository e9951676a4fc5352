/*
 * lights.c — see lights.h.  Integer arithmetic throughout: a light must not
 * flip on a rounding error at exactly 20 points.
 */
#include "lights.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"

const light_cfg light_defaults = {7, 20, 10};

static int setting_int(db *d, const char *key, int dflt) {
  db_stmt *st = db_query(d, "SELECT value FROM settings WHERE key = ?", DBT(key));
  int v = dflt;
  if (st && db_step(st) == DB_ROW) {
    char *end;
    long x = strtol(db_text(st, 0), &end, 10);
    if (!*end && x >= 0 && x <= 1000) v = (int)x;
  }
  db_done(st);
  return v;
}

void lights_config_load(db *d, light_cfg *cfg) {
  cfg->yellow_days = setting_int(d, "light.yellow_days", light_defaults.yellow_days);
  cfg->red_lag = setting_int(d, "light.red_lag", light_defaults.red_lag);
  cfg->yellow_lag = setting_int(d, "light.yellow_lag", light_defaults.yellow_lag);
}

int lights_config_save(db *d, const light_cfg *cfg) {
  static const char *const sql =
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
  char buf[3][16];
  snprintf(buf[0], sizeof buf[0], "%d", cfg->yellow_days);
  snprintf(buf[1], sizeof buf[1], "%d", cfg->red_lag);
  snprintf(buf[2], sizeof buf[2], "%d", cfg->yellow_lag);
  int rc = db_exec(d, sql, DBT("light.yellow_days"), DBT(buf[0]));
  if (rc == DB_OK) rc = db_exec(d, sql, DBT("light.red_lag"), DBT(buf[1]));
  if (rc == DB_OK) rc = db_exec(d, sql, DBT("light.yellow_lag"), DBT(buf[2]));
  return rc;
}

const char *light_name(int light) { return light == LIGHT_RED ? "red" : light == LIGHT_YELLOW ? "yellow" : "green"; }

int light_parse(const char *s) {
  if (!s) return -1;
  if (strcmp(s, "red") == 0) return LIGHT_RED;
  if (strcmp(s, "yellow") == 0) return LIGHT_YELLOW;
  if (strcmp(s, "green") == 0) return LIGHT_GREEN;
  return -1;
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
