/*
 * auth.c — authentication (session cookie or Bearer token), CSRF, password
 * hashing, roles, data scope and the audit log writer.  See auth.h.
 */
#include "auth.h"

#include <sodium.h>

#include "clock.h"
#include <stdlib.h>
#include <string.h>

const char *const role_names[] = {"admin", "office", "leader", "unit", "enterprise", "bank", "public", NULL};

unsigned roles_parse(const char *csv, const char **bad) {
  unsigned bits = 0;
  *bad = NULL;
  const char *p = csv;
  while (p && *p) {
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    int found = 0;
    for (int i = 0; role_names[i]; i++)
      if (strlen(role_names[i]) == len && memcmp(role_names[i], p, len) == 0) {
        bits |= 1u << i;
        found = 1;
      }
    if (!found && len) *bad = p;
    p = end ? end + 1 : NULL;
  }
  return bits;
}

const char *roles_format(arena *a, unsigned roles) {
  strbuf sb = STRBUF_INIT;
  for (int i = 0; role_names[i]; i++)
    if (roles & (1u << i)) sb_addf(&sb, "%s%s", sb.len ? "," : "", role_names[i]);
  const char *s = arena_strdup(a, sb_str(&sb));
  sb_release(&sb);
  return s;
}

json_t *roles_json(unsigned roles) {
  json_t *a = json_array();
  for (int i = 0; role_names[i]; i++)
    if (roles & (1u << i)) json_array_append_new(a, json_string(role_names[i]));
  return a;
}

void auth_random_hex(char *out, size_t nbytes) {
  unsigned char buf[64];
  if (nbytes > sizeof buf) nbytes = sizeof buf;
  randombytes_buf(buf, nbytes);
  sodium_bin2hex(out, nbytes * 2 + 1, buf, nbytes);
}

void auth_secret_hash(const char *secret, char out[65]) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
  sodium_bin2hex(out, 65, h, sizeof h);
}

int auth_hash_password(const char *password, char *out, size_t outlen) {
  if (outlen < crypto_pwhash_STRBYTES) return -1;
  return crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
}

int auth_check_password(const char *hash, const char *password) {
  return hash && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* ASVS L2 (2.1.1–2.1.9): at least 12 and at most 128 characters (counted
 * as Unicode characters, so a Chinese passphrase counts what it shows),
 * any characters, no composition rules, never trimmed, and not one of the
 * common passwords (common_passwords.c).  The demo and bench loaders set
 * their short documented passwords directly, without this policy. */
int auth_password_policy(req *r, const char *field, const char *password) {
  size_t chars = 0;
  for (const unsigned char *p = (const unsigned char *)password; *p; p++) chars += (*p & 0xc0) != 0x80;
  if (chars < 12 || chars > 128) {
    field_error(r, field, "密码须12到128个字符（可用空格组成短语）",
                "the password needs 12 to 128 characters (a passphrase with spaces is fine)");
    return -1;
  }
  if (password_is_common(password)) {
    field_error(r, field, "密码过于常见或有规律，容易被猜中，请换一个",
                "the password is too common or too regular to be safe; choose another");
    return -1;
  }
  return 0;
}

/* Loads the user with their unit from a row whose columns 0-8 are u.id,
 * u.login, u.name, u.unit_id, n.name, n.path, n.kind, u.roles, u.disabled. */

static int load_user(req *r, db_stmt *st, int csrf_col) {
  if (db_step(st) != DB_ROW || db_int(st, 8) != 0) return 0;
  auth_user *u = &r->user;
  u->id = db_int(st, 0);
  u->login = arena_strdup(&r->a, db_text(st, 1));
  u->name = arena_strdup(&r->a, db_text(st, 2));
  u->unit_id = db_int(st, 3);
  u->unit_name = arena_strdup(&r->a, db_text(st, 4));
  u->unit_path = arena_strdup(&r->a, db_text(st, 5));
  u->unit_kind = arena_strdup(&r->a, db_text(st, 6));
  const char *bad;
  u->roles = roles_parse(db_text(st, 7), &bad);
  if (csrf_col >= 0) {
    u->csrf = arena_strdup(&r->a, db_text(st, csrf_col));
    u->session_id = db_int(st, csrf_col + 1);
  }
  return 1;
}

int auth_resolve(req *r) {
  memset(&r->user, 0, sizeof r->user);
  const char *authz = req_header(r, "Authorization");
  const char *now = now_rfc3339(&r->a);
  if (authz && strncmp(authz, "Bearer ", 7) == 0) {
    char h[65];
    auth_secret_hash(authz + 7, h);
    /* The row's own last use comes along, so that recording it costs a
     * write only when it is due (below); revoked_at is read on every
     * request, so a revocation holds from the next one. */
    db_stmt *st = db_query(r->db,
                           "SELECT u.id, u.login, u.name, u.unit_id, n.name, n.path, n.kind, u.roles, u.disabled, "
                           "t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id "
                           "JOIN units n ON n.id = u.unit_id WHERE t.token_hash = ? AND t.revoked_at IS NULL",
                           DBT(h));
    int ok = st && load_user(r, st, -1);
    /* Last use is useful to an administrator but not worth a write on
     * every call: it is recorded at most once a minute (when the stored
     * one is from an earlier minute).  Deciding that from the row just read
     * keeps every other request a pure read: an UPDATE, even one that
     * matches nothing, takes SQLite's write lock, so each token request
     * queued behind the writers (and, with group commit, paid a check of
     * the WAL barrier). */
    const char *minute = arena_printf(&r->a, "%.16s", now);
    int due = ok && (db_isnull(st, 9) || strcmp(db_text(st, 9), minute) < 0);
    db_done(st);
    if (!ok) {
      memset(&r->user, 0, sizeof r->user);
      reply_problem(r, 401, "令牌无效 / Invalid token", "API令牌不存在、已撤销或用户已停用 / The API token is unknown, revoked, or its user disabled");
      return -1;
    }
    r->user.via_token = 1;
    if (due)
      db_exec(r->db, "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ? AND (last_used_at IS NULL OR last_used_at < ?)",
              DBT(now), DBT(h), DBT(minute));
    return 0;
  }
  const char *cookie = req_cookie(r, "guatu_session");
  if (!cookie || strlen(cookie) != 64) return 0;
  char h[65];
  auth_secret_hash(cookie, h);
  int64_t now_ms = clock_now_ms();
  const char *idle_since = time_rfc3339(&r->a, now_ms - (int64_t)SESSION_IDLE_MINUTES * 60000);
  db_stmt *st = db_query(r->db,
                         "SELECT u.id, u.login, u.name, u.unit_id, n.name, n.path, n.kind, u.roles, u.disabled, "
                         "s.csrf, s.id, COALESCE(s.last_seen_at, s.created_at) FROM sessions s "
                         "JOIN users u ON u.id = s.user_id "
                         "JOIN units n ON n.id = u.unit_id WHERE s.token_hash = ? AND s.expires_at > ? "
                         "AND COALESCE(s.last_seen_at, s.created_at) > ?",
                         DBT(h), DBT(now), DBT(idle_since));
  const char *minute_ago = time_rfc3339(&r->a, now_ms - 60000);
  int due = 0;
  if (!(st && load_user(r, st, 9)))
    memset(&r->user, 0, sizeof r->user);
  else
    due = db_isnull(st, 11) || strcmp(db_text(st, 11), minute_ago) < 0;
  db_done(st);
  /* The idle clock restarts with each request, written at most once a
   * minute (not audited: see the response cache in http.c), and only when
   * the row read says it is due, so the other requests stay pure reads. */
  if (r->user.id && due)
    db_exec(r->db, "UPDATE sessions SET last_seen_at = ? WHERE id = ? AND (last_seen_at IS NULL OR last_seen_at < ?)",
            DBT(now), DBI(r->user.session_id), DBT(minute_ago));
  return 0;
}

int auth_csrf_ok(req *r) {
  const char *sent = req_header(r, "X-CSRF-Token");
  const char *want = r->user.csrf;
  if (!sent || !want || strlen(sent) != strlen(want)) return 0;
  return sodium_memcmp(sent, want, strlen(want)) == 0;
}

/* ---- scope ---- */

int scope_reads_all(const req *r) { return has_role(r, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER); }
int scope_writes_all(const req *r) { return has_role(r, ROLE_ADMIN | ROLE_OFFICE); }

/* Only unit staff (their unit's subtree) and enterprises (their own unit)
 * hold a data scope by unit.  The public and banks own no unit data: their
 * unit in the tree (often the district itself) must not open its subtree
 * to them.  What they read is decided by role (published projects, the
 * public board), never by unit path. */
static int has_unit_scope(const req *r) { return r->user.id && has_role(r, ROLE_UNIT | ROLE_ENTERPRISE); }

const char *scope_path_pattern(req *r) {
  return arena_printf(&r->a, "%s%%", has_unit_scope(r) && r->user.unit_path ? r->user.unit_path : "/none/");
}

static int unit_in_scope(req *r, int64_t unit_id) {
  if (!has_unit_scope(r)) return 0;
  if (has_role(r, ROLE_UNIT))
    return db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ? AND path LIKE ?", DBI(unit_id), DBT(scope_path_pattern(r))) == 1;
  return unit_id == r->user.unit_id;
}

int scope_can_read_unit(req *r, int64_t unit_id) { return scope_reads_all(r) || unit_in_scope(r, unit_id); }
int scope_can_write_unit(req *r, int64_t unit_id) {
  if (scope_writes_all(r)) return 1;
  return unit_in_scope(r, unit_id);
}

void scope_filter(req *r, const char *col, strbuf *sql, db_val *args, int *nargs) {
  if (scope_reads_all(r)) return;
  if (!has_unit_scope(r)) {
    sb_adds(sql, " AND 1 = 0");
  } else if (has_role(r, ROLE_UNIT)) {
    sb_addf(sql, " AND %s IN (SELECT id FROM units WHERE path LIKE ?)", col);
    args[(*nargs)++] = DBT(scope_path_pattern(r));
  } else {
    sb_addf(sql, " AND %s = ?", col);
    args[(*nargs)++] = DBI(r->user.unit_id);
  }
}

/* ---- audit ---- */

const audit_actor audit_cli = {0, "cli", "local"}, audit_system = {0, "system", "local"};

int audit_write(db *d, const audit_actor *who, const char *action, const char *entity, int64_t entity_id,
                json_t *before, json_t *after) {
  char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  arena ar;
  arena_init(&ar);
  int rc = db_exec(d,
                   "INSERT INTO audit_log (at, user_id, user_login, ip, action, entity, entity_id, before_json, after_json) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   DBT(now_rfc3339(&ar)), who && who->user_id ? DBI(who->user_id) : DBNULL,
                   DBT(who ? who->login : NULL), DBT(who ? who->ip : NULL), DBT(action), DBT(entity),
                   entity_id ? DBI(entity_id) : DBNULL, DBT(b), DBT(a));
  arena_release(&ar);
  free(b);
  free(a);
  return rc;
}

int audit_log(req *r, const char *action, const char *entity, int64_t entity_id, json_t *before, json_t *after) {
  audit_actor who = {r->user.id, r->user.login, r->ip};
  return audit_write(r->db, &who, action, entity, entity_id, before, after);
}
