/*
 * approval_stats.c — the approval agency's figures and its overdue round.
 *
 * GET  /api/v1/approvals/stats?from&to&view=items|departments|projects&format=xlsx|csv&columns
 *      items issued between from and to (inclusive; default: 1 January of
 *      this year to today), per item, per issuing department (ranked) and
 *      per project ("N approvals in M working days"): count, mean and median
 *      working days, share within the promise, time saved against the
 *      statutory limit.  The export writes the chosen view.
 * POST /api/v1/approvals/overdue-round   runs the overdue round now (office)
 *
 * The overdue round also runs in the module tick: every item submitted and
 * not issued past its promised date gets one problem (category 审批)
 * assigned to its issuing department, so it shows in the problem loop, its
 * escalation and the dispatch agenda.
 *
 * The figures are summed in C from the issued rows (working days need the
 * calendar): a district's year is a few thousand rows, a province's 26,000.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "auth.h"
#include "calendar_db.h"
#include "clock.h"
#include "export.h"
#include "http.h"
#include "problems.h"
#include "projects.h"

typedef struct group {
  int64_t id;
  const char *name;
  approval_tally t;
  int *days;
  int ndays, cap;
  int32_t first_sub, last_iss; /* projects: the span */
  int64_t rank, first_id;      /* the order of the answer: the item's place in the catalogue, the first record */
} group;

typedef struct groups {
  group *g;
  int n, cap;
  int *slot; /* open addressing: index + 1 into g by id, 2 × cap slots */
} groups;

static size_t slot_of(int64_t id, int nslots) {
  uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
  return (size_t)(h >> 32) % (size_t)nslots;
}

/* The group of `id`, made on first sight (groups keep the order in which
 * they were first seen).  A hash, not a scan: a province's year is 432,000
 * issued records over thousands of projects. */
static group *group_of(arena *a, groups *gs, int64_t id, const char *name) {
  if (gs->cap) {
    for (size_t s = slot_of(id, gs->cap * 2);; s = (s + 1) % (size_t)(gs->cap * 2)) {
      if (!gs->slot[s]) break;
      if (gs->g[gs->slot[s] - 1].id == id) return &gs->g[gs->slot[s] - 1];
    }
  }
  if (gs->n == gs->cap) {
    int cap = gs->cap ? gs->cap * 2 : 32;
    group *g = arena_alloc(a, sizeof *g * (size_t)cap);
    if (gs->n) memcpy(g, gs->g, sizeof *g * (size_t)gs->n);
    gs->g = g;
    gs->cap = cap;
    gs->slot = arena_alloc(a, sizeof *gs->slot * (size_t)cap * 2);
    memset(gs->slot, 0, sizeof *gs->slot * (size_t)cap * 2);
    for (int i = 0; i < gs->n; i++) {
      size_t s = slot_of(gs->g[i].id, cap * 2);
      while (gs->slot[s]) s = (s + 1) % (size_t)(cap * 2);
      gs->slot[s] = i + 1;
    }
  }
  size_t s = slot_of(id, gs->cap * 2);
  while (gs->slot[s]) s = (s + 1) % (size_t)(gs->cap * 2);
  gs->slot[s] = gs->n + 1;
  group *g = &gs->g[gs->n++];
  memset(g, 0, sizeof *g);
  g->id = id;
  g->name = arena_strdup(a, name);
  g->first_sub = g->last_iss = APPROVAL_NO_DAY;
  return g;
}

/* The group of `id`, or NULL (while the groups are still in the order the
 * hash was built for). */
static group *group_find(groups *gs, int64_t id) {
  if (!gs->cap) return NULL;
  for (size_t s = slot_of(id, gs->cap * 2);; s = (s + 1) % (size_t)(gs->cap * 2)) {
    if (!gs->slot[s]) return NULL;
    if (gs->g[gs->slot[s] - 1].id == id) return &gs->g[gs->slot[s] - 1];
  }
}

static void group_add(arena *a, group *g, int days, int statutory, int promised) {
  approval_tally_add(&g->t, days, statutory, promised);
  if (g->ndays == g->cap) {
    int cap = g->cap ? g->cap * 2 : 16;
    int *d = arena_alloc(a, sizeof *d * (size_t)cap);
    if (g->ndays) memcpy(d, g->days, sizeof *d * (size_t)g->ndays);
    g->days = d;
    g->cap = cap;
  }
  g->days[g->ndays++] = days;
}

static json_t *figures(group *g, const char *id_key) {
  char within[32], saved[32];
  approval_within_rate(&g->t, within);
  approval_saved_rate(&g->t, saved);
  return json_pack("{s:I, s:s, s:I, s:f, s:f, s:s, s:s}", id_key, (json_int_t)g->id, "name", g->name, "count",
                   (json_int_t)g->t.count, "mean_working_days", approval_mean(g->t.sum_days, g->t.count),
                   "median_working_days", approval_median(g->days, g->ndays), "within_promise_rate", within,
                   "saved_rate", saved);
}

/* departments: the best share within the promise first, then the fastest */
static int cmp_dept(const void *x, const void *y) {
  const group *a = x, *b = y;
  /* within_a / count_a vs within_b / count_b, in integers */
  int64_t l = a->t.within * b->t.count, r = b->t.within * a->t.count;
  if (l != r) return l > r ? -1 : 1;
  int64_t m = a->t.sum_days * b->t.count, n = b->t.sum_days * a->t.count;
  if (m != n) return m < n ? -1 : 1;
  return (a->id > b->id) - (a->id < b->id);
}

/* items and projects: in the order of the catalogue (sort_order, id), a
 * project where its first record in that order is */
static int cmp_order(const void *x, const void *y) {
  const group *a = x, *b = y;
  if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
  return (a->first_id > b->first_id) - (a->first_id < b->first_id);
}

/* An item of the catalogue with its issuing department. */
typedef struct cat_item {
  int64_t id, unit_id, rank;
  const char *name, *unit_name;
  int statutory, promised;
} cat_item;

static int cmp_cat(const void *x, const void *y) {
  int64_t a = ((const cat_item *)x)->id, b = ((const cat_item *)y)->id;
  return (a > b) - (a < b);
}

/* The catalogue, ordered by id, each item with its rank in (sort_order, id);
 * the count or -1. */
static int catalogue(req *r, cat_item **out) {
  db_stmt *st = db_query0(r->db, "SELECT i.id, i.name, i.unit_id, u.name, i.statutory_days, i.promised_days FROM approval_items i "
                                 "JOIN units u ON u.id = i.unit_id ORDER BY i.sort_order, i.id");
  size_t cap = 256, n = 0;
  cat_item *v = arena_alloc(&r->a, sizeof *v * cap);
  int rc = DB_ERROR;
  while (st && (rc = db_step(st)) == DB_ROW) {
    if (n == cap) v = arena_grow(&r->a, v, n, &cap, sizeof *v);
    v[n] = (cat_item){db_int(st, 0), db_int(st, 2), (int64_t)n, arena_strdup(&r->a, db_text(st, 1)),
                      arena_strdup(&r->a, db_text(st, 3)), (int)db_int(st, 4), (int)db_int(st, 5)};
    n++;
  }
  db_done(st);
  if (rc != DB_DONE) return -1;
  if (n) qsort(v, n, sizeof *v, cmp_cat);
  *out = v;
  return (int)n;
}

/* GET /api/v1/approvals/stats
 *
 * Where the time went (province: 26,529 records issued in 2026 to date of
 * 436,940; ~0.12 s of server CPU per uncached answer, 1 MB): the records
 * were read joined to their item, department and project (three lookups a
 * record) and sorted by the catalogue's order before they were summed.
 * Now the records come from one range of the covering index
 * approvals_issued_stats (sql/0026) unsorted; the catalogue (1,320 items) is
 * read once, the projects' names once per project, and the groups are put
 * in the catalogue's order after summing — the same answer, byte for byte.
 * A user who does not read everything still has the records joined (the
 * scope is on the project and the item). */
static void approvals_stats(req *r) {
  static const char *const views[] = {"items", "departments", "projects", NULL};
  const char *from = qdate(r, "from"), *to = qdate(r, "to");
  const char *view = qenum(r, "view", views);
  if (has_errors(r)) return reply_invalid(r);
  int32_t today = clock_today();
  char dflt_from[11], dflt_to[11];
  int y, m, dd;
  date_to_ymd(today, &y, &m, &dd);
  date_format(date_from_ymd(y, 1, 1), dflt_from);
  date_format(today, dflt_to);
  if (!from) from = dflt_from;
  if (!to) to = dflt_to;
  if (strcmp(from, to) > 0) {
    field_error(r, "to", "结束日期不能早于开始日期", "must not be before from");
    return reply_invalid(r);
  }
  cat_item *cat = NULL;
  int ncat = catalogue(r, &cat);
  if (ncat < 0) return reply_db_error(r, db_errcode(r->db));
  int all_scope = scope_reads_all(r);
  strbuf w = STRBUF_INIT;
  db_val args[12];
  int n = 0;
  sb_addf(&w, "SELECT a.item_id, a.submitted_on, a.issued_on, a.project_id, a.id FROM approvals a%s WHERE a.state = 'issued' "
              "AND a.issued_on >= ? AND a.issued_on <= ?",
          all_scope ? "" : " JOIN approval_items i ON i.id = a.item_id JOIN projects p ON p.id = a.project_id");
  args[n++] = DBT(from);
  args[n++] = DBT(to);
  if (!all_scope) {
    /* the same scope as the work list: projects in scope, items issued by my units, agency projects */
    sb_adds(&w, " AND ((1 = 1");
    project_scope_sql(r, &w, args, &n);
    sb_adds(&w, ")");
    if (has_role(r, ROLE_UNIT)) {
      sb_adds(&w, " OR i.unit_id IN (SELECT id FROM units WHERE path LIKE ?)");
      args[n++] = DBT(scope_path_pattern(r));
    }
    sb_adds(&w, " OR EXISTS (SELECT 1 FROM approval_agreements g WHERE g.project_id = a.project_id AND g.agent_user_id = ?))");
    args[n++] = DBI(r->user.id);
  }
  db_stmt *st = db_prepare(r->db, sb_str(&w), n, args);
  sb_release(&w);
  if (!st) return reply_db_error(r, db_errcode(r->db));
  const calendar *cal = req_calendar(r);
  groups items = {0}, depts = {0}, projs = {0};
  group all = {0};
  all.name = "合计";
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    int32_t sub, iss;
    if (db_isnull(st, 1) || date_parse(db_text(st, 1), &sub) != 0 || date_parse(db_text(st, 2), &iss) != 0) continue;
    cat_item key = {.id = db_int(st, 0)};
    const cat_item *it = ncat ? bsearch(&key, cat, (size_t)ncat, sizeof *cat, cmp_cat) : NULL;
    if (!it) continue; /* no such item (the foreign key forbids it) */
    int64_t aid = db_int(st, 4);
    int days = approval_working_days(cal, sub, iss);
    group *ig = group_of(&r->a, &items, it->id, it->name);
    ig->rank = it->rank;
    group_add(&r->a, ig, days, it->statutory, it->promised);
    group_add(&r->a, group_of(&r->a, &depts, it->unit_id, it->unit_name), days, it->statutory, it->promised);
    group *pg = group_of(&r->a, &projs, db_int(st, 3), "");
    if (pg->t.count == 0 || it->rank < pg->rank || (it->rank == pg->rank && aid < pg->first_id)) pg->rank = it->rank, pg->first_id = aid;
    group_add(&r->a, pg, days, it->statutory, it->promised);
    if (pg->first_sub == APPROVAL_NO_DAY || sub < pg->first_sub) pg->first_sub = sub;
    if (pg->last_iss == APPROVAL_NO_DAY || iss > pg->last_iss) pg->last_iss = iss;
    group_add(&r->a, &all, days, it->statutory, it->promised);
  }
  db_done(st);
  if (rc != DB_DONE) return reply_db_error(r, rc);
  /* the projects' names, once per project of the period */
  if (projs.n) {
    st = db_query(r->db, "SELECT p.id, p.name FROM projects p WHERE p.id IN (SELECT a.project_id FROM approvals a WHERE "
                         "a.state = 'issued' AND a.issued_on >= ? AND a.issued_on <= ?)",
                  DBT(from), DBT(to));
    while (st && (rc = db_step(st)) == DB_ROW) {
      group *pg = group_find(&projs, db_int(st, 0));
      if (pg) pg->name = arena_strdup(&r->a, db_text(st, 1));
    }
    db_done(st);
    if (!st || rc != DB_DONE) return reply_db_error(r, db_errcode(r->db));
  }
  if (items.n) qsort(items.g, (size_t)items.n, sizeof *items.g, cmp_order);
  if (projs.n) qsort(projs.g, (size_t)projs.n, sizeof *projs.g, cmp_order);
  json_t *ji = json_array(), *jd = json_array(), *jp = json_array();
  for (int i = 0; i < items.n; i++) json_array_append_new(ji, figures(&items.g[i], "item_id"));
  if (depts.n) qsort(depts.g, (size_t)depts.n, sizeof *depts.g, cmp_dept);
  for (int i = 0; i < depts.n; i++) {
    json_t *o = figures(&depts.g[i], "unit_id");
    json_object_set_new(o, "rank", json_integer(i + 1));
    json_array_append_new(jd, o);
  }
  for (int i = 0; i < projs.n; i++) {
    group *g = &projs.g[i];
    json_t *o = figures(g, "project_id");
    int span = approval_working_days(cal, g->first_sub, g->last_iss);
    json_object_set_new(o, "span_working_days", json_integer(span));
    json_object_set_new(o, "text", json_string(arena_printf(&r->a, "%lld项审批，%d个工作日", (long long)g->t.count, span)));
    json_array_append_new(jp, o);
  }
  const char *format = req_arg(r, "format");
  if (format && (!strcmp(format, "xlsx") || !strcmp(format, "csv"))) {
    json_t *rows = !view || !strcmp(view, "items") ? ji : !strcmp(view, "departments") ? jd : jp;
    export_reply(r, rows, req_arg(r, "columns"), format);
    json_decref(ji);
    json_decref(jd);
    json_decref(jp);
    return;
  }
  json_t *total = figures(&all, "id");
  json_object_del(total, "id");
  reply_json(r, 200, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "from", from, "to", to, "items", ji, "departments", jd,
                               "projects", jp, "total", total));
}

/* ---- overdue → problem ---- */

int approvals_raise_overdue(db *d, int32_t today, int own_tx) {
  char t[11];
  date_format(today, t);
  db_stmt *st = db_query(d,
                         "SELECT a.id FROM approvals a WHERE a.state IN ('submitted', 'accepted') AND a.problem_id IS NULL "
                         "AND a.due_date < ? ORDER BY a.id LIMIT 100",
                         DBT(t));
  if (!st) return own_tx ? 0 : -1;
  int64_t ids[100];
  int n = 0;
  while (n < 100 && db_step(st) == DB_ROW) ids[n++] = db_int(st, 0);
  db_done(st);
  int raised = 0;
  for (int k = 0; k < n; k++) {
    arena a;
    arena_init(&a);
    db_stmt *q = db_query(d,
                          "SELECT a.project_id, i.unit_id, i.name, i.promised_days, a.submitted_on, a.due_date, "
                          "(SELECT e.user_id FROM approval_events e WHERE e.approval_id = a.id AND e.type = 'submit' "
                          "AND e.user_id IS NOT NULL ORDER BY e.id LIMIT 1), "
                          "(SELECT g.agent_user_id FROM approval_agreements g WHERE g.project_id = a.project_id) "
                          "FROM approvals a JOIN approval_items i ON i.id = a.item_id WHERE a.id = ?",
                          DBI(ids[k]));
    if (!q || db_step(q) != DB_ROW) {
      db_done(q);
      arena_release(&a);
      continue;
    }
    int64_t pid = db_int(q, 0), unit = db_int(q, 1);
    const char *name = arena_strdup(&a, db_text(q, 2));
    int promised = (int)db_int(q, 3);
    const char *sub = arena_strdup(&a, db_text(q, 4)), *due = arena_strdup(&a, db_text(q, 5));
    int64_t by = !db_isnull(q, 6) ? db_int(q, 6) : !db_isnull(q, 7) ? db_int(q, 7) : 0;
    db_done(q);
    /* raised by whoever submitted it (or the agent); else the project office */
    if (!by) by = db_int10(d, 0, "SELECT id FROM users WHERE ',' || roles || ',' LIKE '%,office,%' ORDER BY id LIMIT 1");
    if (!by) by = db_int10(d, 0, "SELECT id FROM users ORDER BY id LIMIT 1");
    if (!by || (own_tx && db_begin(d) != DB_OK)) {
      arena_release(&a);
      continue;
    }
    int64_t by_unit = db_int1(d, 0, "SELECT unit_id FROM users WHERE id = ?", DBI(by));
    problem_new p = {.project_id = pid,
                     .unit_id = unit,
                     .raised_by = by,
                     .raised_unit_id = by_unit,
                     .category = "approval",
                     .title = arena_printf(&a, "审批事项超期：%s", name),
                     .description = arena_printf(&a, "%s于%s提交，承诺%d个工作日内办结（%s），至今未办结。请发证部门限期办理并答复。",
                                                 name, sub, promised, due),
                     .raised_on = t};
    int64_t pr = problem_create(d, &p);
    int rc = pr ? DB_OK : DB_ERROR;
    /* the claim: one problem per item, whichever process gets there first */
    if (rc == DB_OK)
      rc = db_exec(d, "UPDATE approvals SET problem_id = ? WHERE id = ? AND problem_id IS NULL", DBI(pr), DBI(ids[k]));
    int claimed = rc == DB_OK && db_changes(d) == 1;
    if (claimed) {
      /* audited as the problem it creates: figures cached as "not problems"
       * (the dashboard) stay cached, as they do for escalations */
      json_t *after = problem_json(d, pr, 0);
      if (after) json_object_set_new(after, "approval_id", json_integer(ids[k]));
      rc = after ? audit_write(d, &audit_system, "create", "problem", pr, NULL, after) : DB_ERROR;
      json_decref(after);
    }
    arena_release(&a);
    if (!own_tx) {
      if (rc != DB_OK) return -1;
      raised += claimed;
      continue;
    }
    if (claimed && rc == DB_OK && db_commit(d) == DB_OK)
      raised++;
    else
      db_rollback(d);
  }
  return raised;
}

/* POST /api/v1/approvals/overdue-round — what the tick does, at once. */
static void overdue_round(req *r) {
  int n = approvals_raise_overdue(r->db, clock_today(), 1);
  reply_json(r, 200, json_pack("{s:i}", "raised", n));
}

static void approvals_tick(db *d) { approvals_raise_overdue(d, clock_today(), 1); }

static const route stats_routes[] = {
    /* issued records only: the overdue round's problems, the other
     * modules' escalations and progress reports do not recompute it */
    ROUTE("GET", "/api/v1/approvals/stats", approvals_stats, APPROVAL_READERS,
          "审批时效统计 / Approval statistics in working days", 0, DOM_APPROVALS | DOM_PROJECTS),
    ROUTE("POST", "/api/v1/approvals/overdue-round", overdue_round, ROLE_ADMIN | ROLE_OFFICE,
          "超期事项转问题 / Raise problems for overdue approvals now", 0),
    {0},
};

/* Order 56: before approval_records.c (57), so /approvals/stats is matched
 * before /approvals/{id}. */
static const module approval_stats_module = {"approval_stats", 56, stats_routes, NULL, NULL, approvals_tick};
MODULE_REGISTER(approval_stats_module)
