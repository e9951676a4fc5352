/*
 * demo_reports.c — the demo district's monthly reports: approved reports
 * for every demo project with a plan, for 2025 (all year) and 2026 up to
 * last month, so the dashboard shows a plausible year (2026 plan ≈ the
 * projects' plans, e.g. ¥12.3 bn for 荷塘区's 131 projects; 2025 about 13%
 * lower, so the year-on-year growth is like the seeds' 15.4%); for last
 * month a few reports wait for review, a few were returned and a few are
 * missing; and the 2026 targets (25 to start, 30 to complete, 131 key
 * projects, ¥12.3 bn).  Deterministic: the same data on every run.
 * Runs after the projects' demo (demo_projects.c, order 30).
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "calendar.h"
#include "demo.h"
#include "http.h"
#include "progress.h"
#include "reports.h"

static const char *const images[] = {
    "场地平整及临时设施搭建", "桩基施工", "基础承台施工", "主体结构施工", "主体结构封顶", "钢结构吊装",
    "屋面及外墙施工", "机电设备安装", "室内装饰装修", "室外配套工程", "设备调试", "竣工验收准备",
};
static const char *const problems[] = {
    NULL, NULL, NULL, "雨季影响土方施工进度", NULL, "10kV 电力接入待供电公司排期", NULL, NULL, "部分地块征拆尚未交地",
};

/* A small, stable pseudo-random number from the project and month. */
static unsigned mix(int64_t id, int y, int m) {
  unsigned h = (unsigned)(id * 2654435761u) ^ (unsigned)(y * 40503 + m * 977);
  h ^= h >> 15;
  h *= 2246822519u;
  h ^= h >> 13;
  return h;
}

/* The month's investment in fen: the plan spread over the year with a
 * seasonal curve (slow January/February around the Spring Festival, a
 * push before mid-year and year end) and ±20 % per project, rounded to
 * 100 yuan.  Weights are per-mille of the year and add up to 1000. */
static int64_t month_amount(int64_t plan, int64_t id, int y, int m, int pace_pct) {
  static const int weight[12] = {45, 50, 80, 85, 90, 105, 80, 85, 90, 95, 95, 100};
  int jitter = (int)(mix(id, y, m) % 41) - 20; /* -20..+20 % */
  __int128 v = (__int128)plan * weight[m - 1] * (100 + jitter) * pace_pct / (__int128)10000000;
  int64_t fen = (int64_t)v / 10000 * 10000;
  return fen > 0 ? fen : 0;
}

static int insert_report(db *d, int64_t pid, int y, int m, int64_t fen, const char *state, int late, int64_t by, int64_t reviewer,
                         const char *reason, int32_t submitted_day, const char *at) {
  char period[8], sub[32], rev[32], day[11];
  progress_period(y, m, period);
  date_format(submitted_day, day);
  snprintf(sub, sizeof sub, "%sT02:%02d:00.000Z", day, (int)(pid % 60));
  date_format(submitted_day + 2, day);
  snprintf(rev, sizeof rev, "%sT07:%02d:00.000Z", day, (int)(pid % 60));
  int reviewed = strcmp(state, "submitted") != 0;
  unsigned h = mix(pid, y, m);
  const char *prob = problems[h % (sizeof problems / sizeof *problems)];
  int percent = (int)((m * 100) / 12);
  return db_exec(d,
                 "INSERT INTO reports (project_id, period, investment, image_progress, percent, problems, state, late, submitted_by, "
                 "submitted_at, reviewed_by, reviewed_at, review_reason, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 DBI(pid), DBT(period), DBI(fen), DBT(images[(m - 1 + (int)(pid % 3)) % 12]), DBI(percent), DBT(prob), DBT(state),
                 DBI(late), by ? DBI(by) : DBNULL, DBT(sub), reviewed && reviewer ? DBI(reviewer) : DBNULL,
                 DBT(reviewed ? rev : NULL), DBT(reason), DBT(at), DBT(at));
}

static int reports_demo(db *d, FILE *log) {
  arena a;
  arena_init(&a);
  const char *at = "2026-01-01T00:00:00.000Z";
  int32_t today = clock_today();
  int ty, tm, td;
  date_to_ymd(today, &ty, &tm, &td);
  int ly = ty, lm = tm; /* last month: the period being reported now */
  progress_prev_month(&ly, &lm);
  /* The demo year is the year of the month being reported: on 1 January
   * the district is still closing last December, last year's books. */
  ty = ly;
  int dl = report_deadline_day(d);
  int64_t reviewer = db_int1(d, 0, "SELECT id FROM users WHERE login = ?", DBT("office"));

  /* Projects with a plan this year, with a submitter from their unit. */
  db_stmt *st = db_query(d,
                         "SELECT p.id, pp.amount, COALESCE((SELECT MIN(x.id) FROM users x WHERE x.unit_id = p.unit_id), 0) "
                         "FROM projects p JOIN project_plans pp ON pp.project_id = p.id AND pp.year = ? "
                         "WHERE p.stage <> 'reserve' AND pp.amount > 0 ORDER BY p.id",
                         DBI(ty));
  typedef struct dp {
    int64_t id, plan, by;
  } dp;
  size_t cap = 256, n = 0;
  dp *ps = arena_alloc(&a, cap * sizeof *ps);
  while (st && db_step(st) == DB_ROW) {
    if (n == cap) {
      dp *np = arena_alloc(&a, cap * 2 * sizeof *np);
      memcpy(np, ps, n * sizeof *ps);
      ps = np;
      cap *= 2;
    }
    ps[n++] = (dp){db_int(st, 0), db_int(st, 1), db_int(st, 2)};
  }
  db_done(st);

  int rc = DB_OK, count = 0, waiting = 0, returned = 0, missing = 0;
  for (size_t i = 0; rc == DB_OK && i < n; i++) {
    dp *p = &ps[i];
    int64_t by = p->by ? p->by : reviewer;
    /* Last year: ~87 % of this year's plan, whatever last year's plan
     * said, so the district grows like the seeds' 15 %. */
    int64_t base_prev = p->plan * 87 / 100;
    for (int m = 1; rc == DB_OK && m <= 12; m++) {
      int32_t sub = progress_deadline(ty - 1, m, dl) - (int)(mix(p->id, ty - 1, m) % 12);
      rc = insert_report(d, p->id, ty - 1, m, month_amount(base_prev, p->id, ty - 1, m, 96), "approved", 0, by, reviewer, NULL, sub, at);
      count++;
    }
    /* This year: most projects keep pace, every fifth lags (yellow/red lights). */
    int pace = i % 5 == 3 ? 62 : i % 7 == 5 ? 80 : 100;
    for (int m = 1; rc == DB_OK && (ty * 12 + m) <= (ly * 12 + lm) && m <= 12; m++) {
      unsigned h = mix(p->id, ty, m);
      int32_t deadline = progress_deadline(ty, m, dl);
      int late = (m < lm && h % 9 == 0);
      int32_t sub = late ? deadline + 1 + (int)(h % 4) : deadline - (int)(h % 12);
      const char *state = "approved", *reason = NULL;
      if (m == lm && ty == ly) {
        if (i % 11 == 3) {
          missing++;
          continue; /* not reported yet */
        }
        if (i % 9 == 1) state = "submitted", waiting++;
        else if (i % 13 == 2) state = "returned", reason = "本月投资额与形象进度不符，请核实后重新填报", returned++;
        if (sub > today) sub = today;
      }
      rc = insert_report(d, p->id, ty, m, month_amount(p->plan, p->id, ty, m, pace), state, late, by, reviewer, reason, sub, at);
      count++;
    }
  }
  if (rc == DB_OK) rc = report_totals_rebuild(d);
  /* The year's targets (seeds: 荷塘区 2022 — 25 to start, 30 to complete,
   * 131 key projects, ¥12.3 bn). */
  if (rc == DB_OK)
    rc = db_exec(d,
                 "INSERT INTO year_targets (year, start_target, complete_target, project_count, investment_target, version, updated_at) "
                 "VALUES (?, 25, 30, 131, ?, 1, ?) ON CONFLICT (year) DO NOTHING",
                 DBI(ty), DBI((int64_t)1230000000000LL), DBT(at));
  if (rc == DB_OK)
    rc = db_exec(d,
                 "INSERT INTO year_targets (year, start_target, complete_target, project_count, investment_target, version, updated_at) "
                 "VALUES (?, 22, 26, 118, ?, 1, ?) ON CONFLICT (year) DO NOTHING",
                 DBI(ty - 1), DBI((int64_t)1070000000000LL), DBT(at));
  if (rc == DB_OK && log)
    fprintf(log, "reports: %d monthly reports for %zu projects (%d waiting for review, %d returned, %d missing for %04d-%02d)\n",
            count, n, waiting, returned, missing, ly, lm);
  if (rc != DB_OK && log) fprintf(log, "reports demo failed: %s\n", db_errmsg(d));
  arena_release(&a);
  return rc == DB_OK ? 0 : -1;
}

static const route no_routes[] = {{0}};
static const module demo_reports_module = {"reports-demo", 40, no_routes, reports_demo, NULL, NULL};
MODULE_REGISTER(demo_reports_module)
