/*
 * units.c — the unit tree (单位): the district, its command HQs and working
 * groups, towns and streets, departments, enterprises and banks.  Every
 * unit carries a materialised path "/1/7/12/" (its ancestors and itself),
 * which is what data scope runs on, so this file is the one place that
 * keeps paths right: on creation and when a unit moves, for its whole
 * subtree at once.
 *
 * GET    /api/v1/units?page&per_page&q&kind&sort   any logged-in user
 * POST   /api/v1/units        {name,kind,parent_id}  admin
 * PATCH  /api/v1/units/{id}   {name,kind,parent_id,version}  admin (or If-Match)
 * DELETE /api/v1/units/{id}                          admin; 409 while in use
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "http.h"
#include "identity.h"

const char *const unit_kinds[] = {"district", "hq", "group", "town", "department", "enterprise", "bank", NULL};

int unit_kind_valid(const char *kind) {
  for (const char *const *k = unit_kinds; *k; k++)
    if (strcmp(*k, kind) == 0) return 1;
  return 0;
}

#define UNIT_COLS "id, name, kind, parent_id, path, version"

json_t *unit_json(db *d, int64_t id) {
  db_stmt *st = db_query(d, "SELECT " UNIT_COLS " FROM units WHERE id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  return o;
}

/* The unit {id} of the path; replies 404 itself and returns NULL when absent. */
static json_t *unit_open(req *r, int64_t *id) {
  *id = req_id(r, 0);
  if (!*id) return NULL;
  json_t *o = unit_json(r->db, *id);
  if (!o) reply_not_found(r, "单位", "Unit");
  return o;
}

int64_t unit_by_name(db *d, const char *name) {
  return db_int1(d, 0, "SELECT id FROM units WHERE name = ?", DBT(name));
}

/* The path of a unit ("/" for none), copied into the arena; NULL if absent. */
static const char *unit_path(db *d, arena *a, int64_t id) {
  if (!id) return "/";
  db_stmt *st = db_query(d, "SELECT path FROM units WHERE id = ?", DBI(id));
  const char *p = st && db_step(st) == DB_ROW ? arena_strdup(a, db_text(st, 0)) : NULL;
  db_done(st);
  return p;
}

int64_t unit_insert(db *d, const char *name, const char *kind, int64_t parent_id, const char *at) {
  arena a;
  arena_init(&a);
  int64_t id = 0;
  const char *parent_path = unit_path(d, &a, parent_id);
  db_stmt *st = parent_path ? db_query(d, "INSERT INTO units (name, kind, parent_id, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                                       DBT(name), DBT(kind), parent_id ? DBI(parent_id) : DBNULL, DBT(at))
                            : NULL;
  if (st && db_step(st) == DB_ROW) id = db_int(st, 0);
  db_done(st);
  if (id && db_exec(d, "UPDATE units SET path = ? WHERE id = ?", DBT(arena_printf(&a, "%s%lld/", parent_path, (long long)id)),
                    DBI(id)) != DB_OK)
    id = 0;
  arena_release(&a);
  return id;
}

/* GET /api/v1/units?page&per_page&q&kind&sort — every unit is visible to
 * every logged-in user: pickers and scope labels need the whole tree. */
static void units_list(req *r) {
  static const char *const sorts[] = {"id", "id", "name", "name", "kind", "kind", "path", "path", NULL};
  page p;
  req_page(r, &p);
  const char *kind = qenum(r, "kind", unit_kinds);
  const char *q = req_arg(r, "q");
  const char *order = req_sort(r, sorts, "id");
  if (has_errors(r)) return reply_invalid(r);
  strbuf where = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  sb_adds(&where, " WHERE 1 = 1");
  if (q && *q) {
    sb_adds(&where, " AND name LIKE ?");
    args[n++] = DBT(arena_printf(&r->a, "%%%s%%", q));
  }
  db_where_text(&where, args, &n, " AND kind = ?", kind);
  const char *w = arena_strdup(&r->a, sb_str(&where));
  sb_release(&where);
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) FROM units%s", w), n, args);
  args[n++] = DBI(p.per_page);
  args[n++] = DBI(p.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, "SELECT " UNIT_COLS " FROM units%s ORDER BY %s LIMIT ? OFFSET ?", w, order),
                           n, args);
  reply_rows(r, st, total, &p);
}

/* Validates parent_id (when sent): it must exist and, for a move, must not
 * lie inside the unit itself.  Returns the parent's path, "/" for none. */
static const char *check_parent(req *r, int64_t parent_id, const char *own_path) {
  if (!parent_id) return "/";
  const char *pp = unit_path(r->db, &r->a, parent_id);
  if (!pp) {
    field_error(r, "parent_id", "上级单位不存在", "no such parent unit");
    return NULL;
  }
  if (own_path && strncmp(pp, own_path, strlen(own_path)) == 0) {
    field_error(r, "parent_id", "不能把单位移到它自己或它的下级单位之下", "a unit cannot move below itself or one of its sub-units");
    return NULL;
  }
  return pp;
}

static int name_taken(req *r, const char *name, int64_t except) {
  if (db_int1(r->db, 0, "SELECT COUNT(*) FROM units WHERE name = ? AND id <> ?", DBT(name), DBI(except)) > 0) {
    field_error(r, "name", "已有同名单位", "a unit with this name exists");
    return 1;
  }
  return 0;
}

/* POST /api/v1/units {name, kind, parent_id} */
static void units_create(req *r) {
  static const char *const fields[] = {"name", "kind", "parent_id", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *name = NULL, *kind = NULL;
  int64_t parent_id = 0;
  jstr(r, in, "name", 1, 128, &name);
  jenum(r, in, "kind", 1, unit_kinds, &kind);
  if (jint(r, in, "parent_id", 0, 1, INT64_MAX, &parent_id) == JV_SET) check_parent(r, parent_id, NULL);
  if (has_errors(r)) return reply_invalid(r);
  if (name_taken(r, name, 0)) return reply_problem(r, 409, "单位名称重复 / Duplicate unit name", "已有同名单位 / A unit with this name exists");

  int rc = db_begin(r->db);
  int64_t id = rc == DB_OK ? unit_insert(r->db, name, kind, parent_id, now_rfc3339(&r->a)) : 0;
  if (rc == DB_OK && !id) rc = db_errcode(r->db);
  json_t *after = rc == DB_OK ? unit_json(r->db, id) : NULL;
  if (rc == DB_OK && after) rc = audit_log(r, "create", "unit", id, NULL, after);
  commit_reply(r, rc, NULL, after, 201);
}

/* PATCH /api/v1/units/{id} {name?, kind?, parent_id?, version?} — moving a
 * unit rewrites the path of every unit below it in the same transaction. */
static void units_update(req *r) {
  static const char *const fields[] = {"name", "kind", "parent_id", "version", NULL};
  int64_t id;
  json_t *before = unit_open(r, &id);
  if (!before) return;
  json_t *in = req_json(r, fields);
  if (!in) return json_decref(before);
  const char *name = json_string_value(json_object_get(before, "name"));
  const char *kind = json_string_value(json_object_get(before, "kind"));
  const char *old_path = arena_strdup(&r->a, json_string_value(json_object_get(before, "path")));
  json_t *op = json_object_get(before, "parent_id");
  int64_t parent_id = json_is_integer(op) ? json_integer_value(op) : 0;
  const char *parent_path = NULL;
  jstr(r, in, "name", 0, 128, &name);
  jenum(r, in, "kind", 0, unit_kinds, &kind);
  int pst = jint(r, in, "parent_id", 0, 1, INT64_MAX, &parent_id);
  if (pst == JV_NULL) parent_id = 0;
  if (pst == JV_SET || pst == JV_NULL) parent_path = check_parent(r, parent_id, old_path);
  int64_t version = req_version(r, in);
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }
  if (name_taken(r, name, id)) {
    json_decref(before);
    return reply_problem(r, 409, "单位名称重复 / Duplicate unit name", "已有同名单位 / A unit with this name exists");
  }
  const char *new_path = parent_path ? arena_printf(&r->a, "%s%lld/", parent_path, (long long)id) : old_path;
  /* Saving an unchanged form is no change: no new version, no audit entry. */
  json_t *bp = json_object_get(before, "parent_id");
  if (strcmp(name, json_string_value(json_object_get(before, "name"))) == 0 &&
      strcmp(kind, json_string_value(json_object_get(before, "kind"))) == 0 &&
      parent_id == (json_is_integer(bp) ? json_integer_value(bp) : 0))
    return reply_json(r, 200, before);

  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db, "UPDATE units SET name = ?, kind = ?, parent_id = ?, version = version + 1 WHERE id = ? AND version = ?",
                 DBT(name), DBT(kind), parent_id ? DBI(parent_id) : DBNULL, DBI(id), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "数据已被他人修改 / Changed by someone else",
                         "该单位已被修改，请刷新后重试 / The unit was changed meanwhile; reload and try again");
  }
  if (rc == DB_OK && strcmp(new_path, old_path) != 0)
    /* The unit and all its descendants share the old prefix; swap it. */
    rc = db_exec(r->db, "UPDATE units SET path = CAST(? AS TEXT) || substr(path, CAST(? AS INTEGER)) WHERE path LIKE ?",
                 DBT(new_path), DBI((int64_t)strlen(old_path) + 1), DBT(arena_printf(&r->a, "%s%%", old_path)));
  json_t *after = rc == DB_OK ? unit_json(r->db, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "unit", id, before, after) : DB_ERROR;
  commit_reply(r, rc, before, after, 200);
}

/* DELETE /api/v1/units/{id} — refused (409) while users, sub-units or any
 * other data refer to the unit; the foreign keys catch what is not named. */
static void units_delete(req *r) {
  int64_t id;
  json_t *before = unit_open(r, &id);
  if (!before) return;
  int64_t users = db_int1(r->db, 0, "SELECT COUNT(*) FROM users WHERE unit_id = ?", DBI(id));
  int64_t kids = db_int1(r->db, 0, "SELECT COUNT(*) FROM units WHERE parent_id = ?", DBI(id));
  if (users || kids) {
    json_decref(before);
    return reply_problem(r, 409, "单位仍在使用 / Unit in use",
                         arena_printf(&r->a, "该单位还有%lld个用户、%lld个下级单位，请先移走 / The unit still has %lld users and %lld sub-units; move them first",
                                      (long long)users, (long long)kids, (long long)users, (long long)kids));
  }
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM units WHERE id = ?", DBI(id));
  if (rc == DB_CONSTRAINT) { /* a DELETE breaks only references */
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "单位仍在使用 / Unit in use",
                         "项目、节点等数据仍引用该单位 / Projects, nodes or other records still refer to this unit");
  }
  if (rc == DB_OK) rc = audit_log(r, "delete", "unit", id, before, NULL);
  commit_reply(r, rc, before, NULL, 204);
}

static const route unit_routes[] = {
    ROUTE("GET", "/api/v1/units", units_list, ROLES_ANY, "单位列表 / List units", 0),
    ROUTE("POST", "/api/v1/units", units_create, ROLE_ADMIN, "新增单位 / Create a unit", 0),
    ROUTE("PATCH", "/api/v1/units/{id}", units_update, ROLE_ADMIN, "修改或移动单位 / Change or move a unit", 0),
    ROUTE("DELETE", "/api/v1/units/{id}", units_delete, ROLE_ADMIN, "删除单位 / Delete a unit", 0),
    {0},
};

static const char unit_schemas[] =
    "{\"Unit\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"},"
    "\"kind\":{\"enum\":[\"district\",\"hq\",\"group\",\"town\",\"department\",\"enterprise\",\"bank\"]},"
    "\"parent_id\":{\"type\":[\"integer\",\"null\"]},\"path\":{\"type\":\"string\",\"description\":\"/1/7/12/: ancestors and itself\"}}}}";

static const module units_module = {"units", 20, unit_routes, NULL, unit_schemas};
MODULE_REGISTER(units_module)
