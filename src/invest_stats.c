/*
 * invest_stats.c — the statistics of investment attraction (招商引资统计)
 * per year, quarter, team and chain, and the targets per year and team
 * (目标) with the team ranking.
 *
 * GET /api/v1/attraction/stats?year&quarter&team&chain
 *     → signed, signed_amount, over_100m, over_1bn, top500, industrial (产业项目), reserve, fulfilment_rate, due, kept,
 *       started, start_rate, teams[] (ranked), chains[], quarters[]; format=xlsx exports the teams
 * GET /api/v1/attraction/targets?year      each team's targets beside its figures
 * PUT /api/v1/attraction/targets {year, team_unit_id, signed, signed_amount, over_100m, top500, version?}
 *
 * Signings count by the signing day and the contract's promised investment
 * (≥ ¥100 m, ≥ ¥1 bn); 三类500强 by the investor's class.  履约率 = signed
 * projects that started on or before their promised start ÷ signed
 * projects whose promised start has passed, over the contracts whose
 * promised start falls in the period (null when none is due).  开工投产率 =
 * signed leads of the period whose project has started ÷ signings.  The
 * reserve is the leads not yet signed nor lost, recorded by the period's
 * end.  Scope: the office and leaders see every team, a team its own.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "clock.h"
#include "http.h"
#include "invest.h"
#include "projects.h"

#define FEN_100M 10000000000LL  /* ¥100 m in fen */
#define FEN_1BN 100000000000LL  /* ¥1 bn in fen */

typedef struct tally {
  int64_t signed_n, amount, over_100m, over_1bn, top500, industrial, started, due, kept, reserve;
} tally;

static void put_tally(json_t *o, const tally *t) {
  char rate[32], srate[32];
  int has = invest_rate(t->kept, t->due, rate) == 0;
  int shas = invest_rate(t->started, t->signed_n, srate) == 0;
  json_object_set_new(o, "signed", json_integer(t->signed_n));
  json_object_set_new(o, "signed_amount", json_money(t->amount));
  json_object_set_new(o, "over_100m", json_integer(t->over_100m));
  json_object_set_new(o, "over_1bn", json_integer(t->over_1bn));
  json_object_set_new(o, "top500", json_integer(t->top500));
  json_object_set_new(o, "industrial", json_integer(t->industrial));
  json_object_set_new(o, "reserve", json_integer(t->reserve));
  json_object_set_new(o, "due", json_integer(t->due));
  json_object_set_new(o, "kept", json_integer(t->kept));
  json_object_set_new(o, "fulfilment_rate", has ? json_string(rate) : json_null());
  json_object_set_new(o, "started", json_integer(t->started));
  json_object_set_new(o, "start_rate", shas ? json_string(srate) : json_null());
}

/* One group (a team or a chain) of the breakdowns. */
typedef struct group {
  int64_t team;
  const char *name;
  tally t;
} group;

static group *group_of(arena *a, group **gs, int *n, int *cap, int64_t team, const char *name) {
  for (int i = 0; i < *n; i++)
    if ((*gs)[i].team == team && !strcmp((*gs)[i].name, name)) return &(*gs)[i];
  if (*n == *cap) {
    int nc = *cap ? *cap * 2 : 16;
    group *g = arena_alloc(a, sizeof *g * (size_t)nc);
    if (*n) memcpy(g, *gs, sizeof *g * (size_t)*n);
    *gs = g, *cap = nc;
  }
  group *g = &(*gs)[(*n)++];
  memset(g, 0, sizeof *g);
  g->team = team;
  g->name = arena_strdup(a, name);
  return g;
}

static int by_rank(const void *x, const void *y) {
  const group *a = x, *b = y;
  if (a->t.signed_n != b->t.signed_n) return a->t.signed_n > b->t.signed_n ? -1 : 1;
  if (a->t.amount != b->t.amount) return a->t.amount > b->t.amount ? -1 : 1;
  return strcmp(a->name, b->name);
}

static int by_amount(const void *x, const void *y) {
  const group *a = x, *b = y;
  if (a->t.amount != b->t.amount) return a->t.amount > b->t.amount ? -1 : 1;
  return strcmp(a->name, b->name);
}

/* The filters shared by both queries: team (and its sub-units), chain, scope. */
static void filters(req *r, strbuf *w, db_val *args, int *n, int64_t team, const char *chain) {
  if (team) {
    sb_adds(w, " AND l.team_unit_id IN (SELECT id FROM units WHERE path LIKE (SELECT path FROM units WHERE id = ?) || '%')");
    args[(*n)++] = DBI(team);
  }
  if (chain && *chain) {
    sb_adds(w, " AND l.chain = ?");
    args[(*n)++] = DBT(chain);
  }
  invest_scope_sql(r, w, args, n);
}

/* GET /api/v1/attraction/stats */
static void stats(req *r) {
  int32_t today = clock_today();
  int ty, tm, td;
  date_to_ymd(today, &ty, &tm, &td);
  int year = (int)qint(r, "year", 2000, 2100, ty);
  int quarter = (int)qint(r, "quarter", 0, 4, 0);
  int64_t team = qint(r, "team", 1, INT64_MAX, 0);
  const char *chain = req_arg(r, "chain");
  if (has_errors(r)) return reply_invalid(r);
  int32_t from, to;
  invest_period(year, quarter, &from, &to);
  char f[11], t[11];
  date_format(from, f);
  date_format(to, t);
  /* the signed leads of the period, or whose promised start falls in it */
  strbuf w = STRBUF_INIT;
  db_val args[12];
  int n = 0;
  sb_adds(&w, "SELECT l.team_unit_id, u.name, l.chain, l.signed_on, l.promised_start, l.promised_investment, l.investor_class, "
              INVEST_STAGE_SQL ", " INVEST_STARTED_SQL ", p.category FROM leads l JOIN units u ON u.id = l.team_unit_id "
              "LEFT JOIN projects p ON p.id = l.project_id WHERE l.signed_on IS NOT NULL AND "
              "((l.signed_on >= ? AND l.signed_on <= ?) OR (l.promised_start >= ? AND l.promised_start <= ?))");
  args[n++] = DBT(f), args[n++] = DBT(t), args[n++] = DBT(f), args[n++] = DBT(t);
  filters(r, &w, args, &n, team, chain);
  tally all = {0};
  group *teams = NULL, *chains = NULL;
  int nt = 0, ct = 0, nc = 0, cc = 0;
  tally quarters[4] = {{0}};
  db_stmt *st = db_prepare(r->db, sb_str(&w), n, args);
  sb_release(&w);
  int step = DB_DONE;
  while (st && (step = db_step(st)) == DB_ROW) {
    group *g = group_of(&r->a, &teams, &nt, &ct, db_int(st, 0), db_text(st, 1));
    group *c = group_of(&r->a, &chains, &nc, &cc, 0, db_text(st, 2));
    int32_t s = 0, p = INVEST_NO_DAY, started = INVEST_NO_DAY;
    date_parse(db_text(st, 3), &s);
    if (!db_isnull(st, 4) && date_parse(db_text(st, 4), &p) != 0) p = INVEST_NO_DAY;
    if (!db_isnull(st, 8) && date_parse(db_text(st, 8), &started) != 0) started = INVEST_NO_DAY;
    int64_t amount = db_isnull(st, 5) ? 0 : db_int(st, 5);
    int top = strcmp(db_text(st, 6), "none") != 0;
    const char *stage = db_text(st, 7);
    int industrial = !db_isnull(st, 9) && !strcmp(db_text(st, 9), "产业项目");
    int has_started = !strcmp(stage, "started") || !strcmp(stage, "production");
    if (s >= from && s <= to) {
      tally *ts[] = {&all, &g->t, &c->t};
      for (int k = 0; k < 3; k++) {
        ts[k]->signed_n++;
        ts[k]->amount += amount;
        ts[k]->over_100m += amount >= FEN_100M;
        ts[k]->over_1bn += amount >= FEN_1BN;
        ts[k]->top500 += top;
        ts[k]->industrial += industrial;
        ts[k]->started += has_started;
      }
      int sy, sm, sd;
      date_to_ymd(s, &sy, &sm, &sd);
      tally *q = &quarters[(sm - 1) / 3];
      q->signed_n++, q->amount += amount, q->over_100m += amount >= FEN_100M, q->top500 += top;
    }
    if (p != INVEST_NO_DAY && p >= from && p <= to) {
      int fu = invest_fulfilment(p, started, today);
      tally *ts[] = {&all, &g->t, &c->t};
      for (int k = 0; k < 3; k++) {
        ts[k]->due += fu != FU_NOT_DUE;
        ts[k]->kept += fu == FU_KEPT;
      }
    }
  }
  db_done(st);
  if (!st || step != DB_DONE) return reply_db_error(r, db_errcode(r->db));
  /* the reserve: not yet signed nor lost, recorded by the period's end */
  strbuf rw = STRBUF_INIT;
  db_val rargs[8];
  int rn = 0;
  sb_adds(&rw, "SELECT l.team_unit_id, u.name, COUNT(*) FROM leads l JOIN units u ON u.id = l.team_unit_id WHERE "
               "l.stage IN ('lead', 'negotiation', 'prereview', 'decision') AND l.created_on <= ?");
  rargs[rn++] = DBT(t);
  filters(r, &rw, rargs, &rn, team, chain);
  sb_adds(&rw, " GROUP BY l.team_unit_id, u.name");
  st = db_prepare(r->db, sb_str(&rw), rn, rargs);
  sb_release(&rw);
  int rstep = DB_DONE;
  while (st && (rstep = db_step(st)) == DB_ROW) {
    group *g = group_of(&r->a, &teams, &nt, &ct, db_int(st, 0), db_text(st, 1));
    g->t.reserve += db_int(st, 2);
    all.reserve += db_int(st, 2);
  }
  db_done(st);
  if (!st || rstep != DB_DONE) return reply_db_error(r, db_errcode(r->db));
  json_t *o = json_pack("{s:i, s:i, s:s, s:s}", "year", year, "quarter", quarter, "from", f, "to", t);
  put_tally(o, &all);
  if (teams) qsort(teams, (size_t)nt, sizeof *teams, by_rank);
  json_t *ta = json_array();
  for (int i = 0; teams && i < nt; i++) {
    json_t *x = json_pack("{s:i, s:I, s:s}", "rank", i + 1, "team_unit_id", (json_int_t)teams[i].team, "team_name", teams[i].name);
    put_tally(x, &teams[i].t);
    json_array_append_new(ta, x);
  }
  if (chains) qsort(chains, (size_t)nc, sizeof *chains, by_amount);
  json_t *ca = json_array();
  for (int i = 0; chains && i < nc; i++) {
    if (!chains[i].t.signed_n && !chains[i].t.due) continue;
    json_t *x = json_pack("{s:s}", "chain", chains[i].name);
    put_tally(x, &chains[i].t);
    json_array_append_new(ca, x);
  }
  json_t *qa = json_array();
  for (int k = 0; k < 4 && !quarter; k++)
    json_array_append_new(qa, json_pack("{s:i, s:I, s:o, s:I, s:I}", "quarter", k + 1, "signed", (json_int_t)quarters[k].signed_n,
                                        "signed_amount", json_money(quarters[k].amount), "over_100m",
                                        (json_int_t)quarters[k].over_100m, "top500", (json_int_t)quarters[k].top500));
  json_object_set_new(o, "teams", ta);
  json_object_set_new(o, "chains", ca);
  json_object_set_new(o, "quarters", qa);
  const char *format = req_arg(r, "format");
  if (format && (!strcmp(format, "xlsx") || !strcmp(format, "csv"))) {
    page pg = {1, (int64_t)json_array_size(ta), 0};
    json_t *rows = json_incref(ta);
    json_decref(o);
    return reply_list(r, rows, (int64_t)json_array_size(rows), &pg);
  }
  reply_json(r, 200, o);
}

/* ---- targets ---- */

/* GET /api/v1/attraction/targets?year — each team's targets with its
 * figures of the year and the completion of each. */
static void targets_get(req *r) {
  int32_t today = clock_today();
  int ty, tm, td;
  date_to_ymd(today, &ty, &tm, &td);
  int year = (int)qint(r, "year", 2000, 2100, ty);
  if (has_errors(r)) return reply_invalid(r);
  char f[11], t[11];
  int32_t from, to;
  invest_period(year, 0, &from, &to);
  date_format(from, f);
  date_format(to, t);
  strbuf w = STRBUF_INIT;
  sb_adds(&w, "SELECT g.team_unit_id, u.name AS team_name, g.signed AS target_signed, g.signed_amount AS target_amount__m, "
              "g.over_100m AS target_over_100m, g.top500 AS target_top500, g.version, "
              "(SELECT COUNT(*) FROM leads l WHERE l.team_unit_id = g.team_unit_id AND l.signed_on >= ? AND l.signed_on <= ?) AS signed, "
              "(SELECT COALESCE(SUM(l.promised_investment), 0) FROM leads l WHERE l.team_unit_id = g.team_unit_id "
              "AND l.signed_on >= ? AND l.signed_on <= ?) AS signed_amount__m, "
              "(SELECT COUNT(*) FROM leads l WHERE l.team_unit_id = g.team_unit_id AND l.signed_on >= ? AND l.signed_on <= ? "
              "AND l.promised_investment >= ?) AS over_100m, "
              "(SELECT COUNT(*) FROM leads l WHERE l.team_unit_id = g.team_unit_id AND l.signed_on >= ? AND l.signed_on <= ? "
              "AND l.investor_class <> 'none') AS top500 "
              "FROM attraction_targets g JOIN units u ON u.id = g.team_unit_id WHERE g.year = ?");
  db_val vals[] = {DBT(f), DBT(t), DBT(f), DBT(t), DBT(f), DBT(t), DBI(FEN_100M), DBT(f), DBT(t), DBI(year)};
  db_val all[16];
  memcpy(all, vals, sizeof vals);
  int n = (int)(sizeof vals / sizeof *vals);
  if (!scope_reads_all(r)) {
    sb_adds(&w, " AND g.team_unit_id IN (SELECT id FROM units WHERE path LIKE ?)");
    all[n++] = DBT(scope_path_pattern(r));
  }
  sb_adds(&w, " ORDER BY u.sort_order, u.name");
  db_stmt *st = db_prepare(r->db, sb_str(&w), n, all);
  sb_release(&w);
  json_t *items = db_rows_json(r, st, 0);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    char b[32];
    int64_t ts = json_integer_value(json_object_get(it, "target_signed"));
    json_object_set_new(it, "signed_completion",
                        invest_rate(json_integer_value(json_object_get(it, "signed")), ts, b) == 0 ? json_string(b) : json_null());
    int64_t to1 = json_integer_value(json_object_get(it, "target_over_100m"));
    json_object_set_new(it, "over_100m_completion",
                        invest_rate(json_integer_value(json_object_get(it, "over_100m")), to1, b) == 0 ? json_string(b) : json_null());
  }
  page pg = {1, (int64_t)json_array_size(items), 0};
  reply_list(r, items, (int64_t)json_array_size(items), &pg);
}

/* PUT /api/v1/attraction/targets {year, team_unit_id, signed, signed_amount, over_100m, top500, version?} */
static void targets_put(req *r) {
  static const char *const fields[] = {"year", "team_unit_id", "signed", "signed_amount", "over_100m", "top500", "version", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  int64_t year = 0, team = 0, sig = 0, amount = 0, o100 = 0, top = 0;
  jint(r, in, "year", 1, 2000, 2100, &year);
  if (jint(r, in, "team_unit_id", 1, 1, INT64_MAX, &team) == JV_SET &&
      db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ? AND kind IN ('department', 'hq', 'town')", DBI(team)) != 1)
    field_error(r, "team_unit_id", "招商单位须是部门、指挥部或镇街", "the attraction team must be a department, an HQ or a town");
  jint(r, in, "signed", 1, 0, 100000, &sig);
  jmoney(r, in, "signed_amount", 1, &amount);
  jint(r, in, "over_100m", 0, 0, 100000, &o100);
  jint(r, in, "top500", 0, 0, 100000, &top);
  if (o100 > sig) field_error(r, "over_100m", "亿元以上项目目标不能多于签约目标", "the ≥ ¥100 m target may not exceed the signings target");
  int64_t version = req_version(r, in);
  if (has_errors(r)) return reply_invalid(r);
  if (!scope_writes_all(r)) return reply_forbidden(r, "招商目标由项目办下达", "the project office sets the targets");
  db_stmt *st = db_query(r->db,
                         "SELECT year, team_unit_id, signed, signed_amount AS signed_amount__m, over_100m, top500, version "
                         "FROM attraction_targets WHERE year = ? AND team_unit_id = ?",
                         DBI(year), DBI(team));
  json_t *before = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) {
    json_decref(before);
    return reply_db_error(r, rc);
  }
  if (before) {
    rc = db_exec(r->db,
                 "UPDATE attraction_targets SET signed = ?, signed_amount = ?, over_100m = ?, top500 = ?, version = version + 1, "
                 "updated_at = ? WHERE year = ? AND team_unit_id = ? AND version = ?",
                 DBI(sig), DBI(amount), DBI(o100), DBI(top), DBT(now), DBI(year), DBI(team),
                 DBI(version ? version : json_integer_value(json_object_get(before, "version"))));
    if (rc == DB_OK && db_changes(r->db) == 0) {
      db_rollback(r->db);
      json_decref(before);
      return reply_problem(r, 409, "版本冲突 / Version conflict", "目标已被他人修改，请刷新 / The target was changed; reload");
    }
  } else {
    rc = db_exec(r->db,
                 "INSERT INTO attraction_targets (year, team_unit_id, signed, signed_amount, over_100m, top500, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                 DBI(year), DBI(team), DBI(sig), DBI(amount), DBI(o100), DBI(top), DBT(now));
  }
  json_t *after = NULL;
  if (rc == DB_OK) {
    st = db_query(r->db,
                  "SELECT year, team_unit_id, signed, signed_amount AS signed_amount__m, over_100m, top500, version "
                  "FROM attraction_targets WHERE year = ? AND team_unit_id = ?",
                  DBI(year), DBI(team));
    after = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    rc = after ? audit_log(r, before ? "update" : "create", "attraction_target", team, before, after) : db_errcode(r->db);
  }
  if (after) invest_etag(r, after);
  commit_reply(r, rc, before, after, before ? 200 : 201);
}

static const route stats_routes[] = {
    ROUTE("GET", "/api/v1/attraction/stats", stats, INVEST_READERS, "招商引资统计 / Attraction statistics", 0, DOM_ATTRACTION | DOM_PROJECTS),
    ROUTE("GET", "/api/v1/attraction/targets", targets_get, INVEST_READERS, "招商目标 / Targets per team", 0),
    ROUTE("PUT", "/api/v1/attraction/targets", targets_put, ROLE_ADMIN | ROLE_OFFICE, "下达招商目标 / Set a team's targets", 0),
    {0},
};

static const module invest_stats_module = {"invest_stats", 82, stats_routes, NULL, NULL, NULL};
MODULE_REGISTER(invest_stats_module)
