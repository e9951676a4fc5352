/*
 * qa_keys.c — the API keys of the applications that post to Open311
 * (open311.c).  The administrator issues a key to an app by name, with a
 * limit of requests an hour, and may revoke it; only the key's hash is
 * stored, the key itself is shown once.  From the command line or the API.
 *
 *   guatu open311 key create --db DB --name APP [--rate N]   prints the new key as its last line
 *   guatu open311 key list   --db DB
 *   guatu open311 key revoke --db DB --id N
 *
 * GET    /api/v1/open311-keys
 * POST   /api/v1/open311-keys {name, rate_per_hour?}   → the key, shown once
 * DELETE /api/v1/open311-keys/{id}                      revokes it
 */
#include <sodium.h>
#include <string.h>

#include "auth.h"
#include "cli.h"
#include "http.h"
#include "qa.h"

/* Inserts a key for `name`; fills key (≥ 41: "o311_" and 32 hex) and
 * returns its id, or 0. */
static int64_t key_insert(db *d, const char *name, int64_t rate, const char *at, char key[48]) {
  char hex[33], hash[65];
  auth_random_hex(hex, 16);
  snprintf(key, 48, "o311_%s", hex);
  auth_secret_hash(key, hash);
  db_stmt *st = db_query(d,
                         "INSERT INTO open311_keys (name, key_hash, rate_per_hour, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                         DBT(name), DBT(hash), DBI(rate), DBT(at));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  sodium_memzero(hex, sizeof hex);
  return id;
}

static json_t *key_json(db *d, int64_t id) {
  db_stmt *st = db_query(d,
                         "SELECT k.id, k.name, k.rate_per_hour, k.revoked_at, k.created_at, "
                         "(SELECT COUNT(*) FROM questions q WHERE q.api_key_id = k.id) AS requests "
                         "FROM open311_keys k WHERE k.id = ?",
                         DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  return o;
}

/* ---- the API ---- */

/* GET /api/v1/open311-keys */
static void keys_list(req *r) {
  db_stmt *st = db_query0(r->db,
                          "SELECT k.id, k.name, k.rate_per_hour, k.revoked_at, k.created_at, "
                          "(SELECT COUNT(*) FROM questions q WHERE q.api_key_id = k.id) AS requests "
                          "FROM open311_keys k ORDER BY k.id");
  page pg = {1, 500, 0};
  reply_rows(r, st, db_int10(r->db, -1, "SELECT COUNT(*) FROM open311_keys"), &pg);
}

static const char *const key_fields[] = {"name", "rate_per_hour", NULL};

/* POST /api/v1/open311-keys {name, rate_per_hour?} */
static void key_post(req *r) {
  json_t *in = req_json(r, key_fields);
  if (!in) return;
  const char *name = NULL;
  int64_t rate = 100;
  if (jstr(r, in, "name", 1, 64, &name) == JV_SET && !*name) field_error(r, "name", "不能为空", "must not be empty");
  jint(r, in, "rate_per_hour", 0, 1, 100000, &rate);
  if (has_errors(r)) return reply_invalid(r);
  char key[48];
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  int64_t id = key_insert(r->db, name, rate, now_rfc3339(&r->a), key);
  json_t *after = id ? key_json(r->db, id) : NULL;
  rc = after ? audit_log(r, "create", "open311_key", id, NULL, after) : db_errcode(r->db);
  if (after) json_object_set_new(after, "api_key", json_string(key));
  sodium_memzero(key, sizeof key);
  commit_reply(r, rc, NULL, after, 201);
}

/* DELETE /api/v1/open311-keys/{id} — revokes the key (kept for the record). */
static void key_revoke(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *before = key_json(r->db, id);
  if (!before) return reply_not_found(r, "API密钥", "API key");
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db, "UPDATE open311_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", DBT(now_rfc3339(&r->a)),
                 DBI(id));
  json_t *after = rc == DB_OK ? key_json(r->db, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "open311_key", id, before, after) : db_errcode(r->db);
  commit_reply(r, rc, before, after, 200);
}

static const route key_routes[] = {
    ROUTE("GET", "/api/v1/open311-keys", keys_list, ROLE_ADMIN, "Open311 API密钥 / Open311 API keys", 0),
    ROUTE("POST", "/api/v1/open311-keys", key_post, ROLE_ADMIN, "签发Open311 API密钥 / Issue an Open311 API key", 0),
    ROUTE("DELETE", "/api/v1/open311-keys/{id}", key_revoke, ROLE_ADMIN, "吊销Open311 API密钥 / Revoke an Open311 API key", 0),
    {0},
};

static const module qa_keys_module = {"qa_keys", 76, key_routes, NULL, NULL, NULL};
MODULE_REGISTER(qa_keys_module)

/* ---- the command ---- */

static const char open311_usage[] =
    "guatu open311 key create --db DB --name APP [--rate N]   prints a new API key as its last line\n"
    "guatu open311 key list   --db DB\n"
    "guatu open311 key revoke --db DB --id N";

static int cmd_open311(int argc, char **argv) {
  if (cli_wants_help(argc, argv)) return printf("%s\n", open311_usage), 0;
  if (argc < 3 || strcmp(argv[1], "key") != 0) return fprintf(stderr, "usage: %s\n", open311_usage), 2;
  const char *sub = argv[2];
  const char *name = cli_opt(argc, argv, "--name");
  long rate = 100, id = 0;
  if (cli_int(argc, argv, "--rate", 100, 1, 100000, &rate) != 0 || cli_int(argc, argv, "--id", 0, 0, 2147483647L, &id) != 0)
    return 2;
  if ((strcmp(sub, "create") == 0 && (!name || !*name)) || (strcmp(sub, "revoke") == 0 && id <= 0) ||
      (strcmp(sub, "create") != 0 && strcmp(sub, "revoke") != 0 && strcmp(sub, "list") != 0))
    return fprintf(stderr, "usage: %s\n", open311_usage), 2;
  db *d = cli_open_db(argc, argv, open311_usage);
  if (!d) return 1;
  arena a;
  arena_init(&a);
  int rc = 1;
  if (strcmp(sub, "list") == 0) {
    db_stmt *st = db_query0(d, "SELECT id, name, rate_per_hour, COALESCE(revoked_at, '-'), created_at FROM open311_keys ORDER BY id");
    while (st && db_step(st) == DB_ROW)
      printf("%lld\t%s\t%lld/h\trevoked %s\tcreated %s\n", (long long)db_int(st, 0), db_text(st, 1), (long long)db_int(st, 2),
             db_text(st, 3), db_text(st, 4));
    rc = st ? 0 : 1;
    db_done(st);
  } else if (db_begin(d) != DB_OK) {
    fprintf(stderr, "guatu open311: %s\n", db_errmsg(d));
  } else if (strcmp(sub, "create") == 0) {
    char key[48];
    int64_t kid = key_insert(d, name, rate, now_rfc3339(&a), key);
    json_t *after = kid ? key_json(d, kid) : NULL;
    if (!cli_commit(d, "open311 key create", after ? DB_OK : DB_ERROR, "create", "open311_key", kid, NULL, after)) {
      printf("%s\n", key);
      rc = 0;
    }
    sodium_memzero(key, sizeof key);
  } else {
    json_t *before = key_json(d, id);
    int drc = before ? db_exec(d, "UPDATE open311_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                               DBT(now_rfc3339(&a)), DBI(id))
                     : DB_ERROR;
    if (!before) fprintf(stderr, "guatu open311 key revoke: no key %ld\n", id);
    json_t *after = drc == DB_OK ? key_json(d, id) : NULL;
    rc = cli_commit(d, "open311 key revoke", before && after ? DB_OK : DB_ERROR, "update", "open311_key", id, before, after);
  }
  arena_release(&a);
  db_close(d);
  return rc;
}

static const command open311_cmd = {"open311", open311_usage, cmd_open311};
COMMAND_REGISTER(open311_cmd)
