/*
 * dashboard.c — the leaders' dashboard (驾驶舱): where the year stands,
 * computed only from approved reports (through report_totals, kept in step
 * with every approval) and the project library, and every figure traceable
 * to the projects and reports behind it through the drill endpoint.
 *
 * GET /api/v1/dashboard?year&month
 *     ytd_investment, annual_plan, completion_rate, yoy_growth, lights,
 *     started, completed, targets, monthly, by_unit, by_chain, by_level,
 *     by_leader, overdue_nodes, unit_ranking
 * GET /api/v1/dashboard/drill?dimension=unit|chain|level|leader|month|light|started|completed|all&key&year&month&page&per_page
 *     the projects behind one figure, each with its approved reports
 *
 * The projects counted are those in the user's scope that are not reserve
 * projects (储备).  "month" (default: last month for the current year —
 * the period being reported — December for past years) bounds year-to-date; year-on-year growth
 * compares January..month with the same months of the year before.
 */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "auth.h"
#include "http.h"
#include "lights.h"
#include "money.h"
#include "progress.h"
#include "projects.h"
#include "rate.h"
#include "reports.h"
#include "rollups.h"

typedef struct dproj {
  int64_t id, unit_id, leader_id, plan, ytd, prev, month_fen;
  const char *code, *name, *unit, *chain, *level, *leader;
  int light;
} dproj;

typedef struct dset {
  dproj *p;
  size_t n, cap;
} dset;

typedef struct dparams {
  int year, month;
  int32_t today;
  int top;   /* groups shown per list (0: all) */
  int facts; /* from=facts: computed from the facts, never the group roll-ups */
} dparams;

/* Reads year and month; replies 422 itself and returns 0 on bad input. */
static int read_params(req *r, dparams *dp) {
  dp->today = clock_today();
  int ty, tm, td;
  date_to_ymd(dp->today, &ty, &tm, &td);
  dp->year = (int)qint(r, "year", 2000, 2200, ty);
  /* The current year defaults to last month: the period being reported
   * now, so year-on-year compares the same closed months. */
  dp->month = (int)qint(r, "month", 1, 12, dp->year == ty ? (tm > 1 ? tm - 1 : 1) : 12);
  dp->top = (int)qint(r, "top", 0, 100000, 50);
  static const char *const froms[] = {"rollups", "facts", NULL};
  const char *from = qenum(r, "from", froms);
  dp->facts = from && strcmp(from, "facts") == 0;
  if (has_errors(r)) {
    reply_invalid(r);
    return 0;
  }
  return 1;
}

/* Loads every project in scope (plus `extra` filter) with its figures;
 * `ordered` sorts them by id. */
static int load_projects(req *r, const dparams *dp, const char *extra, const db_val *xargs, int nx, int ordered, dset *out) {
  strbuf sql = STRBUF_INIT;
  db_val args[16];
  int n = 0;
  char ytd[160], prev[160];
  /* Year-to-date sums are added up in SQL so only four figures per
   * project cross the wire, not 24 months. */
  report_months_sum(ytd, sizeof ytd, "t", dp->month);
  report_months_sum(prev, sizeof prev, "l", dp->month);
  sb_addf(&sql, "SELECT p.id, p.code, p.name, p.unit_id, u.name, COALESCE(p.chain, ''), p.level, COALESCE(p.leader_id, 0), "
                "COALESCE(lu.name, ''), COALESCE(pp.amount, 0), COALESCE(%s, 0), COALESCE(%s, 0), COALESCE(t.m%02d, 0)",
          ytd, prev, dp->month);
  /* The earliest open node and the light come from the project's roll-up
   * (rollups.h), kept with every change; a project without one (none is
   * expected) falls back to its nodes. */
  sb_adds(&sql, ", CASE WHEN ru.project_id IS NULL "
                "THEN (SELECT MIN(n.planned_date) FROM nodes n WHERE n.project_id = p.id AND n.actual_date IS NULL) "
                "ELSE ru.next_open END, ru.day, COALESCE(ru.light, 0) "
                /* LEFT JOIN units (every project has one) keeps SQLite scanning
                 * projects in order instead of going through units first. */
                "FROM projects p LEFT JOIN units u ON u.id = p.unit_id LEFT JOIN users lu ON lu.id = p.leader_id "
                "LEFT JOIN project_rollups ru ON ru.project_id = p.id "
                "LEFT JOIN project_plans pp ON pp.project_id = p.id AND pp.year = ? "
                "LEFT JOIN report_totals t ON t.project_id = p.id AND t.year = ? "
                "LEFT JOIN report_totals l ON l.project_id = p.id AND l.year = ? "
                "WHERE p.stage <> 'reserve'");
  args[n++] = DBI(dp->year);
  args[n++] = DBI(dp->year);
  args[n++] = DBI(dp->year - 1);
  project_scope_sql(r, &sql, args, &n);
  if (extra) {
    sb_adds(&sql, extra);
    for (int i = 0; i < nx && n < 16; i++) args[n++] = xargs[i];
  }
  /* Only the drill-down pages through the rows; the totals need no order
   * (and sorting 50,000 wide rows is what a PostgreSQL sort spills for). */
  if (ordered) sb_adds(&sql, " ORDER BY p.id");
  db_stmt *st = db_prepare(r->db, sb_str(&sql), n, args);
  sb_release(&sql);
  if (!st) return -1;
  light_cfg cfg;
  lights_config_load(r->db, &cfg);
  /* A stored light is the light of its day for that day's year and
   * reported months (the default view): used only when both are asked. */
  char today[11];
  date_format(dp->today, today);
  int ty, tm, td;
  date_to_ymd(dp->today, &ty, &tm, &td);
  int stored_ok = dp->year == ty && dp->month == (tm > 1 ? tm - 1 : 1);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (out->n == out->cap) {
      size_t cap = out->cap ? out->cap * 2 : 256;
      dproj *np = arena_alloc(&r->a, cap * sizeof *np);
      if (out->n) memcpy(np, out->p, out->n * sizeof *np);
      out->p = np;
      out->cap = cap;
    }
    dproj *p = &out->p[out->n++];
    memset(p, 0, sizeof *p);
    p->id = db_int(st, 0);
    p->code = arena_strdup(&r->a, db_text(st, 1));
    p->name = arena_strdup(&r->a, db_text(st, 2));
    p->unit_id = db_int(st, 3);
    p->unit = arena_strdup(&r->a, db_text(st, 4));
    p->chain = arena_strdup(&r->a, db_text(st, 5));
    p->level = arena_strdup(&r->a, db_text(st, 6));
    p->leader_id = db_int(st, 7);
    p->leader = arena_strdup(&r->a, db_text(st, 8));
    p->plan = db_int(st, 9);
    p->ytd = db_int(st, 10);
    p->prev = db_int(st, 11);
    p->month_fen = db_int(st, 12);
    int64_t sl = db_int(st, 15);
    if (stored_ok && sl >= LIGHT_GREEN && sl <= LIGHT_RED && !db_isnull(st, 14) && strcmp(db_text(st, 14), today) == 0)
      p->light = (int)sl;
    else p->light = light_from_columns(db_isnull(st, 13) ? NULL : db_text(st, 13), p->ytd, p->plan, dp->year, dp->today, &cfg);
  }
  db_done(st);
  return rc == DB_DONE ? 0 : -1;
}

/* Approved investment per month of `year` over the projects in scope. */
static int monthly_sums(req *r, int year, progress_year *py) {
  strbuf sql = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  sb_adds(&sql, "SELECT 0");
  for (int m = 1; m <= 12; m++) sb_addf(&sql, ", COALESCE(SUM(t.m%02d), 0)", m);
  sb_adds(&sql, " FROM report_totals t JOIN projects p ON p.id = t.project_id WHERE t.year = ? AND p.stage <> 'reserve'");
  args[n++] = DBI(year);
  project_scope_sql(r, &sql, args, &n);
  db_stmt *st = db_prepare(r->db, sb_str(&sql), n, args);
  sb_release(&sql);
  memset(py, 0, sizeof *py);
  int rc = st ? db_step(st) : DB_ERROR;
  if (rc == DB_ROW)
    for (int m = 0; m < 12; m++) py->m[m] = db_int(st, 1 + m);
  db_done(st);
  return rc == DB_ROW ? 0 : -1;
}

/* ---- grouping ---- */

typedef struct group {
  const char *key, *name;
  int64_t plan, ytd, prev;
  int count, lights[3];
} group;

typedef struct groups {
  group *g;
  size_t n, cap;
  size_t *slots; /* open addressing over g indexes + 1 */
  size_t nslots;
} groups;

static size_t hash_str(const char *s) {
  size_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static void groups_init(arena *a, groups *gs, size_t expect) {
  gs->cap = expect + 1;
  gs->g = arena_alloc(a, gs->cap * sizeof *gs->g);
  gs->n = 0;
  gs->nslots = 16;
  while (gs->nslots < expect * 2) gs->nslots *= 2;
  gs->slots = arena_alloc(a, gs->nslots * sizeof *gs->slots);
}

/* The group of `key`, added (named `name`) when missing. */
static group *groups_slot(arena *a, groups *gs, const char *key, const char *name) {
  size_t i = hash_str(key) & (gs->nslots - 1);
  while (gs->slots[i] && strcmp(gs->g[gs->slots[i] - 1].key, key) != 0) i = (i + 1) & (gs->nslots - 1);
  if (!gs->slots[i]) {
    group *g = &gs->g[gs->n++];
    memset(g, 0, sizeof *g);
    g->key = arena_strdup(a, key);
    g->name = name;
    gs->slots[i] = gs->n;
  }
  return &gs->g[gs->slots[i] - 1];
}

static void groups_add(arena *a, groups *gs, const char *key, const char *name, const dproj *p) {
  group *g = groups_slot(a, gs, key, name);
  g->plan = money_add(g->plan, p->plan);
  g->ytd = money_add(g->ytd, p->ytd);
  g->prev = money_add(g->prev, p->prev);
  g->count++;
  g->lights[p->light]++;
}

/* Adds a group already summed (a group roll-up) under `key`. */
static void groups_put(arena *a, groups *gs, const char *key, const char *name, const int64_t f[4], const int lights[3]) {
  group *g = groups_slot(a, gs, key, name);
  g->count += (int)f[0];
  g->plan = money_add(g->plan, f[1]);
  g->ytd = money_add(g->ytd, f[2]);
  g->prev = money_add(g->prev, f[3]);
  for (int k = 0; k < 3; k++) g->lights[k] += lights[k];
}

static json_t *lights_json(const int l[3]) {
  return json_pack("{s:i, s:i, s:i}", "red", l[LIGHT_RED], "yellow", l[LIGHT_YELLOW], "green", l[LIGHT_GREEN]);
}

static json_t *group_json(const group *g) {
  char rate[32], growth[32];
  progress_rate(g->ytd, g->plan, rate);
  int has_growth = progress_growth(g->ytd, g->prev, growth);
  json_t *o = json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:s, s:o, s:o}", "key", g->key, "name", g->name, "projects", g->count,
                        "annual_plan", json_money(g->plan), "ytd_investment", json_money(g->ytd), "last_year", json_money(g->prev),
                        "completion_rate", rate, "yoy_growth", has_growth ? json_string(growth) : json_null(), "lights",
                        lights_json(g->lights));
  return o;
}

/* ytd/plan as a comparable fraction, for ranking without floating point. */
static int cmp_rate(const void *a, const void *b) {
  const group *x = a, *y = b;
  __int128 l = (__int128)x->ytd * (y->plan > 0 ? y->plan : 1), rr = (__int128)y->ytd * (x->plan > 0 ? x->plan : 1);
  if (x->plan <= 0 || y->plan <= 0) {
    if ((x->plan > 0) != (y->plan > 0)) return x->plan > 0 ? -1 : 1;
  } else if (l != rr) {
    return l > rr ? -1 : 1;
  }
  if (x->ytd != y->ytd) return x->ytd > y->ytd ? -1 : 1;
  return strcmp(x->name, y->name);
}

static int cmp_ytd(const void *a, const void *b) {
  const group *x = a, *y = b;
  if (x->ytd != y->ytd) return x->ytd > y->ytd ? -1 : 1;
  return strcmp(x->key, y->key);
}

/* The first `top` groups (0: all) in the order of `cmp`. */
static json_t *groups_json(groups *gs, int (*cmp)(const void *, const void *), int top) {
  qsort(gs->g, gs->n, sizeof *gs->g, cmp);
  json_t *a = json_array();
  for (size_t i = 0; i < gs->n && (top <= 0 || i < (size_t)top); i++) {
    json_t *o = group_json(&gs->g[i]);
    if (cmp == cmp_rate) json_object_set_new(o, "rank", json_integer((json_int_t)i + 1));
    json_array_append_new(a, o);
  }
  return a;
}

static const char *level_zh(const char *l) {
  for (int i = 0; project_levels[i]; i++)
    if (strcmp(project_levels[i], l) == 0) return project_levels_zh[i];
  return l;
}

/* Projects started / completed within the year: a node of kind start /
 * completion with its actual date in the year.  Read from the nodes side
 * through nodes_kind_actual, so the cost follows the year's milestones,
 * not the size of the library. */
static void count_done(req *r, const dparams *dp, int64_t *started, int64_t *completed) {
  strbuf sql = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  char from[11], to[11];
  date_format(date_from_ymd(dp->year, 1, 1), from);
  date_format(date_from_ymd(dp->year, 12, 31), to);
  sb_adds(&sql, "SELECT n.kind, COUNT(DISTINCT n.project_id) FROM nodes n JOIN projects p ON p.id = n.project_id "
                "WHERE n.kind IN ('start', 'completion') AND n.actual_date >= ? AND n.actual_date <= ? AND p.stage <> 'reserve'");
  args[n++] = DBT(arena_strdup(&r->a, from));
  args[n++] = DBT(arena_strdup(&r->a, to));
  project_scope_sql(r, &sql, args, &n);
  sb_adds(&sql, " GROUP BY n.kind");
  db_stmt *st = db_prepare(r->db, sb_str(&sql), n, args);
  sb_release(&sql);
  *started = *completed = 0;
  while (st && db_step(st) == DB_ROW) {
    if (strcmp(db_text(st, 0), "start") == 0) *started = db_int(st, 1);
    else *completed = db_int(st, 1);
  }
  db_done(st);
}

static json_t *overdue_nodes(req *r, const dparams *dp, int64_t *total) {
  char today[11];
  date_format(dp->today, today);
  strbuf w = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  /* nodes_open (actual_date, planned_date) reaches the open, past-due
   * nodes directly; the unit's name is joined for the 20 shown only. */
  sb_adds(&w, " FROM nodes n JOIN projects p ON p.id = n.project_id "
              "WHERE n.actual_date IS NULL AND n.planned_date < ? AND p.stage <> 'reserve'");
  args[n++] = DBT(arena_strdup(&r->a, today));
  project_scope_sql(r, &w, args, &n);
  const char *ws = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  /* the count only when no group roll-up holds it */
  if (total) *total = db_int1v(r->db, 0, arena_printf(&r->a, "SELECT COUNT(*)%s", ws), n, args);
  args[n++] = DBI(20);
  db_stmt *st = db_prepare(r->db,
                           arena_printf(&r->a, "SELECT x.id, x.name, x.kind, x.planned_date, x.project_id, x.project_name, u.name AS unit_name "
                                               "FROM (SELECT n.id, n.name, n.kind, n.planned_date, p.id AS project_id, p.name AS project_name, "
                                               "COALESCE(n.unit_id, p.unit_id) AS uid%s ORDER BY n.planned_date, n.id LIMIT ?) x "
                                               "LEFT JOIN units u ON u.id = x.uid ORDER BY x.planned_date, x.id", ws),
                           n, args);
  json_t *a = json_array();
  while (st && db_step(st) == DB_ROW) {
    json_t *o = db_row_json(st);
    int32_t pd;
    if (date_parse(db_text(st, 3), &pd) == 0) json_object_set_new(o, "days_overdue", json_integer(dp->today - pd));
    json_array_append_new(a, o);
  }
  db_done(st);
  return a;
}

/* The dashboard's headline figures and groups, however they were found.
 * ranking holds the units for unit_ranking (from the facts: every unit;
 * from the roll-ups: the first `top` by rate, by_unit the first by
 * investment), units the number of units in all. */
typedef struct dsum {
  int64_t count, plan, ytd, prev, started, completed, overdue;
  int lights[3];
  progress_year cur, last;
  groups by_unit, by_chain, by_level, by_leader, ranking;
  size_t units;
} dsum;

/* Computed from the projects in scope (and their nodes). */
static int from_facts(req *r, const dparams *dp, dsum *s) {
  dset ds = {0};
  if (load_projects(r, dp, NULL, NULL, 0, 0, &ds) != 0) return -1;
  s->count = (int64_t)ds.n;
  groups_init(&r->a, &s->by_unit, ds.n);
  groups_init(&r->a, &s->by_chain, ds.n);
  groups_init(&r->a, &s->by_level, 8);
  groups_init(&r->a, &s->by_leader, ds.n);
  for (size_t i = 0; i < ds.n; i++) {
    dproj *p = &ds.p[i];
    s->plan = money_add(s->plan, p->plan), s->ytd = money_add(s->ytd, p->ytd), s->prev = money_add(s->prev, p->prev);
    s->lights[p->light]++;
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)p->unit_id);
    groups_add(&r->a, &s->by_unit, key, p->unit, p);
    groups_add(&r->a, &s->by_chain, p->chain, *p->chain ? p->chain : "未分类", p);
    groups_add(&r->a, &s->by_level, p->level, level_zh(p->level), p);
    if (p->leader_id) {
      snprintf(key, sizeof key, "%lld", (long long)p->leader_id);
      groups_add(&r->a, &s->by_leader, key, p->leader, p);
    }
  }
  if (monthly_sums(r, dp->year, &s->cur) != 0 || monthly_sums(r, dp->year - 1, &s->last) != 0) return -1;
  count_done(r, dp, &s->started, &s->completed);
  s->units = s->by_unit.n;
  s->ranking = s->by_unit;
  s->ranking.g = arena_alloc(&r->a, (s->by_unit.n + 1) * sizeof *s->ranking.g);
  memcpy(s->ranking.g, s->by_unit.g, s->by_unit.n * sizeof *s->ranking.g);
  return 0;
}

typedef struct grow_read {
  char *dim, *key, *name;
  int64_t f[4]; /* projects, plan, ytd, prev */
  int lights[3];
} grow_read;

#define UNIT_COLS "g.unit_id, COALESCE(u.name, ''), g.projects, g.plan, g.ytd, g.prev, g.red, g.yellow, g.green, g.rate"

/* One unit row (UNIT_COLS) into a group of gs. */
static void put_unit(req *r, groups *gs, db_stmt *st) {
  if (gs->n + 1 >= gs->cap) return; /* a unit added since it was counted */
  int64_t f[4];
  int l[3];
  for (int k = 0; k < 4; k++) f[k] = db_int(st, 2 + k);
  l[LIGHT_RED] = (int)db_int(st, 6), l[LIGHT_YELLOW] = (int)db_int(st, 7), l[LIGHT_GREEN] = (int)db_int(st, 8);
  groups_put(&r->a, gs, arena_printf(&r->a, "%lld", (long long)db_int(st, 0)), arena_strdup(&r->a, db_text(st, 1)), f, l);
}

/* unit_ranking's first `top` units (0: all) in cmp_rate's order.  The
 * database hands over the unit rows in the order of their stored double
 * rate (rollup_rate, group_rollups_rate), up to the last unit tied with
 * the top-th: the exact order among those (cmp_rate: exact fractions, then
 * investment and name) is settled in C.  The limit doubles in the rare case that the tie
 * runs past it.  -1 on a database error. */
static int ranking_rows(req *r, int top, size_t units, groups *out) {
  for (int64_t limit = top > 0 ? (int64_t)top * 2 + 8 : 0;; limit *= 2) {
    int all = limit <= 0 || (size_t)limit >= units;
    strbuf sql = STRBUF_INIT;
    sb_adds(&sql, "SELECT " UNIT_COLS " FROM group_rollups g LEFT JOIN units u ON u.id = g.unit_id "
                  "WHERE g.dim = 'unit' AND g.unit_id <> 0 ORDER BY g.rate DESC");
    if (!all) sb_adds(&sql, " LIMIT ?");
    db_val lim = DBI(limit);
    db_stmt *st = db_prepare(r->db, sb_str(&sql), all ? 0 : 1, &lim);
    sb_release(&sql);
    groups_init(&r->a, out, (all ? units : (size_t)limit) + 64);
    /* db_real reads the value's text (15 digits on SQLite): rounding is
     * monotone, so a unit read as below the edge is below it exactly, and
     * one rounded onto the edge is only read in addition */
    int rc, past = 0;
    double edge = 0;
    while ((rc = st ? db_step(st) : DB_ERROR) == DB_ROW) {
      double k = db_real(st, 9);
      if (top > 0 && out->n >= (size_t)top && k < edge) {
        past = 1; /* every unit from here on ranks after the top-th */
        break;
      }
      put_unit(r, out, st);
      if (top > 0 && out->n == (size_t)top) edge = k;
    }
    db_done(st);
    if (rc != DB_ROW && rc != DB_DONE) return -1;
    if (all || past || top <= 0 || out->n < (size_t)limit) return 0;
  }
}

/* From the group roll-ups (rollups.h) when they can answer: the whole
 * province (a reader of every unit), the default view (this year, up to
 * last month) and every unit row for today.  What it reads is a handful
 * of rows whatever the size of the province: the row over every unit
 * (dim 'unit', unit 0) for the headline figures and months, the chains,
 * levels and leaders over every unit, and only the units shown — the
 * first `top` by investment (group_rollups_rank) and by rate.  1 when
 * answered, 0 when the caller computes, -1 on a database error. */
static int from_rollups(req *r, const dparams *dp, dsum *s) {
  int ty, tm, td;
  date_to_ymd(dp->today, &ty, &tm, &td);
  if (dp->facts || !scope_reads_all(r) || dp->year != ty || dp->month != (tm > 1 ? tm - 1 : 1)) return 0;
  char today[11];
  date_format(dp->today, today);
  /* One statement (one round trip on PostgreSQL): the mark that the rows
   * were built for today (rollup_groups_stale), the first and last day of
   * the unit rows (two probes of group_rollups_day: a unit's rows of
   * another day mean the tick has not run yet), and the province — the
   * row over every unit, none when it has no project. */
  strbuf sql = STRBUF_INIT;
  sb_adds(&sql, "SELECT (SELECT day FROM group_rollups WHERE dim = 'all' AND gkey = '' AND unit_id = 0), "
                "(SELECT MIN(day) FROM group_rollups WHERE dim = 'unit'), (SELECT MAX(day) FROM group_rollups WHERE dim = 'unit'), "
                "g.projects, g.plan, g.ytd, g.prev, g.red, g.yellow, g.green, g.started, g.completed, g.overdue, g.units");
  for (int m = 1; m <= 12; m++) sb_addf(&sql, ", g.m%02d", m);
  for (int m = 1; m <= 12; m++) sb_addf(&sql, ", g.l%02d", m);
  sb_adds(&sql, " FROM (SELECT 1 AS one) o LEFT JOIN group_rollups g ON g.dim = 'unit' AND g.gkey = '' AND g.unit_id = 0");
  db_stmt *st = db_query0(r->db, sb_str(&sql));
  sb_release(&sql);
  int rc = st ? db_step(st) : DB_ERROR;
  int fresh = rc == DB_ROW && !db_isnull(st, 0) && strcmp(db_text(st, 0), today) >= 0;
  for (int c = 1; fresh && c <= 2; c++) fresh = db_isnull(st, c) || strcmp(db_text(st, c), today) == 0;
  if (fresh && !db_isnull(st, 3)) {
    s->count = db_int(st, 3), s->plan = db_int(st, 4), s->ytd = db_int(st, 5), s->prev = db_int(st, 6);
    s->lights[LIGHT_RED] = (int)db_int(st, 7), s->lights[LIGHT_YELLOW] = (int)db_int(st, 8), s->lights[LIGHT_GREEN] = (int)db_int(st, 9);
    s->started = db_int(st, 10), s->completed = db_int(st, 11), s->overdue = db_int(st, 12);
    s->units = (size_t)db_int(st, 13);
    for (int m = 0; m < 12; m++) s->cur.m[m] = db_int(st, 14 + m), s->last.m[m] = db_int(st, 26 + m);
  }
  db_done(st);
  if (rc != DB_ROW) return -1;
  if (!fresh) return 0;
  /* by_unit: the first `top` by investment, as cmp_ytd orders them (the
   * key, a unit id, compared as text) */
  sql = (strbuf)STRBUF_INIT;
  sb_adds(&sql, "SELECT " UNIT_COLS " FROM group_rollups g LEFT JOIN units u ON u.id = g.unit_id "
                "WHERE g.dim = 'unit' AND g.unit_id <> 0 ORDER BY g.ytd DESC, CAST(g.unit_id AS TEXT)");
  if (dp->top > 0) sb_adds(&sql, " LIMIT ?");
  db_val lim = DBI(dp->top);
  st = db_prepare(r->db, sb_str(&sql), dp->top > 0 ? 1 : 0, &lim);
  sb_release(&sql);
  groups_init(&r->a, &s->by_unit, (dp->top > 0 ? (size_t)dp->top : s->units) + 64);
  while ((rc = st ? db_step(st) : DB_ERROR) == DB_ROW) put_unit(r, &s->by_unit, st);
  db_done(st);
  if (rc != DB_DONE) return -1;
  if (ranking_rows(r, dp->top, s->units, &s->ranking) != 0) return -1;
  /* the chains, levels and leaders over every unit */
  st = db_query0(r->db, "SELECT g.dim, g.gkey, COALESCE(lu.name, ''), g.projects, g.plan, g.ytd, g.prev, g.red, g.yellow, g.green "
                        "FROM group_rollups g LEFT JOIN users lu ON g.dim = 'leader' AND lu.id = g.ref "
                        "WHERE g.unit_id = 0 AND g.dim IN ('chain', 'level', 'leader')");
  size_t n = 0, cap = 256;
  grow_read *rows = arena_alloc(&r->a, cap * sizeof *rows);
  size_t per[3] = {0, 0, 0};
  while ((rc = st ? db_step(st) : DB_ERROR) == DB_ROW) {
    if (n == cap) rows = arena_grow(&r->a, rows, n, &cap, sizeof *rows);
    grow_read *g = &rows[n++];
    g->dim = arena_strdup(&r->a, db_text(st, 0));
    g->key = arena_strdup(&r->a, db_text(st, 1));
    g->name = arena_strdup(&r->a, db_text(st, 2));
    for (int k = 0; k < 4; k++) g->f[k] = db_int(st, 3 + k);
    g->lights[LIGHT_RED] = (int)db_int(st, 7), g->lights[LIGHT_YELLOW] = (int)db_int(st, 8), g->lights[LIGHT_GREEN] = (int)db_int(st, 9);
    per[*g->dim == 'c' ? 0 : strcmp(g->dim, "level") == 0 ? 1 : 2]++;
  }
  db_done(st);
  if (rc != DB_DONE) return -1;
  groups_init(&r->a, &s->by_chain, per[0]);
  groups_init(&r->a, &s->by_level, per[1]);
  groups_init(&r->a, &s->by_leader, per[2]);
  for (size_t i = 0; i < n; i++) {
    grow_read *g = &rows[i];
    if (*g->dim == 'c') groups_put(&r->a, &s->by_chain, g->key, *g->key ? g->key : "未分类", g->f, g->lights);
    else if (strcmp(g->dim, "level") == 0) groups_put(&r->a, &s->by_level, g->key, level_zh(g->key), g->f, g->lights);
    else groups_put(&r->a, &s->by_leader, g->key, g->name, g->f, g->lights);
  }
  return 1;
}

/* GET /api/v1/dashboard?year&month&top&from */
static void dashboard(req *r) {
  dparams dp;
  if (!read_params(r, &dp)) return;
  dsum s;
  memset(&s, 0, sizeof s);
  int used = from_rollups(r, &dp, &s);
  if (used < 0) return reply_db_error(r, db_errcode(r->db));
  if (!used) {
    memset(&s, 0, sizeof s);
    if (from_facts(r, &dp, &s) != 0) return reply_db_error(r, db_errcode(r->db));
  }
  char rate[32], growth[32];
  progress_rate(s.ytd, s.plan, rate);
  int has_growth = progress_growth(s.ytd, s.prev, growth);

  json_t *monthly = json_array();
  for (int m = 1; m <= 12; m++) {
    char period[8];
    progress_period(dp.year, m, period);
    json_array_append_new(monthly, json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:b}", "period", period, "month", m, "actual",
                                             json_money(s.cur.m[m - 1]), "cumulative", json_money(progress_ytd(&s.cur, m)),
                                             "plan_cumulative", json_money(progress_plan_share(s.plan, m)), "last_year",
                                             json_money(s.last.m[m - 1]), "last_year_cumulative",
                                             json_money(progress_ytd(&s.last, m)), "in_range", m <= dp.month));
  }
  db_stmt *st = db_query(r->db,
                         "SELECT start_target, complete_target, project_count, investment_target FROM year_targets WHERE year = ?",
                         DBI(dp.year));
  int64_t t_start = 0, t_complete = 0, t_count = 0, t_inv = 0;
  if (st && db_step(st) == DB_ROW) t_start = db_int(st, 0), t_complete = db_int(st, 1), t_count = db_int(st, 2), t_inv = db_int(st, 3);
  db_done(st);
  char inv_rate[32];
  progress_rate(s.ytd, t_inv, inv_rate);
  int64_t overdue_total = 0;
  json_t *overdue = overdue_nodes(r, &dp, used ? NULL : &overdue_total);
  if (used) overdue_total = s.overdue;
  char as_of[11];
  date_format(dp.today, as_of);

  json_t *o = json_object();
  json_object_set_new(o, "year", json_integer(dp.year));
  json_object_set_new(o, "month", json_integer(dp.month));
  json_object_set_new(o, "as_of", json_string(as_of));
  json_object_set_new(o, "source", json_string(used ? "rollups" : "facts"));
  json_object_set_new(o, "project_count", json_integer((json_int_t)s.count));
  json_object_set_new(o, "ytd_investment", json_money(s.ytd));
  json_object_set_new(o, "annual_plan", json_money(s.plan));
  json_object_set_new(o, "completion_rate", json_string(rate));
  json_object_set_new(o, "last_year_ytd", json_money(s.prev));
  json_object_set_new(o, "yoy_growth", has_growth ? json_string(growth) : json_null());
  json_object_set_new(o, "month_investment", json_money(s.cur.m[dp.month - 1]));
  json_object_set_new(o, "lights", lights_json(s.lights));
  json_object_set_new(o, "started", json_integer(s.started));
  json_object_set_new(o, "completed", json_integer(s.completed));
  json_object_set_new(o, "targets", json_pack("{s:I, s:I, s:I, s:o, s:s}", "start_target", (json_int_t)t_start, "complete_target",
                                              (json_int_t)t_complete, "project_count", (json_int_t)t_count, "investment_target",
                                              json_money(t_inv), "investment_rate", inv_rate));
  json_object_set_new(o, "monthly", monthly);
  json_object_set_new(o, "by_unit", groups_json(&s.by_unit, cmp_ytd, dp.top));
  json_object_set_new(o, "by_unit_total", json_integer((json_int_t)s.units));
  json_object_set_new(o, "by_chain", groups_json(&s.by_chain, cmp_ytd, dp.top));
  json_object_set_new(o, "by_chain_total", json_integer((json_int_t)s.by_chain.n));
  json_object_set_new(o, "by_level", groups_json(&s.by_level, cmp_ytd, 0));
  json_object_set_new(o, "by_leader", groups_json(&s.by_leader, cmp_ytd, dp.top));
  json_object_set_new(o, "by_leader_total", json_integer((json_int_t)s.by_leader.n));
  json_object_set_new(o, "unit_ranking", groups_json(&s.ranking, cmp_rate, dp.top));
  json_object_set_new(o, "unit_ranking_total", json_integer((json_int_t)s.units));
  json_object_set_new(o, "overdue_nodes", overdue);
  json_object_set_new(o, "overdue_total", json_integer(overdue_total));
  reply_json(r, 200, o);
}

/* GET /api/v1/dashboard/drill?dimension&key&year&month&page&per_page */
static void drill(req *r) {
  static const char *const dims[] = {"unit", "chain", "level", "leader", "month", "light", "started", "completed", "all", NULL};
  dparams dp;
  const char *dim = qenum(r, "dimension", dims);
  const char *key = req_arg(r, "key");
  if (!dim && !has_errors(r)) field_error(r, "dimension", "必填", "required");
  if (dim && strcmp(dim, "all") != 0 && strcmp(dim, "started") != 0 && strcmp(dim, "completed") != 0 && !key && !has_errors(r))
    field_error(r, "key", "必填", "required");
  int light = -1, kmonth = 0;
  if (dim && key && strcmp(dim, "light") == 0 && (light = light_parse(key)) < 0)
    field_error(r, "key", "应为 red、yellow 或 green", "must be red, yellow or green");
  if (dim && key && strcmp(dim, "month") == 0) {
    int ky, km;
    char *end;
    long k = strtol(key, &end, 10);
    if (month_parse(key, &ky, &km) == 0) kmonth = km;
    else if (*key && !*end && k >= 1 && k <= 12) kmonth = (int)k;
    else field_error(r, "key", "应为月份 YYYY-MM 或 1–12", "must be a month YYYY-MM or 1–12");
  }
  page pg;
  req_page(r, &pg);
  if (has_errors(r) || !dim) return reply_invalid(r);
  if (!read_params(r, &dp)) return;
  if (kmonth) dp.month = kmonth;
  if (!key) key = "";

  const char *extra = NULL;
  db_val xa[3];
  int nx = 0;
  if (strcmp(dim, "started") == 0 || strcmp(dim, "completed") == 0) {
    extra = " AND EXISTS (SELECT 1 FROM nodes n2 WHERE n2.project_id = p.id AND n2.kind = ? AND n2.actual_date >= ? AND n2.actual_date <= ?)";
    xa[nx++] = DBT(strcmp(dim, "started") == 0 ? "start" : "completion");
    xa[nx++] = DBT(arena_printf(&r->a, "%04d-01-01", dp.year));
    xa[nx++] = DBT(arena_printf(&r->a, "%04d-12-31", dp.year));
  } else if (strcmp(dim, "unit") == 0 || strcmp(dim, "leader") == 0) {
    extra = strcmp(dim, "unit") == 0 ? " AND p.unit_id = ?" : " AND p.leader_id = ?";
    xa[nx++] = DBI(strtoll(key, NULL, 10));
  } else if (strcmp(dim, "chain") == 0) {
    extra = " AND COALESCE(p.chain, '') = ?";
    xa[nx++] = DBT(key);
  } else if (strcmp(dim, "level") == 0) {
    extra = " AND p.level = ?";
    xa[nx++] = DBT(key);
  }
  dset ds = {0};
  if (load_projects(r, &dp, extra, xa, nx, 1, &ds) != 0) return reply_db_error(r, db_errcode(r->db));
  /* Filters computed in C: the light, and for a month the projects with an
   * approved figure in that month. */
  size_t k = 0;
  int64_t tytd = 0, tplan = 0, tmonth = 0;
  for (size_t i = 0; i < ds.n; i++) {
    dproj *p = &ds.p[i];
    if (light >= 0 && p->light != light) continue;
    if (kmonth && p->month_fen == 0) continue;
    tytd = money_add(tytd, p->ytd), tplan = money_add(tplan, p->plan), tmonth = money_add(tmonth, p->month_fen);
    ds.p[k++] = *p;
  }
  ds.n = k;
  json_t *items = json_array();
  char first[8], last[8];
  progress_period(dp.year, 1, first);
  progress_period(dp.year, dp.month, last);
  for (size_t i = (size_t)pg.offset; i < ds.n && i < (size_t)(pg.offset + pg.per_page); i++) {
    dproj *p = &ds.p[i];
    char rate[32];
    progress_rate(p->ytd, p->plan, rate);
    json_t *reports = json_array();
    db_stmt *st = db_query(r->db,
                           kmonth ? "SELECT id, period, investment AS investment__m, image_progress, percent, state FROM reports "
                                    "WHERE project_id = ? AND state = 'approved' AND period >= ? AND period = ? ORDER BY period"
                                  : "SELECT id, period, investment AS investment__m, image_progress, percent, state FROM reports "
                                    "WHERE project_id = ? AND state = 'approved' AND period >= ? AND period <= ? ORDER BY period",
                           DBI(p->id), DBT(first), DBT(last));
    while (st && db_step(st) == DB_ROW) json_array_append_new(reports, db_row_json(st));
    db_done(st);
    json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:o}", "id", (json_int_t)p->id, "code",
                          p->code, "name", p->name, "unit_id", (json_int_t)p->unit_id, "unit_name", p->unit, "chain", p->chain,
                          "level", p->level, "leader_name", p->leader, "annual_plan", json_money(p->plan), "ytd_investment",
                          json_money(p->ytd), "month_investment", json_money(p->month_fen), "last_year", json_money(p->prev),
                          "completion_rate", rate, "light", light_name(p->light), "reports", reports);
    json_array_append_new(items, o);
  }
  char trate[32];
  progress_rate(tytd, tplan, trate);
  json_t *o = json_pack("{s:o, s:I, s:I, s:I, s:{s:o, s:o, s:o, s:s}}", "items", items, "total", (json_int_t)ds.n, "page",
                        (json_int_t)pg.page, "per_page", (json_int_t)pg.per_page, "totals", "ytd_investment", json_money(tytd),
                        "annual_plan", json_money(tplan), "month_investment", json_money(tmonth), "completion_rate", trate);
  reply_json(r, 200, o);
}

#define R_DASH (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT | ROLE_ENTERPRISE)
static const route dashboard_routes[] = {
    ROUTE("GET", "/api/v1/dashboard", dashboard, R_DASH, "驾驶舱 / The leaders' dashboard", 0, DOM_PROJECTS | DOM_NODES | DOM_REPORTS),
    ROUTE("GET", "/api/v1/dashboard/drill", drill, R_DASH, "驾驶舱穿透 / The projects behind a dashboard figure", 0,
          DOM_PROJECTS | DOM_NODES | DOM_REPORTS),
    {0},
};
static const module dashboard_module = {"dashboard", 41, dashboard_routes, NULL, NULL, NULL};
MODULE_REGISTER(dashboard_module)
