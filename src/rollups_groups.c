/*
 * rollups_groups.c — the group roll-ups (sql/0020_group_rollups.sql): per
 * unit, and per chain / level / leader within a unit and over every unit,
 * the figures of the dashboard's default view (see rollups.h).
 *
 * A unit's rows are recomputed from its own projects (a unit holds about
 * ten) whenever one of its projects' roll-up is; the rows over every unit
 * (unit_id 0) move by the difference between the unit's old and new rows,
 * so a write touches a handful of rows and two concurrent writers add up
 * instead of overwriting each other.  The daily tick and the bulk loads
 * rebuild every row in one grouped pass.
 */
#include "rollups.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "calendar.h"
#include "clock.h"
#include "reports.h"

static const char *const dims[] = {"chain", "level", "leader"};

static int push(grollups *gs, const grollup *x) {
  if (gs->n == gs->cap) {
    size_t cap = gs->cap ? gs->cap * 2 : 64;
    grollup *nr = realloc(gs->r, cap * sizeof *nr);
    if (!nr) return -1;
    gs->r = nr;
    gs->cap = cap;
  }
  gs->r[gs->n++] = *x;
  return 0;
}

void grollups_free(grollups *gs) {
  free(gs->r);
  arena_release(&gs->a);
  memset(gs, 0, sizeof *gs);
}

/* the figures of one project, added into a group row */
typedef struct gproj {
  int64_t plan, ytd, prev, overdue, m[12], l[12];
  int light, started, completed;
  char day[11];
} gproj;

static void add(grollup *g, const gproj *p) {
  if (!g->projects || strcmp(p->day, g->day) < 0) snprintf(g->day, sizeof g->day, "%s", p->day);
  g->projects++;
  g->plan += p->plan, g->ytd += p->ytd, g->prev += p->prev;
  g->lights[p->light]++;
  g->started += p->started, g->completed += p->completed, g->overdue += p->overdue;
  for (int i = 0; i < 12; i++) g->m[i] += p->m[i], g->l[i] += p->l[i];
}

/* Adds (sign 1) or subtracts (-1) every figure of y into x. */
static void add_row(grollup *x, const grollup *y, int sign) {
  x->units += sign * y->units;
  x->projects += sign * y->projects, x->plan += sign * y->plan, x->ytd += sign * y->ytd, x->prev += sign * y->prev;
  for (int k = 0; k < 3; k++) x->lights[k] += sign * y->lights[k];
  x->started += sign * y->started, x->completed += sign * y->completed, x->overdue += sign * y->overdue;
  for (int i = 0; i < 12; i++) x->m[i] += sign * y->m[i], x->l[i] += sign * y->l[i];
}

/* The row (dim, key) of `unit` in gs->r[from..], added when missing. */
static grollup *row_for(grollups *gs, size_t from, const char *dim, const char *key, int64_t unit, int64_t ref) {
  for (size_t i = from; i < gs->n; i++)
    if (strcmp(gs->r[i].dim, dim) == 0 && strcmp(gs->r[i].key, key) == 0) return &gs->r[i];
  grollup x = {0};
  snprintf(x.dim, sizeof x.dim, "%s", dim);
  x.key = arena_strdup(&gs->a, key);
  x.unit_id = unit;
  x.ref = ref;
  x.units = 1;
  return push(gs, &x) == 0 ? &gs->r[gs->n - 1] : NULL;
}

static int cmp_pid(const void *a, const void *b) {
  const int64_t *x = a;
  const rollup_light *y = b;
  return *x < y->project_id ? -1 : *x > y->project_id;
}

int rollup_groups_compute(db *d, int64_t unit_id, int32_t day, const rollup_light *lights, size_t nlights, grollups *out) {
  int y, mo, dd;
  date_to_ymd(day, &y, &mo, &dd);
  int month = mo > 1 ? mo - 1 : 1; /* the light's period (rollups.c light_period) */
  char from[11], to[11];
  date_format(date_from_ymd(y, 1, 1), from);
  date_format(date_from_ymd(y, 12, 31), to);
  strbuf sql = STRBUF_INIT;
  sb_adds(&sql, "SELECT p.id, p.unit_id, COALESCE(p.chain, ''), p.level, COALESCE(p.leader_id, 0), COALESCE(pp.amount, 0)");
  for (int m = 1; m <= 12; m++) sb_addf(&sql, ", COALESCE(t.m%02d, 0)", m);
  for (int m = 1; m <= 12; m++) sb_addf(&sql, ", COALESCE(l.m%02d, 0)", m);
  sb_adds(&sql, ", COALESCE(ru.light, 0), COALESCE(ru.nodes_red, 0), COALESCE(ru.day, ''), "
                "CASE WHEN EXISTS (SELECT 1 FROM nodes n WHERE n.project_id = p.id AND n.kind = 'start' "
                "AND n.actual_date >= ? AND n.actual_date <= ?) THEN 1 ELSE 0 END, "
                "CASE WHEN EXISTS (SELECT 1 FROM nodes n WHERE n.project_id = p.id AND n.kind = 'completion' "
                "AND n.actual_date >= ? AND n.actual_date <= ?) THEN 1 ELSE 0 END "
                "FROM projects p "
                "LEFT JOIN project_plans pp ON pp.project_id = p.id AND pp.year = ? "
                "LEFT JOIN ");
  char tfrom[16], tto[16], lfrom[16], lto[16];
  snprintf(tfrom, sizeof tfrom, "%04d-01", y);
  snprintf(tto, sizeof tto, "%04d-12", y);
  snprintf(lfrom, sizeof lfrom, "%04d-01", y - 1);
  snprintf(lto, sizeof lto, "%04d-12", y - 1);
  db_val args[9] = {DBT(from), DBT(to), DBT(from), DBT(to), DBI(y), DBI(y), DBI(y - 1), DBI(unit_id), DBNULL};
  if (lights) {
    /* the check: the months straight from the approved reports */
    for (int pass = 0; pass < 2; pass++) {
      sb_adds(&sql, "(SELECT project_id");
      for (int m = 1; m <= 12; m++) sb_addf(&sql, ", SUM(CASE WHEN substr(period, 6, 2) = '%02d' THEN investment ELSE 0 END) AS m%02d", m, m);
      sb_addf(&sql, " FROM reports WHERE state = 'approved' AND period >= ? AND period <= ? GROUP BY project_id) %s ON %s.project_id = p.id%s",
              pass ? "l" : "t", pass ? "l" : "t", pass ? " " : " LEFT JOIN ");
    }
    args[5] = DBT(tfrom), args[6] = DBT(tto), args[7] = DBT(lfrom), args[8] = DBT(lto);
  } else {
    sb_adds(&sql, "report_totals t ON t.project_id = p.id AND t.year = ? "
                  "LEFT JOIN report_totals l ON l.project_id = p.id AND l.year = ? ");
  }
  sb_adds(&sql, "LEFT JOIN project_rollups ru ON ru.project_id = p.id WHERE p.stage <> 'reserve'");
  int na = lights ? 9 : 7;
  if (unit_id) args[na++] = DBI(unit_id);
  sb_adds(&sql, unit_id ? " AND p.unit_id = ? ORDER BY p.unit_id, p.id" : " ORDER BY p.unit_id, p.id");
  db_stmt *st = db_prepare(d, sb_str(&sql), na, args);
  sb_release(&sql);
  int rc = DB_ERROR, oom = 0;
  size_t first = 0; /* the current unit's first row */
  int64_t cur = -1;
  while (st && !oom && (rc = db_step(st)) == DB_ROW) {
    int64_t pid = db_int(st, 0), unit = db_int(st, 1), leader = db_int(st, 4);
    gproj p = {0};
    p.plan = db_int(st, 5);
    for (int i = 0; i < 12; i++) p.m[i] = db_int(st, 6 + i), p.l[i] = db_int(st, 18 + i);
    for (int i = 0; i < month; i++) p.ytd += p.m[i], p.prev += p.l[i];
    p.light = (int)db_int(st, 30);
    p.overdue = db_int(st, 31);
    snprintf(p.day, sizeof p.day, "%s", db_text(st, 32));
    p.started = (int)db_int(st, 33);
    p.completed = (int)db_int(st, 34);
    if (lights) { /* the check: the lights recomputed from the facts */
      const rollup_light *w = bsearch(&pid, lights, nlights, sizeof *lights, cmp_pid);
      p.light = w ? w->light : 0;
      p.overdue = w ? w->red : 0;
      date_format(day, p.day);
    }
    if (p.light < 0 || p.light > 2) p.light = 0;
    if (unit != cur) first = out->n, cur = unit;
    char lk[24];
    snprintf(lk, sizeof lk, "%lld", (long long)leader);
    grollup *g = row_for(out, first, "unit", "", unit, 0);
    if (g) add(g, &p);
    oom |= !g;
    const char *keys[3] = {db_text(st, 2), db_text(st, 3), lk};
    for (int k = 0; k < 3 && !oom; k++) {
      if (k == 2 && !leader) continue;
      g = row_for(out, first, dims[k], keys[k], unit, k == 2 ? leader : 0);
      if (g) add(g, &p);
      oom |= !g;
    }
  }
  db_done(st);
  return rc == DB_DONE && !oom ? DB_OK : DB_ERROR;
}

static int cmp_key(const void *a, const void *b) {
  const grollup *x = a, *y = b;
  int c = strcmp(x->dim, y->dim);
  if (!c) c = strcmp(x->key, y->key);
  if (!c) c = x->unit_id < y->unit_id ? -1 : x->unit_id > y->unit_id;
  return c;
}

void rollup_groups_sort(grollups *gs) {
  if (gs->n) qsort(gs->r, gs->n, sizeof *gs->r, cmp_key);
}

int rollup_groups_totals(grollups *gs) {
  rollup_groups_sort(gs);
  size_t n = gs->n;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    /* every unit's row of one chain / level / leader, or every unit row:
     * their sum is the row over every unit (unit 'unit' 0: the province) */
    grollup t = {0};
    snprintf(t.dim, sizeof t.dim, "%s", gs->r[i].dim);
    t.key = gs->r[i].key;
    t.ref = gs->r[i].ref;
    for (; j < n && strcmp(gs->r[j].dim, t.dim) == 0 && strcmp(gs->r[j].key, t.key) == 0; j++) {
      const grollup *g = &gs->r[j];
      if (j == i || strcmp(g->day, t.day) < 0) snprintf(t.day, sizeof t.day, "%s", g->day);
      add_row(&t, g, 1);
    }
    if (push(gs, &t) != 0) return -1;
    i = j;
  }
  rollup_groups_sort(gs);
  return 0;
}

#define GCOLS                                                                                                               \
  "dim, gkey, unit_id, ref, projects, plan, ytd, prev, red, yellow, green, started, completed, overdue, m01, m02, m03, m04, " \
  "m05, m06, m07, m08, m09, m10, m11, m12, l01, l02, l03, l04, l05, l06, l07, l08, l09, l10, l11, l12, day, units, rate"
#define GNCOLS 41
#define GBATCH 20 /* rows per INSERT: 820 values */

/* The GCOLS of x into args; the rate only for a unit's own row (what
 * unit_ranking orders by, rollup_rate). */
static int bind_row(db_val *args, const grollup *x) {
  int k = 0;
  args[k++] = DBT(x->dim), args[k++] = DBT(x->key), args[k++] = DBI(x->unit_id), args[k++] = DBI(x->ref);
  args[k++] = DBI(x->projects), args[k++] = DBI(x->plan), args[k++] = DBI(x->ytd), args[k++] = DBI(x->prev);
  args[k++] = DBI(x->lights[2]), args[k++] = DBI(x->lights[1]), args[k++] = DBI(x->lights[0]);
  args[k++] = DBI(x->started), args[k++] = DBI(x->completed), args[k++] = DBI(x->overdue);
  for (int c = 0; c < 12; c++) args[k++] = DBI(x->m[c]);
  for (int c = 0; c < 12; c++) args[k++] = DBI(x->l[c]);
  args[k++] = DBT(x->day);
  args[k++] = DBI(x->units);
  args[k++] = DBR(x->unit_id && strcmp(x->dim, "unit") == 0 ? rollup_rate(x->ytd, x->plan) : 0.0);
  return k;
}

/* A row of GCOLS from st (keys in a). */
static void read_row(db_stmt *st, arena *a, grollup *x) {
  memset(x, 0, sizeof *x);
  snprintf(x->dim, sizeof x->dim, "%s", db_text(st, 0));
  x->key = arena_strdup(a, db_text(st, 1));
  x->unit_id = db_int(st, 2), x->ref = db_int(st, 3), x->projects = db_int(st, 4), x->plan = db_int(st, 5);
  x->ytd = db_int(st, 6), x->prev = db_int(st, 7), x->lights[2] = db_int(st, 8), x->lights[1] = db_int(st, 9);
  x->lights[0] = db_int(st, 10), x->started = db_int(st, 11), x->completed = db_int(st, 12), x->overdue = db_int(st, 13);
  for (int i = 0; i < 12; i++) x->m[i] = db_int(st, 14 + i), x->l[i] = db_int(st, 26 + i);
  snprintf(x->day, sizeof x->day, "%s", db_text(st, 38));
  x->units = db_int(st, 39);
}

double rollup_rate(int64_t ytd, int64_t plan) { return plan > 0 ? (double)ytd / (double)plan : -1e300; }

static int insert_rows(db *d, const grollup *r, size_t n) {
  int rc = DB_OK;
  db_val *args = malloc((size_t)GBATCH * GNCOLS * sizeof *args);
  if (!args) return DB_ERROR;
  for (size_t i = 0; rc == DB_OK && i < n; i += GBATCH) {
    size_t m = n - i;
    if (m > GBATCH) m = GBATCH;
    strbuf sql = STRBUF_INIT;
    sb_adds(&sql, "INSERT INTO group_rollups (" GCOLS ") VALUES ");
    int k = 0;
    for (size_t j = 0; j < m; j++) {
      const grollup *x = &r[i + j];
      sb_adds(&sql, j ? ", (" : "(");
      for (int c = 0; c < GNCOLS; c++) sb_adds(&sql, c ? ", ?" : "?");
      sb_adds(&sql, ")");
      k += bind_row(args + k, x);
    }
    rc = db_execv(d, sb_str(&sql), k, args);
    sb_release(&sql);
  }
  free(args);
  return rc;
}

int rollup_groups_rebuild(db *d, int32_t day) {
  grollups gs = {0};
  arena_init(&gs.a);
  int rc = rollup_groups_compute(d, 0, day, NULL, 0, &gs);
  if (rc == DB_OK && rollup_groups_totals(&gs) != 0) rc = DB_ERROR;
  if (rc == DB_OK) rc = db_exec0(d, "DELETE FROM group_rollups");
  if (rc == DB_OK) rc = insert_rows(d, gs.r, gs.n);
  char days[11];
  date_format(day, days);
  grollup mark = {.dim = "all", .key = ""};
  snprintf(mark.day, sizeof mark.day, "%s", days);
  if (rc == DB_OK) rc = insert_rows(d, &mark, 1);
  grollups_free(&gs);
  return rc;
}

int rollup_groups_stale(db *d, int32_t day) {
  char dayv[11];
  date_format(day, dayv);
  return !db_int1(d, 0, "SELECT 1 FROM group_rollups WHERE dim = 'all' AND gkey = '' AND unit_id = 0 AND day >= ?", DBT(dayv));
}

/* Reads every stored row of one unit (its share of the rows over every
 * unit) into *out. */
static int read_unit_rows(db *d, int64_t unit_id, grollups *out) {
  db_stmt *st = db_query(d, "SELECT " GCOLS " FROM group_rollups WHERE unit_id = ?", DBI(unit_id));
  int rc = DB_ERROR;
  while (st && (rc = db_step(st)) == DB_ROW) {
    grollup x;
    read_row(st, &out->a, &x);
    if (push(out, &x) != 0) rc = DB_ERROR;
    if (rc == DB_ERROR) break;
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : DB_ERROR;
}

static int zero_row(const grollup *x) {
  int64_t any = x->projects | x->plan | x->ytd | x->prev | x->lights[0] | x->lights[1] | x->lights[2] | x->started |
                x->completed | x->overdue;
  for (int i = 0; i < 12; i++) any |= x->m[i] | x->l[i];
  return any == 0;
}

/* Moves the row over every unit (x->dim, x->key, unit 0) by the difference
 * x: one INSERT … ON CONFLICT DO UPDATE SET f = f + excluded.f, so the
 * database adds under its row lock — two writers of different units that
 * move the same row (the province row, a chain every county has) both
 * count, on PostgreSQL as on SQLite, and a row a concurrent writer has just
 * created is added to rather than inserted twice.  A row left with no
 * project is deleted. */
static int move_total(db *d, const grollup *x, const char *today) {
  grollup t = *x;
  t.unit_id = 0;
  snprintf(t.day, sizeof t.day, "%s", today);
  strbuf sql = STRBUF_INIT;
  sb_adds(&sql, "INSERT INTO group_rollups (" GCOLS ") VALUES (?");
  for (int c = 1; c < GNCOLS; c++) sb_adds(&sql, ", ?");
  sb_adds(&sql, ") ON CONFLICT (dim, gkey, unit_id) DO UPDATE SET day = excluded.day");
  static const char *const fields[] = {"projects", "plan", "ytd", "prev", "red",     "yellow",
                                       "green",    "started", "completed", "overdue", "units"};
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    sb_addf(&sql, ", %s = group_rollups.%s + excluded.%s", fields[i], fields[i], fields[i]);
  for (int m = 1; m <= 12; m++) sb_addf(&sql, ", m%02d = group_rollups.m%02d + excluded.m%02d", m, m, m);
  for (int m = 1; m <= 12; m++) sb_addf(&sql, ", l%02d = group_rollups.l%02d + excluded.l%02d", m, m, m);
  db_val args[GNCOLS];
  int k = bind_row(args, &t);
  int rc = db_execv(d, sb_str(&sql), k, args);
  sb_release(&sql);
  if (rc == DB_OK && x->projects < 0)
    rc = db_exec(d, "DELETE FROM group_rollups WHERE dim = ? AND gkey = ? AND unit_id = 0 AND projects = 0", DBT(x->dim),
                 DBT(x->key));
  return rc;
}

/* The row (dim, key) in gs, or NULL (gs holds one unit's rows: a few). */
static grollup *find_row(grollups *gs, const char *dim, const char *key) {
  for (size_t i = 0; i < gs->n; i++)
    if (strcmp(gs->r[i].dim, dim) == 0 && strcmp(gs->r[i].key, key) == 0) return &gs->r[i];
  return NULL;
}

int rollup_groups_lock(db *d, int64_t unit_id) {
  if (unit_id <= 0 || db_dialect(d) != DB_PG) return DB_OK;
  db_stmt *st = db_query(d, "SELECT id FROM units WHERE id = ? FOR NO KEY UPDATE", DBI(unit_id));
  int rc = st && db_step(st) != DB_ERROR ? DB_OK : DB_ERROR;
  db_done(st);
  return rc;
}

int rollup_groups_unit(db *d, int64_t unit_id) {
  if (unit_id <= 0) return DB_OK;
  int32_t day = clock_today();
  char today[11];
  date_format(day, today);
  /* PostgreSQL: one writer at a time recomputes a unit (the unit's row
   * locked until commit; NO KEY so that inserting its projects, which only
   * share-locks the key, is not held up).  The next writer of the unit
   * then reads the rows the first committed, so neither's change to the
   * unit is lost and the old share it subtracts is the one stored.
   * SQLite has one writer at a time already. */
  int rc = rollup_groups_lock(d, unit_id);
  int built = rc == DB_OK && db_int10(d, 0, "SELECT 1 FROM group_rollups WHERE dim = 'all' AND gkey = '' AND unit_id = 0") != 0;
  grollups old = {0}, now = {0};
  arena_init(&old.a);
  arena_init(&now.a);
  if (rc == DB_OK && built) rc = read_unit_rows(d, unit_id, &old);
  if (rc == DB_OK) rc = rollup_groups_compute(d, unit_id, day, NULL, 0, &now);
  if (rc == DB_OK) rc = db_exec(d, "DELETE FROM group_rollups WHERE unit_id = ?", DBI(unit_id));
  if (rc == DB_OK) rc = insert_rows(d, now.r, now.n);
  /* The rows over every unit move by the unit's new rows minus its old
   * ones: a delta, not a recomputation, because a chain or level spans
   * the province (summing its thousands of unit rows again would cost what
   * the dashboard saves).  An unchanged row (the usual case: an approval
   * moves one unit's ytd and month, not its lights) is not written. */
  grollups dl = {0};
  arena_init(&dl.a);
  for (size_t i = 0; built && rc == DB_OK && i < now.n; i++) {
    grollup dlt = now.r[i];
    const grollup *o = find_row(&old, dlt.dim, dlt.key);
    if (o) add_row(&dlt, o, -1);
    if (!zero_row(&dlt) && push(&dl, &dlt) != 0) rc = DB_ERROR;
  }
  for (size_t i = 0; built && rc == DB_OK && i < old.n; i++) {
    if (find_row(&now, old.r[i].dim, old.r[i].key)) continue;
    grollup dlt = {0};
    snprintf(dlt.dim, sizeof dlt.dim, "%s", old.r[i].dim);
    dlt.key = old.r[i].key;
    dlt.ref = old.r[i].ref;
    add_row(&dlt, &old.r[i], -1);
    if (push(&dl, &dlt) != 0) rc = DB_ERROR;
  }
  /* in one order (dim, key) for every writer: two PostgreSQL writers lock
   * the rows they share in the same order and cannot deadlock */
  rollup_groups_sort(&dl);
  for (size_t i = 0; rc == DB_OK && i < dl.n; i++) rc = move_total(d, &dl.r[i], today);
  grollups_free(&dl);
  grollups_free(&old);
  grollups_free(&now);
  return rc;
}

/* ---- guatu check rollups ---- */

static int64_t diff(FILE *out, const grollup *g, const char *field, int64_t stored, int64_t want) {
  if (stored == want) return 0;
  fprintf(out, "group %s '%s' unit %lld %s: stored %lld, recomputed %lld\n", g->dim, g->key, (long long)g->unit_id, field,
          (long long)stored, (long long)want);
  return 1;
}

static int64_t compare(FILE *out, const grollup *h, const grollup *w) {
  int64_t n = 0;
  n += diff(out, w, "projects", h->projects, w->projects);
  n += diff(out, w, "plan", h->plan, w->plan);
  n += diff(out, w, "ytd", h->ytd, w->ytd);
  n += diff(out, w, "prev", h->prev, w->prev);
  n += diff(out, w, "red", h->lights[2], w->lights[2]);
  n += diff(out, w, "yellow", h->lights[1], w->lights[1]);
  n += diff(out, w, "green", h->lights[0], w->lights[0]);
  n += diff(out, w, "ref", h->ref, w->ref);
  n += diff(out, w, "units", h->units, w->units);
  /* a unit's rate is what unit_ranking is read in order of; db_real goes
   * through the value's text (15 digits on SQLite), so the stored double
   * is compared to 1e-12 of the one recomputed */
  double want_rate = w->unit_id && strcmp(w->dim, "unit") == 0 ? rollup_rate(w->ytd, w->plan) : 0.0;
  if (fabs(h->rate - want_rate) > 1e-12 * fabs(want_rate)) {
    fprintf(out, "group %s '%s' unit %lld rate: stored %.17g, recomputed %.17g\n", w->dim, w->key, (long long)w->unit_id, h->rate,
            want_rate);
    n++;
  }
  n += diff(out, w, "started", h->started, w->started);
  n += diff(out, w, "completed", h->completed, w->completed);
  n += diff(out, w, "overdue", h->overdue, w->overdue);
  for (int i = 0; i < 12; i++) {
    char f[16];
    snprintf(f, sizeof f, "m%02d", i + 1);
    n += diff(out, w, f, h->m[i], w->m[i]);
    snprintf(f, sizeof f, "l%02d", i + 1);
    n += diff(out, w, f, h->l[i], w->l[i]);
  }
  return n;
}

int64_t rollup_groups_check(db *d, const rollup_light *lights, size_t nlights, FILE *out) {
  int32_t day = clock_today();
  char today[11];
  date_format(day, today);
  if (!db_int10(d, 0, "SELECT 1 FROM group_rollups WHERE dim = 'all' AND gkey = '' AND unit_id = 0")) {
    /* not built yet: the dashboard computes, the first tick builds them */
    return 0;
  }
  grollups want = {0}, have = {0};
  arena_init(&want.a);
  arena_init(&have.a);
  int rc = rollup_groups_compute(d, 0, day, lights, nlights, &want);
  if (rc == DB_OK && rollup_groups_totals(&want) != 0) rc = DB_ERROR;
  strbuf sql = STRBUF_INIT;
  sb_adds(&sql, "SELECT " GCOLS " FROM group_rollups WHERE dim <> 'all'");
  db_stmt *st = rc == DB_OK ? db_query0(d, sb_str(&sql)) : NULL;
  sb_release(&sql);
  int64_t n = 0, other_day = 0;
  int src = DB_ERROR;
  while (st && (src = db_step(st)) == DB_ROW) {
    grollup x;
    read_row(st, &have.a, &x);
    if (x.unit_id && strcmp(x.day, today) != 0) other_day++;
    x.rate = db_real(st, 40);
    if (push(&have, &x) != 0) break;
  }
  db_done(st);
  if (rc == DB_OK && src != DB_DONE) rc = DB_ERROR;
  if (rc == DB_OK && other_day) {
    /* rows of another day are not read by the dashboard; the tick renews them */
    fprintf(out, "group_rollups: %lld unit rows for a day before %s (not compared; the daily tick renews them)\n",
            (long long)other_day, today);
  }
  rollup_groups_sort(&have);
  size_t i = 0, j = 0;
  while (rc == DB_OK && (i < have.n || j < want.n)) {
    int c = i >= have.n ? 1 : j >= want.n ? -1 : cmp_key(&have.r[i], &want.r[j]);
    if (c < 0) {
      fprintf(out, "group %s '%s' unit %lld row: stored, recomputed (none)\n", have.r[i].dim, have.r[i].key,
              (long long)have.r[i].unit_id);
      n++, i++;
    } else if (c > 0) {
      fprintf(out, "group %s '%s' unit %lld row: stored (missing), recomputed present\n", want.r[j].dim, want.r[j].key,
              (long long)want.r[j].unit_id);
      n++, j++;
    } else {
      /* a unit's rows of another day are for that day; the rows over every
       * unit are the sum of the units' rows, comparable when all are today's */
      if (have.r[i].unit_id ? strcmp(have.r[i].day, today) == 0 : !other_day) n += compare(out, &have.r[i], &want.r[j]);
      i++, j++;
    }
  }
  grollups_free(&want);
  grollups_free(&have);
  return rc == DB_OK ? n : -1;
}
