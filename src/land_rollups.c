/*
 * land_rollups.c — the land figures per project (sql/0026_land_rollups.sql)
 * that GET /land-progress reads instead of every household.
 *
 * Why: at province scale (1,000,000 households on 7,028 projects) the
 * district-wide answer summed every household per request — a full scan of
 * the covering index land_households_progress, ~0.35 s of CPU and 0.6–0.8 s
 * per uncached answer; the index spares the table rows, not the scan.  The
 * roll-up is one row per project with households: reading 7,028 rows
 * replaces reading 1,000,000.
 *
 * Kept in the writer's transaction: every change to a household (create,
 * import, edit, transition) and to its items or payments (due, paid) calls
 * land_rollup_project() or land_rollup_household(), which recompute the
 * project's row from its households (one index range); a bulk load (demo,
 * gen) calls land_rollup_rebuild().  A project deleted takes its row with it
 * (ON DELETE CASCADE).  land_rollup_check() (run by `guatu check rollups`)
 * recomputes every row from the households and prints each difference.
 */
#include <stdlib.h>
#include <string.h>

#include "land.h"

/* The figures of a project's households, in the column order of the table
 * (after project_id). */
#define LR_SUMS                                                                                                    \
  "COUNT(h.id), "                                                                                                  \
  "COALESCE(SUM(CASE WHEN h.state IN ('signed', 'demolished', 'handed_over') THEN 1 ELSE 0 END), 0), "            \
  "COALESCE(SUM(CASE WHEN h.state IN ('demolished', 'handed_over') THEN 1 ELSE 0 END), 0), "                      \
  "COALESCE(SUM(CASE WHEN h.state = 'handed_over' THEN 1 ELSE 0 END), 0), "                                       \
  "COALESCE(SUM(CASE WHEN h.state = 'handed_over' THEN h.collective_mu + h.state_mu ELSE 0 END), 0), "            \
  "COALESCE(SUM(h.collective_mu + h.state_mu), 0), COALESCE(SUM(h.due), 0), COALESCE(SUM(h.paid), 0), "           \
  "COALESCE(SUM(h.houses), 0), "                                                                                   \
  "COALESCE(SUM(CASE WHEN h.state IN ('demolished', 'handed_over') THEN h.houses ELSE 0 END), 0), "               \
  "MIN(h.surveyed_on)"

#define LR_COLS                                                                                                    \
  "project_id, households, signed, demolished, handed_over, acquired_mu, surveyed_mu, due, paid, houses, "         \
  "houses_demolished, start_on"

enum { LR_NINT = 10 };
static const char *const lr_names[LR_NINT] = {"households", "signed",      "demolished", "handed_over", "acquired_mu",
                                              "surveyed_mu", "due",        "paid",       "houses",      "houses_demolished"};

int land_rollup_project(db *d, int64_t project_id) {
  int rc = db_exec(d, "DELETE FROM land_rollups WHERE project_id = ?", DBI(project_id));
  if (rc != DB_OK) return rc;
  return db_exec(d,
                 "INSERT INTO land_rollups (" LR_COLS ") SELECT h.project_id, " LR_SUMS
                 " FROM land_households h WHERE h.project_id = ? GROUP BY h.project_id",
                 DBI(project_id));
}

int land_rollup_household(db *d, int64_t household_id) {
  int64_t pid = db_int1(d, 0, "SELECT project_id FROM land_households WHERE id = ?", DBI(household_id));
  if (!pid) return db_errcode(d) != DB_OK ? db_errcode(d) : DB_ERROR;
  return land_rollup_project(d, pid);
}

int land_rollup_rebuild(db *d) {
  int rc = db_exec0(d, "DELETE FROM land_rollups");
  if (rc != DB_OK) return rc;
  return db_exec0(d, "INSERT INTO land_rollups (" LR_COLS ") SELECT h.project_id, " LR_SUMS
                     " FROM land_households h GROUP BY h.project_id");
}

typedef struct lr_row {
  int64_t pid, v[LR_NINT];
  char start[11]; /* "" when NULL */
} lr_row;

typedef struct lr_rows {
  lr_row *r;
  size_t n, cap;
} lr_rows;

/* Every row of `sql` (the columns of LR_COLS, ordered by project). */
static int lr_read(db *d, const char *sql, lr_rows *out) {
  db_stmt *st = db_query0(d, sql);
  if (!st) return DB_ERROR;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (out->n == out->cap) {
      size_t cap = out->cap ? out->cap * 2 : 1024;
      lr_row *r = realloc(out->r, cap * sizeof *r);
      if (!r) {
        rc = DB_ERROR;
        break;
      }
      out->r = r;
      out->cap = cap;
    }
    lr_row *e = &out->r[out->n++];
    e->pid = db_int(st, 0);
    for (int k = 0; k < LR_NINT; k++) e->v[k] = db_int(st, 1 + k);
    snprintf(e->start, sizeof e->start, "%s", db_isnull(st, 11) ? "" : db_text(st, 11));
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : DB_ERROR;
}

int64_t land_rollup_check(db *d, FILE *out) {
  lr_rows want = {0}, have = {0};
  /* both lists are read whole: two statements may not be stepped together */
  int rc = lr_read(d, "SELECT h.project_id, " LR_SUMS " FROM land_households h GROUP BY h.project_id ORDER BY h.project_id",
                   &want);
  if (rc == DB_OK) rc = lr_read(d, "SELECT " LR_COLS " FROM land_rollups ORDER BY project_id", &have);
  int64_t diffs = 0;
  size_t i = 0, j = 0;
  while (rc == DB_OK && (i < have.n || j < want.n)) {
    const lr_row *h = i < have.n ? &have.r[i] : NULL, *w = j < want.n ? &want.r[j] : NULL;
    if (h && (!w || h->pid < w->pid)) {
      fprintf(out, "project %lld land_rollups: a stored row, but the project has no households\n", (long long)h->pid);
      diffs++, i++;
      continue;
    }
    if (w && (!h || w->pid < h->pid)) {
      fprintf(out, "project %lld land_rollups: no stored row for its %lld households\n", (long long)w->pid, (long long)w->v[0]);
      diffs++, j++;
      continue;
    }
    if (!h || !w) break; /* not reached: one of them is left */
    for (int k = 0; k < LR_NINT; k++)
      if (h->v[k] != w->v[k]) {
        fprintf(out, "project %lld land_rollups %s: stored %lld, recomputed %lld\n", (long long)h->pid, lr_names[k],
                (long long)h->v[k], (long long)w->v[k]);
        diffs++;
      }
    if (strcmp(h->start, w->start) != 0) {
      fprintf(out, "project %lld land_rollups start_on: stored %s, recomputed %s\n", (long long)h->pid,
              h->start[0] ? h->start : "none", w->start[0] ? w->start : "none");
      diffs++;
    }
    i++, j++;
  }
  free(want.r);
  free(have.r);
  return rc == DB_OK ? diffs : -1;
}
