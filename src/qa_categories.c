/*
 * qa_categories.c — the categories of online questions, which are also the
 * Open311 services: each has its service code, name, description, group
 * and keywords, the department its questions are routed to and the
 * deadline to reply in working days, and optionally the attributes of its
 * Open311 service definition (metadata true).  The office edits them.
 *
 * GET   /api/v1/qa-categories
 * POST  /api/v1/qa-categories {code,name,description,group,keywords,unit_id,deadline_days,attributes,sort_order,active}
 * PATCH /api/v1/qa-categories/{id} {…the same…, version}  (If-Match)
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "http.h"
#include "qa.h"

#define CAT_SELECT                                                                                                 \
  "SELECT c.id, c.code, c.name, c.description, c.grp AS \"group\", c.keywords, c.unit_id, u.name AS unit_name, " \
  "c.deadline_days, c.attributes AS attributes__j, c.sort_order, c.active AS active__b, c.version, c.created_at, " \
  "c.updated_at FROM qa_categories c JOIN units u ON u.id = c.unit_id "

static json_t *category_json(db *d, int64_t id) {
  db_stmt *st = db_query(d, CAT_SELECT "WHERE c.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  return o;
}

/* GET /api/v1/qa-categories */
static void categories_list(req *r) {
  db_stmt *st = db_query0(r->db, CAT_SELECT "ORDER BY c.sort_order, c.id");
  page pg = {1, 500, 0};
  reply_rows(r, st, db_int10(r->db, -1, "SELECT COUNT(*) FROM qa_categories"), &pg);
}

static const char *const cat_fields[] = {"code", "name", "description", "group", "keywords", "unit_id", "deadline_days",
                                         "attributes", "sort_order", "active", "version", NULL};

/* JSON text of v in the arena (json_dumps allocates with malloc). */
static const char *dump(arena *a, const json_t *v) {
  char *s = json_dumps(v, JSON_COMPACT);
  const char *out = s ? arena_strdup(a, s) : NULL;
  free(s);
  return out;
}

typedef struct cat_in {
  const char *code, *name, *description, *group, *keywords, *attributes;
  int64_t unit_id, deadline, sort_order;
  int active;
} cat_in;

/* 1 when a service code is safe in a URL path and an XML element. */
static int code_ok(const char *s) {
  if (!*s) return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
      return 0;
  return 1;
}

static void read_cat(req *r, json_t *in, json_t *before, cat_in *c) {
  int creating = before == NULL;
  c->code = json_string_value(json_object_get(before, "code"));
  c->name = json_string_value(json_object_get(before, "name"));
  c->description = before ? json_string_value(json_object_get(before, "description")) : "";
  c->group = before ? json_string_value(json_object_get(before, "group")) : "";
  c->keywords = before ? json_string_value(json_object_get(before, "keywords")) : "";
  c->unit_id = json_integer_value(json_object_get(before, "unit_id"));
  c->deadline = json_integer_value(json_object_get(before, "deadline_days"));
  c->sort_order = json_integer_value(json_object_get(before, "sort_order"));
  c->active = before ? json_is_true(json_object_get(before, "active")) : 1;
  json_t *attrs = json_object_get(before, "attributes");
  c->attributes = attrs && !json_is_null(attrs) ? dump(&r->a, attrs) : NULL;
  if (jstr(r, in, "code", creating, 32, &c->code) == JV_SET && !code_ok(c->code))
    field_error(r, "code", "只能包含字母、数字、下划线和连字符", "only letters, digits, _ and - are allowed");
  if (jstr(r, in, "name", creating, 64, &c->name) == JV_SET && !*c->name) field_error(r, "name", "不能为空", "must not be empty");
  if (jstr(r, in, "description", 0, 500, &c->description) == JV_NULL) c->description = "";
  if (jstr(r, in, "group", 0, 64, &c->group) == JV_NULL) c->group = "";
  if (jstr(r, in, "keywords", 0, 200, &c->keywords) == JV_NULL) c->keywords = "";
  if (jint(r, in, "unit_id", creating, 1, INT64_MAX, &c->unit_id) == JV_SET &&
      db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ?", DBI(c->unit_id)) != 1)
    field_error(r, "unit_id", "单位不存在", "no such unit");
  jint(r, in, "deadline_days", creating, 1, 60, &c->deadline);
  jint(r, in, "sort_order", 0, -100000, 100000, &c->sort_order);
  jbool(r, in, "active", 0, &c->active);
  json_t *a = json_object_get(in, "attributes");
  if (json_is_null(a)) {
    c->attributes = NULL;
  } else if (a) {
    /* Open311 attributes: [{code, description, datatype, required, values?}] */
    static const char *const types[] = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist", NULL};
    size_t i;
    json_t *e;
    int ok = json_is_array(a) && json_array_size(a) <= 20;
    json_array_foreach(a, i, e) {
      const char *code = json_string_value(json_object_get(e, "code"));
      const char *dt = json_string_value(json_object_get(e, "datatype"));
      if (!json_is_object(e) || !code || !code_ok(code) || !json_is_string(json_object_get(e, "description")) ||
          qa_index(types, dt) < 0)
        ok = 0;
    }
    if (!ok)
      field_error(r, "attributes", "应为数组：[{code, description, datatype, required, values}]，datatype为string、number、datetime、text、singlevaluelist或multivaluelist",
                  "must be an array of {code, description, datatype, required, values}; datatype string, number, datetime, text, singlevaluelist or multivaluelist");
    else
      c->attributes = json_array_size(a) ? dump(&r->a, a) : NULL;
  }
}

/* POST /api/v1/qa-categories */
static void category_post(req *r) {
  json_t *in = req_json(r, cat_fields);
  if (!in) return;
  cat_in c = {0};
  read_cat(r, in, NULL, &c);
  if (!has_errors(r) && db_int1(r->db, 0, "SELECT 1 FROM qa_categories WHERE code = ?", DBT(c.code)) == 1)
    field_error(r, "code", "代码已被使用", "the code is taken");
  if (has_errors(r)) return reply_invalid(r);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO qa_categories (code, name, description, grp, keywords, unit_id, deadline_days, attributes, "
                         "sort_order, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBT(c.code), DBT(c.name), DBT(c.description), DBT(c.group), DBT(c.keywords), DBI(c.unit_id),
                         DBI(c.deadline), DBT(c.attributes), DBI(c.sort_order), DBI(c.active ? 1 : 0), DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  json_t *after = id ? category_json(r->db, id) : NULL;
  rc = after ? audit_log(r, "create", "qa_category", id, NULL, after) : db_errcode(r->db);
  commit_reply(r, rc, NULL, after, 201);
}

/* PATCH /api/v1/qa-categories/{id} */
static void category_patch(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, cat_fields);
  if (!in) return;
  json_t *before = category_json(r->db, id);
  if (!before) return reply_not_found(r, "问政类别", "category");
  cat_in c = {0};
  read_cat(r, in, before, &c);
  if (!has_errors(r) &&
      db_int1(r->db, 0, "SELECT 1 FROM qa_categories WHERE code = ? AND id <> ?", DBT(c.code), DBI(id)) == 1)
    field_error(r, "code", "代码已被使用", "the code is taken");
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
                 "UPDATE qa_categories SET code = ?, name = ?, description = ?, grp = ?, keywords = ?, unit_id = ?, "
                 "deadline_days = ?, attributes = ?, sort_order = ?, active = ?, version = version + 1, updated_at = ? "
                 "WHERE id = ? AND version = ?",
                 DBT(c.code), DBT(c.name), DBT(c.description), DBT(c.group), DBT(c.keywords), DBI(c.unit_id),
                 DBI(c.deadline), DBT(c.attributes), DBI(c.sort_order), DBI(c.active ? 1 : 0), DBT(now), DBI(id),
                 DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict",
                         "该类别已被他人修改，请刷新后重试 / The category was changed by someone else; reload and retry");
  }
  json_t *after = rc == DB_OK ? category_json(r->db, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "qa_category", id, before, after) : db_errcode(r->db);
  commit_reply(r, rc, before, after, 200);
}

static const route category_routes[] = {
    ROUTE("GET", "/api/v1/qa-categories", categories_list, QA_STAFF, "问政类别 / Question categories", 0),
    ROUTE("POST", "/api/v1/qa-categories", category_post, ROLE_ADMIN | ROLE_OFFICE, "新增问政类别 / Add a category", 0),
    ROUTE("PATCH", "/api/v1/qa-categories/{id}", category_patch, ROLE_ADMIN | ROLE_OFFICE, "修改问政类别 / Change a category", 0),
    {0},
};

static const module qa_categories_module = {"qa_categories", 72, category_routes, NULL, NULL, NULL};
MODULE_REGISTER(qa_categories_module)
