/*
 * land_progress.c — how far land acquisition has come (征拆进度) and the hard
 * cases for the leading group (疑难个案).
 *
 * GET  /api/v1/projects/{id}/land-progress     planned_mu, acquired_mu, acquired_rate, households, signed,
 *                                               demolished, handed_over, due, paid, paid_rate, start_on, days
 * GET  /api/v1/land-progress                   district-wide, with by_unit (the project's responsible unit:
 *                                               town, street or HQ) and by_project
 * GET  /api/v1/projects/{id}/land-campaign?from&to   daily progress (会战): per day and cumulative
 * GET  /api/v1/land-hard-cases?state&project   hard cases in scope
 * POST /api/v1/households/{id}/hard-cases {title, description}
 * POST /api/v1/land-hard-cases/{id}/decision {meeting_on, members, decision, version}   office/admin
 *
 * Acquired land is the land of households handed over; signed counts every
 * household at signed or beyond (a demolished household has signed), and so
 * on: the cards add up along the sequence.
 */
#include <string.h>

#include "area.h"
#include "auth.h"
#include "calendar.h"
#include "clock.h"
#include "land_http.h"
#include "money.h"
#include "projects.h"
#include "rate.h"
#include "rollups.h"

#define PROGRESS_COLS                                                                                              \
  "COUNT(h.id), "                                                                                                  \
  "COALESCE(SUM(CASE WHEN h.state IN ('signed','demolished','handed_over') THEN 1 ELSE 0 END), 0), "              \
  "COALESCE(SUM(CASE WHEN h.state IN ('demolished','handed_over') THEN 1 ELSE 0 END), 0), "                       \
  "COALESCE(SUM(CASE WHEN h.state = 'handed_over' THEN 1 ELSE 0 END), 0), "                                       \
  "COALESCE(SUM(CASE WHEN h.state = 'handed_over' THEN h.collective_mu + h.state_mu ELSE 0 END), 0), "            \
  "COALESCE(SUM(h.collective_mu + h.state_mu), 0), COALESCE(SUM(h.due), 0), COALESCE(SUM(h.paid), 0), "           \
  "MIN(h.surveyed_on), COALESCE(SUM(h.houses), 0), "                                                               \
  "COALESCE(SUM(CASE WHEN h.state IN ('demolished','handed_over') THEN h.houses ELSE 0 END), 0) "

/* The figures of PROGRESS_COLS: v[k] the column k (v[8] unused), start
 * the earliest survey (column 8). */
typedef struct progress_sums {
  int64_t v[11];
  const char *start;
} progress_sums;

static json_t *progress_make(const progress_sums *ps, int64_t planned);

/* One progress object from a row of PROGRESS_COLS at column `c`, with the
 * plan. */
static json_t *progress_from(db_stmt *st, int c, int64_t planned) {
  progress_sums ps = {{0}, db_text(st, c + 8)};
  for (int k = 0; k < 11; k++)
    if (k != 8) ps.v[k] = db_int(st, c + k);
  return progress_make(&ps, planned);
}

static json_t *progress_make(const progress_sums *ps, int64_t planned) {
  char rate[32], prate[32];
  int64_t acquired = ps->v[4], due = ps->v[6], paid = ps->v[7];
  rate_format(acquired, planned, rate);
  rate_format(paid, due, prate);
  json_t *o = json_object();
  json_object_set_new(o, "planned_mu", json_area(planned));
  json_object_set_new(o, "acquired_mu", json_area(acquired));
  json_object_set_new(o, "acquired_rate", planned > 0 ? json_string(rate) : json_null());
  json_object_set_new(o, "surveyed_mu", json_area(ps->v[5]));
  json_object_set_new(o, "households", json_integer(ps->v[0]));
  json_object_set_new(o, "signed", json_integer(ps->v[1]));
  json_object_set_new(o, "demolished", json_integer(ps->v[2]));
  json_object_set_new(o, "handed_over", json_integer(ps->v[3]));
  json_object_set_new(o, "houses", json_integer(ps->v[9]));
  json_object_set_new(o, "houses_demolished", json_integer(ps->v[10]));
  json_object_set_new(o, "due", json_money(due));
  json_object_set_new(o, "paid", json_money(paid));
  json_object_set_new(o, "owed", json_money(due - paid));
  json_object_set_new(o, "paid_rate", due > 0 ? json_string(prate) : json_null());
  const char *start = ps->start;
  int32_t s0, today = clock_today();
  json_object_set_new(o, "start_on", json_str_or_null(start));
  json_object_set_new(o, "days", start && date_parse(start, &s0) == 0 ? json_integer(today - s0) : json_null());
  return o;
}

/* ---- the district-wide answer written as text ----
 *
 * /land-progress is ~2,600 progress objects (960 KB at province scale):
 * building them as jansson objects and dumping them took a third of the
 * answer's CPU once the sums came from the roll-up, so they are written
 * straight into the body — the same bytes as reply_json's compact dump
 * (keys in the order progress_make sets them, strings escaped as jansson
 * does). */

/* a member's key, after a comma unless it is the object's first */
static void jw_key(strbuf *sb, const char *key) {
  if (sb->len && sb->buf[sb->len - 1] != '{') sb_add(sb, ",", 1);
  sb_add(sb, "\"", 1);
  sb_adds(sb, key);
  sb_add(sb, "\":", 2);
}

static void jw_int(strbuf *sb, const char *key, int64_t v) {
  char b[24];
  int n = snprintf(b, sizeof b, "%lld", (long long)v);
  jw_key(sb, key);
  sb_add(sb, b, (size_t)n);
}

/* a formatted figure ("4191.26"), or null */
static void jw_fig(strbuf *sb, const char *key, const char *v) {
  jw_key(sb, key);
  if (v) {
    sb_add(sb, "\"", 1);
    sb_adds(sb, v);
    sb_add(sb, "\"", 1);
  } else {
    sb_add(sb, "null", 4);
  }
}

/* The members of progress_make's object. */
static void progress_write(strbuf *sb, const progress_sums *ps, int64_t planned, int32_t today) {
  char rate[32], prate[32], planned_s[32], acquired_s[32], surveyed_s[32], due_s[32], paid_s[32], owed_s[32];
  int64_t acquired = ps->v[4], due = ps->v[6], paid = ps->v[7];
  rate_format(acquired, planned, rate);
  rate_format(paid, due, prate);
  area_format(planned, planned_s);
  area_format(acquired, acquired_s);
  area_format(ps->v[5], surveyed_s);
  money_format_yuan(due, due_s);
  money_format_yuan(paid, paid_s);
  money_format_yuan(due - paid, owed_s);
  jw_fig(sb, "planned_mu", planned_s);
  jw_fig(sb, "acquired_mu", acquired_s);
  jw_fig(sb, "acquired_rate", planned > 0 ? rate : NULL);
  jw_fig(sb, "surveyed_mu", surveyed_s);
  jw_int(sb, "households", ps->v[0]);
  jw_int(sb, "signed", ps->v[1]);
  jw_int(sb, "demolished", ps->v[2]);
  jw_int(sb, "handed_over", ps->v[3]);
  jw_int(sb, "houses", ps->v[9]);
  jw_int(sb, "houses_demolished", ps->v[10]);
  jw_fig(sb, "due", due_s);
  jw_fig(sb, "paid", paid_s);
  jw_fig(sb, "owed", owed_s);
  jw_fig(sb, "paid_rate", due > 0 ? prate : NULL);
  int32_t s0;
  if (ps->start) {
    jw_key(sb, "start_on");
    sb_add_json_string(sb, ps->start);
  } else {
    jw_fig(sb, "start_on", NULL);
  }
  if (ps->start && date_parse(ps->start, &s0) == 0) jw_int(sb, "days", today - s0);
  else jw_fig(sb, "days", NULL);
}

/* ---- the battle map's land-acquisition nodes ---- */

int land_node_figures(db *d, int64_t project_id, land_node_fig *f) {
  memset(f, 0, sizeof *f);
  db_stmt *st = db_query(d,
                         "SELECT p.land_plan_mu, COUNT(h.id), "
                         "COALESCE(SUM(CASE WHEN h.state = 'handed_over' THEN 1 ELSE 0 END), 0), "
                         "COALESCE(SUM(CASE WHEN h.state = 'handed_over' THEN h.collective_mu + h.state_mu ELSE 0 END), 0) "
                         "FROM projects p LEFT JOIN land_households h ON h.project_id = p.id WHERE p.id = ? "
                         "GROUP BY p.id, p.land_plan_mu",
                         DBI(project_id));
  int rc = st && db_step(st) == DB_ROW ? DB_OK : DB_ERROR;
  if (rc == DB_OK) {
    f->planned = db_int(st, 0);
    f->households = db_int(st, 1);
    f->handed_over = db_int(st, 2);
    f->acquired = db_int(st, 3);
    f->done = (f->households > 0 && f->handed_over == f->households) || (f->planned > 0 && f->acquired >= f->planned);
  }
  db_done(st);
  return rc;
}

json_t *land_node_json(db *d, int64_t project_id) {
  land_node_fig f;
  if (land_node_figures(d, project_id, &f) != DB_OK || (f.households == 0 && f.planned == 0)) return json_null();
  char rate[32];
  rate_format(f.acquired, f.planned, rate);
  return json_pack("{s:I, s:I, s:o, s:o, s:o, s:b}", "households", (json_int_t)f.households, "handed_over",
                   (json_int_t)f.handed_over, "acquired_mu", json_area(f.acquired), "planned_mu", json_area(f.planned),
                   "acquired_rate", f.planned > 0 ? json_string(rate) : json_null(), "done", f.done);
}

/* The day the acquisition was done: the last handover when every household
 * is handed over, else the handover that brought the acquired land to the
 * plan.  Into buf (11 bytes); 0 when found. */
static int land_done_on(db *d, int64_t project_id, const land_node_fig *f, char buf[11]) {
  db_stmt *st = db_query(d,
                         "SELECT handed_over_on, collective_mu + state_mu FROM land_households WHERE project_id = ? "
                         "AND state = 'handed_over' AND handed_over_on IS NOT NULL ORDER BY handed_over_on, id",
                         DBI(project_id));
  int64_t sum = 0;
  int found = 0;
  int all = f->households > 0 && f->handed_over == f->households;
  while (st && db_step(st) == DB_ROW) {
    snprintf(buf, 11, "%s", db_text(st, 0));
    found = 1;
    sum += db_int(st, 1);
    if (!all && f->planned > 0 && sum >= f->planned) break;
  }
  db_done(st);
  return found ? 0 : -1;
}

int land_sync_nodes(db *d, int64_t project_id, const char *at) {
  int64_t open = db_int1(d, -1, "SELECT COUNT(*) FROM nodes WHERE project_id = ? AND kind = 'land_acquisition' AND actual_date IS NULL",
                         DBI(project_id));
  if (open < 0) return db_errcode(d);
  if (open == 0) return DB_OK;
  land_node_fig f;
  if (land_node_figures(d, project_id, &f) != DB_OK) return db_errcode(d);
  char on[11];
  if (!f.done || land_done_on(d, project_id, &f, on) != 0) return DB_OK;
  int rc = db_exec(d,
                   "UPDATE nodes SET actual_date = ?, version = version + 1, updated_at = ? WHERE project_id = ? "
                   "AND kind = 'land_acquisition' AND actual_date IS NULL",
                   DBT(on), DBT(at), DBI(project_id));
  return rc == DB_OK ? rollup_project(d, project_id) : rc;
}

/* GET /api/v1/projects/{id}/land-progress */
static void project_progress(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  if (land_project_scope(r, id) == PSCOPE_NONE) return reply_not_found(r, "项目", "Project");
  db_stmt *st = db_query(r->db,
                         "SELECT p.land_plan_mu, " PROGRESS_COLS "FROM projects p LEFT JOIN land_households h ON h.project_id = p.id "
                         "WHERE p.id = ? GROUP BY p.id, p.land_plan_mu",
                         DBI(id));
  if (!st || db_step(st) != DB_ROW) {
    db_done(st);
    return reply_db_error(r, db_errcode(r->db));
  }
  json_t *o = progress_from(st, 1, db_int(st, 0));
  db_done(st);
  json_object_set_new(o, "project_id", json_integer(id));
  json_object_set_new(o, "open_hard_cases",
                      json_integer(db_int1(r->db, 0, "SELECT COUNT(*) FROM land_hard_cases WHERE project_id = ? AND state = 'open'", DBI(id))));
  json_t *villages = json_array();
  st = db_query(r->db, "SELECT h.village, 0, " PROGRESS_COLS "FROM land_households h WHERE h.project_id = ? GROUP BY h.village ORDER BY h.village",
                DBI(id));
  while (st && db_step(st) == DB_ROW) {
    json_t *v = progress_from(st, 2, 0);
    json_object_set_new(v, "village", json_string(db_text(st, 0)));
    json_object_set_new(v, "published", json_boolean(db_int1(r->db, 0, "SELECT 1 FROM land_disclosures WHERE project_id = ? AND village = ?",
                                                              DBI(id), DBT(db_text(st, 0))) == 1));
    json_array_append_new(villages, v);
  }
  db_done(st);
  json_object_set_new(o, "villages", villages);
  reply_json(r, 200, o);
}

/* The figures of PROGRESS_COLS, in its order, from the roll-up l of a
 * project (land_rollups.c; no row: a project without households). */
#define ROLLUP_COLS                                                                                                \
  "COALESCE(l.households, 0), COALESCE(l.signed, 0), COALESCE(l.demolished, 0), COALESCE(l.handed_over, 0), "      \
  "COALESCE(l.acquired_mu, 0), COALESCE(l.surveyed_mu, 0), COALESCE(l.due, 0), COALESCE(l.paid, 0), l.start_on, "  \
  "COALESCE(l.houses, 0), COALESCE(l.houses_demolished, 0) "

/* A land project of /land-progress, then (sorted by unit) folded into its
 * unit: the unit's households summed, and the land plan of all the unit's
 * projects (as the unit's plan has always been counted). */
typedef struct lp_unit {
  int64_t id, planned;
  const char *name;
  progress_sums s;
} lp_unit;

static int lp_unit_cmp(const void *a, const void *b) {
  int64_t x = ((const lp_unit *)a)->id, y = ((const lp_unit *)b)->id;
  return x < y ? -1 : x > y;
}

/* GET /api/v1/land-progress — every project with a plan or households.
 *
 * Where the time went (province: 1,000,000 households on 7,028 of 50,000
 * projects; 0.6–0.8 s per uncached answer, ~0.8 s of server CPU): summing
 * every household per project and state, a scan of the whole covering index
 * land_households_progress (~0.35 s CPU; the index spares the table rows,
 * not the scan), and finding the land projects by walking all 50,000
 * projects with an EXISTS per project, three times.  Now: one pass over the
 * land projects in id order — those with a plan (the partial index
 * projects_land_plan) and those with a roll-up row — joined to their
 * roll-up (land_rollups.c, kept with every change of a household), giving
 * the plan total, the first 500 projects and the per-unit sums; and the
 * units' plans from the partial index. */
static void all_progress(req *r) {
  strbuf w = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  sb_adds(&w, "WHERE p.id IN (SELECT x.id FROM projects x WHERE x.land_plan_mu > 0 UNION SELECT y.project_id FROM land_rollups y)");
  project_scope_sql(r, &w, args, &n);
  db_stmt *st = db_prepare(r->db,
                           arena_printf(&r->a, "SELECT p.id, p.name, p.land_plan_mu, p.unit_id, u.name, " ROLLUP_COLS
                                               "FROM projects p JOIN units u ON u.id = p.unit_id LEFT JOIN land_rollups l "
                                               "ON l.project_id = p.id %s ORDER BY p.id",
                                        sb_str(&w)),
                           n, args);
  sb_release(&w);
  int32_t today = clock_today();
  strbuf projects = STRBUF_INIT; /* the first 500 projects' objects, comma-separated */
  size_t cap = 1024, np = 0;
  lp_unit *ps = arena_alloc(&r->a, sizeof *ps * cap);
  int64_t planned = 0;
  int rc = DB_ERROR;
  while (st && (rc = db_step(st)) == DB_ROW) {
    int64_t plan = db_int(st, 2);
    planned += plan;
    if (np == cap) ps = arena_grow(&r->a, ps, np, &cap, sizeof *ps);
    lp_unit *e = &ps[np];
    memset(e, 0, sizeof *e);
    e->id = db_int(st, 3);
    e->name = arena_strdup(&r->a, db_text(st, 4));
    for (int k = 0; k < 11; k++)
      if (k != 8) e->s.v[k] = db_int(st, 5 + k);
    e->s.start = db_isnull(st, 13) ? NULL : arena_strdup(&r->a, db_text(st, 13));
    if (np < 500) {
      sb_adds(&projects, np ? ",{" : "{");
      progress_write(&projects, &e->s, plan, today);
      jw_int(&projects, "project_id", db_int(st, 0));
      jw_key(&projects, "project_name");
      sb_add_json_string(&projects, db_text(st, 1));
      sb_add(&projects, "}", 1);
    }
    np++;
  }
  db_done(st);
  /* the projects folded into their units, in unit order */
  if (np) qsort(ps, np, sizeof *ps, lp_unit_cmp);
  size_t nu = 0;
  for (size_t i = 0; rc == DB_DONE && i < np; i++) {
    if (nu == 0 || ps[nu - 1].id != ps[i].id) {
      ps[nu++] = ps[i];
      continue;
    }
    progress_sums *u = &ps[nu - 1].s;
    for (int k = 0; k < 11; k++) u->v[k] += ps[i].s.v[k];
    if (ps[i].s.start && (!u->start || strcmp(ps[i].s.start, u->start) < 0)) u->start = ps[i].s.start;
  }
  /* each unit's plan counts all its projects (the index projects_land_plan) */
  if (rc == DB_DONE) {
    st = db_query0(r->db, "SELECT unit_id, SUM(land_plan_mu) FROM projects WHERE land_plan_mu > 0 GROUP BY unit_id");
    int prc = DB_ERROR;
    while (st && (prc = db_step(st)) == DB_ROW) {
      lp_unit key = {.id = db_int(st, 0)};
      lp_unit *hit = nu ? bsearch(&key, ps, nu, sizeof *ps, lp_unit_cmp) : NULL;
      if (hit) hit->planned = db_int(st, 1);
    }
    db_done(st);
    rc = prc;
  }
  if (rc != DB_DONE) {
    sb_release(&projects);
    return reply_db_error(r, db_errcode(r->db));
  }
  progress_sums all = {{0}, NULL};
  for (size_t i = 0; i < nu; i++) {
    for (int k = 0; k < 11; k++) all.v[k] += ps[i].s.v[k];
    if (ps[i].s.start && (!all.start || strcmp(ps[i].s.start, all.start) < 0)) all.start = ps[i].s.start;
  }
  strbuf o = STRBUF_INIT;
  sb_add(&o, "{", 1);
  progress_write(&o, &all, planned, today);
  jw_key(&o, "by_project");
  sb_add(&o, "[", 1);
  if (projects.len) sb_add(&o, projects.buf, projects.len);
  sb_release(&projects);
  sb_add(&o, "]", 1);
  jw_key(&o, "by_unit");
  sb_add(&o, "[", 1);
  for (size_t i = 0; i < nu; i++) {
    sb_adds(&o, i ? ",{" : "{");
    progress_write(&o, &ps[i].s, ps[i].planned, today);
    jw_int(&o, "unit_id", ps[i].id);
    jw_key(&o, "unit_name");
    sb_add_json_string(&o, ps[i].name);
    sb_add(&o, "}", 1);
  }
  sb_add(&o, "]}", 2);
  if (o.overflow) {
    sb_release(&o);
    return reply_db_error(r, DB_ERROR);
  }
  reply_bytes(r, 200, "application/json; charset=utf-8", o.buf, o.len);
  sb_release(&o);
}

/* GET /api/v1/projects/{id}/land-campaign?from&to — per day: households
 * signed, demolished and handed over, money paid, and running totals. */
static void campaign(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  const char *from = qdate(r, "from"), *to = qdate(r, "to");
  if (has_errors(r)) return reply_invalid(r);
  if (land_project_scope(r, id) == PSCOPE_NONE) return reply_not_found(r, "项目", "Project");
  int32_t d0 = 0, d1 = clock_today();
  if (to) date_parse(to, &d1);
  else {
    /* a campaign that ended long ago (三一's 40 days in 2020) ends at its last move */
    db_stmt *st = db_query(r->db,
                           "SELECT MAX(x) FROM (SELECT MAX(signed_on) AS x FROM land_households WHERE project_id = ? UNION ALL "
                           "SELECT MAX(handed_over_on) FROM land_households WHERE project_id = ? UNION ALL SELECT MAX(y.paid_on) "
                           "FROM land_payments y JOIN land_households h ON h.id = y.household_id WHERE h.project_id = ?) m",
                           DBI(id), DBI(id), DBI(id));
    const char *s = st && db_step(st) == DB_ROW ? db_text(st, 0) : NULL;
    int32_t last;
    if (s && date_parse(s, &last) == 0 && last + 30 < d1) d1 = last + 7;
    db_done(st);
  }
  if (from) date_parse(from, &d0);
  else {
    db_stmt *st = db_query(r->db, "SELECT MIN(surveyed_on) FROM land_households WHERE project_id = ?", DBI(id));
    const char *s = st && db_step(st) == DB_ROW ? db_text(st, 0) : NULL;
    if (!s || date_parse(s, &d0) != 0) d0 = d1;
    db_done(st);
    /* a ledger surveyed years before its latest move: the chart shows the
     * last 1100 days, what came before counted into the first day's totals */
    if (d1 - d0 > 1100) d0 = d1 - 1100;
  }
  if (d1 < d0 || d1 - d0 > 1100) {
    field_error(r, "from", "区间应为0到1100天", "the range must be 0 to 1100 days");
    return reply_invalid(r);
  }
  int ndays = d1 - d0 + 1;
  int64_t *counts = arena_alloc(&r->a, sizeof *counts * (size_t)ndays * 4);
  memset(counts, 0, sizeof *counts * (size_t)ndays * 4);
  static const char *const cols[] = {"signed_on", "demolished_on", "handed_over_on"};
  int64_t base[4] = {0};
  char a0[11], a1[11];
  date_format(d0, a0);
  date_format(d1, a1);
  for (int k = 0; k < 3; k++) {
    db_stmt *st = db_prepare(r->db,
                             arena_printf(&r->a, "SELECT %s, COUNT(*) FROM land_households WHERE project_id = ? AND %s IS NOT NULL "
                                                 "AND %s <= ? GROUP BY %s",
                                          cols[k], cols[k], cols[k], cols[k]),
                             2, (db_val[]){DBI(id), DBT(a1)});
    while (st && db_step(st) == DB_ROW) {
      int32_t day;
      if (date_parse(db_text(st, 0), &day) != 0) continue;
      if (day < d0) base[k] += db_int(st, 1);
      else counts[(size_t)(day - d0) * 4 + (size_t)k] += db_int(st, 1);
    }
    db_done(st);
  }
  db_stmt *st = db_query(r->db, "SELECT paid_on, SUM(amount) FROM land_payments y JOIN land_households h ON h.id = y.household_id "
                                "WHERE h.project_id = ? AND paid_on <= ? GROUP BY paid_on",
                         DBI(id), DBT(a1));
  while (st && db_step(st) == DB_ROW) {
    int32_t day;
    if (date_parse(db_text(st, 0), &day) != 0) continue;
    if (day < d0) base[3] += db_int(st, 1);
    else counts[(size_t)(day - d0) * 4 + 3] += db_int(st, 1);
  }
  db_done(st);
  json_t *days = json_array();
  int64_t cum[4] = {base[0], base[1], base[2], base[3]};
  for (int i = 0; i < ndays; i++) {
    char day[11];
    date_format(d0 + i, day);
    for (int k = 0; k < 4; k++) cum[k] += counts[(size_t)i * 4 + (size_t)k];
    json_array_append_new(days, json_pack("{s:s, s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:o}", "date", day, "signed",
                                          (json_int_t)counts[(size_t)i * 4], "demolished", (json_int_t)counts[(size_t)i * 4 + 1],
                                          "handed_over", (json_int_t)counts[(size_t)i * 4 + 2], "paid",
                                          json_money(counts[(size_t)i * 4 + 3]), "signed_total", (json_int_t)cum[0],
                                          "demolished_total", (json_int_t)cum[1], "handed_over_total", (json_int_t)cum[2],
                                          "paid_total", json_money(cum[3])));
  }
  reply_json(r, 200, json_pack("{s:I, s:s, s:s, s:I, s:o}", "project_id", (json_int_t)id, "from", a0, "to", a1, "households",
                               (json_int_t)db_int1(r->db, 0, "SELECT COUNT(*) FROM land_households WHERE project_id = ?", DBI(id)),
                               "days", days));
}

/* ---- hard cases ---- */

#define CASE_COLS                                                                                                  \
  "c.id, c.household_id, c.project_id, p.name AS project_name, h.village, h.head_name, c.title, c.description, "    \
  "c.state, c.raised_on, ru.name AS raised_by_name, c.meeting_on, c.members, c.decision, c.version, c.created_at, " \
  "c.updated_at FROM land_hard_cases c JOIN land_households h ON h.id = c.household_id JOIN projects p ON "          \
  "p.id = c.project_id LEFT JOIN users ru ON ru.id = c.raised_by "

static json_t *case_json(db *d, int64_t id) {
  db_stmt *st = db_query(d, "SELECT " CASE_COLS "WHERE c.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  return o;
}

int land_open_hard_cases(db *d, arena *a, const char *date, int max, land_open_case **out) {
  *out = NULL;
  if (max <= 0) return 0;
  land_open_case *v = arena_alloc(a, sizeof *v * (size_t)max);
  db_stmt *st = db_query(d,
                         "SELECT c.id, c.project_id, c.household_id, p.name, h.village, h.head_name, c.title, c.description, "
                         "c.raised_on FROM land_hard_cases c JOIN land_households h ON h.id = c.household_id JOIN projects p "
                         "ON p.id = c.project_id WHERE c.state = 'open' AND c.raised_on <= ? ORDER BY c.raised_on, c.id LIMIT ?",
                         DBT(date), DBI(max));
  if (!st) return -1;
  int n = 0, rc = DB_DONE;
  while (n < max && (rc = db_step(st)) == DB_ROW) {
    land_open_case *e = &v[n++];
    e->id = db_int(st, 0);
    e->project_id = db_int(st, 1);
    e->household_id = db_int(st, 2);
    e->project = arena_strdup(a, db_text(st, 3));
    e->village = arena_strdup(a, db_text(st, 4));
    e->head_name = arena_strdup(a, db_text(st, 5));
    e->title = arena_strdup(a, db_text(st, 6));
    e->description = arena_strdup(a, db_isnull(st, 7) ? "" : db_text(st, 7));
    e->raised_on = arena_strdup(a, db_text(st, 8));
  }
  int err = rc != DB_ROW && rc != DB_DONE;
  db_done(st);
  *out = v;
  return err ? -1 : n;
}

/* GET /api/v1/land-hard-cases?state&project */
static void cases_list(req *r) {
  static const char *const states[] = {"open", "decided", NULL};
  page pg;
  req_page(r, &pg);
  const char *state = qenum(r, "state", states);
  int64_t project = qint(r, "project", 1, INT64_MAX, 0);
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val args[12];
  int n = 0;
  sb_adds(&w, "WHERE 1 = 1");
  if (state) {
    sb_adds(&w, " AND c.state = ?");
    args[n++] = DBT(state);
  }
  if (project) {
    sb_adds(&w, " AND c.project_id = ?");
    args[n++] = DBI(project);
  }
  project_scope_sql(r, &w, args, &n);
  const char *where = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) FROM land_hard_cases c JOIN projects p ON p.id = c.project_id %s", where), n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  reply_rows(r, db_prepare(r->db, arena_printf(&r->a, "SELECT " CASE_COLS "%s ORDER BY c.id DESC LIMIT ? OFFSET ?", where), n, args),
             total, &pg);
}

/* POST /api/v1/households/{id}/hard-cases {title, description} */
static void case_post(req *r) {
  static const char *const fields[] = {"title", "description", NULL};
  int64_t hh = req_id(r, 0);
  int64_t project = hh ? land_household_open(r, hh, PSCOPE_WRITE, NULL) : 0;
  if (!project) return;
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *title = NULL, *desc = "";
  jstr(r, in, "title", 1, 200, &title);
  jstr(r, in, "description", 0, 5000, &desc);
  if (has_errors(r)) return reply_invalid(r);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  const char *now = now_rfc3339(&r->a);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO land_hard_cases (household_id, project_id, title, description, state, raised_by, raised_on, "
                         "created_at, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id",
                         DBI(hh), DBI(project), DBT(title), DBT(desc ? desc : ""), DBI(r->user.id), DBT(land_today(&r->a)),
                         DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  json_t *after = id ? case_json(r->db, id) : NULL;
  rc = after ? audit_log(r, "create", "land_hard_case", id, NULL, after) : db_errcode(r->db);
  commit_reply(r, rc, NULL, after, 201);
}

/* POST /api/v1/land-hard-cases/{id}/decision {meeting_on, members, decision}
 * — the leading group's meeting, recorded by the project office. */
static void case_decide(req *r) {
  static const char *const fields[] = {"meeting_on", "members", "decision", "version", NULL};
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *before = case_json(r->db, id);
  if (!before) return reply_not_found(r, "疑难个案", "Hard case");
  json_t *in = req_json(r, fields);
  if (!in) return json_decref(before);
  const char *on = NULL, *members = NULL, *decision = NULL;
  if (jdate(r, in, "meeting_on", 1, &on) == JV_SET && strcmp(on, land_today(&r->a)) > 0)
    field_error(r, "meeting_on", "会议日期不能晚于今天", "cannot be in the future");
  jstr(r, in, "members", 1, 1000, &members);
  jstr(r, in, "decision", 1, 5000, &decision);
  int64_t version = req_version(r, in);
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }
  int rc = db_begin(r->db);
  if (rc != DB_OK) {
    json_decref(before);
    return reply_db_error(r, rc);
  }
  rc = db_exec(r->db,
               "UPDATE land_hard_cases SET state = 'decided', meeting_on = ?, members = ?, decision = ?, decided_by = ?, "
               "version = version + 1, updated_at = ? WHERE id = ? AND state = 'open' AND (version = ? OR ? = 0)",
               DBT(on), DBT(members), DBT(decision), DBI(r->user.id), DBT(now_rfc3339(&r->a)), DBI(id), DBI(version), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    json_decref(before);
    db_rollback(r->db);
    return reply_problem(r, 409, "已决定或版本冲突 / Decided or changed", "该个案已有决定或已被修改 / The case is decided or changed meanwhile");
  }
  json_t *after = rc == DB_OK ? case_json(r->db, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "land_hard_case", id, before, after) : db_errcode(r->db);
  commit_reply(r, rc, before, after, 200);
}

#define READERS (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT | ROLE_ENTERPRISE)

static const route land_progress_routes[] = {
    ROUTE("GET", "/api/v1/projects/{id}/land-progress", project_progress, READERS, "项目征拆进度 / A project's land progress", 0),
    ROUTE("GET", "/api/v1/land-progress", all_progress, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT,
          /* land, the projects and their acquisition nodes: a progress
           * report or a problem's escalation does not recompute it */
          "全区征拆进度 / Land progress district-wide, per unit and project", 0, DOM_LAND | DOM_PROJECTS | DOM_NODES),
    ROUTE("GET", "/api/v1/projects/{id}/land-campaign", campaign, READERS, "征拆会战日进度 / Daily campaign progress", 0),
    ROUTE("GET", "/api/v1/land-hard-cases", cases_list, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT,
          "疑难个案 / Hard cases", 0),
    ROUTE("POST", "/api/v1/households/{id}/hard-cases", case_post, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT,
          "提交疑难个案 / Raise a hard case", 0),
    ROUTE("POST", "/api/v1/land-hard-cases/{id}/decision", case_decide, ROLE_ADMIN | ROLE_OFFICE,
          "领导小组决定 / Record the leading group's decision", 0),
    {0},
};

static const module land_progress_module = {"land_progress", 71, land_progress_routes, NULL, NULL, NULL};
MODULE_REGISTER(land_progress_module)
