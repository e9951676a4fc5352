/*
 * land_disclosure.c — the public disclosure of compensation (征拆公示) per
 * village: published by the project office, then readable without login
 * and printable as an A4 PDF.  The list is built from named columns only
 * (village, group, head of household, land, houses, amounts per kind): an
 * ID number or phone cannot reach it.
 *
 * GET /api/v1/projects/{id}/disclosure                 the published villages (no login)
 * GET /api/v1/projects/{id}/disclosure?village=[&format=pdf]   one published village's list (no login)
 * PUT /api/v1/projects/{id}/disclosure {village, published}    publish / withdraw (office, admin)
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "land_http.h"
#include "money.h"
#include "pdfdoc.h"
#include "projects.h"

#define NKINDS 7 /* land_item_kinds */

/* The rows of one village: each household with its amounts per kind. */
static json_t *village_rows(db *d, int64_t project, const char *village, int64_t *total_out) {
  json_t *rows = json_array();
  db_stmt *st = db_query(d,
                         "SELECT h.id, h.grp, h.head_name, h.collective_mu, h.state_mu, h.houses, h.house_area, h.state, "
                         "i.kind, i.amount FROM land_households h LEFT JOIN land_items i ON i.household_id = h.id "
                         "WHERE h.project_id = ? AND h.village = ? ORDER BY h.grp, h.id, i.id",
                         DBI(project), DBT(village));
  int64_t last = 0, total = 0;
  int64_t sums[NKINDS + 1] = {0};
  json_t *cur = NULL;
  while (st && db_step(st) == DB_ROW) {
    int64_t id = db_int(st, 0);
    if (id != last) {
      if (cur) {
        for (int k = 0; k < NKINDS; k++) json_object_set_new(cur, land_item_kinds[k], json_money(sums[k]));
        json_object_set_new(cur, "total", json_money(sums[NKINDS]));
        json_array_append_new(rows, cur);
      }
      memset(sums, 0, sizeof sums);
      last = id;
      cur = json_object();
      json_object_set_new(cur, "group", json_string(db_text(st, 1)));
      json_object_set_new(cur, "head_name", json_string(db_text(st, 2)));
      json_object_set_new(cur, "collective_mu", json_area(db_int(st, 3)));
      json_object_set_new(cur, "state_mu", json_area(db_int(st, 4)));
      json_object_set_new(cur, "houses", json_integer(db_int(st, 5)));
      json_object_set_new(cur, "house_area_m2", json_area(db_int(st, 6)));
      json_object_set_new(cur, "state_name", json_string(land_state_zh(db_text(st, 7))));
    }
    if (!db_isnull(st, 8) && !db_isnull(st, 9)) {
      int k = land_code(land_item_kinds, db_text(st, 8));
      if (k >= 0) sums[k] += db_int(st, 9);
      sums[NKINDS] += db_int(st, 9);
      total += db_int(st, 9);
    }
  }
  db_done(st);
  if (cur) {
    for (int k = 0; k < NKINDS; k++) json_object_set_new(cur, land_item_kinds[k], json_money(sums[k]));
    json_object_set_new(cur, "total", json_money(sums[NKINDS]));
    json_array_append_new(rows, cur);
  }
  *total_out = total;
  return rows;
}

static void reply_pdf(req *r, const char *pname, const char *village, const char *published_at, json_t *rows, int64_t total) {
  static const char *const heads[] = {"组", "户主", "集体土地(亩)", "国有土地(亩)", "房屋(栋)", "房屋面积(m²)", "土地费", "青苗补偿",
                                      "设施补偿", "坟墓迁移", "杆线迁移", "安置", "其他", "合计(元)"};
  static const double widths[] = {0.6, 1, 1, 1, 0.7, 1, 1.2, 1.1, 1.1, 1, 1, 1.1, 0.9, 1.4};
  static const int right[] = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  enum { NC = 14 };
  size_t n = json_array_size(rows);
  const char **cells = arena_alloc(&r->a, sizeof *cells * (n * NC + 1));
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_array_get(rows, i);
    const char **c = cells + i * NC;
    c[0] = arena_strdup(&r->a, json_string_value(json_object_get(o, "group")));
    c[1] = arena_strdup(&r->a, json_string_value(json_object_get(o, "head_name")));
    c[2] = arena_strdup(&r->a, json_string_value(json_object_get(o, "collective_mu")));
    c[3] = arena_strdup(&r->a, json_string_value(json_object_get(o, "state_mu")));
    c[4] = arena_printf(&r->a, "%lld", (long long)json_integer_value(json_object_get(o, "houses")));
    c[5] = arena_strdup(&r->a, json_string_value(json_object_get(o, "house_area_m2")));
    for (int k = 0; k < NKINDS; k++) c[6 + k] = arena_strdup(&r->a, json_string_value(json_object_get(o, land_item_kinds[k])));
    c[13] = arena_strdup(&r->a, json_string_value(json_object_get(o, "total")));
  }
  char money[32];
  money_format_yuan(total, money);
  pdfdoc *d = pdfdoc_new(arena_printf(&r->a, "%s征拆补偿公示", village), arena_printf(&r->a, "%s · 公示于 %.10s", pname, published_at));
  pdfdoc_landscape(d);
  pdfdoc_title(d, arena_printf(&r->a, "%s %s 征地拆迁补偿公示", pname, village),
               arena_printf(&r->a, "共%zu户，补偿合计%s元。如有异议，请于公示期内向项目指挥部反映。", n, money));
  pdfdoc_table(d, NC, heads, widths, right, (int)n, cells, "暂无");
  size_t len = 0;
  unsigned char *pdf = pdfdoc_render(d, &len);
  pdfdoc_free(d);
  if (!pdf) return reply_problem(r, 500, "生成PDF失败 / PDF failed", NULL);
  reply_header(r, "Content-Disposition", "inline; filename=\"disclosure.pdf\"");
  reply_bytes(r, 200, "application/pdf", pdf, len);
  free(pdf);
}

/* GET /api/v1/projects/{id}/disclosure[?village=&format=pdf] */
static void disclosure_get(req *r) {
  static const char *const formats[] = {"json", "pdf", NULL};
  int64_t id = req_id(r, 0);
  if (!id) return;
  const char *village = req_arg(r, "village");
  const char *format = qenum(r, "format", formats);
  if (has_errors(r)) return reply_invalid(r);
  db_stmt *st = db_query(r->db, "SELECT name FROM projects WHERE id = ?", DBI(id));
  const char *pname = st && db_step(st) == DB_ROW ? arena_strdup(&r->a, db_text(st, 0)) : NULL;
  db_done(st);
  if (!pname) return reply_not_found(r, "项目", "Project");
  if (!village || !*village) {
    st = db_query(r->db, "SELECT village, published_at FROM land_disclosures WHERE project_id = ? ORDER BY village", DBI(id));
    json_t *items = db_rows_json(r, st, 0);
    if (!items) return;
    return reply_json(r, 200, json_pack("{s:I, s:s, s:o}", "project_id", (json_int_t)id, "project_name", pname, "villages", items));
  }
  st = db_query(r->db, "SELECT published_at FROM land_disclosures WHERE project_id = ? AND village = ?", DBI(id), DBT(village));
  const char *published = st && db_step(st) == DB_ROW ? arena_strdup(&r->a, db_text(st, 0)) : NULL;
  db_done(st);
  if (!published) return reply_not_found(r, "公示", "Disclosure");
  int64_t total = 0;
  json_t *rows = village_rows(r->db, id, village, &total);
  if (format && strcmp(format, "pdf") == 0) {
    reply_pdf(r, pname, village, published, rows, total);
    json_decref(rows);
    return;
  }
  reply_json(r, 200, json_pack("{s:I, s:s, s:s, s:s, s:I, s:o, s:o}", "project_id", (json_int_t)id, "project_name", pname,
                               "village", village, "published_at", published, "households", (json_int_t)json_array_size(rows),
                               "total", json_money(total), "items", rows));
}

/* PUT /api/v1/projects/{id}/disclosure {village, published} */
static void disclosure_put(req *r) {
  static const char *const fields[] = {"village", "published", NULL};
  int64_t id = req_id(r, 0);
  if (!id) return;
  if (project_scope(r, id) < 0) return reply_not_found(r, "项目", "Project");
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *village = NULL;
  int published = 0;
  jstr(r, in, "village", 1, 64, &village);
  jbool(r, in, "published", 1, &published);
  if (village && !has_errors(r) &&
      db_int1(r->db, 0, "SELECT 1 FROM land_households WHERE project_id = ? AND village = ? LIMIT 1", DBI(id), DBT(village)) != 1)
    field_error(r, "village", "该项目没有这个村的被征收户", "the project has no households in this village");
  if (has_errors(r)) return reply_invalid(r);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  const char *now = now_rfc3339(&r->a);
  if (published)
    rc = db_exec(r->db,
                 "INSERT INTO land_disclosures (project_id, village, published_at, published_by) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (project_id, village) DO UPDATE SET published_at = excluded.published_at, published_by = excluded.published_by",
                 DBI(id), DBT(village), DBT(now), DBI(r->user.id));
  else
    rc = db_exec(r->db, "DELETE FROM land_disclosures WHERE project_id = ? AND village = ?", DBI(id), DBT(village));
  json_t *after = json_pack("{s:I, s:s, s:b, s:s?}", "project_id", (json_int_t)id, "village", village, "published", published,
                            "published_at", published ? now : NULL);
  if (rc == DB_OK) rc = audit_log(r, published ? "publish" : "withdraw", "land_disclosure", id, NULL, after);
  commit_reply(r, rc, NULL, after, 200);
}

static const route land_disclosure_routes[] = {
    ROUTE("GET", "/api/v1/projects/{id}/disclosure", disclosure_get, ROLES_NONE,
          "征拆补偿公示（无需登录）/ The published compensation list (no login)", 0),
    ROUTE("PUT", "/api/v1/projects/{id}/disclosure", disclosure_put, ROLE_ADMIN | ROLE_OFFICE,
          "发布或撤回公示 / Publish or withdraw a village's list", 0),
    {0},
};

static const module land_disclosure_module = {"land_disclosure", 72, land_disclosure_routes, NULL, NULL, NULL};
MODULE_REGISTER(land_disclosure_module)
