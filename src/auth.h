/*
 * auth.h — who is asking, and what they may touch.
 *
 * Sessions and API tokens live in the database (so several server processes
 * share them); only hashes of the secrets are stored.  Passwords are hashed
 * with Argon2id (libsodium).  Data scope is expressed through the unit tree:
 * every unit has a materialised path "/1/7/12/", and a unit user's scope is
 * every unit whose path starts with their own unit's path.
 */
#ifndef GUATU_AUTH_H
#define GUATU_AUTH_H

#include "arena.h"
#include "http.h"

/* Fills r->user from the Bearer token or the session cookie.  Returns 0, or
 * -1 after replying 401 (a token that is unknown or revoked). */
int auth_resolve(req *r);
/* 1 when the X-CSRF-Token header matches the session's token. */
int auth_csrf_ok(req *r);

/* Argon2id hash of a password into `out` (crypto_pwhash_STRBYTES). */
int auth_hash_password(const char *password, char *out, size_t outlen);
int auth_check_password(const char *hash, const char *password);
/* 0 when acceptable; otherwise a field error on `field` was recorded. */
int auth_password_policy(req *r, const char *field, const char *password);
/* 1 for a password on the compiled-in list of common ones or of an
 * obvious pattern (common_passwords.c). */
int password_is_common(const char *password);
/* A session ends after this long without a request. */
#define SESSION_IDLE_MINUTES 30

/* Role names ("admin", "office", …) ↔ bits. */
unsigned roles_parse(const char *csv, const char **bad); /* bad: first unknown name */
const char *roles_format(arena *a, unsigned roles);
json_t *roles_json(unsigned roles);
extern const char *const role_names[];

/* A new random secret as hex (2*nbytes chars) and its storage hash. */
void auth_random_hex(char *out, size_t nbytes);
void auth_secret_hash(const char *secret, char out[65]);

/* --- data scope --------------------------------------------------------- */
/* Sees everything (read): admin, office, leader. */
int scope_reads_all(const req *r);
/* Changes anything: admin, office. */
int scope_writes_all(const req *r);
/* May read / change data owned by `unit_id` (for unit and enterprise users:
 * their unit or, for unit staff, one of its sub-units; the public and banks
 * own no unit data, whatever unit they are attached to). */
int scope_can_read_unit(req *r, int64_t unit_id);
int scope_can_write_unit(req *r, int64_t unit_id);
/* Appends " AND <col> IN (…the user's units…)" to sql and the bound
 * argument to args[*nargs] when the user does not read everything
 * (" AND 1 = 0" for the public and banks). */
void scope_filter(req *r, const char *col, strbuf *sql, db_val *args, int *nargs);
/* The path LIKE pattern of the user's scope ("/1/7/%"); one that matches
 * no unit for users without a unit scope (public, bank). */
const char *scope_path_pattern(req *r);

/* --- audit -------------------------------------------------------------- */
typedef struct audit_actor {
  int64_t user_id;
  const char *login, *ip;
} audit_actor;
/* Appends one entry, in the caller's transaction.  before/after may be NULL
 * and are not stolen.  Returns a DB_* code. */
int audit_write(db *d, const audit_actor *who, const char *action, const char *entity, int64_t entity_id,
                json_t *before, json_t *after);
/* The same, with the actor taken from the request. */
int audit_log(req *r, const char *action, const char *entity, int64_t entity_id, json_t *before, json_t *after);
/* The actors of changes made outside a request: a command-line write (see
 * cli_commit in cli.h) and the server's own background work (escalations,
 * schema upgrades).  Their audit entries are what tells every server's
 * response cache that the data changed (see http.c). */
extern const audit_actor audit_cli, audit_system;

#endif
