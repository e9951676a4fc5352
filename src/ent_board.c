/*
 * ent_board.c — the supply–demand board 供需对接: an enterprise posts what
 * it needs or offers (products, capacity, jobs, land or plant); other
 * enterprises respond; the office matches a post with an enterprise, and
 * the poster or the office closes it.  The posts are open to everyone at
 * work (that is the point of a board); a response is seen by the poster,
 * the office and the enterprise that wrote it, not by its competitors.
 *
 * GET   /api/v1/board-posts?kind&category&state&enterprise_id&q&page&per_page&sort&format
 * GET   /api/v1/board-posts/{id}                       with the responses the caller may see
 * POST  /api/v1/board-posts {kind,category,title,text,enterprise_id}
 * PATCH /api/v1/board-posts/{id} {title,text,state:"closed",version}     the poster or the office
 * POST  /api/v1/board-posts/{id}/responses {text,enterprise_id}         another enterprise
 * POST  /api/v1/board-posts/{id}/match {enterprise_id,note,version}     the office
 */
#include <string.h>

#include "auth.h"
#include "ent.h"
#include "http.h"

static const char *const kinds[] = {"need", "offer", NULL};
static const char *const categories[] = {"products", "capacity", "jobs", "land", "other", NULL};
static const char *const post_states[] = {"open", "matched", "closed", NULL};

#define POST_SELECT                                                                                                  \
  "SELECT b.id, b.enterprise_id, e.name AS enterprise_name, b.kind, b.category, b.title, b.text, b.state, "          \
  "b.matched_enterprise_id, m.name AS matched_enterprise_name, b.match_note, b.version, b.created_at, b.updated_at, " \
  "(SELECT COUNT(*) FROM board_responses r WHERE r.post_id = b.id) AS responses "                                     \
  "FROM board_posts b JOIN enterprises e ON e.id = b.enterprise_id LEFT JOIN enterprises m ON m.id = b.matched_enterprise_id "

static json_t *post_json(db *d, int64_t id) {
  db_stmt *st = db_query(d, POST_SELECT "WHERE b.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  return o;
}

static void etag(req *r, json_t *o) {
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
}

/* The enterprise a caller acts for: its own (enterprise users), else the
 * one named, which the caller must serve (commissioner) or the office. */
static int64_t acting_enterprise(req *r, json_t *in) {
  int64_t ent = 0;
  if (has_role(r, ROLE_ENTERPRISE)) return ent_id_of_unit(r->db, r->user.unit_id);
  if (jint(r, in, "enterprise_id", 1, 1, INT64_MAX, &ent) != JV_SET) return 0;
  if (!ent_can_read(r, ent)) {
    field_error(r, "enterprise_id", "企业不存在", "no such enterprise");
    return 0;
  }
  if (!scope_writes_all(r) && !ent_is_commissioner(r, ent)) {
    field_error(r, "enterprise_id", "只能代所服务的企业发布", "you may act only for the enterprises you serve");
    return 0;
  }
  return ent;
}

/* GET /api/v1/board-posts?kind&category&state&enterprise_id&q&page&per_page&sort&format */
static void posts_list(req *r) {
  static const char *const sorts[] = {"created_at", "b.id", "title", "b.title", "enterprise_name", "e.name", NULL};
  page pg;
  req_page(r, &pg);
  const char *kind = qenum(r, "kind", kinds), *cat = qenum(r, "category", categories), *state = qenum(r, "state", post_states);
  int64_t ent = qint(r, "enterprise_id", 1, INT64_MAX, 0);
  const char *q = req_arg(r, "q");
  const char *order = req_sort(r, sorts, "b.id DESC");
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val args[12];
  int n = 0;
  sb_adds(&w, "WHERE 1 = 1");
  if (kind) db_where_text(&w, args, &n, " AND b.kind = ?", kind);
  if (cat) db_where_text(&w, args, &n, " AND b.category = ?", cat);
  if (state) db_where_text(&w, args, &n, " AND b.state = ?", state);
  if (ent) db_where_int(&w, args, &n, " AND b.enterprise_id = ?", ent);
  if (q && *q) {
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    sb_adds(&w, " AND (b.title LIKE ? OR b.text LIKE ? OR e.name LIKE ?)");
    args[n++] = DBT(like);
    args[n++] = DBT(like);
    args[n++] = DBT(like);
  }
  const char *where = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) FROM board_posts b JOIN enterprises e ON e.id = b.enterprise_id %s", where), n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  reply_rows(r, db_prepare(r->db, arena_printf(&r->a, POST_SELECT "%s ORDER BY %s LIMIT ? OFFSET ?", where, order), n, args), total, &pg);
}

/* 1 when the caller speaks for the post's enterprise (itself or its commissioner). */
static int is_poster(req *r, int64_t ent) { return ent_is_self(r, ent) || ent_is_commissioner(r, ent); }

/* GET /api/v1/board-posts/{id} — responses: all for the poster and the
 * office; an enterprise sees its own. */
static void post_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *o = post_json(r->db, id);
  if (!o) return reply_not_found(r, "供需信息", "post");
  int64_t ent = json_integer_value(json_object_get(o, "enterprise_id"));
  int all = scope_reads_all(r) || is_poster(r, ent);
  int64_t mine = has_role(r, ROLE_ENTERPRISE) ? ent_id_of_unit(r->db, r->user.unit_id) : 0;
#define RESP_SELECT                                                                                         \
  "SELECT r.id, r.enterprise_id, e.name AS enterprise_name, r.text, r.created_at FROM board_responses r " \
  "JOIN enterprises e ON e.id = r.enterprise_id WHERE r.post_id = ?"
  db_stmt *st = all ? db_query(r->db, RESP_SELECT " ORDER BY r.id", DBI(id))
                    : db_query(r->db, RESP_SELECT " AND r.enterprise_id = ? ORDER BY r.id", DBI(id), DBI(mine));
  json_t *rs = json_array();
  while (st && db_step(st) == DB_ROW) json_array_append_new(rs, db_row_json(st));
  db_done(st);
  json_object_set_new(o, "response_list", rs);
  json_object_set_new(o, "can_edit", json_boolean(scope_writes_all(r) || is_poster(r, ent)));
  json_object_set_new(o, "can_match", json_boolean(scope_writes_all(r)));
  json_object_set_new(o, "can_respond", json_boolean(mine && mine != ent && strcmp(json_string_value(json_object_get(o, "state")), "open") == 0));
  etag(r, o);
  reply_json(r, 200, o);
}

static const char *const post_fields[] = {"kind", "category", "title", "text", "enterprise_id", NULL};

/* POST /api/v1/board-posts — an enterprise for itself, its commissioner or the office for it. */
static void post_create(req *r) {
  json_t *in = req_json(r, post_fields);
  if (!in) return;
  const char *kind = NULL, *cat = NULL, *title = NULL, *text = NULL;
  int64_t ent = acting_enterprise(r, in);
  jenum(r, in, "kind", 1, kinds, &kind);
  jenum(r, in, "category", 1, categories, &cat);
  if (jstr(r, in, "title", 1, 100, &title) == JV_SET && !*title) field_error(r, "title", "不能为空", "must not be empty");
  if (jstr(r, in, "text", 1, 4000, &text) == JV_SET && !*text) field_error(r, "text", "不能为空", "must not be empty");
  if (!ent && !has_errors(r)) field_error(r, "enterprise_id", "必填", "required");
  if (has_errors(r)) return reply_invalid(r);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO board_posts (enterprise_id, kind, category, title, text, posted_by, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBI(ent), DBT(kind), DBT(cat), DBT(title), DBT(text), DBI(r->user.id), DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  if (!id) rc = db_errcode(r->db);
  json_t *after = rc == DB_OK ? post_json(r->db, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "create", "board_post", id, NULL, after) : db_errcode(r->db);
  if (after) etag(r, after);
  commit_reply(r, rc, NULL, after, 201);
}

/* PATCH /api/v1/board-posts/{id} {title, text, state:"closed", version} */
static void post_patch(req *r) {
  static const char *const fields[] = {"title", "text", "state", "version", NULL};
  static const char *const closing[] = {"closed", NULL};
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, fields);
  if (!in) return;
  json_t *before = post_json(r->db, id);
  if (!before) return reply_not_found(r, "供需信息", "post");
  if (!scope_writes_all(r) && !is_poster(r, json_integer_value(json_object_get(before, "enterprise_id")))) {
    json_decref(before);
    return reply_forbidden(r, "只有发布企业或项目办可以修改", "only the posting enterprise or the office may change it");
  }
  const char *title = json_string_value(json_object_get(before, "title")), *text = json_string_value(json_object_get(before, "text"));
  const char *state = json_string_value(json_object_get(before, "state"));
  if (jstr(r, in, "title", 0, 100, &title) == JV_SET && !*title) field_error(r, "title", "不能为空", "must not be empty");
  if (jstr(r, in, "text", 0, 4000, &text) == JV_SET && !*text) field_error(r, "text", "不能为空", "must not be empty");
  jenum(r, in, "state", 0, closing, &state);
  int64_t version = req_version(r, in);
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db, "UPDATE board_posts SET title = ?, text = ?, state = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                 DBT(title), DBT(text), DBT(state), DBT(now), DBI(id), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict", "该信息已被他人修改，请刷新后重试 / The post was changed; reload and retry");
  }
  json_t *after = rc == DB_OK ? post_json(r->db, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "board_post", id, before, after) : db_errcode(r->db);
  if (after) etag(r, after);
  commit_reply(r, rc, before, after, 200);
}

/* POST /api/v1/board-posts/{id}/responses {text, enterprise_id} — another
 * enterprise (for itself, or its commissioner / the office for it), while
 * the post is open. */
static void response_create(req *r) {
  static const char *const fields[] = {"text", "enterprise_id", NULL};
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, fields);
  if (!in) return;
  json_t *post = post_json(r->db, id);
  if (!post) return reply_not_found(r, "供需信息", "post");
  int64_t owner = json_integer_value(json_object_get(post, "enterprise_id"));
  int open = strcmp(json_string_value(json_object_get(post, "state")), "open") == 0;
  json_decref(post);
  const char *text = NULL;
  int64_t ent = acting_enterprise(r, in);
  if (jstr(r, in, "text", 1, 2000, &text) == JV_SET && !*text) field_error(r, "text", "不能为空", "must not be empty");
  if (!ent && !has_errors(r)) field_error(r, "enterprise_id", "必填", "required");
  if (ent && ent == owner) field_error(r, "enterprise_id", "不能响应本企业发布的信息", "an enterprise cannot respond to its own post");
  if (has_errors(r)) return reply_invalid(r);
  if (!open) return reply_problem(r, 409, "信息已对接或关闭 / Not open", "该信息已对接或关闭，不能再响应 / The post is matched or closed");
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO board_responses (post_id, enterprise_id, text, user_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                         DBI(id), DBI(ent), DBT(text), DBI(r->user.id), DBT(now));
  int64_t rid = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  if (!rid) rc = db_errcode(r->db);
  json_t *after = json_pack("{s:I, s:I, s:I, s:s}", "id", (json_int_t)rid, "post_id", (json_int_t)id, "enterprise_id", (json_int_t)ent, "text", text);
  if (rc == DB_OK) rc = audit_log(r, "create", "board_response", rid, NULL, after);
  commit_reply(r, rc, NULL, after, 201);
}

/* POST /api/v1/board-posts/{id}/match {enterprise_id, note, version} — the
 * office pairs an open post with an enterprise (usually one that responded). */
static void post_match(req *r) {
  static const char *const fields[] = {"enterprise_id", "note", "version", NULL};
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, fields);
  if (!in) return;
  json_t *before = post_json(r->db, id);
  if (!before) return reply_not_found(r, "供需信息", "post");
  int64_t ent = 0;
  const char *note = NULL;
  if (jint(r, in, "enterprise_id", 1, 1, INT64_MAX, &ent) == JV_SET) {
    if (db_int1(r->db, 0, "SELECT 1 FROM enterprises WHERE id = ?", DBI(ent)) != 1) field_error(r, "enterprise_id", "企业不存在", "no such enterprise");
    else if (ent == json_integer_value(json_object_get(before, "enterprise_id")))
      field_error(r, "enterprise_id", "不能与发布企业自身对接", "a post cannot be matched with its own enterprise");
  }
  if (jstr(r, in, "note", 0, 500, &note) != JV_SET || !*note) note = NULL;
  int64_t version = req_version(r, in);
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }
  if (strcmp(json_string_value(json_object_get(before, "state")), "open") != 0) {
    json_decref(before);
    return reply_problem(r, 409, "信息已对接或关闭 / Not open", "只能对接开放中的信息 / Only an open post can be matched");
  }
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "UPDATE board_posts SET state = 'matched', matched_enterprise_id = ?, match_note = ?, version = version + 1, updated_at = ? "
                 "WHERE id = ? AND version = ? AND state = 'open'",
                 DBI(ent), DBT(note), DBT(now), DBI(id), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict", "该信息已被他人修改，请刷新后重试 / The post was changed; reload and retry");
  }
  json_t *after = rc == DB_OK ? post_json(r->db, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "board_post", id, before, after) : db_errcode(r->db);
  if (after) etag(r, after);
  commit_reply(r, rc, before, after, 200);
}

static const route board_routes[] = {
    ROUTE("GET", "/api/v1/board-posts", posts_list, ENT_READERS, "供需对接 / Supply–demand board", 0),
    ROUTE("GET", "/api/v1/board-posts/{id}", post_get, ENT_READERS, "供需信息 / One post", 0),
    ROUTE("POST", "/api/v1/board-posts", post_create, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT | ROLE_ENTERPRISE, "发布供需 / Post a need or offer", 0),
    ROUTE("PATCH", "/api/v1/board-posts/{id}", post_patch, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT | ROLE_ENTERPRISE, "修改或关闭供需 / Change or close a post", 0),
    ROUTE("POST", "/api/v1/board-posts/{id}/responses", response_create, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT | ROLE_ENTERPRISE,
          "响应供需 / Respond to a post", 0),
    ROUTE("POST", "/api/v1/board-posts/{id}/match", post_match, ROLE_ADMIN | ROLE_OFFICE, "撮合对接 / Match a post", 0),
    {0},
};

static const module ent_board_module = {"ent_board", 75, board_routes, NULL, NULL, NULL};
MODULE_REGISTER(ent_board_module)
