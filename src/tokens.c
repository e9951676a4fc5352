/*
 * tokens.c — API tokens (Bearer) for integrations: another system calls the
 * API as the user who made the token, with that user's roles and scope.
 * The secret ("gt_" + 64 hex) is shown once, in the answer that creates
 * it; the database keeps only its hash, so a stolen backup holds no usable
 * token.  Revoking sets revoked_at, and auth_resolve refuses the token on
 * the very next request.
 *
 * GET    /api/v1/tokens?page&per_page    the caller's own tokens
 * POST   /api/v1/tokens {name}           201 {id,name,token,created_at}
 * DELETE /api/v1/tokens/{id}             own token, or any as admin
 */
#include <sodium.h>
#include <string.h>

#include "auth.h"
#include "http.h"
#include "identity.h"

int64_t token_insert(db *d, int64_t user_id, const char *name, const char *at, char token[68]) {
  char hex[65], h[65];
  auth_random_hex(hex, 32);
  snprintf(token, 68, "gt_%s", hex);
  auth_secret_hash(token, h);
  db_stmt *st = db_query(d, "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                         DBI(user_id), DBT(name), DBT(h), DBT(at));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  return id;
}

/* GET /api/v1/tokens?page&per_page — newest first. */
static void tokens_list(req *r) {
  page p;
  req_page(r, &p);
  if (has_errors(r)) return reply_invalid(r);
  int64_t total = db_int1(r->db, -1, "SELECT COUNT(*) FROM api_tokens WHERE user_id = ?", DBI(r->user.id));
  db_stmt *st = db_query(r->db,
                         "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = ? "
                         "ORDER BY id DESC LIMIT ? OFFSET ?",
                         DBI(r->user.id), DBI(p.per_page), DBI(p.offset));
  reply_rows(r, st, total, &p);
}

/* POST /api/v1/tokens {name} */
static void tokens_create(req *r) {
  static const char *const fields[] = {"name", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *name = NULL;
  jstr(r, in, "name", 1, 128, &name);
  if (has_errors(r)) return reply_invalid(r);
  char token[68];
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  int64_t id = token_insert(r->db, r->user.id, name, now, token);
  json_t *after = json_pack("{s:I, s:s, s:I}", "id", (json_int_t)id, "name", name, "user_id", (json_int_t)r->user.id);
  rc = id ? audit_log(r, "create", "token", id, NULL, after) : db_errcode(r->db);
  json_decref(after);
  commit_reply(r, rc, NULL, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "name", name, "token", token, "created_at", now),
               201);
  sodium_memzero(token, sizeof token);
}

/* DELETE /api/v1/tokens/{id} — revoking twice is harmless (204 again). */
static void tokens_delete(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  db_stmt *st = db_query(r->db, "SELECT user_id, name, revoked_at FROM api_tokens WHERE id = ?", DBI(id));
  if (!st) return reply_db_error(r, db_errcode(r->db));
  if (db_step(st) != DB_ROW) {
    db_done(st);
    return reply_not_found(r, "令牌", "Token");
  }
  int64_t owner = db_int(st, 0);
  const char *name = arena_strdup(&r->a, db_text(st, 1));
  int revoked = !db_isnull(st, 2);
  db_done(st);
  if (owner != r->user.id && !has_role(r, ROLE_ADMIN))
    return reply_forbidden(r, "只能吊销自己的令牌", "you may revoke only your own tokens");
  if (revoked) return reply_no_content(r);
  const char *now = now_rfc3339(&r->a);
  json_t *before = json_pack("{s:I, s:s, s:I, s:n}", "id", (json_int_t)id, "name", name, "user_id", (json_int_t)owner, "revoked_at");
  json_t *after = json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)id, "name", name, "user_id", (json_int_t)owner, "revoked_at", now);
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = db_exec(r->db, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", DBT(now), DBI(id));
  if (rc == DB_OK) rc = audit_log(r, "delete", "token", id, before, after);
  json_decref(after);
  commit_reply(r, rc, before, NULL, 204);
}

static const route token_routes[] = {
    ROUTE("GET", "/api/v1/tokens", tokens_list, ROLES_ANY, "我的API令牌 / My API tokens", 0),
    ROUTE("POST", "/api/v1/tokens", tokens_create, ROLES_ANY, "新建API令牌（只显示一次） / Create an API token (shown once)", 0),
    ROUTE("DELETE", "/api/v1/tokens/{id}", tokens_delete, ROLES_ANY, "吊销API令牌 / Revoke an API token", 0),
    {0},
};

static const char token_schemas[] =
    "{\"Token\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"},"
    "\"token\":{\"type\":\"string\",\"description\":\"gt_ + 64 hex; only in the answer that creates it\"},"
    "\"created_at\":{\"type\":\"string\"},\"last_used_at\":{\"type\":[\"string\",\"null\"]},\"revoked_at\":{\"type\":[\"string\",\"null\"]}}}}";

static const module tokens_module = {"tokens", 22, token_routes, NULL, token_schemas};
MODULE_REGISTER(tokens_module)
