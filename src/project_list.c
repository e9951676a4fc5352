/*
 * project_list.c — the project library as read: a project's JSON (its
 * plans, tags, lights and reasons, labels) and the list with filters,
 * sorting, paging and export, for signed-in users and for the public.
 * Split from projects.c, which keeps creating, changing and deleting.
 *
 * GET /api/v1/projects?q&level&stage&unit&leader&chain&category&tag&light&year&cf.KEY&page&per_page&sort&format
 * GET /api/v1/public/projects          published projects, no login
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "money.h"
#include "projects.h"
#include "rollups.h"
/* ---- project JSON ---- */

#define PROJECT_SELECT                                                                                               \
  "SELECT p.id, p.code, p.name, p.level, p.category, p.chain, p.stage, p.unit_id, u.name AS unit_name, p.leader_id, " \
  "l.name AS leader_name, p.hq_id, h.name AS hq_name, p.owner_unit_id, o.name AS owner_name, "                       \
  "p.total_investment AS total_investment__m, p.land_area AS land_area_mu__a, p.land_plan_mu AS land_plan_mu__a, "   \
  "p.location, p.lng, p.lat, "                                                                                        \
  "p.flag_top500 AS flag_top500__b, p.published AS published__b, p.custom_json AS custom__j, p.version, "            \
  "p.created_at, p.updated_at, p.total_investment AS total_fen FROM projects p JOIN units u ON u.id = p.unit_id "    \
  "LEFT JOIN users l ON l.id = p.leader_id LEFT JOIN units h ON h.id = p.hq_id "                                     \
  "LEFT JOIN units o ON o.id = p.owner_unit_id "

/* The Chinese name of a code: codes[i] ↔ names[i]. */
static const char *code_label(const char *const *codes, const char *const *names, const char *code) {
  for (int i = 0; code && codes[i]; i++)
    if (strcmp(codes[i], code) == 0) return names[i];
  return code ? code : "";
}

/* What a project's JSON adds from other tables, read before it is built:
 * {"annual_plan": {…}, "tags": […], "nodes": [[name, planned], …] (open
 * nodes due by the yellow horizon, by date and seq), "plan": fen of the
 * light's year, "ytd": fen approved in that year}. */
static json_t *related_new(void) {
  return json_pack("{s:o, s:o, s:o, s:I, s:I}", "annual_plan", json_object(), "tags", json_array(), "nodes", json_array(),
                   "plan", (json_int_t)0, "ytd", (json_int_t)0);
}

/* One row of PROJECT_RELATED_SQL or related_page's statement (k, project
 * id, n1, n2, t1, t2) into `e`. */
static void related_row(json_t *e, db_stmt *st, const light_ctx *lc) {
  switch (db_int(st, 0)) {
  case 1: {
    char y[16];
    snprintf(y, sizeof y, "%lld", (long long)db_int(st, 2));
    json_object_set_new(json_object_get(e, "annual_plan"), y, json_money(db_int(st, 3)));
    if (db_int(st, 2) == lc->year) json_object_set_new(e, "plan", json_integer(db_int(st, 3)));
    break;
  }
  case 2: json_array_append_new(json_object_get(e, "tags"), json_string(db_text(st, 4))); break;
  case 3: json_array_append_new(json_object_get(e, "nodes"), json_pack("[s, s]", db_text(st, 4), db_text(st, 5))); break;
  default: json_object_set_new(e, "ytd", json_integer(db_int(st, 2))); break;
  }
}

/* A project's related rows in one statement (one round trip on
 * PostgreSQL instead of five): its annual plans (k 1, by year), tags (k 2,
 * by tag), open nodes due by the horizon (k 3, by planned date and seq) and
 * the year's approved investment (k 4).  Portable SQL: the same statement
 * runs on both stores, each ordering its kinds as the separate queries did. */
#define RELATED_PARTS(idcol, cond)                                                                                   \
  "SELECT 1 AS k, " idcol " AS pid, year AS n1, amount AS n2, '' AS t1, '' AS t2 FROM project_plans WHERE " cond    \
  " UNION ALL SELECT 2, " idcol ", 0, 0, tag, '' FROM project_tags WHERE " cond                                      \
  " UNION ALL SELECT 3, " idcol ", seq, 0, name, planned_date FROM nodes WHERE " cond                                \
  " AND actual_date IS NULL AND planned_date <= ?"                                                                   \
  " UNION ALL SELECT 4, " idcol ", CAST(COALESCE(SUM(investment), 0) AS BIGINT), 0, '', '' FROM reports WHERE " cond \
  " AND state = 'approved' AND period >= ? AND period <= ?"
#define PROJECT_RELATED_SQL RELATED_PARTS("0", "project_id = ?") " ORDER BY 1, 6, 3, 5"

/* The related rows of a page of projects, one statement per 100 projects
 * instead of two plus three per project (plans and tags, then the light's
 * nodes, investment and plan: 62 round trips for a page of 20 on
 * PostgreSQL): {"<id>": related_new()} for project_decorate_with. */
#define PAGE_CHUNK 100
static json_t *related_page(db *d, json_t *items, const light_ctx *lc) {
  json_t *pre = json_object();
  size_t total = json_array_size(items);
  for (size_t i = 0; i < total; i++) {
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(json_array_get(items, i), "id")));
    json_object_set_new(pre, key, related_new());
  }
  char horizon[11], from_month[16], to_month[16];
  date_format(lc->today + lc->cfg.yellow_days, horizon);
  snprintf(from_month, sizeof from_month, "%04d-01", lc->year % 10000);
  snprintf(to_month, sizeof to_month, "%04d-12", lc->year % 10000);
  for (size_t from = 0; from < total; from += PAGE_CHUNK) {
    db_val ids[PAGE_CHUNK], args[4 * PAGE_CHUNK + 3];
    strbuf marks, sql;
    sb_init(&marks, 0);
    sb_init(&sql, 0);
    size_t n = page_ids_in(items, from, PAGE_CHUNK, &marks, ids);
    const char *in = sb_str(&marks);
    int a = 0;
    for (int part = 0; part < 4; part++) {
      static const char *const heads[4] = {
          "SELECT 1 AS k, project_id AS pid, year AS n1, amount AS n2, '' AS t1, '' AS t2 FROM project_plans WHERE project_id IN (",
          " UNION ALL SELECT 2, project_id, 0, 0, tag, '' FROM project_tags WHERE project_id IN (",
          " UNION ALL SELECT 3, project_id, seq, 0, name, planned_date FROM nodes WHERE project_id IN (",
          " UNION ALL SELECT 4, project_id, CAST(COALESCE(SUM(investment), 0) AS BIGINT), 0, '', '' FROM reports WHERE project_id IN ("};
      static const char *const tails[4] = {")", ")", ") AND actual_date IS NULL AND planned_date <= ?",
                                           ") AND state = 'approved' AND period >= ? AND period <= ? GROUP BY project_id"};
      sb_adds(&sql, heads[part]);
      sb_adds(&sql, in);
      sb_adds(&sql, tails[part]);
      for (size_t i = 0; i < n; i++) args[a++] = ids[i];
      if (part == 2) args[a++] = DBT(horizon);
      if (part == 3) {
        args[a++] = DBT(from_month);
        args[a++] = DBT(to_month);
      }
    }
    sb_adds(&sql, " ORDER BY 2, 1, 6, 3, 5");
    db_stmt *st = db_prepare(d, sb_str(&sql), a, args);
    while (st && db_step(st) == DB_ROW) {
      char key[24];
      snprintf(key, sizeof key, "%lld", (long long)db_int(st, 1));
      json_t *e = json_object_get(pre, key);
      if (e) related_row(e, st, lc);
    }
    db_done(st);
    sb_release(&sql);
    sb_release(&marks);
  }
  return pre;
}

/* Adds the computed and related fields to a PROJECT_SELECT row from its
 * related rows `e` (related_new, filled by related_row). */
static void project_decorate_with(json_t *o, const light_ctx *lc, json_t *e) {
  int64_t total = json_integer_value(json_object_get(o, "total_fen"));
  json_object_del(o, "total_fen");
  json_object_set_new(o, "flag_100m", json_boolean(total >= 10000000000LL));
  json_object_set_new(o, "flag_1bn", json_boolean(total >= 100000000000LL));
  if (!json_is_object(json_object_get(o, "custom"))) json_object_set_new(o, "custom", json_object());
  json_object_set(o, "annual_plan", json_object_get(e, "annual_plan"));
  json_object_set(o, "tags", json_object_get(e, "tags"));
  json_t *reasons = json_array();
  int worst = LIGHT_GREEN;
  size_t i;
  json_t *nd;
  json_array_foreach(json_object_get(e, "nodes"), i, nd) {
    int32_t planned;
    const char *name = json_string_value(json_array_get(nd, 0));
    if (date_parse(json_string_value(json_array_get(nd, 1)), &planned) != 0) continue;
    int l = node_light(planned, 0, lc->today, &lc->cfg);
    if (l > worst) worst = l;
    char *why = node_reason(name, planned, l, lc->today);
    if (why) json_array_append_new(reasons, json_string(why));
    free(why);
  }
  int64_t ytd = json_integer_value(json_object_get(e, "ytd")), plan = json_integer_value(json_object_get(e, "plan"));
  char *why = lag_reason(ytd, plan, lc->year, lc);
  if (why) json_array_append_new(reasons, json_string(why));
  free(why);
  int light = project_light(worst, ytd, plan, months_closed(lc->year, lc->today), &lc->cfg);
  json_object_set_new(o, "light", json_string(light_name(light)));
  json_object_set_new(o, "light_reasons", reasons);
  /* Display names beside the codes, so an export reads as the screen does. */
  static const char *const light_labels[] = {"绿灯", "黄灯", "红灯"};
  json_object_set_new(o, "light_label", json_string(light_labels[light]));
  json_object_set_new(o, "level_name", json_string(code_label(project_levels, project_levels_zh, json_string_value(json_object_get(o, "level")))));
  json_object_set_new(o, "stage_name", json_string(code_label(project_stages, project_stages_zh, json_string_value(json_object_get(o, "stage")))));
  json_object_set_new(o, "ytd_investment", json_money(ytd));
}

/* One project: its related rows in one statement (PROJECT_RELATED_SQL). */
static void project_decorate(db *d, json_t *o, const light_ctx *lc) {
  int64_t id = json_integer_value(json_object_get(o, "id"));
  char horizon[11], from[16], to[16];
  date_format(lc->today + lc->cfg.yellow_days, horizon);
  snprintf(from, sizeof from, "%04d-01", lc->year % 10000);
  snprintf(to, sizeof to, "%04d-12", lc->year % 10000);
  json_t *e = related_new();
  db_stmt *st = db_query(d, PROJECT_RELATED_SQL, DBI(id), DBI(id), DBI(id), DBT(horizon), DBI(id), DBT(from), DBT(to));
  while (st && db_step(st) == DB_ROW) related_row(e, st, lc);
  db_done(st);
  project_decorate_with(o, lc, e);
  json_decref(e);
}

json_t *project_json(db *d, int64_t id, const light_ctx *lc) {
  db_stmt *st = db_query(d, PROJECT_SELECT "WHERE p.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (o) project_decorate(d, o, lc);
  return o;
}

json_t *project_json_open(req *r, int64_t id, const light_ctx *lc, int need, int *scope) {
  db_stmt *st = db_query(r->db, PROJECT_SELECT "WHERE p.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  int rc = st ? db_step(st) : DB_ERROR;
  db_done(st);
  if (!o) {
    if (rc == DB_DONE) project_open_reply(r, -1, need);
    else reply_db_error(r, db_errcode(r->db));
    return NULL;
  }
  int sc = project_scope_of(r, json_integer_value(json_object_get(o, "unit_id")),
                            json_integer_value(json_object_get(o, "hq_id")),
                            json_integer_value(json_object_get(o, "owner_unit_id")),
                            json_is_true(json_object_get(o, "published")));
  if (project_open_reply(r, sc, need) < 0) {
    json_decref(o);
    return NULL;
  }
  project_decorate(r->db, o, lc);
  if (scope) *scope = sc;
  return o;
}

/* ---- the list ---- */

static const char *const project_sorts[] = {
    "id", "p.id", "code", "p.code", "name", "p.name", "total_investment", "p.total_investment",
    "stage", "CASE p.stage WHEN 'reserve' THEN 1 WHEN 'preparation' THEN 2 WHEN 'construction' THEN 3 WHEN 'completed' THEN 4 ELSE 5 END",
    "level", "CASE p.level WHEN 'province' THEN 1 WHEN 'city' THEN 2 ELSE 3 END", "updated_at", "p.updated_at",
    "light", "p.id", /* placeholder: light sorts in C */
    NULL};

/* realloc that gives up the way the arena does: out of memory is fatal. */
static void *grow(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!q) abort();
  return q;
}

typedef struct lrow {
  int64_t id;
  int light;
  int pos;
} lrow;

/* ctx points at the sign: 1 sorts by light ascending, -1 descending (per
 * call: requests sorting both ways run at the same time). */
static int lrow_cmp(const void *a, const void *b, void *ctx) {
  const lrow *x = a, *y = b;
  int sign = *(const int *)ctx;
  if (x->light != y->light) return sign * (x->light - y->light);
  return x->pos - y->pos;
}

/* Builds the WHERE clause of the list from the filters. */
static const char *list_where(req *r, db_val *args, int *n, int public_only) {
  strbuf w = STRBUF_INIT;
  sb_adds(&w, " WHERE 1 = 1");
  if (public_only) sb_adds(&w, " AND p.published = 1");
  else project_scope_sql(r, &w, args, n);
  const char *q = req_arg(r, "q");
  if (q && *q) {
    sb_adds(&w, " AND (p.code LIKE ? OR p.name LIKE ?)");
    args[(*n)++] = DBT(arena_printf(&r->a, "%%%s%%", q));
    args[(*n)++] = DBT(arena_printf(&r->a, "%%%s%%", q));
  }
  db_where_text(&w, args, n, " AND p.level = ?", qenum(r, "level", project_levels));
  db_where_text(&w, args, n, " AND p.stage = ?", qenum(r, "stage", project_stages));
  int64_t unit = qint(r, "unit", 1, INT64_MAX, 0);
  if (unit) {
    db_stmt *st = db_query(r->db, "SELECT path FROM units WHERE id = ?", DBI(unit));
    const char *path = st && db_step(st) == DB_ROW ? arena_printf(&r->a, "%s%%", db_text(st, 0)) : NULL;
    db_done(st);
    if (!path) field_error(r, "unit", "单位不存在", "no such unit");
    else {
      sb_adds(&w, " AND p.unit_id IN (SELECT id FROM units WHERE path LIKE ?)");
      args[(*n)++] = DBT(path);
    }
  }
  db_where_int(&w, args, n, " AND p.leader_id = ?", qint(r, "leader", 1, INT64_MAX, 0));
  db_where_text(&w, args, n, " AND p.chain = ?", req_arg(r, "chain"));
  db_where_text(&w, args, n, " AND p.category = ?", req_arg(r, "category"));
  db_where_text(&w, args, n, " AND EXISTS (SELECT 1 FROM project_tags t WHERE t.project_id = p.id AND t.tag = ?)", req_arg(r, "tag"));
  db_where_int(&w, args, n, " AND EXISTS (SELECT 1 FROM project_plans pp WHERE pp.project_id = p.id AND pp.year = ?)",
               qint(r, "year", 2000, 2100, 0));
  cfields cf;
  cfields_load(r->db, &r->a, &cf);
  for (int i = 0; i < cf.n && *n < 40; i++) {
    const char *v = req_arg(r, arena_printf(&r->a, "cf.%s", cf.f[i].key));
    if (!v || !*v) continue;
    sb_adds(&w, " AND EXISTS (SELECT 1 FROM project_custom c WHERE c.project_id = p.id AND c.key = ? AND c.value = ?)");
    args[(*n)++] = DBT(cf.f[i].key);
    args[(*n)++] = DBT(v);
  }
  json_decref(cf.all);
  const char *out = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  return out;
}

static void projects_list_impl(req *r, int public_only) {
  static const char *const light_names[] = {"green", "yellow", "red", NULL};
  page p;
  req_page(r, &p);
  db_val args[48];
  int n = 0;
  const char *where = list_where(r, args, &n, public_only);
  const char *lf = qenum(r, "light", light_names);
  const char *order = req_sort(r, project_sorts, "p.code");
  const char *sort = req_arg(r, "sort");
  int light_sort = sort && (strcmp(sort, "light") == 0 || strcmp(sort, "-light") == 0 || strncmp(sort, "light,", 6) == 0 ||
                            strncmp(sort, "-light,", 7) == 0);
  if (has_errors(r)) return reply_invalid(r);
  light_ctx lc;
  light_ctx_init(r->db, &lc, req_calendar(r), 0);
  json_t *items = json_array();
  int64_t total;
  if (!lf && !light_sort) {
    total = list_total(r, arena_printf(&r->a, "SELECT COUNT(*) FROM projects p%s", where), n, args);
    db_val a2[50];
    memcpy(a2, args, sizeof *args * (size_t)n);
    a2[n] = DBI(p.per_page);
    a2[n + 1] = DBI(p.offset);
    db_stmt *st = db_prepare(r->db, arena_printf(&r->a, PROJECT_SELECT "%s ORDER BY %s LIMIT ? OFFSET ?", where, order), n + 2, a2);
    if (!st || total < 0) {
      db_done(st);
      json_decref(items);
      return reply_db_error(r, db_errcode(r->db));
    }
    while (db_step(st) == DB_ROW) json_array_append_new(items, db_row_json(st));
    db_done(st);
  } else {
    /* The light is computed, so filtering and sorting by it happen here,
     * on the light columns of every matching row (ids only). */
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-01", lc.year);
    snprintf(to, sizeof to, "%04d-12", lc.year);
    db_val a2[52];
    a2[0] = DBT(from);
    a2[1] = DBT(to);
    a2[2] = DBI(lc.year);
    memcpy(a2 + 3, args, sizeof *args * (size_t)n);
    db_stmt *st = db_prepare(r->db, arena_printf(&r->a, "SELECT p.id, " LIGHTS_COLUMNS " FROM projects p%s ORDER BY %s", where, order),
                             n + 3, a2);
    if (!st) {
      json_decref(items);
      return reply_db_error(r, db_errcode(r->db));
    }
    int cap = 1024, cnt = 0;
    lrow *rows = grow(NULL, sizeof *rows * (size_t)cap);
    int want = lf ? light_parse(lf) : -1;
    while (db_step(st) == DB_ROW) {
      int l = light_from_columns(db_text(st, 1), db_int(st, 2), db_int(st, 3), lc.year, lc.today, &lc.cfg);
      if (want >= 0 && l != want) continue;
      if (cnt == cap) rows = grow(rows, sizeof *rows * (size_t)(cap *= 2));
      rows[cnt] = (lrow){db_int(st, 0), l, cnt};
      cnt++;
    }
    db_done(st);
    if (light_sort) {
      int sign = sort[0] == '-' ? -1 : 1;
      qsort_r(rows, (size_t)cnt, sizeof *rows, lrow_cmp, &sign);
    }
    total = cnt;
    for (int64_t i = p.offset; i < cnt && i < p.offset + p.per_page; i++) {
      st = db_query(r->db, PROJECT_SELECT "WHERE p.id = ?", DBI(rows[i].id));
      if (st && db_step(st) == DB_ROW) json_array_append_new(items, db_row_json(st));
      db_done(st);
    }
    free(rows);
  }
  size_t i;
  json_t *o;
  json_t *pre = related_page(r->db, items, &lc);
  json_array_foreach(items, i, o) {
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(o, "id")));
    project_decorate_with(o, &lc, json_object_get(pre, key));
    /* custom fields flattened as cf.KEY so that exports can name them */
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(o, "custom"), k, v) {
      json_object_set(o, arena_printf(&r->a, "cf.%s", k), v);
    }
  }
  json_decref(pre);
  reply_list(r, items, total, &p);
}

/* GET /api/v1/projects?q&level&stage&unit&leader&chain&category&tag&light&year&cf.KEY&page&per_page&sort&format */
static void projects_list(req *r) { projects_list_impl(r, 0); }
/* GET /api/v1/public/projects — published projects for everybody */
static void projects_public(req *r) { projects_list_impl(r, 1); }

static const route project_list_routes[] = {
    ROUTE("GET", "/api/v1/projects", projects_list, ROLES_ANY, "项目列表 / Projects (filters, paging, export)", 0, CACHE_NOT_PROBLEMS),
    ROUTE("GET", "/api/v1/public/projects", projects_public, ROLES_NONE, "公开项目 / Published projects", 0),
    {0},
};

static const module project_list_module = {"project_list", 31, project_list_routes, NULL, NULL, NULL};
MODULE_REGISTER(project_list_module)
