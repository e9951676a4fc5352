/*
 * fin_funds.c — funds seeking (争资引项): projects packaged for
 * upper-level money (中央预算内投资, 专项债, 省级专项资金 and others) with
 * the amounts applied, approved and received per year and batch, the
 * teams that seek them with their annual targets, and the statistics.
 *
 * Scope: through the project (projects.h) — the office, the administrator
 * and leaders see everything, a unit its projects; writing needs write
 * scope on the project.  Targets are set by the office.
 *
 * GET   /api/v1/fund-applications?year&kind&batch&team&q&page&per_page&sort&format
 * GET   /api/v1/fund-applications/{id}
 * POST  /api/v1/fund-applications {project_id, kind, year, applied, batch, team_unit_id, note}
 * PATCH /api/v1/fund-applications/{id} {applied, approved, received, batch, team_unit_id, note, version}
 * GET   /api/v1/funds/stats?year=       applied, approved, received, by_kind, by_team (progress against targets)
 * PUT   /api/v1/fund-targets {unit_id, year, target}
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "clock.h"
#include "calendar.h"
#include "fin.h"
#include "money.h"
#include "projects.h"
#include "rate.h"

static int this_year(void) {
  char buf[11];
  date_format(clock_today(), buf);
  return (int)strtol(buf, NULL, 10);
}

static const char *kind_zh(const char *k) {
  for (int i = 0; k && fund_kinds[i]; i++)
    if (strcmp(fund_kinds[i], k) == 0) return fund_kinds_zh[i];
  return "";
}

#define FUND_COLS                                                                                                     \
  "f.id, f.project_id, p.name AS project_name, p.unit_id, f.kind, f.year, f.batch, f.applied AS applied__m, "         \
  "f.approved AS approved__m, f.received AS received__m, f.team_unit_id, t.name AS team_name, f.note, f.version, "     \
  "f.created_at, f.updated_at "
#define FUND_FROM "FROM fund_applications f JOIN projects p ON p.id = f.project_id LEFT JOIN units t ON t.id = f.team_unit_id "

static void fund_finish(json_t *o) {
  json_object_set_new(o, "kind_name", json_string(kind_zh(json_string_value(json_object_get(o, "kind")))));
}

static json_t *fund_json(db *d, int64_t id) {
  db_stmt *st = db_query(d, "SELECT " FUND_COLS FUND_FROM "WHERE f.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (o) fund_finish(o);
  return o;
}

/* GET /api/v1/fund-applications?year&kind&batch&team&q&page&per_page&sort&format */
static void funds_list(req *r) {
  static const char *const sorts[] = {"id", "f.id", "year", "f.year", "applied", "f.applied", "approved", "f.approved",
                                      "received", "f.received", "project_name", "p.name", NULL};
  page pg;
  req_page(r, &pg);
  int64_t year = qint(r, "year", 2000, 2100, 0);
  const char *kind = qenum(r, "kind", fund_kinds);
  int64_t team = qint(r, "team", 1, INT64_MAX, 0);
  const char *batch = req_arg(r, "batch");
  const char *q = req_arg(r, "q");
  const char *order = req_sort(r, sorts, "f.year DESC, f.id DESC");
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val args[14];
  int n = 0;
  sb_adds(&w, "WHERE 1 = 1");
  project_scope_sql(r, &w, args, &n);
  db_where_int(&w, args, &n, " AND f.year = ?", year);
  db_where_text(&w, args, &n, " AND f.kind = ?", kind);
  db_where_int(&w, args, &n, " AND f.team_unit_id = ?", team);
  db_where_text(&w, args, &n, " AND f.batch = ?", batch);
  if (q && *q) {
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    sb_adds(&w, " AND (p.name LIKE ? OR f.batch LIKE ?)");
    args[n++] = DBT(like);
    args[n++] = DBT(like);
  }
  const char *where = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) " FUND_FROM "%s", where), n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, "SELECT " FUND_COLS FUND_FROM "%s ORDER BY %s LIMIT ? OFFSET ?", where, order), n, args);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) fund_finish(it);
  reply_list(r, items, total, &pg);
}

/* The application's project within the user's scope at `need`, or 0 after replying. */
static int64_t fund_open(req *r, int64_t id, int need) {
  int64_t project = db_int1(r->db, 0, "SELECT project_id FROM fund_applications WHERE id = ?", DBI(id));
  int sc = project ? project_scope(r, project) : PSCOPE_NONE;
  if (sc <= PSCOPE_NONE) {
    reply_not_found(r, "争资项目", "fund application");
    return 0;
  }
  if (sc < need) {
    reply_forbidden(r, "只能修改本单位项目的争资申报", "you may change only your units' fund applications");
    return 0;
  }
  return project;
}

/* GET /api/v1/fund-applications/{id} */
static void fund_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id || !fund_open(r, id, PSCOPE_READ)) return;
  json_t *o = fund_json(r->db, id);
  if (!o) return reply_db_error(r, db_errcode(r->db));
  fin_etag(r, o);
  reply_json(r, 200, o);
}

typedef struct fund_in {
  int64_t project, year, applied, approved, received, team;
  const char *kind, *batch, *note;
} fund_in;

static void read_fund(req *r, json_t *in, fund_in *f, int creating) {
  if (creating) {
    jint(r, in, "project_id", 1, 1, INT64_MAX, &f->project);
    jenum(r, in, "kind", 1, fund_kinds, &f->kind);
    jint(r, in, "year", 1, 2000, 2100, &f->year);
  }
  jmoney(r, in, "applied", creating, &f->applied);
  jmoney(r, in, "approved", 0, &f->approved);
  jmoney(r, in, "received", 0, &f->received);
  if (jstr(r, in, "batch", 0, 64, &f->batch) == JV_NULL || (f->batch && !*f->batch)) f->batch = NULL;
  if (jstr(r, in, "note", 0, 500, &f->note) == JV_NULL) f->note = NULL;
  int ts = jint(r, in, "team_unit_id", 0, 1, INT64_MAX, &f->team);
  if (ts == JV_NULL) f->team = 0;
  else if (ts == JV_SET && db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ?", DBI(f->team)) != 1)
    field_error(r, "team_unit_id", "单位不存在", "no such unit");
  if (!has_errors(r) && f->approved > f->applied)
    field_error(r, "approved", "批复金额不能超过申报金额", "cannot exceed the amount applied for");
  if (!has_errors(r) && f->received > f->approved)
    field_error(r, "received", "到位金额不能超过批复金额", "cannot exceed the amount approved");
}

static const char *const fund_fields[] = {"project_id", "kind", "year", "applied", "approved", "received", "batch",
                                          "team_unit_id", "note", "version", NULL};

/* POST /api/v1/fund-applications */
static void fund_post(req *r) {
  json_t *in = req_json(r, fund_fields);
  if (!in) return;
  fund_in f = {0};
  read_fund(r, in, &f, 1);
  if (has_errors(r)) return reply_invalid(r);
  if (project_open(r, f.project, PSCOPE_WRITE) < 0) return;
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO fund_applications (project_id, kind, year, batch, applied, approved, received, team_unit_id, note, "
                         "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBI(f.project), DBT(f.kind), DBI(f.year), DBT(f.batch), DBI(f.applied), DBI(f.approved), DBI(f.received),
                         f.team ? DBI(f.team) : DBNULL, DBT(f.note), DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  json_t *after = id ? fund_json(r->db, id) : NULL;
  rc = after ? audit_log(r, "create", "fund_application", id, NULL, after) : db_errcode(r->db);
  if (after) fin_etag(r, after);
  commit_reply(r, rc, NULL, after, 201);
}

/* PATCH /api/v1/fund-applications/{id} */
static void fund_patch(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, fund_fields);
  if (!in) return;
  if (!fund_open(r, id, PSCOPE_WRITE)) return;
  json_t *before = fund_json(r->db, id);
  if (!before) return reply_db_error(r, db_errcode(r->db));
  static const char *const fixed[] = {"project_id", "kind", "year", NULL};
  for (int k = 0; fixed[k]; k++)
    if (json_object_get(in, fixed[k])) field_error(r, fixed[k], "不能修改，请新建一条申报", "cannot be changed; add a new application");
  fund_in f = {0};
  money_parse(json_string_value(json_object_get(before, "applied")), &f.applied);
  money_parse(json_string_value(json_object_get(before, "approved")), &f.approved);
  money_parse(json_string_value(json_object_get(before, "received")), &f.received);
  f.batch = json_string_value(json_object_get(before, "batch"));
  f.note = json_string_value(json_object_get(before, "note"));
  f.team = json_integer_value(json_object_get(before, "team_unit_id"));
  read_fund(r, in, &f, 0);
  int64_t version = req_version(r, in);
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "UPDATE fund_applications SET applied = ?, approved = ?, received = ?, batch = ?, team_unit_id = ?, note = ?, "
                 "version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                 DBI(f.applied), DBI(f.approved), DBI(f.received), DBT(f.batch), f.team ? DBI(f.team) : DBNULL, DBT(f.note),
                 DBT(now), DBI(id), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict",
                         "该申报已被他人修改，请刷新后重试 / The application was changed by someone else; reload and retry");
  }
  json_t *after = rc == DB_OK ? fund_json(r->db, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "fund_application", id, before, after) : db_errcode(r->db);
  if (after) fin_etag(r, after);
  commit_reply(r, rc, before, after, 200);
}

/* GET /api/v1/funds/stats?year= */
static void funds_stats(req *r) {
  int64_t year = qint(r, "year", 2000, 2100, this_year());
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val args[6];
  int n = 0;
  args[n++] = DBI(year);
  sb_adds(&w, "FROM fund_applications f JOIN projects p ON p.id = f.project_id WHERE f.year = ?");
  project_scope_sql(r, &w, args, &n);
  const char *from = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  const char *sums = "COUNT(*), COALESCE(SUM(f.applied), 0), COALESCE(SUM(f.approved), 0), COALESCE(SUM(f.received), 0)";
  int64_t t[4] = {0};
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, "SELECT %s %s", sums, from), n, args);
  int ok = st && db_step(st) == DB_ROW;
  for (int k = 0; ok && k < 4; k++) t[k] = db_int(st, k);
  db_done(st);
  if (!ok) return reply_db_error(r, db_errcode(r->db));
  char rate[32];
  json_t *o = json_pack("{s:I, s:I, s:o, s:o, s:o}", "year", (json_int_t)year, "count", (json_int_t)t[0], "applied", json_money(t[1]),
                        "approved", json_money(t[2]), "received", json_money(t[3]));
  rate_format(t[2], t[1], rate);
  json_object_set_new(o, "approved_rate", json_string(rate));
  rate_format(t[3], t[2], rate);
  json_object_set_new(o, "received_rate", json_string(rate));
  json_t *by_kind = json_array();
  for (int k = 0; fund_kinds[k]; k++) {
    db_val a2[8];
    memcpy(a2, args, sizeof(db_val) * (size_t)n);
    a2[n] = DBT(fund_kinds[k]);
    st = db_prepare(r->db, arena_printf(&r->a, "SELECT %s %s AND f.kind = ?", sums, from), n + 1, a2);
    if (st && db_step(st) == DB_ROW)
      json_array_append_new(by_kind, json_pack("{s:s, s:s, s:I, s:o, s:o, s:o}", "kind", fund_kinds[k], "kind_name", fund_kinds_zh[k],
                                               "count", (json_int_t)db_int(st, 0), "applied", json_money(db_int(st, 1)),
                                               "approved", json_money(db_int(st, 2)), "received", json_money(db_int(st, 3))));
    db_done(st);
  }
  json_object_set_new(o, "by_kind", by_kind);
  /* the teams: every target of the year and every team with applications */
  json_t *teams = json_array();
  /* the placeholders: the target's year, those of `from`, the targets' year */
  db_val a3[8];
  a3[0] = DBI(year);
  memcpy(a3 + 1, args, sizeof(db_val) * (size_t)n);
  a3[n + 1] = DBI(year);
  st = db_prepare(r->db,
                  arena_printf(&r->a,
                               "SELECT u.id, u.name, COALESCE((SELECT g.target FROM fund_targets g WHERE g.unit_id = u.id AND g.year = ?), 0), "
                               "COALESCE(x.applied, 0), COALESCE(x.approved, 0), COALESCE(x.received, 0) FROM units u LEFT JOIN "
                               "(SELECT f.team_unit_id AS team, SUM(f.applied) AS applied, SUM(f.approved) AS approved, "
                               "SUM(f.received) AS received %s GROUP BY f.team_unit_id) x ON x.team = u.id "
                               "WHERE x.team IS NOT NULL OR u.id IN (SELECT unit_id FROM fund_targets WHERE year = ?) ORDER BY u.sort_order, u.id",
                               from),
                  n + 2, a3);
  while (st && db_step(st) == DB_ROW) {
    json_t *tm = json_pack("{s:I, s:s, s:o, s:o, s:o, s:o}", "unit_id", (json_int_t)db_int(st, 0), "name", db_text(st, 1), "target",
                           json_money(db_int(st, 2)), "applied", json_money(db_int(st, 3)), "approved", json_money(db_int(st, 4)),
                           "received", json_money(db_int(st, 5)));
    rate_format(db_int(st, 5), db_int(st, 2), rate);
    json_object_set_new(tm, "progress", json_string(rate));
    json_array_append_new(teams, tm);
  }
  db_done(st);
  json_object_set_new(o, "by_team", teams);
  reply_json(r, 200, o);
}

/* PUT /api/v1/fund-targets {unit_id, year, target} */
static void target_put(req *r) {
  static const char *const fields[] = {"unit_id", "year", "target", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  int64_t unit = 0, year = 0, target = 0;
  if (jint(r, in, "unit_id", 1, 1, INT64_MAX, &unit) == JV_SET && db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ?", DBI(unit)) != 1)
    field_error(r, "unit_id", "单位不存在", "no such unit");
  jint(r, in, "year", 1, 2000, 2100, &year);
  jmoney(r, in, "target", 1, &target);
  if (has_errors(r)) return reply_invalid(r);
  int64_t old = db_int1(r->db, -1, "SELECT target FROM fund_targets WHERE unit_id = ? AND year = ?", DBI(unit), DBI(year));
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  rc = old >= 0 ? db_exec(r->db, "UPDATE fund_targets SET target = ?, version = version + 1, updated_at = ? WHERE unit_id = ? AND year = ?",
                          DBI(target), DBT(now), DBI(unit), DBI(year))
                : db_exec(r->db, "INSERT INTO fund_targets (unit_id, year, target, updated_at) VALUES (?, ?, ?, ?)", DBI(unit), DBI(year),
                          DBI(target), DBT(now));
  json_t *before = old >= 0 ? json_pack("{s:I, s:I, s:o}", "unit_id", (json_int_t)unit, "year", (json_int_t)year, "target", json_money(old)) : NULL;
  json_t *after = json_pack("{s:I, s:I, s:o}", "unit_id", (json_int_t)unit, "year", (json_int_t)year, "target", json_money(target));
  if (rc == DB_OK) rc = audit_log(r, old >= 0 ? "update" : "create", "fund_target", unit, before, after);
  commit_reply(r, rc, before, after, 200);
}

static const route fund_routes[] = {
    ROUTE("GET", "/api/v1/fund-applications", funds_list, FUND_READERS, "争资引项台账 / Fund applications", 0),
    ROUTE("GET", "/api/v1/fund-applications/{id}", fund_get, FUND_READERS, "争资申报详情 / One fund application", 0),
    ROUTE("POST", "/api/v1/fund-applications", fund_post, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT, "新增争资申报 / Add a fund application", 0),
    ROUTE("PATCH", "/api/v1/fund-applications/{id}", fund_patch, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT, "修改争资申报 / Change a fund application", 0),
    ROUTE("GET", "/api/v1/funds/stats", funds_stats, FUND_READERS, "争资引项统计 / Funds seeking statistics", 0, DOM_FINANCE | DOM_PROJECTS),
    ROUTE("PUT", "/api/v1/fund-targets", target_put, ROLE_ADMIN | ROLE_OFFICE, "设定争资目标 / Set a team's target", 0),
    {0},
};

static const module fin_funds_module = {"fin_funds", 64, fund_routes, NULL, NULL, NULL};
MODULE_REGISTER(fin_funds_module)
