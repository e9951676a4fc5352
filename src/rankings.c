/*
 * rankings.c — the monthly ranking boards, the accountability list (约谈 /
 * 通报 / 问责) with its publication as frozen versions, the public board
 * (亮屏), and the quarterly assessment (季度考核).  The rule itself lives in
 * accountability.c; this file gathers each month's figures from the
 * database, applies the rule, words the reasons and stores what is
 * published.
 *
 * GET  /api/v1/rankings?month=YYYY-MM&group=town|department|hq[&format=xlsx|csv|pdf]
 * GET  /api/v1/accountability?month=YYYY-MM[&version=N][&format=xlsx|csv|pdf]
 * POST /api/v1/accountability/{month}/publish   {note?}        office: freeze as the next version
 * POST /api/v1/accountability/{month}/flags     {unit_id, reason}  office: a 问责 entry
 * DELETE /api/v1/accountability/{month}/flags/{id}              office
 * GET  /api/v1/accountability/settings          the rule's N, M and the assessment weights
 * PUT  /api/v1/accountability/settings          admin
 * GET  /api/v1/public/board?month=               no login: the published list and rankings
 * GET  /api/v1/assessments?quarter=YYYY-Qn&group=  quarterly composite with 骏马奖/蜗牛奖
 */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "accountability.h"
#include "auth.h"
#include "calendar.h"
#include "export.h"
#include "http.h"
#include "pdfdoc.h"
#include "rate.h"
#include "tasks.h"

#define TIE_RULE                                                                                                     \
  "单项排名：按完成率（实际÷目标）从高到低；完成率相同按实际完成量从高到低；再相同按完成任务数从多到少；仍相同则并列同一名次，" \
  "按单位名称（Unicode码位）顺序列出。综合排名：按各项任务完成率（每项封顶100%）的加权平均得分，相同按完成任务数、任务数。"    \
  "与倒数第N名并列的单位一并计入倒数N名。 / Per kind: completion ratio (actual ÷ target) descending, then the absolute "    \
  "actual, then tasks completed; units equal on all three share a rank and are listed by unit name (codepoint order). " \
  "Overall: weighted mean of the tasks' ratios, each capped at 100%, then tasks completed, then number of tasks. Units " \
  "tied with the N-th from last all count as in the last N."

/* ---- settings ------------------------------------------------------------ */

enum { F_INVESTMENT, F_STARTS, F_NODES, F_PROBLEMS, F_REPORTS, F_N };
static const char *const factor_names[] = {"investment", "starts", "nodes", "problems", "reports", NULL};
static const char *const factor_zh[] = {"投资完成率", "开工竣工完成率", "节点按期率", "问题按期办结率", "填报及时率"};
static const int factor_default[F_N] = {30, 20, 20, 15, 15};

typedef struct acc_settings {
  int last_n, months;
  int weight[F_N];
} acc_settings;

static int64_t setting_int(db *d, const char *key, int64_t dflt) {
  db_stmt *st = db_query(d, "SELECT value FROM settings WHERE key = ?", DBT(key));
  int64_t v = dflt;
  if (st && db_step(st) == DB_ROW && db_text(st, 0)) {
    char *end;
    long long x = strtoll(db_text(st, 0), &end, 10);
    if (*end == 0) v = x;
  }
  db_done(st);
  return v;
}

static void settings_load(db *d, acc_settings *s) {
  s->last_n = (int)setting_int(d, "accountability.last_n", 2);
  s->months = (int)setting_int(d, "accountability.months", 2);
  for (int i = 0; i < F_N; i++) {
    char key[64];
    snprintf(key, sizeof key, "assessment.weight.%s", factor_names[i]);
    s->weight[i] = (int)setting_int(d, key, factor_default[i]);
  }
}

static json_t *settings_json(const acc_settings *s) {
  json_t *w = json_object();
  for (int i = 0; i < F_N; i++) json_object_set_new(w, factor_names[i], json_integer(s->weight[i]));
  return json_pack("{s:i, s:i, s:o}", "last_n", s->last_n, "months", s->months, "weights", w);
}

/* ---- the units that are ranked ------------------------------------------- */

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

static int ru_cmp(const void *a, const void *b) {
  int64_t x = ((const ranked_unit *)a)->id, y = ((const ranked_unit *)b)->id;
  return x < y ? -1 : x > y;
}

static int roster_load(db *d, arena *a, roster *ro) {
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

static const ranked_unit *roster_find(const roster *ro, int64_t id) {
  ranked_unit key = {.id = id};
  return bsearch(&key, ro->all, (size_t)ro->n, sizeof *ro->all, ru_cmp);
}

/* One month's figures, ranked per group. */
typedef struct month_calc {
  char month[16];
  acc_unit *u[PG_N];
} month_calc;

static int month_compute(db *d, arena *a, const roster *ro, const char *month, month_calc *mc) {
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

static int kind_size(const acc_unit *u, int n, int kind) {
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

/* The rankings of every group (or one) for a month, as the API shows them. */
static json_t *rankings_json(db *d, arena *a, const roster *ro, const char *month, int only_group, int last_n,
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

static void scope_rows(req *r, const roster *ro, json_t *rows) {
  for (size_t i = json_array_size(rows); i-- > 0;) {
    int64_t id = json_integer_value(json_object_get(json_array_get(rows, i), "unit_id"));
    if (!in_scope(r, ro, id)) json_array_remove(rows, i);
  }
}

/* Replies with rows as a spreadsheet or a PDF when format asks for it;
 * returns 1 when it did. */
static int reply_export(req *r, json_t *rows, const char *title, const char *default_cols) {
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

static const char *const group_values[] = {"town", "department", "hq", NULL};

static const char *default_month(req *r) {
  int y, m, dd;
  date_to_ymd(clock_today(), &y, &m, &dd);
  return arena_printf(&r->a, "%04d-%02d", y % 10000, m % 100);
}

static void rankings_get(req *r) {
  const char *month = qmonth(r, "month");
  const char *group = qenum(r, "group", group_values);
  if (has_errors(r)) return reply_invalid(r);
  if (!month) month = default_month(r);
  acc_settings s;
  settings_load(r->db, &s);
  roster ro;
  if (roster_load(r->db, &r->a, &ro) != 0) return reply_db_error(r, db_errcode(r->db));
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
  json_t *o = json_pack("{s:s, s:s?, s:s, s:i, s:o, s:o, s:I}", "month", month, "group", group, "tie_rule", TIE_RULE,
                        "last_n", s.last_n, "groups", groups, "items", all, "total", (json_int_t)json_array_size(all));
  reply_json(r, 200, o);
}

/* ---- accountability ----------------------------------------------------------- */

static const char *kind_label(int k) {
  static const char *const labels[] = {"征拆(亩)", "拆房(栋)", "投资(万元)", "项目(个)", "节点(个)"};
  return labels[k];
}

static void add_entry(json_t *entries, const acc_unit *u, int g, const char *action, json_t *reasons, json_t *figures) {
  static const char *const zh[] = {"约谈", "通报", "问责"};
  int a = strcmp(action, "interview") == 0 ? 0 : strcmp(action, "circulate") == 0 ? 1 : 2;
  json_array_append_new(entries, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "unit_id", (json_int_t)u->id,
                                           "unit_name", u->name, "group", peer_group_names[g], "action", action,
                                           "action_name", zh[a], "group_name", peer_group_zh[g], "reasons", reasons,
                                           "figures", figures));
}

/* The list for a month, computed now from the current data. */
static json_t *entries_compute(db *d, arena *a, const roster *ro, const char *month, const acc_settings *s) {
  int m = s->months < 1 ? 1 : s->months;
  month_calc *hist = arena_alloc(a, (size_t)m * sizeof *hist);
  for (int i = 0; i < m; i++) {
    char mm[16];
    acc_month_add(month, i - (m - 1), mm);
    if (month_compute(d, a, ro, mm, &hist[i]) != 0) return NULL;
  }
  const month_calc *cur = &hist[m - 1];
  json_t *entries = json_array();
  int *histv = arena_alloc(a, (size_t)m * sizeof *histv);
  for (int g = 0; g < PG_N; g++) {
    int n = ro->gn[g];
    int *idx = arena_alloc(a, (size_t)(n + 1) * sizeof *idx);
    acc_display_order(cur->u[g], n, -1, idx);
    for (int j = 0; j < n; j++) {
      const acc_unit *u = &cur->u[g][idx[j]];
      /* 约谈: per kind, missed and in the last N */
      json_t *reasons = json_array(), *figures = json_array();
      for (int k = 0; k < TK_N; k++) {
        const acc_kind *c = &u->k[k];
        if (!acc_interview(c, s->last_n)) continue;
        int of = kind_size(cur->u[g], n, k);
        int tied = of - c->rank - c->behind > 0; /* someone else shares the rank */
        char ratio[32], tv[48], av[48];
        acc_bp_format(acc_ratio_bp(c->actual, c->target), ratio);
        acc_value_text(k, c->target, tv);
        acc_value_text(k, c->actual, av);
        json_array_append_new(reasons, json_string(arena_printf(
                                           a, "%s %s任务完成 %s%%（目标%s，完成%s），在%s%d个单位中排第%d名（倒数第%d%s）%s",
                                           month, kind_label(k), ratio, tv, av, peer_group_zh[g], of, c->rank,
                                           c->behind + 1, tied ? "，并列" : "",
                                           c->pending ? arena_printf(a, "；另有%d项已填报、待项目办确认，未计入", c->pending)
                                                      : "")));
        json_array_append_new(figures, json_pack("{s:s, s:s, s:o, s:o, s:s, s:i, s:i, s:i, s:i, s:i}", "month", month,
                                                 "kind", task_kind_names[k], "target", task_figure_json(k, c->target),
                                                 "actual", task_figure_json(k, c->actual), "ratio", ratio, "rank",
                                                 c->rank, "of", of, "from_last", c->behind + 1, "tasks", c->tasks,
                                                 "tasks_completed", c->done));
      }
      if (json_array_size(reasons)) add_entry(entries, u, g, "interview", reasons, figures);
      else {
        json_decref(reasons);
        json_decref(figures);
      }
      /* 通报: missed each of the last M calendar months */
      for (int i = 0; i < m; i++) {
        const acc_unit *h = &hist[i].u[g][idx[j]];
        histv[i] = h->tasks == 0 ? -1 : h->done < h->tasks ? 1 : 0;
      }
      if (acc_circulate(histv, m, m)) {
        reasons = json_array();
        figures = json_array();
        json_array_append_new(reasons, json_string(arena_printf(a, "连续%d个月未完成月度攻坚任务", m)));
        for (int i = 0; i < m; i++) {
          const acc_unit *h = &hist[i].u[g][idx[j]];
          char score[32];
          acc_bp_format(h->score_bp, score);
          json_array_append_new(reasons, json_string(arena_printf(a, "%s 攻坚任务%d项，完成%d项，综合完成率%s%%",
                                                                  hist[i].month, h->tasks, h->done, score)));
          json_array_append_new(figures, json_pack("{s:s, s:i, s:i, s:s}", "month", hist[i].month, "tasks", h->tasks,
                                                   "tasks_completed", h->done, "score", score));
        }
        add_entry(entries, u, g, "circulate", reasons, figures);
      }
    }
  }
  /* 问责: flagged by the office */
  db_stmt *st = db_query(d, "SELECT f.id, f.unit_id, f.reason, f.created_at FROM accountability_flags f WHERE f.month = ? ORDER BY f.id",
                         DBT(month));
  while (st && db_step(st) == DB_ROW) {
    const ranked_unit *ru = roster_find(ro, db_int(st, 1));
    if (!ru) continue;
    json_t *found = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e) {
      if (json_integer_value(json_object_get(e, "unit_id")) == ru->id &&
          strcmp(json_string_value(json_object_get(e, "action")), "discipline") == 0)
        found = e;
    }
    if (!found) {
      add_entry(entries, &cur->u[ru->group][ru->idx], ru->group, "discipline", json_array(), json_array());
      found = json_array_get(entries, json_array_size(entries) - 1);
    }
    json_array_append_new(json_object_get(found, "reasons"), json_string(db_text(st, 2)));
    json_array_append_new(json_object_get(found, "figures"),
                          json_pack("{s:I, s:s}", "flag_id", (json_int_t)db_int(st, 0), "flagged_at", db_text(st, 3)));
  }
  db_done(st);
  return entries;
}

static json_t *versions_json(db *d, const char *month) {
  json_t *arr = json_array();
  db_stmt *st = db_query(d,
                         "SELECT v.version, v.published_at, u.name, v.note FROM accountability_versions v LEFT JOIN users u "
                         "ON u.id = v.published_by WHERE v.month = ? ORDER BY v.version",
                         DBT(month));
  while (st && db_step(st) == DB_ROW)
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s?, s:s?}", "version", (json_int_t)db_int(st, 0), "published_at",
                                         db_text(st, 1), "published_by", db_text(st, 2), "note", db_text(st, 3)));
  db_done(st);
  return arr;
}

/* The stored snapshot of a version (NULL when none). */
static json_t *snapshot_load(db *d, const char *month, int64_t version, json_t **changes) {
  db_stmt *st = version ? db_query(d, "SELECT snapshot_json, changes_json FROM accountability_versions WHERE month = ? AND version = ?",
                                   DBT(month), DBI(version))
                        : db_query(d, "SELECT snapshot_json, changes_json FROM accountability_versions WHERE month = ? "
                                      "ORDER BY version DESC LIMIT 1",
                                   DBT(month));
  json_t *snap = NULL;
  if (st && db_step(st) == DB_ROW) {
    snap = json_loads(db_text(st, 0), 0, NULL);
    if (changes) *changes = db_text(st, 1) ? json_loads(db_text(st, 1), 0, NULL) : NULL;
  }
  db_done(st);
  return snap;
}

static json_t *entries_export_rows(json_t *entries) {
  json_t *rows = json_array();
  size_t i;
  json_t *e;
  json_array_foreach(entries, i, e) {
    json_t *o = json_deep_copy(e);
    json_array_append_new(rows, o);
  }
  return rows;
}

static void accountability_get(req *r) {
  const char *month = qmonth(r, "month");
  int64_t version = qint(r, "version", 1, 1000000, 0);
  if (has_errors(r)) return reply_invalid(r);
  if (!month) month = default_month(r);
  acc_settings s;
  settings_load(r->db, &s);
  roster ro;
  if (roster_load(r->db, &r->a, &ro) != 0) return reply_db_error(r, db_errcode(r->db));
  json_t *entries, *changes = NULL, *snap = NULL;
  if (version) {
    snap = snapshot_load(r->db, month, version, &changes);
    if (!snap) return reply_not_found(r, "该月的发布版本", "published version of that month");
    entries = json_incref(json_object_get(snap, "entries"));
  } else {
    entries = entries_compute(r->db, &r->a, &ro, month, &s);
    if (!entries) return reply_db_error(r, db_errcode(r->db));
  }
  scope_rows(r, &ro, entries);
  if (req_arg(r, "format")) {
    json_t *rows = entries_export_rows(entries);
    int done = reply_export(r, rows, arena_printf(&r->a, "%s 约谈通报问责名单", month),
                            "unit_name:单位,group_name:组别,action_name:处理,reasons:原因");
    json_decref(rows);
    if (done) {
      json_decref(entries);
      json_decref(snap);
      json_decref(changes);
      return;
    }
  }
  json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:s, s:I}", "month", month, "entries", entries, "versions",
                        versions_json(r->db, month), "settings", version ? json_incref(json_object_get(snap, "settings")) : settings_json(&s),
                        "tie_rule", TIE_RULE, "total", (json_int_t)json_array_size(entries));
  json_object_set(o, "items", entries); /* the list envelope tables read */
  json_object_set_new(o, "version", version ? json_integer(version) : json_null());
  json_object_set_new(o, "state", json_string(version ? "published" : "live"));
  if (version) {
    json_object_set_new(o, "published_at", json_incref(json_object_get(snap, "published_at")));
    json_object_set_new(o, "changes", changes ? changes : json_null());
  }
  json_decref(snap);
  reply_json(r, 200, o);
}

static const char *path_month(req *r) {
  int y, m;
  if (r->nparams < 1 || month_parse(r->params[0], &y, &m) != 0) {
    field_error(r, "month", "月份应为YYYY-MM", "month must be YYYY-MM");
    reply_invalid(r);
    return NULL;
  }
  return r->params[0];
}

static json_t *entry_key_find(json_t *entries, json_t *e) {
  size_t i;
  json_t *x;
  json_array_foreach(entries, i, x) {
    if (json_equal(json_object_get(x, "unit_id"), json_object_get(e, "unit_id")) &&
        json_equal(json_object_get(x, "action"), json_object_get(e, "action")))
      return x;
  }
  return NULL;
}

/* What changed from one published list to the next. */
static json_t *entries_diff(json_t *before, json_t *after) {
  json_t *added = json_array(), *removed = json_array(), *changed = json_array();
  size_t i;
  json_t *e;
  json_array_foreach(after, i, e) {
    json_t *old = entry_key_find(before, e);
    json_t *brief = json_pack("{s:O, s:O, s:O}", "unit_id", json_object_get(e, "unit_id"), "unit_name",
                              json_object_get(e, "unit_name"), "action", json_object_get(e, "action"));
    if (!old) {
      json_object_set(brief, "reasons", json_object_get(e, "reasons"));
      json_array_append_new(added, brief);
    } else if (!json_equal(json_object_get(old, "reasons"), json_object_get(e, "reasons"))) {
      json_object_set(brief, "before", json_object_get(old, "reasons"));
      json_object_set(brief, "after", json_object_get(e, "reasons"));
      json_array_append_new(changed, brief);
    } else {
      json_decref(brief);
    }
  }
  json_array_foreach(before, i, e) {
    if (!entry_key_find(after, e))
      json_array_append_new(removed, json_pack("{s:O, s:O, s:O, s:O}", "unit_id", json_object_get(e, "unit_id"),
                                               "unit_name", json_object_get(e, "unit_name"), "action",
                                               json_object_get(e, "action"), "reasons", json_object_get(e, "reasons")));
  }
  return json_pack("{s:o, s:o, s:o}", "added", added, "removed", removed, "changed", changed);
}

static void accountability_publish(req *r) {
  static const char *const fields[] = {"note", NULL};
  const char *month = path_month(r);
  if (!month) return;
  json_t *in = r->body_len ? req_json(r, fields) : NULL;
  if (r->body_len && !in) return;
  const char *note = NULL;
  if (in) jstr(r, in, "note", 0, 500, &note);
  if (has_errors(r)) return reply_invalid(r);
  acc_settings s;
  settings_load(r->db, &s);
  roster ro;
  if (roster_load(r->db, &r->a, &ro) != 0) return reply_db_error(r, db_errcode(r->db));
  json_t *entries = entries_compute(r->db, &r->a, &ro, month, &s);
  json_t *groups = rankings_json(r->db, &r->a, &ro, month, -1, s.last_n, NULL);
  if (!entries || !groups) {
    json_decref(entries);
    json_decref(groups);
    return reply_db_error(r, db_errcode(r->db));
  }
  const char *now = now_rfc3339(&r->a);
  json_int_t nentries = (json_int_t)json_array_size(entries); /* the snapshot takes entries */
  int rc = db_begin(r->db);
  if (rc != DB_OK) {
    json_decref(entries);
    json_decref(groups);
    return reply_db_error(r, rc);
  }
  int64_t version = db_int1(r->db, 0, "SELECT COALESCE(MAX(version), 0) FROM accountability_versions WHERE month = ?", DBT(month)) + 1;
  json_t *changes = NULL;
  if (version > 1) {
    json_t *prev = snapshot_load(r->db, month, version - 1, NULL);
    changes = entries_diff(prev ? json_object_get(prev, "entries") : NULL, entries);
    json_decref(prev);
  }
  json_t *snap = json_pack("{s:s, s:I, s:s, s:s?, s:o, s:s, s:o, s:o}", "month", month, "version", (json_int_t)version,
                           "published_at", now, "note", note, "settings", settings_json(&s), "tie_rule", TIE_RULE,
                           "rankings", groups, "entries", entries);
  char *snap_text = json_dumps(snap, JSON_COMPACT);
  char *changes_text = changes ? json_dumps(changes, JSON_COMPACT) : NULL;
  db_stmt *st = db_query(r->db,
                         "INSERT INTO accountability_versions (month, version, snapshot_json, changes_json, note, "
                         "published_by, published_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBT(month), DBI(version), DBT(snap_text), DBT(changes_text), DBT(note), DBI(r->user.id), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  rc = id ? DB_OK : db_errcode(r->db);
  json_t *after = json_pack("{s:s, s:I, s:I, s:O?}", "month", month, "version", (json_int_t)version, "entries",
                            nentries, "changes", changes);
  if (rc == DB_OK) rc = audit_log(r, "publish", "accountability", id, NULL, after);
  free(snap_text);
  free(changes_text);
  json_decref(after);
  json_decref(snap);
  commit_reply(r, rc, NULL,
               json_pack("{s:s, s:I, s:s, s:I, s:o}", "month", month, "version", (json_int_t)version, "published_at", now,
                         "entries", nentries, "changes", changes ? changes : json_null()),
               201);
}

static void flag_create(req *r) {
  static const char *const fields[] = {"unit_id", "reason", NULL};
  const char *month = path_month(r);
  if (!month) return;
  json_t *in = req_json(r, fields);
  if (!in) return;
  int64_t unit_id = 0;
  const char *reason = NULL;
  if (jint(r, in, "unit_id", 1, 1, INT64_MAX, &unit_id) == JV_SET &&
      db_int1(r->db, 0, "SELECT COUNT(*) FROM units WHERE id = ? AND kind IN ('town', 'department', 'hq')", DBI(unit_id)) != 1)
    field_error(r, "unit_id", "单位不存在或不参加排名", "unknown unit, or a unit that is not ranked");
  if (jstr(r, in, "reason", 1, 1000, &reason) == JV_SET && strlen(reason) < 6)
    field_error(r, "reason", "请写明问责原因", "state the reason");
  if (has_errors(r)) return reply_invalid(r);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO accountability_flags (month, unit_id, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                         DBT(month), DBI(unit_id), DBT(reason), DBI(r->user.id), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  json_t *after = json_pack("{s:I, s:s, s:I, s:s, s:s}", "id", (json_int_t)id, "month", month, "unit_id",
                            (json_int_t)unit_id, "reason", reason, "created_at", now);
  rc = id ? audit_log(r, "create", "accountability_flag", id, NULL, after) : db_errcode(r->db);
  commit_reply(r, rc, NULL, after, 201);
}

static void flag_delete(req *r) {
  const char *month = path_month(r);
  if (!month) return;
  int64_t id = req_id(r, 1);
  if (!id) return;
  db_stmt *st = db_query(r->db, "SELECT unit_id, reason FROM accountability_flags WHERE id = ? AND month = ?", DBI(id), DBT(month));
  json_t *before = st && db_step(st) == DB_ROW
                       ? json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)id, "month", month, "unit_id",
                                   (json_int_t)db_int(st, 0), "reason", db_text(st, 1))
                       : NULL;
  db_done(st);
  if (!before) return reply_not_found(r, "问责标记", "flag");
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM accountability_flags WHERE id = ?", DBI(id));
  if (rc == DB_OK) rc = audit_log(r, "delete", "accountability_flag", id, before, NULL);
  commit_reply(r, rc, before, NULL, 204);
}

static void settings_get(req *r) {
  acc_settings s;
  settings_load(r->db, &s);
  json_t *o = settings_json(&s);
  json_object_set_new(o, "tie_rule", json_string(TIE_RULE));
  reply_json(r, 200, o);
}

static void settings_put(req *r) {
  static const char *const fields[] = {"last_n", "months", "weights", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  acc_settings s;
  settings_load(r->db, &s);
  acc_settings before = s;
  int64_t v;
  if (jint(r, in, "last_n", 0, 1, 20, &v) == JV_SET) s.last_n = (int)v;
  if (jint(r, in, "months", 0, 1, 12, &v) == JV_SET) s.months = (int)v;
  json_t *w = json_object_get(in, "weights");
  if (w && !json_is_object(w)) field_error(r, "weights", "应为对象", "must be an object");
  else if (w) {
    const char *key;
    json_t *x;
    int sum = 0;
    json_object_foreach(w, key, x) {
      int f = -1;
      for (int i = 0; factor_names[i]; i++)
        if (strcmp(key, factor_names[i]) == 0) f = i;
      const char *field = arena_printf(&r->a, "weights.%s", key);
      if (f < 0) field_error(r, field, "未知的考核因素", "unknown factor");
      else if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > 100)
        field_error(r, field, "权重应为0到100的整数", "a weight must be an integer 0–100");
      else s.weight[f] = (int)json_integer_value(x);
    }
    for (int i = 0; i < F_N; i++) sum += s.weight[i];
    if (!has_errors(r) && sum <= 0) field_error(r, "weights", "权重之和应大于0", "the weights must not all be 0");
  }
  if (has_errors(r)) return reply_invalid(r);
  int rc = db_begin(r->db);
  static const char *const upsert =
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
  char buf[32];
  snprintf(buf, sizeof buf, "%d", s.last_n);
  if (rc == DB_OK) rc = db_exec(r->db, upsert, DBT("accountability.last_n"), DBT(buf));
  snprintf(buf, sizeof buf, "%d", s.months);
  if (rc == DB_OK) rc = db_exec(r->db, upsert, DBT("accountability.months"), DBT(buf));
  for (int i = 0; rc == DB_OK && i < F_N; i++) {
    snprintf(buf, sizeof buf, "%d", s.weight[i]);
    rc = db_exec(r->db, upsert, DBT(arena_printf(&r->a, "assessment.weight.%s", factor_names[i])), DBT(buf));
  }
  json_t *bj = settings_json(&before), *aj = settings_json(&s);
  if (rc == DB_OK) rc = audit_log(r, "update", "accountability_settings", 0, bj, aj);
  commit_reply(r, rc, bj, aj, 200);
}

/* ---- the public board ------------------------------------------------------- */

static void public_board(req *r) {
  const char *month = qmonth(r, "month");
  if (has_errors(r)) return reply_invalid(r);
  json_t *months = json_array();
  db_stmt *st = db_query0(r->db, "SELECT DISTINCT month FROM accountability_versions ORDER BY month DESC");
  while (st && db_step(st) == DB_ROW) json_array_append_new(months, json_string(db_text(st, 0)));
  db_done(st);
  if (!month && json_array_size(months)) month = arena_strdup(&r->a, json_string_value(json_array_get(months, 0)));
  json_t *snap = month ? snapshot_load(r->db, month, 0, NULL) : NULL;
  json_t *o = json_pack("{s:s?, s:o, s:b}", "month", month, "months", months, "published", snap != NULL);
  if (snap) {
    /* the public sees the published words and figures, nothing else */
    static const char *const keep[] = {"version", "published_at", "tie_rule", "rankings", "entries", "settings"};
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
      json_object_set(o, keep[i], json_object_get(snap, keep[i]));
    json_decref(snap);
  } else {
    json_object_set_new(o, "rankings", json_array());
    json_object_set_new(o, "entries", json_array());
  }
  reply_json(r, 200, o);
}

/* ---- quarterly assessment ---------------------------------------------------- */

typedef struct factor_val {
  int64_t num, den;
} factor_val;

static int column_exists(db *d, const char *table, const char *column) {
  if (db_dialect(d) == DB_SQLITE)
    return db_int1(d, 0, "SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?", DBT(table), DBT(column)) > 0;
  return db_int1(d, 0,
                 "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ? AND "
                 "table_schema = current_schema()",
                 DBT(table), DBT(column)) > 0;
}

/* Runs a "SELECT unit_id, num, den …" query into vals[unit index][f]. */
static int factor_query(db *d, const roster *ro, factor_val (*vals)[F_N], int f, const char *sql, int n, const db_val *args) {
  db_stmt *st = db_prepare(d, sql, n, args);
  if (!st) return -1;
  while (db_step(st) == DB_ROW) {
    const ranked_unit *ru = roster_find(ro, db_int(st, 0));
    if (!ru) continue;
    int i = (int)(ru - ro->all);
    vals[i][f].num += db_int(st, 1);
    vals[i][f].den += db_int(st, 2);
  }
  db_done(st);
  return 0;
}

/* The four leading digits of "YYYY-Qn" as a year, or -1. */
static int quarter_year(const char *q) {
  int y = 0;
  for (int i = 0; i < 4; i++) {
    if (q[i] < '0' || q[i] > '9') return -1;
    y = y * 10 + (q[i] - '0');
  }
  return y;
}

#define UNIT_PROJECTS "FROM units u JOIN projects p ON (p.unit_id = u.id OR p.hq_id = u.id) "

static void assessments_get(req *r) {
  const char *q = req_arg(r, "quarter");
  const char *group = qenum(r, "group", group_values);
  int year = 0, qn = 0;
  if (!q) {
    int y, m, dd;
    date_to_ymd(clock_today(), &y, &m, &dd);
    year = y;
    qn = (m - 1) / 3 + 1;
  } else if (strlen(q) != 7 || q[4] != '-' || q[5] != 'Q' || q[6] < '1' || q[6] > '4' ||
             (year = quarter_year(q)) < 1900 || year > 2200) {
    field_error(r, "quarter", "季度应为YYYY-Qn（如2026-Q3）", "quarter must be YYYY-Qn (e.g. 2026-Q3)");
  } else {
    qn = q[6] - '0';
  }
  if (has_errors(r)) return reply_invalid(r);
  acc_settings s;
  settings_load(r->db, &s);
  roster ro;
  if (roster_load(r->db, &r->a, &ro) != 0) return reply_db_error(r, db_errcode(r->db));
  char qfrom[32], qto[32], ystart[32], dfrom[40], dto[11], today[11];
  year %= 10000;
  qn = qn < 1 ? 1 : qn > 4 ? 4 : qn;
  snprintf(qfrom, sizeof qfrom, "%04d-%02d", year, (qn - 1) * 3 + 1);
  snprintf(qto, sizeof qto, "%04d-%02d", year, qn * 3);
  snprintf(ystart, sizeof ystart, "%04d-01", year);
  snprintf(dfrom, sizeof dfrom, "%s-01", qfrom);
  int32_t qend = date_from_ymd(qn == 4 ? year + 1 : year, qn == 4 ? 1 : qn * 3 + 1, 1) - 1;
  date_format(qend, dto);
  int32_t t = clock_today();
  date_format(t < qend ? t : qend, today);
  factor_val(*vals)[F_N] = arena_alloc(&r->a, (size_t)(ro.n + 1) * sizeof *vals);
  int rc = 0;
  /* investment: approved year-to-date at the quarter's end against the
   * year's plan pro rata (q/4 of it) */
  rc |= factor_query(r->db, &ro, vals, F_INVESTMENT,
                     "SELECT u.id, CAST(COALESCE(SUM(rp.investment), 0) AS BIGINT), 0 " UNIT_PROJECTS
                     "JOIN reports rp ON rp.project_id = p.id AND rp.state = 'approved' AND rp.period >= ? AND rp.period <= ? "
                     "WHERE u.kind IN ('town', 'department', 'hq') GROUP BY u.id",
                     2, (db_val[]){DBT(ystart), DBT(qto)});
  rc |= factor_query(r->db, &ro, vals, F_INVESTMENT,
                     "SELECT u.id, 0, CAST(COALESCE(SUM(pp.amount), 0) AS BIGINT) * ? / 4 " UNIT_PROJECTS
                     "JOIN project_plans pp ON pp.project_id = p.id AND pp.year = ? "
                     "WHERE u.kind IN ('town', 'department', 'hq') GROUP BY u.id",
                     2, (db_val[]){DBI(qn), DBI(year)});
  rc |= factor_query(r->db, &ro, vals, F_STARTS,
                     "SELECT u.id, SUM(CASE WHEN n.actual_date IS NOT NULL AND n.actual_date <= ? THEN 1 ELSE 0 END), COUNT(*) "
                     UNIT_PROJECTS "JOIN nodes n ON n.project_id = p.id AND n.kind IN ('start', 'completion') "
                     "AND n.planned_date >= ? AND n.planned_date <= ? WHERE u.kind IN ('town', 'department', 'hq') GROUP BY u.id",
                     3, (db_val[]){DBT(dto), DBT(dfrom), DBT(dto)});
  rc |= factor_query(r->db, &ro, vals, F_NODES,
                     "SELECT u.id, SUM(CASE WHEN n.actual_date IS NOT NULL AND n.actual_date <= n.planned_date THEN 1 ELSE 0 END), "
                     "COUNT(*) " UNIT_PROJECTS "JOIN nodes n ON n.project_id = p.id AND n.planned_date >= ? AND n.planned_date <= ? "
                     "WHERE u.kind IN ('town', 'department', 'hq') GROUP BY u.id",
                     2, (db_val[]){DBT(dfrom), DBT(today)});
  /* problems (sql/0005, another module) may be absent from a build or a
   * database: the factor is read only when its columns exist, else it is
   * left out and its weight spread over the others */
  int have_problems = column_exists(r->db, "problems", "due_date") && column_exists(r->db, "problems", "closed_on");
  if (have_problems)
    rc |= factor_query(r->db, &ro, vals, F_PROBLEMS,
                       "SELECT pr.unit_id, SUM(CASE WHEN pr.closed_on IS NOT NULL AND substr(pr.closed_on, 1, 10) <= pr.due_date "
                       "THEN 1 ELSE 0 END), COUNT(*) FROM problems pr WHERE pr.due_date >= ? AND pr.due_date <= ? GROUP BY pr.unit_id",
                       2, (db_val[]){DBT(dfrom), DBT(today)});
  rc |= factor_query(r->db, &ro, vals, F_REPORTS,
                     "SELECT u.id, SUM(CASE WHEN rp.late = 0 THEN 1 ELSE 0 END), COUNT(*) " UNIT_PROJECTS
                     "JOIN reports rp ON rp.project_id = p.id AND rp.period >= ? AND rp.period <= ? "
                     "WHERE u.kind IN ('town', 'department', 'hq') GROUP BY u.id",
                     2, (db_val[]){DBT(qfrom), DBT(qto)});
  if (rc) return reply_db_error(r, db_errcode(r->db));

  /* composite per unit, then rank within each group */
  int64_t *score = arena_alloc(&r->a, (size_t)(ro.n + 1) * sizeof *score);
  int *has = arena_alloc(&r->a, (size_t)(ro.n + 1) * sizeof *has);
  for (int i = 0; i < ro.n; i++) {
    int64_t rate[F_N];
    int avail[F_N], any = 0;
    for (int f = 0; f < F_N; f++) {
      avail[f] = vals[i][f].den > 0;
      rate[f] = avail[f] ? acc_ratio_bp(vals[i][f].num, vals[i][f].den) : 0;
      if (rate[f] > 10000) rate[f] = 10000;
      any |= avail[f] && s.weight[f] > 0;
    }
    has[i] = any;
    score[i] = acc_composite_bp(rate, avail, s.weight, F_N);
  }
  json_t *items = json_array();
  int only = group ? peer_group_parse(group) : -1;
  for (int g = 0; g < PG_N; g++) {
    if (only >= 0 && g != only) continue;
    int size = 0, worst_rank = 0;
    for (int i = 0; i < ro.n; i++) size += ro.all[i].group == g && has[i];
    for (int i = 0; i < ro.n; i++) {
      if (ro.all[i].group != g || !has[i]) continue;
      int ahead = 0;
      for (int j = 0; j < ro.n; j++) ahead += ro.all[j].group == g && has[j] && score[j] > score[i];
      if (ahead + 1 > worst_rank) worst_rank = ahead + 1;
    }
    json_t *grp_rows = json_array();
    for (int i = 0; i < ro.n; i++) {
      if (ro.all[i].group != g || !has[i]) continue;
      int ahead = 0;
      for (int j = 0; j < ro.n; j++) ahead += ro.all[j].group == g && has[j] && score[j] > score[i];
      int rank = ahead + 1;
      /* a group of one earns no mark; if all tie, all are best */
      const char *mark = NULL;
      if (size >= 2 && rank == 1) mark = "best";
      else if (size >= 2 && rank == worst_rank) mark = "worst";
      char sc[32];
      acc_bp_format(score[i], sc);
      json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s?, s:s?}", "unit_id", (json_int_t)ro.all[i].id, "unit_name",
                            ro.all[i].name, "group", peer_group_names[g], "group_name", peer_group_zh[g], "rank", rank,
                            "score", sc, "mark", mark, "mark_name",
                            !mark ? NULL : strcmp(mark, "best") == 0 ? "骏马奖" : "蜗牛奖");
      json_t *factors = json_object();
      for (int f = 0; f < F_N; f++) {
        char rate[32];
        int avail = vals[i][f].den > 0;
        rate_format(vals[i][f].num, vals[i][f].den, rate);
        if (f == F_INVESTMENT)
          json_object_set_new(factors, factor_names[f],
                              json_pack("{s:b, s:s?, s:o, s:o, s:s}", "available", avail, "rate", avail ? rate : NULL,
                                        "done", json_money(vals[i][f].num), "target", json_money(vals[i][f].den), "name",
                                        factor_zh[f]));
        else
          json_object_set_new(factors, factor_names[f],
                              json_pack("{s:b, s:s?, s:I, s:I, s:s}", "available", avail, "rate", avail ? rate : NULL,
                                        "done", (json_int_t)vals[i][f].num, "target", (json_int_t)vals[i][f].den, "name",
                                        factor_zh[f]));
        json_object_set_new(o, arena_printf(&r->a, "rate_%s", factor_names[f]), avail ? json_string(rate) : json_null());
      }
      json_object_set_new(o, "factors", factors);
      json_array_append_new(grp_rows, o);
    }
    /* by rank, then name */
    size_t n = json_array_size(grp_rows);
    for (size_t a = 1; a < n; a++)
      for (size_t b = a; b > 0; b--) {
        json_t *x = json_array_get(grp_rows, b - 1), *y = json_array_get(grp_rows, b);
        json_int_t rx = json_integer_value(json_object_get(x, "rank")), ry = json_integer_value(json_object_get(y, "rank"));
        if (rx < ry || (rx == ry && strcmp(json_string_value(json_object_get(x, "unit_name")),
                                           json_string_value(json_object_get(y, "unit_name"))) <= 0))
          break;
        json_incref(x);
        json_array_set(grp_rows, b - 1, y);
        json_array_set_new(grp_rows, b, x);
      }
    json_array_extend(items, grp_rows);
    json_decref(grp_rows);
  }
  scope_rows(r, &ro, items);
  if (req_arg(r, "format")) {
    json_t *rows = json_deep_copy(items);
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o) {
      json_object_del(o, "factors");
    }
    int done = reply_export(r, rows, arena_printf(&r->a, "%04d年第%d季度考核", year, qn),
                            "unit_name:单位,group_name:组别,rank:名次,score:综合得分,mark_name:奖项,rate_investment:投资完成率,"
                            "rate_starts:开工竣工完成率,rate_nodes:节点按期率,rate_problems:问题按期办结率,rate_reports:填报及时率");
    json_decref(rows);
    if (done) {
      json_decref(items);
      return;
    }
  }
  json_t *factors = json_array();
  for (int f = 0; f < F_N; f++)
    json_array_append_new(factors, json_pack("{s:s, s:s, s:i, s:b}", "key", factor_names[f], "name", factor_zh[f], "weight",
                                             s.weight[f], "available", f != F_PROBLEMS || have_problems));
  reply_json(r, 200,
             json_pack("{s:s, s:s, s:s, s:o, s:o, s:I}", "quarter", arena_printf(&r->a, "%04d-Q%d", year, qn), "from", dfrom,
                       "to", dto, "factors", factors, "items", items, "total", (json_int_t)json_array_size(items)));
}

#define READERS (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT)

static const route ranking_routes[] = {
    ROUTE("GET", "/api/v1/rankings", rankings_get, READERS, "月度排名 / Monthly rankings per peer group (month, group)", 0, CACHE_NOT_PROBLEMS),
    ROUTE("GET", "/api/v1/accountability", accountability_get, READERS,
          "约谈通报问责名单 / The accountability list of a month (month, version)", 0, CACHE_NOT_PROBLEMS),
    ROUTE("GET", "/api/v1/accountability/settings", settings_get, READERS, "问责与考核参数 / Rule and weight settings", 0),
    ROUTE("PUT", "/api/v1/accountability/settings", settings_put, ROLE_ADMIN, "修改问责与考核参数 / Change the settings", 0),
    ROUTE("POST", "/api/v1/accountability/{month}/publish", accountability_publish, ROLE_ADMIN | ROLE_OFFICE,
          "发布名单（冻结为新版本） / Publish the list as a frozen version", 0),
    ROUTE("POST", "/api/v1/accountability/{month}/flags", flag_create, ROLE_ADMIN | ROLE_OFFICE,
          "标记问责 / Flag a unit for discipline", 0),
    ROUTE("DELETE", "/api/v1/accountability/{month}/flags/{id}", flag_delete, ROLE_ADMIN | ROLE_OFFICE,
          "撤销问责标记 / Remove a discipline flag", 0),
    ROUTE("GET", "/api/v1/public/board", public_board, ROLES_NONE, "亮屏：已发布的排名与名单 / Public board of published lists", 0, CACHE_ANY),
    ROUTE("GET", "/api/v1/assessments", assessments_get, READERS, "季度考核 / Quarterly assessment (quarter, group)", 0, CACHE_ANY),
    {0},
};

static const module rankings_module = {"rankings", 61, ranking_routes, NULL, NULL};
MODULE_REGISTER(rankings_module)
