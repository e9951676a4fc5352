/*
 * ent_requests.c — enterprise requests 诉求 ("有求必应，无事不扰"): raised by
 * an enterprise or by its service commissioner on its behalf, routed to a
 * department with a deadline in working days, accepted, answered, and
 * confirmed by the enterprise with a satisfaction rating (1–5), or sent
 * back.  The states and who may do what are the closed loop's (loop.h):
 * this file adds only what is the requests' own — the categories and their
 * default deadlines (ent_rules.c), "confirm" as close and rate in one step,
 * a fresh deadline when a request is reopened, and the statistics per
 * department (count, on-time rate, mean satisfaction).  Escalation follows
 * the problems' rule (escalation.h): overdue → level 1, twice the deadline
 * → level 2, shown as computed on read; the tick in ent_escalate.c tells
 * each level once (notifications, webhooks, timeline, audit) and a
 * reopening resets what was told; overdue requests appear on the dispatch
 * agenda (ent_requests_overdue).
 *
 * GET  /api/v1/enterprise-requests?state&unit_id&enterprise_id&category&overdue&q&page&per_page&sort&format
 * GET  /api/v1/enterprise-requests/stats?from&to     per department
 * GET  /api/v1/enterprise-requests/{id}              with its events
 * POST /api/v1/enterprise-requests {enterprise_id,category,text,unit_id,deadline_days}
 * POST /api/v1/enterprise-requests/{id}/events {type,text,rating,version}   type: accept|comment|reply|confirm|reopen
 */
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "clock.h"
#include "ent.h"
#include "escalation.h"
#include "http.h"
#include "loop.h"

#define REQ_SELECT                                                                                                   \
  "SELECT q.id, q.enterprise_id, e.name AS enterprise_name, q.category, q.text, q.unit_id, u.name AS unit_name, "     \
  "q.state, q.raised_on, q.started_on, q.deadline_days, q.due_date, q.reply, q.replied_on, q.closed_on, q.rating, "   \
  "q.raised_by, rb.name AS raised_by_name, q.version, q.created_at, q.updated_at "                                 \
  "FROM enterprise_requests q JOIN enterprises e ON e.id = q.enterprise_id JOIN units u ON u.id = q.unit_id "      \
  "LEFT JOIN users rb ON rb.id = q.raised_by "

/* The caller's scope over requests aliased q: routed to a unit in scope,
 * or raised by an enterprise in scope or that the caller is commissioner
 * of.  Written over q alone, each part narrowed by an index (the units in
 * scope, then their requests; the enterprises, then theirs), so that a
 * department's list does not join and test every request. */
static void req_scope(req *r, strbuf *sb, db_val *args, int *n) {
  if (scope_reads_all(r)) return;
  const char *pat = scope_path_pattern(r);
  sb_adds(sb, " AND q.id IN (SELECT s1.id FROM enterprise_requests s1 WHERE s1.unit_id IN (SELECT id FROM units WHERE path LIKE ?) "
              "UNION SELECT s2.id FROM enterprise_requests s2 WHERE s2.enterprise_id IN (SELECT se.id FROM enterprises se "
              "WHERE se.unit_id IN (SELECT id FROM units WHERE path LIKE ?) OR se.commissioner_id = ?))");
  args[(*n)++] = DBT(pat);
  args[(*n)++] = DBT(pat);
  args[(*n)++] = DBI(r->user.id);
}

static int category_index(const char *c) {
  for (int i = 0; c && ent_request_categories[i]; i++)
    if (strcmp(c, ent_request_categories[i]) == 0) return i;
  return -1;
}

/* Derived fields: names in Chinese, overdue, escalation level. */
static void finish(const calendar *cal, int32_t today, json_t *o) {
  loop_state s = loop_state_parse(json_string_value(json_object_get(o, "state")));
  int ci = category_index(json_string_value(json_object_get(o, "category")));
  json_object_set_new(o, "state_name", json_string(loop_state_zh(s)));
  json_object_set_new(o, "category_name", json_string(ci >= 0 ? ent_request_categories_zh[ci] : ""));
  int32_t start = 0, due = 0;
  date_parse(json_string_value(json_object_get(o, "started_on")), &start);
  date_parse(json_string_value(json_object_get(o, "due_date")), &due);
  int handled = s == LOOP_REPLIED || s == LOOP_CLOSED;
  int days = (int)json_integer_value(json_object_get(o, "deadline_days"));
  json_object_set_new(o, "overdue", json_boolean(!handled && today > due));
  json_object_set_new(o, "days_overdue", json_integer(handled ? 0 : problem_days_overdue(cal, due, today)));
  json_object_set_new(o, "escalation", json_integer(problem_escalation_level(cal, start, days, today, handled)));
}

static json_t *request_json(req *r, int64_t id, int with_events) {
  db_stmt *st = db_query(r->db, REQ_SELECT "WHERE q.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (!o) return NULL;
  finish(req_calendar(r), clock_today(), o);
  if (!with_events) return o;
  json_t *ev = json_array();
  st = db_query(r->db,
                "SELECT v.id, v.type, v.text, v.rating, v.user_id, us.name AS user_name, v.on_date, v.at FROM enterprise_request_events v "
                "LEFT JOIN users us ON us.id = v.user_id WHERE v.request_id = ? ORDER BY v.id",
                DBI(id));
  while (st && db_step(st) == DB_ROW) json_array_append_new(ev, db_row_json(st));
  db_done(st);
  json_object_set_new(o, "events", ev);
  return o;
}

static void etag(req *r, json_t *o) {
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
}

/* 1 when the caller may read request id (its scope, in SQL). */
static int can_read(req *r, int64_t id) {
  strbuf sb = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  args[n++] = DBI(id);
  sb_adds(&sb, "SELECT 1 FROM enterprise_requests q JOIN enterprises e ON e.id = q.enterprise_id JOIN units u ON u.id = q.unit_id "
               "WHERE q.id = ?");
  req_scope(r, &sb, args, &n);
  int ok = db_int1v(r->db, 0, sb_str(&sb), n, args) == 1;
  sb_release(&sb);
  return ok;
}

/* Who the caller is for the request: handler (staff of the department it
 * is routed to), raiser (the enterprise, or its commissioner), office. */
static unsigned actors_of(req *r, int64_t unit_id, int64_t ent_id) {
  unsigned a = 0;
  if (scope_writes_all(r)) a |= LOOP_OFFICE;
  if (has_role(r, ROLE_UNIT) && scope_can_write_unit(r, unit_id)) a |= LOOP_HANDLER;
  if (ent_is_self(r, ent_id) || ent_is_commissioner(r, ent_id)) a |= LOOP_RAISER;
  return a;
}

/* GET /api/v1/enterprise-requests?state&unit_id&enterprise_id&category&overdue&q&page&per_page&sort&format */
static void requests_list(req *r) {
  static const char *const sorts[] = {"due_date", "q.due_date", "raised_on", "q.raised_on", "state", "q.state",
                                      "enterprise_name", "e.name", "unit_name", "u.name", "rating", "q.rating", NULL};
  page pg;
  req_page(r, &pg);
  const char *state = qenum(r, "state", loop_state_names);
  const char *cat = qenum(r, "category", ent_request_categories);
  int64_t unit = qint(r, "unit_id", 1, INT64_MAX, 0), ent = qint(r, "enterprise_id", 1, INT64_MAX, 0);
  int64_t overdue = qint(r, "overdue", 0, 1, 0);
  const char *q = req_arg(r, "q");
  const char *order = req_sort(r, sorts, "q.id DESC");
  if (has_errors(r)) return reply_invalid(r);
  char today[11];
  date_format(clock_today(), today);
  strbuf w = STRBUF_INIT;
  db_val args[16];
  int n = 0;
  req_scope(r, &w, args, &n);
  /* the text search reads the enterprise; the scope and the other filters
   * only the request */
  int joined = q && *q;
  if (state) db_where_text(&w, args, &n, " AND q.state = ?", state);
  if (cat) db_where_text(&w, args, &n, " AND q.category = ?", cat);
  if (unit) db_where_int(&w, args, &n, " AND q.unit_id = ?", unit);
  if (ent) db_where_int(&w, args, &n, " AND q.enterprise_id = ?", ent);
  if (overdue) db_where_text(&w, args, &n, " AND q.state NOT IN ('replied', 'closed') AND q.due_date < ?", today);
  if (q && *q) {
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    sb_adds(&w, " AND (q.text LIKE ? OR e.name LIKE ?)");
    args[n++] = DBT(like);
    args[n++] = DBT(like);
  }
  const char *where = sql_where(&r->a, sb_str(&w));
  sb_release(&w);
  /* enterprise_id and unit_id are NOT NULL foreign keys: the joins are one
   * to one, so the total is counted without them unless a filter reads them */
  int64_t total = db_int1v(r->db, -1,
                           arena_printf(&r->a, "SELECT COUNT(*) FROM enterprise_requests q%s %s",
                                        joined ? " JOIN enterprises e ON e.id = q.enterprise_id JOIN units u ON u.id = q.unit_id" : "",
                                        where),
                           n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, REQ_SELECT "%s ORDER BY %s LIMIT ? OFFSET ?", where, order), n, args);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) finish(req_calendar(r), clock_today(), it);
  reply_list(r, items, total, &pg);
}

/* GET /api/v1/enterprise-requests/{id} */
static void request_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  if (!can_read(r, id)) return reply_not_found(r, "诉求", "request");
  json_t *o = request_json(r, id, 1);
  if (!o) return reply_db_error(r, db_errcode(r->db));
  unsigned a = actors_of(r, json_integer_value(json_object_get(o, "unit_id")), json_integer_value(json_object_get(o, "enterprise_id")));
  loop_state s = loop_state_parse(json_string_value(json_object_get(o, "state")));
  int rated = !json_is_null(json_object_get(o, "rating"));
  json_t *can = json_object();
  for (int i = 0; ent_request_events[i]; i++)
    json_object_set_new(can, ent_request_events[i], json_boolean(ent_request_step(s, ent_request_events[i], a, rated, NULL) == LOOP_OK));
  json_object_set_new(o, "can", can);
  etag(r, o);
  reply_json(r, 200, o);
}

static const char *const request_fields[] = {"enterprise_id", "category", "text", "unit_id", "deadline_days", NULL};

/* POST /api/v1/enterprise-requests — the enterprise (enterprise_id may be
 * left out: its own), its commissioner, or the office. */
static void request_post(req *r) {
  json_t *in = req_json(r, request_fields);
  if (!in) return;
  int64_t ent = 0, unit = 0, days = 0;
  const char *cat = NULL, *text = NULL;
  int es = jint(r, in, "enterprise_id", !has_role(r, ROLE_ENTERPRISE), 1, INT64_MAX, &ent);
  if (es != JV_SET && has_role(r, ROLE_ENTERPRISE)) ent = ent_id_of_unit(r->db, r->user.unit_id);
  if (es == JV_SET && !ent_can_read(r, ent)) field_error(r, "enterprise_id", "企业不存在", "no such enterprise");
  else if (ent && !scope_writes_all(r) && !ent_is_self(r, ent) && !ent_is_commissioner(r, ent))
    return reply_forbidden(r, "只能由企业本身、其服务专员或项目办提出诉求", "only the enterprise, its commissioner or the office may raise a request");
  if (!ent && !has_errors(r)) field_error(r, "enterprise_id", "必填", "required");
  jenum(r, in, "category", 1, ent_request_categories, &cat);
  if (jstr(r, in, "text", 1, 2000, &text) == JV_SET && !*text) field_error(r, "text", "不能为空", "must not be empty");
  if (jint(r, in, "unit_id", 1, 1, INT64_MAX, &unit) == JV_SET &&
      db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ? AND kind IN ('department', 'town', 'hq', 'district')", DBI(unit)) != 1)
    field_error(r, "unit_id", "应为承办的部门或街道", "must be a handling department or town");
  if (jint(r, in, "deadline_days", 0, 1, 60, &days) != JV_SET) days = cat ? ent_request_default_days(cat) : 5;
  if (has_errors(r)) return reply_invalid(r);
  int32_t today = clock_today();
  char raised[11], due[11];
  date_format(today, raised);
  date_format(problem_due_date(req_calendar(r), today, (int)days), due);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO enterprise_requests (enterprise_id, category, text, unit_id, state, raised_on, started_on, "
                         "deadline_days, due_date, raised_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?) "
                         "RETURNING id",
                         DBI(ent), DBT(cat), DBT(text), DBI(unit), DBT(raised), DBT(raised), DBI(days), DBT(due), DBI(r->user.id),
                         DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  if (!id) rc = db_errcode(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db, "INSERT INTO enterprise_request_events (request_id, type, text, user_id, on_date, at) VALUES (?, 'raise', ?, ?, ?, ?)",
                 DBI(id), DBT(text), DBI(r->user.id), DBT(raised), DBT(now));
  json_t *after = rc == DB_OK ? request_json(r, id, 1) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "create", "enterprise_request", id, NULL, after) : db_errcode(r->db);
  if (after) etag(r, after);
  commit_reply(r, rc, NULL, after, 201);
}

static const char *const event_fields[] = {"type", "text", "rating", "version", NULL};

/* POST /api/v1/enterprise-requests/{id}/events {type, text, rating, version}
 * — reply (the department, text required), confirm (the enterprise or its
 * commissioner, rating 1–5 required: closes and rates), reopen (the
 * enterprise, its commissioner or the office, with the reason in text: a
 * fresh deadline from today), accept, comment. */
static void request_event(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, event_fields);
  if (!in) return;
  if (!can_read(r, id)) return reply_not_found(r, "诉求", "request");
  json_t *before = request_json(r, id, 0);
  if (!before) return reply_db_error(r, db_errcode(r->db));
  const char *type = NULL, *text = NULL;
  int64_t rating = 0;
  jenum(r, in, "type", 1, ent_request_events, &type);
  int ts = jstr(r, in, "text", 0, 2000, &text);
  if (ts != JV_SET || !*text) text = NULL;
  int rs = jint(r, in, "rating", 0, 1, 5, &rating);
  int64_t version = req_version(r, in);
  if (type && (!strcmp(type, "reply") || !strcmp(type, "reopen") || !strcmp(type, "comment")) && !text)
    field_error(r, "text", strcmp(type, "reply") == 0 ? "答复内容必填" : strcmp(type, "reopen") == 0 ? "退回须说明理由" : "内容必填",
                strcmp(type, "reply") == 0 ? "a reply needs its text" : strcmp(type, "reopen") == 0 ? "a reopening needs its reason" : "required");
  if (type && !strcmp(type, "confirm") && rs != JV_SET && rs != JV_BAD)
    field_error(r, "rating", "确认办结须给出1到5的满意度评价", "a confirmation needs a satisfaction rating from 1 to 5");
  if (type && strcmp(type, "confirm") != 0 && rs == JV_SET)
    field_error(r, "rating", "只有确认办结时评价", "a rating is given only with the confirmation");
  if (has_errors(r) || !type) {
    json_decref(before);
    return reply_invalid(r);
  }
  loop_state from = loop_state_parse(json_string_value(json_object_get(before, "state")));
  unsigned actors = actors_of(r, json_integer_value(json_object_get(before, "unit_id")),
                              json_integer_value(json_object_get(before, "enterprise_id")));
  int rated = !json_is_null(json_object_get(before, "rating"));
  int next = from;
  loop_verdict v = (loop_verdict)ent_request_step(from, type, actors, rated, &next);
  loop_state to = (loop_state)next;
  loop_action act = strcmp(type, "confirm") == 0 ? LOOP_CLOSE : loop_action_parse(type);
  if (v != LOOP_OK) {
    json_decref(before);
    if (v == LOOP_NOT_ACTOR)
      return reply_forbidden(r, arena_printf(&r->a, "无权对该诉求执行“%s”", type), arena_printf(&r->a, "you may not %s this request", type));
    return reply_problem(r, 409, "状态不允许 / Not allowed in this state",
                         arena_printf(&r->a, "诉求当前为“%s”，不能%s / The request is %s: it cannot take “%s”",
                                      loop_state_zh(from), type, loop_state_name(from), type));
  }
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  int32_t today = clock_today();
  char day[11], due[11];
  date_format(today, day);
  int days = (int)json_integer_value(json_object_get(before, "deadline_days"));
  date_format(problem_due_date(req_calendar(r), today, days), due);
  const char *now = now_rfc3339(&r->a);
  const char *state = loop_state_name(to);
  int rc = db_begin(r->db);
  if (rc == DB_OK) {
    if (act == LOOP_REPLY)
      rc = db_exec(r->db, "UPDATE enterprise_requests SET state = ?, reply = ?, replied_on = ?, version = version + 1, updated_at = ? "
                          "WHERE id = ? AND version = ?",
                   DBT(state), DBT(text), DBT(day), DBT(now), DBI(id), DBI(version));
    else if (act == LOOP_CLOSE)
      rc = db_exec(r->db, "UPDATE enterprise_requests SET state = ?, closed_on = ?, rating = ?, version = version + 1, updated_at = ? "
                          "WHERE id = ? AND version = ?",
                   DBT(state), DBT(day), DBI(rating), DBT(now), DBI(id), DBI(version));
    else if (act == LOOP_REOPEN)
      rc = db_exec(r->db, "UPDATE enterprise_requests SET state = ?, started_on = ?, due_date = ?, replied_on = NULL, closed_on = NULL, "
                          "rating = NULL, escalation = 0, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                   DBT(state), DBT(day), DBT(due), DBT(now), DBI(id), DBI(version));
    else
      rc = db_exec(r->db, "UPDATE enterprise_requests SET state = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                   DBT(state), DBT(now), DBI(id), DBI(version));
  }
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict",
                         "该诉求已被他人处理，请刷新后重试 / The request was changed by someone else; reload and retry");
  }
  if (rc == DB_OK)
    rc = db_exec(r->db, "INSERT INTO enterprise_request_events (request_id, type, text, rating, user_id, on_date, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 DBI(id), DBT(type), DBT(text), act == LOOP_CLOSE ? DBI(rating) : DBNULL, DBI(r->user.id), DBT(day), DBT(now));
  json_t *after = rc == DB_OK ? request_json(r, id, 1) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "enterprise_request", id, before, after) : db_errcode(r->db);
  if (after) etag(r, after);
  commit_reply(r, rc, before, after, 200);
}

/* GET /api/v1/enterprise-requests/stats?from&to — per department, over the
 * requests raised in [from, to] in the caller's scope: count, replied,
 * replied on time (by the due date), on-time rate (of the replied, %), mean
 * satisfaction (of the rated), open and overdue now. */
static void requests_stats(req *r) {
  const char *from = qdate(r, "from"), *to = qdate(r, "to");
  if (has_errors(r)) return reply_invalid(r);
  char today[11];
  date_format(clock_today(), today);
  strbuf w = STRBUF_INIT;
  db_val args[16];
  int n = 0;
  args[n++] = DBT(today);
  sb_adds(&w, "WHERE 1 = 1");
  req_scope(r, &w, args, &n);
  if (from) db_where_text(&w, args, &n, " AND q.raised_on >= ?", from);
  if (to) db_where_text(&w, args, &n, " AND q.raised_on <= ?", to);
  db_stmt *st = db_prepare(
      r->db,
      arena_printf(&r->a,
                   "SELECT q.unit_id, u.name AS unit_name, COUNT(*) AS count, "
                   "SUM(CASE WHEN q.replied_on IS NOT NULL THEN 1 ELSE 0 END) AS replied, "
                   "SUM(CASE WHEN q.replied_on IS NOT NULL AND q.replied_on <= q.due_date THEN 1 ELSE 0 END) AS on_time, "
                   "SUM(CASE WHEN q.rating IS NOT NULL THEN 1 ELSE 0 END) AS rated, COALESCE(SUM(q.rating), 0) AS rating_sum, "
                   "SUM(CASE WHEN q.state NOT IN ('replied', 'closed') THEN 1 ELSE 0 END) AS open, "
                   "SUM(CASE WHEN q.state NOT IN ('replied', 'closed') AND q.due_date < ? THEN 1 ELSE 0 END) AS overdue "
                   "FROM enterprise_requests q JOIN enterprises e ON e.id = q.enterprise_id JOIN units u ON u.id = q.unit_id "
                   "%s GROUP BY q.unit_id, u.name ORDER BY COUNT(*) DESC, q.unit_id",
                   sb_str(&w)),
      n, args);
  sb_release(&w);
  json_t *items = db_rows_json(r, st, 0);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    int64_t replied = json_integer_value(json_object_get(it, "replied")), on_time = json_integer_value(json_object_get(it, "on_time"));
    int64_t rated = json_integer_value(json_object_get(it, "rated")), sum = json_integer_value(json_object_get(it, "rating_sum"));
    /* rounded half up to two decimals, in integers */
    char buf[32];
    int64_t rate = replied ? (on_time * 10000 * 2 + replied) / (2 * replied) : 0;
    snprintf(buf, sizeof buf, "%lld.%02lld", (long long)(rate / 100), (long long)(rate % 100));
    json_object_set_new(it, "on_time_rate", replied ? json_string(buf) : json_null());
    int64_t mean = rated ? (sum * 100 * 2 + rated) / (2 * rated) : 0;
    snprintf(buf, sizeof buf, "%lld.%02lld", (long long)(mean / 100), (long long)(mean % 100));
    json_object_set_new(it, "mean_rating", rated ? json_string(buf) : json_null());
    json_object_del(it, "rating_sum");
  }
  page pg = {1, 500, 0};
  reply_list(r, items, (int64_t)json_array_size(items), &pg);
}

int ent_requests_overdue(db *d, const char *date, int max, ent_overdue_fn fn, void *ctx) {
  db_stmt *st = db_query(d,
                         "SELECT q.id, e.name, u.name, q.due_date, q.category FROM enterprise_requests q "
                         "JOIN enterprises e ON e.id = q.enterprise_id JOIN units u ON u.id = q.unit_id "
                         "WHERE q.state NOT IN ('replied', 'closed') AND q.due_date < ? ORDER BY q.due_date, q.id LIMIT ?",
                         DBT(date), DBI(max));
  if (!st) return -1;
  int n = 0, rc;
  while ((rc = db_step(st)) == DB_ROW) {
    int ci = category_index(db_text(st, 4));
    fn(ctx, db_int(st, 0), db_text(st, 1), db_text(st, 2), db_text(st, 3), ci >= 0 ? ent_request_categories_zh[ci] : "");
    n++;
  }
  db_done(st);
  return rc == DB_DONE ? n : -1;
}

static const route request_routes[] = {
    ROUTE("GET", "/api/v1/enterprise-requests", requests_list, ENT_READERS, "企业诉求 / Enterprise requests", 0, DOM_REQUESTS | DOM_ENTERPRISES),
    ROUTE("GET", "/api/v1/enterprise-requests/stats", requests_stats, ENT_READERS, "诉求统计 / Requests per department", 0,
          DOM_REQUESTS | DOM_ENTERPRISES),
    ROUTE("GET", "/api/v1/enterprise-requests/{id}", request_get, ENT_READERS, "诉求详情 / One request", 0),
    ROUTE("POST", "/api/v1/enterprise-requests", request_post, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT | ROLE_ENTERPRISE,
          "提出诉求 / Raise a request", 0),
    ROUTE("POST", "/api/v1/enterprise-requests/{id}/events", request_event, ENT_READERS, "诉求办理 / Act on a request", 0),
    {0},
};

static const module ent_requests_module = {"ent_requests", 73, request_routes, NULL, NULL, NULL};
MODULE_REGISTER(ent_requests_module)
