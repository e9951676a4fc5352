/*
 * land_http.h — what the land_*.c handler files share among themselves
 * (other areas use land.h): scope through the project, the household JSON
 * with masking, and the household input shared by the API and the import.
 */
#ifndef GUATU_LAND_HTTP_H
#define GUATU_LAND_HTTP_H

#include <jansson.h>
#include <stdio.h>

#include "http.h"
#include "land.h"

/* Today as YYYY-MM-DD in the arena (clock.h, so GUATU_TODAY pins it). */
const char *land_today(arena *a);
/* The user's scope on a project (PSCOPE_*, projects.h); PSCOPE_NONE for the
 * public, who never read the ledger, and for an absent project. */
int land_project_scope(req *r, int64_t project_id);
/* The project of household `id` when the user has at least `need` on it
 * (its scope into *scope); else 0 after replying 404 (absent or out of
 * scope) or 403 (readable but not writable). */
int64_t land_household_open(req *r, int64_t id, int need, int *scope);
/* 1 when the user is land staff (may reveal ID numbers and phones). */
int land_is_staff(req *r);

/* A household's JSON: masked unless `full`; with items, payments, history
 * and hard cases when `with_detail`.  NULL when absent. */
json_t *land_household_json(db *d, int64_t id, int full, int with_detail);
/* Masks the personal data of a household row (unless full) and adds the
 * derived fields (land_mu, state_name, outline_mu, area_mismatch). */
void land_household_finish(json_t *o, int full);

/* A household's writable fields after validation. */
typedef struct land_hh_in {
  const char *village, *group, *head_name, *id_number, *phone, *notes, *geojson, *surveyed_on;
  int64_t collective, state_owned, house_area; /* hundredths of 亩 / m² */
  int houses;
  double outline; /* m² of geojson; -1: none */
} land_hh_in;
/* Reads the sent fields over h, recording field errors. */
void land_household_read(req *r, json_t *in, land_hh_in *h, int creating);
int land_household_load(db *d, arena *a, int64_t id, land_hh_in *h);
/* Inserts a household in state surveyed with its first history entry, in
 * the caller's transaction (no audit); its id or 0. */
int64_t land_household_insert(db *d, int64_t project_id, const land_hh_in *h, int64_t user_id, const char *today,
                              const char *now);

/* The demo ledgers (demo_land.c). */
int land_demo(db *d, FILE *log);

#endif
