/*
 * session.c — logging in and out, who am I, and changing one's password.
 *
 * POST   /api/v1/session      {"login","password"} → cookie + {csrf_token,user}
 * DELETE /api/v1/session      logs out (the session row is deleted)
 * GET    /api/v1/me           {user, csrf_token}
 * POST   /api/v1/me/password  {"old_password","new_password"}
 *
 * Lock-out (ASVS L2 2.2.1): failures are counted per (login, client
 * address) and per client address, in the login_throttle table (shared by
 * every server process), for unknown logins exactly as for known ones, so
 * the answers do not tell which logins exist.  LOCK_AFTER failures in a
 * row for one login from one address, or IP_LOCK_AFTER from one address
 * for any logins, lock that key for LOCK_FIRST_S seconds, doubling with
 * each further failure up to LOCK_MAX_S; a count idle for FAIL_WINDOW_S
 * starts again.  Since no lock covers an account from every address and
 * none lasts beyond LOCK_MAX_S, nobody can lock the administrator out for
 * good.  "Account disabled" is said only after the right password.
 */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "auth.h"
#include "http.h"

#define LOCK_AFTER 5
#define IP_LOCK_AFTER 20
#define LOCK_FIRST_S 60
#define LOCK_MAX_S ((int64_t)15 * 60)
#define FAIL_WINDOW_S 3600
#define SESSION_HOURS 12

static const char *time_plus(arena *a, long seconds) {
  time_t t = (time_t)(clock_now() + seconds);
  struct tm tm;
  gmtime_r(&t, &tm);
  return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                      tm.tm_hour, tm.tm_min, tm.tm_sec);
}

json_t *session_user_json(req *r) {
  const auth_user *u = &r->user;
  return json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:o}", "id", (json_int_t)u->id, "login", u->login, "name",
                   u->name, "unit_id", (json_int_t)u->unit_id, "unit_name", u->unit_name, "unit_kind",
                   u->unit_kind, "roles", roles_json(u->roles));
}

/* The later locked_until of the throttle keys, if after now; else NULL. */
static const char *throttle_locked(req *r, const char *k1, const char *k2, const char *now) {
  db_stmt *st = db_query(r->db, "SELECT MAX(locked_until) FROM login_throttle WHERE key IN (?, ?) AND locked_until > ?",
                         DBT(k1), DBT(k2), DBT(now));
  const char *until = st && db_step(st) == DB_ROW && !db_isnull(st, 0) ? arena_strdup(&r->a, db_text(st, 0)) : NULL;
  db_done(st);
  return until;
}

/* One more failure on `key`; sets *until when it locks.  A DB_* code. */
static int throttle_fail(req *r, const char *key, const char *login_name, int limit, const char **until) {
  const char *now = now_rfc3339(&r->a);
  const char *stale = time_rfc3339(&r->a, clock_now_ms() - (int64_t)FAIL_WINDOW_S * 1000);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO login_throttle (key, login, failures, updated_at) VALUES (?, ?, 1, ?) "
                         "ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN login_throttle.updated_at < ? THEN 1 "
                         "ELSE login_throttle.failures + 1 END, updated_at = excluded.updated_at RETURNING failures",
                         DBT(key), DBT(login_name), DBT(now), DBT(stale));
  if (!st) return db_errcode(r->db);
  int rc = db_step(st);
  int64_t failures = rc == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
  if (failures < limit) return DB_OK;
  int64_t over = failures - limit;
  int64_t secs = over >= 4 ? LOCK_MAX_S : (int64_t)LOCK_FIRST_S << over;
  if (secs > LOCK_MAX_S) secs = LOCK_MAX_S;
  const char *u = time_rfc3339(&r->a, clock_now_ms() + secs * 1000);
  if (!*until || strcmp(u, *until) > 0) *until = u;
  return db_exec(r->db, "UPDATE login_throttle SET locked_until = ? WHERE key = ?", DBT(u), DBT(key));
}

static void reply_locked(req *r, const char *until) {
  reply_problem(r, 423, "登录已锁定 / Login locked",
                arena_printf(&r->a,
                             "密码错误次数过多，此账号在本地址的登录暂停至 %.16s（UTC），请稍后再试或联系管理员 / Too many failed "
                             "attempts: logging in to this account from this address is locked until %.16s UTC; try later "
                             "or ask an administrator",
                             until, until));
}

static void login(req *r) {
  static const char *const fields[] = {"login", "password", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *login_name = NULL, *password = NULL;
  jstr(r, in, "login", 1, 64, &login_name);
  jsecret(r, in, "password", 1, 256, &password);
  if (has_errors(r)) return reply_invalid(r);

  const char *now = now_rfc3339(&r->a);
  const char *ip = r->ip ? r->ip : "?";
  const char *k_login = arena_printf(&r->a, "login:%s@%s", login_name, ip);
  const char *k_ip = arena_printf(&r->a, "ip:%s", ip);
  const char *locked = throttle_locked(r, k_login, k_ip, now);
  if (locked) return reply_locked(r, locked);

  db_stmt *st = db_query(r->db, "SELECT id, password_hash, disabled FROM users WHERE login = ?", DBT(login_name));
  if (!st) return reply_db_error(r, db_errcode(r->db));
  int found = db_step(st) == DB_ROW;
  int64_t uid = found ? db_int(st, 0) : 0;
  const char *hash = found ? arena_strdup(&r->a, db_text(st, 1)) : NULL;
  int disabled = found && db_int(st, 2);
  db_done(st);

  /* Verify even for unknown logins so timing does not reveal which exist. */
  static char dummy[crypto_pwhash_STRBYTES];
  if (!dummy[0]) auth_hash_password("not a password 0", dummy, sizeof dummy);
  int ok = auth_check_password(found ? hash : dummy, password) && found;
  if (!ok) {
    /* The same work and the same answer for a known and an unknown login. */
    const char *until = NULL;
    int rc = db_begin(r->db);
    if (rc == DB_OK) rc = throttle_fail(r, k_login, login_name, LOCK_AFTER, &until);
    if (rc == DB_OK) rc = throttle_fail(r, k_ip, NULL, IP_LOCK_AFTER, &until);
    if (rc == DB_OK && found && until)
      rc = db_exec(r->db, "UPDATE users SET locked_until = ? WHERE id = ?", DBT(until), DBI(uid));
    audit_actor who = {uid, login_name, r->ip};
    if (rc == DB_OK) rc = audit_write(r->db, &who, until ? "lock" : "login_failed", "user", uid, NULL, NULL);
    if (until) {
      reply_locked(r, until);
    } else {
      field_error(r, "password", "账号或密码错误", "wrong login or password");
      reply_problem(r, 401, "登录失败 / Login failed", "账号或密码错误 / Wrong login or password");
    }
    /* the failed attempt counts only if it is recorded */
    return commit_reply(r, rc, NULL, NULL, 0);
  }
  if (disabled)
    return reply_problem(r, 401, "登录失败 / Login failed", "账号已停用，请联系管理员 / The account is disabled; ask an administrator");

  char secret[65], csrf[65], token_hash[65];
  auth_random_hex(secret, 32);
  auth_random_hex(csrf, 32);
  auth_secret_hash(secret, token_hash);
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM login_throttle WHERE key = ?", DBT(k_login));
  if (rc == DB_OK) rc = db_exec(r->db, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ? AND locked_until IS NOT NULL", DBI(uid));
  if (rc == DB_OK)
    rc = db_exec(r->db, "INSERT INTO sessions (token_hash, user_id, csrf, ip, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                 DBT(token_hash), DBI(uid), DBT(csrf), DBT(r->ip), DBT(now), DBT(time_plus(&r->a, (long)SESSION_HOURS * 3600)));
  /* Expired sessions are swept here rather than by a timer thread. */
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM sessions WHERE expires_at < ?", DBT(now));
  audit_actor who = {uid, login_name, r->ip};
  if (rc == DB_OK) rc = audit_write(r->db, &who, "login", "session", uid, NULL, NULL);
  if (rc != DB_OK) return commit_reply(r, rc, NULL, NULL, 200);

  /* Re-read through the normal path so the answer is exactly what /me says. */
  db_stmt *u = db_query(r->db,
                        "SELECT u.login, u.name, u.unit_id, n.name, n.path, n.kind, u.roles FROM users u "
                        "JOIN units n ON n.id = u.unit_id WHERE u.id = ?",
                        DBI(uid));
  if (!u || db_step(u) != DB_ROW) {
    db_done(u);
    return commit_reply(r, db_errcode(r->db), NULL, NULL, 200);
  }
  const char *bad;
  r->user.id = uid;
  r->user.login = arena_strdup(&r->a, db_text(u, 0));
  r->user.name = arena_strdup(&r->a, db_text(u, 1));
  r->user.unit_id = db_int(u, 2);
  r->user.unit_name = arena_strdup(&r->a, db_text(u, 3));
  r->user.unit_path = arena_strdup(&r->a, db_text(u, 4));
  r->user.unit_kind = arena_strdup(&r->a, db_text(u, 5));
  r->user.roles = roles_parse(db_text(u, 6), &bad);
  db_done(u);

  const char *proto = req_header(r, "X-Forwarded-Proto");
  int secure = proto && strcmp(proto, "https") == 0;
  reply_header(r, "Set-Cookie",
               arena_printf(&r->a, "guatu_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", secret,
                            SESSION_HOURS * 3600, secure ? "; Secure" : ""));
  commit_reply(r, DB_OK, NULL, json_pack("{s:s, s:o}", "csrf_token", csrf, "user", session_user_json(r)), 200);
}

static void logout(req *r) {
  reply_header(r, "Set-Cookie", "guatu_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
  if (!r->user.session_id) return reply_no_content(r);
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM sessions WHERE id = ?", DBI(r->user.session_id));
  if (rc == DB_OK) rc = audit_log(r, "logout", "session", r->user.id, NULL, NULL);
  commit_reply(r, rc, NULL, NULL, 204);
}

static void me(req *r) {
  json_t *o = json_pack("{s:o}", "user", session_user_json(r));
  json_object_set_new(o, "csrf_token", json_str_or_null(r->user.csrf));
  reply_json(r, 200, o);
}

static void change_password(req *r) {
  static const char *const fields[] = {"old_password", "new_password", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *old_pw = NULL, *new_pw = NULL;
  jsecret(r, in, "old_password", 1, 256, &old_pw);
  if (jsecret(r, in, "new_password", 1, 256, &new_pw) == JV_SET) auth_password_policy(r, "new_password", new_pw);
  if (has_errors(r)) return reply_invalid(r);
  db_stmt *st = db_query(r->db, "SELECT password_hash FROM users WHERE id = ?", DBI(r->user.id));
  const char *hash = st && db_step(st) == DB_ROW ? arena_strdup(&r->a, db_text(st, 0)) : NULL;
  db_done(st);
  if (!auth_check_password(hash, old_pw)) {
    field_error(r, "old_password", "原密码不正确", "the current password is wrong");
    return reply_invalid(r);
  }
  char newhash[crypto_pwhash_STRBYTES];
  if (auth_hash_password(new_pw, newhash, sizeof newhash) != 0)
    return reply_problem(r, 500, "内部错误 / Internal error", "无法计算密码散列 / Cannot hash the password");
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", DBT(newhash),
                 DBT(now_rfc3339(&r->a)), DBI(r->user.id));
  /* Other sessions of this user end: a changed password must lock others out. */
  if (rc == DB_OK)
    rc = db_exec(r->db, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", DBI(r->user.id), DBI(r->user.session_id));
  json_t *after = json_pack("{s:s}", "password", "(changed)");
  if (rc == DB_OK) rc = audit_log(r, "update", "user", r->user.id, NULL, after);
  json_decref(after);
  commit_reply(r, rc, NULL, NULL, 204);
}

static const route session_routes[] = {
    ROUTE("POST", "/api/v1/session", login, ROLES_NONE, "登录 / Log in", 0),
    ROUTE("DELETE", "/api/v1/session", logout, ROLES_ANY, "退出登录 / Log out", 0),
    ROUTE("GET", "/api/v1/me", me, ROLES_ANY, "当前用户 / Who is logged in", 0),
    ROUTE("POST", "/api/v1/me/password", change_password, ROLES_ANY, "修改密码 / Change password", 0),
    {0},
};

static const module session_module = {"session", 10, session_routes, NULL, NULL};
MODULE_REGISTER(session_module)
