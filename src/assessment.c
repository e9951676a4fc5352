/*
 * assessment.c — the quarterly assessment (季度考核): per ranked unit a
 * composite of investment completion, starts and completions, nodes on
 * time, problems closed on time and timely reports, weighted by the
 * settings of accountability_api.c and ranked per peer group with the
 * 骏马奖 (best) and 蜗牛奖 (worst) marks.
 *
 * GET  /api/v1/assessments?quarter=YYYY-Qn&group=town|department|hq[&format=xlsx|csv|pdf]
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "clock.h"
#include "rankings.h"
#include "rate.h"

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

static const route assessment_routes[] = {
    ROUTE("GET", "/api/v1/assessments", assessments_get, RANKING_READERS, "季度考核 / Quarterly assessment (quarter, group)", 0, CACHE_ANY),
    {0},
};

static const module assessment_module = {"assessment", 61, assessment_routes, NULL, NULL};
MODULE_REGISTER(assessment_module)
