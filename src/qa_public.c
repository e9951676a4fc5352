/*
 * qa_public.c — the public side of online questions (网络问政 · 马上就办),
 * no login needed: the categories to ask in, the published questions with
 * their replies (searchable by category, department and words), one's own
 * question followed by its tracking code, and the asker's feedback: a
 * satisfaction rating that closes it, or a reopening with the reason.
 * No phone, address identifier or asking address is ever in these answers.
 *
 * GET  /api/v1/public/qa-categories
 * GET  /api/v1/public/questions?category&unit&q&page&per_page
 * GET  /api/v1/public/questions/{code}
 * POST /api/v1/public/questions/{code}/feedback {rating, comment?} | {reopen: true, comment}
 *      (the asker is the loop's raiser, loop.h: a rating closes a replied question and rates it)
 */
#include <string.h>

#include "auth.h"
#include "clock.h"
#include "http.h"
#include "qa.h"

/* The published text (redacted by moderation) stands in for the text. */
#define PUB_SELECT                                                                                              \
  "SELECT q.tracking_code, c.code AS category, c.name AS category_name, u.id AS unit_id, u.name AS unit_name, " \
  "q.title, COALESCE(q.public_body, '') AS text, q.address, q.lat, q.lng AS long, q.media_url, q.state, "     \
  "q.asked_on, q.due_date, q.reply, q.replied_on, q.rating, q.rating_comment, q.created_at, q.updated_at "    \
  "FROM questions q JOIN qa_categories c ON c.id = q.category_id JOIN units u ON u.id = q.unit_id "

static void public_finish(json_t *o, int owner, int published) {
  int s = qa_index(qa_states, json_string_value(json_object_get(o, "state")));
  json_object_set_new(o, "state_name", json_string(qa_state_zh(s)));
  json_object_set_new(o, "status", json_string(qa_open311_status(s)));
  if (!published) {
    /* not (yet) published: only its asker sees where it stands, not its text */
    json_object_set_new(o, "text", json_string(""));
    json_object_del(o, "address");
    json_object_del(o, "lat");
    json_object_del(o, "long");
    json_object_del(o, "media_url");
  }
  int rated = json_is_integer(json_object_get(o, "rating"));
  json_object_set_new(o, "can_rate", json_boolean(owner && (s == QS_REPLIED || (s == QS_CLOSED && !rated))));
  json_object_set_new(o, "can_reopen", json_boolean(owner && (s == QS_REPLIED || s == QS_CLOSED)));
}

json_t *qa_public_json(db *d, arena *a, const char *code, int owner) {
  (void)a;
  db_stmt *st = db_query(d,
                "SELECT q.tracking_code, c.code AS category, c.name AS category_name, u.id AS unit_id, u.name AS unit_name, "
                "q.title, COALESCE(q.public_body, '') AS text, q.address, q.lat, q.lng AS long, q.media_url, q.state, "
                "q.asked_on, q.due_date, q.reply, q.replied_on, q.rating, q.rating_comment, q.created_at, q.updated_at, "
                "q.published, q.moderation_note "
                "FROM questions q JOIN qa_categories c ON c.id = q.category_id JOIN units u ON u.id = q.unit_id "
                "WHERE q.tracking_code = ?",
                DBT(code));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (!o) return NULL;
  int published = json_integer_value(json_object_get(o, "published")) == 1;
  json_object_del(o, "published");
  if (strcmp(json_string_value(json_object_get(o, "state")), "rejected") != 0) json_object_del(o, "moderation_note");
  json_object_set_new(o, "published", json_boolean(published));
  public_finish(o, owner, published);
  return o;
}

/* GET /api/v1/public/qa-categories — the categories to ask in, with the
 * answering department and its deadline. */
static void public_categories(req *r) {
  db_stmt *st = db_query0(r->db,
                          "SELECT c.code, c.name, c.description, c.grp AS \"group\", u.name AS unit_name, c.deadline_days "
                          "FROM qa_categories c JOIN units u ON u.id = c.unit_id WHERE c.active = 1 ORDER BY c.sort_order, c.id");
  json_t *items = db_rows_json(r, st, 0);
  if (!items) return;
  reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/v1/public/questions?category&unit&q&page&per_page — published
 * questions, newest first. */
static void public_list(req *r) {
  page pg;
  req_page(r, &pg);
  int64_t unit = qint(r, "unit", 1, INT64_MAX, 0);
  const char *cat = req_arg(r, "category"), *q = req_arg(r, "q");
  int64_t answered = qint(r, "answered", 0, 1, 0);
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val args[12];
  int n = 0;
  sb_adds(&w, "WHERE q.published = 1 AND q.state <> 'rejected'");
  if (unit) db_where_int(&w, args, &n, " AND q.unit_id = ?", unit);
  if (cat && *cat) db_where_text(&w, args, &n, " AND c.code = ?", cat);
  if (answered) sb_adds(&w, " AND q.reply IS NOT NULL");
  if (q && *q) {
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    sb_adds(&w, " AND (q.title LIKE ? OR q.public_body LIKE ? OR q.reply LIKE ?)");
    args[n++] = DBT(like);
    args[n++] = DBT(like);
    args[n++] = DBT(like);
  }
  const char *where = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  int64_t total = db_int1v(r->db, -1,
                           arena_printf(&r->a,
                                        "SELECT COUNT(*) FROM questions q JOIN qa_categories c ON c.id = q.category_id %s",
                                        where),
                           n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, PUB_SELECT "%s ORDER BY q.created_at DESC, q.id DESC LIMIT ? OFFSET ?", where),
                           n, args);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) public_finish(it, 0, 1);
  reply_list(r, items, total, &pg);
}

/* GET /api/v1/public/questions/{code} — the tracking code is the asker's
 * key: the state of an unpublished question, the whole of a published one. */
static void public_get(req *r) {
  const char *code = r->params[0];
  if (!qa_tracking_code_ok(code)) return reply_not_found(r, "问政", "question");
  json_t *o = qa_public_json(r->db, &r->a, code, 1);
  if (!o) return reply_not_found(r, "问政", "question");
  reply_json(r, 200, o);
}

static const char *const feedback_fields[] = {"rating", "comment", "reopen", NULL};

/* POST /api/v1/public/questions/{code}/feedback {rating, comment?} closes a
 * replied question with the asker's rating (1–5); {reopen: true, comment}
 * sends it back to the department with the reason. */
static void public_feedback(req *r) {
  const char *code = r->params[0];
  if (!qa_tracking_code_ok(code)) return reply_not_found(r, "问政", "question");
  json_t *in = req_json(r, feedback_fields);
  if (!in) return;
  int64_t rating = 0;
  int reopen = 0;
  const char *comment = NULL;
  jint(r, in, "rating", 0, -1000, 1000, &rating);
  if (jstr(r, in, "comment", 0, 1000, &comment) == JV_SET && !*comment) comment = NULL;
  jbool(r, in, "reopen", 0, &reopen);
  if (has_errors(r)) return reply_invalid(r);
  db_stmt *st = db_query(r->db, "SELECT id, state, version, rating FROM questions WHERE tracking_code = ?", DBT(code));
  int64_t id = 0, version = 0;
  int state = -1, rated = 0;
  if (st && db_step(st) == DB_ROW) {
    id = db_int(st, 0);
    state = qa_index(qa_states, db_text(st, 1));
    version = db_int(st, 2);
    rated = !db_isnull(st, 3);
  }
  db_done(st);
  if (!id) return reply_not_found(r, "问政", "question");
  /* a rating of a replied question closes it first (the loop's close, then rate) */
  qa_step step = {.state = state, .action = reopen ? QA_REOPEN : QA_CLOSE, .actor = QACT_ASKER, .has_text = comment != NULL,
                  .rating = (int)rating, .rated = rated};
  int next = state, why = QR_OK;
  if (reopen || state != QS_CLOSED) why = qa_next(&step, &next);
  if (why == QR_OK && !reopen) {
    step.state = next;
    step.action = QA_RATE;
    why = qa_next(&step, &next);
  }
  if (why == QR_WRONG_STATE || why == QR_RATED)
    return reply_problem(r, 409, "状态冲突 / State conflict",
                         "只有已答复或已办结未评价的问政可以评价，已答复或已办结的可以要求重新办理 / Only a replied (or closed, "
                         "unrated) question can be rated, and a replied or closed one reopened");
  if (why != QR_OK) {
    field_error(r, why == QR_NO_TEXT ? "comment" : qa_why_field(why), qa_why_zh(why), qa_why_en(why));
    return reply_invalid(r);
  }
  json_t *before = qa_public_json(r->db, &r->a, code, 1);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = reopen ? db_exec(r->db,
                          "UPDATE questions SET state = 'reopened', reopens = reopens + 1, rating_comment = ?, "
                          "version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                          DBT(comment), DBT(now), DBI(id), DBI(version))
                : db_exec(r->db,
                          "UPDATE questions SET state = 'closed', rating = ?, rating_comment = ?, "
                          "closed_at = COALESCE(closed_at, ?), version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                          DBI(rating), DBT(comment), DBT(now), DBT(now), DBI(id), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict", "请刷新后重试 / Reload and retry");
  }
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "INSERT INTO question_events (question_id, action, from_state, to_state, note, at) VALUES (?, ?, ?, ?, ?, ?)",
                 DBI(id), DBT(reopen ? "reopen" : "rate"), DBT(qa_states[state]), DBT(qa_states[next]),
                 DBT(reopen ? comment : arena_printf(&r->a, "%lld%s%s", (long long)rating, comment ? " " : "", comment ? comment : "")),
                 DBT(now));
  json_t *after = rc == DB_OK ? qa_public_json(r->db, &r->a, code, 1) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "question", id, before, after) : db_errcode(r->db);
  commit_reply(r, rc, before, after, 200);
}

static const route public_routes[] = {
    ROUTE("GET", "/api/v1/public/qa-categories", public_categories, ROLES_NONE, "问政类别（公开）/ Question categories (public)", 0),
    ROUTE("GET", "/api/v1/public/questions", public_list, ROLES_NONE, "已公开的问政与答复 / Published questions and replies", 0),
    ROUTE("GET", "/api/v1/public/questions/{code}", public_get, ROLES_NONE, "按查询码查看问政 / Follow a question by its number", 0),
    ROUTE("POST", "/api/v1/public/questions/{code}/feedback", public_feedback, ROLES_NONE,
          "评价或要求重新办理 / Rate or reopen a replied question", 8192),
    {0},
};

static const module qa_public_module = {"qa_public", 71, public_routes, NULL, NULL, NULL};
MODULE_REGISTER(qa_public_module)
