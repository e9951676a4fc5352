/* db_analyze.c — SQLite's planner statistics, refreshed once a day.
 *
 * SQLite chooses its plans from sqlite_stat1, which only ANALYZE writes,
 * and nothing refreshes it by itself.  A database made by `guatu gen`
 * (ANALYZE at the end of the load) or grown for months from the demo
 * keeps describing the tables as they were: gen's statistics said the
 * audit log was empty, and the weekly report's overdue-nodes query then
 * went through the log once per project (65 s at province scale, issue
 * 21).  PostgreSQL's autovacuum re-analyses tables as they grow; this is
 * the same for SQLite: at the first tick of each new day (the day of the
 * last refresh is kept in settings, key statistics_day, so a restart does
 * not repeat it and every instance agrees), ANALYZE with the same
 * analysis_limit as gen, so the statistics of an unchanged table come out
 * identical to gen's.  At province scale it takes ~0.5 s once a day.
 *
 * A database that has no statistics_day yet (new, or older than this
 * module) only records today: its first refresh is the next day's, so
 * that starting a server never begins with a full ANALYZE.  The refresh
 * changes no data, so it is not audited (an audit entry would also renew
 * every cached answer); it is logged. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "clock.h"
#include "db.h"
#include "http.h"

#define STATISTICS_KEY "statistics_day"
#define ANALYSIS_LIMIT_SQL "PRAGMA analysis_limit=1000; ANALYZE;"

static double mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int record_day(db *d, const char *day) {
  return db_exec(d,
                 "INSERT INTO settings (key, value) VALUES (?, ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 DBT(STATISTICS_KEY), DBT(day));
}

static void analyze_tick(db *d) {
  if (db_dialect(d) != DB_SQLITE) return; /* PostgreSQL: autovacuum's analyse */
  char today[11];
  date_format(clock_today(), today);
  char last[16] = "";
  db_stmt *st = db_query(d, "SELECT value FROM settings WHERE key = ?", DBT(STATISTICS_KEY));
  int found = st && db_step(st) == DB_ROW;
  if (found) snprintf(last, sizeof last, "%s", db_text(st, 0));
  db_done(st);
  if (found && strcmp(last, today) >= 0) return;
  if (found) {
    double t0 = mono_ms();
    if (db_script(d, ANALYSIS_LIMIT_SQL) != DB_OK) return; /* tried again at the next tick */
    fprintf(stderr, "{\"level\":\"info\",\"msg\":\"planner statistics refreshed\",\"day\":\"%s\",\"ms\":%.0f}\n", today,
            mono_ms() - t0);
  }
  record_day(d, today);
}

static const module analyze_module = {"analyze", 100, NULL, NULL, NULL, analyze_tick};
MODULE_REGISTER(analyze_module)
