/*
 * rankings.h — what the assessment files share (rankings.c: the monthly
 * rankings; accountability_api.c: the accountability list, its settings
 * and the public board; assessment.c: the quarterly assessment): the
 * settings of the rule, the roster of ranked units, one month's figures
 * ranked per peer group, the unit scope of rows and the export of a board.
 * The rule itself is accountability.h (pure, no database).
 */
#ifndef GUATU_RANKINGS_H
#define GUATU_RANKINGS_H

#include <jansson.h>
#include <stdint.h>

#include "accountability.h"
#include "arena.h"
#include "db.h"
#include "http.h"

/* Who reads the boards. */
#define RANKING_READERS (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT)

#define TIE_RULE                                                                                                     \
  "单项排名：按完成率（实际÷目标）从高到低；完成率相同按实际完成量从高到低；再相同按完成任务数从多到少；仍相同则并列同一名次，" \
  "按单位名称（Unicode码位）顺序列出。综合排名：按各项任务完成率（每项封顶100%）的加权平均得分，相同按完成任务数、任务数。"    \
  "与倒数第N名并列的单位一并计入倒数N名。 / Per kind: completion ratio (actual ÷ target) descending, then the absolute "    \
  "actual, then tasks completed; units equal on all three share a rank and are listed by unit name (codepoint order). " \
  "Overall: weighted mean of the tasks' ratios, each capped at 100%, then tasks completed, then number of tasks. Units " \
  "tied with the N-th from last all count as in the last N."

/* ---- settings (accountability_api.c) ---- */

/* The factors of the quarterly assessment. */
enum { F_INVESTMENT, F_STARTS, F_NODES, F_PROBLEMS, F_REPORTS, F_N };
extern const char *const factor_names[]; /* "investment", …, NULL-terminated */
extern const char *const factor_zh[];    /* "投资完成率", … */

typedef struct acc_settings {
  int last_n, months;
  int weight[F_N];
} acc_settings;
/* The settings keys accountability.last_n, accountability.months and
 * assessment.weight.FACTOR, each falling back to its default. */
void settings_load(db *d, acc_settings *s);
json_t *settings_json(const acc_settings *s);

/* ---- the units that are ranked (rankings.c) ---- */

typedef struct ranked_unit {
  int64_t id;
  const char *name, *path;
  int group, idx; /* peer group and index inside it */
} ranked_unit;

typedef struct roster {
  ranked_unit *all; /* sorted by id */
  int n;
  int gn[PG_N];
  acc_unit *tmpl[PG_N];
} roster;
int roster_load(db *d, arena *a, roster *ro);
const ranked_unit *roster_find(const roster *ro, int64_t id);

/* One month's figures, ranked per group. */
typedef struct month_calc {
  char month[16];
  acc_unit *u[PG_N];
} month_calc;
int month_compute(db *d, arena *a, const roster *ro, const char *month, month_calc *mc);
/* How many units of a group have tasks of the kind (kind < 0: any task). */
int kind_size(const acc_unit *u, int n, int kind);

/* The rankings of every group (or one) for a month, as the API shows them. */
json_t *rankings_json(db *d, arena *a, const roster *ro, const char *month, int only_group, int last_n,
                      month_calc *cur_out);

/* Keeps only the rows a unit user may see (their unit and sub-units). */
void scope_rows(req *r, const roster *ro, json_t *rows);
/* Replies with rows as a spreadsheet or a PDF when format asks for it;
 * returns 1 when it did. */
int reply_export(req *r, json_t *rows, const char *title, const char *default_cols);

extern const char *const group_values[]; /* "town", "department", "hq", NULL */
/* This month as "YYYY-MM" (China time). */
const char *default_month(req *r);

#endif
