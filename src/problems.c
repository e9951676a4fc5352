/*
 * problems.c — problems raised on a project and assigned to a unit (问题交办)
 * with a deadline in working days, the closed loop open → accepted →
 * in_progress → replied → closed (the raiser confirms) or reopened, the
 * rating, the timeline, and escalation by rule (escalation.h): overdue →
 * the project's lead leader, overdue by twice the deadline → the HQ
 * commander.  Escalation runs in the module tick, each level claimed with a
 * conditional UPDATE so it is written and notified once across processes.
 *
 * GET   /api/v1/problems?project&node&unit&category&state&overdue=1&escalated=1&q&meeting&page&per_page&sort&format
 * POST  /api/v1/problems {project_id,node_id,category,title,description,unit_id,co_unit_ids,deadline_days,raised_on}
 *       node_id: the project's node the problem is about (raised from the node)
 * GET   /api/v1/problems/{id}                       with events and what the caller may do
 * PATCH /api/v1/problems/{id} {title,description,category,unit_id,co_unit_ids,deadline_days,version}
 * POST  /api/v1/problems/{id}/events {type,text,rating}   comment|accept|reply|close|reopen|rate
 * POST  /api/v1/problems/{id}/attachments              raw photo/PDF/XLSX/DOCX body, X-File-Name
 * GET   /api/v1/problem-categories                  the code table with default deadlines
 * PATCH /api/v1/problem-categories/{code} {name,deadline_days}   admin
 *
 * Scope: admin, office and leaders see every problem; other users see the
 * problems assigned to their units (lead or co-unit), raised by them or
 * their units, or on projects of their units.
 */
#include "clock.h"
#include "problems.h"

#include <stdlib.h>
#include <string.h>

#include "attachments.h"
#include "auth.h"
#include "calendar_db.h"
#include "escalation.h"
#include "http.h"
#include "loop.h"
#include "notify.h"


const char *problem_state_zh(const char *state) {
  loop_state s = loop_state_parse(state);
  return s != LOOP_BAD_STATE ? loop_state_zh(s) : state ? state : "";
}

static const char *today_str(arena *a) {
  char *buf = arena_alloc(a, 11);
  date_format(clock_today(), buf);
  return buf;
}

static const char *add_wd(arena *a, const calendar *cal, const char *from, int n) {
  int32_t day;
  if (date_parse(from, &day) != 0) return NULL;
  char *buf = arena_alloc(a, 11);
  date_format(calendar_add_working_days(cal, day, n), buf);
  return buf;
}

/* ---- JSON ---- */

/* project and category are NOT NULL foreign keys, so LEFT JOIN gives the
 * same rows; it keeps SQLite from driving the join from the 50,000
 * projects and sorting 200,000 rows for a page of 20 (it walks problems in
 * id order instead: province list ~0.9 s → ~1 ms). */
#define PROBLEM_SELECT                                                                                              \
  "SELECT pr.id, pr.project_id, p.name AS project_name, pr.category, c.name AS category_name, pr.title, "          \
  "pr.description, pr.unit_id, u.name AS unit_name, pr.deadline_days, pr.raised_on, pr.due_date, pr.state, "      \
  "pr.escalation, CASE WHEN pr.state <> 'closed' AND pr.due_date < ? THEN 1 ELSE 0 END AS overdue__b, pr.rating, " \
  "pr.raised_by, ru.name AS raised_by_name, pr.raised_unit_id, rn.name AS raised_unit_name, pr.replied_on, "      \
  "pr.closed_on, pr.meeting_id, pr.node_id, nd.name AS node_name, pr.version, pr.created_at, pr.updated_at "     \
  "FROM problems pr LEFT JOIN projects p ON p.id = pr.project_id LEFT JOIN problem_categories c ON c.code = pr.category " \
  "JOIN units u ON u.id = pr.unit_id JOIN users ru ON ru.id = pr.raised_by LEFT JOIN units rn ON rn.id = pr.raised_unit_id " \
  "LEFT JOIN nodes nd ON nd.id = pr.node_id "

static void add_state_zh(json_t *o) {
  json_object_set_new(o, "state_name", json_string(problem_state_zh(json_string_value(json_object_get(o, "state")))));
}

static void add_co_units(db *d, json_t *o) {
  json_t *ids = json_array(), *names = json_array();
  db_stmt *st = db_query(d,
                         "SELECT cu.unit_id, u.name FROM problem_co_units cu JOIN units u ON u.id = cu.unit_id "
                         "WHERE cu.problem_id = ? ORDER BY u.name",
                         DBI(json_integer_value(json_object_get(o, "id"))));
  while (st && db_step(st) == DB_ROW) {
    json_array_append_new(ids, json_integer(db_int(st, 0)));
    json_array_append_new(names, json_string(db_text(st, 1)));
  }
  db_done(st);
  json_object_set_new(o, "co_unit_ids", ids);
  json_object_set_new(o, "co_unit_names", names);
}

/* add_co_units for a whole page: one query per 100 problems instead of one
 * per problem (a round trip each on PostgreSQL), in the same order. */
#define CO_CHUNK 100
static void add_co_units_page(req *r, json_t *items) {
  size_t total = json_array_size(items);
  for (size_t i = 0; i < total; i++) {
    json_t *o = json_array_get(items, i);
    json_object_set_new(o, "co_unit_ids", json_array());
    json_object_set_new(o, "co_unit_names", json_array());
  }
  for (size_t from = 0; from < total; from += CO_CHUNK) {
    db_val args[CO_CHUNK];
    strbuf sql;
    sb_init(&sql, 0);
    sb_adds(&sql, "SELECT cu.problem_id, cu.unit_id, u.name FROM problem_co_units cu JOIN units u ON u.id = cu.unit_id "
                  "WHERE cu.problem_id IN (");
    size_t n = page_ids_in(items, from, CO_CHUNK, &sql, args);
    sb_adds(&sql, ") ORDER BY cu.problem_id, u.name");
    db_stmt *st = db_prepare(r->db, sb_str(&sql), (int)n, args);
    sb_release(&sql);
    while (st && db_step(st) == DB_ROW) {
      int64_t pid = db_int(st, 0);
      for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(items, from + i);
        if (json_integer_value(json_object_get(o, "id")) != pid) continue;
        json_array_append_new(json_object_get(o, "co_unit_ids"), json_integer(db_int(st, 1)));
        json_array_append_new(json_object_get(o, "co_unit_names"), json_string(db_text(st, 2)));
        break;
      }
    }
    db_done(st);
  }
}

json_t *problem_json(db *d, int64_t id, int with_events) {
  arena a;
  arena_init(&a);
  db_stmt *st = db_query(d, PROBLEM_SELECT "WHERE pr.id = ?", DBT(today_str(&a)), DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  arena_release(&a);
  if (!o) return NULL;
  add_state_zh(o);
  add_co_units(d, o);
  if (with_events) {
    json_t *ev = json_array();
    st = db_query(d,
                  "SELECT e.id, e.type, e.text, e.rating, e.level, e.user_id, us.name AS user_name, e.unit_id, "
                  "un.name AS unit_name, e.at FROM problem_events e LEFT JOIN users us ON us.id = e.user_id "
                  "LEFT JOIN units un ON un.id = e.unit_id WHERE e.problem_id = ? ORDER BY e.id",
                  DBI(id));
    while (st && db_step(st) == DB_ROW) json_array_append_new(ev, db_row_json(st));
    db_done(st);
    json_object_set_new(o, "events", ev);
    json_object_set_new(o, "attachments", attach_list_json(d, "problem", id));
  }
  return o;
}

/* ---- scope ---- */

/* " AND (…)" limiting `problems pr JOIN projects p` to the user's scope. */
static void problem_scope_sql(req *r, strbuf *sql, db_val *args, int *n) {
  if (scope_reads_all(r)) return;
  const char *pat = scope_path_pattern(r);
  const char *mine = "(SELECT id FROM units WHERE path LIKE ?)";
  sb_addf(sql,
          " AND (pr.unit_id IN %s OR pr.raised_by = ? OR pr.raised_unit_id IN %s OR EXISTS (SELECT 1 FROM "
          "problem_co_units cu WHERE cu.problem_id = pr.id AND cu.unit_id IN %s) OR p.unit_id IN %s OR "
          "p.owner_unit_id IN %s OR p.hq_id IN %s)",
          mine, mine, mine, mine, mine, mine);
  args[(*n)++] = DBT(pat);
  args[(*n)++] = DBI(r->user.id);
  for (int i = 0; i < 5; i++) args[(*n)++] = DBT(pat);
}

static int problem_readable(req *r, int64_t id) {
  strbuf sql = STRBUF_INIT;
  db_val args[10];
  int n = 0;
  args[n++] = DBI(id);
  sb_adds(&sql, "SELECT 1 FROM problems pr JOIN projects p ON p.id = pr.project_id WHERE pr.id = ?");
  problem_scope_sql(r, &sql, args, &n);
  int ok = db_int1v(r->db, 0, sb_str(&sql), n, args) == 1;
  sb_release(&sql);
  return ok;
}

/* The user acts for the unit: it is their unit or (unit staff) below it. */
static int acts_for_unit(req *r, int64_t unit_id) {
  if (r->user.unit_id == unit_id) return 1;
  if (!has_role(r, ROLE_UNIT)) return 0;
  return db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ? AND path LIKE ?", DBI(unit_id), DBT(scope_path_pattern(r))) == 1;
}

/* May the user raise a problem on this project? */
static int project_raisable(req *r, int64_t project_id) {
  if (scope_reads_all(r)) return 1;
  const char *pat = scope_path_pattern(r);
  return db_int1(r->db, 0,
                 "SELECT 1 FROM projects p WHERE p.id = ? AND (p.unit_id IN (SELECT id FROM units WHERE path LIKE ?) "
                 "OR p.owner_unit_id IN (SELECT id FROM units WHERE path LIKE ?) OR p.hq_id IN (SELECT id FROM units "
                 "WHERE path LIKE ?))",
                 DBI(project_id), DBT(pat), DBT(pat), DBT(pat)) == 1;
}

/* ---- creating ---- */

static int add_event(db *d, int64_t problem_id, const char *type, const char *text, int rating, int level,
                     int64_t user_id, int64_t unit_id, const char *at) {
  return db_exec(d,
                 "INSERT INTO problem_events (problem_id, type, text, rating, level, user_id, unit_id, at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 DBI(problem_id), DBT(type), DBT(text), rating ? DBI(rating) : DBNULL, level ? DBI(level) : DBNULL,
                 user_id ? DBI(user_id) : DBNULL, unit_id ? DBI(unit_id) : DBNULL, DBT(at));
}

static int notify_assigned(db *d, arena *a, int64_t id, int64_t unit_id, const char *title, const char *project,
                           const char *due, int64_t except_user) {
  notice n = {"assign", arena_printf(a, "新交办问题：%s", title),
              arena_printf(a, "项目：%s\n办结时限：%s", project, due), arena_printf(a, "/problems/%lld", (long long)id),
              "problem", id};
  return notify_unit(d, unit_id, &n, except_user);
}

int64_t problem_create(db *d, const problem_new *p) {
  arena a;
  arena_init(&a);
  const char *now = now_rfc3339(&a);
  const char *raised = p->raised_on ? p->raised_on : today_str(&a);
  int days = p->deadline_days;
  if (days <= 0) days = (int)db_int1(d, 5, "SELECT deadline_days FROM problem_categories WHERE code = ?", DBT(p->category));
  int32_t r0 = 0;
  date_parse(raised, &r0);
  const calendar *cal = cal_acquire(d);
  char due[11], due2[11];
  date_format(problem_due_date(cal, r0, days), due);
  date_format(problem_escalate2_date(cal, r0, days), due2);
  cal_release(cal);
  db_stmt *st = db_query(d,
                         "INSERT INTO problems (project_id, category, title, description, raised_by, raised_unit_id, raised_on, "
                         "unit_id, deadline_days, due_date, escalate2_date, state, escalation, meeting_id, node_id, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', 0, ?, ?, ?, ?) RETURNING id",
                         DBI(p->project_id), DBT(p->category), DBT(p->title), DBT(p->description ? p->description : ""),
                         DBI(p->raised_by), p->raised_unit_id ? DBI(p->raised_unit_id) : DBNULL, DBT(raised),
                         DBI(p->unit_id), DBI(days), DBT(due), DBT(due2), p->meeting_id ? DBI(p->meeting_id) : DBNULL,
                         p->node_id ? DBI(p->node_id) : DBNULL, DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  int rc = id ? DB_OK : DB_ERROR;
  for (int i = 0; rc == DB_OK && i < p->nco; i++)
    rc = db_exec(d, "INSERT INTO problem_co_units (problem_id, unit_id) VALUES (?, ?)", DBI(id), DBI(p->co_units[i]));
  if (rc == DB_OK) rc = add_event(d, id, "create", p->description, 0, 0, p->raised_by, p->raised_unit_id, now);
  if (rc == DB_OK) {
    db_stmt *ps = db_query(d, "SELECT name FROM projects WHERE id = ?", DBI(p->project_id));
    const char *pname = ps && db_step(ps) == DB_ROW ? arena_strdup(&a, db_text(ps, 0)) : "";
    db_done(ps);
    rc = notify_assigned(d, &a, id, p->unit_id, p->title, pname, due, p->raised_by);
    for (int i = 0; rc == DB_OK && i < p->nco; i++)
      rc = notify_assigned(d, &a, id, p->co_units[i], p->title, pname, due, p->raised_by);
  }
  arena_release(&a);
  return rc == DB_OK ? id : 0;
}

static int unit_exists(req *r, int64_t id) { return db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ?", DBI(id)) == 1; }

/* co_unit_ids: distinct existing units other than the lead unit. */
static int read_co_units(req *r, json_t *in, int64_t lead, int64_t **out, int *nout) {
  json_t *v = json_object_get(in, "co_unit_ids");
  *out = NULL;
  *nout = 0;
  if (!v) return JV_ABSENT;
  if (json_is_null(v)) return JV_NULL;
  if (!json_is_array(v) || json_array_size(v) > 20) {
    field_error(r, "co_unit_ids", "应为单位编号数组（最多20个）", "must be an array of unit ids (at most 20)");
    return JV_BAD;
  }
  int64_t *ids = arena_alloc(&r->a, sizeof *ids * (json_array_size(v) + 1));
  int n = 0;
  size_t i;
  json_t *e;
  json_array_foreach(v, i, e) {
    if (!json_is_integer(e) || json_integer_value(e) <= 0 || !unit_exists(r, json_integer_value(e))) {
      field_error(r, "co_unit_ids", "含有不存在的单位", "contains an unknown unit");
      return JV_BAD;
    }
    int64_t id = json_integer_value(e);
    if (id == lead) {
      field_error(r, "co_unit_ids", "协办单位不能与牵头单位相同", "a co-unit cannot be the lead unit");
      return JV_BAD;
    }
    int dup = 0;
    for (int k = 0; k < n; k++) dup |= ids[k] == id;
    if (!dup) ids[n++] = id;
  }
  *out = ids;
  *nout = n;
  return JV_SET;
}

static int category_ok(req *r, const char *code) {
  if (db_int1(r->db, 0, "SELECT 1 FROM problem_categories WHERE code = ?", DBT(code)) == 1) return 1;
  field_error(r, "category", "未知的问题类别", "unknown category");
  return 0;
}

/* POST /api/v1/problems */
static void problem_post(req *r) {
  static const char *const fields[] = {"project_id", "node_id", "category", "title", "description", "unit_id",
                                       "co_unit_ids", "deadline_days", "raised_on", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  problem_new p = {0};
  int64_t days = 0;
  if (jint(r, in, "project_id", 1, 1, INT64_MAX, &p.project_id) == JV_SET &&
      !db_int1(r->db, 0, "SELECT 1 FROM projects WHERE id = ?", DBI(p.project_id)))
    field_error(r, "project_id", "项目不存在", "no such project");
  /* the node a problem is raised from is one of the problem's project's nodes */
  if (jint(r, in, "node_id", 0, 1, INT64_MAX, &p.node_id) == JV_SET && p.project_id &&
      db_int1(r->db, 0, "SELECT 1 FROM nodes WHERE id = ? AND project_id = ?", DBI(p.node_id), DBI(p.project_id)) != 1)
    field_error(r, "node_id", "该节点不属于所选项目", "the node is not one of the project's nodes");
  if (jstr(r, in, "category", 1, 32, &p.category) == JV_SET) category_ok(r, p.category);
  jstr(r, in, "title", 1, 200, &p.title);
  jstr(r, in, "description", 0, 5000, &p.description);
  if (jint(r, in, "unit_id", 1, 1, INT64_MAX, &p.unit_id) == JV_SET && !unit_exists(r, p.unit_id))
    field_error(r, "unit_id", "单位不存在", "no such unit");
  int64_t *co;
  read_co_units(r, in, p.unit_id, &co, &p.nco);
  p.co_units = co;
  jint(r, in, "deadline_days", 0, 1, 250, &days);
  if (jdate(r, in, "raised_on", 0, &p.raised_on) == JV_SET) {
    if (!scope_writes_all(r))
      field_error(r, "raised_on", "只有项目办可以补录提出日期", "only the project office may backdate a problem");
    else if (strcmp(p.raised_on, today_str(&r->a)) > 0)
      field_error(r, "raised_on", "提出日期不能晚于今天", "cannot be in the future");
  }
  if (p.title && !*p.title) field_error(r, "title", "不能为空", "must not be empty");
  if (has_errors(r)) return reply_invalid(r);
  if (!project_raisable(r, p.project_id))
    return reply_forbidden(r, "只能对本单位相关的项目提出问题", "you may raise problems only on your units' projects");
  p.deadline_days = (int)days;
  p.raised_by = r->user.id;
  p.raised_unit_id = r->user.unit_id;
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  int64_t id = problem_create(r->db, &p);
  json_t *after = id ? problem_json(r->db, id, 0) : NULL;
  rc = after ? audit_log(r, "create", "problem", id, NULL, after) : db_errcode(r->db);
  json_decref(after);
  commit_reply(r, rc, NULL, rc == DB_OK ? problem_json(r->db, id, 1) : NULL, 201);
}

/* ---- reading ---- */

/* GET /api/v1/problems — see the file comment for the filters. */
static void problems_list(req *r) {
  static const char *const sorts[] = {"id", "pr.id", "due_date", "pr.due_date", "raised_on", "pr.raised_on",
                                      "state", "pr.state", "escalation", "pr.escalation", "project_name", "p.name",
                                      "unit_name", "u.name", "category", "c.sort_order", NULL};
  page pg;
  req_page(r, &pg);
  int64_t project = qint(r, "project", 1, INT64_MAX, 0);
  int64_t unit = qint(r, "unit", 1, INT64_MAX, 0);
  int64_t meeting = qint(r, "meeting", 1, INT64_MAX, 0);
  int64_t node = qint(r, "node", 1, INT64_MAX, 0);
  int64_t overdue = qint(r, "overdue", 0, 1, 0);
  int64_t escalated = qint(r, "escalated", 0, 1, 0);
  int64_t mine = qint(r, "mine", 0, 1, 0);
  const char *state = qenum(r, "state", loop_state_names);
  const char *category = req_arg(r, "category");
  const char *q = req_arg(r, "q");
  const char *order = req_sort(r, sorts, "pr.id DESC");
  if (category && *category && db_int1(r->db, 0, "SELECT 1 FROM problem_categories WHERE code = ?", DBT(category)) != 1)
    field_error(r, "category", "未知的问题类别", "unknown category");
  if (has_errors(r)) return reply_invalid(r);
  const char *today = today_str(&r->a);
  strbuf w = STRBUF_INIT;
  db_val args[32];
  int n = 0;
  sb_adds(&w, "WHERE 1 = 1");
  if (project) {
    sb_adds(&w, " AND pr.project_id = ?");
    args[n++] = DBI(project);
  }
  if (unit) {
    sb_adds(&w, " AND (pr.unit_id = ? OR EXISTS (SELECT 1 FROM problem_co_units x WHERE x.problem_id = pr.id AND x.unit_id = ?))");
    args[n++] = DBI(unit);
    args[n++] = DBI(unit);
  }
  if (meeting) {
    sb_adds(&w, " AND pr.meeting_id = ?");
    args[n++] = DBI(meeting);
  }
  if (node) {
    sb_adds(&w, " AND pr.node_id = ?");
    args[n++] = DBI(node);
  }
  if (state) {
    sb_adds(&w, " AND pr.state = ?");
    args[n++] = DBT(state);
  }
  if (category && *category) {
    sb_adds(&w, " AND pr.category = ?");
    args[n++] = DBT(category);
  }
  if (overdue) {
    sb_adds(&w, " AND pr.state <> 'closed' AND pr.due_date < ?");
    args[n++] = DBT(today);
  }
  if (escalated) sb_adds(&w, " AND pr.state <> 'closed' AND pr.escalation > 0");
  if (mine) {
    /* "to do": assigned to my unit and not yet replied, or replied and waiting for me */
    sb_adds(&w, " AND ((pr.unit_id = ? AND pr.state IN ('open','accepted','in_progress','reopened')) OR "
                "(pr.raised_by = ? AND pr.state = 'replied'))");
    args[n++] = DBI(r->user.unit_id);
    args[n++] = DBI(r->user.id);
  }
  if (q && *q) {
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    sb_adds(&w, " AND (pr.title LIKE ? OR pr.description LIKE ? OR p.name LIKE ?)");
    args[n++] = DBT(like);
    args[n++] = DBT(like);
    args[n++] = DBT(like);
  }
  problem_scope_sql(r, &w, args, &n);
  const char *where = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  /* problems.project_id is NOT NULL and references projects, so the join
   * changes the count only through a filter on the project (p.…); without
   * one, counting reads problems alone (province: ~4 ms instead of ~19 ms). */
  int names_project = strstr(where, " p.") || strstr(where, "(p.");
  int64_t total = list_total(r,
                             arena_printf(&r->a, names_project ? "SELECT COUNT(*) FROM problems pr JOIN projects p ON p.id = pr.project_id %s"
                                                               : "SELECT COUNT(*) FROM problems pr %s",
                                          where),
                             n, args);
  db_val all[40];
  int m = 0;
  all[m++] = DBT(today);
  for (int i = 0; i < n; i++) all[m++] = args[i];
  all[m++] = DBI(pg.per_page);
  all[m++] = DBI(pg.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, PROBLEM_SELECT "%s ORDER BY %s LIMIT ? OFFSET ?", where, order), m, all);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) add_state_zh(it);
  add_co_units_page(r, items);
  reply_list(r, items, total, &pg);
}

/* What the caller may do now, for the UI's buttons. */
static json_t *problem_can(req *r, json_t *o) {
  const char *state = json_string_value(json_object_get(o, "state"));
  int lead = acts_for_unit(r, json_integer_value(json_object_get(o, "unit_id")));
  int raiser = json_integer_value(json_object_get(o, "raised_by")) == r->user.id;
  int office = scope_writes_all(r);
  int rated = !json_is_null(json_object_get(o, "rating")) && json_object_get(o, "rating");
  int co = 0;
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(o, "co_unit_ids"), i, e) {
    co |= json_integer_value(e) == r->user.unit_id;
  }
  unsigned actors = (lead ? LOOP_HANDLER : 0u) | (raiser ? LOOP_RAISER : 0u) | (office ? LOOP_OFFICE : 0u);
  loop_state s = loop_state_parse(state);
  return json_pack("{s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b}", "attach",
                   strcmp(state, "closed") != 0 && (office || raiser || lead || co), "accept",
                   loop_can(s, LOOP_ACCEPT, actors, rated), "reply", loop_can(s, LOOP_REPLY, actors, rated), "close",
                   loop_can(s, LOOP_CLOSE, actors, rated), "reopen", loop_can(s, LOOP_REOPEN, actors, rated), "rate",
                   loop_can(s, LOOP_RATE, actors, rated), "comment", 1, "edit", office || (raiser && !strcmp(state, "open")));
}

/* GET /api/v1/problems/{id} */
static void problem_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  if (!problem_readable(r, id)) return reply_not_found(r, "问题", "problem");
  json_t *o = problem_json(r->db, id, 1);
  if (!o) return reply_not_found(r, "问题", "problem");
  json_object_set_new(o, "can", problem_can(r, o));
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
  reply_json(r, 200, o);
}

/* ---- changing ---- */

/* PATCH /api/v1/problems/{id} — the project office, or the raiser while
 * the problem is still open. Changing the deadline recomputes the dates. */
static void problem_patch(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  static const char *const fields[] = {"title", "description", "category", "unit_id", "co_unit_ids", "deadline_days", "version", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  if (!problem_readable(r, id)) return reply_not_found(r, "问题", "problem");
  json_t *before = problem_json(r->db, id, 0);
  if (!before) return reply_not_found(r, "问题", "problem");
  const char *state = json_string_value(json_object_get(before, "state"));
  int raiser = json_integer_value(json_object_get(before, "raised_by")) == r->user.id;
  if (!scope_writes_all(r) && !(raiser && strcmp(state, "open") == 0)) {
    json_decref(before);
    return reply_forbidden(r, "只有项目办或提出人（受理前）可以修改问题", "only the project office, or the raiser before acceptance, may edit");
  }
  const char *title = NULL, *desc = NULL, *category = NULL;
  int64_t unit_id = 0, days = 0, version = 0;
  int has_title = jstr(r, in, "title", 0, 200, &title) == JV_SET;
  if (has_title && !*title) field_error(r, "title", "不能为空", "must not be empty");
  int has_desc = jstr(r, in, "description", 0, 5000, &desc) == JV_SET;
  int has_cat = jstr(r, in, "category", 0, 32, &category) == JV_SET;
  if (has_cat) category_ok(r, category);
  int has_unit = jint(r, in, "unit_id", 0, 1, INT64_MAX, &unit_id) == JV_SET;
  if (has_unit && !unit_exists(r, unit_id)) field_error(r, "unit_id", "单位不存在", "no such unit");
  int64_t lead = has_unit ? unit_id : json_integer_value(json_object_get(before, "unit_id"));
  int64_t *co;
  int nco;
  int co_state = read_co_units(r, in, lead, &co, &nco);
  int has_days = jint(r, in, "deadline_days", 0, 1, 250, &days) == JV_SET;
  version = req_version(r, in);
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  const char *raised = arena_strdup(&r->a, json_string_value(json_object_get(before, "raised_on")));
  int nd = has_days ? (int)days : (int)json_integer_value(json_object_get(before, "deadline_days"));
  const char *due = add_wd(&r->a, req_calendar(r), raised, nd), *due2 = add_wd(&r->a, req_calendar(r), raised, 2 * nd);
  int32_t t = clock_today(), r0 = 0;
  date_parse(raised, &r0);
  int level = problem_escalation_level(req_calendar(r), r0, nd, t, strcmp(state, "closed") == 0);
  int old_level = (int)json_integer_value(json_object_get(before, "escalation"));
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "UPDATE problems SET title = ?, description = ?, category = ?, unit_id = ?, deadline_days = ?, "
                 "due_date = ?, escalate2_date = ?, escalation = ?, version = version + 1, updated_at = ? "
                 "WHERE id = ? AND version = ?",
                 DBT(has_title ? title : json_string_value(json_object_get(before, "title"))),
                 DBT(has_desc ? desc : json_string_value(json_object_get(before, "description"))),
                 DBT(has_cat ? category : json_string_value(json_object_get(before, "category"))), DBI(lead), DBI(nd),
                 DBT(due), DBT(due2), DBI(level < old_level ? level : old_level), DBT(now), DBI(id), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict", "该问题已被他人修改，请刷新后重试 / The problem was changed by someone else; reload and retry");
  }
  if (rc == DB_OK && co_state != JV_ABSENT) {
    rc = db_exec(r->db, "DELETE FROM problem_co_units WHERE problem_id = ?", DBI(id));
    for (int i = 0; rc == DB_OK && i < nco; i++)
      rc = db_exec(r->db, "INSERT INTO problem_co_units (problem_id, unit_id) VALUES (?, ?)", DBI(id), DBI(co[i]));
  } else if (rc == DB_OK && has_unit) {
    rc = db_exec(r->db, "DELETE FROM problem_co_units WHERE problem_id = ? AND unit_id = ?", DBI(id), DBI(lead));
  }
  if (rc == DB_OK) rc = add_event(r->db, id, "update", "修改了问题信息", 0, 0, r->user.id, r->user.unit_id, now);
  if (rc == DB_OK && has_unit && lead != json_integer_value(json_object_get(before, "unit_id")))
    rc = notify_assigned(r->db, &r->a, id, lead, json_string_value(json_object_get(before, "title")),
                         json_string_value(json_object_get(before, "project_name")), due, r->user.id);
  json_t *after = rc == DB_OK ? problem_json(r->db, id, 0) : NULL;
  if (rc == DB_OK) rc = audit_log(r, "update", "problem", id, before, after);
  json_decref(after);
  json_t *o = rc == DB_OK ? problem_json(r->db, id, 1) : NULL;
  if (o) json_object_set_new(o, "can", problem_can(r, o));
  commit_reply(r, rc, before, o, 200);
}

static void refuse(req *r, const char *zh, const char *en) {
  reply_problem(r, 409, "当前状态不允许此操作 / Not allowed in this state", arena_printf(&r->a, "%s / %s", zh, en));
}

/* POST /api/v1/problems/{id}/events {type, text, rating} */
static void problem_event(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  static const char *const fields[] = {"type", "text", "rating", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *type = NULL, *text = NULL;
  int64_t rating = 0;
  jenum(r, in, "type", 1, loop_action_names, &type);
  jstr(r, in, "text", 0, 5000, &text);
  jint(r, in, "rating", 0, 1, 5, &rating);
  if (type && (!strcmp(type, "comment") || !strcmp(type, "reply") || !strcmp(type, "reopen")) && (!text || !*text))
    field_error(r, "text", !strcmp(type, "reply") ? "请填写答复内容" : !strcmp(type, "reopen") ? "请填写退回理由" : "请填写内容",
                "required for this event");
  if (type && !strcmp(type, "rate") && !rating) field_error(r, "rating", "请评分（1-5）", "required: 1 to 5");
  if (has_errors(r) || !type) return reply_invalid(r);
  if (!problem_readable(r, id)) return reply_not_found(r, "问题", "problem");
  json_t *before = problem_json(r->db, id, 0);
  if (!before) return reply_not_found(r, "问题", "problem");
  arena *a = &r->a;
  const char *state = arena_strdup(a, json_string_value(json_object_get(before, "state")));
  const char *title = arena_strdup(a, json_string_value(json_object_get(before, "title")));
  int64_t lead_unit = json_integer_value(json_object_get(before, "unit_id"));
  int64_t raiser_id = json_integer_value(json_object_get(before, "raised_by"));
  int lead = acts_for_unit(r, lead_unit);
  int raiser = raiser_id == r->user.id;
  int office = scope_writes_all(r);
  int rated = json_is_integer(json_object_get(before, "rating"));
  const char *reply_on = NULL, *close_on = NULL;
  int clear_close = 0;
  const char *today = today_str(a);
  notice nt = {0};
  int64_t notify_user_id = 0, notify_unit_id = 0;
  const char *link = arena_printf(a, "/problems/%lld", (long long)id);

  /* the rule is the shared closed loop's (loop.c); what is the problem's
   * own here is who hears of it and the dates it records */
  unsigned actors = (lead ? LOOP_HANDLER : 0u) | (raiser ? LOOP_RAISER : 0u) | (office ? LOOP_OFFICE : 0u);
  loop_action act = loop_action_parse(type);
  loop_state to = LOOP_BAD_STATE;
  switch (loop_step(loop_state_parse(state), act, actors, rated, &to)) {
  case LOOP_OK: break;
  case LOOP_WRONG_STATE: goto wrong_state;
  case LOOP_ALREADY_RATED: return json_decref(before), refuse(r, "已评价过", "already rated");
  case LOOP_NOT_ACTOR:
    json_decref(before);
    if (act == LOOP_CLOSE)
      return reply_forbidden(r, "只有提出人或项目办可以确认办结", "only the raiser or the project office may close");
    if (act == LOOP_REOPEN)
      return reply_forbidden(r, "只有提出人或项目办可以退回", "only the raiser or the project office may reopen");
    if (act == LOOP_RATE) return reply_forbidden(r, "只有提出人可以评价", "only the raiser may rate");
    return reply_forbidden(r, "只有牵头单位可以受理或答复此问题", "only the lead unit may accept or reply to this problem");
  }
  const char *next = loop_state_name(to);
  if (act == LOOP_REPLY) {
    reply_on = today;
    nt = (notice){"reply", arena_printf(a, "问题已答复：%s", title), text, link, "problem", id};
    notify_user_id = raiser_id;
  } else if (act == LOOP_CLOSE) {
    close_on = today;
    nt = (notice){"close", arena_printf(a, "问题已办结：%s", title), text, link, "problem", id};
    notify_unit_id = lead_unit;
  } else if (act == LOOP_REOPEN) {
    clear_close = 1;
    nt = (notice){"reopen", arena_printf(a, "问题被退回重办：%s", title), text, link, "problem", id};
    notify_unit_id = lead_unit;
  }

  {
    const char *now = now_rfc3339(a);
    int rc = db_begin(r->db);
    if (rc == DB_OK)
      rc = db_exec(r->db,
                   "UPDATE problems SET state = ?, replied_on = COALESCE(?, replied_on), "
                   "closed_on = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(?, closed_on) END, "
                   "rating = CASE WHEN ? = 1 THEN NULL WHEN ? > 0 THEN ? ELSE rating END, "
                   "version = version + 1, updated_at = ? WHERE id = ? AND state = ?",
                   DBT(next), DBT(reply_on), DBI(clear_close), DBT(close_on), DBI(clear_close), DBI(rating),
                   DBI(rating), DBT(now), DBI(id), DBT(state));
    if (rc == DB_OK && db_changes(r->db) == 0) {
      db_rollback(r->db);
      json_decref(before);
      return reply_problem(r, 409, "版本冲突 / Conflict", "问题刚被他人处理，请刷新 / Someone just acted on the problem; reload");
    }
    if (rc == DB_OK) rc = add_event(r->db, id, type, text, (int)rating, 0, r->user.id, r->user.unit_id, now);
    if (rc == DB_OK && notify_user_id) rc = notify_user(r->db, notify_user_id, &nt);
    if (rc == DB_OK && notify_user_id) {
      /* the raiser's unit robot hears of the reply too */
      int64_t ru = json_integer_value(json_object_get(before, "raised_unit_id"));
      if (ru) rc = notify_webhooks(r->db, ru, &nt);
    }
    if (rc == DB_OK && notify_unit_id) rc = notify_unit(r->db, notify_unit_id, &nt, r->user.id);
    json_t *after = rc == DB_OK ? problem_json(r->db, id, 0) : NULL;
    if (rc == DB_OK) rc = audit_log(r, type, "problem", id, before, after);
    json_decref(after);
    json_t *o = rc == DB_OK ? problem_json(r->db, id, 1) : NULL;
    if (o) json_object_set_new(o, "can", problem_can(r, o));
    return commit_reply(r, rc, before, o, 200);
  }

wrong_state:
  json_decref(before);
  if (!strcmp(type, "close"))
    return refuse(r, arena_printf(a, "问题%s，尚未答复，不能办结", problem_state_zh(state)),
                  arena_printf(a, "the problem is %s and has not been replied to; it cannot be closed", state));
  return refuse(r, arena_printf(a, "问题当前为「%s」，不能执行此操作", problem_state_zh(state)),
                arena_printf(a, "the problem is %s; '%s' is not allowed", state, type));
}

/* ---- attachments (site photos, documents) ---- */

static int problem_attach_read(req *r, int64_t id) { return problem_readable(r, id); }

/* The raiser, the lead and co-units and the project office add evidence;
 * nobody changes the record of a closed problem. */
static int problem_attach_write(req *r, int64_t id) {
  if (!problem_readable(r, id)) return 0;
  db_stmt *st = db_query(r->db, "SELECT raised_by, unit_id, state FROM problems WHERE id = ?", DBI(id));
  int ok = 0;
  if (st && db_step(st) == DB_ROW && strcmp(db_text(st, 2), "closed") != 0) {
    int64_t raiser = db_int(st, 0), lead = db_int(st, 1);
    db_done(st);
    st = NULL;
    ok = scope_writes_all(r) || raiser == r->user.id || acts_for_unit(r, lead) ||
         db_int1(r->db, 0, "SELECT 1 FROM problem_co_units WHERE problem_id = ? AND unit_id = ?", DBI(id),
                 DBI(r->user.unit_id)) == 1;
  }
  db_done(st);
  return ok;
}
ATTACH_ENTITY_REGISTER(problem_attach, "problem", problem_attach_read, problem_attach_write)

/* POST /api/v1/problems/{id}/attachments — the raw file as the body (photo,
 * PDF, XLSX or DOCX, ≤ 8 MiB), its name in X-File-Name. */
static void problem_attach_add(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  if (!problem_readable(r, id)) return reply_not_found(r, "问题", "problem");
  if (!problem_attach_write(r, id))
    return reply_forbidden(r, "只有提出人、承办单位或项目办可以上传附件（已办结的问题不能再上传）",
                           "only the raiser, the units handling it or the project office may add files, and not after closing");
  attach_upload(r, "problem", id, ATTACH_DOCUMENT);
}

/* ---- categories ---- */

/* GET /api/v1/problem-categories */
static void categories_list(req *r) {
  db_stmt *st = db_query0(r->db, "SELECT code, name, deadline_days, sort_order FROM problem_categories ORDER BY sort_order, code");
  json_t *items = db_rows_json(r, st, 0);
  if (!items) return;
  reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* PATCH /api/v1/problem-categories/{code} {name, deadline_days} — changes
 * the default for new problems only; existing deadlines stay as assigned. */
static void category_patch(req *r) {
  const char *code = r->nparams ? r->params[0] : NULL;
  static const char *const fields[] = {"name", "deadline_days", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *name = NULL;
  int64_t days = 0;
  int has_name = jstr(r, in, "name", 0, 32, &name) == JV_SET;
  if (has_name && !*name) field_error(r, "name", "不能为空", "must not be empty");
  int has_days = jint(r, in, "deadline_days", 0, 1, 250, &days) == JV_SET;
  if (has_errors(r)) return reply_invalid(r);
  db_stmt *st = db_query(r->db, "SELECT code, name, deadline_days FROM problem_categories WHERE code = ?", DBT(code));
  json_t *before = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (!before) return reply_not_found(r, "问题类别", "category");
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db, "UPDATE problem_categories SET name = ?, deadline_days = ? WHERE code = ?",
                 DBT(has_name ? name : json_string_value(json_object_get(before, "name"))),
                 DBI(has_days ? days : json_integer_value(json_object_get(before, "deadline_days"))), DBT(code));
  json_t *after = NULL;
  if (rc == DB_OK) {
    st = db_query(r->db, "SELECT code, name, deadline_days FROM problem_categories WHERE code = ?", DBT(code));
    after = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    rc = audit_log(r, "update", "problem_category", 0, before, after);
  }
  commit_reply(r, rc, before, after, 200);
}

/* ---- escalation ---- */

int problems_escalate(db *d, const char *today, int own_tx) {
  db_stmt *st = db_query(d,
                         "SELECT id, escalation, escalate2_date FROM problems WHERE state <> 'closed' AND "
                         "((escalation < 1 AND due_date < ?) OR (escalation < 2 AND escalate2_date < ?)) ORDER BY id LIMIT 100",
                         DBT(today), DBT(today));
  if (!st) return 0;
  int64_t ids[100];
  int levels[100], olds[100], n = 0;
  while (n < 100 && db_step(st) == DB_ROW) {
    ids[n] = db_int(st, 0);
    olds[n] = (int)db_int(st, 1);
    levels[n] = strcmp(db_text(st, 2), today) < 0 ? 2 : 1;
    n++;
  }
  db_done(st);
  int changed = 0;
  for (int i = 0; i < n; i++) {
    arena a;
    arena_init(&a);
    const char *now = now_rfc3339(&a);
    if (own_tx && db_begin(d) != DB_OK) {
      arena_release(&a);
      continue;
    }
    /* the claim: only the process whose UPDATE changes the row goes on */
    int rc = db_exec(d, "UPDATE problems SET escalation = ?, updated_at = ? WHERE id = ? AND escalation < ? AND state <> 'closed'",
                     DBI(levels[i]), DBT(now), DBI(ids[i]), DBI(levels[i]));
    if (rc != DB_OK || db_changes(d) != 1) {
      if (own_tx) db_rollback(d);
      arena_release(&a);
      if (rc != DB_OK && !own_tx) return -1;
      continue;
    }
    db_stmt *ps = db_query(d,
                           "SELECT pr.title, p.name, p.leader_id, p.hq_id, pr.due_date, u.name FROM problems pr "
                           "JOIN projects p ON p.id = pr.project_id JOIN units u ON u.id = pr.unit_id WHERE pr.id = ?",
                           DBI(ids[i]));
    const char *title = "", *pname = "", *due = "", *uname = "";
    int64_t leader = 0, hq = 0;
    if (ps && db_step(ps) == DB_ROW) {
      title = arena_strdup(&a, db_text(ps, 0));
      pname = arena_strdup(&a, db_text(ps, 1));
      leader = db_isnull(ps, 2) ? 0 : db_int(ps, 2);
      hq = db_isnull(ps, 3) ? 0 : db_int(ps, 3);
      due = arena_strdup(&a, db_text(ps, 4));
      uname = arena_strdup(&a, db_text(ps, 5));
    }
    db_done(ps);
    const char *link = arena_printf(&a, "/problems/%lld", (long long)ids[i]);
    for (int lv = olds[i] + 1; rc == DB_OK && lv <= levels[i]; lv++) {
      const char *text = lv == 1 ? arena_printf(&a, "超过办结时限（%s）未办结，已提级至项目联系领导", due)
                                 : "超期已达办结时限的两倍，已提级至指挥部指挥长";
      rc = add_event(d, ids[i], "escalate", text, 0, lv, 0, 0, now);
      notice nt = {"escalate", arena_printf(&a, "%s问题督办：%s", lv == 1 ? "超期" : "严重超期", title),
                   arena_printf(&a, "项目：%s\n牵头单位：%s\n办结时限：%s\n%s", pname, uname, due, text), link, "problem",
                   ids[i]};
      if (rc == DB_OK && lv == 1 && leader) {
        rc = notify_user(d, leader, &nt);
        int64_t lu = db_int1(d, 0, "SELECT unit_id FROM users WHERE id = ?", DBI(leader));
        if (rc == DB_OK && lu) rc = notify_webhooks(d, lu, &nt);
      }
      if (rc == DB_OK && lv == 2) {
        if (hq) {
          rc = notify_unit(d, hq, &nt, 0);
        } else {
          /* no HQ: the district's leaders command */
          char at[40];
          snprintf(at, sizeof at, "%s", now);
          rc = db_exec(d,
                       "INSERT INTO notifications (user_id, kind, title, body, link, entity, entity_id, created_at) "
                       "SELECT u.id, ?, ?, ?, ?, ?, ?, ? FROM users u JOIN units n ON n.id = u.unit_id "
                       "WHERE n.parent_id IS NULL AND u.disabled = 0 AND ',' || u.roles || ',' LIKE '%,leader,%'",
                       DBT(nt.kind), DBT(nt.title), DBT(nt.body), DBT(nt.link), DBT(nt.entity), DBI(ids[i]), DBT(at));
        }
      }
    }
    json_t *after = json_pack("{s:i}", "escalation", levels[i]);
    json_t *bef = json_pack("{s:i}", "escalation", olds[i]);
    if (rc == DB_OK) rc = audit_write(d, &audit_system, "escalate", "problem", ids[i], bef, after);
    json_decref(after);
    json_decref(bef);
    if (!own_tx) {
      arena_release(&a);
      if (rc != DB_OK) return -1;
      changed++;
      continue;
    }
    if (rc == DB_OK && db_commit(d) == DB_OK)
      changed++;
    else
      db_rollback(d);
    arena_release(&a);
  }
  return changed;
}

static void problems_tick(db *d) {
  char today[11];
  date_format(clock_today(), today);
  problems_escalate(d, today, 1);
}

static const route problem_routes[] = {
    ROUTE("GET", "/api/v1/problems", problems_list, ROLES_ANY, "问题列表 / Problems", 0,
          DOM_PROBLEMS | DOM_PROJECTS | DOM_NODES | DOM_ATTACHMENTS),
    ROUTE("POST", "/api/v1/problems", problem_post, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT | ROLE_ENTERPRISE,
          "提出问题 / Raise a problem", 0),
    ROUTE("GET", "/api/v1/problems/{id}", problem_get, ROLES_ANY, "问题详情 / One problem with its timeline", 0),
    ROUTE("PATCH", "/api/v1/problems/{id}", problem_patch, ROLES_ANY, "修改问题 / Change a problem", 0),
    ROUTE("POST", "/api/v1/problems/{id}/events", problem_event, ROLES_ANY,
          "受理、答复、办结、退回、评价、留言 / Accept, reply, close, reopen, rate, comment", 0),
    ROUTE("POST", "/api/v1/problems/{id}/attachments", problem_attach_add, ROLES_ANY, "上传问题附件 / Add a photo or document",
          ATTACH_MAX_BYTES),
    ROUTE("GET", "/api/v1/problem-categories", categories_list, ROLES_ANY, "问题类别 / Problem categories", 0),
    ROUTE("PATCH", "/api/v1/problem-categories/{code}", category_patch, ROLE_ADMIN, "修改问题类别时限 / Change a category", 0),
    {0},
};

static const module problems_module = {"problems", 46, problem_routes, NULL, NULL, problems_tick};
MODULE_REGISTER(problems_module)
