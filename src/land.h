/*
 * land.h — land acquisition and demolition (征拆): the public face of the
 * land_*.c files.  Other areas read land figures only through here.
 *
 * The pure part (land_rules.c, unit-tested in tests/unit/test_land_rules.c):
 * the household state machine surveyed → valued → signed → demolished →
 * handed_over with the sequence rule's guards (seed 001: sign only with every
 * compensation item valued, demolish only after signing, hand over only when
 * every item is paid in full), the GB 11643 ID-number check, masking of ID
 * numbers and phones, and the area of a GeoJSON polygon.
 *
 * The HTTP part: land_ledger.c (households, items, payments, transitions,
 * masking and audited reveals), land_progress.c (progress, campaign chart,
 * hard cases), land_disclosure.c (公示, its A4 PDF), land_import.c (XLSX),
 * demo_land.c.
 */
#ifndef GUATU_LAND_H
#define GUATU_LAND_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "db.h"

/* --- states and kinds ----------------------------------------------------- */
enum land_state { LS_SURVEYED = 0, LS_VALUED, LS_SIGNED, LS_DEMOLISHED, LS_HANDED_OVER, LS_COUNT };
extern const char *const land_states[];    /* surveyed … handed_over, NULL */
extern const char *const land_states_zh[]; /* 已调查 已评估 已签约 已倒房 已交地 */
extern const char *const land_item_kinds[];    /* land crops facilities graves lines resettlement other */
extern const char *const land_item_kinds_zh[]; /* 土地费 青苗补偿 … */
extern const char *const land_kinds[];    /* collective state */
extern const char *const land_kinds_zh[]; /* 集体土地 国有土地 */
/* Index of s in a NULL-terminated list, or -1. */
int land_code(const char *const *list, const char *s);
const char *land_item_kind_zh(const char *kind);
const char *land_state_zh(const char *state);


/* --- the sequence rule ---------------------------------------------------- */
typedef struct land_item_view {
  int64_t id;
  const char *kind;
  int has_amount;
  int64_t amount, paid; /* fen */
} land_item_view;

typedef struct land_hh_view {
  int state;  /* enum land_state */
  int houses; /* 栋; a parcel without houses skips demolition */
  int nitems;
  const land_item_view *items;
} land_hh_view;

enum { LAND_OK = 0, LAND_ORDER = 409, LAND_MISSING = 422 };

/* May household h move to state `to`?  LAND_OK, or LAND_ORDER (the state
 * does not allow it: 409) / LAND_MISSING (something is missing: 422) with
 * "中文" and "English" sentences naming what (the item, the amount owed)
 * written to zh/en (size n each). */
int land_transition_check(const land_hh_view *h, int to, char *zh, char *en, size_t n);

/* --- personal data -------------------------------------------------------- */
/* 1 when s is an 18-character resident ID number (GB 11643-1999) whose
 * birth date is real and whose check digit (ISO 7064 MOD 11-2; X for 10)
 * is right. */
int land_id_valid(const char *s);
/* "430203********1234" (first 6, last 4) / "138****5678"; into buf (≥ 32). */
void land_mask_id(const char *s, char *buf, size_t n);
void land_mask_phone(const char *s, char *buf, size_t n);

/* --- map ------------------------------------------------------------------ */
/* Area in m² of a GeoJSON Polygon or MultiPolygon (lng/lat degrees, the
 * outer ring minus holes, on the WGS84 mean sphere), or -1 when the text is
 * not such a geometry (or a Feature holding one). */
double land_geojson_area_m2(const char *geojson);
/* 1 when the outline's area differs from the recorded hundredths of 亩 by
 * more than 5 %. */
int land_area_mismatch(double outline_m2, int64_t recorded_hmu);

/* --- for other areas (battle map, monthly tasks, dispatch) ---------------- */
/* Households of a project in a state at least `min_state`, and the total. */
int64_t land_count_at_least(db *d, int64_t project_id, int min_state);

/* The ledger's figures for a project's land-acquisition node (节点 kind
 * `land_acquisition`): households and those handed over, acquired land (of
 * households handed over) against the plan, in hundredths of 亩. */
typedef struct land_node_fig {
  int64_t households, handed_over, acquired, planned;
  int done; /* every household handed over, or acquired >= planned (> 0) */
} land_node_fig;
int land_node_figures(db *d, int64_t project_id, land_node_fig *f);
/* The figures as the node's `land` object {households, handed_over,
 * acquired_mu, planned_mu, acquired_rate, done}; JSON null when the project
 * has neither households nor a plan (or on a database error). */
json_t *land_node_json(db *d, int64_t project_id);
/* When the project's acquisition is done, its land-acquisition nodes that
 * have no actual date take the day it was done (the handover that completed
 * it), in the caller's transaction.  DB_OK or the error. */
int land_sync_nodes(db *d, int64_t project_id, const char *at);

/* The roll-up of land figures per project (sql/0026, land_rollups.c), kept
 * in the writer's transaction: land_rollup_project() recomputes a project's
 * row from its households (no row without households), land_rollup_household()
 * the row of a household's project, land_rollup_rebuild() every row (bulk
 * loads).  DB_OK or the error. */
int land_rollup_project(db *d, int64_t project_id);
int land_rollup_household(db *d, int64_t household_id);
int land_rollup_rebuild(db *d);
/* Recomputes every row from the households and prints each difference to
 * `out`: the number of differences, or -1 on a database error. */
int64_t land_rollup_check(db *d, FILE *out);

/* An open hard case (疑难个案) awaiting the leading group, for the dispatch
 * agenda: its household (village, head) and the issue. */
typedef struct land_open_case {
  int64_t id, project_id, household_id;
  const char *project, *village, *head_name, *title, *description, *raised_on;
} land_open_case;
/* Hard cases still open that were raised on or before `date` (YYYY-MM-DD),
 * oldest first, at most `max`, into the arena.  Returns the count or -1 on
 * a database error. */
int land_open_hard_cases(db *d, arena *a, const char *date, int max, land_open_case **out);

#endif
