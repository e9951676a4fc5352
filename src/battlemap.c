/*
 * battlemap.c — the battle map (作战图 / 挂图作战): every project in the
 * user's scope with its nodes and lights, grouped by responsible unit, lead
 * leader or industry chain, ready for the cross-project Gantt.
 *
 * GET /api/v1/battlemap?year&unit&level&light&chain&leader&stage&group=unit|leader|chain&limit
 *   → {today, year, group, groups:[{key,label,projects:[{…, light, light_reasons, nodes:[…]}]}], total, truncated,
 *      lights:{red,yellow,green}}
 * total and lights count every matching project; at most `limit` (default
 * 3000) are listed, truncated says when some were left out.
 *
 * It must stay fast on a province database, so it runs exactly two
 * queries whatever the size: the projects (with the light columns of
 * lights.h) and all their nodes in one ordered scan; everything else is
 * done in memory.
 */
#include <stdlib.h>
#include <string.h>

#include "nodes.h"
#include "projects.h"

typedef struct bm_proj {
  int64_t id;
  json_t *o;
  json_t *nodes;
  json_t *reasons;
  json_t *lag; /* the investment-lag reason, listed after the nodes' */
  int light;
} bm_proj;

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
  int want = lf ? light_parse(lf) : -1;
  int total = 0, cnt[3] = {0, 0, 0};
  if (!group) group = "unit";
  light_ctx lc;
  light_ctx_init(r->db, &lc, req_calendar(r), (int)year);
  char from[16], to[16], yfirst[16], ylast[16];
  snprintf(from, sizeof from, "%04d-01", lc.year);
  snprintf(to, sizeof to, "%04d-12", lc.year);
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
  const char *gcol = strcmp(group, "leader") == 0 ? "p.leader_id" : strcmp(group, "chain") == 0 ? "p.chain" : "p.unit_id";
  const char *glabel = strcmp(group, "leader") == 0 ? "l.name" : strcmp(group, "chain") == 0 ? "p.chain" : "u.name";

  db_val a1[28];
  a1[0] = DBT(from);
  a1[1] = DBT(to);
  a1[2] = DBI(lc.year);
  memcpy(a1 + 3, args, sizeof *args * (size_t)n);
  db_stmt *st = db_prepare(
      r->db,
      arena_printf(&r->a,
                   "SELECT p.id, p.code, p.name, p.level, p.stage, u.name, l.name, p.chain, p.unit_id, p.leader_id, "
                   "p.total_investment, " LIGHTS_COLUMNS ", %s, %s FROM projects p JOIN units u ON u.id = p.unit_id "
                   "LEFT JOIN users l ON l.id = p.leader_id%s ORDER BY %s, %s, p.code",
                   gcol, glabel, where, glabel, gcol),
      n + 3, a1);
  if (!st) return reply_db_error(r, db_errcode(r->db));
  int cap = 256, np = 0;
  bm_proj *ps = grow(NULL, sizeof *ps * (size_t)cap);
  json_t *gkeys = json_array(), *glabels = json_array();
  while (db_step(st) == DB_ROW) {
    int light = light_from_columns(db_text(st, 11), db_int(st, 12), db_int(st, 13), lc.year, lc.today, &lc.cfg);
    if (want >= 0 && light != want) continue;
    cnt[light]++;
    total++;
    if (np >= limit) continue;
    if (np == cap) ps = grow(ps, sizeof *ps * (size_t)(cap *= 2));
    bm_proj *p = &ps[np++];
    p->id = db_int(st, 0);
    p->light = light;
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
    json_array_append_new(gkeys, db_isnull(st, 14) ? json_null()
                                 : db_coltype(st, 14) == DBV_INT ? json_integer(db_int(st, 14))
                                                                 : json_string(db_text(st, 14)));
    json_array_append_new(glabels, json_string(db_isnull(st, 15) ? (strcmp(group, "leader") == 0 ? "未指定联系领导" : "未分类")
                                                                  : db_text(st, 15)));
  }
  db_done(st);

  /* all nodes of those projects in one scan, attached through a sorted index */
  bm_proj **idx = grow(NULL, sizeof *idx * (size_t)(np ? np : 1));
  for (int i = 0; i < np; i++) idx[i] = &ps[i];
  qsort(idx, (size_t)np, sizeof *idx, by_id);
  if (np > 0) {
    st = db_prepare(r->db, arena_printf(&r->a, NODE_SELECT "WHERE n.project_id IN (SELECT p.id FROM projects p%s) ORDER BY n.project_id, n.seq, n.id", where),
                    n, args);
    if (!st) {
      for (int i = 0; i < np; i++) {
        json_decref(ps[i].o);
        json_decref(ps[i].nodes);
        json_decref(ps[i].reasons);
        json_decref(ps[i].lag);
      }
      free(ps);
      free(idx);
      json_decref(gkeys);
      json_decref(glabels);
      return reply_db_error(r, db_errcode(r->db));
    }
    bm_proj *cur = NULL;
    int64_t cur_id = -1;
    while (db_step(st) == DB_ROW) {
      int64_t pid = db_int(st, 1);
      if (pid != cur_id) {
        bm_proj key = {.id = pid}, *kp = &key;
        bm_proj **hit = bsearch(&kp, idx, (size_t)np, sizeof *idx, by_id);
        cur = hit ? *hit : NULL; /* NULL: a project beyond the limit */
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
  json_t *g = NULL, *gkey_prev = NULL;
  for (int i = 0; i < np; i++) {
    bm_proj *p = &ps[i];
    if (p->lag) json_array_append_new(p->reasons, p->lag);
    json_object_set_new(p->o, "light_reasons", p->reasons);
    json_object_set_new(p->o, "nodes", p->nodes);
    json_t *k = json_array_get(gkeys, (size_t)i);
    if (!g || !json_equal(k, gkey_prev)) {
      g = json_pack("{s:O, s:O, s:[]}", "key", k, "label", json_array_get(glabels, (size_t)i), "projects");
      json_array_append_new(out_groups, g);
      gkey_prev = k;
    }
    json_array_append_new(json_object_get(g, "projects"), p->o);
  }
  free(ps);
  json_decref(gkeys);
  json_decref(glabels);
  char today[11];
  date_format(lc.today, today);
  reply_json(r, 200,
             json_pack("{s:s, s:i, s:s, s:o, s:i, s:b, s:{s:i, s:i, s:i}}", "today", today, "year", lc.year, "group",
                       group, "groups", out_groups, "total", total, "truncated", total > np, "lights", "red", cnt[LIGHT_RED],
                       "yellow", cnt[LIGHT_YELLOW], "green", cnt[LIGHT_GREEN]));
}

static const route battlemap_routes[] = {
    ROUTE("GET", "/api/v1/battlemap", battlemap, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT | ROLE_ENTERPRISE,
          "作战图 / Battle map: projects with nodes and lights, grouped", 0, CACHE_NOT_PROBLEMS),
    {0},
};

static const module battlemap_module = {"battlemap", 32, battlemap_routes, NULL, NULL, NULL};
MODULE_REGISTER(battlemap_module)
