/*
 * rollups.c — see rollups.h.  One computation serves the writers, the daily
 * tick and `guatu check rollups`: two ordered passes (the projects with
 * their plan and year-to-date from report_totals; their nodes grouped by
 * project) merged in C, so the whole province is two scans, not one query
 * per project.
 */
#include "rollups.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "auth.h"
#include "calendar.h"
#include "cli.h"
#include "clock.h"
#include "http.h"
#include "land.h"
#include "lights.h"
#include "projects.h"
#include "reports.h"

typedef struct rollup {
  int64_t project_id, unit_id;
  char next_open[11]; /* "" when no node is open */
  int64_t red, yellow, green, done;
  int light;
} rollup;

typedef struct rollups {
  rollup *r;
  size_t n, cap;
} rollups;

static int push(rollups *rs, const rollup *x) {
  if (rs->n == rs->cap) {
    size_t cap = rs->cap ? rs->cap * 2 : 64;
    rollup *nr = realloc(rs->r, cap * sizeof *nr);
    if (!nr) return -1;
    rs->r = nr;
    rs->cap = cap;
  }
  rs->r[rs->n++] = *x;
  return 0;
}

/* The year and the month up to which the light of `day` counts the
 * year-to-date: the dashboard's default view (last month; January itself
 * in January, when no month is closed and no project lags). */
static void light_period(int32_t day, int *year, int *month) {
  int y, m, dd;
  date_to_ymd(day, &y, &m, &dd);
  *year = y;
  *month = m > 1 ? m - 1 : 1;
}

/* Computes the rows of every project (project_id 0) or of one, for `day`,
 * ordered by project id, into *out (caller frees out->r). */
static int compute(db *d, int64_t project_id, int32_t day, rollups *out) {
  light_cfg cfg;
  lights_config_load(d, &cfg);
  int year, month;
  light_period(day, &year, &month);
  char today[11], soon[11], ytd[160];
  date_format(day, today);
  date_format(day + cfg.yellow_days, soon);
  report_months_sum(ytd, sizeof ytd, "t", month);

  char psql[700], nsql[700];
  snprintf(psql, sizeof psql,
           "SELECT p.id, COALESCE(pp.amount, 0), COALESCE(%s, 0), p.unit_id FROM projects p "
           "LEFT JOIN project_plans pp ON pp.project_id = p.id AND pp.year = ? "
           "LEFT JOIN report_totals t ON t.project_id = p.id AND t.year = ?%s ORDER BY p.id",
           ytd, project_id ? " WHERE p.id = ?" : "");
  snprintf(nsql, sizeof nsql,
           "SELECT project_id, MIN(CASE WHEN actual_date IS NULL THEN planned_date END), "
           "SUM(CASE WHEN actual_date IS NULL AND planned_date < ? THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN actual_date IS NULL AND planned_date >= ? AND planned_date <= ? THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN actual_date IS NULL AND planned_date > ? THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN actual_date IS NOT NULL THEN 1 ELSE 0 END) FROM nodes%s GROUP BY project_id ORDER BY project_id",
           project_id ? " WHERE project_id = ?" : "");
  db_val pargs[3] = {DBI(year), DBI(year), DBI(project_id)};
  db_val nargs[5] = {DBT(today), DBT(today), DBT(soon), DBT(soon), DBI(project_id)};
  /* The nodes are read whole first: two statements may not be stepped
   * together on every connection. */
  rollups nodes = {0};
  int rc = DB_ERROR, oom = 0;
  db_stmt *st = db_prepare(d, nsql, project_id ? 5 : 4, nargs);
  while (st && !oom && (rc = db_step(st)) == DB_ROW) {
    rollup x = {0};
    x.project_id = db_int(st, 0);
    if (!db_isnull(st, 1)) snprintf(x.next_open, sizeof x.next_open, "%s", db_text(st, 1));
    x.red = db_int(st, 2), x.yellow = db_int(st, 3), x.green = db_int(st, 4), x.done = db_int(st, 5);
    oom = push(&nodes, &x) != 0;
  }
  db_done(st);
  if (rc != DB_DONE || oom) {
    free(nodes.r);
    return DB_ERROR;
  }
  int prc = DB_ERROR;
  st = db_prepare(d, psql, project_id ? 3 : 2, pargs);
  size_t k = 0;
  while (st && !oom && (prc = db_step(st)) == DB_ROW) {
    rollup x = {0};
    x.project_id = db_int(st, 0);
    int64_t plan = db_int(st, 1), y = db_int(st, 2);
    while (k < nodes.n && nodes.r[k].project_id < x.project_id) k++;
    if (k < nodes.n && nodes.r[k].project_id == x.project_id) x = nodes.r[k];
    x.unit_id = db_int(st, 3);
    x.light = light_from_columns(*x.next_open ? x.next_open : NULL, y, plan, year, day, &cfg);
    oom = push(out, &x) != 0;
  }
  db_done(st);
  free(nodes.r);
  return prc == DB_DONE && !oom ? DB_OK : DB_ERROR;
}

#define ROLLUP_COLS "project_id, next_open, nodes_red, nodes_yellow, nodes_green, nodes_done, light, day, unit_id"
#define ROLLUP_BATCH 100 /* rows per INSERT: 900 values, under every SQLite's limit */

static int insert_rows(db *d, const rollups *rs, const char *day) {
  int rc = DB_OK;
  db_val *args = malloc((size_t)ROLLUP_BATCH * 9 * sizeof *args);
  if (!args) return DB_ERROR;
  for (size_t i = 0; rc == DB_OK && i < rs->n; i += ROLLUP_BATCH) {
    size_t m = rs->n - i;
    if (m > ROLLUP_BATCH) m = ROLLUP_BATCH;
    strbuf sql = STRBUF_INIT;
    sb_adds(&sql, "INSERT INTO project_rollups (" ROLLUP_COLS ") VALUES ");
    int n = 0;
    for (size_t j = 0; j < m; j++) {
      const rollup *x = &rs->r[i + j];
      sb_adds(&sql, j ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?, ?)");
      args[n++] = DBI(x->project_id);
      args[n++] = *x->next_open ? DBT(x->next_open) : DBNULL;
      args[n++] = DBI(x->red);
      args[n++] = DBI(x->yellow);
      args[n++] = DBI(x->green);
      args[n++] = DBI(x->done);
      args[n++] = DBI(x->light);
      args[n++] = DBT(day);
      args[n++] = DBI(x->unit_id);
    }
    rc = db_execv(d, sb_str(&sql), n, args);
    sb_release(&sql);
  }
  free(args);
  return rc;
}

/* The units whose group rows wait for rollup_defer_end() on this thread
 * (at most the number of units: 5,000 in a province). */
static _Thread_local int defer_on;
static _Thread_local int64_t *defer_unit_ids;
static _Thread_local size_t defer_n, defer_cap;

void rollup_defer_begin(void) {
  defer_on = 1;
  defer_n = 0;
}

static int defer_unit(int64_t unit) {
  if (!unit) return DB_OK;
  if (defer_n && defer_unit_ids[defer_n - 1] == unit) return DB_OK; /* repeats are dropped at the end */
  if (defer_n == defer_cap) {
    size_t cap = defer_cap ? defer_cap * 2 : 64;
    int64_t *nu = realloc(defer_unit_ids, cap * sizeof *nu);
    if (!nu) return DB_ERROR;
    defer_unit_ids = nu;
    defer_cap = cap;
  }
  defer_unit_ids[defer_n++] = unit;
  return DB_OK;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

int rollup_defer_end(db *d) {
  defer_on = 0;
  if (defer_n) qsort(defer_unit_ids, defer_n, sizeof *defer_unit_ids, cmp_i64);
  int rc = DB_OK;
  /* every unit locked (lowest first) before the first is recomputed */
  for (size_t i = 0; rc == DB_OK && i < defer_n; i++)
    if (i == 0 || defer_unit_ids[i] != defer_unit_ids[i - 1]) rc = rollup_groups_lock(d, defer_unit_ids[i]);
  for (size_t i = 0; rc == DB_OK && i < defer_n; i++)
    if (i == 0 || defer_unit_ids[i] != defer_unit_ids[i - 1]) rc = rollup_groups_unit(d, defer_unit_ids[i]);
  free(defer_unit_ids);
  defer_unit_ids = NULL;
  defer_n = defer_cap = 0;
  return rc;
}

int rollup_project(db *d, int64_t project_id) {
  int32_t day = clock_today();
  char days[11];
  date_format(day, days);
  rollups rs = {0};
  /* the unit it was counted in: a project moved to another unit leaves it */
  int64_t old_unit = db_int1(d, 0, "SELECT unit_id FROM project_rollups WHERE project_id = ?", DBI(project_id));
  int rc = compute(d, project_id, day, &rs);
  if (rc == DB_OK) rc = db_exec(d, "DELETE FROM project_rollups WHERE project_id = ?", DBI(project_id));
  if (rc == DB_OK && rs.n) rc = insert_rows(d, &rs, days);
  int64_t unit = rs.n ? rs.r[0].unit_id : 0;
  free(rs.r);
  /* its unit's group rows (rollups_groups.c), and those of the unit it left */
  if (rc == DB_OK && defer_on) {
    rc = defer_unit(unit);
    if (rc == DB_OK && old_unit != unit) rc = defer_unit(old_unit);
    return rc;
  }
  /* the lower unit first: two writers moving projects between the same
   * two units lock them (rollup_groups_unit) in one order */
  int64_t first = old_unit != unit && old_unit > 0 && old_unit < unit ? old_unit : unit;
  int64_t second = first == unit ? old_unit : unit;
  if (rc == DB_OK && second != first) rc = rollup_groups_lock(d, first);
  if (rc == DB_OK && second != first) rc = rollup_groups_lock(d, second);
  if (rc == DB_OK) rc = rollup_groups_unit(d, first);
  if (rc == DB_OK && second != first) rc = rollup_groups_unit(d, second);
  return rc;
}

int rollup_rebuild(db *d, int32_t day) {
  char days[11];
  date_format(day, days);
  rollups rs = {0};
  int rc = compute(d, 0, day, &rs);
  if (rc == DB_OK) rc = db_exec0(d, "DELETE FROM project_rollups");
  if (rc == DB_OK) rc = insert_rows(d, &rs, days);
  free(rs.r);
  if (rc == DB_OK) rc = rollup_groups_rebuild(d, day);
  return rc;
}

int rollup_stale(db *d, int32_t day) {
  char dayv[11];
  date_format(day, dayv);
  /* two index probes on project_rollups_day, not a scan */
  if (db_int10(d, 0, "SELECT 1 FROM project_rollups WHERE day IS NULL LIMIT 1")) return 1;
  if (rollup_groups_stale(d, day)) return 1;
  /* Only forward: rows an instance whose day is already later wrote are
   * left to it (readers use a row only on its own day), so two instances
   * around midnight do not rewrite the table in turn. */
  return db_int1(d, 0, "SELECT 1 FROM project_rollups WHERE day < ? LIMIT 1", DBT(dayv)) != 0;
}

/* ---- the daily pass ---- */

static void rollups_tick(db *d) {
  int32_t day = clock_today();
  if (!rollup_stale(d, day)) return;
  if (db_begin(d) != DB_OK) return;
  /* another process may have done it while this one waited for the lock */
  int rc = rollup_stale(d, day) ? rollup_rebuild(d, day) : DB_DONE;
  if (rc == DB_OK) {
    char dayv[11];
    date_format(day, dayv);
    json_t *after = json_pack("{s:s, s:I}", "day", dayv, "projects",
                              (json_int_t)db_int10(d, 0, "SELECT COUNT(*) FROM project_rollups"));
    /* Audited like the escalation tick.  The refresh changes no answer (a
     * cached answer is kept per day, and a reader computes a light itself
     * from a row of another day), so the dashboard's cache version
     * (CACHE_NOT_PROBLEMS, http.c) does not count it. */
    rc = audit_write(d, &audit_system, "refresh", "project_rollups", 0, NULL, after);
    json_decref(after);
  }
  if (rc == DB_OK) db_commit(d);
  else db_rollback(d);
}

/* the demo district's rows, after every other module has loaded its part */
static int rollups_demo(db *d, FILE *log) {
  (void)log;
  return rollup_rebuild(d, clock_today()) == DB_OK ? 0 : -1;
}

static const module rollups_module = {"rollups", 99, NULL, rollups_demo, NULL, rollups_tick};
MODULE_REGISTER(rollups_module)

/* ---- guatu check rollups ---- */

static int cmp_pid(const void *a, const void *b) {
  const rollup *x = a, *y = b;
  return x->project_id < y->project_id ? -1 : x->project_id > y->project_id;
}

static const rollup *find(const rollups *rs, int64_t pid) {
  rollup key = {.project_id = pid};
  if (!rs->n) return NULL;
  return bsearch(&key, rs->r, rs->n, sizeof *rs->r, cmp_pid);
}

typedef struct day_set {
  char day[11];
  rollups rs;
} day_set;

static void diff_int(FILE *out, int64_t *n, int64_t pid, const char *field, int64_t stored, int64_t want) {
  if (stored == want) return;
  fprintf(out, "project %lld %s: stored %lld, recomputed %lld\n", (long long)pid, field, (long long)stored, (long long)want);
  (*n)++;
}

static int64_t check_project_rollups(db *d, FILE *out) {
  int64_t diffs = 0;
  /* the expected rows for every day the stored rows are for (normally one) */
  day_set days[8] = {0};
  int ndays = 0;
  rollups today = {0};
  if (compute(d, 0, clock_today(), &today) != DB_OK) {
    free(today.r);
    return -1;
  }
  db_stmt *st = db_query0(d, "SELECT DISTINCT day FROM project_rollups WHERE day IS NOT NULL");
  int rc = DB_OK;
  while (st && db_step(st) == DB_ROW && rc == DB_OK) {
    int32_t dn;
    if (ndays == 8 || date_parse(db_text(st, 0), &dn) != 0) {
      fprintf(out, "project_rollups day %s: stored rows for a day that cannot be checked\n", db_text(st, 0));
      diffs++;
      continue;
    }
    day_set *ds = &days[ndays];
    snprintf(ds->day, sizeof ds->day, "%s", db_text(st, 0));
    rc = compute(d, 0, dn, &ds->rs);
    ndays++; /* freed below whether or not it was computed */
  }
  db_done(st);
  st = rc == DB_OK ? db_query0(d, "SELECT project_id, next_open, nodes_red, nodes_yellow, nodes_green, nodes_done, light, day "
                                  "FROM project_rollups ORDER BY project_id")
                   : NULL;
  if (!st) rc = DB_ERROR;
  size_t seen = 0;
  while (rc == DB_OK && db_step(st) == DB_ROW) {
    int64_t pid = db_int(st, 0);
    const char *next = db_isnull(st, 1) ? "" : db_text(st, 1);
    const char *day = db_isnull(st, 7) ? NULL : db_text(st, 7);
    const rollups *want = &today;
    for (int i = 0; day && i < ndays; i++)
      if (strcmp(days[i].day, day) == 0) want = &days[i].rs;
    const rollup *w = find(want, pid);
    if (!w) {
      fprintf(out, "project %lld row: stored, recomputed (no such project)\n", (long long)pid);
      diffs++;
      continue;
    }
    seen++;
    if (strcmp(next, w->next_open) != 0) {
      fprintf(out, "project %lld next_open: stored %s, recomputed %s\n", (long long)pid, *next ? next : "null",
              *w->next_open ? w->next_open : "null");
      diffs++;
    }
    diff_int(out, &diffs, pid, "nodes_done", db_int(st, 5), w->done);
    if (!day) continue; /* not yet computed for a day: only the day-free figures */
    diff_int(out, &diffs, pid, "nodes_red", db_int(st, 2), w->red);
    diff_int(out, &diffs, pid, "nodes_yellow", db_int(st, 3), w->yellow);
    diff_int(out, &diffs, pid, "nodes_green", db_int(st, 4), w->green);
    if (db_int(st, 6) != w->light) {
      fprintf(out, "project %lld light: stored %s, recomputed %s (%s)\n", (long long)pid, light_name((int)db_int(st, 6)),
              light_name(w->light), day);
      diffs++;
    }
  }
  db_done(st);
  /* projects without a row */
  if (rc == DB_OK && seen < today.n)
    for (size_t i = 0; i < today.n; i++)
      if (!db_int1(d, 0, "SELECT 1 FROM project_rollups WHERE project_id = ?", DBI(today.r[i].project_id))) {
        fprintf(out, "project %lld row: stored (missing), recomputed present\n", (long long)today.r[i].project_id);
        diffs++;
      }
  free(today.r);
  for (int i = 0; i < ndays; i++) free(days[i].rs.r);
  return rc == DB_OK ? diffs : -1;
}

typedef struct totals_row {
  int64_t pid, year, m[12];
  int ok;
} totals_row;

static int totals_next(db_stmt *st, totals_row *t) {
  t->ok = st && db_step(st) == DB_ROW;
  if (!t->ok) return 0;
  t->pid = db_int(st, 0), t->year = db_int(st, 1);
  for (int m = 0; m < 12; m++) t->m[m] = db_int(st, 2 + m);
  return 1;
}

static int totals_cmp(const totals_row *a, const totals_row *b) {
  if (!a->ok) return b->ok ? 1 : 0;
  if (!b->ok) return -1;
  if (a->pid != b->pid) return a->pid < b->pid ? -1 : 1;
  return a->year < b->year ? -1 : a->year > b->year;
}

static int64_t check_report_totals(db *d, FILE *out) {
  strbuf want = STRBUF_INIT, have = STRBUF_INIT;
  sb_adds(&want, "SELECT project_id, CAST(substr(period, 1, 4) AS INTEGER) AS y");
  for (int m = 1; m <= 12; m++) sb_addf(&want, ", SUM(CASE WHEN substr(period, 6, 2) = '%02d' THEN investment ELSE 0 END)", m);
  sb_adds(&want, " FROM reports WHERE state = 'approved' GROUP BY project_id, substr(period, 1, 4) ORDER BY project_id, y");
  sb_adds(&have, "SELECT project_id, year");
  for (int m = 1; m <= 12; m++) sb_addf(&have, ", m%02d", m);
  sb_adds(&have, " FROM report_totals ORDER BY project_id, year");
  /* both lists are read whole: two statements may not be stepped together */
  totals_row *w = NULL, *h = NULL;
  size_t nw = 0, nh = 0, cw = 0, ch = 0;
  int err = 0;
  for (int pass = 0; pass < 2; pass++) {
    db_stmt *st = db_query0(d, sb_str(pass ? &have : &want));
    if (!st) err = 1;
    totals_row t;
    while (st && totals_next(st, &t)) {
      totals_row **a = pass ? &h : &w;
      size_t *n = pass ? &nh : &nw, *c = pass ? &ch : &cw;
      if (*n == *c) {
        *c = *c ? *c * 2 : 256;
        totals_row *na = realloc(*a, *c * sizeof *na);
        if (!na) {
          err = 1;
          break;
        }
        *a = na;
      }
      (*a)[(*n)++] = t;
    }
    db_done(st);
  }
  sb_release(&want);
  sb_release(&have);
  int64_t diffs = 0;
  size_t i = 0, j = 0;
  while (!err && (i < nh || j < nw)) {
    totals_row zero = {0}, *a = i < nh ? &h[i] : &zero, *b = j < nw ? &w[j] : &zero;
    int c = totals_cmp(a, b);
    totals_row hs = *a, ws = *b;
    if (c < 0) memset(ws.m, 0, sizeof ws.m), ws.pid = hs.pid, ws.year = hs.year, i++;
    else if (c > 0) memset(hs.m, 0, sizeof hs.m), hs.pid = ws.pid, hs.year = ws.year, j++;
    else i++, j++;
    for (int m = 0; m < 12; m++)
      if (hs.m[m] != ws.m[m]) {
        fprintf(out, "project %lld report_totals %04lld-%02d: stored %lld, recomputed %lld\n", (long long)hs.pid,
                (long long)hs.year, m + 1, (long long)hs.m[m], (long long)ws.m[m]);
        diffs++;
      }
  }
  free(w);
  free(h);
  return err ? -1 : diffs;
}

/* The group rows against the facts: the lights recomputed from the nodes
 * (as check_project_rollups does), the sums from report_totals (checked
 * against the reports by check_report_totals). */
static int64_t check_groups(db *d, FILE *out) {
  rollups rs = {0};
  if (compute(d, 0, clock_today(), &rs) != DB_OK) {
    free(rs.r);
    return -1;
  }
  rollup_light *l = malloc((rs.n + 1) * sizeof *l);
  if (!l) {
    free(rs.r);
    return -1;
  }
  for (size_t i = 0; i < rs.n; i++) l[i] = (rollup_light){rs.r[i].project_id, rs.r[i].light, rs.r[i].red};
  int64_t n = rollup_groups_check(d, l, rs.n, out);
  free(l);
  free(rs.r);
  return n;
}

int64_t rollup_check(db *d, FILE *out) {
  int64_t a = check_project_rollups(d, out);
  int64_t b = a < 0 ? -1 : check_report_totals(d, out);
  int64_t c = b < 0 ? -1 : check_groups(d, out);
  /* the land figures per project (land_rollups.c) */
  int64_t e = c < 0 ? -1 : land_rollup_check(d, out);
  return a < 0 || b < 0 || c < 0 || e < 0 ? -1 : a + b + c + e;
}

static int cmd_check(int argc, char **argv) {
  static const char *usage = "usage: guatu check rollups --db FILE|postgres://…\n"
                             "  recomputes every roll-up (project_rollups, report_totals, group_rollups) from the facts and prints each\n"
                             "  difference (project, field, stored, recomputed); exits 0 when none, 1 otherwise";
  if (cli_wants_help(argc, argv) || argc < 2 || strcmp(argv[1], "rollups") != 0) {
    fprintf(cli_wants_help(argc, argv) ? stdout : stderr, "%s\n", usage);
    return cli_wants_help(argc, argv) ? 0 : 2;
  }
  db *d = cli_open_db(argc, argv, usage);
  if (!d) return 1;
  int64_t n = rollup_check(d, stdout);
  if (n < 0) fprintf(stderr, "guatu check: %s\n", db_errmsg(d));
  else printf("rollups: %lld difference%s\n", (long long)n, n == 1 ? "" : "s");
  db_close(d);
  return n == 0 ? 0 : 1;
}
static const command check_command = {"check", "guatu check rollups --db DB   recompute the roll-ups from the facts and list differences",
                                      cmd_check};
COMMAND_REGISTER(check_command)
