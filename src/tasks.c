/*
 * tasks.c — monthly tasks (月度攻坚任务): the project office sets each
 * responsible unit's tasks for a month (a figure to reach in the kind's
 * measure, or a node to reach by a date), the unit reports its actuals,
 * and the office confirms them; an actual the office sets itself counts as
 * confirmed.  A task may instead be `derived`: its actual then comes from
 * guatu's own data (node reached, approved investment of linked projects,
 * land handed over and houses demolished in the month from the land ledger)
 * and always counts.  Only counted actuals decide `completed`.
 *
 * GET   /api/v1/tasks?month=&unit=&kind=&completed=&q=   list (scope: own unit and sub-units)
 * POST  /api/v1/tasks                                    office: create
 * GET   /api/v1/tasks/{id}                               one task
 * PATCH /api/v1/tasks/{id}                               office: any field; unit: actual only (version / If-Match)
 * POST  /api/v1/tasks/{id}/confirm                       office: confirm the reported actual
 * DELETE /api/v1/tasks/{id}                              office
 */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "accountability.h"
#include "auth.h"
#include "calendar.h"
#include "http.h"
#include "identity.h"
#include "money.h"
#include "tasks.h"

json_t *task_figure_json(int kind, int64_t v) {
  if (kind == TK_LAND) return json_area(v);
  if (kind == TK_INVESTMENT) return json_money(v);
  char buf[32];
  snprintf(buf, sizeof buf, "%lld", (long long)v);
  return json_string(buf);
}

#define TASK_SELECT                                                                                                 \
  "SELECT t.id, t.unit_id, u.name, u.kind, t.month, t.kind, t.title, t.description, t.target, " TASK_ACTUAL_SQL    \
  ", " TASK_COUNTED_SQL ", t.source, t.node_id, t.deadline, t.weight, t.confirmed, t.reported_at, t.confirmed_at, " \
  "t.version, t.created_at, t.updated_at, (SELECT n2.name FROM nodes n2 WHERE n2.id = t.node_id), t.actual "       \
  "FROM tasks t JOIN units u ON u.id = t.unit_id"

static json_t *task_projects_json(db *d, int64_t id) {
  json_t *arr = json_array();
  db_stmt *st = db_query(d, "SELECT p.id, p.name, p.code FROM task_projects tp JOIN projects p ON p.id = tp.project_id "
                            "WHERE tp.task_id = ? ORDER BY p.code, p.id", DBI(id));
  while (st && db_step(st) == DB_ROW)
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_int(st, 0), "name", db_text(st, 1), "code",
                                         db_text(st, 2)));
  db_done(st);
  return arr;
}

/* One row of TASK_SELECT as the API's task object. */
static json_t *task_row(db *d, db_stmt *st) {
  int kind = task_kind_parse(db_text(st, 5));
  int64_t target = db_int(st, 8);
  int has_actual = !db_isnull(st, 9);
  int64_t actual = db_int(st, 9), counted = db_int(st, 10);
  const char *source = db_text(st, 11);
  int derived = strcmp(source, "derived") == 0, confirmed = (int)db_int(st, 15);
  char ratio[32];
  acc_bp_format(acc_ratio_bp(counted, target), ratio);
  const char *state = derived ? "derived" : !has_actual ? "not_reported" : confirmed ? "confirmed" : "reported";
  int64_t id = db_int(st, 0);
  json_t *o = json_object();
  json_object_set_new(o, "id", json_integer(id));
  json_object_set_new(o, "unit_id", json_integer(db_int(st, 1)));
  json_object_set_new(o, "unit_name", json_string(db_text(st, 2)));
  json_object_set_new(o, "unit_kind", json_string(db_text(st, 3)));
  json_object_set_new(o, "month", json_string(db_text(st, 4)));
  json_object_set_new(o, "kind", json_string(db_text(st, 5)));
  json_object_set_new(o, "kind_name", json_string(kind >= 0 ? task_kind_zh[kind] : ""));
  json_object_set_new(o, "measure", json_string(kind >= 0 ? task_kind_measure[kind] : ""));
  json_object_set_new(o, "title", json_string(db_text(st, 6)));
  json_object_set_new(o, "description", json_str_or_null(db_text(st, 7)));
  json_object_set_new(o, "target", task_figure_json(kind, target));
  json_object_set_new(o, "actual", has_actual ? task_figure_json(kind, actual) : json_null());
  json_object_set_new(o, "counted_actual", task_figure_json(kind, counted));
  json_object_set_new(o, "ratio", json_string(ratio));
  json_object_set_new(o, "completed", json_boolean(acc_task_completed(counted, target)));
  json_object_set_new(o, "weight", json_integer(db_int(st, 14)));
  json_object_set_new(o, "source", json_string(source));
  json_object_set_new(o, "state", json_string(state));
  json_object_set_new(o, "confirmed", json_boolean(derived || confirmed));
  json_object_set_new(o, "node_id", db_isnull(st, 12) ? json_null() : json_integer(db_int(st, 12)));
  json_object_set_new(o, "node_name", json_str_or_null(db_text(st, 21)));
  json_object_set_new(o, "deadline", json_str_or_null(db_text(st, 13)));
  json_object_set_new(o, "reported_at", json_str_or_null(db_text(st, 16)));
  json_object_set_new(o, "confirmed_at", json_str_or_null(db_text(st, 17)));
  json_object_set_new(o, "version", json_integer(db_int(st, 18)));
  json_object_set_new(o, "created_at", json_string(db_text(st, 19)));
  json_object_set_new(o, "updated_at", json_string(db_text(st, 20)));
  json_object_set_new(o, "projects", task_projects_json(d, id));
  return o;
}

/* The task (NULL when missing); scope is checked by the caller. */
static json_t *task_load(req *r, int64_t id) {
  db_stmt *st = db_query(r->db, TASK_SELECT " WHERE t.id = ?", DBI(id));
  json_t *o = NULL;
  if (st && db_step(st) == DB_ROW) o = task_row(r->db, st);
  db_done(st);
  return o;
}

/* Ends a change: the task as stored, audited, committed with the reply. */
static void task_commit(req *r, int rc, const char *action, int64_t id, json_t *before, unsigned status) {
  json_t *after = rc == DB_OK ? task_load(r, id) : NULL;
  if (rc == DB_OK) rc = audit_log(r, action, "task", id, before, after);
  commit_reply(r, rc, before, after, status);
}

/* The task named by the path when the user may read it; otherwise replies
 * 404 itself and returns NULL. */
static json_t *task_open(req *r, int64_t *id) {
  *id = req_id(r, 0);
  if (!*id) return NULL;
  json_t *o = task_load(r, *id);
  if (!o || !scope_can_read_unit(r, json_integer_value(json_object_get(o, "unit_id")))) {
    json_decref(o);
    reply_not_found(r, "任务", "task");
    return NULL;
  }
  return o;
}

/* ---- GET /api/v1/tasks ------------------------------------------------ */
static void task_list(req *r) {
  static const char *const sorts[] = {"month", "month", "unit", "unit_name", "kind", "kind", "weight", "weight",
                                      "title", "title", "id", "id", NULL};
  static const char *const bools[] = {"true", "false", NULL};
  page p;
  req_page(r, &p);
  const char *month = qmonth(r, "month");
  const char *kind = qenum(r, "kind", task_kind_names);
  const char *completed = qenum(r, "completed", bools);
  int64_t unit = qint(r, "unit", 1, INT64_MAX, 0);
  const char *q = req_arg(r, "q");
  const char *order = req_sort(r, sorts, "month DESC, unit_name ASC, id ASC");
  if (has_errors(r)) return reply_invalid(r);

  strbuf w = STRBUF_INIT;
  db_val args[8];
  int na = 0;
  sb_adds(&w, " WHERE 1 = 1");
  db_where_text(&w, args, &na, " AND t.month = ?", month);
  db_where_text(&w, args, &na, " AND t.kind = ?", kind);
  db_where_int(&w, args, &na, " AND t.unit_id = ?", unit);
  if (q && *q) {
    sb_adds(&w, " AND (t.title LIKE ? OR u.name LIKE ?)");
    const char *pat = arena_printf(&r->a, "%%%s%%", q);
    args[na++] = DBT(pat);
    args[na++] = DBT(pat);
  }
  scope_filter(r, "t.unit_id", &w, args, &na);
  /* completed depends on the derived actual, so the filter wraps the select */
  const char *inner = arena_printf(&r->a,
                                   "SELECT t.id AS id, t.month AS month, u.name AS unit_name, t.kind AS kind, t.weight AS "
                                   "weight, t.title AS title, CASE WHEN " TASK_COUNTED_SQL " >= t.target THEN 1 ELSE 0 END "
                                   "AS done FROM tasks t JOIN units u ON u.id = t.unit_id%s",
                                   sb_str(&w));
  const char *outer_where = !completed ? "" : strcmp(completed, "true") == 0 ? " WHERE x.done = 1" : " WHERE x.done = 0";
  int64_t total = db_int1v(r->db, 0, arena_printf(&r->a, "SELECT COUNT(*) FROM (%s) x%s", inner, outer_where), na, args);
  args[na++] = DBI(p.per_page);
  args[na++] = DBI(p.offset);
  db_stmt *ids = db_prepare(r->db,
                            arena_printf(&r->a, "SELECT x.id FROM (%s) x%s ORDER BY %s LIMIT ? OFFSET ?", inner,
                                         outer_where, order),
                            na, args);
  sb_release(&w);
  if (!ids) return reply_db_error(r, db_errcode(r->db));
  int64_t *idv = NULL;
  size_t n = 0, cap = 0;
  while (db_step(ids) == DB_ROW) {
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      int64_t *nv = arena_alloc(&r->a, cap * sizeof *nv);
      if (n) memcpy(nv, idv, n * sizeof *nv);
      idv = nv;
    }
    idv[n++] = db_int(ids, 0);
  }
  db_done(ids);
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *o = task_load(r, idv[i]);
    if (o) json_array_append_new(items, o);
  }
  reply_list(r, items, total, &p);
}

/* ---- validation shared by create and update ---------------------------- */

/* Reads a figure of the kind's measure (target > 0 when `positive`). */
static int read_figure(req *r, json_t *in, const char *field, int kind, int required, int positive, int64_t *out) {
  int st;
  if (kind == TK_LAND) st = jarea(r, in, field, required, out);
  else if (kind == TK_INVESTMENT) st = jmoney(r, in, field, required, out);
  else if (kind == TK_NODE) st = jint(r, in, field, required, 0, 1, out);
  else st = jint(r, in, field, required, 0, 1000000000, out);
  if (st == JV_SET && positive && *out <= 0) {
    field_error(r, field, "目标应大于0", "the target must be greater than 0");
    return JV_BAD;
  }
  return st;
}

static int64_t *read_projects(req *r, json_t *in, int *count) {
  json_t *v = json_object_get(in, "project_ids");
  *count = -1;
  if (!v || json_is_null(v)) return NULL;
  if (!json_is_array(v) || json_array_size(v) > 200) {
    field_error(r, "project_ids", "关联项目应为所选项目的列表（最多200个）", "must be a list of the chosen projects' ids (at most 200)");
    return NULL;
  }
  int64_t *ids = arena_alloc(&r->a, (json_array_size(v) + 1) * sizeof *ids);
  size_t i;
  json_t *e;
  *count = 0;
  json_array_foreach(v, i, e) {
    if (!json_is_integer(e) || json_integer_value(e) <= 0) {
      field_error(r, "project_ids", "关联项目应为所选项目的列表（项目ID，非项目代码）", "must be a list of the chosen projects' ids (not their codes)");
      return NULL;
    }
    int64_t id = json_integer_value(e);
    if (db_int1(r->db, 0, "SELECT COUNT(*) FROM projects WHERE id = ?", DBI(id)) != 1) {
      field_error(r, "project_ids", arena_printf(&r->a, "关联项目（ID %lld）不存在或已删除", (long long)id),
                  arena_printf(&r->a, "the linked project (id %lld) does not exist or was deleted", (long long)id));
      return NULL;
    }
    int dup = 0;
    for (int k = 0; k < *count; k++) dup |= ids[k] == id;
    if (!dup) ids[(*count)++] = id;
  }
  return ids;
}

static int store_projects(db *d, int64_t task, const int64_t *ids, int n) {
  int rc = db_exec(d, "DELETE FROM task_projects WHERE task_id = ?", DBI(task));
  for (int i = 0; rc == DB_OK && i < n; i++)
    rc = db_exec(d, "INSERT INTO task_projects (task_id, project_id) VALUES (?, ?)", DBI(task), DBI(ids[i]));
  return rc;
}

static int check_unit(req *r, int64_t unit_id) {
  db_stmt *st = db_query(r->db, "SELECT kind FROM units WHERE id = ?", DBI(unit_id));
  int ok = 0, found = 0;
  if (st && db_step(st) == DB_ROW) {
    found = 1;
    ok = peer_group_parse(db_text(st, 0)) >= 0;
  }
  db_done(st);
  if (!found) field_error(r, "unit_id", "单位不存在", "unknown unit");
  else if (!ok)
    field_error(r, "unit_id", "攻坚任务只下达给镇街、部门和指挥部", "tasks go to towns/streets, departments and HQs only");
  return found && ok;
}

/* ---- POST /api/v1/tasks -------------------------------------------------- */
static void task_create(req *r) {
  static const char *const fields[] = {"unit_id", "month", "kind", "title", "description", "target", "actual",
                                       "weight", "project_ids", "node_id", "deadline", "source", NULL};
  static const char *const sources[] = {"manual", "derived", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  int64_t unit_id = 0, target = 0, actual = 0, weight = 1, node_id = 0;
  const char *month = NULL, *kind_s = NULL, *title = NULL, *desc = NULL, *deadline = NULL, *source = "manual";
  if (jint(r, in, "unit_id", 1, 1, INT64_MAX, &unit_id) == JV_SET) check_unit(r, unit_id);
  jmonth(r, in, "month", 1, &month);
  jenum(r, in, "kind", 1, task_kind_names, &kind_s);
  jstr(r, in, "title", 1, 200, &title);
  jstr(r, in, "description", 0, 2000, &desc);
  jint(r, in, "weight", 0, 1, 100, &weight);
  jenum(r, in, "source", 0, sources, &source);
  int kind = task_kind_parse(kind_s);
  int has_actual = 0;
  if (kind >= 0) {
    if (kind == TK_NODE) {
      if (read_figure(r, in, "target", kind, 0, 1, &target) != JV_SET) target = 1;
      jdate(r, in, "deadline", 1, &deadline);
    } else {
      read_figure(r, in, "target", kind, 1, 1, &target);
    }
    has_actual = read_figure(r, in, "actual", kind, 0, 0, &actual) == JV_SET;
  }
  int hn = jint(r, in, "node_id", 0, 1, INT64_MAX, &node_id) == JV_SET;
  if (hn && db_int1(r->db, 0, "SELECT COUNT(*) FROM nodes WHERE id = ?", DBI(node_id)) != 1)
    field_error(r, "node_id", "节点不存在", "unknown node");
  int np = 0;
  int64_t *pids = read_projects(r, in, &np);
  if (source && strcmp(source, "derived") == 0) {
    if (kind == TK_NODE && !hn) field_error(r, "node_id", "自动取数的节点任务须指定节点", "a derived node task needs node_id");
    if ((kind == TK_INVESTMENT || kind == TK_LAND || kind == TK_DEMOLITION) && np <= 0)
      field_error(r, "project_ids", "自动取数的投资、征拆和拆房任务须关联项目",
                  "a derived investment, land or demolition task needs linked projects");
    if (kind == TK_COUNT)
      field_error(r, "source", "只有节点、投资、征拆和拆房任务可自动取数",
                  "only node, investment, land and demolition tasks can be derived");
    if (has_actual) field_error(r, "actual", "自动取数的任务不能填报实际", "a derived task takes no actual");
  }
  if (has_errors(r)) return reply_invalid(r);

  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO tasks (unit_id, month, kind, title, description, target, actual, source, node_id, "
                         "deadline, weight, confirmed, reported_by, reported_at, confirmed_by, confirmed_at, created_at, "
                         "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBI(unit_id), DBT(month), DBT(kind_s), DBT(title), DBT(desc), DBI(target),
                         has_actual ? DBI(actual) : DBNULL, DBT(source), hn ? DBI(node_id) : DBNULL, DBT(deadline),
                         DBI(weight), DBI(has_actual), has_actual ? DBI(r->user.id) : DBNULL,
                         DBT(has_actual ? now : NULL), has_actual ? DBI(r->user.id) : DBNULL,
                         DBT(has_actual ? now : NULL), DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  rc = id ? DB_OK : db_errcode(r->db);
  if (rc == DB_OK && np > 0) rc = store_projects(r->db, id, pids, np);
  task_commit(r, rc, "create", id, NULL, 201);
}

/* ---- GET /api/v1/tasks/{id} --------------------------------------------- */
static void task_get(req *r) {
  int64_t id;
  json_t *o = task_open(r, &id);
  if (!o) return;
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
  reply_json(r, 200, o);
}

/* ---- PATCH /api/v1/tasks/{id} ------------------------------------------- */
static void task_update(req *r) {
  static const char *const fields[] = {"unit_id", "month", "kind", "title", "description", "target", "actual",
                                       "weight", "project_ids", "node_id", "deadline", "version", NULL};
  static const char *const unit_fields[] = {"actual", "description", "version", NULL};
  int64_t id;
  json_t *before = task_open(r, &id);
  if (!before) return;
  int office = scope_writes_all(r);
  if (!office && !scope_can_write_unit(r, json_integer_value(json_object_get(before, "unit_id")))) {
    json_decref(before);
    return reply_forbidden(r, "只能填报本单位的任务", "you may report only your own unit's tasks");
  }
  json_t *in = req_json(r, office ? fields : unit_fields);
  if (!in) {
    json_decref(before);
    return;
  }
  int64_t version = req_version(r, in);
  int kind = task_kind_parse(json_string_value(json_object_get(before, "kind")));
  const char *source = json_string_value(json_object_get(before, "source"));
  const char *kind_s = NULL;
  if (office && jenum(r, in, "kind", 0, task_kind_names, &kind_s) == JV_SET) kind = task_kind_parse(kind_s);
  if (kind == TK_COUNT && kind_s && strcmp(source, "derived") == 0)
    field_error(r, "kind", "自动取数的任务只能是节点、投资、征拆或拆房",
                "a derived task must be a node, investment, land or demolition task");
  int64_t unit_id = 0, target = 0, actual = 0, weight = 0, node_id = 0;
  const char *month = NULL, *title = NULL, *desc = NULL, *deadline = NULL;
  int hu = office && jint(r, in, "unit_id", 0, 1, INT64_MAX, &unit_id) == JV_SET;
  if (hu) check_unit(r, unit_id);
  int hm = office && jmonth(r, in, "month", 0, &month) == JV_SET;
  int ht = office && jstr(r, in, "title", 0, 200, &title) == JV_SET;
  int hd = jstr(r, in, "description", 0, 2000, &desc);
  int hw = office && jint(r, in, "weight", 0, 1, 100, &weight) == JV_SET;
  int htg = office && read_figure(r, in, "target", kind, 0, 1, &target) == JV_SET;
  int ha = read_figure(r, in, "actual", kind, 0, 0, &actual);
  if ((ha == JV_SET || ha == JV_NULL) && strcmp(source, "derived") == 0)
    field_error(r, "actual", "自动取数的任务不能填报实际", "a derived task takes no actual");
  int hdl = office && jdate(r, in, "deadline", 0, &deadline) == JV_SET;
  int hn = office && jint(r, in, "node_id", 0, 1, INT64_MAX, &node_id) == JV_SET;
  if (hn && db_int1(r->db, 0, "SELECT COUNT(*) FROM nodes WHERE id = ?", DBI(node_id)) != 1)
    field_error(r, "node_id", "节点不存在", "unknown node");
  int np = -1;
  int64_t *pids = office ? read_projects(r, in, &np) : NULL;
  if (!version && !has_errors(r))
    field_error(r, "version", "须提供读取时的版本号（version 或 If-Match）", "send the version you read (version or If-Match)");
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }

  const char *now = now_rfc3339(&r->a);
  strbuf sql = STRBUF_INIT;
  db_val args[24];
  int na = 0;
  sb_adds(&sql, "UPDATE tasks SET version = version + 1, updated_at = ?");
  args[na++] = DBT(now);
#define SET(flag, col, val)                                                                                          \
  if (flag) {                                                                                                        \
    sb_adds(&sql, ", " col " = ?");                                                                                  \
    args[na++] = val;                                                                                                \
  }
  SET(hu, "unit_id", DBI(unit_id));
  SET(hm, "month", DBT(month));
  SET(kind_s != NULL, "kind", DBT(kind_s));
  SET(ht, "title", DBT(title));
  SET(hd == JV_SET || hd == JV_NULL, "description", DBT(hd == JV_SET ? desc : NULL));
  SET(hw, "weight", DBI(weight));
  SET(htg, "target", DBI(target));
  SET(hdl, "deadline", DBT(deadline));
  SET(hn, "node_id", DBI(node_id));
#undef SET
  if (ha == JV_SET || ha == JV_NULL) {
    /* a unit's report waits for the office; the office's own entry counts */
    int conf = office && ha == JV_SET;
    sb_adds(&sql, ", actual = ?, reported_by = ?, reported_at = ?, confirmed = ?, confirmed_by = ?, confirmed_at = ?");
    args[na++] = ha == JV_SET ? DBI(actual) : DBNULL;
    args[na++] = DBI(r->user.id);
    args[na++] = DBT(now);
    args[na++] = DBI(conf);
    args[na++] = conf ? DBI(r->user.id) : DBNULL;
    args[na++] = DBT(conf ? now : NULL);
  }
  sb_adds(&sql, " WHERE id = ? AND version = ?");
  args[na++] = DBI(id);
  args[na++] = DBI(version);
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = db_execv(r->db, sb_str(&sql), na, args);
  sb_release(&sql);
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Conflict",
                         "任务已被他人修改，请刷新后重试 / The task was changed by someone else; reload and retry");
  }
  if (rc == DB_OK && np >= 0) rc = store_projects(r->db, id, pids, np);
  task_commit(r, rc, "update", id, before, 200);
}

/* ---- POST /api/v1/tasks/{id}/confirm  {version?} -------------------------- */
static void task_confirm(req *r) {
  static const char *const fields[] = {"version", NULL};
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = r->body_len ? req_json(r, fields) : NULL;
  if (r->body_len && !in) return;
  json_t *before = task_load(r, id);
  if (!before) return reply_not_found(r, "任务", "task");
  int64_t version = req_version(r, in);
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }
  const char *state = json_string_value(json_object_get(before, "state"));
  if (strcmp(state, "reported") != 0) {
    int unreported = strcmp(state, "not_reported") == 0;
    json_decref(before);
    return reply_problem(r, 409, "无需确认 / Nothing to confirm",
                         unreported ? "单位尚未填报实际完成 / The unit has not reported an actual yet"
                                                            : "该任务的实际完成已确认或自动取数 / The actual is already confirmed or derived");
  }
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = version ? db_exec(r->db,
                           "UPDATE tasks SET confirmed = 1, confirmed_by = ?, confirmed_at = ?, version = version + 1, "
                           "updated_at = ? WHERE id = ? AND version = ?",
                           DBI(r->user.id), DBT(now), DBT(now), DBI(id), DBI(version))
                 : db_exec(r->db,
                           "UPDATE tasks SET confirmed = 1, confirmed_by = ?, confirmed_at = ?, version = version + 1, "
                           "updated_at = ? WHERE id = ? AND confirmed = 0",
                           DBI(r->user.id), DBT(now), DBT(now), DBI(id));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Conflict", "任务已被他人修改，请刷新后重试 / The task changed; reload and retry");
  }
  task_commit(r, rc, "confirm", id, before, 200);
}

/* ---- DELETE /api/v1/tasks/{id} ------------------------------------------ */
static void task_delete(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *before = task_load(r, id);
  if (!before) return reply_not_found(r, "任务", "task");
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM task_projects WHERE task_id = ?", DBI(id));
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM tasks WHERE id = ?", DBI(id));
  if (rc == DB_OK) rc = audit_log(r, "delete", "task", id, before, NULL);
  commit_reply(r, rc, before, NULL, 204);
}

/* ---- demo: three months of tasks ending with the current month ----------- */

typedef struct demo_task {
  const char *unit;
  const char *title;
  int64_t target;            /* in the kind's measure */
  int kind;
  int pct[3];                /* actual as % of target: two months ago, last month, this month */
} demo_task;

/* Figures shaped so the current month shows the rule at work: 金山街道 and
 * 仙庾镇 miss two months running (约谈 + 通报), 明照街道 completes though it is
 * small, 宋家桥街道 misses only this month. */
static const demo_task demo_tasks[] = {
    {"月塘街道", "金山新城片区征拆", 20000, TK_LAND, {100, 100, 100}},
    {"宋家桥街道", "东环线征拆扫尾", 15000, TK_LAND, {100, 100, 60}},
    {"茨菇塘街道", "硬质材料产业园二期征地", 18000, TK_LAND, {90, 100, 100}},
    {"金山街道", "三一智慧钢铁城二期征拆", 20000, TK_LAND, {100, 55, 35}},
    {"桂花街道", "现代物流园征地", 12000, TK_LAND, {100, 100, 80}},
    {"仙庾镇", "仙庾岭片区征地", 10000, TK_LAND, {60, 40, 30}},
    {"明照街道", "明照工业小区征地", 5000, TK_LAND, {100, 100, 100}},
    {"月塘街道", "房屋征收倒房", 30, TK_DEMOLITION, {100, 100, 100}},
    {"金山街道", "三一片区倒房", 40, TK_DEMOLITION, {100, 75, 50}},
    {"仙庾镇", "仙庾岭片区倒房", 20, TK_DEMOLITION, {50, 50, 40}},
    {"桂花街道", "物流园片区倒房", 25, TK_DEMOLITION, {100, 100, 100}},
    {"宋家桥街道", "东环线倒房", 18, TK_DEMOLITION, {100, 100, 100}},
    {"荷塘区自然资源分局", "土地报批件数", 6, TK_COUNT, {100, 100, 100}},
    {"荷塘区行政审批服务局", "施工许可办结", 8, TK_COUNT, {100, 100, 75}},
    {"荷塘区住房和城乡建设局", "竣工验收备案", 5, TK_COUNT, {100, 80, 60}},
    {"荷塘区招商局", "新签约亿元以上项目", 3, TK_COUNT, {100, 66, 33}},
    {"荷塘区工业和信息化局", "新入规企业", 4, TK_COUNT, {100, 100, 100}},
    {"三一指挥部", "三一智慧钢铁城月度投资", 30000000000LL, TK_INVESTMENT, {100, 100, 90}},
    {"金山新城指挥部", "金山新城月度投资", 8000000000LL, TK_INVESTMENT, {100, 100, 100}},
    {"现代物流园指挥部", "韵达物流园月度投资", 5000000000LL, TK_INVESTMENT, {100, 70, 60}},
    {"硬质材料产业园指挥部", "硬质材料产业园月度投资", 6000000000LL, TK_INVESTMENT, {100, 100, 100}},
};


static int tasks_demo(db *d, FILE *log) {
  arena a;
  arena_init(&a);
  const char *now = now_rfc3339(&a);
  int y, m, dd;
  date_to_ymd(clock_today(), &y, &m, &dd);
  char this_month[16];
  snprintf(this_month, sizeof this_month, "%04d-%02d", y % 10000, m % 100);
  int64_t office = db_int1(d, 0, "SELECT id FROM users WHERE login = ?", DBT("office"));
  int rc = 0, count = 0;
  for (int back = 2; rc == 0 && back >= 0; back--) {
    char month[16];
    acc_month_add(this_month, -back, month);
    for (size_t i = 0; rc == 0 && i < sizeof demo_tasks / sizeof *demo_tasks; i++) {
      const demo_task *t = &demo_tasks[i];
      int64_t unit = unit_by_name(d, t->unit);
      if (!unit) continue;
      int64_t actual = t->target * t->pct[2 - back] / 100;
      rc = db_exec(d,
                   "INSERT INTO tasks (unit_id, month, kind, title, description, target, actual, source, weight, "
                   "confirmed, reported_by, reported_at, confirmed_by, confirmed_at, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, 'manual', 1, 1, ?, ?, ?, ?, ?, ?)",
                   DBI(unit), DBT(month), DBT(task_kind_names[t->kind]), DBT(t->title),
                   DBT("区攻坚指挥部下达的月度攻坚任务"), DBI(t->target), DBI(actual), office ? DBI(office) : DBNULL,
                   DBT(now), office ? DBI(office) : DBNULL, DBT(now), DBT(now), DBT(now)) == DB_OK
               ? 0
               : -1;
      count++;
    }
  }
  /* this month, one report still waits for the office's confirmation */
  if (rc == 0) {
    const char *month = this_month;
    int64_t unit = unit_by_name(d, "明照街道");
    if (unit)
      rc = db_exec(d,
                   "INSERT INTO tasks (unit_id, month, kind, title, description, target, actual, source, weight, confirmed, "
                   "reported_at, created_at, updated_at) VALUES (?, ?, 'demolition', '明照片区倒房', ?, 10, 10, 'manual', 1, 0, ?, ?, ?)",
                   DBI(unit), DBT(month), DBT("单位已填报，待项目办确认"), DBT(now), DBT(now), DBT(now)) == DB_OK
               ? 0
               : -1;
  }
  /* derived tasks where the project library is loaded: approval nodes due
   * this month for the two approval departments, and last month's approved
   * investment of the hard-materials park's projects */
  static const struct {
    const char *unit, *node_kind, *title;
  } node_tasks[] = {{"荷塘区自然资源分局", "land_approval", "土地报批"}, {"荷塘区行政审批服务局", "construction_permit", "施工许可"}};
  for (size_t i = 0; rc == 0 && i < sizeof node_tasks / sizeof *node_tasks; i++) {
    int64_t unit = unit_by_name(d, node_tasks[i].unit);
    db_stmt *st = db_query(d,
                           "SELECT n.id, n.planned_date, p.name FROM nodes n JOIN projects p ON p.id = n.project_id WHERE n.kind = ? "
                           "AND n.planned_date >= ? AND n.planned_date <= ? ORDER BY n.planned_date, n.id LIMIT 2",
                           DBT(node_tasks[i].node_kind), DBT(arena_printf(&a, "%s-01", this_month)),
                           DBT(arena_printf(&a, "%s-31", this_month)));
    int64_t nid[2];
    const char *due[2], *pname[2];
    int nn = 0;
    while (st && nn < 2 && db_step(st) == DB_ROW) {
      nid[nn] = db_int(st, 0);
      due[nn] = arena_strdup(&a, db_text(st, 1));
      pname[nn] = arena_strdup(&a, db_text(st, 2));
      nn++;
    }
    db_done(st);
    for (int k = 0; rc == 0 && unit && k < nn; k++) {
      rc = db_exec(d,
                   "INSERT INTO tasks (unit_id, month, kind, title, description, target, source, node_id, deadline, weight, "
                   "created_at, updated_at) VALUES (?, ?, 'node', ?, ?, 1, 'derived', ?, ?, 1, ?, ?)",
                   DBI(unit), DBT(this_month), DBT(arena_printf(&a, "%s%s", pname[k], node_tasks[i].title)),
                   DBT("按作战图节点实际完成日期自动判定"), DBI(nid[k]), DBT(due[k]), DBT(now), DBT(now)) == DB_OK
               ? 0
               : -1;
      count++;
    }
  }
  if (rc == 0) {
    char last[16];
    acc_month_add(this_month, -1, last);
    int64_t hq = unit_by_name(d, "硬质材料产业园指挥部");
    int64_t sum = hq ? db_int1(d, 0,
                               "SELECT CAST(COALESCE(SUM(r.investment), 0) AS BIGINT) FROM reports r JOIN projects p ON p.id = "
                               "r.project_id WHERE p.hq_id = ? AND r.state = 'approved' AND r.period = ?",
                               DBI(hq), DBT(last))
                     : 0;
    if (sum >= 1000000) { /* at least 1万元: a target in whole 万元 the park met */
      db_stmt *st = db_query(d,
                             "INSERT INTO tasks (unit_id, month, kind, title, description, target, source, weight, created_at, "
                             "updated_at) VALUES (?, ?, 'investment', '园区项目审核通过投资', ?, ?, 'derived', 1, ?, ?) RETURNING id",
                             DBI(hq), DBT(last), DBT("按关联项目当月审核通过的投资自动汇总"), DBI(sum / 1000000 * 1000000),
                             DBT(now), DBT(now));
      int64_t tid = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
      db_done(st);
      rc = tid ? db_exec(d, "INSERT INTO task_projects (task_id, project_id) SELECT ?, id FROM projects WHERE hq_id = ?",
                         DBI(tid), DBI(hq)) == DB_OK
                     ? 0
                     : -1
               : -1;
      count++;
    }
  }
  if (rc == 0) {
    json_t *after = json_pack("{s:i}", "tasks", count);
    audit_actor who = {0, "demo", "local"};
    rc = audit_write(d, &who, "create", "demo_tasks", 0, NULL, after) == DB_OK ? 0 : -1;
    json_decref(after);
  }
  if (rc == 0 && log) fprintf(log, "demo: %d monthly tasks\n", count + 1);
  arena_release(&a);
  return rc;
}

static const route task_routes[] = {
    ROUTE("GET", "/api/v1/tasks", task_list, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT,
          "月度攻坚任务列表 / Monthly tasks (month, unit, kind, completed, q)", 0),
    ROUTE("POST", "/api/v1/tasks", task_create, ROLE_ADMIN | ROLE_OFFICE, "下达攻坚任务 / Create a monthly task", 0),
    ROUTE("GET", "/api/v1/tasks/{id}", task_get, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT, "任务详情 / One task", 0),
    ROUTE("PATCH", "/api/v1/tasks/{id}", task_update, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT,
          "修改任务或填报实际 / Change a task or report its actual", 0),
    ROUTE("DELETE", "/api/v1/tasks/{id}", task_delete, ROLE_ADMIN | ROLE_OFFICE, "删除任务 / Delete a task", 0),
    ROUTE("POST", "/api/v1/tasks/{id}/confirm", task_confirm, ROLE_ADMIN | ROLE_OFFICE,
          "确认实际完成 / Confirm a reported actual", 0),
    {0},
};

static const char task_schemas[] =
    "{\"Task\":{\"type\":\"object\",\"description\":\"月度攻坚任务 / A monthly task. Figures are strings in the kind's "
    "measure: land 亩 with two decimals, investment yuan with two decimals, demolition/count/node whole numbers.\","
    "\"properties\":{\"id\":{\"type\":\"integer\"},\"unit_id\":{\"type\":\"integer\"},\"month\":{\"type\":"
    "\"string\",\"pattern\":\"^\\\\d{4}-\\\\d{2}$\"},\"kind\":{\"enum\":[\"land\",\"demolition\",\"investment\","
    "\"count\",\"node\"]},\"title\":{\"type\":\"string\"},\"target\":{\"type\":\"string\"},\"actual\":{\"type\":"
    "[\"string\",\"null\"]},\"counted_actual\":{\"type\":\"string\"},\"ratio\":{\"type\":\"string\"},\"weight\":"
    "{\"type\":\"integer\"},\"completed\":{\"type\":\"boolean\"},\"source\":{\"enum\":[\"manual\",\"derived\"]},"
    "\"state\":{\"enum\":[\"not_reported\",\"reported\",\"confirmed\",\"derived\"]},\"node_id\":{\"type\":"
    "[\"integer\",\"null\"]},\"deadline\":{\"type\":[\"string\",\"null\"]},\"version\":{\"type\":\"integer\"}}},"
    "\"AccountabilityEntry\":{\"type\":\"object\",\"properties\":{\"unit_id\":{\"type\":\"integer\"},\"action\":"
    "{\"enum\":[\"interview\",\"circulate\",\"discipline\"]},\"reasons\":{\"type\":\"array\",\"items\":{\"type\":"
    "\"string\"}},\"figures\":{\"type\":\"array\"}}},\"RankingRow\":{\"type\":\"object\",\"properties\":{"
    "\"unit_id\":{\"type\":\"integer\"},\"unit_name\":{\"type\":\"string\"},\"rank\":{\"type\":\"integer\"},"
    "\"rank_change\":{\"type\":[\"integer\",\"null\"],\"description\":\"last month's rank minus this month's: positive "
    "is up; null when not ranked last month\"},\"score\":{\"type\":\"string\"},\"kinds\":{\"type\":\"object\"}}}}";

static const module tasks_module = {"tasks", 60, task_routes, tasks_demo, task_schemas};
MODULE_REGISTER(tasks_module)
