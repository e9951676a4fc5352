/*
 * project_settings.c — the project library's settings: the category code
 * table (项目类别) and the red/yellow/green light thresholds, which
 * lights_config_load gives every module that computes a light.
 *
 * GET    /api/v1/project-categories                 every logged-in user
 * POST   /api/v1/project-categories                 admin {name, sort_order}
 * DELETE /api/v1/project-categories/{name}          admin; 409 while projects use it
 * GET/PUT /api/v1/settings/lights                   {yellow_days, red_lag, yellow_lag}; PUT admin
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "projects.h"
#include "clock.h"
#include "rollups.h"

/* ---- categories ---- */

/* GET /api/v1/project-categories */
static void categories_list(req *r) {
  db_stmt *st = db_query0(r->db, "SELECT name, sort_order FROM project_categories ORDER BY sort_order, name");
  json_t *items = db_rows_json(r, st, 0);
  if (!items) return;
  page p = {1, (int64_t)json_array_size(items), 0};
  reply_list(r, items, (int64_t)json_array_size(items), &p);
}

/* POST /api/v1/project-categories {name, sort_order} — admin */
static void categories_create(req *r) {
  static const char *const fields[] = {"name", "sort_order", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *name = NULL;
  int64_t so = 0;
  jstr(r, in, "name", 1, 32, &name);
  jint(r, in, "sort_order", 0, -100000, 100000, &so);
  if (has_errors(r)) return reply_invalid(r);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "INSERT INTO project_categories (name, sort_order) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
                 "sort_order = excluded.sort_order",
                 DBT(name), DBI(so));
  json_t *after = json_pack("{s:s, s:I}", "name", name, "sort_order", (json_int_t)so);
  if (rc == DB_OK) rc = audit_log(r, "update", "project_category", 0, NULL, after);
  commit_reply(r, rc, NULL, after, 201);
}

/* DELETE /api/v1/project-categories/{name} — admin; 409 while projects use it */
static void categories_delete(req *r) {
  const char *name = r->nparams ? r->params[0] : "";
  if (db_int1(r->db, 0, "SELECT COUNT(*) FROM projects WHERE category = ?", DBT(name)) > 0)
    return reply_problem(r, 409, "类别使用中 / In use", "仍有项目属于该类别 / Projects still use this category");
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM project_categories WHERE name = ?", DBT(name));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    return reply_not_found(r, "项目类别", "Category");
  }
  json_t *before = json_pack("{s:s}", "name", name);
  if (rc == DB_OK) rc = audit_log(r, "delete", "project_category", 0, before, NULL);
  commit_reply(r, rc, before, NULL, 204);
}

/* ---- light thresholds ---- */

/* The three thresholds in one query (one round trip on PostgreSQL): every
 * light computed for a request starts here. */
void lights_config_load(db *d, light_cfg *cfg) {
  *cfg = light_defaults;
  db_stmt *st = db_query0(d, "SELECT key, value FROM settings WHERE key IN ('light.yellow_days', 'light.red_lag', "
                             "'light.yellow_lag')");
  while (st && db_step(st) == DB_ROW) {
    const char *key = db_text(st, 0), *val = db_text(st, 1);
    if (!key || !val) continue;
    char *end;
    long x = strtol(val, &end, 10);
    if (*end || x < 0 || x > 1000) continue;
    if (strcmp(key, "light.yellow_days") == 0) cfg->yellow_days = (int)x;
    else if (strcmp(key, "light.red_lag") == 0) cfg->red_lag = (int)x;
    else if (strcmp(key, "light.yellow_lag") == 0) cfg->yellow_lag = (int)x;
  }
  db_done(st);
}

int lights_config_save(db *d, const light_cfg *cfg) {
  static const char *const sql =
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
  char buf[3][16];
  snprintf(buf[0], sizeof buf[0], "%d", cfg->yellow_days);
  snprintf(buf[1], sizeof buf[1], "%d", cfg->red_lag);
  snprintf(buf[2], sizeof buf[2], "%d", cfg->yellow_lag);
  int rc = db_exec(d, sql, DBT("light.yellow_days"), DBT(buf[0]));
  if (rc == DB_OK) rc = db_exec(d, sql, DBT("light.red_lag"), DBT(buf[1]));
  if (rc == DB_OK) rc = db_exec(d, sql, DBT("light.yellow_lag"), DBT(buf[2]));
  /* every stored light follows the new rules in the same transaction */
  if (rc == DB_OK) rc = rollup_rebuild(d, clock_today());
  return rc;
}

static json_t *cfg_json(const light_cfg *c) {
  return json_pack("{s:i, s:i, s:i}", "yellow_days", c->yellow_days, "red_lag", c->red_lag, "yellow_lag", c->yellow_lag);
}

/* GET /api/v1/settings/lights */
static void lights_get(req *r) {
  light_cfg c;
  lights_config_load(r->db, &c);
  reply_json(r, 200, cfg_json(&c));
}

/* PUT /api/v1/settings/lights {yellow_days, red_lag, yellow_lag} — admin */
static void lights_put(req *r) {
  static const char *const fields[] = {"yellow_days", "red_lag", "yellow_lag", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  light_cfg c;
  lights_config_load(r->db, &c);
  light_cfg before = c;
  int64_t v;
  if (jint(r, in, "yellow_days", 0, 0, 90, &v) == JV_SET) c.yellow_days = (int)v;
  if (jint(r, in, "red_lag", 0, 0, 100, &v) == JV_SET) c.red_lag = (int)v;
  if (jint(r, in, "yellow_lag", 0, 0, 100, &v) == JV_SET) c.yellow_lag = (int)v;
  if (!has_errors(r) && c.yellow_lag > c.red_lag)
    field_error(r, "yellow_lag", "黄灯滞后阈值不能大于红灯阈值", "the yellow lag may not exceed the red lag");
  if (has_errors(r)) return reply_invalid(r);
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = lights_config_save(r->db, &c);
  json_t *b = cfg_json(&before), *a = cfg_json(&c);
  if (rc == DB_OK) rc = audit_log(r, "update", "settings", 0, b, a);
  commit_reply(r, rc, b, a, 200);
}

static const route project_settings_routes[] = {
    ROUTE("GET", "/api/v1/project-categories", categories_list, ROLES_ANY, "项目类别 / Project categories", 0),
    ROUTE("POST", "/api/v1/project-categories", categories_create, ROLE_ADMIN, "新增项目类别 / Add a category", 0),
    ROUTE("DELETE", "/api/v1/project-categories/{name}", categories_delete, ROLE_ADMIN, "删除项目类别 / Delete a category", 0),
    ROUTE("GET", "/api/v1/settings/lights", lights_get, ROLES_ANY, "红黄绿灯阈值 / Light thresholds", 0),
    ROUTE("PUT", "/api/v1/settings/lights", lights_put, ROLE_ADMIN, "设置红黄绿灯阈值 / Set light thresholds", 0),
    {0},
};

static const module project_settings_module = {"project-settings", 30, project_settings_routes, NULL, NULL, NULL};
MODULE_REGISTER(project_settings_module)
