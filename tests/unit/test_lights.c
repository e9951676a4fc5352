/*
 * test_lights.c — the traffic-light rule of src/lights.c at its boundaries
 * (a node due today, in 7 and 8 days, overdue by one; a lag of exactly
 * 20.00 points against 20.01; a zero plan; January, when no month has
 * closed), the same rule under an administrator's thresholds passed in,
 * those thresholds' round trip through the settings table (projects.c),
 * and the working-day layout of node templates (nodes.c) on a real SQLite
 * database, across the National Day holidays.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../src/calendar.h"
#include "../../src/db.h"
#include "../../src/lights.h"
#include "../../src/migrate.h"
#include "../../src/nodes.h"
#include "../../src/projects.h"
#include "unit.h"

static int32_t D(const char *s) {
  int32_t d = 0;
  date_parse(s, &d);
  return d;
}

static void test_node_light(void) {
  light_cfg c = light_defaults;
  int32_t today = D("2026-11-24");
  CHECK_EQ_INT(node_light(today - 1, 0, today, &c), LIGHT_RED);
  CHECK_EQ_INT(node_light(today - 400, 0, today, &c), LIGHT_RED);
  CHECK_EQ_INT(node_light(today, 0, today, &c), LIGHT_YELLOW);
  CHECK_EQ_INT(node_light(today + 7, 0, today, &c), LIGHT_YELLOW);
  CHECK_EQ_INT(node_light(today + 8, 0, today, &c), LIGHT_GREEN);
  CHECK_EQ_INT(node_light(today - 1, 1, today, &c), LIGHT_GREEN); /* done: green whatever the date */
  CHECK_EQ_INT(node_light(today + 3, 1, today, &c), LIGHT_GREEN);
  c.yellow_days = 0;
  CHECK_EQ_INT(node_light(today, 0, today, &c), LIGHT_YELLOW);
  CHECK_EQ_INT(node_light(today + 1, 0, today, &c), LIGHT_GREEN);
  CHECK_EQ_STR(light_name(LIGHT_RED), "red");
  CHECK_EQ_INT(light_parse("yellow"), LIGHT_YELLOW);
  CHECK_EQ_INT(light_parse("blue"), -1);
  CHECK_EQ_INT(light_parse(NULL), -1);
}

/* 偏差 runs to today for an open node past its planned date (issue 20 #10:
 * 偏差 0 beside 逾期12天), to the actual date when done, else to the plan. */
static void test_node_slip_until(void) {
  int32_t today = D("2026-11-24");
  CHECK_EQ_INT(node_slip_until(today - 12, 0, 0, today), today);           /* overdue, open: slips to today */
  CHECK_EQ_INT(node_slip_until(today - 12, 1, today - 3, today), today - 3); /* done late: the actual date */
  CHECK_EQ_INT(node_slip_until(today - 12, 1, today - 20, today), today - 20);
  CHECK_EQ_INT(node_slip_until(today, 0, 0, today), today);                /* due today: not overdue yet */
  CHECK_EQ_INT(node_slip_until(today + 5, 0, 0, today), today + 5);        /* ahead: the plan */
  calendar *cal = calendar_new_builtin();
  /* baseline = planned = 12 days ago, still open: 偏差 is the working days since, not 0 */
  int32_t base = D("2026-11-12");
  CHECK(calendar_working_days_between(cal, base, node_slip_until(base, 0, 0, today)) > 0);
  CHECK_EQ_INT(calendar_working_days_between(cal, base, node_slip_until(base, 0, 0, today)), 8);
  calendar_free(cal);
}

static void test_project_light_lag(void) {
  light_cfg c = light_defaults;
  /* half the year closed: 50 % of time; plan ¥1,000,000.00 */
  int64_t plan = 100000000;
  CHECK_EQ_INT(investment_lag_bp(30000000, plan, 6), 2000);              /* exactly 20.00 points */
  CHECK_EQ_INT(project_light(LIGHT_GREEN, 30000000, plan, 6, &c), LIGHT_YELLOW); /* not "more than 20" */
  CHECK_EQ_INT(project_light(LIGHT_GREEN, 29990000, plan, 6, &c), LIGHT_RED);    /* 20.01 points */
  CHECK_EQ_INT(investment_lag_bp(29990000, plan, 6), 2001);
  CHECK_EQ_INT(project_light(LIGHT_GREEN, 29999999, plan, 6, &c), LIGHT_RED);    /* 20.000001: more than 20 */
  CHECK_EQ_INT(project_light(LIGHT_GREEN, 40000000, plan, 6, &c), LIGHT_GREEN);  /* exactly 10.00: green */
  CHECK_EQ_INT(project_light(LIGHT_GREEN, 39990000, plan, 6, &c), LIGHT_YELLOW); /* 10.01 */
  CHECK_EQ_INT(project_light(LIGHT_GREEN, 90000000, plan, 6, &c), LIGHT_GREEN);  /* ahead */
  CHECK_EQ_INT(investment_lag_bp(90000000, plan, 6), -4000);
  /* node lights dominate */
  CHECK_EQ_INT(project_light(LIGHT_RED, 90000000, plan, 6, &c), LIGHT_RED);
  CHECK_EQ_INT(project_light(LIGHT_YELLOW, 90000000, plan, 6, &c), LIGHT_YELLOW);
  CHECK_EQ_INT(project_light(LIGHT_YELLOW, 0, plan, 6, &c), LIGHT_RED);
  /* no plan: no lag */
  CHECK_EQ_INT(project_light(LIGHT_GREEN, 0, 0, 11, &c), LIGHT_GREEN);
  CHECK_EQ_INT(investment_lag_bp(5, 0, 11), 0);
  /* January: no month has closed, nobody lags */
  CHECK_EQ_INT(months_closed(2026, D("2026-01-31")), 0);
  CHECK_EQ_INT(project_light(LIGHT_GREEN, 0, plan, months_closed(2026, D("2026-01-15")), &c), LIGHT_GREEN);
  CHECK_EQ_INT(months_closed(2026, D("2026-02-01")), 1);
  CHECK_EQ_INT(months_closed(2026, D("2026-12-31")), 11);
  CHECK_EQ_INT(months_closed(2025, D("2026-03-01")), 12);
  CHECK_EQ_INT(months_closed(2027, D("2026-03-01")), 0);
  /* a ¥10 bn plan does not overflow (plan × 1200 passes 2^63 only in 128 bits) */
  int64_t big = 1000000000000000000LL;
  CHECK_EQ_INT(project_light(LIGHT_GREEN, big / 2, big, 6, &c), LIGHT_GREEN);
  CHECK_EQ_INT(project_light(LIGHT_GREEN, big / 4, big, 6, &c), LIGHT_RED);
  /* thresholds from the administrator */
  light_cfg strict = {7, 5, 1};
  CHECK_EQ_INT(project_light(LIGHT_GREEN, 44000000, plan, 6, &strict), LIGHT_RED);
}

static void test_light_from_columns(void) {
  light_cfg c = light_defaults;
  int32_t today = D("2026-11-24");
  CHECK_EQ_INT(light_from_columns(NULL, 0, 0, 2026, today, &c), LIGHT_GREEN);
  CHECK_EQ_INT(light_from_columns("2026-11-23", 0, 0, 2026, today, &c), LIGHT_RED);
  CHECK_EQ_INT(light_from_columns("2026-12-01", 0, 0, 2026, today, &c), LIGHT_YELLOW);
  CHECK_EQ_INT(light_from_columns("2026-12-02", 0, 0, 2026, today, &c), LIGHT_GREEN);
  /* November: 10 months closed, nothing reported → red */
  CHECK_EQ_INT(light_from_columns(NULL, 0, 100, 2026, today, &c), LIGHT_RED);
  CHECK_EQ_INT(light_from_columns(NULL, 0, 100, 2026, D("2026-01-10"), &c), LIGHT_GREEN);
  CHECK_EQ_INT(light_from_columns("garbage", 0, 0, 2026, today, &c), LIGHT_GREEN);
}

/* Thresholds other than the defaults, as the caller passes them. */
static void test_custom_thresholds(void) {
  light_cfg c = {14, 30, 15};
  int32_t today = D("2026-11-24");
  CHECK_EQ_INT(node_light(today + 10, 0, today, &light_defaults), LIGHT_GREEN);
  CHECK_EQ_INT(node_light(today + 10, 0, today, &c), LIGHT_YELLOW);
  CHECK_EQ_INT(node_light(today + 14, 0, today, &c), LIGHT_YELLOW);
  CHECK_EQ_INT(node_light(today + 15, 0, today, &c), LIGHT_GREEN);
  /* November: 10 of 12 months closed (83.33 %); 60 % done lags 23.33 points */
  CHECK_EQ_INT(light_from_columns(NULL, 60, 100, 2026, today, &light_defaults), LIGHT_RED);
  CHECK_EQ_INT(light_from_columns(NULL, 60, 100, 2026, today, &c), LIGHT_YELLOW);
  CHECK_EQ_INT(light_from_columns(NULL, 70, 100, 2026, today, &c), LIGHT_GREEN); /* 13.33 points */
  CHECK_EQ_INT(light_from_columns(NULL, 50, 100, 2026, today, &c), LIGHT_RED);   /* 33.33 points */
  CHECK_EQ_INT(light_from_columns("2026-12-05", 70, 100, 2026, today, &c), LIGHT_YELLOW);
  CHECK_EQ_INT(light_from_columns("2026-12-05", 70, 100, 2026, today, &light_defaults), LIGHT_YELLOW);
  CHECK_EQ_INT(light_from_columns("2026-12-08", 90, 100, 2026, today, &light_defaults), LIGHT_GREEN);
  CHECK_EQ_INT(light_from_columns("2026-12-08", 90, 100, 2026, today, &c), LIGHT_YELLOW);
}

static db *temp_db(char *path) {
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd < 0) return NULL;
  close(fd);
  char err[256];
  db *d = db_open(path, err, sizeof err);
  CHECK(d != NULL);
  if (d) CHECK_EQ_INT(migrate_run(d, NULL, err, sizeof err), 0);
  return d;
}

static void temp_db_remove(db *d, const char *path) {
  db_close(d);
  unlink(path);
  char wal[64];
  snprintf(wal, sizeof wal, "%s-wal", path);
  unlink(wal);
  snprintf(wal, sizeof wal, "%s-shm", path);
  unlink(wal);
}

/* The thresholds stored in settings are what lights_config_load hands the
 * rule; absent or unreadable values fall back to the defaults. */
static void test_thresholds_from_settings(void) {
  char path[] = "/tmp/guatu-unit-lights-XXXXXX";
  db *d = temp_db(path);
  if (!d) return;
  light_cfg c;
  lights_config_load(d, &c);
  CHECK_EQ_INT(c.yellow_days, light_defaults.yellow_days);
  CHECK_EQ_INT(c.red_lag, light_defaults.red_lag);
  CHECK_EQ_INT(c.yellow_lag, light_defaults.yellow_lag);
  const light_cfg set = {14, 30, 15};
  CHECK_EQ_INT(lights_config_save(d, &set), DB_OK);
  lights_config_load(d, &c);
  CHECK_EQ_INT(c.yellow_days, 14);
  CHECK_EQ_INT(c.red_lag, 30);
  CHECK_EQ_INT(c.yellow_lag, 15);
  CHECK_EQ_INT(light_from_columns(NULL, 60, 100, 2026, D("2026-11-24"), &c), LIGHT_YELLOW);
  db_exec0(d, "UPDATE settings SET value = 'x' WHERE key = 'light.red_lag'");
  lights_config_load(d, &c);
  CHECK_EQ_INT(c.red_lag, light_defaults.red_lag);
  CHECK_EQ_INT(c.yellow_days, 14);
  temp_db_remove(d, path);
}

static void test_reasons(void) {
  int32_t today = D("2026-11-12");
  char *s = node_reason("开工", D("2026-10-15"), LIGHT_RED, today);
  CHECK_EQ_STR(s, "节点「开工」计划2026-10-15，已逾期28天");
  free(s);
  s = node_reason("竣工", D("2026-11-15"), LIGHT_YELLOW, today);
  CHECK_EQ_STR(s, "节点「竣工」计划2026-11-15，还剩3天到期");
  free(s);
  CHECK(node_reason("竣工", D("2026-12-15"), LIGHT_GREEN, today) == NULL);
  light_ctx lc = {.today = D("2026-07-01"), .year = 2026, .cfg = light_defaults};
  s = lag_reason(2999000, 10000000, 2026, &lc);
  CHECK_EQ_STR(s, "2026年计划投资10.00万元，已完成3.00万元（29.99%），落后时序进度（50.00%）20.01个百分点");
  free(s);
  CHECK(lag_reason(4000000, 10000000, 2026, &lc) == NULL);
}

/* The template layout on a real database: each step ends its duration in
 * working days after the previous one, across the 2026 National Day week. */
static void test_layout(void) {
  char path[] = "/tmp/guatu-unit-lights-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd < 0) return;
  close(fd);
  char err[256];
  db *d = db_open(path, err, sizeof err);
  CHECK(d != NULL);
  if (!d) return;
  CHECK_EQ_INT(migrate_run(d, NULL, err, sizeof err), 0);
  db_exec0(d, "INSERT INTO units (name, kind, path, created_at) VALUES ('金山街道', 'town', '/1/', 'x')");
  db_exec0(d, "INSERT INTO units (name, kind, path, created_at) VALUES ('指挥部', 'hq', '/2/', 'x')");
  db_exec0(d, "INSERT INTO projects (code, name, level, category, stage, unit_id, created_at, updated_at) "
              "VALUES ('T1', '测试', 'district', '产业项目', 'preparation', 1, 'x', 'x')");
  json_t *steps = json_loads("[{\"name\":\"征拆\",\"kind\":\"land_acquisition\",\"duration_days\":5,\"unit_role\":\"hq\"},"
                             "{\"name\":\"开工\",\"kind\":\"start\",\"duration_days\":1,\"unit_role\":null},"
                             "{\"name\":\"竣工\",\"kind\":\"completion\",\"duration_days\":0,\"unit_role\":\"owner\"}]",
                             0, NULL);
  calendar *cal = calendar_new_builtin();
  CHECK_EQ_INT(nodes_apply_template(d, 1, steps, D("2026-09-28"), cal, "x", 1, 2, 0), 0);
  /* 2026-09-28 (Mon) +5 working days: 9-29, 9-30, then the holiday 10-1..10-7, 10-8, 10-9 (Fri), 10-10 (Sat, make-up) */
  static const char *const want[] = {"2026-10-10", "2026-10-12", "2026-10-12"};
  static const int64_t want_unit[] = {2, 1, 1};
  db_stmt *st = db_query0(d, "SELECT planned_date, unit_id, depends_on, id, seq FROM nodes ORDER BY seq");
  int i = 0;
  int64_t prev = 0;
  while (st && db_step(st) == DB_ROW && i < 3) {
    CHECK_EQ_STR(db_text(st, 0), want[i]);
    CHECK_EQ_INT(db_int(st, 1), want_unit[i]);
    CHECK_EQ_INT(db_isnull(st, 2) ? 0 : db_int(st, 2), prev);
    CHECK_EQ_INT(db_int(st, 4), i + 1);
    prev = db_int(st, 3);
    i++;
  }
  db_done(st);
  CHECK_EQ_INT(i, 3);
  CHECK_EQ_INT(calendar_working_days_between(cal, D("2026-09-28"), D("2026-10-10")), 5);
  /* a second template appends after the existing nodes */
  CHECK_EQ_INT(nodes_apply_template(d, 1, steps, D("2026-12-31"), cal, "x", 1, 2, 0), 0);
  CHECK_EQ_INT(db_int10(d, 0, "SELECT MAX(seq) FROM nodes"), 6);
  CHECK_EQ_INT(db_int10(d, 0, "SELECT COUNT(*) FROM nodes WHERE seq = 4 AND depends_on = 3"), 1);
  calendar_free(cal);
  json_decref(steps);
  db_close(d);
  unlink(path);
  char wal[64];
  snprintf(wal, sizeof wal, "%s-wal", path);
  unlink(wal);
  snprintf(wal, sizeof wal, "%s-shm", path);
  unlink(wal);
}

UNIT_MAIN(test_node_light, test_node_slip_until, test_project_light_lag, test_light_from_columns, test_custom_thresholds,
          test_thresholds_from_settings, test_reasons, test_layout)
