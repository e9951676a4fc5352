/*
 * cli_identity.c — scripted setup of units, users and API tokens:
 *
 *   guatu unit add --name NAME --kind KIND [--parent NAME] --db DB
 *   guatu unit list --db DB
 *   guatu user add --login L --password P --name N --role R[,R] --unit NAME [--phone P] --db DB
 *   guatu user passwd --login L --password P --db DB
 *   guatu user disable --login L --db DB
 *   guatu token create --user L [--name N] --db DB     prints only the token
 *
 * They apply the same rules as the API (identity.h) and write the same
 * audit entries, with the login "cli", in the same transaction as the
 * change.  They are safe while a server runs on the same database: each
 * command is one short transaction (SQLite waits for the write lock).
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "cli.h"
#include "identity.h"

static const char unit_usage[] =
    "guatu unit add --name NAME --kind district|hq|group|town|department|enterprise|bank [--parent NAME] --db DB\n"
    "guatu unit list --db DB";
static const char user_usage[] =
    "guatu user add --login L --password P --name N --role R[,R] --unit NAME [--phone 1XXXXXXXXXX] --db DB\n"
    "guatu user passwd --login L --password P --db DB   (also lifts a lock-out, ends the user's sessions, revokes their API tokens)\n"
    "guatu user disable --login L --db DB             (ends the user's sessions)";
static const char token_usage[] = "guatu token create --user LOGIN [--name NAME] --db DB   prints a new API (Bearer) token";

static const char *now_text(arena *a) { return now_rfc3339(a); }

/* Prints the field errors a validator recorded on a scratch request. */
static int print_errors(const char *cmd, req *r) {
  size_t i;
  json_t *e;
  json_array_foreach(r->errors, i, e) fprintf(stderr, "guatu %s: --%s: %s\n", cmd, json_string_value(json_object_get(e, "field")),
                                              json_string_value(json_object_get(e, "message")));
  return 2;
}

static int64_t user_by_login(db *d, const char *login) {
  return db_int1(d, 0, "SELECT id FROM users WHERE login = ?", DBT(login));
}

/* ---- unit ---- */

static int unit_add(db *d, int argc, char **argv, arena *a) {
  const char *name = cli_opt(argc, argv, "--name"), *kind = cli_opt(argc, argv, "--kind"),
             *parent = cli_opt(argc, argv, "--parent");
  if (!name || !*name || !kind) return fprintf(stderr, "usage: %s\n", unit_usage), 2;
  if (!unit_kind_valid(kind))
    return fprintf(stderr, "guatu unit add: --kind must be one of district|hq|group|town|department|enterprise|bank\n"), 2;
  int64_t parent_id = 0;
  if (parent && !(parent_id = unit_by_name(d, parent)))
    return fprintf(stderr, "guatu unit add: no unit named '%s' (see guatu unit list)\n", parent), 1;
  if (unit_by_name(d, name)) return fprintf(stderr, "guatu unit add: a unit named '%s' exists\n", name), 1;
  if (db_begin(d) != DB_OK) return fprintf(stderr, "guatu unit add: %s\n", db_errmsg(d)), 1;
  int64_t id = unit_insert(d, name, kind, parent_id, now_text(a));
  json_t *after = id ? unit_json(d, id) : NULL;
  if (cli_commit(d, "unit add", after ? DB_OK : DB_ERROR, "create", "unit", id, NULL, after)) return 1;
  printf("%lld\n", (long long)id);
  return 0;
}

static int unit_list(db *d) {
  db_stmt *st = db_query0(d, "SELECT id, kind, path, name FROM units ORDER BY path");
  if (!st) return fprintf(stderr, "guatu unit list: %s\n", db_errmsg(d)), 1;
  printf("%-6s %-11s %s\n", "id", "kind", "name");
  while (db_step(st) == DB_ROW) {
    int depth = 0;
    for (const char *p = db_text(st, 2); *p; p++) depth += *p == '/';
    printf("%-6lld %-11s %*s%s\n", (long long)db_int(st, 0), db_text(st, 1), (depth > 2 ? depth - 2 : 0) * 2, "", db_text(st, 3));
  }
  db_done(st);
  return 0;
}

static int cmd_unit(int argc, char **argv) {
  if (cli_wants_help(argc, argv)) return printf("%s\n", unit_usage), 0;
  if (argc < 2 || (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "list") != 0))
    return fprintf(stderr, "usage: %s\n", unit_usage), 2;
  db *d = cli_open_db(argc, argv, unit_usage);
  if (!d) return 1;
  arena a;
  arena_init(&a);
  int rc = strcmp(argv[1], "add") == 0 ? unit_add(d, argc, argv, &a) : unit_list(d);
  arena_release(&a);
  db_close(d);
  return rc;
}
static const command unit_cmd = {"unit", unit_usage, cmd_unit};
COMMAND_REGISTER(unit_cmd)

/* ---- user ---- */

static int user_add(db *d, int argc, char **argv, req *r) {
  const char *login = cli_opt(argc, argv, "--login"), *pw = cli_opt(argc, argv, "--password"),
             *name = cli_opt(argc, argv, "--name"), *role = cli_opt(argc, argv, "--role"),
             *unit = cli_opt(argc, argv, "--unit"), *phone = cli_opt(argc, argv, "--phone");
  if (!login || !pw || !name || !*name || !role || !unit) return fprintf(stderr, "usage: %s\n", user_usage), 2;
  if (!user_login_valid(login)) field_error(r, "login", "账号为2到32位字母、数字、下划线、点或横线", "2 to 32 letters, digits, _ . or -");
  auth_password_policy(r, "password", pw);
  if (phone && *phone && !phone_valid(phone))
    field_error(r, "phone", "手机号应为11位大陆手机号码", "must be an 11-digit mainland mobile number");
  const char *bad = NULL;
  unsigned roles = roles_parse(role, &bad);
  if (!roles || bad) field_error(r, "role", "未知角色，应为 admin,office,leader,unit,enterprise,bank,public", "unknown role");
  int64_t unit_id = unit_by_name(d, unit);
  if (!unit_id) field_error(r, "unit", "单位不存在（见 guatu unit list）", "no such unit (see guatu unit list)");
  if (has_errors(r)) return print_errors("user add", r);
  if (user_by_login(d, login)) return fprintf(stderr, "guatu user add: the login '%s' is taken\n", login), 1;
  char hash[crypto_pwhash_STRBYTES];
  if (auth_hash_password(pw, hash, sizeof hash) != 0) return fprintf(stderr, "guatu user add: cannot hash the password\n"), 1;
  const char *now = now_text(&r->a);
  if (db_begin(d) != DB_OK) return fprintf(stderr, "guatu user add: %s\n", db_errmsg(d)), 1;
  db_stmt *st = db_query(d,
                         "INSERT INTO users (login, name, phone, unit_id, roles, password_hash, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBT(login), DBT(name), DBT(phone && *phone ? phone : NULL), DBI(unit_id),
                         DBT(roles_format(&r->a, roles)), DBT(hash), DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  json_t *after = id ? user_audit_json(d, id) : NULL;
  if (cli_commit(d, "user add", after ? DB_OK : DB_ERROR, "create", "user", id, NULL, after)) return 1;
  printf("%lld\n", (long long)id);
  return 0;
}

static int user_passwd(db *d, int argc, char **argv, req *r) {
  const char *login = cli_opt(argc, argv, "--login"), *pw = cli_opt(argc, argv, "--password");
  if (!login || !pw) return fprintf(stderr, "usage: %s\n", user_usage), 2;
  if (auth_password_policy(r, "password", pw) != 0) return print_errors("user passwd", r);
  int64_t id = user_by_login(d, login);
  if (!id) return fprintf(stderr, "guatu user passwd: no user '%s'\n", login), 1;
  char hash[crypto_pwhash_STRBYTES];
  if (auth_hash_password(pw, hash, sizeof hash) != 0) return fprintf(stderr, "guatu user passwd: cannot hash the password\n"), 1;
  if (db_begin(d) != DB_OK) return fprintf(stderr, "guatu user passwd: %s\n", db_errmsg(d)), 1;
  json_t *before = user_audit_json(d, id);
  int rc = db_exec(d, "UPDATE users SET password_hash = ?, locked_until = NULL, failed_logins = 0, updated_at = ?, version = version + 1 WHERE id = ?",
                   DBT(hash), DBT(now_text(&r->a)), DBI(id));
  if (rc == DB_OK) rc = db_exec(d, "DELETE FROM sessions WHERE user_id = ?", DBI(id));
  if (rc == DB_OK) rc = db_exec(d, "DELETE FROM login_throttle WHERE login = ?", DBT(login));
  if (rc == DB_OK)
    rc = db_exec(d, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", DBT(now_text(&r->a)), DBI(id));
  json_t *after = rc == DB_OK ? user_audit_json(d, id) : NULL;
  if (after) json_object_set_new(after, "password", json_string("(reset)"));
  if (cli_commit(d, "user passwd", after ? rc : DB_ERROR, "update", "user", id, before, after)) return 1;
  printf("password of %s changed\n", login);
  return 0;
}

static int user_disable(db *d, int argc, char **argv, req *r) {
  const char *login = cli_opt(argc, argv, "--login");
  if (!login) return fprintf(stderr, "usage: %s\n", user_usage), 2;
  int64_t id = user_by_login(d, login);
  if (!id) return fprintf(stderr, "guatu user disable: no user '%s'\n", login), 1;
  if (db_begin(d) != DB_OK) return fprintf(stderr, "guatu user disable: %s\n", db_errmsg(d)), 1;
  json_t *before = user_audit_json(d, id);
  int rc = db_exec(d, "UPDATE users SET disabled = 1, updated_at = ?, version = version + 1 WHERE id = ?", DBT(now_text(&r->a)), DBI(id));
  if (rc == DB_OK) rc = db_exec(d, "DELETE FROM sessions WHERE user_id = ?", DBI(id));
  json_t *after = rc == DB_OK ? user_audit_json(d, id) : NULL;
  if (cli_commit(d, "user disable", after ? rc : DB_ERROR, "update", "user", id, before, after)) return 1;
  printf("%s disabled\n", login);
  return 0;
}

static int cmd_user(int argc, char **argv) {
  if (cli_wants_help(argc, argv)) return printf("%s\n", user_usage), 0;
  const char *sub = argc >= 2 ? argv[1] : "";
  if (strcmp(sub, "add") != 0 && strcmp(sub, "passwd") != 0 && strcmp(sub, "disable") != 0)
    return fprintf(stderr, "usage: %s\n", user_usage), 2;
  db *d = cli_open_db(argc, argv, user_usage);
  if (!d) return 1;
  /* A scratch request lets the CLI share the API's validators. */
  req r = {0};
  arena_init(&r.a);
  int rc = strcmp(sub, "add") == 0      ? user_add(d, argc, argv, &r)
           : strcmp(sub, "passwd") == 0 ? user_passwd(d, argc, argv, &r)
                                        : user_disable(d, argc, argv, &r);
  json_decref(r.errors);
  arena_release(&r.a);
  db_close(d);
  return rc;
}
static const command user_cmd = {"user", user_usage, cmd_user};
COMMAND_REGISTER(user_cmd)

/* ---- token ---- */

static int cmd_token(int argc, char **argv) {
  if (cli_wants_help(argc, argv)) return printf("%s\n", token_usage), 0;
  const char *login = cli_opt(argc, argv, "--user"), *name = cli_opt(argc, argv, "--name");
  if (argc < 2 || strcmp(argv[1], "create") != 0 || !login) return fprintf(stderr, "usage: %s\n", token_usage), 2;
  db *d = cli_open_db(argc, argv, token_usage);
  if (!d) return 1;
  arena a;
  arena_init(&a);
  int rc = 1;
  int64_t uid = user_by_login(d, login);
  if (!uid) {
    fprintf(stderr, "guatu token create: no user '%s'\n", login);
  } else if (db_begin(d) != DB_OK) {
    fprintf(stderr, "guatu token create: %s\n", db_errmsg(d));
  } else {
    if (!name || !*name) name = "cli";
    char token[68];
    int64_t id = token_insert(d, uid, name, now_text(&a), token);
    json_t *after = json_pack("{s:I, s:s, s:I}", "id", (json_int_t)id, "name", name, "user_id", (json_int_t)uid);
    if (!cli_commit(d, "token create", id ? DB_OK : DB_ERROR, "create", "token", id, NULL, after)) {
      printf("%s\n", token);
      rc = 0;
    }
    sodium_memzero(token, sizeof token);
  }
  arena_release(&a);
  db_close(d);
  return rc;
}
static const command token_cmd = {"token", token_usage, cmd_token};
COMMAND_REGISTER(token_cmd)
