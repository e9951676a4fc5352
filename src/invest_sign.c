/*
 * invest_sign.c — signing a lead (签约): the contract terms (signed date,
 * promised start, promised investment, promised annual tax, land) and, in
 * the same transaction, the project it makes in the library with the
 * contract's figures and its node plan laid out from the category's node
 * template.  The lead and the project link both ways (leads.project_id;
 * GET /api/v1/projects/{id}/lead).
 *
 * POST /api/v1/leads/{id}/sign {signed_on, promised_start, promised_investment, category, level, unit_id,
 *                               promised_tax?, land_area?, owner_unit_id?, project_name?, version?}
 *      → the lead with project_id (201)
 *
 * Only a lead past its decision (决策) is signed, by its team or the
 * office; the project starts in 前期 (preparation) and takes the lead's
 * chain, the 三类500强 flag from the investor's class and the contract's
 * investment and land.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "clock.h"
#include "http.h"
#include "invest.h"
#include "nodes.h"
#include "projects.h"

static const char *const sign_fields[] = {"signed_on", "promised_start", "promised_investment", "category", "level",
                                          "unit_id", "promised_tax", "land_area", "owner_unit_id", "project_name",
                                          "version", NULL};

static const char *unit_kind(req *r, int64_t id) {
  db_stmt *st = db_query(r->db, "SELECT kind FROM units WHERE id = ?", DBI(id));
  const char *k = st && db_step(st) == DB_ROW ? arena_strdup(&r->a, db_text(st, 0)) : NULL;
  db_done(st);
  return k;
}

/* Lays the category's node template (the first one, by id) out after the
 * signing day; DB_OK also when the category has none. */
static int apply_template(req *r, int64_t pid, const char *category, int32_t from, int32_t promised, int64_t unit_id,
                          int64_t owner, const char *at, int64_t *tpl_id) {
  db_stmt *st = db_query(r->db, "SELECT id, steps_json FROM node_templates WHERE category = ? ORDER BY id LIMIT 1", DBT(category));
  json_t *steps = NULL;
  *tpl_id = 0;
  if (st && db_step(st) == DB_ROW) {
    *tpl_id = db_int(st, 0);
    steps = json_loads(db_text(st, 1), 0, NULL);
  }
  db_done(st);
  if (!steps) return DB_OK;
  /* the plan's 开工 node on the promised start when the steps leave room
   * for it after the signing day, else as early as the steps allow */
  const calendar *cal = req_calendar(r);
  int before_start = 0, has_start = 0;
  size_t i;
  json_t *s;
  json_array_foreach(steps, i, s) {
    before_start += (int)json_integer_value(json_object_get(s, "duration_days"));
    const char *kind = json_string_value(json_object_get(s, "kind"));
    if (kind && !strcmp(kind, "start")) {
      has_start = 1;
      break;
    }
  }
  int32_t begin = from;
  if (has_start && promised > from) {
    int32_t back = calendar_add_working_days(cal, promised, -before_start);
    if (back > from) begin = back;
  }
  int rc = nodes_apply_template(r->db, pid, steps, begin, cal, at, unit_id, 0, owner) == 0 ? DB_OK : db_errcode(r->db);
  json_decref(steps);
  return rc;
}

/* POST /api/v1/leads/{id}/sign */
static void lead_sign(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, sign_fields);
  if (!in) return;
  const char *signed_on = NULL, *promised = NULL, *category = NULL, *level = NULL, *pname = NULL;
  int64_t inv = 0, tax = 0, land = 0, unit_id = 0, owner = 0;
  int32_t today = clock_today(), ds = 0, dp = 0;
  if (jdate(r, in, "signed_on", 1, &signed_on) == JV_SET) {
    date_parse(signed_on, &ds);
    if (ds > today) field_error(r, "signed_on", "签约日期不能晚于今天", "the signing day may not be in the future");
  }
  if (jdate(r, in, "promised_start", 1, &promised) == JV_SET) {
    date_parse(promised, &dp);
    if (signed_on && ds && dp < ds)
      field_error(r, "promised_start", "承诺开工日期不能早于签约日期", "the promised start may not be before the signing day");
  }
  if (jmoney(r, in, "promised_investment", 1, &inv) == JV_SET && inv <= 0)
    field_error(r, "promised_investment", "合同投资额须大于零", "the promised investment must be above zero");
  jmoney(r, in, "promised_tax", 0, &tax);
  jarea(r, in, "land_area", 0, &land);
  if (jstr(r, in, "category", 1, 50, &category) == JV_SET &&
      db_int1(r->db, 0, "SELECT 1 FROM project_categories WHERE name = ?", DBT(category)) != 1)
    field_error(r, "category", "项目类别不存在", "no such project category");
  jenum(r, in, "level", 1, project_levels, &level);
  if (jint(r, in, "unit_id", 1, 1, INT64_MAX, &unit_id) == JV_SET) {
    const char *k = unit_kind(r, unit_id);
    if (!k) field_error(r, "unit_id", "责任单位不存在", "no such unit");
    else if (strcmp(k, "enterprise") == 0 || strcmp(k, "bank") == 0)
      field_error(r, "unit_id", "责任单位须是部门、指挥部或镇街，不能是企业或银行", "the responsible unit may not be an enterprise or a bank");
  }
  if (jint(r, in, "owner_unit_id", 0, 1, INT64_MAX, &owner) == JV_SET) {
    const char *k = unit_kind(r, owner);
    if (!k || strcmp(k, "enterprise") != 0) field_error(r, "owner_unit_id", "业主须是企业单位", "the owner must be an enterprise");
  }
  if (jstr(r, in, "project_name", 0, 200, &pname) == JV_SET && !*pname) pname = NULL;
  int64_t version = req_version(r, in);
  int64_t team = invest_lead_open(r, id);
  if (!team) return;
  if (has_errors(r)) return reply_invalid(r);
  if (!invest_may_write(r, team)) return reply_forbidden(r, "只能签约本单位的招商线索", "you may sign only your own team's leads");
  json_t *before = invest_lead_json(r->db, id, 1, 0);
  if (!before) return reply_db_error(r, db_errcode(r->db));
  const char *from = json_string_value(json_object_get(before, "recorded_stage"));
  int a = code_index(invest_stages, from);
  int why = invest_next(a, IS_SIGNED, 0, IV_SIGN);
  if (why != IR_OK) {
    json_decref(before);
    return reply_problem(r, 409, "不能签约 / Cannot sign",
                         arena_printf(&r->a, "线索当前为「%s」：%s / the lead is %s: %s", invest_stages_zh[a], invest_why_zh(why),
                                      invest_stages[a], invest_why_en(why)));
  }
  /* the project as the library will hold it */
  proj_in p;
  memset(&p, 0, sizeof p);
  const char *investor = json_string_value(json_object_get(before, "investor"));
  const char *proposed = json_string_value(json_object_get(before, "project_name"));
  p.name = pname ? pname : proposed && *proposed ? proposed : arena_printf(&r->a, "%s投资项目", investor);
  p.code = arena_printf(&r->a, "ZS-%.4s-%04lld", signed_on, (long long)id);
  if (db_int1(r->db, 0, "SELECT 1 FROM projects WHERE code = ?", DBT(p.code)) == 1)
    p.code = arena_printf(&r->a, "ZS-%.4s-%04lld-%lld", signed_on, (long long)id, (long long)clock_now() % 100000);
  p.level = level;
  p.category = category;
  p.chain = json_string_value(json_object_get(before, "chain"));
  p.stage = "preparation";
  p.unit_id = unit_id;
  p.owner_unit_id = owner;
  p.total = inv;
  p.land = land;
  p.top500 = json_is_true(json_object_get(before, "top500"));
  const char *now = now_rfc3339(&r->a);
  light_ctx lc;
  light_ctx_init(r->db, &lc, req_calendar(r), 0);
  int rc = db_begin(r->db);
  if (rc != DB_OK) {
    json_decref(before);
    return reply_db_error(r, rc);
  }
  int64_t pid = proj_store(r->db, &p, 0, now);
  if (!pid) rc = db_errcode(r->db);
  int64_t tpl = 0;
  if (rc == DB_OK) rc = apply_template(r, pid, category, ds, dp, unit_id, owner, now, &tpl);
  json_t *proj = rc == DB_OK ? project_json(r->db, pid, &lc) : NULL;
  if (rc == DB_OK && proj) json_object_set_new(proj, "from_lead_id", json_integer(id));
  if (rc == DB_OK) rc = proj ? audit_log(r, "create", "project", pid, NULL, proj) : db_errcode(r->db);
  json_decref(proj);
  if (rc == DB_OK) {
    rc = db_exec(r->db,
                 "UPDATE leads SET stage = 'signed', signed_on = ?, promised_start = ?, promised_investment = ?, promised_tax = ?, "
                 "land_area = ?, project_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND stage = ? AND version = ?",
                 DBT(signed_on), DBT(promised), DBI(inv), DBI(tax), DBI(land), DBI(pid), DBT(now), DBI(id), DBT(from),
                 DBI(version ? version : json_integer_value(json_object_get(before, "version"))));
    if (rc == DB_OK && db_changes(r->db) == 0) {
      db_rollback(r->db);
      json_decref(before);
      return reply_problem(r, 409, "版本冲突 / Version conflict", "线索已被他人修改，请刷新 / The lead was changed; reload");
    }
  }
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "INSERT INTO lead_events (lead_id, from_stage, to_stage, reason, user_id, at) VALUES (?, ?, 'signed', ?, ?, ?)",
                 DBI(id), DBT(from), DBT(arena_printf(&r->a, "签约，生成项目 %s", p.code)), DBI(r->user.id), DBT(now));
  json_t *after = rc == DB_OK ? invest_lead_json(r->db, id, 0, 1) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "sign", "lead", id, before, after) : db_errcode(r->db);
  if (after) {
    json_object_set_new(after, "project", json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)pid, "code", p.code, "name",
                                                    p.name, "node_template_id", (json_int_t)tpl));
    invest_etag(r, after);
  }
  commit_reply(r, rc, before, after, 201);
}

static const route sign_routes[] = {
    ROUTE("POST", "/api/v1/leads/{id}/sign", lead_sign, INVEST_READERS, "签约并生成项目 / Sign a lead, making its project", 0),
    {0},
};

static const module invest_sign_module = {"invest_sign", 81, sign_routes, NULL, NULL, NULL};
MODULE_REGISTER(invest_sign_module)
