/*
 * identity.h — the parts of units, users and tokens that both the API
 * handlers (units.c, users.c, tokens.c) and the command line
 * (cli_identity.c) need, so a unit or user made from a script is exactly
 * like one made in the web UI: same validation rules, same path upkeep,
 * same audit entries.
 */
#ifndef GUATU_IDENTITY_H
#define GUATU_IDENTITY_H

#include <jansson.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"

/* The unit kinds, NULL-terminated. */
extern const char *const unit_kinds[];
int unit_kind_valid(const char *kind);

/* {id,name,kind,parent_id,path} of a unit, or NULL when it does not exist. */
json_t *unit_json(db *d, int64_t id);
/* The id of the unit with this exact name (names are unique), or 0. */
int64_t unit_by_name(db *d, const char *name);
/* Inserts a unit below parent_id (0: top level) and sets its materialised
 * path; returns the new id, or 0 with the DB error left on the connection.
 * Runs inside the caller's transaction. */
int64_t unit_insert(db *d, const char *name, const char *kind, int64_t parent_id, const char *at);

/* Login names: 2–32 of A-Z a-z 0-9 _ . - */
int user_login_valid(const char *login);
/* Mainland China mobile number: 1[3-9] and nine more digits. */
int phone_valid(const char *phone);
/* "138****5678"; other shapes keep only their last four characters. */
const char *phone_mask(arena *a, const char *phone);
/* The audit view of a user (never the password hash; the phone masked). */
json_t *user_audit_json(db *d, int64_t id);

/* A new API token "gt_" + 64 hex for user_id; the secret goes to `token`
 * (68 bytes with the NUL), only its hash to the database.  Returns the id
 * or 0.  Runs inside the caller's transaction. */
int64_t token_insert(db *d, int64_t user_id, const char *name, const char *at, char token[68]);

#endif
