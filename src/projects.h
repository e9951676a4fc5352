/*
 * projects.h — what the project-library files (projects.c,
 * project_fields.c, project_settings.c, nodes.c, battlemap.c,
 * project_import.c, demo_projects.c) share: the code lists of levels and
 * stages with their Chinese names, the project JSON, scope checks, the
 * light reasons and thresholds, and the custom field definitions (node JSON
 * and templates: nodes.h).  Other modules use the tables directly (see
 * sql/0003_projects.sql) and lights.h for the rule.
 */
#ifndef GUATU_PROJECTS_H
#define GUATU_PROJECTS_H

#include <jansson.h>
#include <stdint.h>

#include "auth.h"
#include "calendar.h"
#include "http.h"
#include "lights.h"

extern const char *const project_levels[];   /* province city district */
extern const char *const project_levels_zh[]; /* 省重点 市重点 区重点 */
extern const char *const project_stages[];   /* reserve … production */
extern const char *const project_stages_zh[]; /* 储备 前期 在建 竣工 投产 */
extern const char *const node_kinds[];
extern const char *const custom_types[]; /* text number money date choice */

/* Index of s in a NULL-terminated list, or -1. */
int code_index(const char *const *list, const char *s);

/* The context every light needs: today, the year and the thresholds; and
 * the working-day calendar for slip days, which the caller holds for as
 * long as it uses lc (req_calendar(r) in a handler; NULL when nothing
 * counts working days). */
typedef struct light_ctx {
  int32_t today;
  int year;
  light_cfg cfg;
  const calendar *cal;
} light_ctx;
void light_ctx_init(db *d, light_ctx *lc, const calendar *cal, int year);
/* The thresholds an administrator set (settings keys light.yellow_days,
 * light.red_lag, light.yellow_lag; PUT /api/v1/settings/lights, in
 * project_settings.c), each falling back to light_defaults. */
void lights_config_load(db *d, light_cfg *cfg);
int lights_config_save(db *d, const light_cfg *cfg);

/* The full project JSON (contract fields), or NULL when absent.  The caller
 * checks scope first. */
json_t *project_json(db *d, int64_t id, const light_ctx *lc);
/* A reason sentence for one node (red or yellow), or NULL when green. */
char *node_reason(const char *name, int32_t planned, int light, int32_t today);
/* A reason for the investment lag, or NULL when it is within thresholds. */
char *lag_reason(int64_t ytd, int64_t plan, int year, const light_ctx *lc);

/* Scope: may the user read / change this project?  Loads its unit and
 * owner; 0 when the project is absent or out of scope. */
enum { PSCOPE_NONE = 0, PSCOPE_READ = 1, PSCOPE_PROGRESS = 2, PSCOPE_WRITE = 3 };
int project_scope(req *r, int64_t id);
/* project_scope for a handler: 404 when the project does not exist, 403
 * when the scope is below `need` (PSCOPE_READ: "may not read", above:
 * "may change only your units' projects").  The scope, or -1 after the
 * reply. */
int project_open(req *r, int64_t id, int need);
/* The scope from a project's unit, HQ, owner (0 when none) and published
 * flag, as project_scope reads them. */
int project_scope_of(req *r, int64_t unit, int64_t hq, int64_t owner, int published);
/* project_open's replies for a scope already known (-1: no such project). */
int project_open_reply(req *r, int sc, int need);
/* project_open and project_json in two statements (the row with its scope,
 * then its related rows): the JSON, or NULL after the 404/403/error reply. */
json_t *project_json_open(req *r, int64_t id, const light_ctx *lc, int need, int *scope);
/* " AND …" fragment limiting `projects p` to what the user may read. */
void project_scope_sql(req *r, strbuf *sql, db_val *args, int *n);
/* The ids of the projects the user may read, as a subquery for
 * "project_id IN (…)".  A unit user's are a UNION of its units' and its
 * HQs' projects: the one OR of project_scope_sql over two subqueries left
 * PostgreSQL guessing half of all projects, so it hashed every household of
 * the province for the ledger of one town (170 ms; 1.5 ms this way). */
void project_scope_ids_sql(req *r, strbuf *sql, db_val *args, int *n);

/* A project's writable fields after validation.  For an update the
 * current values are loaded first and the sent fields laid over them. */
typedef struct proj_in {
  const char *code, *name, *level, *category, *chain, *stage, *location;
  int64_t unit_id, leader_id, hq_id, owner_unit_id, total, land;
  double lng, lat;
  int has_lng, has_lat, top500, published;
  int64_t land_plan; int has_land_plan; /* 征拆计划亩数 (land.h); has: sent, store it */
  json_t *plan;   /* {"2026": fen as integer}; NULL: leave as is */
  json_t *tags;   /* ["省市重点", …]; NULL: leave as is */
  json_t *custom; /* normalised custom values; NULL: leave as is */
} proj_in;
/* Loads a project's current values (strings into the arena); 0 or -1. */
int proj_load(db *d, arena *a, int64_t id, proj_in *p);
/* Inserts (id 0, returns the new id) or updates the row, its plans, tags
 * and custom values; returns the id or 0 on a DB error.  Inside the
 * caller's transaction; no audit, no version check (the caller's job). */
int64_t proj_store(db *d, const proj_in *p, int64_t id, const char *at);

/* Custom field definitions (project_fields.c). */
typedef struct cfield {
  const char *key, *label, *type;
  json_t *options; /* choice: array of strings (borrowed from `all`) */
  int required;
} cfield;
typedef struct cfields {
  cfield *f;
  int n;
  json_t *all; /* owns the option arrays; json_decref when done */
} cfields;
int cfields_load(db *d, arena *a, cfields *cf);
/* Checks and normalises one value; 0, or -1 with a bilingual reason. */
int cfield_value(const cfield *f, json_t *v, json_t **norm, const char **zh, const char **en, arena *a);
/* Text form of a normalised value (for filters and exports). */
const char *cfield_text(arena *a, json_t *v);

#endif
