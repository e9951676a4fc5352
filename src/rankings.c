/*
 * rankings.c — the monthly ranking boards (月度攻坚任务排名) of the towns,
 * departments and HQs, and what the assessment files share (rankings.h):
 * the roster of ranked units, each month's figures gathered from the tasks
 * and ranked per peer group by the rule of accountability.c, the unit scope
 * of rows and the export of a board as XLSX, CSV or PDF.  The accountability
 * list is in accountability_api.c, the quarterly assessment in assessment.c.
 *
 * GET  /api/v1/rankings?month=YYYY-MM&group=town|department|hq[&format=xlsx|csv|pdf]
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "clock.h"
#include "export.h"
#include "pdfdoc.h"
#include "rankings.h"
#include "tasks.h"

/* ---- the units that are ranked ------------------------------------------- */

static int ru_cmp(const void *a, const void *b) {
  int64_t x = ((const ranked_unit *)a)->id, y = ((const ranked_unit *)b)->id;
  return x < y ? -1 : x > y;
}

int roster_load(db *d, arena *a, roster *ro) {
  memset(ro, 0, sizeof *ro);
  int64_t cnt = db_int10(d, 0, "SELECT COUNT(*) FROM units WHERE kind IN ('town', 'department', 'hq')");
  ro->all = arena_alloc(a, (size_t)(cnt + 1) * sizeof *ro->all);
  db_stmt *st = db_query0(d, "SELECT id, name, kind, path FROM units WHERE kind IN ('town', 'department', 'hq') ORDER BY id");
  if (!st) return -1;
  while (db_step(st) == DB_ROW && ro->n < cnt) {
    ranked_unit *u = &ro->all[ro->n++];
    u->id = db_int(st, 0);
    u->name = arena_strdup(a, db_text(st, 1));
    u->group = peer_group_parse(db_text(st, 2));
    u->path = arena_strdup(a, db_text(st, 3));
    u->idx = ro->gn[u->group]++;
  }
  db_done(st);
  for (int g = 0; g < PG_N; g++) ro->tmpl[g] = arena_alloc(a, (size_t)(ro->gn[g] + 1) * sizeof(acc_unit));
  for (int i = 0; i < ro->n; i++) {
    acc_unit *t = &ro->tmpl[ro->all[i].group][ro->all[i].idx];
    t->id = ro->all[i].id;
    t->name = ro->all[i].name;
  }
  qsort(ro->all, (size_t)ro->n, sizeof *ro->all, ru_cmp);
  return 0;
}

int roster_open(req *r, acc_settings *s, roster *ro) {
  settings_load(r->db, s);
  if (roster_load(r->db, &r->a, ro) == 0) return 1;
  reply_db_error(r, db_errcode(r->db));
  return 0;
}

const ranked_unit *roster_find(const roster *ro, int64_t id) {
  ranked_unit key = {.id = id};
  return bsearch(&key, ro->all, (size_t)ro->n, sizeof *ro->all, ru_cmp);
}


int month_compute(db *d, arena *a, const roster *ro, const char *month, month_calc *mc) {
  snprintf(mc->month, sizeof mc->month, "%s", month);
  for (int g = 0; g < PG_N; g++) {
    mc->u[g] = arena_alloc(a, (size_t)(ro->gn[g] + 1) * sizeof(acc_unit));
    memcpy(mc->u[g], ro->tmpl[g], (size_t)ro->gn[g] * sizeof(acc_unit));
  }
  db_stmt *st = db_query(d,
                         "SELECT t.unit_id, t.kind, t.target, " TASK_COUNTED_SQL ", t.weight, CASE WHEN t.source = 'manual' AND "
                         "t.confirmed = 0 AND t.actual IS NOT NULL THEN 1 ELSE 0 END FROM tasks t WHERE t.month = ?",
                         DBT(month));
  if (!st) return -1;
  while (db_step(st) == DB_ROW) {
    const ranked_unit *ru = roster_find(ro, db_int(st, 0));
    int kind = task_kind_parse(db_text(st, 1));
    if (!ru || kind < 0) continue;
    acc_add_task(&mc->u[ru->group][ru->idx], kind, db_int(st, 2), db_int(st, 3), (int)db_int(st, 4));
    mc->u[ru->group][ru->idx].k[kind].pending += (int)db_int(st, 5);
  }
  db_done(st);
  for (int g = 0; g < PG_N; g++) {
    for (int k = 0; k < TK_N; k++) acc_rank_kind(mc->u[g], ro->gn[g], k);
    acc_rank_overall(mc->u[g], ro->gn[g]);
  }
  return 0;
}

int kind_size(const acc_unit *u, int n, int kind) {
  int c = 0;
  for (int i = 0; i < n; i++) c += kind < 0 ? u[i].tasks > 0 : u[i].k[kind].present;
  return c;
}

/* ---- rankings -------------------------------------------------------------- */

static const char *light_of(const acc_unit *u, int last_n) {
  if (u->done == u->tasks) return "green";
  for (int k = 0; k < TK_N; k++)
    if (acc_interview(&u->k[k], last_n)) return "red";
  return "yellow";
}

static json_t *rank_change_json(int now, int before) {
  return now && before ? json_integer(before - now) : json_null();
}

static json_t *ranking_rows(const roster *ro, const month_calc *cur, const month_calc *prev, int g, int last_n) {
  json_t *rows = json_array();
  int n = ro->gn[g];
  int *idx = malloc((size_t)(n + 1) * sizeof *idx);
  if (!idx) return rows;
  acc_display_order(cur->u[g], n, -1, idx);
  for (int j = 0; j < n; j++) {
    const acc_unit *u = &cur->u[g][idx[j]], *p = &prev->u[g][idx[j]];
    if (!u->tasks) continue;
    char score[32];
    acc_bp_format(u->score_bp, score);
    json_t *o = json_object();
    json_object_set_new(o, "unit_id", json_integer(u->id));
    json_object_set_new(o, "unit_name", json_string(u->name));
    json_object_set_new(o, "group", json_string(peer_group_names[g]));
    json_object_set_new(o, "rank", json_integer(u->rank));
    json_object_set_new(o, "rank_change", rank_change_json(u->rank, p->rank));
    json_object_set_new(o, "score", json_string(score));
    json_object_set_new(o, "tasks", json_integer(u->tasks));
    json_object_set_new(o, "tasks_completed", json_integer(u->done));
    json_object_set_new(o, "completed", json_boolean(u->done == u->tasks));
    json_object_set_new(o, "light", json_string(light_of(u, last_n)));
    json_t *kinds = json_object();
    for (int k = 0; k < TK_N; k++) {
      const acc_kind *c = &u->k[k];
      if (!c->present) continue;
      char ratio[32];
      acc_bp_format(acc_ratio_bp(c->actual, c->target), ratio);
      json_object_set_new(kinds, task_kind_names[k],
                          json_pack("{s:i, s:o, s:s, s:o, s:o, s:i, s:i, s:i, s:b}", "rank", c->rank, "rank_change",
                                    rank_change_json(c->rank, p->k[k].rank), "ratio", ratio, "target",
                                    task_figure_json(k, c->target), "actual", task_figure_json(k, c->actual), "tasks",
                                    c->tasks, "tasks_completed", c->done, "of", kind_size(cur->u[g], n, k), "completed",
                                    c->done == c->tasks));
      /* flat copies for spreadsheet columns */
      char key[48];
      snprintf(key, sizeof key, "rank_%s", task_kind_names[k]);
      json_object_set_new(o, key, json_integer(c->rank));
      snprintf(key, sizeof key, "ratio_%s", task_kind_names[k]);
      json_object_set_new(o, key, json_string(ratio));
    }
    json_object_set_new(o, "kinds", kinds);
    json_array_append_new(rows, o);
  }
  free(idx);
  return rows;
}

json_t *rankings_json(db *d, arena *a, const roster *ro, const char *month, int only_group, int last_n,
                             month_calc *cur_out) {
  month_calc cur = {0}, prev = {0};
  char pm[16];
  acc_month_add(month, -1, pm);
  if (month_compute(d, a, ro, month, &cur) != 0 || month_compute(d, a, ro, pm, &prev) != 0) return NULL;
  if (cur_out) *cur_out = cur;
  json_t *groups = json_array();
  for (int g = 0; g < PG_N; g++) {
    if (only_group >= 0 && g != only_group) continue;
    json_t *rows = ranking_rows(ro, &cur, &prev, g, last_n);
    json_t *kinds = json_array();
    for (int k = 0; k < TK_N; k++)
      if (kind_size(cur.u[g], ro->gn[g], k))
        json_array_append_new(kinds, json_pack("{s:s, s:s, s:s, s:i}", "kind", task_kind_names[k], "name",
                                               task_kind_zh[k], "measure", task_kind_measure[k], "size",
                                               kind_size(cur.u[g], ro->gn[g], k)));
    json_array_append_new(groups, json_pack("{s:s, s:s, s:i, s:o, s:o}", "group", peer_group_names[g], "group_name",
                                            peer_group_zh[g], "size", (int)json_array_size(rows), "kinds", kinds,
                                            "items", rows));
  }
  return groups;
}

/* Keeps only the rows a unit user may see (their unit and sub-units). */
static int in_scope(req *r, const roster *ro, int64_t unit_id) {
  if (scope_reads_all(r)) return 1;
  const ranked_unit *ru = roster_find(ro, unit_id);
  const char *mine = r->user.unit_path;
  if (!ru || !mine || !has_role(r, ROLE_UNIT)) return unit_id == r->user.unit_id;
  return strncmp(ru->path, mine, strlen(mine)) == 0;
}

void scope_rows(req *r, const roster *ro, json_t *rows) {
  for (size_t i = json_array_size(rows); i-- > 0;) {
    int64_t id = json_integer_value(json_object_get(json_array_get(rows, i), "unit_id"));
    if (!in_scope(r, ro, id)) json_array_remove(rows, i);
  }
}

int reply_export(req *r, json_t *rows, const char *title, const char *default_cols) {
  const char *format = req_arg(r, "format");
  if (!format) return 0;
  const char *cols = req_arg(r, "columns");
  if (!cols || !*cols) cols = default_cols;
  if (strcmp(format, "xlsx") == 0 || strcmp(format, "csv") == 0) {
    export_reply(r, rows, cols, format);
    return 1;
  }
  if (strcmp(format, "pdf") == 0) {
    export_col *ec = NULL;
    int nc = export_columns(&r->a, cols, rows, &ec);
    const char **heads = arena_alloc(&r->a, (size_t)(nc + 1) * sizeof *heads);
    for (int c = 0; c < nc; c++) heads[c] = ec[c].label;
    size_t nr = json_array_size(rows);
    const char **cells = arena_alloc(&r->a, (nr * (size_t)nc + 1) * sizeof *cells);
    for (size_t i = 0; i < nr; i++)
      for (int c = 0; c < nc; c++)
        cells[i * (size_t)nc + (size_t)c] = export_cell_text(&r->a, json_object_get(json_array_get(rows, i), ec[c].key));
    size_t len = 0;
    unsigned char *pdf = pdf_table(title, nc, heads, (int)nr, cells, &len);
    if (!pdf) {
      reply_problem(r, 500, "内部错误 / Internal error", "无法生成PDF / Cannot produce the PDF");
      return 1;
    }
    reply_bytes(r, 200, "application/pdf", pdf, len);
    free(pdf);
    strbuf fn = STRBUF_INIT;
    for (const unsigned char *p = (const unsigned char *)title; *p; p++) {
      if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '-') sb_add(&fn, (const char *)p, 1);
      else sb_addf(&fn, "%%%02X", *p);
    }
    reply_header(r, "Content-Disposition",
                 arena_printf(&r->a, "attachment; filename=\"guatu.pdf\"; filename*=UTF-8''%s.pdf", sb_str(&fn)));
    sb_release(&fn);
    return 1;
  }
  field_error(r, "format", "应为 xlsx、csv 或 pdf", "must be xlsx, csv or pdf");
  reply_invalid(r);
  return 1;
}

const char *const group_values[] = {"town", "department", "hq", NULL};

const char *default_month(req *r) {
  int y, m, dd;
  date_to_ymd(clock_today(), &y, &m, &dd);
  return arena_printf(&r->a, "%04d-%02d", y % 10000, m % 100);
}

typedef struct rank_page {
  int paged; /* page or per_page was asked */
  page p;
} rank_page;

/* A province ranks ~2,300 units (1.5 MB with every row, and `items` repeats
 * the groups' rows): `top` keeps each group's first N rows (its best, in
 * rank order), page/per_page a page of `items` (what the list in the UI
 * asks for); each group's `items` then holds its rows of that window, while
 * `size` and `total` still count every row. */
static void rankings_window(json_t *groups, json_t **all, int64_t top, const rank_page *pg) {
  json_t *kept = json_array();
  size_t i;
  json_t *g;
  json_array_foreach(groups, i, g) {
    json_t *items = json_object_get(g, "items");
    if (top)
      while ((int64_t)json_array_size(items) > top) json_array_remove(items, json_array_size(items) - 1);
    json_array_extend(kept, items);
  }
  if (pg->paged) {
    json_t *slice = json_array();
    for (int64_t k = pg->p.offset; k < pg->p.offset + pg->p.per_page && k < (int64_t)json_array_size(kept); k++)
      json_array_append(slice, json_array_get(kept, (size_t)k));
    json_decref(kept);
    kept = slice;
    /* each group keeps the rows of the page (the same objects) */
    json_array_foreach(groups, i, g) {
      json_t *items = json_object_get(g, "items");
      for (size_t k = json_array_size(items); k-- > 0;) {
        json_t *row = json_array_get(items, k);
        int on_page = 0;
        for (size_t m = 0; m < json_array_size(kept) && !on_page; m++) on_page = json_array_get(kept, m) == row;
        if (!on_page) json_array_remove(items, k);
      }
    }
  }
  json_decref(*all);
  *all = kept;
}

static void rankings_get(req *r) {
  const char *month = qmonth(r, "month");
  const char *group = qenum(r, "group", group_values);
  int64_t top = qint(r, "top", 1, 100000, 0);
  rank_page pg = {.paged = !req_arg(r, "format") && (req_arg(r, "page") || req_arg(r, "per_page"))};
  req_page(r, &pg.p);
  if (has_errors(r)) return reply_invalid(r);
  if (!month) month = default_month(r);
  acc_settings s;
  roster ro;
  if (!roster_open(r, &s, &ro)) return;
  json_t *groups = rankings_json(r->db, &r->a, &ro, month, group ? peer_group_parse(group) : -1, s.last_n, NULL);
  if (!groups) return reply_db_error(r, db_errcode(r->db));
  json_t *all = json_array();
  size_t i;
  json_t *g;
  json_array_foreach(groups, i, g) {
    json_t *items = json_object_get(g, "items");
    scope_rows(r, &ro, items);
    json_array_extend(all, items);
  }
  if (req_arg(r, "format")) {
    int done = reply_export(r, all, arena_printf(&r->a, "%s 月度攻坚任务排名", month),
                            "unit_name:单位,group:组别,rank:综合排名,rank_change:名次变化,score:综合得分,tasks:任务数,"
                            "tasks_completed:完成数,rank_land:征拆排名,ratio_land:征拆完成率,rank_demolition:拆房排名,"
                            "ratio_demolition:拆房完成率,rank_investment:投资排名,ratio_investment:投资完成率,"
                            "rank_count:项目排名,ratio_count:项目完成率,rank_node:节点排名,ratio_node:节点完成率");
    json_decref(all);
    json_decref(groups);
    if (done) return;
  }
  json_int_t total = (json_int_t)json_array_size(all);
  if (top || pg.paged) rankings_window(groups, &all, top, &pg);
  json_t *o = json_pack("{s:s, s:s?, s:s, s:i, s:o, s:o, s:I}", "month", month, "group", group, "tie_rule", TIE_RULE,
                        "last_n", s.last_n, "groups", groups, "items", all, "total", total);
  if (top) json_object_set_new(o, "top", json_integer(top));
  if (pg.paged) {
    json_object_set_new(o, "page", json_integer(pg.p.page));
    json_object_set_new(o, "per_page", json_integer(pg.p.per_page));
  }
  reply_json(r, 200, o);
}


static const route ranking_routes[] = {
    ROUTE("GET", "/api/v1/rankings", rankings_get, RANKING_READERS, "月度排名 / Monthly rankings per peer group (month, group)", 0, CACHE_NOT_PROBLEMS),
    {0},
};

static const module rankings_module = {"rankings", 61, ranking_routes, NULL, NULL};
MODULE_REGISTER(rankings_module)
