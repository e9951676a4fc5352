/*
 * approval_items.c — the catalogue of approval items (审批事项库): each
 * item's issuing department, statutory and promised limits in working days,
 * prerequisites (items issued first) and parallel group (并联审批), and the
 * battle-map node its issue completes.  Everyone at work reads it; the
 * administrator and the project office edit it.  Prerequisites may not form
 * a cycle (checked with the critical-path walk of approval_rules.c).
 *
 * GET   /api/v1/approval-items?q&unit&active&page&per_page&sort&format
 * GET   /api/v1/approval-items/{id}
 * POST  /api/v1/approval-items {code,name,unit_id,statutory_days,promised_days,parallel_group,node_kind,sort_order,active,prereq_ids}
 * PATCH /api/v1/approval-items/{id} {…the same…, version}
 */
#include <string.h>

#include "approval.h"
#include "auth.h"
#include "http.h"
#include "projects.h"

#define ITEM_SELECT                                                                                              \
  "SELECT i.id, i.code, i.name, i.unit_id, u.name AS unit_name, i.statutory_days, i.promised_days, "            \
  "i.parallel_group, i.node_kind, i.sort_order, i.active AS active__b, i.version, i.created_at, i.updated_at "   \
  "FROM approval_items i JOIN units u ON u.id = i.unit_id "

static void add_prereqs(db *d, json_t *o) {
  json_t *ids = json_array(), *names = json_array();
  db_stmt *st = db_query(d,
                         "SELECT q.prereq_id, i.name FROM approval_item_prereqs q JOIN approval_items i ON i.id = q.prereq_id "
                         "WHERE q.item_id = ? ORDER BY i.sort_order, i.id",
                         DBI(json_integer_value(json_object_get(o, "id"))));
  while (st && db_step(st) == DB_ROW) {
    json_array_append_new(ids, json_integer(db_int(st, 0)));
    json_array_append_new(names, json_string(db_text(st, 1)));
  }
  db_done(st);
  json_object_set_new(o, "prereq_ids", ids);
  json_object_set_new(o, "prereq_names", names);
}

json_t *approval_item_json(db *d, int64_t id) {
  db_stmt *st = db_query(d, ITEM_SELECT "WHERE i.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (o) add_prereqs(d, o);
  return o;
}

/* GET /api/v1/approval-items */
static void items_list(req *r) {
  static const char *const sorts[] = {"sort_order", "i.sort_order", "name", "i.name", "code", "i.code",
                                      "unit_name", "u.name", "statutory_days", "i.statutory_days",
                                      "promised_days", "i.promised_days", NULL};
  page pg;
  req_page(r, &pg);
  int64_t unit = qint(r, "unit", 1, INT64_MAX, 0);
  int64_t active = qint(r, "active", 0, 1, -1);
  const char *q = req_arg(r, "q");
  const char *order = req_sort(r, sorts, "i.sort_order, i.id");
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  sb_adds(&w, "WHERE 1 = 1");
  if (unit) {
    sb_adds(&w, " AND i.unit_id = ?");
    args[n++] = DBI(unit);
  }
  if (active >= 0) {
    sb_adds(&w, " AND i.active = ?");
    args[n++] = DBI(active);
  }
  if (q && *q) {
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    sb_adds(&w, " AND (i.name LIKE ? OR i.code LIKE ? OR u.name LIKE ?)");
    args[n++] = DBT(like);
    args[n++] = DBT(like);
    args[n++] = DBT(like);
  }
  const char *where = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) FROM approval_items i JOIN units u ON u.id = i.unit_id %s", where), n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, ITEM_SELECT "%s ORDER BY %s LIMIT ? OFFSET ?", where, order), n, args);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) add_prereqs(r->db, it);
  reply_list(r, items, total, &pg);
}

/* GET /api/v1/approval-items/{id} */
static void item_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *o = approval_item_json(r->db, id);
  if (!o) return reply_not_found(r, "审批事项", "approval item");
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
  reply_json(r, 200, o);
}

typedef struct item_in {
  const char *code, *name, *group, *node_kind;
  int64_t unit_id, statutory, promised, sort_order;
  int active;
  int64_t prereqs[64];
  int nprereq, has_prereqs;
} item_in;

/* Reads prereq_ids: distinct existing items other than `self`. */
static void read_prereqs(req *r, json_t *in, int64_t self, item_in *it) {
  json_t *v = json_object_get(in, "prereq_ids");
  if (!v) return;
  it->has_prereqs = 1;
  if (json_is_null(v)) return;
  if (!json_is_array(v) || json_array_size(v) > 64) {
    field_error(r, "prereq_ids", "应为事项编号数组（最多64个）", "must be an array of item ids (at most 64)");
    return;
  }
  size_t i;
  json_t *e;
  json_array_foreach(v, i, e) {
    int64_t id = json_is_integer(e) ? json_integer_value(e) : 0;
    if (id <= 0 || db_int1(r->db, 0, "SELECT 1 FROM approval_items WHERE id = ?", DBI(id)) != 1) {
      field_error(r, "prereq_ids", "含有不存在的审批事项", "contains an unknown approval item");
      return;
    }
    if (id == self) {
      field_error(r, "prereq_ids", "事项不能以自身为前置", "an item cannot be its own prerequisite");
      return;
    }
    int dup = 0;
    for (int k = 0; k < it->nprereq; k++) dup |= it->prereqs[k] == id;
    if (!dup) it->prereqs[it->nprereq++] = id;
  }
}

/* 1 when giving item `self` these prerequisites closes a cycle. */
static int makes_cycle(req *r, int64_t self, const item_in *it) {
  if (!self || !it->nprereq) return 0;
  int64_t ids[256];
  int n = 0;
  int(*edges)[2] = arena_alloc(&r->a, sizeof(int[2]) * 4096);
  int ne = 0;
  db_stmt *st = db_query0(r->db, "SELECT id FROM approval_items ORDER BY id LIMIT 256");
  while (st && db_step(st) == DB_ROW) ids[n++] = db_int(st, 0);
  db_done(st);
  int dur[256];
  for (int i = 0; i < n; i++) dur[i] = 0;
  /* index of an id */
#define IDX(x, out)                              \
  do {                                           \
    out = -1;                                    \
    for (int k_ = 0; k_ < n; k_++)               \
      if (ids[k_] == (x)) out = k_;              \
  } while (0)
  st = db_query(r->db, "SELECT item_id, prereq_id FROM approval_item_prereqs WHERE item_id <> ?", DBI(self));
  while (st && db_step(st) == DB_ROW && ne < 4000) {
    int a, b;
    IDX(db_int(st, 0), a);
    IDX(db_int(st, 1), b);
    if (a >= 0 && b >= 0) edges[ne][0] = a, edges[ne][1] = b, ne++;
  }
  db_done(st);
  int s;
  IDX(self, s);
  for (int k = 0; k < it->nprereq && ne < 4096; k++) {
    int b;
    IDX(it->prereqs[k], b);
    if (s >= 0 && b >= 0) edges[ne][0] = s, edges[ne][1] = b, ne++;
  }
#undef IDX
  int on[256];
  return approval_critical_path(n, dur, ne, (const int(*)[2])edges, on) < 0;
}

/* Reads and checks the fields; for PATCH `before` holds the current row. */
static void read_item(req *r, json_t *in, json_t *before, int64_t self, item_in *it) {
  int creating = before == NULL;
  it->code = json_string_value(json_object_get(before, "code"));
  it->name = json_string_value(json_object_get(before, "name"));
  it->group = json_string_value(json_object_get(before, "parallel_group"));
  it->node_kind = json_string_value(json_object_get(before, "node_kind"));
  it->unit_id = json_integer_value(json_object_get(before, "unit_id"));
  it->statutory = json_integer_value(json_object_get(before, "statutory_days"));
  it->promised = json_integer_value(json_object_get(before, "promised_days"));
  it->sort_order = json_integer_value(json_object_get(before, "sort_order"));
  it->active = before ? json_is_true(json_object_get(before, "active")) : 1;
  if (jstr(r, in, "code", creating, 64, &it->code) == JV_SET && !*it->code) field_error(r, "code", "不能为空", "must not be empty");
  if (jstr(r, in, "name", creating, 100, &it->name) == JV_SET && !*it->name) field_error(r, "name", "不能为空", "must not be empty");
  if (jint(r, in, "unit_id", creating, 1, INT64_MAX, &it->unit_id) == JV_SET &&
      db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ?", DBI(it->unit_id)) != 1)
    field_error(r, "unit_id", "单位不存在", "no such unit");
  jint(r, in, "statutory_days", creating, 0, 365, &it->statutory);
  jint(r, in, "promised_days", creating, 0, 365, &it->promised);
  jint(r, in, "sort_order", 0, -100000, 100000, &it->sort_order);
  if (jstr(r, in, "parallel_group", 0, 64, &it->group) == JV_NULL) it->group = NULL;
  if (it->group && !*it->group) it->group = NULL;
  int nk = jenum(r, in, "node_kind", 0, node_kinds, &it->node_kind);
  if (nk == JV_NULL) it->node_kind = NULL;
  jbool(r, in, "active", 0, &it->active);
  read_prereqs(r, in, self, it);
  if (!has_errors(r) && it->promised > it->statutory)
    field_error(r, "promised_days", "承诺时限不能超过法定时限", "the promise cannot exceed the statutory limit");
  if (!has_errors(r) && it->has_prereqs && makes_cycle(r, self, it))
    field_error(r, "prereq_ids", "前置事项形成循环", "the prerequisites would form a cycle");
}

static int store_prereqs(db *d, int64_t id, const item_in *it) {
  if (!it->has_prereqs) return DB_OK;
  int rc = db_exec(d, "DELETE FROM approval_item_prereqs WHERE item_id = ?", DBI(id));
  for (int k = 0; rc == DB_OK && k < it->nprereq; k++)
    rc = db_exec(d, "INSERT INTO approval_item_prereqs (item_id, prereq_id) VALUES (?, ?)", DBI(id), DBI(it->prereqs[k]));
  return rc;
}

static const char *const item_fields[] = {"code", "name", "unit_id", "statutory_days", "promised_days", "parallel_group",
                                          "node_kind", "sort_order", "active", "prereq_ids", "version", NULL};

/* POST /api/v1/approval-items */
static void item_post(req *r) {
  json_t *in = req_json(r, item_fields);
  if (!in) return;
  item_in it = {0};
  read_item(r, in, NULL, 0, &it);
  if (has_errors(r)) return reply_invalid(r);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  int64_t id = approval_item_insert(r->db, it.code, it.name, it.unit_id, (int)it.statutory, (int)it.promised, it.group,
                                    it.node_kind, (int)it.sort_order, now);
  rc = id ? store_prereqs(r->db, id, &it) : db_errcode(r->db);
  if (rc == DB_OK && !it.active) rc = db_exec(r->db, "UPDATE approval_items SET active = 0 WHERE id = ?", DBI(id));
  json_t *after = rc == DB_OK ? approval_item_json(r->db, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "create", "approval_item", id, NULL, after) : db_errcode(r->db);
  commit_reply(r, rc, NULL, after, 201);
}

/* PATCH /api/v1/approval-items/{id} */
static void item_patch(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, item_fields);
  if (!in) return;
  json_t *before = approval_item_json(r->db, id);
  if (!before) return reply_not_found(r, "审批事项", "approval item");
  item_in it = {0};
  read_item(r, in, before, id, &it);
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
                 "UPDATE approval_items SET code = ?, name = ?, unit_id = ?, statutory_days = ?, promised_days = ?, "
                 "parallel_group = ?, node_kind = ?, sort_order = ?, active = ?, version = version + 1, updated_at = ? "
                 "WHERE id = ? AND version = ?",
                 DBT(it.code), DBT(it.name), DBI(it.unit_id), DBI(it.statutory), DBI(it.promised), DBT(it.group),
                 DBT(it.node_kind), DBI(it.sort_order), DBI(it.active ? 1 : 0), DBT(now), DBI(id), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict",
                         "该事项已被他人修改，请刷新后重试 / The item was changed by someone else; reload and retry");
  }
  if (rc == DB_OK) rc = store_prereqs(r->db, id, &it);
  json_t *after = rc == DB_OK ? approval_item_json(r->db, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "approval_item", id, before, after) : db_errcode(r->db);
  commit_reply(r, rc, before, after, 200);
}

int64_t approval_item_insert(db *d, const char *code, const char *name, int64_t unit_id, int statutory, int promised,
                             const char *group, const char *node_kind, int sort_order, const char *at) {
  db_stmt *st = db_query(d,
                         "INSERT INTO approval_items (code, name, unit_id, statutory_days, promised_days, parallel_group, "
                         "node_kind, sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBT(code), DBT(name), DBI(unit_id), DBI(statutory), DBI(promised), DBT(group), DBT(node_kind),
                         DBI(sort_order), DBT(at), DBT(at));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  return id;
}

static const route item_routes[] = {
    ROUTE("GET", "/api/v1/approval-items", items_list, APPROVAL_READERS, "审批事项库 / Approval item catalogue", 0),
    ROUTE("GET", "/api/v1/approval-items/{id}", item_get, APPROVAL_READERS, "审批事项 / One approval item", 0),
    ROUTE("POST", "/api/v1/approval-items", item_post, ROLE_ADMIN | ROLE_OFFICE, "新增审批事项 / Add an approval item", 0),
    ROUTE("PATCH", "/api/v1/approval-items/{id}", item_patch, ROLE_ADMIN | ROLE_OFFICE, "修改审批事项 / Change an approval item", 0),
    {0},
};

static const module approval_items_module = {"approval_items", 55, item_routes, NULL, NULL, NULL};
MODULE_REGISTER(approval_items_module)
