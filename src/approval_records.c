/*
 * approval_records.c — each project's record of the approval items it
 * needs (one row per item), their timeline and the agency agreement
 * (代办协议); the project's approval board (items with prerequisites,
 * states, durations, the critical path and "N approvals in M working
 * days"); the agent's work list.
 *
 * GET  /api/v1/approvals?project&item&unit&state&overdue=1&mine=1&q&page&per_page&sort&format   the work list
 * GET  /api/v1/approvals/{id}                          with events and what the caller may do
 * POST /api/v1/approvals/{id}/events {type,date,reason,version}   submit|accept|issue|return
 * GET  /api/v1/projects/{id}/approvals                 the board
 * POST /api/v1/projects/{id}/approvals {item_id,handler}
 * GET  /api/v1/projects/{id}/approval-agreement
 * PUT  /api/v1/projects/{id}/approval-agreement {agent_user_id,agent_name,signed_on,scope}
 *
 * Scope: admin, office and leaders read everything; a unit reads the
 * records of the projects in its scope and of the items it issues; an
 * enterprise those of its own projects; the agent those of the projects
 * whose agreement names them.  Submitting is the project side's (the
 * project office, the responsible unit, the owner enterprise, the agent);
 * accepting, issuing and returning the issuing department's (and the
 * office's and the agent's, who record on its behalf).
 *
 * Prerequisites are checked among the items the project has taken on: an
 * item it has no record of (an exemption, 人防 not needed) does not block.
 */
#include <string.h>

#include "approval.h"
#include "auth.h"
#include "calendar_db.h"
#include "clock.h"
#include "http.h"
#include "projects.h"
#include "rollups.h"

static const char *fmt_day(arena *a, int32_t d) {
  char *b = arena_alloc(a, 11);
  date_format(d, b);
  return b;
}

static int32_t day_or_none(const char *s) {
  int32_t d;
  return s && date_parse(s, &d) == 0 ? d : APPROVAL_NO_DAY;
}

/* `+a.item_id` keeps SQLite from driving the join from the catalogue
 * (approvals_item): it then walks the projects in id order and sorts only
 * within a project, so the default order (p.id, i.sort_order, a.id) stops
 * after a page instead of sorting all 436,940 records of a province. */
#define APPROVAL_ITEM_JOIN "+a.item_id"

#define APPROVAL_SELECT                                                                                          \
  "SELECT a.id, a.project_id, p.name AS project_name, a.item_id, i.code AS item_code, i.name AS item_name, "     \
  "i.unit_id, u.name AS unit_name, i.statutory_days, i.promised_days, i.parallel_group, i.sort_order, a.state, " \
  "a.submitted_on, a.accepted_on, a.issued_on, a.last_on, a.due_date, a.returns, a.return_reason, a.handler, "   \
  "a.problem_id, a.version, a.created_at, a.updated_at "                                                        \
  "FROM approvals a JOIN approval_items i ON i.id = " APPROVAL_ITEM_JOIN " JOIN projects p ON p.id = a.project_id " \
  "JOIN units u ON u.id = i.unit_id "

/* Adds the figures computed with the calendar: working_days (issued),
 * elapsed_days (submitted, not issued), overdue, within_promise and the
 * state's Chinese name. */
static void add_figures(json_t *o, const calendar *cal, int32_t today) {
  const char *state = json_string_value(json_object_get(o, "state"));
  int st = code_index(approval_states, state);
  int32_t sub = day_or_none(json_string_value(json_object_get(o, "submitted_on")));
  int32_t iss = day_or_none(json_string_value(json_object_get(o, "issued_on")));
  int promised = (int)json_integer_value(json_object_get(o, "promised_days"));
  int wd = approval_working_days(cal, sub, iss);
  json_object_set_new(o, "working_days", wd >= 0 ? json_integer(wd) : json_null());
  int el = st != AP_ISSUED && sub != APPROVAL_NO_DAY ? approval_working_days(cal, sub, today) : -1;
  json_object_set_new(o, "elapsed_days", el >= 0 ? json_integer(el) : json_null());
  json_object_set_new(o, "overdue", json_boolean(approval_overdue(cal, st, sub, promised, today)));
  json_object_set_new(o, "within_promise", wd >= 0 ? json_boolean(wd <= promised) : json_null());
  json_object_set_new(o, "state_name", json_string(st >= 0 ? approval_states_zh[st] : ""));
}

json_t *approval_json(db *d, const calendar *cal, int32_t today, int64_t id, int with_events) {
  db_stmt *st = db_query(d, APPROVAL_SELECT "WHERE a.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (!o) return NULL;
  add_figures(o, cal, today);
  if (with_events) {
    json_t *ev = json_array();
    st = db_query(d,
                  "SELECT e.id, e.type, e.on_date, e.reason, e.user_id, us.name AS user_name, e.at FROM approval_events e "
                  "LEFT JOIN users us ON us.id = e.user_id WHERE e.approval_id = ? ORDER BY e.id",
                  DBI(id));
    while (st && db_step(st) == DB_ROW) json_array_append_new(ev, db_row_json(st));
    db_done(st);
    json_object_set_new(o, "events", ev);
    json_t *pre = json_array();
    st = db_query(d,
                  "SELECT q.prereq_id AS item_id, i.name AS item_name, b.id AS approval_id, b.state, b.issued_on "
                  "FROM approval_item_prereqs q JOIN approval_items i ON i.id = q.prereq_id LEFT JOIN approvals b "
                  "ON b.item_id = q.prereq_id AND b.project_id = ? WHERE q.item_id = ? ORDER BY i.sort_order, i.id",
                  DBI(json_integer_value(json_object_get(o, "project_id"))),
                  DBI(json_integer_value(json_object_get(o, "item_id"))));
    while (st && db_step(st) == DB_ROW) json_array_append_new(pre, db_row_json(st));
    db_done(st);
    json_object_set_new(o, "prerequisites", pre);
  }
  return o;
}

/* ---- scope ---- */

/* " AND …" limiting `approvals a JOIN approval_items i JOIN projects p`
 * to what the user may read: the records of the projects in scope, of the
 * items its units issue (a unit) and of the projects whose agreement names
 * the user.  Written as a union of record ids rather than an OR across the
 * three tables: each branch follows its own index (projects by unit,
 * records by project or by item, agreements by agent), where the OR had to
 * read every record (1.5 s for a unit user's first page at province scale). */
static void approval_scope_sql(req *r, strbuf *sql, db_val *args, int *n) {
  if (scope_reads_all(r)) return;
  sb_adds(sql, " AND a.id IN (SELECT x.id FROM approvals x JOIN projects p ON p.id = x.project_id WHERE 1 = 1");
  project_scope_sql(r, sql, args, n);
  if (has_role(r, ROLE_UNIT)) {
    sb_adds(sql, " UNION SELECT x.id FROM approvals x WHERE x.item_id IN (SELECT y.id FROM approval_items y WHERE y.unit_id IN "
                 "(SELECT id FROM units WHERE path LIKE ?))");
    args[(*n)++] = DBT(scope_path_pattern(r));
  }
  sb_adds(sql, " UNION SELECT x.id FROM approvals x JOIN approval_agreements g ON g.project_id = x.project_id "
               "WHERE g.agent_user_id = ?)");
  args[(*n)++] = DBI(r->user.id);
}

static int approval_readable(req *r, int64_t id) {
  strbuf sql = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  args[n++] = DBI(id);
  sb_adds(&sql, "SELECT 1 FROM approvals a JOIN approval_items i ON i.id = a.item_id JOIN projects p ON p.id = a.project_id "
                "WHERE a.id = ?");
  approval_scope_sql(r, &sql, args, &n);
  int ok = db_int1v(r->db, 0, sb_str(&sql), n, args) == 1;
  sb_release(&sql);
  return ok;
}

static int is_agent(req *r, int64_t project_id) {
  return r->user.id &&
         db_int1(r->db, 0, "SELECT 1 FROM approval_agreements WHERE project_id = ? AND agent_user_id = ?", DBI(project_id),
                 DBI(r->user.id)) == 1;
}

/* The project side: submits and adds items. */
static int may_submit(req *r, int64_t project_id) {
  return scope_writes_all(r) || project_scope(r, project_id) >= PSCOPE_PROGRESS || is_agent(r, project_id);
}

/* The issuing department: accepts, issues, returns. */
static int may_decide(req *r, int64_t project_id, int64_t unit_id) {
  return scope_writes_all(r) || (has_role(r, ROLE_UNIT) && scope_can_write_unit(r, unit_id)) || is_agent(r, project_id);
}

static json_t *approval_can(req *r, json_t *o) {
  int64_t pid = json_integer_value(json_object_get(o, "project_id"));
  int st = code_index(approval_states, json_string_value(json_object_get(o, "state")));
  int sub = may_submit(r, pid), dec = may_decide(r, pid, json_integer_value(json_object_get(o, "unit_id")));
  return json_pack("{s:b, s:b, s:b, s:b}", "submit", sub && st == AP_PREPARING, "accept", dec && st == AP_SUBMITTED,
                   "issue", dec && st == AP_ACCEPTED, "return", dec && (st == AP_SUBMITTED || st == AP_ACCEPTED));
}

/* ---- the work list ---- */

/* GET /api/v1/approvals */
static void approvals_list(req *r) {
  static const char *const sorts[] = {"id", "a.id", "project_name", "p.name", "item_name", "i.sort_order",
                                      "unit_name", "u.name", "state", "a.state", "submitted_on", "a.submitted_on",
                                      "issued_on", "a.issued_on", "due_date", "a.due_date", NULL};
  page pg;
  req_page(r, &pg);
  int64_t project = qint(r, "project", 1, INT64_MAX, 0);
  int64_t item = qint(r, "item", 1, INT64_MAX, 0);
  int64_t unit = qint(r, "unit", 1, INT64_MAX, 0);
  int64_t overdue = qint(r, "overdue", 0, 1, 0);
  int64_t mine = qint(r, "mine", 0, 1, 0);
  const char *state = qenum(r, "state", approval_states);
  const char *q = req_arg(r, "q");
  /* p.id (= a.project_id): an order SQLite can follow along the projects */
  const char *order = req_sort(r, sorts, "p.id, i.sort_order, a.id");
  if (has_errors(r)) return reply_invalid(r);
  int32_t today = clock_today();
  strbuf w = STRBUF_INIT;
  db_val args[24];
  int n = 0;
  sb_adds(&w, "WHERE 1 = 1");
  if (project) {
    sb_adds(&w, " AND a.project_id = ?");
    args[n++] = DBI(project);
  }
  if (item) {
    sb_adds(&w, " AND a.item_id = ?");
    args[n++] = DBI(item);
  }
  if (unit) {
    sb_adds(&w, " AND i.unit_id = ?");
    args[n++] = DBI(unit);
  }
  if (state) {
    sb_adds(&w, " AND a.state = ?");
    args[n++] = DBT(state);
  }
  if (overdue) {
    sb_adds(&w, " AND a.state IN ('submitted', 'accepted') AND a.due_date < ?");
    args[n++] = DBT(fmt_day(&r->a, today));
  }
  if (mine) {
    /* the agent's work: open items of the projects whose agreement names me */
    sb_adds(&w, " AND a.state <> 'issued' AND EXISTS (SELECT 1 FROM approval_agreements m WHERE m.project_id = a.project_id "
                "AND m.agent_user_id = ?)");
    args[n++] = DBI(r->user.id);
  }
  if (q && *q) {
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    sb_adds(&w, " AND (p.name LIKE ? OR i.name LIKE ? OR u.name LIKE ?)");
    args[n++] = DBT(like);
    args[n++] = DBT(like);
    args[n++] = DBT(like);
  }
  approval_scope_sql(r, &w, args, &n);
  const char *where = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  /* Every record has its item, project and unit (foreign keys, NOT NULL):
   * when nothing filters on them the count needs the records alone. */
  int joins = unit || (q && *q) || !scope_reads_all(r);
  int64_t total = db_int1v(r->db, -1,
                           arena_printf(&r->a, "SELECT COUNT(*) FROM approvals a %s %s",
                                        joins ? "JOIN approval_items i ON i.id = a.item_id JOIN projects p ON p.id = "
                                                "a.project_id JOIN units u ON u.id = i.unit_id"
                                              : "",
                                        where),
                           n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, APPROVAL_SELECT "%s ORDER BY %s LIMIT ? OFFSET ?", where, order), n, args);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  const calendar *cal = req_calendar(r);
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) add_figures(it, cal, today);
  reply_list(r, items, total, &pg);
}

/* GET /api/v1/approvals/{id} */
static void approval_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  if (!approval_readable(r, id)) return reply_not_found(r, "审批记录", "approval");
  json_t *o = approval_json(r->db, req_calendar(r), clock_today(), id, 1);
  if (!o) return reply_not_found(r, "审批记录", "approval");
  json_object_set_new(o, "can", approval_can(r, o));
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
  reply_json(r, 200, o);
}

/* ---- events ---- */

int approval_sync_node(db *d, int64_t project_id, const char *node_kind, const char *issued_on, const char *at) {
  if (!node_kind || !*node_kind) return DB_OK;
  int rc = db_exec(d,
                   "UPDATE nodes SET actual_date = ?, version = version + 1, updated_at = ? WHERE project_id = ? AND kind = ? "
                   "AND actual_date IS NULL",
                   DBT(issued_on), DBT(at), DBI(project_id), DBT(node_kind));
  return rc == DB_OK && db_changes(d) ? rollup_project(d, project_id) : rc;
}

/* The names of the prerequisites the project has taken on that are not
 * issued on or before `date`, joined with "、"; NULL when none. */
static const char *missing_prereqs(req *r, int64_t project_id, int64_t item_id, const char *date, int *count) {
  db_stmt *st = db_query(r->db,
                         "SELECT i.name FROM approval_item_prereqs q JOIN approval_items i ON i.id = q.prereq_id "
                         "JOIN approvals b ON b.item_id = q.prereq_id AND b.project_id = ? WHERE q.item_id = ? "
                         "AND (b.issued_on IS NULL OR b.issued_on > ?) ORDER BY i.sort_order, i.id",
                         DBI(project_id), DBI(item_id), DBT(date));
  strbuf sb = STRBUF_INIT;
  *count = 0;
  while (st && db_step(st) == DB_ROW) {
    sb_addf(&sb, "%s%s", *count ? "、" : "", db_text(st, 0));
    (*count)++;
  }
  db_done(st);
  const char *out = *count ? arena_strdup(&r->a, sb_str(&sb)) : NULL;
  sb_release(&sb);
  return out;
}

/* POST /api/v1/approvals/{id}/events {type, date, reason, version} */
static void approval_event(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  static const char *const fields[] = {"type", "date", "reason", "version", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *type = NULL, *date = NULL, *reason = NULL;
  jenum(r, in, "type", 1, approval_event_types, &type);
  jdate(r, in, "date", 1, &date);
  jstr(r, in, "reason", 0, 2000, &reason);
  int64_t version = req_version(r, in);
  int ev = type ? code_index(approval_event_types, type) : -1;
  if (ev == AE_RETURN && (!reason || !*reason)) field_error(r, "reason", "退回须填写理由", "a return needs its reason");
  if (!approval_readable(r, id)) return reply_not_found(r, "审批记录", "approval");
  const calendar *cal = req_calendar(r);
  int32_t today = clock_today();
  json_t *before = approval_json(r->db, cal, today, id, 0);
  if (!before) return reply_not_found(r, "审批记录", "approval");
  int64_t pid = json_integer_value(json_object_get(before, "project_id"));
  int64_t item_id = json_integer_value(json_object_get(before, "item_id"));
  int64_t unit_id = json_integer_value(json_object_get(before, "unit_id"));
  int st = code_index(approval_states, json_string_value(json_object_get(before, "state")));
  approval_step s = {st, ev, day_or_none(date), today, day_or_none(json_string_value(json_object_get(before, "last_on"))),
                     reason && *reason, 0};
  if (ev >= 0 && s.date != APPROVAL_NO_DAY) {
    int why = approval_next(&s, &(int){0});
    if (why == AR_FUTURE || why == AR_BEFORE_PREVIOUS)
      field_error(r, "date", approval_why_zh(why), approval_why_en(why));
  }
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }
  if (ev == AE_SUBMIT ? !may_submit(r, pid) : !may_decide(r, pid, unit_id)) {
    json_decref(before);
    return ev == AE_SUBMIT ? reply_forbidden(r, "只有项目单位、业主企业、代办员或项目办可以提交", "only the project's side or its agent may submit")
                           : reply_forbidden(r, "只有发证部门、代办员或项目办可以受理、办结或退回",
                                             "only the issuing department, the agent or the project office may accept, issue or return");
  }
  const char *missing = NULL;
  if (ev == AE_SUBMIT) missing = missing_prereqs(r, pid, item_id, date, &s.missing_prereqs);
  int next = 0, why = approval_next(&s, &next);
  if (why == AR_PREREQ) {
    json_decref(before);
    return reply_problem(r, 409, "前置事项未办结 / Prerequisites not issued",
                         arena_printf(&r->a, "前置事项尚未办结，不能提交：%s / prerequisites are not issued yet: %s", missing, missing));
  }
  if (why != AR_OK) {
    json_decref(before);
    return reply_problem(r, 409, "当前状态不允许此操作 / Not allowed in this state",
                         arena_printf(&r->a, "事项当前为「%s」，不能执行「%s」 / the item is %s; '%s' is not allowed",
                                      approval_states_zh[st], type, approval_states[st], type));
  }
  const char *now = now_rfc3339(&r->a);
  const char *state = approval_states[st], *to = approval_states[next];
  int rc = db_begin(r->db);
  if (rc != DB_OK) {
    json_decref(before);
    return reply_db_error(r, rc);
  }
  strbuf sql = STRBUF_INIT;
  db_val args[12];
  int n = 0;
  sb_adds(&sql, "UPDATE approvals SET state = ?, last_on = ?, version = version + 1, updated_at = ?");
  args[n++] = DBT(to);
  args[n++] = DBT(date);
  args[n++] = DBT(now);
  if (ev == AE_SUBMIT) {
    /* the first submission: durations and the promise count from it, returns included */
    int promised = (int)json_integer_value(json_object_get(before, "promised_days"));
    sb_adds(&sql, ", submitted_on = COALESCE(submitted_on, ?), due_date = COALESCE(due_date, ?)");
    args[n++] = DBT(date);
    args[n++] = DBT(fmt_day(&r->a, approval_due(cal, s.date, promised)));
  } else if (ev == AE_ACCEPT) {
    sb_adds(&sql, ", accepted_on = ?");
    args[n++] = DBT(date);
  } else if (ev == AE_ISSUE) {
    sb_adds(&sql, ", issued_on = ?");
    args[n++] = DBT(date);
  } else {
    sb_adds(&sql, ", accepted_on = NULL, returns = returns + 1, return_reason = ?");
    args[n++] = DBT(reason);
  }
  sb_adds(&sql, " WHERE id = ? AND state = ?");
  args[n++] = DBI(id);
  args[n++] = DBT(state);
  if (version) {
    sb_adds(&sql, " AND version = ?");
    args[n++] = DBI(version);
  }
  rc = db_execv(r->db, sb_str(&sql), n, args);
  sb_release(&sql);
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict", "该事项刚被他人处理，请刷新 / Someone just acted on the item; reload");
  }
  if (rc == DB_OK)
    rc = db_exec(r->db, "INSERT INTO approval_events (approval_id, type, on_date, reason, user_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                 DBI(id), DBT(type), DBT(date), DBT(reason && *reason ? reason : NULL), DBI(r->user.id), DBT(now));
  if (rc == DB_OK && ev == AE_ISSUE) {
    const char *kind = NULL;
    db_stmt *k = db_query(r->db, "SELECT node_kind FROM approval_items WHERE id = ?", DBI(item_id));
    if (k && db_step(k) == DB_ROW && !db_isnull(k, 0)) kind = arena_strdup(&r->a, db_text(k, 0));
    db_done(k);
    rc = approval_sync_node(r->db, pid, kind, date, now);
  }
  json_t *after = rc == DB_OK ? approval_json(r->db, cal, today, id, 0) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, type, "approval", id, before, after) : db_errcode(r->db);
  json_decref(after);
  json_t *o = rc == DB_OK ? approval_json(r->db, cal, today, id, 1) : NULL;
  if (o) {
    json_object_set_new(o, "can", approval_can(r, o));
    reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
  }
  commit_reply(r, rc, before, o, 200);
}

/* ---- a project's board ---- */

/* POST /api/v1/projects/{id}/approvals {item_id, handler} */
static void project_approval_post(req *r) {
  int64_t pid = req_id(r, 0);
  if (!pid) return;
  static const char *const fields[] = {"item_id", "handler", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  int64_t item_id = 0;
  const char *handler = NULL;
  if (jint(r, in, "item_id", 1, 1, INT64_MAX, &item_id) == JV_SET &&
      db_int1(r->db, 0, "SELECT 1 FROM approval_items WHERE id = ?", DBI(item_id)) != 1)
    field_error(r, "item_id", "审批事项不存在", "no such approval item");
  jstr(r, in, "handler", 0, 100, &handler);
  if (has_errors(r)) return reply_invalid(r);
  int sc = project_scope(r, pid);
  if (sc < 0) return reply_not_found(r, "项目", "Project");
  if (!may_submit(r, pid)) return reply_forbidden(r, "只能为本单位的项目或代办的项目添加审批事项", "you may add items only to your units' or agency projects");
  if (db_int1(r->db, 0, "SELECT 1 FROM approvals WHERE project_id = ? AND item_id = ?", DBI(pid), DBI(item_id)) == 1)
    return reply_problem(r, 409, "事项已存在 / Already there", "该项目已有此审批事项 / the project already has this item");
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO approvals (project_id, item_id, state, handler, created_at, updated_at) "
                         "VALUES (?, ?, 'preparing', ?, ?, ?) RETURNING id",
                         DBI(pid), DBI(item_id), DBT(handler && *handler ? handler : NULL), DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  rc = id ? DB_OK : db_errcode(r->db);
  json_t *after = rc == DB_OK ? approval_json(r->db, req_calendar(r), clock_today(), id, 1) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "create", "approval", id, NULL, after) : db_errcode(r->db);
  if (after) json_object_set_new(after, "can", approval_can(r, after));
  commit_reply(r, rc, NULL, after, 201);
}

static json_t *agreement_json(db *d, int64_t pid) {
  db_stmt *st = db_query(d,
                         "SELECT g.project_id, g.agent_user_id, g.agent_name, g.signed_on, g.scope, g.version, g.updated_at "
                         "FROM approval_agreements g WHERE g.project_id = ?",
                         DBI(pid));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  return o;
}

/* GET /api/v1/projects/{id}/approvals — the board: every record with its
 * prerequisites and whether it lies on the critical path, the agreement,
 * and the summary figures. */
static void project_board(req *r) {
  int64_t pid = req_id(r, 0);
  if (!pid) return;
  int sc = project_scope(r, pid);
  if (sc < 0) return reply_not_found(r, "项目", "Project");
  if (sc < PSCOPE_READ && !is_agent(r, pid)) {
    /* a department that issues one of the project's items reads the board too */
    if (!has_role(r, ROLE_UNIT) ||
        db_int1(r->db, 0,
                "SELECT 1 FROM approvals a JOIN approval_items i ON i.id = a.item_id WHERE a.project_id = ? AND i.unit_id IN "
                "(SELECT id FROM units WHERE path LIKE ?)",
                DBI(pid), DBT(scope_path_pattern(r))) != 1)
      return reply_forbidden(r, "无权查看该项目", "you may not read this project");
  }
  const calendar *cal = req_calendar(r);
  int32_t today = clock_today();
  db_stmt *st = db_query(r->db, APPROVAL_SELECT "WHERE a.project_id = ? ORDER BY i.sort_order, i.id LIMIT 256", DBI(pid));
  json_t *items = db_rows_json(r, st, 0);
  if (!items) return;
  int n = (int)json_array_size(items);
  int64_t item_ids[256];
  int dur[256], on[256];
  int32_t first_sub = APPROVAL_NO_DAY, last_iss = APPROVAL_NO_DAY, land_sub = APPROVAL_NO_DAY, permit_iss = APPROVAL_NO_DAY;
  int issued = 0;
  for (int k = 0; k < n; k++) {
    json_t *it = json_array_get(items, (size_t)k);
    add_figures(it, cal, today);
    item_ids[k] = json_integer_value(json_object_get(it, "item_id"));
    json_t *wd = json_object_get(it, "working_days");
    dur[k] = json_is_integer(wd) ? (int)json_integer_value(wd) : (int)json_integer_value(json_object_get(it, "promised_days"));
    int32_t sub = day_or_none(json_string_value(json_object_get(it, "submitted_on")));
    int32_t iss = day_or_none(json_string_value(json_object_get(it, "issued_on")));
    if (sub != APPROVAL_NO_DAY && (first_sub == APPROVAL_NO_DAY || sub < first_sub)) first_sub = sub;
    if (iss != APPROVAL_NO_DAY) {
      issued++;
      if (iss > last_iss) last_iss = iss;
    }
    const char *code = json_string_value(json_object_get(it, "item_code"));
    if (code && !strcmp(code, "real_estate")) land_sub = sub;
    if (code && !strcmp(code, "construction_permit")) permit_iss = iss;
    json_object_set_new(it, "prereq_item_ids", json_array());
    json_object_set_new(it, "can", approval_can(r, it));
  }
  /* prerequisite edges among the project's items */
  int(*edges)[2] = arena_alloc(&r->a, sizeof(int[2]) * 2048);
  int ne = 0;
  st = db_query(r->db,
                "SELECT q.item_id, q.prereq_id FROM approval_item_prereqs q WHERE q.item_id IN (SELECT item_id FROM approvals "
                "WHERE project_id = ?) AND q.prereq_id IN (SELECT item_id FROM approvals WHERE project_id = ?)",
                DBI(pid), DBI(pid));
  while (st && db_step(st) == DB_ROW && ne < 2048) {
    int a = -1, b = -1;
    for (int k = 0; k < n; k++) {
      if (item_ids[k] == db_int(st, 0)) a = k;
      if (item_ids[k] == db_int(st, 1)) b = k;
    }
    if (a < 0 || b < 0) continue;
    edges[ne][0] = a, edges[ne][1] = b, ne++;
    json_array_append_new(json_object_get(json_array_get(items, (size_t)a), "prereq_item_ids"), json_integer(item_ids[b]));
  }
  db_done(st);
  int cp = approval_critical_path(n, dur, ne, (const int(*)[2])edges, on);
  for (int k = 0; k < n; k++) json_object_set_new(json_array_get(items, (size_t)k), "critical", json_boolean(on[k]));
  int span = issued && first_sub != APPROVAL_NO_DAY ? approval_working_days(cal, first_sub, last_iss) : -1;
  int land = approval_working_days(cal, land_sub, permit_iss);
  json_t *summary = json_pack("{s:i, s:i, s:o, s:o, s:o}", "count", n, "issued", issued, "span_working_days",
                              span >= 0 ? json_integer(span) : json_null(), "land_to_start_days",
                              land >= 0 ? json_integer(land) : json_null(), "critical_path_days",
                              cp >= 0 ? json_integer(cp) : json_null());
  if (span >= 0)
    json_object_set_new(summary, "text", json_string(arena_printf(&r->a, "%d项审批，%d个工作日", issued, span)));
  st = db_query(r->db, "SELECT name FROM projects WHERE id = ?", DBI(pid));
  const char *pname = st && db_step(st) == DB_ROW ? arena_strdup(&r->a, db_text(st, 0)) : "";
  db_done(st);
  json_t *ag = agreement_json(r->db, pid);
  json_t *o = json_pack("{s:I, s:s, s:o, s:o, s:o, s:b}", "project_id", (json_int_t)pid, "project_name", pname, "items",
                        items, "summary", summary, "agreement", ag ? ag : json_null(), "can_add", may_submit(r, pid));
  reply_json(r, 200, o);
}

/* GET /api/v1/projects/{id}/approval-agreement */
static void agreement_get(req *r) {
  int64_t pid = req_id(r, 0);
  if (!pid) return;
  if (project_open(r, pid, PSCOPE_READ) < 0) return;
  json_t *o = agreement_json(r->db, pid);
  if (!o) return reply_not_found(r, "代办协议", "agency agreement");
  reply_json(r, 200, o);
}

/* PUT /api/v1/projects/{id}/approval-agreement {agent_user_id, agent_name, signed_on, scope, version} */
static void agreement_put(req *r) {
  int64_t pid = req_id(r, 0);
  if (!pid) return;
  static const char *const fields[] = {"agent_user_id", "agent_name", "signed_on", "scope", "version", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  int64_t agent = 0;
  const char *name = NULL, *signed_on = NULL, *scope = NULL;
  if (jint(r, in, "agent_user_id", 0, 1, INT64_MAX, &agent) == JV_SET &&
      db_int1(r->db, 0, "SELECT 1 FROM users WHERE id = ?", DBI(agent)) != 1)
    field_error(r, "agent_user_id", "用户不存在", "no such user");
  if (jstr(r, in, "agent_name", 1, 100, &name) == JV_SET && !*name) field_error(r, "agent_name", "不能为空", "must not be empty");
  if (jdate(r, in, "signed_on", 1, &signed_on) == JV_SET && strcmp(signed_on, fmt_day(&r->a, clock_today())) > 0)
    field_error(r, "signed_on", "签订日期不能晚于今天", "cannot be in the future");
  jstr(r, in, "scope", 0, 2000, &scope);
  int64_t version = req_version(r, in);
  if (has_errors(r)) return reply_invalid(r);
  if (project_open(r, pid, PSCOPE_WRITE) < 0) return;
  json_t *before = agreement_json(r->db, pid);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) {
    json_decref(before);
    return reply_db_error(r, rc);
  }
  if (before) {
    rc = db_exec(r->db,
                 "UPDATE approval_agreements SET agent_user_id = ?, agent_name = ?, signed_on = ?, scope = ?, "
                 "version = version + 1, updated_at = ? WHERE project_id = ? AND version = ?",
                 agent ? DBI(agent) : DBNULL, DBT(name), DBT(signed_on), DBT(scope), DBT(now), DBI(pid),
                 DBI(version ? version : json_integer_value(json_object_get(before, "version"))));
    if (rc == DB_OK && db_changes(r->db) == 0) {
      db_rollback(r->db);
      json_decref(before);
      return reply_problem(r, 409, "版本冲突 / Version conflict", "协议已被他人修改，请刷新 / The agreement was changed; reload");
    }
  } else {
    rc = db_exec(r->db,
                 "INSERT INTO approval_agreements (project_id, agent_user_id, agent_name, signed_on, scope, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                 DBI(pid), agent ? DBI(agent) : DBNULL, DBT(name), DBT(signed_on), DBT(scope), DBT(now), DBT(now));
  }
  json_t *after = rc == DB_OK ? agreement_json(r->db, pid) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, before ? "update" : "create", "approval_agreement", pid, before, after) : db_errcode(r->db);
  commit_reply(r, rc, before, after, before ? 200 : 201);
}

/* GET /api/v1/approvals/stats is routed first by approval_stats.c (a
 * module of lower order), before /api/v1/approvals/{id} here. */
/* Leaders read approvals but record none (README, roles and permissions):
 * the project side, the issuing departments and the agents do. */
#define APPROVAL_WRITERS (ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT | ROLE_ENTERPRISE)
static const route record_routes[] = {
    ROUTE("GET", "/api/v1/approvals", approvals_list, APPROVAL_READERS, "审批办理清单 / Approvals (the agent's work list)", 0,
          /* problem_id: set by the overdue round, audited as the problem */
          DOM_APPROVALS | DOM_PROJECTS | DOM_PROBLEMS),
    ROUTE("GET", "/api/v1/approvals/{id}", approval_get, APPROVAL_READERS, "审批记录 / One approval with its timeline", 0),
    ROUTE("POST", "/api/v1/approvals/{id}/events", approval_event, APPROVAL_WRITERS,
          "提交、受理、办结、退回 / Submit, accept, issue, return", 0),
    ROUTE("GET", "/api/v1/projects/{id}/approvals", project_board, APPROVAL_READERS, "项目审批看板 / A project's approval board", 0),
    ROUTE("POST", "/api/v1/projects/{id}/approvals", project_approval_post, APPROVAL_WRITERS,
          "为项目添加审批事项 / Add an approval item to a project", 0),
    ROUTE("GET", "/api/v1/projects/{id}/approval-agreement", agreement_get, APPROVAL_READERS, "代办协议 / Agency agreement", 0),
    ROUTE("PUT", "/api/v1/projects/{id}/approval-agreement", agreement_put, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT,
          "签订或修改代办协议 / Sign or change the agency agreement", 0),
    {0},
};

static const module approval_records_module = {"approval_records", 57, record_routes, NULL, NULL, NULL};
MODULE_REGISTER(approval_records_module)
