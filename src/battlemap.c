/*
 * battlemap.c — the battle map (作战图 / 挂图作战): every project in the
 * user's scope with its nodes and lights, grouped by responsible unit, lead
 * leader or industry chain, ready for the cross-project Gantt.
 *
 * GET /api/v1/battlemap?year&unit&level&light&chain&leader&stage&group=unit|leader|chain&limit
 *                       &groups_only=1 | &group_key=K | &page&per_page
 *   → {today, year, group, groups:[{key,label,count,lights,projects:[{…, light, light_reasons, nodes:[…]}]}],
 *      total, truncated, lights:{red,yellow,green}, paged}
 * total and lights count every matching project; at most `limit` (default
 * 3000) are listed, truncated says when some were left out.
 *
 * Paging by group (docs/api.md, *Battle map*): groups_only=1 answers the
 * group index (every group's count and lights, no projects); group_key one
 * group (`none`: the group without a leader or chain); page/per_page a page
 * of groups with the index beside it (`index`, `page`, `per_page`, `pages`,
 * `next`).  Asked for none of these nor a limit, a map over bm_full_max()
 * projects answers like a first page and says so (`paged`: true).
 *
 * It must stay fast on a province database, so it runs exactly two
 * queries whatever the size: the projects (with the light columns of
 * lights.h) and the listed groups' nodes in one ordered scan; everything
 * else is done in memory.
 */
#include <stdlib.h>
#include <string.h>

#include "nodes.h"
#include "projects.h"
#include "reports.h"

/* An answer that asks for no group, page or limit and would list more than
 * bm_full_max() projects (about 1 MB of JSON) is paged: the group index and
 * the first groups, as many as it takes to reach a third of that (at least
 * one group).  GUATU_BATTLEMAP_MAX tunes it (1-50000, default 300). */
static int bm_full_max(void) {
  const char *e = getenv("GUATU_BATTLEMAP_MAX");
  char *end = NULL;
  long v = e && *e ? strtol(e, &end, 10) : 0;
  return end && !*end && v >= 1 && v <= 50000 ? (int)v : 300;
}

enum bm_mode { BM_AUTO, BM_FULL, BM_KEY, BM_PAGE, BM_INDEX };

typedef struct bm_proj {
  int64_t id;
  json_t *o;
  json_t *nodes;
  json_t *reasons;
  json_t *lag; /* the investment-lag reason, listed after the nodes' */
  int light;
  int g; /* its group in bm_group[] */
} bm_proj;

typedef struct bm_group {
  json_t *key;         /* an id, a chain name, or null */
  const char *keytext; /* the key as text, to tell rows apart; NULL for null */
  json_t *label;
  int count, lights[3];
  int sel;    /* its projects are listed */
  json_t *o;  /* its entry in groups[], made with its first listed project */
} bm_group;

/* realloc that gives up the way the arena does: out of memory is fatal. */
static void *grow(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!q) abort();
  return q;
}

static int by_id(const void *a, const void *b) {
  const bm_proj *x = *(bm_proj *const *)a, *y = *(bm_proj *const *)b;
  return x->id < y->id ? -1 : x->id > y->id;
}

static void proj_free(bm_proj *p) {
  json_decref(p->o);
  json_decref(p->nodes);
  json_decref(p->reasons);
  json_decref(p->lag);
}

static json_t *group_entry(const bm_group *g, int with_projects) {
  json_t *o = json_pack("{s:O, s:O, s:i, s:{s:i, s:i, s:i}}", "key", g->key, "label", g->label, "count", g->count,
                        "lights", "red", g->lights[LIGHT_RED], "yellow", g->lights[LIGHT_YELLOW], "green",
                        g->lights[LIGHT_GREEN]);
  if (with_projects) json_object_set_new(o, "projects", json_array());
  return o;
}

/* `group_key`: the one group asked for, as a condition on `gcol`. */
static void where_group_key(req *r, strbuf *w, db_val *args, int *n, const char *gcol, int by_chain) {
  const char *k = req_arg(r, "group_key");
  if (!k) return;
  if (strcmp(k, "none") == 0) {
    sb_addf(w, " AND %s IS NULL", gcol);
    return;
  }
  if (by_chain) {
    if (!*k || strlen(k) > 100) {
      field_error(r, "group_key", "分组键无效（产业链名称，或 none）", "invalid group key (a chain name, or none)");
      return;
    }
    sb_addf(w, " AND %s = ?", gcol);
    args[(*n)++] = DBT(k);
    return;
  }
  char *end = NULL;
  long long v = strtoll(k, &end, 10);
  if (end == k || *end || v < 1) {
    field_error(r, "group_key", "分组键无效（单位或领导的编号，或 none）", "invalid group key (a unit or leader id, or none)");
    return;
  }
  sb_addf(w, " AND %s = ?", gcol);
  args[(*n)++] = DBI(v);
}

/* GET /api/v1/battlemap */
static void battlemap(req *r) {
  static const char *const groups[] = {"unit", "leader", "chain", NULL};
  static const char *const lights[] = {"green", "yellow", "red", NULL};
  int64_t year = qint(r, "year", 2000, 2100, 0);
  const char *level = qenum(r, "level", project_levels);
  const char *stage = qenum(r, "stage", project_stages);
  const char *lf = qenum(r, "light", lights);
  const char *group = qenum(r, "group", groups);
  int64_t unit = qint(r, "unit", 1, INT64_MAX, 0), leader = qint(r, "leader", 1, INT64_MAX, 0);
  const char *chain = req_arg(r, "chain");
  /* A whole province is 50,000 projects and ~170 MB of JSON: nobody can
   * read that as a Gantt, so the answer stops at `limit` projects (the
   * counts still cover all) and says it was truncated. */
  int64_t limit = qint(r, "limit", 1, 50000, 3000);
  page pgr;
  req_page(r, &pgr);
  int64_t pgno = pgr.page, per_page = pgr.per_page;
  int64_t groups_only = qint(r, "groups_only", 0, 1, 0);
  enum bm_mode mode = groups_only               ? BM_INDEX
                      : req_arg(r, "group_key") ? BM_KEY
                      : req_arg(r, "page") || req_arg(r, "per_page") ? BM_PAGE
                      : req_arg(r, "limit")     ? BM_FULL
                                                : BM_AUTO;
  int want = lf ? light_parse(lf) : -1;
  const int full_max = bm_full_max(), first_projects = full_max / 3 > 0 ? full_max / 3 : 1;
  int total = 0, cnt[3] = {0, 0, 0};
  if (!group) group = "unit";
  const char *gcol = strcmp(group, "leader") == 0 ? "p.leader_id" : strcmp(group, "chain") == 0 ? "p.chain" : "p.unit_id";
  const char *glabel = strcmp(group, "leader") == 0 ? "l.name" : strcmp(group, "chain") == 0 ? "p.chain" : "u.name";
  light_ctx lc;
  light_ctx_init(r->db, &lc, req_calendar(r), (int)year);
  char yfirst[16], ylast[16];
  snprintf(yfirst, sizeof yfirst, "%04d-01-01", lc.year);
  snprintf(ylast, sizeof ylast, "%04d-12-31", lc.year);

  strbuf w = STRBUF_INIT;
  db_val args[24];
  int n = 0;
  sb_adds(&w, " WHERE 1 = 1");
  project_scope_sql(r, &w, args, &n);
  if (unit) {
    db_stmt *st = db_query(r->db, "SELECT path FROM units WHERE id = ?", DBI(unit));
    const char *path = st && db_step(st) == DB_ROW ? arena_printf(&r->a, "%s%%", db_text(st, 0)) : NULL;
    db_done(st);
    if (!path) field_error(r, "unit", "单位不存在", "no such unit");
    sb_adds(&w, " AND p.unit_id IN (SELECT id FROM units WHERE path LIKE ?)");
    args[n++] = DBT(path ? path : "");
  }
  db_where_text(&w, args, &n, " AND p.level = ?", level);
  db_where_text(&w, args, &n, " AND p.stage = ?", stage);
  db_where_int(&w, args, &n, " AND p.leader_id = ?", leader);
  db_where_text(&w, args, &n, " AND p.chain = ?", chain);
  where_group_key(r, &w, args, &n, gcol, strcmp(group, "chain") == 0);
  /* A project belongs to the year's map when it has a plan for the year, a
   * node planned in it, or work still open. */
  sb_adds(&w, " AND (EXISTS (SELECT 1 FROM project_plans pp WHERE pp.project_id = p.id AND pp.year = ?) "
              "OR EXISTS (SELECT 1 FROM nodes x WHERE x.project_id = p.id AND x.planned_date >= ? AND x.planned_date <= ?))");
  args[n++] = DBI(lc.year);
  args[n++] = DBT(yfirst);
  args[n++] = DBT(ylast);
  if (has_errors(r)) {
    sb_release(&w);
    return reply_invalid(r);
  }
  const char *where = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);

  /* The light's three inputs come from what the writers keep (rollups.h):
   * the earliest open node from the project's roll-up (its nodes only when
   * it has none), the year's approved investment from report_totals and the
   * plan; the light itself is the roll-up's when it is for today and for
   * this view (see below).  Before, each project summed its year's
   * reports and scanned its nodes. */
  int ty, tm, td;
  date_to_ymd(lc.today, &ty, &tm, &td);
  const int light_month = tm > 1 ? tm - 1 : 1; /* the month the stored light counts to (rollups.c) */
  char ytd_all[160], ytd_stored[160], today_s[11];
  report_months_sum(ytd_all, sizeof ytd_all, "t", 12);
  report_months_sum(ytd_stored, sizeof ytd_stored, "t", light_month);
  date_format(lc.today, today_s);
  db_val a1[28];
  a1[0] = DBI(lc.year);
  a1[1] = DBI(lc.year);
  memcpy(a1 + 2, args, sizeof *args * (size_t)n);
  db_stmt *st = db_prepare(
      r->db,
      arena_printf(&r->a,
                   "SELECT p.id, p.code, p.name, p.level, p.stage, u.name, l.name, p.chain, p.unit_id, p.leader_id, "
                   "p.total_investment, CASE WHEN ru.project_id IS NULL THEN (SELECT MIN(n.planned_date) FROM nodes n "
                   "WHERE n.project_id = p.id AND n.actual_date IS NULL) ELSE ru.next_open END, COALESCE(%s, 0), "
                   "COALESCE(pp.amount, 0), %s, %s, ru.day, COALESCE(ru.light, -1), COALESCE(%s, 0) "
                   "FROM projects p JOIN units u ON u.id = p.unit_id LEFT JOIN users l ON l.id = p.leader_id "
                   "LEFT JOIN project_rollups ru ON ru.project_id = p.id "
                   "LEFT JOIN project_plans pp ON pp.project_id = p.id AND pp.year = ? "
                   "LEFT JOIN report_totals t ON t.project_id = p.id AND t.year = ?%s ORDER BY %s, %s, p.code",
                   ytd_all, gcol, glabel, ytd_stored, where, glabel, gcol),
      n + 2, a1);
  if (!st) return reply_db_error(r, db_errcode(r->db));
  /* A stored light is for its day, the year of that day and the investment
   * reported up to the month before (rollups.c): it is this map's light when
   * it is today's, the map is of this year and no month after that one has
   * approved investment yet (the map counts the whole year's). */
  const int stored_view = lc.year == ty;
  int cap = 256, np = 0, gcap = 32, ng = 0;
  bm_proj *ps = grow(NULL, sizeof *ps * (size_t)cap);
  bm_group *gs = grow(NULL, sizeof *gs * (size_t)gcap);
  int64_t first = (pgno - 1) * per_page;
  /* The rows come group after group (ORDER BY label, key): the index is
   * counted in the same pass, and only the listed groups' projects are
   * turned into JSON.  BM_AUTO cannot know yet whether it will page, so it
   * also keeps the projects of later groups while the total is small. */
  while (db_step(st) == DB_ROW) {
    int64_t sl = db_int(st, 17);
    int light = stored_view && sl >= LIGHT_GREEN && sl <= LIGHT_RED && !db_isnull(st, 16) &&
                        strcmp(db_text(st, 16), today_s) == 0 && db_int(st, 18) == db_int(st, 12)
                    ? (int)sl
                    : light_from_columns(db_isnull(st, 11) ? NULL : db_text(st, 11), db_int(st, 12), db_int(st, 13),
                                         lc.year, lc.today, &lc.cfg);
    if (want >= 0 && light != want) continue;
    const char *kt = db_isnull(st, 14) ? NULL : db_text(st, 14);
    if (ng == 0 || (kt == NULL) != (gs[ng - 1].keytext == NULL) || (kt && strcmp(kt, gs[ng - 1].keytext) != 0)) {
      if (ng == gcap) gs = grow(gs, sizeof *gs * (size_t)(gcap *= 2));
      bm_group *g = &gs[ng];
      memset(g, 0, sizeof *g);
      g->keytext = kt ? arena_strdup(&r->a, kt) : NULL;
      g->key = !kt ? json_null() : db_coltype(st, 14) == DBV_INT ? json_integer(db_int(st, 14)) : json_string(kt);
      g->label = json_string(db_isnull(st, 15) ? (strcmp(group, "leader") == 0 ? "未指定联系领导" : "未分类") : db_text(st, 15));
      g->sel = mode == BM_FULL || mode == BM_KEY ? 1
               : mode == BM_PAGE                 ? ng >= first && ng < first + per_page
               : mode == BM_AUTO                 ? total < first_projects
                                                 : 0;
      ng++;
    }
    bm_group *g = &gs[ng - 1];
    g->count++;
    g->lights[light]++;
    cnt[light]++;
    total++;
    if (!(g->sel || (mode == BM_AUTO && total <= full_max)) || np >= limit) continue;
    if (np == cap) ps = grow(ps, sizeof *ps * (size_t)(cap *= 2));
    bm_proj *p = &ps[np++];
    p->id = db_int(st, 0);
    p->light = light;
    p->g = ng - 1;
    p->nodes = json_array();
    p->reasons = json_array();
    char *why = lag_reason(db_int(st, 12), db_int(st, 13), lc.year, &lc);
    p->lag = why ? json_string(why) : NULL;
    free(why);
    p->o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:o, s:o, s:s}", "id", (json_int_t)p->id, "code",
                     db_text(st, 1), "name", db_text(st, 2), "level", db_text(st, 3), "stage", db_text(st, 4), "unit_name",
                     db_text(st, 5), "leader_name", json_str_or_null(db_text(st, 6)), "chain", json_str_or_null(db_text(st, 7)),
                     "unit_id", (json_int_t)db_int(st, 8), "leader_id",
                     db_isnull(st, 9) ? json_null() : json_integer(db_int(st, 9)), "total_investment",
                     json_money(db_int(st, 10)), "light", light_name(p->light));
  }
  db_done(st);

  int paged = mode == BM_PAGE || mode == BM_INDEX || (mode == BM_AUTO && total > full_max);
  int nsel = 0, keep = 0, listed_max = 0;
  for (int i = 0; i < ng; i++) {
    if (mode == BM_AUTO && !paged) gs[i].sel = 1;
    nsel += gs[i].sel;
    if (gs[i].sel) listed_max += gs[i].count;
  }
  /* the projects kept for later groups are let go once the answer pages */
  for (int i = 0; i < np; i++) {
    if (gs[ps[i].g].sel) ps[keep++] = ps[i];
    else proj_free(&ps[i]);
  }
  np = keep;

  /* all nodes of those projects in one scan, attached through a sorted index;
   * a paged answer reads only the nodes of its groups */
  bm_proj **idx = grow(NULL, sizeof *idx * (size_t)(np ? np : 1));
  for (int i = 0; i < np; i++) idx[i] = &ps[i];
  qsort(idx, (size_t)np, sizeof *idx, by_id);
  if (np > 0) {
    const char *nwhere = where;
    db_val *nargs = args;
    int nn = n;
    if (paged) {
      strbuf k = STRBUF_INIT;
      nargs = arena_alloc(&r->a, sizeof *nargs * (size_t)(n + nsel));
      memcpy(nargs, args, sizeof *args * (size_t)n);
      int null_sel = 0, listed = 0;
      for (int i = 0; i < ng; i++) {
        if (!gs[i].sel) continue;
        if (!gs[i].keytext) {
          null_sel = 1;
          continue;
        }
        sb_adds(&k, listed++ ? ", ?" : "?");
        nargs[nn++] = json_is_integer(gs[i].key) ? DBI(json_integer_value(gs[i].key)) : DBT(gs[i].keytext);
      }
      nwhere = arena_printf(&r->a, "%s AND (%s IN (%s)%s%s)", where, gcol, listed ? sb_str(&k) : "NULL",
                            null_sel ? " OR " : "", null_sel ? arena_printf(&r->a, "%s IS NULL", gcol) : "");
      sb_release(&k);
    }
    st = db_prepare(r->db, arena_printf(&r->a, NODE_SELECT "WHERE n.project_id IN (SELECT p.id FROM projects p%s) ORDER BY n.project_id, n.seq, n.id", nwhere),
                    nn, nargs);
    if (!st) {
      for (int i = 0; i < np; i++) proj_free(&ps[i]);
      for (int i = 0; i < ng; i++) {
        json_decref(gs[i].key);
        json_decref(gs[i].label);
      }
      free(ps);
      free(gs);
      free(idx);
      return reply_db_error(r, db_errcode(r->db));
    }
    bm_proj *cur = NULL;
    int64_t cur_id = -1;
    while (db_step(st) == DB_ROW) {
      int64_t pid = db_int(st, 1);
      if (pid != cur_id) {
        bm_proj key = {.id = pid}, *kp = &key;
        bm_proj **hit = bsearch(&kp, idx, (size_t)np, sizeof *idx, by_id);
        cur = hit ? *hit : NULL; /* NULL: a project beyond the limit or the light filter */
        cur_id = pid;
      }
      if (!cur) continue;
      int light;
      json_t *node = node_row_json(st, &lc, &light);
      if (light != LIGHT_GREEN) {
        int32_t planned;
        date_parse(json_string_value(json_object_get(node, "planned_date")), &planned);
        char *why = node_reason(json_string_value(json_object_get(node, "name")), planned, light, lc.today);
        if (why) json_array_append_new(cur->reasons, json_string(why));
        free(why);
      }
      json_array_append_new(cur->nodes, node);
    }
    db_done(st);
    /* land-acquisition nodes show the ledger's progress */
    for (int i = 0; i < np; i++) {
      size_t k;
      json_t *node;
      json_array_foreach(ps[i].nodes, k, node) node_attach_land(r->db, node);
    }
  }
  free(idx);

  json_t *out_groups = json_array();
  for (int i = 0; i < np; i++) {
    bm_proj *p = &ps[i];
    bm_group *g = &gs[p->g];
    if (p->lag) json_array_append_new(p->reasons, p->lag);
    json_object_set_new(p->o, "light_reasons", p->reasons);
    json_object_set_new(p->o, "nodes", p->nodes);
    if (!g->o) {
      g->o = group_entry(g, 1);
      json_array_append_new(out_groups, g->o);
    }
    json_array_append_new(json_object_get(g->o, "projects"), p->o);
  }
  free(ps);
  json_t *index = json_array();
  for (int i = 0; i < ng; i++) {
    if (mode == BM_INDEX) json_array_append_new(out_groups, group_entry(&gs[i], 0));
    else if (paged) json_array_append_new(index, group_entry(&gs[i], 0));
    json_decref(gs[i].key);
    json_decref(gs[i].label);
  }
  free(gs);
  char today[11];
  date_format(lc.today, today);
  json_t *out = json_pack("{s:s, s:i, s:s, s:o, s:i, s:b, s:{s:i, s:i, s:i}, s:b}", "today", today, "year", lc.year,
                          "group", group, "groups", out_groups, "total", total, "truncated", listed_max > np, "lights",
                          "red", cnt[LIGHT_RED], "yellow", cnt[LIGHT_YELLOW], "green", cnt[LIGHT_GREEN], "paged", paged);
  if (paged && mode != BM_INDEX) {
    /* BM_AUTO answers the first page of as many groups as it listed */
    int64_t pp = mode == BM_AUTO ? (nsel ? nsel : 1) : per_page, pg = mode == BM_AUTO ? 1 : pgno;
    int64_t pages = (ng + pp - 1) / pp;
    json_object_set_new(out, "index", index);
    json_object_set_new(out, "page", json_integer(pg));
    json_object_set_new(out, "per_page", json_integer(pp));
    json_object_set_new(out, "pages", json_integer(pages));
    int64_t nextpg = pg + 1;
    json_object_set_new(out, "next", pg < pages ? json_pack("{s:I, s:I}", "page", (json_int_t)nextpg, "per_page", (json_int_t)pp) : json_null());
  } else {
    json_decref(index);
  }
  reply_json(r, 200, out);
}

static const route battlemap_routes[] = {
    ROUTE("GET", "/api/v1/battlemap", battlemap, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT | ROLE_ENTERPRISE,
          "作战图 / Battle map: projects with nodes and lights, grouped", 0,
          DOM_PROJECTS | DOM_NODES | DOM_REPORTS | DOM_LAND /* land-acquisition nodes show the ledger */),
    {0},
};

static const module battlemap_module = {"battlemap", 32, battlemap_routes, NULL, NULL, NULL};
MODULE_REGISTER(battlemap_module)
