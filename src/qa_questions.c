/*
 * qa_questions.c — citizens' questions (网络问政): the public submission
 * (no login, limited per address), and the staff side: the moderation
 * queue and department inbox as one list with filters and Excel export,
 * one question with its timeline (the phone masked; revealed to the office
 * and the handling department, each reveal audited), and the actions of
 * the workflow (approve/reject by the office, accept/reply by the
 * department, close by the office) through the pure table of qa_rules.c.
 *
 * POST /api/v1/questions {category, title, text, address?, lat?, long?, phone?, media_url?}  no login → {id, tracking_code}
 * GET  /api/v1/questions?state&category&unit&q&overdue&flagged&page&per_page&sort&format
 * GET  /api/v1/questions/{id}[?reveal=1]
 * POST /api/v1/questions/{id}/actions {action, note?, unit_id?, publish?, redact?, version?}  (If-Match)
 *      action: approve reject | accept comment reply close reopen
 */
#include <math.h>
#include <sodium.h>
#include <string.h>

#include "auth.h"
#include "calendar_db.h"
#include "clock.h"
#include "escalation.h"
#include "http.h"
#include "qa.h"

#define Q_SELECT                                                                                                 \
  "SELECT q.id, q.tracking_code, q.category_id, c.code AS category, c.name AS category_name, q.unit_id, "        \
  "u.name AS unit_name, q.title, q.body AS text, q.public_body AS published_text, q.address, q.address_id, "     \
  "q.lat, q.lng AS long, q.media_url, q.phone, q.attributes AS attributes__j, q.flags, q.state, "                 \
  "q.published AS published__b, q.moderation_note, q.source, q.asked_on, q.opened_on, q.deadline_days, "          \
  "q.due_date, q.reply, q.replied_on, q.replied_at, q.rating, q.rating_comment, q.reopens, q.closed_at, "         \
  "q.version, q.created_at, q.updated_at "                                                                       \
  "FROM questions q JOIN qa_categories c ON c.id = q.category_id JOIN units u ON u.id = q.unit_id "

/* Adds the derived fields (state name, flags as a list, escalation, days
 * overdue) and masks the phone unless `reveal`. */
static void finish(json_t *o, const calendar *cal, int32_t today, int reveal) {
  const char *state = json_string_value(json_object_get(o, "state"));
  int s = qa_index(qa_states, state);
  json_object_set_new(o, "state_name", json_string(qa_state_zh(s)));
  const char *ph = json_string_value(json_object_get(o, "phone"));
  if (ph && !reveal) {
    char buf[32];
    qa_mask_phone(ph, buf, sizeof buf);
    json_object_set_new(o, "phone", json_string(buf));
  }
  json_t *flags = json_array();
  const char *f = json_string_value(json_object_get(o, "flags"));
  while (f && *f) {
    const char *comma = strchr(f, ',');
    size_t n = comma ? (size_t)(comma - f) : strlen(f);
    json_array_append_new(flags, json_stringn(f, n));
    f += n + (comma ? 1 : 0);
  }
  json_object_set_new(o, "flags", flags);
  int level = 0, overdue = 0, late = 0;
  const char *opened = json_string_value(json_object_get(o, "opened_on"));
  const char *due = json_string_value(json_object_get(o, "due_date"));
  int32_t o0, d0;
  if (cal && opened && due && date_parse(opened, &o0) == 0 && date_parse(due, &d0) == 0 && qa_awaits_reply(s)) {
    int nd = (int)json_integer_value(json_object_get(o, "deadline_days"));
    level = problem_escalation_level(cal, o0, nd, today, 0);
    overdue = problem_days_overdue(cal, d0, today);
    late = today > d0; /* as problems: past the due date, whatever the working days since */
  }
  json_object_set_new(o, "escalation", json_integer(level));
  json_object_set_new(o, "days_overdue", json_integer(overdue));
  json_object_set_new(o, "overdue", json_boolean(late));
}

json_t *qa_question_json(db *d, arena *a, const calendar *cal, int32_t today, int64_t id, int reveal, int with_events) {
  (void)a;
  db_stmt *st = db_query(d, Q_SELECT "WHERE q.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (!o) return NULL;
  finish(o, cal, today, reveal);
  if (!with_events) return o;
  json_t *ev = json_array();
  st = db_query(d,
                "SELECT e.id, e.action, e.from_state, e.to_state, e.note, COALESCE(u.name, '') AS user_name, e.at "
                "FROM question_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.question_id = ? ORDER BY e.id",
                DBI(id));
  while (st && db_step(st) == DB_ROW) json_array_append_new(ev, db_row_json(st));
  db_done(st);
  json_object_set_new(o, "events", ev);
  return o;
}

int64_t qa_recent_count(db *d, arena *a, const char *ip, int64_t key_id) {
  const char *since = time_rfc3339(a, clock_now_ms() - 3600 * 1000LL);
  if (ip) return db_int1(d, 0, "SELECT COUNT(*) FROM questions WHERE ip = ? AND created_at > ?", DBT(ip), DBT(since));
  return db_int1(d, 0, "SELECT COUNT(*) FROM questions WHERE api_key_id = ? AND created_at > ?", DBI(key_id), DBT(since));
}

int64_t qa_insert(db *d, arena *a, const qa_new *q, char *code, size_t n) {
  db_stmt *st = db_query(d, "SELECT id, unit_id FROM qa_categories WHERE code = ? AND active = 1 ORDER BY id LIMIT 1", DBT(q->category_code));
  int64_t cat = 0, unit = 0;
  if (st && db_step(st) == DB_ROW) {
    cat = db_int(st, 0);
    unit = db_int(st, 1);
  }
  db_done(st);
  if (!cat) return 0;
  int32_t today = clock_today();
  unsigned char rnd[6];
  randombytes_buf(rnd, sizeof rnd);
  qa_tracking_code(today, rnd, code, n);
  char day[11], flags[96];
  date_format(today, day);
  strbuf all = STRBUF_INIT;
  sb_addf(&all, "%s\n%s", q->title, q->body);
  qa_flags_format(qa_moderate(sb_str(&all)), flags, sizeof flags);
  sb_release(&all);
  const char *now = now_rfc3339(a);
  st = db_query(d,
                "INSERT INTO questions (tracking_code, category_id, unit_id, title, body, address, address_id, lat, lng, "
                "media_url, phone, attributes, flags, state, source, api_key_id, ip, asked_on, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?) RETURNING id",
                DBT(code), DBI(cat), DBI(unit), DBT(q->title), DBT(q->body), DBT(q->address), DBT(q->address_id),
                q->has_location ? DBR(q->lat) : DBNULL, q->has_location ? DBR(q->lng) : DBNULL, DBT(q->media_url),
                DBT(q->phone), DBT(q->attributes), DBT(flags), DBT(q->source), q->api_key_id ? DBI(q->api_key_id) : DBNULL,
                DBT(q->ip), DBT(day), DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  if (id && db_exec(d, "INSERT INTO question_events (question_id, action, to_state, at) VALUES (?, 'ask', 'pending', ?)",
                    DBI(id), DBT(now)) != DB_OK)
    return 0;
  return id;
}

/* ---- the public submission ---- */

static const char *const ask_fields[] = {"category", "title", "text", "address", "lat", "long", "phone", "media_url", NULL};

/* Reads a number field in [min, max]; 1 when set. */
static int jcoord(req *r, json_t *in, const char *field, double min, double max, double *out) {
  json_t *v = json_object_get(in, field);
  if (!v || json_is_null(v)) return 0;
  if (!json_is_number(v) || json_number_value(v) < min || json_number_value(v) > max) {
    field_error(r, field, arena_printf(&r->a, "应为%g到%g之间的数", min, max),
                arena_printf(&r->a, "must be a number from %g to %g", min, max));
    return 0;
  }
  *out = json_number_value(v);
  return 1;
}

/* POST /api/v1/questions — anyone, logged in or not.  At most
 * QA_PER_IP_HOUR questions an hour from one address (429 after). */
static void question_ask(req *r) {
  json_t *in = req_json(r, ask_fields);
  if (!in) return;
  qa_new q = {.source = "web", .ip = r->ip};
  if (jstr(r, in, "category", 1, 64, &q.category_code) == JV_SET &&
      db_int1(r->db, 0, "SELECT 1 FROM qa_categories WHERE code = ? AND active = 1", DBT(q.category_code)) != 1)
    field_error(r, "category", "没有这个问政类别", "no such category");
  if (jstr(r, in, "title", 1, 100, &q.title) == JV_SET && strlen(q.title) < 4)
    field_error(r, "title", "标题太短（至少2个汉字）", "the title is too short (at least 2 Chinese characters)");
  if (jstr(r, in, "text", 1, 4000, &q.body) == JV_SET && strlen(q.body) < 10)
    field_error(r, "text", "内容太短，请说明具体情况（至少4个汉字）", "the text is too short: describe the matter (at least 4 Chinese characters)");
  if (jstr(r, in, "address", 0, 200, &q.address) == JV_SET && !*q.address) q.address = NULL;
  int has_lat = jcoord(r, in, "lat", -90, 90, &q.lat), has_lng = jcoord(r, in, "long", -180, 180, &q.lng);
  if (has_lat != has_lng) field_error(r, has_lat ? "long" : "lat", "纬度和经度须同时填写", "lat and long go together");
  q.has_location = has_lat && has_lng;
  int ps = jstr(r, in, "phone", 0, 20, &q.phone);
  if (ps == JV_SET && !*q.phone) q.phone = NULL;
  else if (ps == JV_SET && !qa_phone_ok(q.phone))
    field_error(r, "phone", "电话应为11位手机号或区号开头的固定电话", "must be an 11-digit mobile or a landline with area code");
  if (jstr(r, in, "media_url", 0, 500, &q.media_url) == JV_SET &&
      strncmp(q.media_url, "https://", 8) != 0 && strncmp(q.media_url, "http://", 7) != 0)
    field_error(r, "media_url", "照片链接应以http://或https://开头", "the photo link must start with http:// or https://");
  if (has_errors(r)) return reply_invalid(r);
  if (qa_recent_count(r->db, &r->a, r->ip, 0) >= QA_PER_IP_HOUR) {
    reply_header(r, "Retry-After", "3600");
    return reply_problem(r, 429, "提交过于频繁 / Too many questions",
                         "同一网络地址每小时最多提交5条问政，请稍后再试 / At most 5 questions an hour from one address; "
                         "please try again later");
  }
  char code[24];
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  int64_t id = qa_insert(r->db, &r->a, &q, code, sizeof code);
  rc = id ? DB_OK : db_errcode(r->db);
  json_t *after = json_pack("{s:I, s:s}", "id", (json_int_t)id, "tracking_code", code);
  if (rc == DB_OK) {
    /* the audit entry holds no personal data: the phone is not in it */
    json_t *what = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "tracking_code", code, "category",
                             q.category_code, "title", q.title);
    rc = audit_log(r, "create", "question", id, NULL, what);
    json_decref(what);
  }
  commit_reply(r, rc, NULL, after, 201);
}

/* ---- the staff side ---- */

/* GET /api/v1/questions?state&category&unit&q&overdue&flagged&page&per_page&sort&format
 * The office and leaders see every question; a department its own unit's
 * and sub-units'.  Phones are masked here and in the export. */
static void questions_list(req *r) {
  static const char *const sorts[] = {"asked_on", "q.created_at", "due_date", "q.due_date", "state", "q.state",
                                      "category", "c.code", "unit_name", "u.name", "rating", "q.rating", NULL};
  page pg;
  req_page(r, &pg);
  const char *state = qenum(r, "state", qa_states);
  int64_t unit = qint(r, "unit", 1, INT64_MAX, 0);
  int64_t overdue = qint(r, "overdue", 0, 1, 0), flagged = qint(r, "flagged", 0, 1, 0);
  const char *cat = req_arg(r, "category"), *q = req_arg(r, "q");
  const char *order = req_sort(r, sorts, "q.created_at DESC, q.id DESC");
  if (has_errors(r)) return reply_invalid(r);
  char today[11];
  date_format(clock_today(), today);
  strbuf w = STRBUF_INIT;
  db_val args[16];
  int n = 0;
  scope_filter(r, "q.unit_id", &w, args, &n);
  if (state) db_where_text(&w, args, &n, " AND q.state = ?", state);
  if (unit) db_where_int(&w, args, &n, " AND q.unit_id = ?", unit);
  if (cat && *cat) db_where_text(&w, args, &n, " AND c.code = ?", cat);
  if (overdue) db_where_text(&w, args, &n, " AND q.state IN ('open', 'accepted', 'in_progress', 'reopened') AND q.due_date < ?", today);
  if (flagged) sb_adds(&w, " AND q.flags <> ''");
  if (q && *q) {
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    sb_adds(&w, " AND (q.title LIKE ? OR q.body LIKE ? OR q.tracking_code LIKE ?)");
    args[n++] = DBT(like);
    args[n++] = DBT(like);
    args[n++] = DBT(like);
  }
  const char *where = sql_where(&r->a, sb_str(&w));
  sb_release(&w);
  /* the joins are one-to-one (foreign keys): counted without them unless a category filters */
  int64_t total = db_int1v(r->db, -1,
                           arena_printf(&r->a, "SELECT COUNT(*) FROM questions q%s %s",
                                        cat && *cat ? " JOIN qa_categories c ON c.id = q.category_id" : "", where),
                           n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, Q_SELECT "%s ORDER BY %s LIMIT ? OFFSET ?", where, order), n, args);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  size_t i;
  json_t *it;
  const calendar *cal = req_calendar(r);
  json_array_foreach(items, i, it) finish(it, cal, clock_today(), 0);
  reply_list(r, items, total, &pg);
}

/* The question's unit, or 0 after replying 404 when it is absent or out of
 * the user's scope (the same answer: out of scope is not there). */
static int64_t open_question(req *r, int64_t id) {
  int64_t unit = db_int1(r->db, 0, "SELECT unit_id FROM questions WHERE id = ?", DBI(id));
  if (!unit || !scope_can_read_unit(r, unit)) {
    reply_not_found(r, "问政", "question");
    return 0;
  }
  return unit;
}

/* The actor the user is for a question routed to `unit`: the office, the
 * department (a unit user whose scope holds it), or 0 (read only). */
static int actor_of(req *r, int64_t unit) {
  if (scope_writes_all(r)) return QACT_OFFICE;
  if (has_role(r, ROLE_UNIT) && scope_can_write_unit(r, unit)) return QACT_HANDLER;
  return 0;
}

static void etag(req *r, json_t *o) {
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
}

/* GET /api/v1/questions/{id}[?reveal=1] — reveal is for the office and the
 * handling department, and is itself audited. */
static void question_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  int64_t reveal = qint(r, "reveal", 0, 1, 0);
  if (has_errors(r)) return reply_invalid(r);
  int64_t unit = open_question(r, id);
  if (!unit) return;
  int actor = actor_of(r, unit);
  if (reveal && !actor) return reply_forbidden(r, "只有项目办和承办部门可以查看完整电话", "only the office and the handling department may reveal the phone");
  json_t *o = qa_question_json(r->db, &r->a, req_calendar(r), clock_today(), id, reveal != 0, 1);
  if (!o) return reply_db_error(r, db_errcode(r->db));
  json_object_set_new(o, "can_reveal", json_boolean(actor != 0));
  json_object_set_new(o, "can_moderate", json_boolean(actor == QACT_OFFICE));
  json_object_set_new(o, "can_reply", json_boolean(actor != 0));
  etag(r, o);
  if (!reveal) return reply_json(r, 200, o);
  json_t *what = json_pack("{s:[s]}", "revealed", "phone");
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = audit_log(r, "read", "question", id, NULL, what);
  json_decref(what);
  commit_reply(r, rc, NULL, o, 200);
}

static const char *const action_fields[] = {"action", "note", "unit_id", "publish", "redact", "version", NULL};
static const char *const staff_actions[] = {"approve", "reject", "accept", "comment", "reply", "close", "reopen", NULL};

/* POST /api/v1/questions/{id}/actions {action, note?, unit_id?, publish?, redact?, version?}
 *   approve (office): publishes (publish, default true) the text, redacted
 *     of ID numbers and phones when redact (default: when flagged), routes
 *     to the category's department or unit_id, due in its working days;
 *   reject (office, note: the reason); then the shared loop (loop.h):
 *   accept, comment (note; the department's first starts the work),
 *   reply (note: the reply, published with the question) by the department
 *   or the office; close and reopen (note) by the office. */
static void question_action(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, action_fields);
  if (!in) return;
  int64_t unit = open_question(r, id);
  if (!unit) return;
  int actor = actor_of(r, unit);
  if (!actor) return reply_forbidden(r, "只读用户不能办理问政", "read-only users may not act on questions");
  const char *action = NULL, *note = NULL;
  int64_t new_unit = 0;
  int publish = 1, redact = -1;
  jenum(r, in, "action", 1, staff_actions, &action);
  if (jstr(r, in, "note", 0, 4000, &note) == JV_SET && !*note) note = NULL;
  if (jint(r, in, "unit_id", 0, 1, INT64_MAX, &new_unit) == JV_SET &&
      db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ?", DBI(new_unit)) != 1)
    field_error(r, "unit_id", "单位不存在", "no such unit");
  jbool(r, in, "publish", 0, &publish);
  jbool(r, in, "redact", 0, &redact);
  int64_t version = req_version(r, in);
  if (has_errors(r)) return reply_invalid(r);
  int a = qa_index(qa_actions, action);
  if (new_unit && a != QA_APPROVE)
    field_error(r, "unit_id", "只有审核通过时可以改派承办部门", "the department is chosen only when approving");
  if (has_errors(r)) return reply_invalid(r);
  json_t *before = qa_question_json(r->db, &r->a, req_calendar(r), clock_today(), id, 0, 0);
  if (!before) return reply_db_error(r, db_errcode(r->db));
  int state = qa_index(qa_states, json_string_value(json_object_get(before, "state")));
  qa_step step = {.state = state, .action = a, .actor = actor, .has_text = note != NULL,
                  .rated = json_is_integer(json_object_get(before, "rating"))};
  int next = -1, why = qa_next(&step, &next);
  if (why != QR_OK) {
    json_decref(before);
    if (why == QR_WRONG_STATE || why == QR_RATED) return reply_problem(r, 409, "状态冲突 / State conflict", arena_printf(&r->a, "%s / %s", qa_why_zh(why), qa_why_en(why)));
    if (why == QR_ACTOR) return reply_forbidden(r, qa_why_zh(why), qa_why_en(why));
    field_error(r, qa_why_field(why), qa_why_zh(why), qa_why_en(why));
    return reply_invalid(r);
  }
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  const char *now = now_rfc3339(&r->a);
  char today[11];
  date_format(clock_today(), today);
  int rc = db_begin(r->db);
  if (rc == DB_OK && a == QA_APPROVE) {
    int64_t deadline = db_int1(r->db, 5, "SELECT c.deadline_days FROM questions q JOIN qa_categories c ON c.id = q.category_id WHERE q.id = ?", DBI(id));
    char due[11];
    date_format(calendar_add_working_days(req_calendar(r), clock_today(), (int)deadline), due);
    const char *text = json_string_value(json_object_get(before, "text"));
    if (redact < 0) redact = json_array_size(json_object_get(before, "flags")) > 0;
    const char *pub = redact ? qa_redact(&r->a, text) : text;
    rc = db_exec(r->db,
                 "UPDATE questions SET state = 'open', published = ?, public_body = ?, moderation_note = ?, unit_id = ?, "
                 "opened_on = ?, opened_at = ?, deadline_days = ?, due_date = ?, version = version + 1, updated_at = ? "
                 "WHERE id = ? AND version = ?",
                 DBI(publish ? 1 : 0), DBT(pub), DBT(note), DBI(new_unit ? new_unit : unit), DBT(today), DBT(now),
                 DBI(deadline), DBT(due), DBT(now), DBI(id), DBI(version));
  } else if (rc == DB_OK && a == QA_REPLY) {
    rc = db_exec(r->db,
                 "UPDATE questions SET state = 'replied', reply = ?, replied_on = ?, replied_at = ?, version = version + 1, "
                 "updated_at = ? WHERE id = ? AND version = ?",
                 DBT(note), DBT(today), DBT(now), DBT(now), DBI(id), DBI(version));
  } else if (rc == DB_OK) {
    rc = db_exec(r->db,
                 "UPDATE questions SET state = ?, moderation_note = CASE WHEN ? = 'rejected' THEN ? ELSE moderation_note END, "
                 "closed_at = CASE WHEN ? = 'closed' THEN ? ELSE closed_at END, reopens = reopens + ?, "
                 "version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                 DBT(qa_states[next]), DBT(qa_states[next]), DBT(note), DBT(qa_states[next]), DBT(now),
                 DBI(a == QA_REOPEN ? 1 : 0), DBT(now), DBI(id), DBI(version));
  }
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict",
                         "该问政已被他人办理，请刷新后重试 / The question was changed by someone else; reload and retry");
  }
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "INSERT INTO question_events (question_id, action, from_state, to_state, note, user_id, at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                 DBI(id), DBT(action), DBT(qa_states[state]), DBT(qa_states[next]), DBT(note), DBI(r->user.id), DBT(now));
  json_t *after = rc == DB_OK ? qa_question_json(r->db, &r->a, req_calendar(r), clock_today(), id, 0, 1) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "question", id, before, after) : db_errcode(r->db);
  if (rc == DB_OK) {
    /* what the user may do next, as question_get answers (not in the audit entry) */
    json_object_set_new(after, "can_reveal", json_boolean(1));
    json_object_set_new(after, "can_moderate", json_boolean(actor == QACT_OFFICE));
    json_object_set_new(after, "can_reply", json_boolean(1));
    etag(r, after);
  }
  commit_reply(r, rc, before, after, 200);
}

int qa_overdue_questions(db *d, arena *a, const char *date, int cap, qa_overdue **out) {
  *out = NULL;
  db_stmt *st = db_query(d,
                         "SELECT q.id, q.tracking_code, q.title, u.name, q.due_date, q.asked_on, q.opened_on, q.deadline_days "
                         "FROM questions q JOIN units u ON u.id = q.unit_id WHERE q.state IN ('open', 'accepted', 'in_progress', 'reopened') "
                         "AND q.due_date < ? ORDER BY q.due_date, q.id LIMIT ?",
                         DBT(date), DBI(cap));
  if (!st) return -1;
  const calendar *cal = cal_acquire(d);
  int32_t today = 0;
  date_parse(date, &today);
  qa_overdue *v = arena_alloc(a, sizeof *v * (size_t)(cap > 0 ? cap : 1));
  int n = 0;
  while (n < cap && db_step(st) == DB_ROW) {
    qa_overdue *e = &v[n++];
    e->id = db_int(st, 0);
    e->code = arena_strdup(a, db_text(st, 1));
    e->title = arena_strdup(a, db_text(st, 2));
    e->unit = arena_strdup(a, db_text(st, 3));
    e->due_date = arena_strdup(a, db_text(st, 4));
    e->asked_on = arena_strdup(a, db_text(st, 5));
    int32_t o0 = 0;
    date_parse(db_text(st, 6), &o0);
    e->level = cal ? problem_escalation_level(cal, o0, (int)db_int(st, 7), today, 0) : 0;
  }
  db_done(st);
  cal_release(cal);
  /* the most escalated first, then the oldest (stable within a level) */
  for (int i = 1; i < n; i++)
    for (int k = i; k > 0 && v[k].level > v[k - 1].level; k--) {
      qa_overdue t = v[k];
      v[k] = v[k - 1];
      v[k - 1] = t;
    }
  *out = v;
  return n;
}

static const route question_routes[] = {
    ROUTE("POST", "/api/v1/questions", question_ask, ROLES_NONE, "网络问政：提问（无需登录）/ Ask a question (no login)", 16384),
    ROUTE("GET", "/api/v1/questions", questions_list, QA_STAFF, "问政列表（审核、承办）/ Questions: moderation queue and inbox", 0,
          DOM_QUESTIONS),
    ROUTE("GET", "/api/v1/questions/{id}", question_get, QA_STAFF, "问政详情 / One question", 0),
    ROUTE("POST", "/api/v1/questions/{id}/actions", question_action, QA_STAFF, "问政办理：审核、受理、答复、办结 / Act on a question", 16384),
    {0},
};

static const module qa_questions_module = {"qa_questions", 70, question_routes, NULL, NULL, NULL};
MODULE_REGISTER(qa_questions_module)
