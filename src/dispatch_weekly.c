/*
 * dispatch_weekly.c — the weekly dispatch report (调度周报) for an ISO week:
 * cover summary, KPI table, red/yellow projects with reasons, overdue
 * nodes, problems by state and by unit (with a bar chart), the overdue
 * problems, and the decisions of the last meeting with their status.  The
 * same tables go to a PDF (pdfdoc.h, A4, Chinese) and to an XLSX workbook
 * (one sheet per table), so the paper and the spreadsheet always agree.
 *
 * GET /api/v1/dispatch/weekly?week=2022-W39&format=pdf|xlsx    (default: this week, pdf)
 *     (also at /api/v1/reports/weekly, its first path, which the web UI uses)
 * guatu report weekly --week 2022-W39 --format pdf|xlsx --out FILE --db DB
 *
 * The week's figures are as of its Sunday (or today for the current week),
 * and a past week's report states the same facts every time it is produced
 * (issue 20): lights use that day; projects created after it (audit log)
 * are left out and a project counts in the stage and with the year's plan
 * it had then (the first later audit entry's "before"); investment counts
 * only reports approved by then (reviewed_at); nodes completed later are
 * still open; problems raised after it are left out and a problem counts
 * as closed only if it was closed by then.  Not reconstructed: projects
 * deleted since, nodes re-planned since, a problem's intermediate state.
 *
 * Speed (issue 21): each table is read once, grouped (projects, the nodes
 * open on the day per project, the approved investment per project, the
 * plans), and merged here; the problems are read once in the table's own
 * order and counted here, per unit and state, keeping the overdue ones for
 * their list.  `--timings` prints each step's time.  On paper the
 * long lists are cut to what a reader takes in: the first 100 red/yellow
 * projects, overdue nodes and overdue problems, and the 20 busiest units,
 * each followed by a row for the rest; the XLSX keeps every row.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "clock.h"
#include "auth.h"
#include "calendar_db.h"
#include "cli.h"
#include "dispatch.h"
#include "export.h"
#include "escalation.h"
#include "http.h"
#include "lights.h"
#include "pdfdoc.h"
#include "problems.h"
#include "projects.h"

#define MAX_TABLES 12

/* `guatu report weekly --timings`: the wall and CPU time of each step on
 * stderr, to see where a slow report spends it (issue 21). */
static int timings;
static void phase(const char *what) {
  static double w0, c0;
  if (!timings) return;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
  double w = (double)a.tv_sec + (double)a.tv_nsec / 1e9, c = (double)b.tv_sec + (double)b.tv_nsec / 1e9;
  if (what) fprintf(stderr, "%-24s wall %7.3f s  cpu %7.3f s\n", what, w - w0, c - c0);
  w0 = w;
  c0 = c;
}

typedef struct wtable {
  const char *sheet, *title, *empty;
  int ncols, nrows, cap;
  const char *heads[10];
  double widths[10];
  int right[10];
  const char **cells;
  /* on paper only the first pdf_top rows (0: all), then the ntail rows of
   * tail (the rest summed, the total); the spreadsheet has every row */
  int pdf_top, ntail;
  const char **tail;
  const char *pdf_title; /* the heading on paper when it shows fewer rows */
  int bars;              /* the chart follows this table */
} wtable;

/* the units named one by one in the PDF's problems-by-unit table */
#define PDF_TOP_UNITS 20
/* the red and yellow projects, overdue nodes and overdue problems listed
 * one by one in the PDF (the spreadsheet: every red and yellow project,
 * the 300 longest overdue nodes and problems) */
#define PDF_TOP_ROWS 100

typedef struct weekly {
  arena *a;
  int year, week;
  char monday[11], sunday[11], asof[11], generated[11];
  const char *district, *summary;
  const char *office;                /* the issuing office, named on the masthead */
  const char *dist_report, *dist_send, *dist_issue; /* 报 / 送 / 发 */
  wtable t[MAX_TABLES];
  int nt;
  /* the chart: problems per unit */
  int nbars;
  const char *bar_labels[12];
  double bar_values[12 * 3];
} weekly;

static wtable *table(weekly *w, const char *sheet, const char *title, const char *empty, int ncols, const char *const *heads,
                     const double *widths, const int *right) {
  wtable *t = &w->t[w->nt++];
  memset(t, 0, sizeof *t);
  t->sheet = sheet;
  t->title = title;
  t->empty = empty;
  t->ncols = ncols;
  for (int c = 0; c < ncols; c++) {
    t->heads[c] = heads[c];
    t->widths[c] = widths ? widths[c] : 1;
    t->right[c] = right ? right[c] : 0;
  }
  return t;
}

static void row(weekly *w, wtable *t, ...) {
  if (t->nrows == t->cap) {
    int cap = t->cap ? t->cap * 2 : 16;
    const char **nc = arena_alloc(w->a, sizeof(char *) * (size_t)(cap * t->ncols));
    if (t->nrows) memcpy(nc, t->cells, sizeof(char *) * (size_t)(t->nrows * t->ncols));
    t->cells = nc;
    t->cap = cap;
  }
  va_list ap;
  va_start(ap, t);
  for (int c = 0; c < t->ncols; c++) {
    const char *s = va_arg(ap, const char *); // NOLINT(clang-analyzer-valist.Uninitialized): va_start above
    t->cells[t->nrows * t->ncols + c] = arena_strdup(w->a, s ? s : "");
  }
  va_end(ap);
  t->nrows++;
}

/* On paper the table shows its first `top` rows, then one row for the
 * rest (its cells empty: the caller fills them); the heading says so. */
static const char **pdf_cut(weekly *w, wtable *t, int top, const char *note) {
  if (t->nrows <= top) return NULL;
  t->pdf_top = top;
  t->ntail = 1;
  t->tail = arena_alloc(w->a, sizeof(char *) * (size_t)t->ncols);
  for (int c = 0; c < t->ncols; c++) t->tail[c] = "";
  t->pdf_title = arena_printf(w->a, "%s（%s）", t->title, note);
  return t->tail;
}

/* Where the rest of a cut list is: every row in the XLSX, or its first n. */
static const char *listed(arena *a, int n, int64_t total) {
  return n >= total ? "逐项见" : arena_printf(a, "前%d个见", n);
}

/* 123456789 fen → "1234567.89" 万元 with two decimals: "123.46" */
static const char *wan(arena *a, int64_t fen) {
  /* 1 万元 = 1,000,000 fen; round half up to 0.01 万元 = 10,000 fen */
  int64_t units = (fen + 5000) / 10000, whole = units / 100;
  char digits[32], grouped[48];
  int n = snprintf(digits, sizeof digits, "%lld", (long long)whole), k = 0;
  for (int i = 0; i < n; i++) {
    if (i && (n - i) % 3 == 0) grouped[k++] = ',';
    grouped[k++] = digits[i];
  }
  grouped[k] = 0;
  return arena_printf(a, "%s.%02lld", grouped, (long long)(units % 100));
}
static const char *pct(arena *a, int64_t num, int64_t den) {
  if (den <= 0) return "—";
  int64_t bp = (num * 10000 * 2 + den) / (den * 2);
  return arena_printf(a, "%lld.%02lld%%", (long long)(bp / 100), (long long)(bp % 100));
}
static const char *num(arena *a, int64_t v) { return arena_printf(a, "%lld", (long long)v); }

/* "2022-W39" → year and week, with the week checked against the year. */
static int parse_week(const char *s, int *year, int *week, int32_t *monday) {
  if (!s || strlen(s) < 7 || strlen(s) > 8 || s[4] != '-' || (s[5] != 'W' && s[5] != 'w')) return -1;
  for (int i = 0; i < 4; i++)
    if (s[i] < '0' || s[i] > '9') return -1;
  char *end;
  long wk = strtol(s + 6, &end, 10);
  if (*end || wk < 1 || wk > 53) return -1;
  int y = (int)strtol(s, NULL, 10); /* the four digits were checked above */
  if (y < 2000 || y > 2100) return -1;
  int32_t jan4 = date_from_ymd(y, 1, 4);
  int32_t mon = jan4 - (date_weekday(jan4) - 1) + (int32_t)(wk - 1) * 7;
  int yy, mm, dd;
  date_to_ymd(mon + 3, &yy, &mm, &dd); /* the week's Thursday is in its ISO year */
  if (yy != y) return -1;
  *year = y;
  *week = (int)wk;
  *monday = mon;
  return 0;
}

static void current_week(char out[16]) {
  int32_t t = clock_today(), thu = t + 4 - date_weekday(t);
  int y, m, d;
  date_to_ymd(thu, &y, &m, &d);
  snprintf(out, 16, "%04d-W%02d", y % 10000, ((thu - date_from_ymd(y, 1, 1)) / 7 + 1) % 100);
}

/* ---- the facts as of the cut-off ----
 * Stored timestamps are UTC ("2026-11-18T02:00:00.000Z"); the as-of day
 * ends at 24:00 China time, 16:00 UTC. */
static const char *cutoff(arena *a, const char *asof) { return arena_printf(a, "%sT16:00:00.000Z", asof); }

/* The project p existed by the cut-off: no audit entry records its
 * creation after it (projects loaded without one, as the demo's, existed).
 * One uncorrelated set, read once (issue 21): as a NOT EXISTS per project
 * SQLite scanned the whole audit log once for each of a province's 50,000
 * projects whenever its statistics said the log was small (ANALYZE run on
 * a fresh database), and after a day's writes (~8,000 entries) the report
 * took a minute instead of a second. */
#define EXISTED                                                                                                     \
  " p.id NOT IN (SELECT al.entity_id FROM audit_log al WHERE al.entity = 'project' AND al.action = 'create' AND " \
  "al.at >= ? AND al.entity_id IS NOT NULL)"

/* A project's stage and year plan as of the cut-off, where a later change
 * recorded them (the "before" of the first audit update after it). */
typedef struct asof_fix {
  int64_t id;
  char stage[16];
  int has_stage, has_plan;
  int64_t plan;
} asof_fix;
typedef struct asof_fixes {
  asof_fix *v;
  int n;
} asof_fixes;

static int fix_cmp(const void *a, const void *b) {
  int64_t x = ((const asof_fix *)a)->id, y = ((const asof_fix *)b)->id;
  return (x > y) - (x < y);
}

static int load_fixes(db *d, arena *a, const char *cut, int year, asof_fixes *out) {
  out->v = NULL;
  out->n = 0;
  int cap = 0;
  db_stmt *st = db_query(d,
                         "SELECT entity_id, before_json FROM audit_log WHERE entity = 'project' AND action = 'update' AND at >= ? "
                         "ORDER BY at, id",
                         DBT(cut));
  if (!st) return -1;
  char y[8];
  snprintf(y, sizeof y, "%d", year % 10000);
  while (db_step(st) == DB_ROW) {
    int64_t id = db_int(st, 0);
    int seen = 0;
    for (int i = 0; i < out->n && !seen; i++) seen = out->v[i].id == id;
    json_t *b = seen || db_isnull(st, 1) ? NULL : json_loads(db_text(st, 1), 0, NULL);
    if (!b) continue;
    if (out->n == cap) {
      cap = cap ? cap * 2 : 32;
      asof_fix *nv = arena_alloc(a, sizeof *nv * (size_t)cap);
      if (out->n) memcpy(nv, out->v, sizeof *nv * (size_t)out->n);
      out->v = nv;
    }
    asof_fix *f = &out->v[out->n++];
    memset(f, 0, sizeof *f);
    f->id = id;
    const char *stage = json_string_value(json_object_get(b, "stage"));
    if (stage) {
      snprintf(f->stage, sizeof f->stage, "%s", stage);
      f->has_stage = 1;
    }
    json_t *plans = json_object_get(b, "annual_plan");
    if (json_is_object(plans)) {
      const char *zh, *en;
      f->has_plan = 1;
      json_t *pv = json_object_get(plans, y);
      if (!pv || json_money_read(pv, &f->plan, &zh, &en) != 0) f->plan = 0;
    }
    json_decref(b);
  }
  db_done(st);
  if (out->n > 1) qsort(out->v, (size_t)out->n, sizeof *out->v, fix_cmp);
  return 0;
}

static const asof_fix *find_fix(const asof_fixes *fx, int64_t id) {
  asof_fix key = {.id = id};
  return fx->n ? bsearch(&key, fx->v, (size_t)fx->n, sizeof *fx->v, fix_cmp) : NULL;
}

static int scheduled(const char *stage) { return !strcmp(stage, "preparation") || !strcmp(stage, "construction"); }

/* ---- one grouped pass per table ----
 * Each table the report reads is scanned once, grouped by project (or by
 * unit), and the groups are merged here: no correlated subquery per
 * project and no separate scan per figure (issue 21: a province of 50,000
 * projects, 600,000 nodes and 3 million reports). */

/* A figure per project: (project id, a number, a date or ""). */
typedef struct pfig {
  int64_t id, n;
  char date[12];
} pfig;
typedef struct pfigs {
  pfig *v;
  int n;
} pfigs;

static int pfig_cmp(const void *a, const void *b) {
  int64_t x = ((const pfig *)a)->id, y = ((const pfig *)b)->id;
  return (x > y) - (x < y);
}

/* Reads (project_id, number[, date]) rows, sorted by id here (a hash
 * aggregate on PostgreSQL returns them in any order).  -1 on an error. */
static int load_pfigs(arena *a, db_stmt *st, pfigs *out) {
  out->v = NULL;
  out->n = 0;
  if (!st) return -1;
  int cap = 0, rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (out->n == cap) {
      cap = cap ? cap * 2 : 1024;
      pfig *nv = arena_alloc(a, sizeof *nv * (size_t)cap);
      if (out->n) memcpy(nv, out->v, sizeof *nv * (size_t)out->n);
      out->v = nv;
    }
    pfig *f = &out->v[out->n++];
    f->id = db_int(st, 0);
    f->n = db_int(st, 1);
    f->date[0] = 0;
    if (db_columns(st) > 2 && !db_isnull(st, 2)) snprintf(f->date, sizeof f->date, "%s", db_text(st, 2));
  }
  db_done(st);
  if (rc != DB_DONE) return -1;
  if (out->n > 1) qsort(out->v, (size_t)out->n, sizeof *out->v, pfig_cmp);
  return 0;
}

static const pfig *find_pfig(const pfigs *fs, int64_t id) {
  pfig key = {.id = id};
  return fs->n ? bsearch(&key, fs->v, (size_t)fs->n, sizeof *fs->v, pfig_cmp) : NULL;
}

/* The project figures as of the day. */
typedef struct proj_figs {
  int64_t nsched, nall, plan, ytd, onodes;
  dispatch_red *reds;
  int nred;
} proj_figs;

/* Projects under preparation or construction on the as-of day whose light
 * was not green, with the reason (as dispatch_red_projects in dispatch.c,
 * but from the facts of that day); the scheduled and all projects then,
 * the year's plans, the investment approved by then and the nodes overdue
 * on the day.  Five grouped reads: the projects created after the cut-off
 * (audit log), the nodes still open on the day per project, the approved
 * investment per project, the year's plans, and the projects.  -1 on a
 * database error. */
static int projects_asof(db *d, arena *a, const char *asof, const char *cut, const asof_fixes *fx, proj_figs *o) {
  memset(o, 0, sizeof *o);
  int32_t today;
  if (date_parse(asof, &today) != 0) return -1;
  int y, m, dd;
  date_to_ymd(today, &y, &m, &dd);
  light_cfg cfg;
  lights_config_load(d, &cfg);
  char first[16], last[16];
  snprintf(first, sizeof first, "%04d-01", y % 10000);
  snprintf(last, sizeof last, "%04d-%02d", y % 10000, (m > 1 ? m - 1 : 0) % 100);
  pfigs later, open, invest, plans;
  /* projects whose creation is recorded after the cut-off did not exist
   * then (projects loaded without an audit entry, as the demo's, did) */
  if (load_pfigs(a,
                 db_query(d, "SELECT entity_id, 0 FROM audit_log WHERE entity = 'project' AND action = 'create' AND at >= ?",
                          DBT(cut)),
                 &later) != 0)
    return -1;
  /* nodes open on the day (one completed later was open then): the
   * earliest planned date and how many were past it */
  if (load_pfigs(a,
                 db_query(d,
                          "SELECT project_id, SUM(CASE WHEN planned_date < ? THEN 1 ELSE 0 END), MIN(planned_date) FROM nodes "
                          "WHERE actual_date IS NULL OR actual_date > ? GROUP BY project_id",
                          DBT(asof), DBT(asof)),
                 &open) != 0)
    return -1;
  /* the year's closed months, only reports approved by the cut-off.  The
   * CROSS JOIN keeps SQLite's join order: the projects in id order, each
   * one's reports through reports_project_state, so the report rows are
   * read in the order they lie in the file (driven by state and period
   * they are read all over it: twice the time); PostgreSQL plans it as
   * any inner join. */
  if (load_pfigs(a,
                 db_query(d,
                          "SELECT p.id, SUM(r.investment) FROM projects p CROSS JOIN reports r WHERE r.project_id = p.id "
                          "AND r.state = 'approved' AND r.period >= ? AND r.period <= ? AND r.reviewed_at < ? GROUP BY p.id",
                          DBT(first), DBT(last), DBT(cut)),
                 &invest) != 0)
    return -1;
  if (load_pfigs(a, db_query(d, "SELECT project_id, amount FROM project_plans WHERE year = ?", DBI(y)), &plans) != 0) return -1;
  for (int i = 0; i < invest.n; i++) o->ytd += invest.v[i].n;
  db_stmt *st = db_query(d, "SELECT p.id, p.name, u.name, p.stage FROM projects p JOIN units u ON u.id = p.unit_id ORDER BY p.code");
  if (!st) return -1;
  int cap = 64, n = 0, rc;
  dispatch_red *v = arena_alloc(a, sizeof *v * (size_t)cap);
  while ((rc = db_step(st)) == DB_ROW) {
    int64_t id = db_int(st, 0);
    if (find_pfig(&later, id)) continue;
    const pfig *nf = find_pfig(&open, id), *rf = find_pfig(&invest, id), *pf = find_pfig(&plans, id);
    int64_t ytd = rf ? rf->n : 0, plan = pf ? pf->n : 0;
    const char *stage = db_text(st, 3);
    const asof_fix *f = find_fix(fx, id);
    if (f && f->has_stage) stage = f->stage;
    if (f && f->has_plan) plan = f->plan;
    o->nall++;
    o->plan += plan;
    if (nf) o->onodes += nf->n;
    if (!scheduled(stage)) continue;
    o->nsched++;
    const char *next = nf && nf->date[0] ? nf->date : NULL;
    int light = light_from_columns(next, ytd, plan, y, today, &cfg);
    if (light == LIGHT_GREEN) continue;
    dispatch_red *e = dispatch_red_push(a, &v, &n, &cap);
    e->project_id = id;
    e->name = arena_strdup(a, db_text(st, 1));
    e->unit = arena_strdup(a, db_text(st, 2));
    e->light = light;
    e->ytd = ytd;
    e->plan = plan;
    e->next_open = next ? arena_strdup(a, next) : NULL;
  }
  db_done(st);
  if (rc != DB_DONE) return -1;
  dispatch_red_reasons(d, a, v, n, today, asof, &cfg, months_closed(y, today));
  o->reds = v;
  o->nred = n;
  return 0;
}

/* The problems of a lead unit as of the day. */
typedef struct unit_probs {
  int64_t id;
  const char *name;
  int64_t tot, open, overdue, esc2, closed;
} unit_probs;

/* An overdue problem on the day: the list is ordered by its deadline. */
typedef struct late_prob {
  int64_t id;
  char due[12], esc2[12];
} late_prob;

/* The problems as of the day: the totals, the count per state and per lead
 * unit (busiest first), and the overdue ones, longest overdue first. */
typedef struct prob_figs {
  int64_t raised, open, overdue, esc2, new_week, closed_week, closed_all;
  int64_t by_state[6];
  unit_probs *units;
  int nunits;
  late_prob *late;
  int nlate;
} prob_figs;

static void add_probs(unit_probs *to, const unit_probs *u) {
  to->tot += u->tot;
  to->open += u->open;
  to->overdue += u->overdue;
  to->esc2 += u->esc2;
  to->closed += u->closed;
}

static const char *const prob_states[] = {"open", "accepted", "in_progress", "replied", "reopened", "closed"};

static int unit_probs_cmp(const void *a, const void *b) {
  const unit_probs *x = a, *y = b;
  if (x->tot != y->tot) return x->tot < y->tot ? 1 : -1;
  return strcmp(x->name, y->name);
}

static int unit_id_cmp(const void *a, const void *b) {
  int64_t x = ((const unit_probs *)a)->id, y = ((const unit_probs *)b)->id;
  return (x > y) - (x < y);
}

static int late_cmp(const void *a, const void *b) {
  const late_prob *x = a, *y = b;
  int c = strcmp(x->due, y->due);
  return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* Dates are ISO text ("2026-11-15"), compared as SQL compares them; NULL
 * (s == NULL) compares as SQL's NULL: never true. */
static int before_eq(const char *s, const char *day) { return s && strcmp(s, day) <= 0; }
static int before(const char *s, const char *day) { return s && strcmp(s, day) < 0; }

/* One pass over the problems (issue 21): every problem raised by the day
 * (A) counts for its lead unit in the state it was in then (closed only if
 * closed by then, one closed later counts as replied, the step before),
 * and the overdue ones are kept for the list.  The table is read once in
 * its own order: grouped in SQL, or filtered on the day, SQLite walked it
 * through an index (by unit, by the day raised) and fetched each of the
 * 200,000 rows of a province from another page, three times the time of
 * this read, and read it twice.  M: the week's Monday.  -1 on a database
 * error. */
static int problems_asof(db *d, arena *a, const char *A, const char *M, prob_figs *o) {
  memset(o, 0, sizeof *o);
  /* every unit, by id: the lead units are found here */
  int nu = 0, cap = 0, rc;
  unit_probs *units = NULL;
  db_stmt *st = db_query0(d, "SELECT id, name FROM units");
  if (!st) return -1;
  while ((rc = db_step(st)) == DB_ROW) {
    if (nu == cap) {
      cap = cap ? cap * 2 : 256;
      unit_probs *nv = arena_alloc(a, sizeof *nv * (size_t)cap);
      if (nu) memcpy(nv, units, sizeof *nv * (size_t)nu);
      units = nv;
    }
    unit_probs *u = &units[nu++];
    memset(u, 0, sizeof *u);
    u->id = db_int(st, 0);
    u->name = arena_strdup(a, db_text(st, 1));
  }
  db_done(st);
  if (rc != DB_DONE) return -1;
  if (nu > 1) qsort(units, (size_t)nu, sizeof *units, unit_id_cmp);
  st = db_query0(d, "SELECT id, unit_id, state, raised_on, due_date, escalate2_date, closed_on FROM problems");
  if (!st) return -1;
  int lcap = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    const char *raised = db_text(st, 3);
    if (!before_eq(raised, A)) continue;
    unit_probs key = {.id = db_int(st, 1)};
    unit_probs *u = nu ? bsearch(&key, units, (size_t)nu, sizeof *units, unit_id_cmp) : NULL;
    if (!u) continue; /* as the join to the units did */
    const char *state = db_text(st, 2), *due = db_text(st, 4), *esc = db_text(st, 5), *closed_on = db_text(st, 6);
    int closed = before_eq(closed_on, A);
    const char *asof_state = closed ? "closed" : state && !strcmp(state, "closed") ? "replied" : state ? state : "";
    u->tot++;
    o->raised++;
    if (strcmp(raised, M) >= 0) o->new_week++;
    if (closed && strcmp(closed_on, M) >= 0) o->closed_week++;
    for (int s = 0; s < 6; s++)
      if (!strcmp(asof_state, prob_states[s])) o->by_state[s]++;
    if (closed) {
      u->closed++;
      o->closed_all++;
      continue;
    }
    int late = before(due, A), lvl2 = before(esc, A);
    u->open++;
    u->overdue += late;
    u->esc2 += lvl2;
    o->open++;
    o->overdue += late;
    o->esc2 += lvl2;
    if (!late) continue;
    if (o->nlate == lcap) {
      lcap = lcap ? lcap * 2 : 1024;
      late_prob *nv = arena_alloc(a, sizeof *nv * (size_t)lcap);
      if (o->nlate) memcpy(nv, o->late, sizeof *nv * (size_t)o->nlate);
      o->late = nv;
    }
    late_prob *lp = &o->late[o->nlate++];
    lp->id = db_int(st, 0);
    snprintf(lp->due, sizeof lp->due, "%s", due);
    snprintf(lp->esc2, sizeof lp->esc2, "%s", esc ? esc : "");
  }
  db_done(st);
  if (rc != DB_DONE) return -1;
  if (o->nlate > 1) qsort(o->late, (size_t)o->nlate, sizeof *o->late, late_cmp);
  /* the lead units with a problem raised by the day, busiest first */
  int k = 0;
  for (int i = 0; i < nu; i++)
    if (units[i].tot) units[k++] = units[i];
  o->units = units;
  o->nunits = k;
  if (k > 1) qsort(o->units, (size_t)k, sizeof *o->units, unit_probs_cmp);
  return 0;
}

/* The overdue problems' rows, longest overdue first: the first 300 of
 * those found in the one pass (problems_asof), with their project, title
 * and lead unit. */
static void late_rows(db *d, weekly *w, wtable *t, const prob_figs *pr, const calendar *cal, int32_t asof) {
  arena *a = w->a;
  size_t n = pr->nlate < 300 ? (size_t)pr->nlate : 300;
  if (n == 0) return;
  strbuf marks = STRBUF_INIT;
  db_val *ids = arena_alloc(a, sizeof *ids * n);
  for (size_t j = 0; j < n; j++) {
    sb_adds(&marks, j ? ", ?" : "?");
    ids[j] = DBI(pr->late[j].id);
  }
  typedef struct late_names {
    const char *project, *title, *unit;
  } late_names;
  late_names *names = arena_alloc(a, sizeof *names * n);
  memset(names, 0, sizeof *names * n);
  db_stmt *st = db_prepare(d,
                           arena_printf(a,
                                        "SELECT pr.id, p.name, pr.title, u.name FROM problems pr JOIN projects p ON p.id = "
                                        "pr.project_id JOIN units u ON u.id = pr.unit_id WHERE pr.id IN (%s)",
                                        sb_str(&marks)),
                           (int)n, ids);
  sb_release(&marks);
  while (st && db_step(st) == DB_ROW) {
    int64_t id = db_int(st, 0);
    for (size_t j = 0; j < n; j++)
      if (pr->late[j].id == id) {
        names[j] = (late_names){arena_strdup(a, db_text(st, 1)), arena_strdup(a, db_text(st, 2)), arena_strdup(a, db_text(st, 3))};
        break;
      }
  }
  db_done(st);
  int k = 0;
  for (size_t j = 0; j < n; j++) {
    const late_prob *lp = &pr->late[j];
    if (!names[j].project) continue; /* as the joins did */
    int32_t due = 0;
    date_parse(lp->due, &due);
    row(w, t, num(a, ++k), names[j].project, names[j].title, names[j].unit, lp->due,
        num(a, problem_days_overdue(cal, due, asof)), strcmp(lp->esc2, w->asof) < 0 ? "指挥长" : "联系领导");
  }
}

/* Gathers every figure of the report, counting working days with cal.  0,
 * or -1 on a database error. */
static int weekly_gather(db *d, weekly *w, const calendar *cal, int32_t monday) {
  arena *a = w->a;
  int32_t sunday = monday + 6, today = clock_today();
  int32_t asof = sunday < today ? sunday : today;
  date_format(monday, w->monday);
  date_format(sunday, w->sunday);
  date_format(asof, w->asof);
  date_format(today, w->generated);
  db_stmt *st = db_query0(d, "SELECT name FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1");
  w->district = st && db_step(st) == DB_ROW ? arena_strdup(a, db_text(st, 0)) : "";
  db_done(st);
  w->office = arena_printf(a, "%s重点项目建设指挥部办公室", w->district);
  /* the distribution block of an official document (报/送/发); the
   * settings dispatch.weekly.report|send|issue override the defaults */
  static const char *const dist_keys[] = {"dispatch.weekly.report", "dispatch.weekly.send", "dispatch.weekly.issue"};
  const char *dist[3] = {"区委、区人大常委会、区政府、区政协主要领导，区重点项目建设指挥部指挥长、副指挥长",
                         "区重点项目建设指挥部各成员单位", "各镇（街道）、各项目责任单位"};
  for (int i = 0; i < 3; i++) {
    st = db_query(d, "SELECT value FROM settings WHERE key = ?", DBT(dist_keys[i]));
    if (st && db_step(st) == DB_ROW && *db_text(st, 0)) dist[i] = arena_strdup(a, db_text(st, 0));
    db_done(st);
  }
  w->dist_report = dist[0];
  w->dist_send = dist[1];
  w->dist_issue = dist[2];

  int y, m, dd;
  date_to_ymd(asof, &y, &m, &dd);
  /* projects and lights, as of the day */
  const char *cut = cutoff(a, w->asof);
  asof_fixes fx;
  phase("settings");
  if (load_fixes(d, a, cut, y, &fx) != 0) return -1;
  phase("later changes");
  proj_figs pf;
  if (projects_asof(d, a, w->asof, cut, &fx, &pf) != 0) return -1;
  phase("projects and lights");
  int64_t nproj = pf.nsched, nall = pf.nall, plan = pf.plan, ytd = pf.ytd, onodes = pf.onodes;
  dispatch_red *reds = pf.reds;
  int nred = pf.nred;
  int red = 0, yellow = 0;
  for (int i = 0; i < nred; i++) reds[i].light == LIGHT_RED ? red++ : yellow++;
  /* problems as of the day */
  const char *A = w->asof, *M = w->monday;
  prob_figs pr;
  if (problems_asof(d, a, A, M, &pr) != 0) return -1;
  phase("problems");
  int64_t raised = pr.raised, open = pr.open, overdue = pr.overdue, esc2 = pr.esc2, new_week = pr.new_week,
          closed_week = pr.closed_week, closed_all = pr.closed_all;
  /* the last meeting held by the end of the week */
  int64_t meeting = 0;
  const char *mtitle = NULL, *mdate = NULL;
  st = db_query(d, "SELECT id, title, date FROM meetings WHERE date <= ? ORDER BY date DESC, id DESC LIMIT 1", DBT(w->sunday));
  if (st && db_step(st) == DB_ROW) {
    meeting = db_int(st, 0);
    mtitle = arena_strdup(a, db_text(st, 1));
    mdate = arena_strdup(a, db_text(st, 2));
  }
  db_done(st);
  json_t *dec = meeting ? dispatch_decisions_json(d, meeting, w->asof) : json_array();
  phase("last meeting");
  int ndone = 0;
  size_t i;
  json_t *o;
  json_array_foreach(dec, i, o) {
    ndone += !strcmp(json_string_value(json_object_get(o, "status")), "done");
  }

  w->summary = arena_printf(
      a,
      "本周（%s至%s）全区纳入调度的在建及前期重点项目%lld个（项目库共%lld个），其中红灯%d个、黄灯%d个、绿灯%lld个。"
      "%d年计划投资%s万元，截至%d月累计完成%s万元，完成率%s。"
      "本周新提出问题%lld个、办结%lld个；截至%s在办问题%lld个，其中超期%lld个（提级至指挥长%lld个），逾期未完成节点%lld个。"
      "%s",
      w->monday, w->sunday, (long long)nproj, (long long)nall, red, yellow, (long long)(nproj - red - yellow), y,
      wan(a, plan), m > 1 ? m - 1 : 0, wan(a, ytd), pct(a, ytd, plan), (long long)new_week, (long long)closed_week, w->asof,
      (long long)open, (long long)overdue, (long long)esc2, (long long)onodes,
      meeting ? arena_printf(a, "上次调度会（%s，%s）作出决定%zu项，已完成%d项。", mdate, mtitle, json_array_size(dec), ndone)
              : "本周前尚未召开调度会。");

  /* 1 KPI */
  static const char *const kh[] = {"指标", "数值", "说明"};
  static const double kw[] = {3, 2, 5};
  static const int kr[] = {0, 1, 0};
  wtable *t = table(w, "主要指标", "一、主要指标", NULL, 3, kh, kw, kr);
  row(w, t, "调度项目数（个）", num(a, nproj), "在建及前期项目");
  row(w, t, "红灯项目（个）", num(a, red), "节点逾期或投资进度落后超过阈值");
  row(w, t, "黄灯项目（个）", num(a, yellow), "节点临期或投资进度落后");
  row(w, t, "绿灯项目（个）", num(a, nproj - red - yellow), "");
  row(w, t, arena_printf(a, "%d年计划投资（万元）", y), wan(a, plan), "");
  row(w, t, "累计完成投资（万元）", wan(a, ytd), arena_printf(a, "已审核月报，1—%d月", m > 1 ? m - 1 : 0));
  row(w, t, "投资完成率", pct(a, ytd, plan), "");
  row(w, t, "逾期未完成节点（个）", num(a, onodes), "");
  row(w, t, "累计交办问题（个）", num(a, raised), "");
  row(w, t, "累计办结问题（个）", num(a, closed_all), pct(a, closed_all, raised));
  row(w, t, "在办问题（个）", num(a, open), "");
  row(w, t, "超期问题（个）", num(a, overdue), "已提级至项目联系领导");
  row(w, t, "提级至指挥长（个）", num(a, esc2), "超期达办结时限两倍");
  row(w, t, "本周新提出问题（个）", num(a, new_week), "");
  row(w, t, "本周办结问题（个）", num(a, closed_week), "");

  /* 2 red / yellow projects */
  static const char *const rh[] = {"序号", "项目名称", "责任单位", "灯色", "原因"};
  static const double rw[] = {0.9, 3.2, 2.2, 0.9, 5};
  t = table(w, "红黄灯项目", "二、红黄灯项目", "本周无红灯、黄灯项目。", 5, rh, rw, NULL);
  int k = 0;
  for (int pass = 0; pass < 2; pass++)
    for (int j = 0; j < nred; j++)
      if ((pass == 0) == (reds[j].light == LIGHT_RED))
        row(w, t, num(a, ++k), reds[j].name, reds[j].unit, reds[j].light == LIGHT_RED ? "红灯" : "黄灯", reds[j].reason);
  /* on paper the first PDF_TOP_ROWS (red ones first), then a line for the
   * rest; the spreadsheet lists every one */
  const char **tail = pdf_cut(w, t, PDF_TOP_ROWS, arena_printf(a, "前%d个", PDF_TOP_ROWS));
  if (tail) {
    int rr = 0, ry = 0;
    for (int j = PDF_TOP_ROWS; j < nred; j++) reds[j].light == LIGHT_RED ? rr++ : ry++;
    tail[1] = arena_printf(a, "其余 %d 个项目", nred - PDF_TOP_ROWS);
    tail[4] = arena_printf(a, "其中红灯 %d 个、黄灯 %d 个，逐项见同期周报XLSX「红黄灯项目」表", rr, ry);
  }

  /* 3 overdue nodes */
  static const char *const nh[] = {"序号", "项目名称", "节点", "责任单位", "计划完成", "逾期（天）"};
  static const double nw[] = {0.9, 3.4, 2, 2.4, 1.6, 1.2};
  static const int nr[] = {0, 0, 0, 0, 0, 1};
  t = table(w, "逾期节点", "三、逾期未完成节点", "本周无逾期节点。", 6, nh, nw, nr);
  st = db_query(d,
                "SELECT p.name, n.name, COALESCE(u.name, ''), n.planned_date FROM nodes n JOIN projects p ON p.id = n.project_id "
                "LEFT JOIN units u ON u.id = n.unit_id WHERE n.planned_date < ? AND (n.actual_date IS NULL OR n.actual_date > ?) "
                "AND" EXISTED " ORDER BY n.planned_date, p.code, n.seq LIMIT 300",
                DBT(A), DBT(A), DBT(cut));
  k = 0;
  while (st && db_step(st) == DB_ROW) {
    int32_t pd = 0;
    date_parse(db_text(st, 3), &pd);
    row(w, t, num(a, ++k), db_text(st, 0), db_text(st, 1), db_text(st, 2), db_text(st, 3), num(a, asof - pd));
  }
  db_done(st);
  if ((tail = pdf_cut(w, t, PDF_TOP_ROWS, arena_printf(a, "逾期最久的%d个", PDF_TOP_ROWS))))
    tail[1] = arena_printf(a, "其余 %lld 个逾期节点，%s同期周报XLSX「逾期节点」表", (long long)(onodes - PDF_TOP_ROWS),
                           listed(a, t->nrows, onodes));

  /* 4 problems by state */
  static const char *const sh[] = {"状态", "问题数", "占比"};
  static const double sw[] = {3, 2, 2};
  static const int sr[] = {0, 1, 1};
  phase("overdue nodes");
  t = table(w, "问题按状态", "四、问题办理情况（按状态）", "暂无问题。", 3, sh, sw, sr);
  for (int s = 0; s < 6; s++) row(w, t, problem_state_zh(prob_states[s]), num(a, pr.by_state[s]), pct(a, pr.by_state[s], raised));
  row(w, t, "合计", num(a, raised), raised ? "100.00%" : "—");

  /* 5 problems by unit, and the chart of the busiest units */
  static const char *const uh[] = {"牵头单位", "交办", "在办", "超期", "提级指挥长", "已办结", "办结率"};
  static const double uw[] = {3.4, 1, 1, 1, 1.3, 1, 1.3};
  static const int ur[] = {0, 1, 1, 1, 1, 1, 1};
  t = table(w, "问题按单位", "五、问题办理情况（按牵头单位）", "暂无问题。", 7, uh, uw, ur);
  /* every unit in the spreadsheet; on paper the busiest PDF_TOP_UNITS,
   * then one row for the rest and the total */
  t->pdf_top = PDF_TOP_UNITS;
  unit_probs rest = {0}, all = {0};
  for (int j = 0; j < pr.nunits; j++) {
    const unit_probs *u = &pr.units[j];
    row(w, t, u->name, num(a, u->tot), num(a, u->open), num(a, u->overdue), num(a, u->esc2), num(a, u->closed),
        pct(a, u->closed, u->tot));
    add_probs(&all, u);
    if (j >= PDF_TOP_UNITS) add_probs(&rest, u);
    if (w->nbars < 10) {
      const char *name = u->name;
      /* shorten "荷塘区xx局" to "xx局" so the axis labels stay readable */
      if (strncmp(name, w->district, strlen(w->district)) == 0 && strlen(name) > strlen(w->district))
        name += strlen(w->district);
      w->bar_labels[w->nbars] = name;
      double *bv = &w->bar_values[(size_t)w->nbars * 3];
      bv[0] = (double)u->open;
      bv[1] = (double)u->overdue;
      bv[2] = (double)u->closed;
      w->nbars++;
    }
  }
  if (pr.nunits > PDF_TOP_UNITS) {
    const unit_probs *const tails[] = {&rest, &all};
    const char *labels[] = {arena_printf(a, "其余 %d 个单位", pr.nunits - PDF_TOP_UNITS), "合计"};
    t->ntail = 2;
    t->tail = arena_alloc(a, sizeof(char *) * 2 * 7);
    for (int j = 0; j < 2; j++) {
      const unit_probs *u = tails[j];
      const char *cells[] = {labels[j],        num(a, u->tot),    num(a, u->open), num(a, u->overdue),
                             num(a, u->esc2),  num(a, u->closed), pct(a, u->closed, u->tot)};
      memcpy(t->tail + (size_t)j * 7, cells, sizeof cells);
    }
    t->pdf_title = arena_printf(a, "%s（前%d位）", t->title, PDF_TOP_UNITS);
  }
  t->bars = 1;

  /* 6 overdue problems */
  static const char *const oh[] = {"序号", "项目", "问题", "牵头单位", "办结时限", "超期（工作日）", "督办"};
  static const double ow[] = {0.9, 2.4, 3.2, 2, 1.4, 1.1, 1.2};
  static const int orr[] = {0, 0, 0, 0, 0, 1, 0};
  t = table(w, "超期问题", "六、超期问题清单", "本周无超期问题。", 7, oh, ow, orr);
  late_rows(d, w, t, &pr, cal, asof);
  if ((tail = pdf_cut(w, t, PDF_TOP_ROWS, arena_printf(a, "超期最久的%d个", PDF_TOP_ROWS))))
    tail[2] = arena_printf(a, "其余 %lld 个超期问题，%s同期周报XLSX「超期问题」表", (long long)(overdue - PDF_TOP_ROWS),
                           listed(a, t->nrows, overdue));
  phase("overdue problems");
  /* 7 decisions of the last meeting */
  static const char *const dh[] = {"序号", "决定事项", "项目", "责任单位", "时限", "落实情况"};
  static const double dw[] = {0.9, 4, 2.4, 2, 1.4, 1.2};
  t = table(w, "调度决定",
            meeting ? arena_printf(a, "七、上次调度会决定落实情况（%s %s）", mdate, mtitle) : "七、上次调度会决定落实情况",
            "本周前尚未召开调度会或会议未作出决定。", 6, dh, dw, NULL);
  k = 0;
  json_array_foreach(dec, i, o) {
    row(w, t, num(a, ++k), json_string_value(json_object_get(o, "text")),
        json_string_value(json_object_get(o, "project_name")), json_string_value(json_object_get(o, "unit_name")),
        json_string_value(json_object_get(o, "deadline")), json_string_value(json_object_get(o, "status_name")));
  }
  json_decref(dec);
  return 0;
}

/* On SQLite a province's report reads some 500 MB of pages, most of them
 * through an index ordered by another key (reports by state and period,
 * problems by the day raised): through the connection's page cache (16 MB)
 * the same table page is read from the file again and again, a system call
 * each time.  For this report the file is memory-mapped instead (the
 * kernel's page cache, nothing allocated), and unmapped after, as the
 * connection returns to the pool. */
static int dispatch_weekly_build(db *d, weekly *w, const calendar *cal, int32_t monday) {
  int mapped = db_dialect(d) == DB_SQLITE && db_exec0(d, "PRAGMA mmap_size = 4294967296") == DB_OK;
  int rc = weekly_gather(d, w, cal, monday);
  if (mapped) db_exec0(d, "PRAGMA mmap_size = 0");
  return rc;
}

static const char *dispatch_weekly_title(weekly *w) { return arena_printf(w->a, "%s重点项目调度周报", w->district); }

static unsigned char *dispatch_weekly_pdf(weekly *w, size_t *len) {
  arena *a = w->a;
  pdfdoc *d = pdfdoc_new(dispatch_weekly_title(w), arena_printf(a, "%s重点项目建设指挥部办公室 · 生成于 %s", w->district, w->generated));
  if (!d) return NULL;
  /* the masthead of an official document: the title, the issue number (the
   * ISO week: one issue a week), the issuing office and the date */
  int iy, im, id;
  int32_t asof_day = 0;
  date_parse(w->asof, &asof_day);
  date_to_ymd(asof_day, &iy, &im, &id);
  pdfdoc_title(d, dispatch_weekly_title(w),
               arena_printf(a, "%d年第%d期（第%d周，%s 至 %s）\n%s　　%d年%d月%d日　数据截至 %s", w->year, w->week, w->week,
                            w->monday, w->sunday, w->office, iy, im, id, w->asof));
  pdfdoc_heading(d, "本周概况");
  pdfdoc_paragraph(d, w->summary);
  for (int i = 0; i < w->nt; i++) {
    wtable *t = &w->t[i];
    pdfdoc_heading(d, t->pdf_title ? t->pdf_title : t->title);
    int nrows = t->nrows;
    const char *const *cells = t->cells;
    if (t->pdf_top > 0 && nrows > t->pdf_top) {
      const char **c = arena_alloc(a, sizeof(char *) * (size_t)((t->pdf_top + t->ntail) * t->ncols));
      memcpy(c, t->cells, sizeof(char *) * (size_t)(t->pdf_top * t->ncols));
      if (t->ntail) memcpy(c + (size_t)t->pdf_top * (size_t)t->ncols, t->tail, sizeof(char *) * (size_t)(t->ntail * t->ncols));
      nrows = t->pdf_top + t->ntail;
      cells = c;
    }
    pdfdoc_table(d, t->ncols, t->heads, t->widths, t->right, nrows, cells, t->empty);
    if (t->bars && w->nbars > 0) {
      static const char *const series[] = {"在办", "超期", "已办结"};
      pdfdoc_bars(d, "图：各牵头单位问题办理情况（前10位）", w->nbars, w->bar_labels, 3, series, w->bar_values);
    }
  }
  pdfdoc_heading(d, "分送");
  pdfdoc_paragraph(d, arena_printf(a, "报：%s。", w->dist_report));
  pdfdoc_paragraph(d, arena_printf(a, "送：%s。", w->dist_send));
  pdfdoc_paragraph(d, arena_printf(a, "发：%s。", w->dist_issue));
  pdfdoc_paragraph(d, arena_printf(a, "%s　%d年%d月%d日印发", w->office, iy, im, id));
  unsigned char *out = pdfdoc_render(d, len);
  pdfdoc_free(d);
  return out;
}

static int dispatch_weekly_xlsx_file(weekly *w, const char *path) {
  lxw_workbook *wb = workbook_new(path);
  if (!wb) return -1;
  lxw_format *head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_bg_color(head, 0xDDEBF7);
  format_set_border(head, LXW_BORDER_THIN);
  format_set_text_wrap(head);
  lxw_format *cell = workbook_add_format(wb);
  format_set_border(cell, LXW_BORDER_THIN);
  format_set_text_wrap(cell);
  format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);
  lxw_format *title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 14);
  /* the summary sheet first: title, week, summary text */
  lxw_worksheet *ws = workbook_add_worksheet(wb, "周报概况");
  worksheet_set_column(ws, 0, 0, 100, NULL);
  worksheet_write_string(ws, 0, 0, dispatch_weekly_title(w), title);
  worksheet_write_string(ws, 1, 0,
                         arena_printf(w->a, "%d年第%d期（第%d周，%s 至 %s），%s，数据截至 %s，生成于 %s", w->year, w->week, w->week,
                                      w->monday, w->sunday, w->office, w->asof, w->generated),
                         NULL);
  lxw_format *wrap = workbook_add_format(wb);
  format_set_text_wrap(wrap);
  worksheet_set_row(ws, 3, 120, NULL);
  export_write_text(ws, 3, 0, w->summary, wrap);
  export_write_text(ws, 5, 0, arena_printf(w->a, "报：%s。", w->dist_report), wrap);
  export_write_text(ws, 6, 0, arena_printf(w->a, "送：%s。", w->dist_send), wrap);
  export_write_text(ws, 7, 0, arena_printf(w->a, "发：%s。", w->dist_issue), wrap);
  for (int i = 0; i < w->nt; i++) {
    wtable *t = &w->t[i];
    ws = workbook_add_worksheet(wb, t->sheet);
    worksheet_write_string(ws, 0, 0, t->title, title);
    for (int c = 0; c < t->ncols; c++) {
      worksheet_write_string(ws, 2, (lxw_col_t)c, t->heads[c], head);
      worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, t->widths[c] * 8 < 6 ? 6 : t->widths[c] * 8, NULL);
    }
    for (int r = 0; r < t->nrows; r++)
      for (int c = 0; c < t->ncols; c++) {
        const char *s = t->cells[r * t->ncols + c];
        /* numbers as numbers, so the sheet can be summed ("1,234.50" too);
         * "12.50%" stays text */
        char plain[64];
        size_t k = 0;
        for (const char *p = s; *p && k < sizeof plain - 1; p++)
          if (*p != ',') plain[k++] = *p;
        plain[k] = 0;
        char *end;
        double v = strtod(plain, &end);
        if (t->right[c] && *plain && !*end)
          worksheet_write_number(ws, (lxw_row_t)(r + 3), (lxw_col_t)c, v, cell);
        else
          export_write_text(ws, (lxw_row_t)(r + 3), (lxw_col_t)c, s, cell);
      }
    if (t->nrows == 0) worksheet_write_string(ws, 3, 0, t->empty, NULL);
    worksheet_freeze_panes(ws, 3, 0);
  }
  return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

static char *read_file_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  struct stat sb;
  if (!f || fstat(fileno(f), &sb) != 0) {
    if (f) fclose(f);
    return NULL;
  }
  char *data = malloc((size_t)sb.st_size + 1);
  *len = data ? fread(data, 1, (size_t)sb.st_size, f) : 0;
  fclose(f);
  return data;
}

/* GET /api/v1/dispatch/weekly?week=&format=pdf|xlsx (and /api/v1/reports/weekly) */
static void dispatch_weekly_get(req *r) {
  static const char *const formats[] = {"pdf", "xlsx", NULL};
  const char *format = qenum(r, "format", formats);
  const char *wk = req_arg(r, "week");
  char cur[16];
  if (!wk || !*wk) {
    current_week(cur);
    wk = cur;
  }
  weekly w = {.a = &r->a};
  int32_t monday = 0;
  if (parse_week(wk, &w.year, &w.week, &monday) != 0)
    field_error(r, "week", "周次格式应为 YYYY-Www，如 2022-W39", "must be an ISO week such as 2022-W39");
  else if (monday > clock_today())
    field_error(r, "week", "不能生成未来周次的周报", "the week has not started yet");
  if (has_errors(r)) return reply_invalid(r);
  /* Circulation (issue 13): a week's report is issued, and goes to every
   * responsible unit, once the week is over (its figures are as of its
   * Sunday); the report of the week still running is a draft for the
   * project office and the leaders. */
  if (!scope_reads_all(r) && monday + 6 >= clock_today())
    return reply_forbidden(r, "本周调度周报尚未印发，周末后可查看已印发的周报",
                           "this week's dispatch report is a draft until the week is over; earlier weeks' issued reports are open");
  if (!format) format = "pdf";
  if (dispatch_weekly_build(r->db, &w, req_calendar(r), monday) != 0) return reply_db_error(r, db_errcode(r->db));
  const char *fname = arena_printf(&r->a, "weekly-%04d-W%02d.%s", w.year, w.week, format);
  const char *cd = arena_printf(&r->a, "attachment; filename=\"%s\"; filename*=UTF-8''%s", fname, fname);
  if (!strcmp(format, "pdf")) {
    size_t len = 0;
    unsigned char *pdf = dispatch_weekly_pdf(&w, &len);
    if (!pdf) return reply_problem(r, 500, "生成失败 / Rendering failed", "无法生成PDF / Cannot render the PDF");
    reply_bytes(r, 200, "application/pdf", pdf, len);
    free(pdf);
  } else {
    char path[] = "/tmp/guatu-weekly-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return reply_problem(r, 500, "生成失败 / Rendering failed", "无法创建临时文件 / Cannot create a temporary file");
    close(fd);
    size_t len = 0;
    char *data = dispatch_weekly_xlsx_file(&w, path) == 0 ? read_file_all(path, &len) : NULL;
    unlink(path);
    if (!data) return reply_problem(r, 500, "生成失败 / Rendering failed", "无法写入XLSX / Cannot write the XLSX file");
    reply_bytes(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data, len);
    free(data);
  }
  reply_header(r, "Content-Disposition", cd);
}

/* ---- CLI ---- */

static const char report_usage[] =
    "guatu report weekly --week YYYY-Www --format pdf|xlsx --out FILE [--db DB] [--timings]   调度周报 / the weekly dispatch report";

static int cmd_dispatch_weekly(int argc, char **argv) {
  if (cli_wants_help(argc, argv)) return printf("%s\n", report_usage), 0;
  if (argc < 2 || strcmp(argv[1], "weekly") != 0) return fprintf(stderr, "usage: %s\n", report_usage), 2;
  const char *wk = cli_opt(argc, argv, "--week"), *format = cli_opt(argc, argv, "--format"), *out = cli_opt(argc, argv, "--out");
  if (!format) format = "pdf";
  if (!out || (strcmp(format, "pdf") != 0 && strcmp(format, "xlsx") != 0)) return fprintf(stderr, "usage: %s\n", report_usage), 2;
  char cur[16];
  if (!wk) {
    current_week(cur);
    wk = cur;
  }
  arena a;
  arena_init(&a);
  weekly w = {.a = &a};
  int32_t monday;
  if (parse_week(wk, &w.year, &w.week, &monday) != 0) {
    arena_release(&a);
    return fprintf(stderr, "guatu report: --week wants an ISO week such as 2022-W39, not '%s'\n", wk), 2;
  }
  timings = cli_flag(argc, argv, "--timings");
  phase(NULL);
  db *d = cli_open_db(argc, argv, report_usage);
  if (!d) {
    arena_release(&a);
    return 1;
  }
  phase("open and migrate");
  const calendar *cal = cal_acquire(d);
  int rc = dispatch_weekly_build(d, &w, cal, monday);
  cal_release(cal);
  phase("decisions");
  if (rc == 0 && !strcmp(format, "pdf")) {
    size_t len = 0;
    unsigned char *pdf = dispatch_weekly_pdf(&w, &len);
    phase("PDF layout and output");
    FILE *f = pdf ? fopen(out, "wb") : NULL;
    rc = f && fwrite(pdf, 1, len, f) == len ? 0 : -1;
    if (f && fclose(f) != 0) rc = -1;
    free(pdf);
  } else if (rc == 0) {
    rc = dispatch_weekly_xlsx_file(&w, out);
  }
  phase("file written");
  db_close(d);
  phase("database closed");
  arena_release(&a);
  if (rc != 0) return fprintf(stderr, "guatu report: cannot write %s\n", out), 1;
  printf("weekly report %04d-W%02d written to %s\n", w.year, w.week, out);
  return 0;
}

static const command report_cmd = {"report", report_usage, cmd_dispatch_weekly};
COMMAND_REGISTER(report_cmd)

static const route dispatch_weekly_routes[] = {
    ROUTE("GET", "/api/v1/dispatch/weekly", dispatch_weekly_get, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT,
          "调度周报（PDF/XLSX）/ Weekly dispatch report", 0),
    /* The first path, kept as an alias: the web UI asks for it. */
    ROUTE("GET", "/api/v1/reports/weekly", dispatch_weekly_get, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT,
          "调度周报（同 /api/v1/dispatch/weekly）/ Weekly dispatch report (alias of /api/v1/dispatch/weekly)", 0),
    {0},
};
/* Ordered before the reports module so /reports/weekly is not taken for /reports/{id}. */
static const module dispatch_weekly_module = {"dispatch-weekly", 39, dispatch_weekly_routes, NULL, NULL, NULL};
MODULE_REGISTER(dispatch_weekly_module)
