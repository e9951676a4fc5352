/*
 * users.c — user accounts (用户): who may log in, in which unit, with which
 * roles.  Managing users is for administrators; the project office may
 * read the list (it needs to know who is who) but not change it.  Phone
 * numbers are personal data: lists show them masked (138****5678), and an
 * administrator who reveals one leaves an audit entry with action "read".
 *
 * GET   /api/v1/users?q&unit&role&page&per_page&sort   admin, office
 * GET   /api/v1/users/{id}[?reveal=phone]               admin, office (reveal: admin)
 * POST  /api/v1/users  {login,password,name,phone,unit_id,roles}            admin
 * PATCH /api/v1/users/{id} {name,phone,unit_id,roles,disabled,password,version}  admin
 *
 * Disabling a user or resetting their password ends their sessions at once
 * (a reset also revokes their API tokens);
 * sending disabled:false or a new password also lifts a lock-out.
 */
#include <sodium.h>
#include <string.h>

#include "auth.h"
#include "http.h"
#include "identity.h"

int user_login_valid(const char *login) {
  size_t n = strlen(login);
  if (n < 2 || n > 32) return 0;
  for (const char *p = login; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
          *p == '-'))
      return 0;
  return 1;
}

int phone_valid(const char *phone) {
  if (strlen(phone) != 11 || phone[0] != '1' || phone[1] < '3' || phone[1] > '9') return 0;
  for (int i = 2; i < 11; i++)
    if (phone[i] < '0' || phone[i] > '9') return 0;
  return 1;
}

const char *phone_mask(arena *a, const char *phone) {
  if (!phone || !*phone) return NULL;
  size_t n = strlen(phone);
  if (n == 11) return arena_printf(a, "%.3s****%s", phone, phone + 7);
  return arena_printf(a, "****%s", n > 4 ? phone + n - 4 : "");
}

#define USER_COLS                                                                                                      \
  "u.id, u.login, u.name, u.phone, u.unit_id, n.name, u.roles, u.disabled, u.locked_until, u.created_at, u.updated_at, " \
  "u.version "                                                                                                         \
  "FROM users u JOIN units n ON n.id = u.unit_id "

/* One row of USER_COLS as the API shows it; the phone masked unless `full`. */
static json_t *user_row(db_stmt *st, arena *a, int full) {
  const char *bad;
  const char *phone = db_text(st, 3);
  json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:I, s:s, s:o, s:b, s:o, s:s, s:s}", "id", (json_int_t)db_int(st, 0), "login",
                        db_text(st, 1), "name", db_text(st, 2), "phone",
                        json_str_or_null(full ? (phone && *phone ? phone : NULL) : phone_mask(a, phone)), "unit_id",
                        (json_int_t)db_int(st, 4), "unit_name", db_text(st, 5), "roles",
                        roles_json(roles_parse(db_text(st, 6), &bad)), "disabled", (int)db_int(st, 7), "locked_until",
                        json_str_or_null(db_text(st, 8)), "created_at", db_text(st, 9), "updated_at", db_text(st, 10));
  json_object_set_new(o, "version", json_integer(db_int(st, 11)));
  return o;
}

static json_t *user_load(db *d, arena *a, int64_t id, int full) {
  db_stmt *st = db_query(d, "SELECT " USER_COLS "WHERE u.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? user_row(st, a, full) : NULL;
  db_done(st);
  return o;
}

json_t *user_audit_json(db *d, int64_t id) {
  arena a;
  arena_init(&a);
  json_t *o = user_load(d, &a, id, 0);
  if (o) {
    json_object_del(o, "created_at");
    json_object_del(o, "updated_at");
  }
  arena_release(&a);
  return o;
}

/* GET /api/v1/users?q&unit&role&page&per_page&sort&format&columns
 * q matches login or name (and, for administrators, the phone number);
 * unit takes the unit and everything below it. */
static void users_list(req *r) {
  static const char *const sorts[] = {"id", "u.id", "login", "u.login", "name", "u.name", "unit_name", "n.name",
                                      "created_at", "u.created_at", NULL};
  page p;
  req_page(r, &p);
  const char *q = req_arg(r, "q");
  int64_t unit = qint(r, "unit", 1, INT64_MAX, 0);
  const char *role = qenum(r, "role", (const char *const *)role_names);
  const char *order = req_sort(r, sorts, "u.login");
  if (has_errors(r)) return reply_invalid(r);
  strbuf where = STRBUF_INIT;
  db_val args[10];
  int n = 0;
  sb_adds(&where, "WHERE 1 = 1");
  if (q && *q) {
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    sb_adds(&where, has_role(r, ROLE_ADMIN) ? " AND (u.login LIKE ? OR u.name LIKE ? OR u.phone LIKE ?)"
                                            : " AND (u.login LIKE ? OR u.name LIKE ?)");
    args[n++] = DBT(like);
    args[n++] = DBT(like);
    if (has_role(r, ROLE_ADMIN)) args[n++] = DBT(like);
  }
  if (unit) {
    sb_adds(&where, " AND u.unit_id IN (SELECT c.id FROM units c JOIN units pu ON c.path LIKE pu.path || '%' WHERE pu.id = ?)");
    args[n++] = DBI(unit);
  }
  if (role) {
    sb_adds(&where, " AND ',' || u.roles || ',' LIKE ?");
    args[n++] = DBT(arena_printf(&r->a, "%%,%s,%%", role));
  }
  const char *w = arena_strdup(&r->a, sb_str(&where));
  sb_release(&where);
  int64_t total =
      db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) FROM users u JOIN units n ON n.id = u.unit_id %s", w), n, args);
  args[n++] = DBI(p.per_page);
  args[n++] = DBI(p.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, "SELECT " USER_COLS "%s ORDER BY %s LIMIT ? OFFSET ?", w, order), n, args);
  if (!st || total < 0) {
    db_done(st);
    return reply_db_error(r, db_errcode(r->db));
  }
  json_t *items = json_array();
  int rc;
  while ((rc = db_step(st)) == DB_ROW) json_array_append_new(items, user_row(st, &r->a, 0));
  db_done(st);
  if (rc != DB_DONE) {
    json_decref(items);
    return reply_db_error(r, rc);
  }
  reply_list(r, items, total, &p);
}

/* GET /api/v1/users/{id}[?reveal=phone] — revealing the full phone number
 * is for administrators and is itself written to the audit log, in the
 * same transaction, so no number is shown without a trace. */
static void users_get(req *r) {
  static const char *const reveals[] = {"phone", NULL};
  int64_t id = req_id(r, 0);
  if (!id) return;
  const char *reveal = qenum(r, "reveal", reveals);
  if (has_errors(r)) return reply_invalid(r);
  if (reveal && !has_role(r, ROLE_ADMIN))
    return reply_forbidden(r, "只有管理员可以查看完整手机号", "only administrators may reveal phone numbers");
  json_t *o = user_load(r->db, &r->a, id, reveal != NULL);
  if (!o) return reply_not_found(r, "用户", "User");
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
  if (!reveal) return reply_json(r, 200, o);
  json_t *what = json_pack("{s:s}", "revealed", "phone");
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = audit_log(r, "read", "user", id, NULL, what);
  json_decref(what);
  commit_reply(r, rc, NULL, o, 200);
}

/* Reads `roles` (an array of role names, at least one) into bits. */
static int jroles(req *r, json_t *in, int required, unsigned *bits) {
  json_t *v = json_object_get(in, "roles");
  if (!v || json_is_null(v)) {
    if (required) field_error(r, "roles", "请至少选择一个角色", "choose at least one role");
    return required ? JV_BAD : JV_ABSENT;
  }
  if (!json_is_array(v) || json_array_size(v) == 0) {
    field_error(r, "roles", "应为角色名数组且至少一个", "must be a non-empty array of role names");
    return JV_BAD;
  }
  unsigned out = 0;
  size_t i;
  json_t *e;
  json_array_foreach(v, i, e) {
    const char *bad = NULL;
    unsigned b = json_is_string(e) && !strchr(json_string_value(e), ',') ? roles_parse(json_string_value(e), &bad) : 0;
    if (!b || bad) {
      const char *all = "admin|office|leader|unit|enterprise|bank|public";
      field_error(r, "roles", arena_printf(&r->a, "未知角色，应为：%s", all), arena_printf(&r->a, "unknown role; use %s", all));
      return JV_BAD;
    }
    out |= b;
  }
  *bits = out;
  return JV_SET;
}

static int jphone(req *r, json_t *in, const char **phone) {
  int st = jstr(r, in, "phone", 0, 32, phone);
  if (st == JV_SET && **phone == 0) return JV_NULL; /* an emptied field clears the number */
  if (st == JV_SET && !phone_valid(*phone)) {
    field_error(r, "phone", "手机号应为11位大陆手机号码（1[3-9]开头）", "must be an 11-digit mainland mobile number (1[3-9]…)");
    return JV_BAD;
  }
  return st;
}

static void check_unit(req *r, int64_t unit_id) {
  if (db_int1(r->db, 0, "SELECT COUNT(*) FROM units WHERE id = ?", DBI(unit_id)) == 0)
    field_error(r, "unit_id", "单位不存在", "no such unit");
}

/* POST /api/v1/users {login, password, name, phone?, unit_id, roles[]} */
static void users_create(req *r) {
  static const char *const fields[] = {"login", "password", "name", "phone", "unit_id", "roles", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *login = NULL, *password = NULL, *name = NULL, *phone = NULL;
  int64_t unit_id = 0;
  unsigned roles = 0;
  if (jstr(r, in, "login", 1, 64, &login) == JV_SET && !user_login_valid(login))
    field_error(r, "login", "账号为2到32位字母、数字、下划线、点或横线", "2 to 32 letters, digits, _ . or -");
  if (jsecret(r, in, "password", 1, 256, &password) == JV_SET) auth_password_policy(r, "password", password);
  jstr(r, in, "name", 1, 128, &name);
  if (jphone(r, in, &phone) != JV_SET) phone = NULL;
  if (jint(r, in, "unit_id", 1, 1, INT64_MAX, &unit_id) == JV_SET) check_unit(r, unit_id);
  jroles(r, in, 1, &roles);
  if (has_errors(r)) return reply_invalid(r);
  if (db_int1(r->db, 0, "SELECT COUNT(*) FROM users WHERE login = ?", DBT(login)) > 0) {
    field_error(r, "login", "账号已存在", "this login is taken");
    return reply_problem(r, 409, "账号已存在 / Login taken", "请换一个账号名 / Choose another login");
  }
  char hash[crypto_pwhash_STRBYTES];
  if (auth_hash_password(password, hash, sizeof hash) != 0)
    return reply_problem(r, 500, "内部错误 / Internal error", "无法计算密码散列 / Cannot hash the password");
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO users (login, name, phone, unit_id, roles, password_hash, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBT(login), DBT(name), DBT(phone), DBI(unit_id), DBT(roles_format(&r->a, roles)), DBT(hash),
                         DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  json_t *after = id ? user_audit_json(r->db, id) : NULL;
  rc = after ? audit_log(r, "create", "user", id, NULL, after) : db_errcode(r->db);
  json_decref(after);
  commit_reply(r, rc, NULL, rc == DB_OK ? user_load(r->db, &r->a, id, 0) : NULL, 201);
}

/* PATCH /api/v1/users/{id} {name?, phone?, unit_id?, roles?, disabled?, password?, version?}
 * (or If-Match: "N"): a stale version is 409, not a silent overwrite. */
static void users_update(req *r) {
  static const char *const fields[] = {"name", "phone", "unit_id", "roles", "disabled", "password", "version", NULL};
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, fields);
  if (!in) return;
  json_t *before = user_audit_json(r->db, id);
  if (!before) return reply_not_found(r, "用户", "User");
  const char *name = NULL, *phone = NULL, *password = NULL;
  int64_t unit_id = 0;
  unsigned roles = 0;
  int disabled = 0;
  int name_st = jstr(r, in, "name", 0, 128, &name);
  int has_name = name_st == JV_SET && *name;
  if ((name_st == JV_SET && !*name) || name_st == JV_NULL) field_error(r, "name", "不能为空", "must not be empty");
  int phone_st = jphone(r, in, &phone);
  int has_unit = jint(r, in, "unit_id", 0, 1, INT64_MAX, &unit_id) == JV_SET;
  if (has_unit) check_unit(r, unit_id);
  int has_roles = jroles(r, in, 0, &roles) == JV_SET;
  int has_disabled = jbool(r, in, "disabled", 0, &disabled) == JV_SET;
  int has_password = jsecret(r, in, "password", 0, 256, &password) == JV_SET;
  if (has_password) auth_password_policy(r, "password", password);
  int64_t version = req_version(r, in);
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  /* An administrator must not lock themselves out by accident. */
  if (id == r->user.id && has_disabled && disabled)
    field_error(r, "disabled", "不能停用自己的账号", "you cannot disable your own account");
  if (id == r->user.id && has_roles && !(roles & ROLE_ADMIN))
    field_error(r, "roles", "不能去掉自己的管理员角色", "you cannot remove your own administrator role");
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }
  if (!has_name && phone_st == JV_ABSENT && !has_unit && !has_roles && !has_disabled && !has_password) {
    json_decref(before); /* nothing to change: no write, no audit entry */
    return reply_json(r, 200, user_load(r->db, &r->a, id, 0));
  }
  char hash[crypto_pwhash_STRBYTES];
  if (has_password && auth_hash_password(password, hash, sizeof hash) != 0) {
    json_decref(before);
    return reply_problem(r, 500, "内部错误 / Internal error", "无法计算密码散列 / Cannot hash the password");
  }
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db, "UPDATE users SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?", DBT(now), DBI(id),
                 DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "数据已被他人修改 / Changed by someone else",
                         "该用户已被修改，请刷新后重试 / The user was changed meanwhile; reload and try again");
  }
  if (rc == DB_OK && has_name) rc = db_exec(r->db, "UPDATE users SET name = ? WHERE id = ?", DBT(name), DBI(id));
  if (rc == DB_OK && (phone_st == JV_SET || phone_st == JV_NULL))
    rc = db_exec(r->db, "UPDATE users SET phone = ? WHERE id = ?", DBT(phone_st == JV_SET ? phone : NULL), DBI(id));
  if (rc == DB_OK && has_unit) rc = db_exec(r->db, "UPDATE users SET unit_id = ? WHERE id = ?", DBI(unit_id), DBI(id));
  if (rc == DB_OK && has_roles)
    rc = db_exec(r->db, "UPDATE users SET roles = ? WHERE id = ?", DBT(roles_format(&r->a, roles)), DBI(id));
  if (rc == DB_OK && has_disabled) {
    rc = db_exec(r->db, "UPDATE users SET disabled = ? WHERE id = ?", DBI(disabled), DBI(id));
    if (rc == DB_OK && !disabled)
      rc = db_exec(r->db, "UPDATE users SET locked_until = NULL, failed_logins = 0 WHERE id = ?", DBI(id));
  }
  if (rc == DB_OK && has_password)
    rc = db_exec(r->db, "UPDATE users SET password_hash = ?, locked_until = NULL, failed_logins = 0 WHERE id = ?", DBT(hash),
                 DBI(id));
  /* Unlocking (disabled:false or a reset) lifts this login's lock-outs from
   * every address. */
  if (rc == DB_OK && ((has_disabled && !disabled) || has_password))
    rc = db_exec(r->db, "DELETE FROM login_throttle WHERE login = (SELECT login FROM users WHERE id = ?)", DBI(id));
  /* A reset password also revokes the user's API tokens: whoever knew the
   * old password may have made one. */
  if (rc == DB_OK && has_password)
    rc = db_exec(r->db, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                 DBT(now_rfc3339(&r->a)), DBI(id));
  /* A disabled account or a reset password must not leave sessions open
   * (the administrator's own current session excepted). */
  if (rc == DB_OK && ((has_disabled && disabled) || has_password))
    rc = db_exec(r->db, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", DBI(id), DBI(r->user.session_id));
  json_t *after = rc == DB_OK ? user_audit_json(r->db, id) : NULL;
  if (after && has_password) json_object_set_new(after, "password", json_string("(reset)"));
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "user", id, before, after) : db_errcode(r->db);
  json_decref(after);
  commit_reply(r, rc, before, rc == DB_OK ? user_load(r->db, &r->a, id, 0) : NULL, 200);
}

static const route user_routes[] = {
    ROUTE("GET", "/api/v1/users", users_list, ROLE_ADMIN | ROLE_OFFICE, "用户列表（手机号脱敏） / List users (phones masked)", 0),
    ROUTE("GET", "/api/v1/users/{id}", users_get, ROLE_ADMIN | ROLE_OFFICE,
          "用户详情；reveal=phone 显示完整手机号并记审计 / One user; reveal=phone shows the full number, audited", 0),
    ROUTE("POST", "/api/v1/users", users_create, ROLE_ADMIN, "新增用户 / Create a user", 0),
    ROUTE("PATCH", "/api/v1/users/{id}", users_update, ROLE_ADMIN,
          "修改、停用、解锁用户或重置密码 / Change, disable, unlock a user or reset the password", 0),
    {0},
};

static const char user_schemas[] =
    "{\"User\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"login\":{\"type\":\"string\"},"
    "\"name\":{\"type\":\"string\"},\"phone\":{\"type\":[\"string\",\"null\"],\"description\":\"masked 138****5678 unless revealed\"},"
    "\"unit_id\":{\"type\":\"integer\"},\"unit_name\":{\"type\":\"string\"},\"roles\":{\"type\":\"array\",\"items\":"
    "{\"enum\":[\"admin\",\"office\",\"leader\",\"unit\",\"enterprise\",\"bank\",\"public\"]}},\"disabled\":{\"type\":\"boolean\"},"
    "\"locked_until\":{\"type\":[\"string\",\"null\"]}}}}";

static const module users_module = {"users", 21, user_routes, NULL, user_schemas};
MODULE_REGISTER(users_module)
