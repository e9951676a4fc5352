/*
 * nodes.c — the milestone nodes of each project's plan (作战图节点), the
 * node templates per category they are laid out from (in working days, on
 * the China calendar), and baselines (年初计划) that freeze the planned
 * dates so the battle map can show how far each node slipped.
 *
 * GET    /api/v1/node-templates?category          any logged-in user
 * POST   /api/v1/node-templates                   admin/office {category, name, steps:[{name,kind,duration_days,unit_role}]}
 * PATCH  /api/v1/node-templates/{id}              admin/office {category?, name?, steps?, version?}
 * DELETE /api/v1/node-templates/{id}              admin/office
 * GET    /api/v1/projects/{id}/nodes
 * POST   /api/v1/projects/{id}/nodes              {template_id, start, replace?} or one node {name, kind, unit_id, person, planned_date, depends_on, note}
 * PATCH  /api/v1/nodes/{id}                       {unit_id, person, planned_date, actual_date, note, depends_on, version}
 * DELETE /api/v1/nodes/{id}
 * POST   /api/v1/projects/{id}/baseline           office/admin: planned → baseline
 * POST   /api/v1/baseline {"year":2026}           office/admin: the same for every project
 *
 * Who edits nodes: whoever may write the project; an enterprise owning the
 * project and the unit responsible for a node (e.g. the natural-resources
 * bureau for 土地报批) may record its progress: actual_date, person, note.
 */
#include <stdlib.h>
#include <string.h>

#include "calendar_db.h"
#include "land.h"
#include "nodes.h"
#include "projects.h"
#include "rollups.h"

/* ---- node JSON ---- */

json_t *node_row_json(db_stmt *st, const light_ctx *lc, int *light_out) {
  json_t *o = json_object();
  static const char *const keys[] = {"id", "project_id", "seq", "name", "kind", "unit_id", "unit_name", "person",
                                     "planned_date", "baseline_date", "actual_date", "note", "depends_on", "version"};
  for (int i = 0; i < 14; i++) {
    json_t *v = db_isnull(st, i) ? json_null()
                : db_coltype(st, i) == DBV_INT ? json_integer(db_int(st, i))
                                               : json_string(db_text(st, i));
    json_object_set_new(o, keys[i], v);
  }
  int32_t planned = 0, base, actual = 0;
  date_parse(db_text(st, 8), &planned);
  int done = !db_isnull(st, 10) && date_parse(db_text(st, 10), &actual) == 0;
  int light = node_light(planned, done, lc->today, &lc->cfg);
  json_object_set_new(o, "light", json_string(light_name(light)));
  if (!db_isnull(st, 9) && date_parse(db_text(st, 9), &base) == 0)
    json_object_set_new(o, "slip_days", json_integer(calendar_working_days_between(lc->cal, base, node_slip_until(planned, done, actual, lc->today))));
  else
    json_object_set_new(o, "slip_days", json_null());
  if (light_out) *light_out = light;
  return o;
}

void node_attach_land(db *d, json_t *node) {
  const char *kind = json_string_value(json_object_get(node, "kind"));
  if (kind && strcmp(kind, "land_acquisition") == 0)
    json_object_set_new(node, "land", land_node_json(d, json_integer_value(json_object_get(node, "project_id"))));
}

json_t *node_json(db *d, int64_t id, const light_ctx *lc) {
  db_stmt *st = db_query(d, NODE_SELECT "WHERE n.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? node_row_json(st, lc, NULL) : NULL;
  db_done(st);
  if (o) node_attach_land(d, o);
  return o;
}

static json_t *project_nodes(db *d, int64_t project_id, const light_ctx *lc) {
  json_t *items = json_array();
  db_stmt *st = db_query(d, NODE_SELECT "WHERE n.project_id = ? ORDER BY n.seq, n.id", DBI(project_id));
  while (st && db_step(st) == DB_ROW) json_array_append_new(items, node_row_json(st, lc, NULL));
  db_done(st);
  size_t i;
  json_t *n;
  json_array_foreach(items, i, n) node_attach_land(d, n);
  return items;
}

/* ---- templates ---- */

static const char *const unit_roles[] = {"responsible", "hq", "owner", NULL};

static json_t *template_json(db *d, int64_t id) {
  db_stmt *st = db_query(d, "SELECT id, category, name, steps_json AS steps__j, version, created_at, updated_at FROM node_templates WHERE id = ?",
                         DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  return o;
}

/* The template {id} of the path; replies 404 itself and returns NULL when absent. */
static json_t *template_open(req *r, int64_t *id) {
  *id = req_id(r, 0);
  if (!*id) return NULL;
  json_t *o = template_json(r->db, *id);
  if (!o) reply_not_found(r, "节点模板", "Node template");
  return o;
}

/* Validates steps into a normalised array (NULL after field errors). */
static json_t *steps_check(req *r, json_t *v) {
  if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 50) {
    field_error(r, "steps", "应为1到50个步骤的数组", "must be an array of 1–50 steps");
    return NULL;
  }
  json_t *out = json_array();
  size_t i;
  json_t *s;
  json_array_foreach(v, i, s) {
    const char *f = arena_printf(&r->a, "steps[%zu]", i);
    if (!json_is_object(s)) {
      field_error(r, f, "应为对象", "must be an object");
      continue;
    }
    const char *name = NULL, *kind = "other", *role = NULL;
    int64_t days = 0;
    const char *key;
    json_t *x;
    json_object_foreach(s, key, x) {
      (void)x;
      if (strcmp(key, "name") != 0 && strcmp(key, "kind") != 0 && strcmp(key, "duration_days") != 0 && strcmp(key, "unit_role") != 0)
        field_error(r, arena_printf(&r->a, "%s.%s", f, key), "未知字段", "unknown field");
    }
    size_t before = r->errors ? json_array_size(r->errors) : 0;
    jstr(r, s, "name", 1, 64, &name);
    jenum(r, s, "kind", 0, node_kinds, &kind);
    jint(r, s, "duration_days", 1, 0, 3650, &days);
    jenum(r, s, "unit_role", 0, unit_roles, &role);
    /* the getters name the bare key; say which step it belongs to */
    for (size_t k = before; r->errors && k < json_array_size(r->errors); k++) {
      json_t *e = json_array_get(r->errors, k);
      const char *fld = json_string_value(json_object_get(e, "field"));
      if (fld && strncmp(fld, "steps[", 6) != 0)
        json_object_set_new(e, "field", json_string(arena_printf(&r->a, "%s.%s", f, fld)));
    }
    if (has_errors(r)) continue;
    json_t *o = json_pack("{s:s, s:s, s:I}", "name", name, "kind", kind, "duration_days", (json_int_t)days);
    json_object_set_new(o, "unit_role", json_str_or_null(role));
    json_array_append_new(out, o);
  }
  if (has_errors(r)) {
    json_decref(out);
    return NULL;
  }
  return out;
}

/* GET /api/v1/node-templates?category */
static void templates_list(req *r) {
  const char *cat = req_arg(r, "category");
  db_stmt *st = cat && *cat ? db_query(r->db, "SELECT id FROM node_templates WHERE category = ? ORDER BY category, name", DBT(cat))
                            : db_query0(r->db, "SELECT id FROM node_templates ORDER BY category, name");
  if (!st) return reply_db_error(r, db_errcode(r->db));
  int64_t ids[500];
  int n = 0;
  while (db_step(st) == DB_ROW && n < 500) ids[n++] = db_int(st, 0);
  db_done(st);
  json_t *items = json_array();
  for (int i = 0; i < n; i++) json_array_append_new(items, template_json(r->db, ids[i]));
  page p = {1, n, 0};
  reply_list(r, items, n, &p);
}

static const char *const template_fields[] = {"category", "name", "steps", "version", NULL};

/* POST /api/v1/node-templates {category, name, steps} */
static void templates_create(req *r) {
  json_t *in = req_json(r, template_fields);
  if (!in) return;
  const char *cat = NULL, *name = NULL;
  if (jstr(r, in, "category", 1, 32, &cat) == JV_SET &&
      db_int1(r->db, 0, "SELECT COUNT(*) FROM project_categories WHERE name = ?", DBT(cat)) == 0)
    field_error(r, "category", "没有这个项目类别", "no such project category");
  jstr(r, in, "name", 1, 64, &name);
  json_t *steps = steps_check(r, json_object_get(in, "steps"));
  if (has_errors(r)) {
    json_decref(steps);
    return reply_invalid(r);
  }
  char *text = json_dumps(steps, JSON_COMPACT);
  json_decref(steps);
  const char *at = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) {
    free(text);
    return reply_db_error(r, rc);
  }
  db_stmt *st = db_query(r->db,
                         "INSERT INTO node_templates (category, name, steps_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
                         "RETURNING id",
                         DBT(cat), DBT(name), DBT(text), DBT(at), DBT(at));
  free(text);
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  if (!id && db_errcode(r->db) == DB_CONSTRAINT && db_constraint_kind(r->db) == DBC_UNIQUE) {
    db_rollback(r->db);
    return reply_problem(r, 409, "模板重复 / Duplicate template", "该类别已有同名模板 / The category has a template of this name");
  }
  json_t *after = id ? template_json(r->db, id) : NULL;
  rc = after ? audit_log(r, "create", "node_template", id, NULL, after) : db_errcode(r->db);
  commit_reply(r, rc, NULL, after, 201);
}

/* PATCH /api/v1/node-templates/{id} {category?, name?, steps?, version} */
static void templates_update(req *r) {
  int64_t id;
  json_t *before = template_open(r, &id);
  if (!before) return;
  json_t *in = req_json(r, template_fields);
  if (!in) return json_decref(before);
  const char *cat = arena_strdup(&r->a, json_string_value(json_object_get(before, "category")));
  const char *name = arena_strdup(&r->a, json_string_value(json_object_get(before, "name")));
  if (jstr(r, in, "category", 0, 32, &cat) == JV_SET &&
      db_int1(r->db, 0, "SELECT COUNT(*) FROM project_categories WHERE name = ?", DBT(cat)) == 0)
    field_error(r, "category", "没有这个项目类别", "no such project category");
  jstr(r, in, "name", 0, 64, &name);
  json_t *steps = json_object_get(in, "steps") ? steps_check(r, json_object_get(in, "steps"))
                                                : json_incref(json_object_get(before, "steps"));
  /* Templates are administrators' settings, rarely edited by two people at
   * once: the version is checked when sent, not demanded. */
  int64_t version = req_version(r, in);
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  if (has_errors(r)) {
    json_decref(steps);
    json_decref(before);
    return reply_invalid(r);
  }
  char *text = json_dumps(steps, JSON_COMPACT);
  json_decref(steps);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "UPDATE node_templates SET category = ?, name = ?, steps_json = ?, updated_at = ?, version = version + 1 "
                 "WHERE id = ? AND version = ?",
                 DBT(cat), DBT(name), DBT(text), DBT(now_rfc3339(&r->a)), DBI(id), DBI(version));
  free(text);
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "数据已被他人修改 / Conflict", "请刷新后再改 / Reload and retry");
  }
  json_t *after = rc == DB_OK ? template_json(r->db, id) : NULL;
  if (rc == DB_OK) rc = audit_log(r, "update", "node_template", id, before, after);
  commit_reply(r, rc, before, after, 200);
}

/* DELETE /api/v1/node-templates/{id} */
static void templates_delete(req *r) {
  int64_t id;
  json_t *before = template_open(r, &id);
  if (!before) return;
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM node_templates WHERE id = ?", DBI(id));
  if (rc == DB_OK) rc = audit_log(r, "delete", "node_template", id, before, NULL);
  commit_reply(r, rc, before, NULL, 204);
}

/* ---- nodes ---- */

/* GET /api/v1/projects/{id}/nodes */
static void nodes_list(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  int sc = project_open(r, id, PSCOPE_READ);
  if (sc < 0) return;
  light_ctx lc;
  light_ctx_init(r->db, &lc, req_calendar(r), 0);
  json_t *items = project_nodes(r->db, id, &lc);
  page p = {1, (int64_t)json_array_size(items), 0};
  reply_list(r, items, (int64_t)json_array_size(items), &p);
}

/* Lays a template out: each step ends duration_days working days after the
 * previous one (the first after `start`) and depends on it. */
int nodes_apply_template(db *d, int64_t project_id, json_t *steps, int32_t start, const calendar *cal, const char *at,
                         int64_t unit_id, int64_t hq_id, int64_t owner_id) {
  int64_t seq = db_int1(d, 0, "SELECT COALESCE(MAX(seq), 0) FROM nodes WHERE project_id = ?", DBI(project_id));
  int64_t prev = db_int1(d, 0, "SELECT id FROM nodes WHERE project_id = ? ORDER BY seq DESC, id DESC LIMIT 1", DBI(project_id));
  int32_t day = start;
  size_t i;
  json_t *s;
  json_array_foreach(steps, i, s) {
    day = calendar_add_working_days(cal, day, (int)json_integer_value(json_object_get(s, "duration_days")));
    char planned[11];
    date_format(day, planned);
    const char *role = json_string_value(json_object_get(s, "unit_role"));
    int64_t u = unit_id;
    if (role && strcmp(role, "hq") == 0 && hq_id) u = hq_id;
    if (role && strcmp(role, "owner") == 0 && owner_id) u = owner_id;
    db_stmt *st = db_query(d,
                           "INSERT INTO nodes (project_id, seq, name, kind, unit_id, planned_date, depends_on, created_at, updated_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                           DBI(project_id), DBI(++seq), DBT(json_string_value(json_object_get(s, "name"))),
                           DBT(json_string_value(json_object_get(s, "kind"))), u ? DBI(u) : DBNULL, DBT(planned),
                           prev ? DBI(prev) : DBNULL, DBT(at), DBT(at));
    prev = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
    db_done(st);
    if (!prev) return -1;
  }
  return rollup_project(d, project_id) == DB_OK ? 0 : -1;
}

static const char *const node_fields[] = {"name", "kind", "unit_id", "person", "planned_date", "actual_date",
                                          "depends_on", "note", "template_id", "start", "replace", "version", NULL};
static const char *const node_progress_fields[] = {"actual_date", "person", "note", "version", NULL};

/* Checks the dependency and the dates of a node (id 0 for a new one). */
static void node_check(req *r, int64_t project_id, int64_t id, int64_t seq, int64_t depends_on, const char *planned,
                       const char *actual, int32_t today) {
  int32_t a;
  if (actual && date_parse(actual, &a) == 0 && a > today)
    field_error(r, "actual_date", "实际完成日期不能晚于今天", "the actual date may not be in the future");
  if (!depends_on) return;
  db_stmt *st = db_query(r->db, "SELECT project_id, seq, planned_date FROM nodes WHERE id = ?", DBI(depends_on));
  if (!st || db_step(st) != DB_ROW) {
    db_done(st);
    field_error(r, "depends_on", "前置节点不存在", "no such node");
    return;
  }
  int64_t pid = db_int(st, 0), dseq = db_int(st, 1);
  const char *dplanned = arena_strdup(&r->a, db_text(st, 2));
  db_done(st);
  if (pid != project_id || depends_on == id || (seq && dseq >= seq))
    field_error(r, "depends_on", "前置节点应为同一项目中更早的节点", "the dependency must be an earlier node of the same project");
  else if (planned && strcmp(planned, dplanned) < 0)
    field_error(r, "planned_date", arena_printf(&r->a, "计划日期不能早于前置节点的计划日期%s", dplanned),
                arena_printf(&r->a, "the planned date may not be before the dependency's (%s)", dplanned));
}

static int64_t unit_or_error(req *r, json_t *in, int64_t dflt) {
  int64_t u = dflt;
  int st = jint(r, in, "unit_id", 0, 1, INT64_MAX, &u);
  if (st == JV_NULL) return 0;
  if (st == JV_SET && db_int1(r->db, 0, "SELECT COUNT(*) FROM units WHERE id = ?", DBI(u)) == 0)
    field_error(r, "unit_id", "责任单位不存在", "no such unit");
  return u;
}

/* POST /api/v1/projects/{id}/nodes */
static void nodes_create(req *r) {
  int64_t pid = req_id(r, 0);
  if (!pid) return;
  if (project_open(r, pid, PSCOPE_WRITE) < 0) return;
  json_t *in = req_json(r, node_fields);
  if (!in) return;
  light_ctx lc;
  light_ctx_init(r->db, &lc, req_calendar(r), 0);
  proj_in p;
  proj_load(r->db, &r->a, pid, &p);
  const char *at = now_rfc3339(&r->a);
  int64_t tid = 0;
  if (json_object_get(in, "template_id")) {
    const char *start = NULL;
    int replace = 0;
    jint(r, in, "template_id", 1, 1, INT64_MAX, &tid);
    jdate(r, in, "start", 1, &start);
    jbool(r, in, "replace", 0, &replace);
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v) {
      (void)v;
      if (strcmp(key, "template_id") != 0 && strcmp(key, "start") != 0 && strcmp(key, "replace") != 0)
        field_error(r, key, "套用模板时不能同时给出节点字段", "not allowed together with template_id");
    }
    json_t *tpl = tid ? template_json(r->db, tid) : NULL;
    if (tid && !tpl) field_error(r, "template_id", "节点模板不存在", "no such node template");
    if (has_errors(r)) {
      json_decref(tpl);
      return reply_invalid(r);
    }
    int32_t s;
    date_parse(start, &s);
    int rc = db_begin(r->db);
    if (rc == DB_OK && replace) {
      json_t *old = project_nodes(r->db, pid, &lc);
      rc = db_exec(r->db, "UPDATE nodes SET depends_on = NULL WHERE project_id = ?", DBI(pid));
      if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM nodes WHERE project_id = ?", DBI(pid));
      json_t *b = json_pack("{s:o}", "nodes", old);
      if (rc == DB_OK) rc = audit_log(r, "delete_nodes", "project", pid, b, NULL);
      json_decref(b);
    }
    if (rc == DB_OK)
      rc = nodes_apply_template(r->db, pid, json_object_get(tpl, "steps"), s, lc.cal, at, p.unit_id, p.hq_id, p.owner_unit_id) == 0
               ? DB_OK
               : db_errcode(r->db);
    /* a land-acquisition step of a ledger already done is done too */
    if (rc == DB_OK) rc = land_sync_nodes(r->db, pid, at);
    json_t *items = rc == DB_OK ? project_nodes(r->db, pid, &lc) : NULL;
    json_t *after = items ? json_pack("{s:I, s:s, s:O}", "template_id", (json_int_t)tid, "start", start, "nodes", items) : NULL;
    if (rc == DB_OK) rc = audit_log(r, "apply_template", "project", pid, NULL, after);
    json_decref(after);
    json_decref(tpl);
    if (rc != DB_OK) {
      json_decref(items);
      return commit_reply(r, rc, NULL, NULL, 201);
    }
    page pg = {1, (int64_t)json_array_size(items), 0};
    json_t *o = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)json_array_size(items), "page",
                          (json_int_t)pg.page, "per_page", (json_int_t)pg.per_page);
    return commit_reply(r, DB_OK, NULL, o, 201);
  }
  const char *name = NULL, *kind = "other", *person = NULL, *planned = NULL, *actual = NULL, *note = NULL;
  int64_t dep = 0;
  jstr(r, in, "name", 1, 64, &name);
  jenum(r, in, "kind", 0, node_kinds, &kind);
  int64_t unit = unit_or_error(r, in, p.unit_id);
  jstr(r, in, "person", 0, 64, &person);
  jdate(r, in, "planned_date", 1, &planned);
  jdate(r, in, "actual_date", 0, &actual);
  jstr(r, in, "note", 0, 2000, &note);
  jint(r, in, "depends_on", 0, 1, INT64_MAX, &dep);
  if (json_object_get(in, "start") || json_object_get(in, "replace"))
    field_error(r, json_object_get(in, "start") ? "start" : "replace", "只用于套用模板", "only with template_id");
  int64_t seq = db_int1(r->db, 0, "SELECT COALESCE(MAX(seq), 0) FROM nodes WHERE project_id = ?", DBI(pid)) + 1;
  if (!has_errors(r)) node_check(r, pid, 0, seq, dep, planned, actual, lc.today);
  if (has_errors(r)) return reply_invalid(r);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO nodes (project_id, seq, name, kind, unit_id, person, planned_date, actual_date, note, "
                         "depends_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBI(pid), DBI(seq), DBT(name), DBT(kind), unit ? DBI(unit) : DBNULL, DBT(person), DBT(planned),
                         DBT(actual), DBT(note), dep ? DBI(dep) : DBNULL, DBT(at), DBT(at));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  /* a land-acquisition node of a ledger already done is done too */
  if (id && !actual && strcmp(kind, "land_acquisition") == 0 && land_sync_nodes(r->db, pid, at) != DB_OK) id = 0;
  if (id && rollup_project(r->db, pid) != DB_OK) id = 0;
  json_t *after = id ? node_json(r->db, id, &lc) : NULL;
  rc = after ? audit_log(r, "create", "node", id, NULL, after) : db_errcode(r->db);
  commit_reply(r, rc, NULL, after, 201);
}

/* What the user may do with a node: its project's scope, raised to
 * PROGRESS for the unit responsible for the node. */
static int node_scope(req *r, int64_t id, int64_t *pid) {
  db_stmt *st = db_query(r->db, "SELECT project_id, unit_id FROM nodes WHERE id = ?", DBI(id));
  if (!st || db_step(st) != DB_ROW) {
    db_done(st);
    return -1;
  }
  *pid = db_int(st, 0);
  int64_t unit = db_isnull(st, 1) ? 0 : db_int(st, 1);
  db_done(st);
  int sc = project_scope(r, *pid);
  if (sc < PSCOPE_PROGRESS && unit && has_role(r, ROLE_UNIT) && scope_can_write_unit(r, unit)) sc = PSCOPE_PROGRESS;
  return sc;
}

/* The node {id} of the path: the user's scope on it (its project in *pid),
 * or -1 after replying 404. */
static int node_open(req *r, int64_t *id, int64_t *pid) {
  *id = req_id(r, 0);
  if (!*id) return -1;
  int sc = node_scope(r, *id, pid);
  if (sc < 0) reply_not_found(r, "节点", "Node");
  return sc;
}

/* PATCH /api/v1/nodes/{id} {name, kind, unit_id, person, planned_date, actual_date, note, depends_on, version} */
static void nodes_update(req *r) {
  int64_t id, pid = 0;
  int sc = node_open(r, &id, &pid);
  if (sc < 0) return;
  if (sc < PSCOPE_PROGRESS) return reply_forbidden(r, "无权修改该节点", "you may not change this node");
  json_t *in = req_json(r, node_fields);
  if (!in) return;
  const char *key;
  json_t *v;
  json_object_foreach(in, key, v) {
    (void)v;
    if (!strcmp(key, "template_id") || !strcmp(key, "start") || !strcmp(key, "replace"))
      field_error(r, key, "不能用于修改节点", "not allowed when changing a node");
    else if (sc == PSCOPE_PROGRESS && code_index(node_progress_fields, key) < 0)
      field_error(r, key, "只能填报实际完成日期、责任人和备注", "you may record only actual_date, person and note");
  }
  if (has_errors(r)) return reply_problem(r, sc == PSCOPE_PROGRESS ? 403 : 400, "字段不允许 / Field not allowed", NULL);
  light_ctx lc;
  light_ctx_init(r->db, &lc, req_calendar(r), 0);
  db_stmt *st = db_query(r->db, "SELECT name, kind, unit_id, person, planned_date, actual_date, note, depends_on, seq FROM nodes WHERE id = ?",
                         DBI(id));
  if (!st || db_step(st) != DB_ROW) {
    db_done(st);
    return reply_not_found(r, "节点", "Node");
  }
#define COPY(i) (db_isnull(st, i) ? NULL : arena_strdup(&r->a, db_text(st, i)))
  const char *name = COPY(0), *kind = COPY(1), *person = COPY(3), *planned = COPY(4), *actual = COPY(5), *note = COPY(6);
#undef COPY
  int64_t unit = db_isnull(st, 2) ? 0 : db_int(st, 2), dep = db_isnull(st, 7) ? 0 : db_int(st, 7), seq = db_int(st, 8);
  db_done(st);
  jstr(r, in, "name", 0, 64, &name);
  jenum(r, in, "kind", 0, node_kinds, &kind);
  unit = unit_or_error(r, in, unit);
  if (jstr(r, in, "person", 0, 64, &person) == JV_NULL) person = NULL;
  jdate(r, in, "planned_date", 0, &planned);
  if (jdate(r, in, "actual_date", 0, &actual) == JV_NULL) actual = NULL;
  if (jstr(r, in, "note", 0, 2000, &note) == JV_NULL) note = NULL;
  if (jint(r, in, "depends_on", 0, 1, INT64_MAX, &dep) == JV_NULL) dep = 0;
  int64_t version = req_version(r, in);
  if (!has_errors(r) && !version) field_error(r, "version", "必填（或If-Match头）", "required (or an If-Match header)");
  if (!has_errors(r)) node_check(r, pid, id, seq, dep, planned, json_object_get(in, "actual_date") ? actual : NULL, lc.today);
  if (has_errors(r)) return reply_invalid(r);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  json_t *before = node_json(r->db, id, &lc);
  rc = db_exec(r->db,
               "UPDATE nodes SET name = ?, kind = ?, unit_id = ?, person = ?, planned_date = ?, actual_date = ?, note = ?, "
               "depends_on = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
               DBT(name), DBT(kind), unit ? DBI(unit) : DBNULL, DBT(person), DBT(planned), DBT(actual), DBT(note),
               dep ? DBI(dep) : DBNULL, DBT(now_rfc3339(&r->a)), DBI(id), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "数据已被他人修改 / Conflict", "节点已被他人修改，请刷新后再改 / The node changed; reload and retry");
  }
  json_t *after = rc == DB_OK ? node_json(r->db, id, &lc) : NULL;
  if (rc == DB_OK) rc = rollup_project(r->db, pid);
  if (rc == DB_OK) rc = audit_log(r, "update", "node", id, before, after);
  /* the project's version moves too, so a cached project page is stale */
  if (rc == DB_OK) rc = db_exec(r->db, "UPDATE projects SET updated_at = ? WHERE id = ?", DBT(now_rfc3339(&r->a)), DBI(pid));
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(after, "version"))));
  commit_reply(r, rc, before, after, 200);
}

/* DELETE /api/v1/nodes/{id} — also recorded on the project, whose history
 * must still show the node after it is gone. */
static void nodes_delete(req *r) {
  int64_t id, pid = 0;
  int sc = node_open(r, &id, &pid);
  if (sc < 0) return;
  if (sc < PSCOPE_WRITE) return reply_forbidden(r, "无权删除该节点", "you may not delete this node");
  light_ctx lc;
  light_ctx_init(r->db, &lc, req_calendar(r), 0);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  json_t *before = node_json(r->db, id, &lc);
  rc = db_exec(r->db, "UPDATE nodes SET depends_on = NULL WHERE depends_on = ?", DBI(id));
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM nodes WHERE id = ?", DBI(id));
  if (rc == DB_OK) rc = rollup_project(r->db, pid);
  if (rc == DB_OK) rc = audit_log(r, "delete", "node", id, before, NULL);
  if (rc == DB_OK) rc = audit_log(r, "delete_node", "project", pid, before, NULL);
  commit_reply(r, rc, before, NULL, 204);
}

/* ---- baselines ---- */

/* POST /api/v1/projects/{id}/baseline — freezes every node's planned date */
static void baseline_project(req *r) {
  int64_t pid = req_id(r, 0);
  if (!pid) return;
  if (project_scope(r, pid) < 0) return reply_not_found(r, "项目", "Project");
  const char *at = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  rc = db_exec(r->db, "UPDATE nodes SET baseline_date = planned_date, version = version + 1, updated_at = ? WHERE project_id = ?",
               DBT(at), DBI(pid));
  int64_t n = db_changes(r->db);
  json_t *after = json_pack("{s:I, s:s}", "nodes", (json_int_t)n, "at", at);
  if (rc == DB_OK) rc = audit_log(r, "baseline", "project", pid, NULL, after);
  commit_reply(r, rc, NULL, after, 200);
}

/* POST /api/v1/baseline {"year":2026} — every project's 年初计划: the open
 * nodes and those planned or done in that year or later are frozen;
 * earlier finished nodes keep the baseline they had. */
static void baseline_all(req *r) {
  static const char *const fields[] = {"year", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  int64_t year = 0;
  jint(r, in, "year", 1, 2000, 2100, &year);
  if (has_errors(r)) return reply_invalid(r);
  char first[16];
  snprintf(first, sizeof first, "%04d-01-01", (int)year);
  const char *at = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  rc = db_exec(r->db,
               "UPDATE nodes SET baseline_date = planned_date, version = version + 1, updated_at = ? "
               "WHERE actual_date IS NULL OR actual_date >= ? OR planned_date >= ?",
               DBT(at), DBT(first), DBT(first));
  int64_t n = db_changes(r->db);
  json_t *after = json_pack("{s:I, s:I, s:s}", "year", (json_int_t)year, "nodes", (json_int_t)n, "at", at);
  if (rc == DB_OK) rc = audit_log(r, "baseline", "baseline", year, NULL, after);
  commit_reply(r, rc, NULL, after, 200);
}

static const route node_routes[] = {
    ROUTE("GET", "/api/v1/node-templates", templates_list, ROLES_ANY, "节点模板 / Node templates", 0),
    ROUTE("POST", "/api/v1/node-templates", templates_create, ROLE_ADMIN | ROLE_OFFICE, "新建节点模板 / Create a node template", 0),
    ROUTE("PATCH", "/api/v1/node-templates/{id}", templates_update, ROLE_ADMIN | ROLE_OFFICE, "修改节点模板 / Change a node template", 0),
    ROUTE("DELETE", "/api/v1/node-templates/{id}", templates_delete, ROLE_ADMIN | ROLE_OFFICE, "删除节点模板 / Delete a node template", 0),
    ROUTE("GET", "/api/v1/projects/{id}/nodes", nodes_list, ROLES_ANY, "项目节点 / A project's nodes", 0,
          DOM_NODES | DOM_PROJECTS | DOM_LAND /* a land-acquisition node shows the ledger's progress */),
    ROUTE("POST", "/api/v1/projects/{id}/nodes", nodes_create, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT,
          "新增节点或套用模板 / Add a node or apply a template", 0),
    ROUTE("PATCH", "/api/v1/nodes/{id}", nodes_update, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT | ROLE_ENTERPRISE, "修改节点 / Change a node", 0),
    ROUTE("DELETE", "/api/v1/nodes/{id}", nodes_delete, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT, "删除节点 / Delete a node", 0),
    ROUTE("POST", "/api/v1/projects/{id}/baseline", baseline_project, ROLE_ADMIN | ROLE_OFFICE, "冻结项目基线 / Freeze a project's baseline", 0),
    ROUTE("POST", "/api/v1/baseline", baseline_all, ROLE_ADMIN | ROLE_OFFICE, "冻结年初计划 / Freeze every project's baseline", 0),
    {0},
};

static const module nodes_module = {"nodes", 31, node_routes, NULL, NULL, NULL};
MODULE_REGISTER(nodes_module)
