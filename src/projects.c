/*
 * projects.c — the project library (项目库): projects with their plans per
 * year, tags and the values of their custom fields; creating, changing and
 * deleting them; data scope; history from the audit log; the lights and
 * their reasons.  A project's JSON and the lists are in project_list.c, the
 * custom field definitions in project_fields.c, the category table and the
 * light thresholds in project_settings.c.
 *
 * POST   /api/v1/projects                 office/admin; a unit user for its own units, stage reserve only
 * GET    /api/v1/projects/{id}            ETag "<version>"
 * PATCH  /api/v1/projects/{id}            If-Match or version; stale → 409
 * DELETE /api/v1/projects/{id}            office/admin
 * GET    /api/v1/projects/{id}/history    audit entries of the project and its nodes
 *
 * Scope decisions: admin/office read and write everything; leaders read
 * everything; a unit user reads and writes the projects whose responsible
 * unit or HQ is its unit or a sub-unit, and may create projects for those
 * units only as reserve (储备) projects — the project office promotes them;
 * an enterprise reads the projects it owns and may change only their
 * progress fields (stage, location, coordinates) and node progress; the
 * public reads only published projects.
 */
#include "clock.h"
#include "land.h"
#include "projects.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "calendar.h"
#include "money.h"
#include "rollups.h"

const char *const project_levels[] = {"province", "city", "district", NULL};
const char *const project_levels_zh[] = {"省重点", "市重点", "区重点", NULL};
const char *const project_stages[] = {"reserve", "preparation", "construction", "completed", "production", NULL};
const char *const project_stages_zh[] = {"储备", "前期", "在建", "竣工", "投产", NULL};
const char *const node_kinds[] = {"land_acquisition", "land_approval", "land_listing", "planning_permit",
                                  "construction_permit", "start", "topping_out", "completion", "production",
                                  "other", NULL};

int code_index(const char *const *list, const char *s) {
  if (!s) return -1;
  for (int i = 0; list[i]; i++)
    if (strcmp(list[i], s) == 0) return i;
  return -1;
}

void light_ctx_init(db *d, light_ctx *lc, const calendar *cal, int year) {
  lc->today = clock_today();
  int y, m, dd;
  date_to_ymd(lc->today, &y, &m, &dd);
  lc->year = year ? year : y;
  lights_config_load(d, &lc->cfg);
  lc->cal = cal;
}

/* ---- lights and reasons ---- */

/* A malloc'd printf: reasons outlive any request arena (the CLI has none). */
static char *hprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *hprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = NULL;
  if (vasprintf(&s, fmt, ap) < 0) s = NULL;
  va_end(ap);
  return s;
}

char *node_reason(const char *name, int32_t planned, int light, int32_t today) {
  char day[11];
  date_format(planned, day);
  if (light == LIGHT_RED)
    return hprintf("节点「%s」计划%s，已逾期%d天", name, day, (int)(today - planned));
  if (light == LIGHT_YELLOW) {
    if (planned == today) return hprintf("节点「%s」计划%s，今天到期", name, day);
    return hprintf("节点「%s」计划%s，还剩%d天到期", name, day, (int)(planned - today));
  }
  return NULL;
}

static void bp_format(int64_t bp, char buf[32]) {
  int64_t a = bp < 0 ? -bp : bp;
  snprintf(buf, 32, "%s%lld.%02lld", bp < 0 ? "-" : "", (long long)(a / 100), (long long)(a % 100));
}

char *lag_reason(int64_t ytd, int64_t plan, int year, const light_ctx *lc) {
  int months = months_closed(year, lc->today);
  int light = project_light(LIGHT_GREEN, ytd, plan, months, &lc->cfg);
  if (light == LIGHT_GREEN) return NULL;
  char rate[32], time_share[32], lag[32], planbuf[32], ytdbuf[32];
  bp_format((int64_t)((__int128)ytd * 10000 / plan), rate);
  bp_format((int64_t)months * 10000 / 12, time_share);
  bp_format(investment_lag_bp(ytd, plan, months), lag);
  money_format_wan(plan, planbuf);
  money_format_wan(ytd, ytdbuf);
  return hprintf("%d年计划投资%s万元，已完成%s万元（%s%%），落后时序进度（%s%%）%s个百分点", year, planbuf,
                           ytdbuf, rate, time_share, lag);
}

/* ---- scope ---- */

int project_scope_of(req *r, int64_t unit, int64_t hq, int64_t owner, int published) {
  if (scope_writes_all(r)) return PSCOPE_WRITE;
  if (scope_reads_all(r)) return PSCOPE_READ;
  if (has_role(r, ROLE_UNIT) && (scope_can_write_unit(r, unit) || (hq && scope_can_write_unit(r, hq)))) return PSCOPE_WRITE;
  if (has_role(r, ROLE_ENTERPRISE) && owner && owner == r->user.unit_id) return PSCOPE_PROGRESS;
  if (published && (has_role(r, ROLE_PUBLIC) || !r->user.id)) return PSCOPE_READ;
  return PSCOPE_NONE;
}

int project_scope(req *r, int64_t id) {
  db_stmt *st = db_query(r->db, "SELECT unit_id, hq_id, owner_unit_id, published FROM projects WHERE id = ?", DBI(id));
  if (!st || db_step(st) != DB_ROW) {
    db_done(st);
    return -1;
  }
  int64_t unit = db_int(st, 0), hq = db_isnull(st, 1) ? 0 : db_int(st, 1), owner = db_isnull(st, 2) ? 0 : db_int(st, 2);
  int published = (int)db_int(st, 3);
  db_done(st);
  return project_scope_of(r, unit, hq, owner, published);
}

int project_open_reply(req *r, int sc, int need) {
  if (sc < 0) {
    reply_not_found(r, "项目", "Project");
    return -1;
  }
  if (sc < need) {
    if (need <= PSCOPE_READ) reply_forbidden(r, "无权查看该项目", "you may not read this project");
    else reply_forbidden(r, "只能修改本单位的项目", "you may change only your units' projects");
    return -1;
  }
  return sc;
}

int project_open(req *r, int64_t id, int need) { return project_open_reply(r, project_scope(r, id), need); }

void project_scope_sql(req *r, strbuf *sql, db_val *args, int *n) {
  if (scope_reads_all(r)) return;
  if (has_role(r, ROLE_UNIT)) {
    sb_adds(sql, " AND (p.unit_id IN (SELECT id FROM units WHERE path LIKE ?) OR p.hq_id IN (SELECT id FROM units WHERE path LIKE ?))");
    args[(*n)++] = DBT(scope_path_pattern(r));
    args[(*n)++] = DBT(scope_path_pattern(r));
  } else if (has_role(r, ROLE_ENTERPRISE)) {
    sb_adds(sql, " AND p.owner_unit_id = ?");
    args[(*n)++] = DBI(r->user.unit_id);
  } else if (has_role(r, ROLE_PUBLIC) || !r->user.id) {
    sb_adds(sql, " AND p.published = 1");
  } else {
    sb_adds(sql, " AND 1 = 0");
  }
}

void project_scope_ids_sql(req *r, strbuf *sql, db_val *args, int *n) {
  if (!scope_reads_all(r) && has_role(r, ROLE_UNIT)) {
    sb_adds(sql, "SELECT p.id FROM projects p WHERE p.unit_id IN (SELECT id FROM units WHERE path LIKE ?) "
                 "UNION SELECT p.id FROM projects p WHERE p.hq_id IN (SELECT id FROM units WHERE path LIKE ?)");
    args[(*n)++] = DBT(scope_path_pattern(r));
    args[(*n)++] = DBT(scope_path_pattern(r));
    return;
  }
  sb_adds(sql, "SELECT p.id FROM projects p WHERE 1 = 1");
  project_scope_sql(r, sql, args, n);
}

/* Validates the `custom` object against the definitions into a
 * normalised object; on create (or when required fields are missing from
 * the merged object) a required field must be present. */
static json_t *custom_check(req *r, json_t *in, json_t *current, int creating) {
  cfields cf;
  cfields_load(r->db, &r->a, &cf);
  json_t *out = current ? json_deep_copy(current) : json_object();
  const char *key;
  json_t *v;
  void *tmp;
  /* values of fields the administrator has since deleted are dropped */
  json_object_foreach_safe(out, tmp, key, v) {
    int known = 0;
    for (int i = 0; i < cf.n; i++) known |= strcmp(cf.f[i].key, key) == 0;
    if (!known) json_object_del(out, key);
  }
  if (!json_is_object(in)) {
    field_error(r, "custom", "应为对象", "must be an object");
    json_decref(cf.all);
    return out;
  }
  json_object_foreach(in, key, v) {
    const cfield *f = NULL;
    for (int i = 0; i < cf.n; i++)
      if (strcmp(cf.f[i].key, key) == 0) f = &cf.f[i];
    const char *field = arena_printf(&r->a, "custom.%s", key);
    if (!f) {
      field_error(r, field, "未定义的自定义字段", "no such custom field");
      continue;
    }
    if (json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
      json_object_del(out, key);
      continue;
    }
    json_t *norm;
    const char *zh, *en;
    if (cfield_value(f, v, &norm, &zh, &en, &r->a) != 0) field_error(r, field, zh, en);
    else json_object_set_new(out, key, norm);
  }
  (void)creating;
  for (int i = 0; i < cf.n; i++)
    if (cf.f[i].required && !json_object_get(out, cf.f[i].key))
      field_error(r, arena_printf(&r->a, "custom.%s", cf.f[i].key), arena_printf(&r->a, "「%s」必填", cf.f[i].label),
                  "required");
  json_decref(cf.all);
  return out;
}

/* ---- storing ---- */

int proj_load(db *d, arena *a, int64_t id, proj_in *p) {
  memset(p, 0, sizeof *p);
  db_stmt *st = db_query(d,
                         "SELECT code, name, level, category, chain, stage, location, unit_id, leader_id, hq_id, "
                         "owner_unit_id, total_investment, land_area, lng, lat, flag_top500, published "
                         "FROM projects WHERE id = ?",
                         DBI(id));
  if (!st || db_step(st) != DB_ROW) {
    db_done(st);
    return -1;
  }
  const char **s[] = {&p->code, &p->name, &p->level, &p->category, &p->chain, &p->stage, &p->location};
  for (int i = 0; i < 7; i++) *s[i] = db_isnull(st, i) ? NULL : arena_strdup(a, db_text(st, i));
  int64_t *n[] = {&p->unit_id, &p->leader_id, &p->hq_id, &p->owner_unit_id, &p->total, &p->land};
  for (int i = 0; i < 6; i++) *n[i] = db_isnull(st, 7 + i) ? 0 : db_int(st, 7 + i);
  p->has_lng = !db_isnull(st, 13);
  p->lng = p->has_lng ? db_real(st, 13) : 0;
  p->has_lat = !db_isnull(st, 14);
  p->lat = p->has_lat ? db_real(st, 14) : 0;
  p->top500 = (int)db_int(st, 15);
  p->published = (int)db_int(st, 16);
  db_done(st);
  return 0;
}

#define ID_OR_NULL(x) ((x) ? DBI(x) : DBNULL)

int64_t proj_store(db *d, const proj_in *p, int64_t id, const char *at) {
  char *custom = p->custom ? json_dumps(p->custom, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  int rc;
  if (!id) {
    db_stmt *st = db_query(d,
                           "INSERT INTO projects (code, name, level, category, chain, stage, total_investment, land_area, "
                           "location, lng, lat, owner_unit_id, leader_id, unit_id, hq_id, flag_top500, published, "
                           "custom_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                           "RETURNING id",
                           DBT(p->code), DBT(p->name), DBT(p->level), DBT(p->category), DBT(p->chain), DBT(p->stage),
                           DBI(p->total), DBI(p->land), DBT(p->location), p->has_lng ? DBR(p->lng) : DBNULL,
                           p->has_lat ? DBR(p->lat) : DBNULL, ID_OR_NULL(p->owner_unit_id), ID_OR_NULL(p->leader_id),
                           DBI(p->unit_id), ID_OR_NULL(p->hq_id), DBI(p->top500), DBI(p->published), DBT(custom ? custom : "{}"),
                           DBT(at), DBT(at));
    if (st && db_step(st) == DB_ROW) id = db_int(st, 0);
    db_done(st);
    rc = id ? DB_OK : DB_ERROR;
  } else {
    rc = db_exec(d,
                 "UPDATE projects SET code = ?, name = ?, level = ?, category = ?, chain = ?, stage = ?, total_investment = ?, "
                 "land_area = ?, location = ?, lng = ?, lat = ?, owner_unit_id = ?, leader_id = ?, unit_id = ?, hq_id = ?, "
                 "flag_top500 = ?, published = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                 DBT(p->code), DBT(p->name), DBT(p->level), DBT(p->category), DBT(p->chain), DBT(p->stage), DBI(p->total),
                 DBI(p->land), DBT(p->location), p->has_lng ? DBR(p->lng) : DBNULL, p->has_lat ? DBR(p->lat) : DBNULL,
                 ID_OR_NULL(p->owner_unit_id), ID_OR_NULL(p->leader_id), DBI(p->unit_id), ID_OR_NULL(p->hq_id),
                 DBI(p->top500), DBI(p->published), DBT(at), DBI(id));
    if (rc == DB_OK && custom) rc = db_exec(d, "UPDATE projects SET custom_json = ? WHERE id = ?", DBT(custom), DBI(id));
  }
  if (rc == DB_OK && p->has_land_plan) /* the land acquisition plan (land.h) */
    rc = db_exec(d, "UPDATE projects SET land_plan_mu = ? WHERE id = ?", DBI(p->land_plan), DBI(id));
  if (rc == DB_OK && p->has_land_plan) /* a plan now reached completes the land-acquisition nodes */
    rc = land_sync_nodes(d, id, at);
  if (rc == DB_OK && p->plan) {
    rc = db_exec(d, "DELETE FROM project_plans WHERE project_id = ?", DBI(id));
    const char *y;
    json_t *v;
    json_object_foreach(p->plan, y, v) {
      if (rc == DB_OK)
        rc = db_exec(d, "INSERT INTO project_plans (project_id, year, amount) VALUES (?, ?, ?)", DBI(id), DBI(strtol(y, NULL, 10)),
                     DBI(json_integer_value(v)));
    }
  }
  if (rc == DB_OK && p->tags) {
    rc = db_exec(d, "DELETE FROM project_tags WHERE project_id = ?", DBI(id));
    size_t i;
    json_t *v;
    json_array_foreach(p->tags, i, v) {
      if (rc == DB_OK)
        rc = db_exec(d, "INSERT INTO project_tags (project_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING", DBI(id),
                     DBT(json_string_value(v)));
    }
  }
  if (rc == DB_OK && p->custom) {
    rc = db_exec(d, "DELETE FROM project_custom WHERE project_id = ?", DBI(id));
    arena a;
    arena_init(&a);
    const char *k;
    json_t *v;
    json_object_foreach(p->custom, k, v) {
      if (rc == DB_OK)
        rc = db_exec(d, "INSERT INTO project_custom (project_id, key, value) VALUES (?, ?, ?)", DBI(id), DBT(k),
                     DBT(cfield_text(&a, v)));
    }
    arena_release(&a);
  }
  free(custom);
  /* its plan moves its light: the stored row follows in this transaction */
  if (rc == DB_OK) rc = rollup_project(d, id);
  return rc == DB_OK ? id : 0;
}

/* ---- validation ---- */

static const char *const project_fields_all[] = {
    "code", "name", "level", "category", "chain", "stage", "unit_id", "leader_id", "hq_id", "owner_unit_id",
    "total_investment", "annual_plan", "land_area_mu", "land_plan_mu", "location", "lng", "lat", "flag_top500", "published", "tags",
    "custom", "version", NULL};
/* What an enterprise may change on the projects it owns. */
static const char *const progress_fields[] = {"stage", "location", "lng", "lat", "version", NULL};

static int unit_kind_is(db *d, int64_t id, const char *kind) {
  return db_int1(d, 0, "SELECT COUNT(*) FROM units WHERE id = ? AND kind = ?", DBI(id), DBT(kind)) > 0;
}

static int jreal(req *r, json_t *in, const char *field, double min, double max, double *out, int *has) {
  json_t *v = json_object_get(in, field);
  if (!v) return JV_ABSENT;
  if (json_is_null(v)) {
    *has = 0;
    return JV_NULL;
  }
  if (!json_is_number(v) || json_number_value(v) < min || json_number_value(v) > max) {
    field_error(r, field, arena_printf(&r->a, "应为%g到%g之间的数", min, max),
                arena_printf(&r->a, "must be a number between %g and %g", min, max));
    return JV_BAD;
  }
  *out = json_number_value(v);
  *has = 1;
  return JV_SET;
}

/* annual_plan {"2026": money, …} → {"2026": fen}. */
static json_t *plan_check(req *r, json_t *v) {
  if (!json_is_object(v)) {
    field_error(r, "annual_plan", "应为对象，如{\"2026\":\"1.2亿\"}", "must be an object such as {\"2026\":\"1.2亿\"}");
    return NULL;
  }
  json_t *out = json_object();
  const char *y;
  json_t *a;
  json_object_foreach(v, y, a) {
    const char *field = arena_printf(&r->a, "annual_plan.%s", y);
    char *end;
    long year = strtol(y, &end, 10);
    if (strlen(y) != 4 || *end || year < 2000 || year > 2100) {
      field_error(r, field, "年份应为2000到2100", "the year must be 2000–2100");
      continue;
    }
    int64_t fen = -1;
    if (jmoney_value(r, field, a, &fen) != JV_SET) continue;
    json_object_set_new(out, y, json_integer(fen));
  }
  return out;
}

static json_t *tags_check(req *r, json_t *v) {
  if (!json_is_array(v) || json_array_size(v) > 20) {
    field_error(r, "tags", "应为不超过20个标签的数组", "must be an array of at most 20 tags");
    return NULL;
  }
  json_t *out = json_array();
  size_t i;
  json_t *t;
  json_array_foreach(v, i, t) {
    if (!json_is_string(t) || !*json_string_value(t) || strlen(json_string_value(t)) > 48) {
      field_error(r, "tags", "每个标签应为1到48字节的文字", "each tag must be text of 1–48 bytes");
      continue;
    }
    json_array_append(out, t);
  }
  return out;
}

/* Reads the sent fields over p (which holds the current values on update). */
static void project_read_input(req *r, json_t *in, proj_in *p, int creating) {
  int req_ = creating;
  /* On create the code may be left out (or empty): the next code is assigned (project_code_next). */
  jstr(r, in, "code", 0, 32, &p->code);
  if (creating && p->code && !*p->code) p->code = NULL;
  jstr(r, in, "name", req_, 200, &p->name);
  jenum(r, in, "level", req_, project_levels, &p->level);
  if (jstr(r, in, "category", req_, 32, &p->category) == JV_SET &&
      db_int1(r->db, 0, "SELECT COUNT(*) FROM project_categories WHERE name = ?", DBT(p->category)) == 0)
    field_error(r, "category", "没有这个项目类别", "no such project category");
  /* 产业链 is free text with the dictionary as its list; an item the
   * administrator disabled is no longer given to a project (a project that
   * already has it keeps it). */
  const char *old_chain = p->chain;
  int cst = jstr(r, in, "chain", 0, 32, &p->chain);
  if (cst == JV_NULL) p->chain = NULL;
  if (cst == JV_SET && *p->chain && !(old_chain && strcmp(old_chain, p->chain) == 0) &&
      db_int1(r->db, 0, "SELECT COUNT(*) FROM dict_items WHERE dict = 'project_chain' AND code = ? AND enabled = 0", DBT(p->chain)))
    field_error(r, "chain", "该产业链已停用", "this industry chain is disabled");
  if (creating) p->stage = "reserve";
  jenum(r, in, "stage", 0, project_stages, &p->stage);
  if (jint(r, in, "unit_id", req_, 1, INT64_MAX, &p->unit_id) == JV_SET &&
      db_int1(r->db, 0, "SELECT COUNT(*) FROM units WHERE id = ?", DBI(p->unit_id)) == 0)
    field_error(r, "unit_id", "责任单位不存在", "no such unit");
  int st = jint(r, in, "leader_id", 0, 1, INT64_MAX, &p->leader_id);
  if (st == JV_NULL) p->leader_id = 0;
  if (st == JV_SET && db_int1(r->db, 0, "SELECT COUNT(*) FROM users WHERE id = ? AND roles LIKE ?", DBI(p->leader_id),
                              DBT("%leader%")) == 0)
    field_error(r, "leader_id", "联系领导应为具有领导角色的用户", "the lead leader must be a user with the leader role");
  st = jint(r, in, "hq_id", 0, 1, INT64_MAX, &p->hq_id);
  if (st == JV_NULL) p->hq_id = 0;
  if (st == JV_SET && !unit_kind_is(r->db, p->hq_id, "hq")) field_error(r, "hq_id", "指挥部不存在", "no such HQ");
  st = jint(r, in, "owner_unit_id", 0, 1, INT64_MAX, &p->owner_unit_id);
  if (st == JV_NULL) p->owner_unit_id = 0;
  if (st == JV_SET && !unit_kind_is(r->db, p->owner_unit_id, "enterprise"))
    field_error(r, "owner_unit_id", "业主单位应为企业", "the owner must be an enterprise unit");
  if (jmoney(r, in, "total_investment", 0, &p->total) == JV_NULL) p->total = 0;
  if (jarea(r, in, "land_area_mu", 0, &p->land) == JV_NULL) p->land = 0;
  int lp = jarea(r, in, "land_plan_mu", 0, &p->land_plan);
  if (lp == JV_NULL) p->land_plan = 0;
  p->has_land_plan = lp == JV_SET || lp == JV_NULL;
  if (lp == JV_SET && p->land_plan > 100000000) field_error(r, "land_plan_mu", "不能超过100万亩", "must be at most 1,000,000 亩");
  if (jstr(r, in, "location", 0, 200, &p->location) == JV_NULL) p->location = NULL;
  jreal(r, in, "lng", -180, 180, &p->lng, &p->has_lng);
  jreal(r, in, "lat", -90, 90, &p->lat, &p->has_lat);
  jbool(r, in, "flag_top500", 0, &p->top500);
  jbool(r, in, "published", 0, &p->published);
  json_t *v;
  if ((v = json_object_get(in, "annual_plan")) && !json_is_null(v)) p->plan = plan_check(r, v);
  else if (v || creating) p->plan = json_object();
  if ((v = json_object_get(in, "tags")) && !json_is_null(v)) p->tags = tags_check(r, v);
  else if (v || creating) p->tags = json_array();
  if (p->code && !*p->code) field_error(r, "code", "必填", "required");
  if (p->name && !*p->name) field_error(r, "name", "必填", "required");
}

static void proj_free(proj_in *p) {
  json_decref(p->plan);
  json_decref(p->tags);
  json_decref(p->custom);
}

/* ---- what only the project office decides ----
 * A project's level (省/市/区重点), its HQ and its owner enterprise are set
 * by the project office; so is taking a project out of reserve (the
 * office's decision to start it) and moving a stage back.  A unit (or an
 * enterprise, for its own projects) moves its project's stage forward
 * only, among preparation → construction → completed → production.  A unit
 * creates reserve projects of district level without HQ or owner.
 * Breaches are 403 with each field named in errors. */

static int stage_index(const char *s) { return s ? code_index(project_stages, s) : -1; }

static void stage_rule(req *r, const char *from, const char *to) {
  if (!to || (from && strcmp(from, to) == 0)) return;
  int a = stage_index(from), b = stage_index(to);
  if (a <= 0 || b <= a)
    field_error(r, "stage",
                a == 0 ? "储备项目转入前期由项目办决定"
                       : "阶段只能向前推进（前期→在建→竣工→投产），退回或转入储备由项目办决定",
                a == 0 ? "only the project office takes a project out of reserve"
                       : "a stage moves only forward (preparation → construction → completed → production); going back or "
                         "into reserve is the project office's decision");
}

static int changed_id(json_t *in, const char *key, int64_t before, int64_t after) {
  return json_object_get(in, key) && before != after;
}

static void office_only_fields(req *r, json_t *in, const char *old_level, int64_t old_hq, int64_t old_owner, const proj_in *p) {
  if (json_object_get(in, "level") && (!old_level || strcmp(old_level, p->level) != 0))
    field_error(r, "level", "项目级别（省/市/区重点）由项目办确定", "the project office sets the level");
  if (changed_id(in, "hq_id", old_hq, p->hq_id))
    field_error(r, "hq_id", "所属指挥部由项目办确定", "the project office sets the HQ");
  if (changed_id(in, "owner_unit_id", old_owner, p->owner_unit_id))
    field_error(r, "owner_unit_id", "业主企业由项目办确定", "the project office sets the owner enterprise");
}

static void reply_office_only(req *r) {
  reply_problem(r, 403, "无权修改 / Forbidden",
                "级别、指挥部、业主和储备项目的转段由项目办决定 / The level, HQ, owner and moves out of reserve are the "
                "project office's to decide");
}

/* ---- handlers ---- */

static void etag(req *r, json_t *o) {
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
}

/* Refuses a code another project has (409; frees p). */
static int code_taken(req *r, proj_in *p, int64_t id) {
  if (db_int1(r->db, 0, "SELECT COUNT(*) FROM projects WHERE code = ? AND id <> ?", DBT(p->code), DBI(id)) == 0) return 0;
  proj_free(p);
  field_error(r, "code", "项目编号已存在", "the project code exists");
  reply_problem(r, 409, "项目编号重复 / Duplicate project code", "项目编号已存在 / The project code exists");
  return 1;
}

/* ---- automatic project codes ----
 * A project created without a code gets PROJECT_CODE_PREFIX + this year + "-" + the next
 * number of the year, three digits at least (HT-2026-001, HT-2026-002, …), as the codes
 * the office types by hand.  The number follows the highest of the year's codes in that
 * form, typed or assigned, so a hand-typed HT-2026-040 is followed by HT-2026-041.
 * Computed inside the creating transaction; two offices creating at once on PostgreSQL
 * may compute the same code: the second insert meets the unique index and the create is
 * retried in a new transaction (projects_create), which then sees the first one's code. */
#define PROJECT_CODE_PREFIX "HT-"
#define PROJECT_CODE_TRIES 12

static const char *project_code_next(db *d, arena *a) {
  int y, m, dd;
  date_to_ymd(clock_today(), &y, &m, &dd);
  const char *head = arena_printf(a, PROJECT_CODE_PREFIX "%04d-", y);
  size_t hl = strlen(head);
  long top = 0;
  db_stmt *st = db_query(d, "SELECT code FROM projects WHERE code LIKE ?", DBT(arena_printf(a, "%s%%", head)));
  int step = DB_DONE;
  while (st && (step = db_step(st)) == DB_ROW) {
    const char *c = db_text(st, 0);
    if (!c || strlen(c) <= hl || strlen(c) > hl + 6) continue;
    char *end = NULL;
    long n = strtol(c + hl, &end, 10);
    if (end && !*end && c[hl] >= '0' && c[hl] <= '9' && n > top) top = n;
  }
  db_done(st);
  if (!st || step != DB_DONE) return NULL;
  return arena_printf(a, "%s%03ld", head, top + 1);
}

/* Ends a create or update: the project as stored, audited, with its ETag. */
static void project_commit(req *r, int rc, const char *action, int64_t id, json_t *before, light_ctx *lc, unsigned status) {
  json_t *after = rc == DB_OK ? project_json(r->db, id, lc) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, action, "project", id, before, after) : db_errcode(r->db);
  if (after) etag(r, after);
  commit_reply(r, rc, before, after, status);
}

/* POST /api/v1/projects {code, name, level, category, …} */
static void projects_create(req *r) {
  json_t *in = req_json(r, project_fields_all);
  if (!in) return;
  proj_in p;
  memset(&p, 0, sizeof p);
  project_read_input(r, in, &p, 1);
  json_t *empty = json_object();
  p.custom = custom_check(r, json_object_get(in, "custom") ? json_object_get(in, "custom") : empty, NULL, 1);
  json_decref(empty);
  if (!has_errors(r) && !scope_writes_all(r)) {
    if (!scope_can_write_unit(r, p.unit_id)) {
      proj_free(&p);
      return reply_forbidden(r, "只能为本单位或下级单位新建项目", "you may create projects only for your own units");
    }
    if (strcmp(p.stage, "reserve") != 0)
      field_error(r, "stage", "责任单位新建的项目只能是储备项目，由项目办转入前期", "units create reserve projects only; the project office promotes them");
    if (p.published) field_error(r, "published", "只有项目办可以公开项目", "only the project office publishes projects");
    if (!has_errors(r)) {
      office_only_fields(r, in, "district", 0, 0, &p);
      if (has_errors(r)) {
        proj_free(&p);
        return reply_office_only(r);
      }
    }
  }
  if (has_errors(r)) {
    proj_free(&p);
    return reply_invalid(r);
  }
  int assign = p.code == NULL;
  if (!assign && code_taken(r, &p, 0)) return;
  light_ctx lc;
  light_ctx_init(r->db, &lc, req_calendar(r), 0);
  int rc = DB_OK;
  int64_t id = 0;
  for (int attempt = 0; attempt < PROJECT_CODE_TRIES; attempt++) {
    rc = db_begin(r->db);
    if (rc == DB_OK && assign && !(p.code = project_code_next(r->db, &r->a))) rc = db_errcode(r->db);
    id = rc == DB_OK ? proj_store(r->db, &p, 0, now_rfc3339(&r->a)) : 0;
    if (rc == DB_OK && !id) rc = db_errcode(r->db);
    /* an assigned code taken meanwhile by a concurrent create: again, in a new transaction */
    if (!assign || rc != DB_CONSTRAINT || db_constraint_kind(r->db) != DBC_UNIQUE || attempt + 1 == PROJECT_CODE_TRIES) break;
    if (db_in_transaction(r->db)) db_rollback(r->db);
  }
  proj_free(&p);
  project_commit(r, rc, "create", id, NULL, &lc, 201);
}

/* GET /api/v1/projects/{id} */
static void projects_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  light_ctx lc;
  light_ctx_init(r->db, &lc, req_calendar(r), (int)qint(r, "year", 2000, 2100, 0));
  int sc;
  json_t *o = project_json_open(r, id, &lc, PSCOPE_READ, &sc);
  if (!o) return;
  json_object_set_new(o, "can_edit", json_string(sc == PSCOPE_WRITE ? "all" : sc == PSCOPE_PROGRESS ? "progress" : "none"));
  etag(r, o);
  reply_json(r, 200, o);
}

/* PATCH /api/v1/projects/{id} {any project field, version} */
static void projects_update(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  int sc = project_open(r, id, PSCOPE_PROGRESS);
  if (sc < 0) return;
  json_t *in = req_json(r, project_fields_all);
  if (!in) return;
  if (sc == PSCOPE_PROGRESS) {
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v) {
      (void)v;
      if (code_index(progress_fields, key) < 0) field_error(r, key, "企业只能修改项目进度相关字段", "an enterprise may change only progress fields");
    }
    if (has_errors(r)) return reply_problem(r, 403, "无权修改 / Forbidden", "企业只能修改阶段、地点和坐标 / An enterprise may change only stage, location and coordinates");
  }
  int64_t version = req_version(r, in);
  if (has_errors(r)) return reply_invalid(r);
  if (!version)
    return reply_problem(r, 428, "需要版本号 / Version required",
                         "请在If-Match头或version字段中给出读取时的版本 / Send the version you read as If-Match or the version field");
  proj_in p;
  if (proj_load(r->db, &r->a, id, &p) != 0) return reply_not_found(r, "项目", "Project");
  int64_t old_unit = p.unit_id, old_hq = p.hq_id, old_owner = p.owner_unit_id;
  const char *old_level = p.level, *old_stage = p.stage;
  project_read_input(r, in, &p, 0);
  if (!has_errors(r) && !scope_writes_all(r)) {
    office_only_fields(r, in, old_level, old_hq, old_owner, &p);
    if (json_object_get(in, "stage")) stage_rule(r, old_stage, p.stage);
    if (has_errors(r)) {
      proj_free(&p);
      return reply_office_only(r);
    }
  }
  json_t *cin = json_object_get(in, "custom");
  if (cin && !json_is_null(cin)) {
    json_t *cur = NULL;
    db_stmt *st = db_query(r->db, "SELECT custom_json FROM projects WHERE id = ?", DBI(id));
    if (st && db_step(st) == DB_ROW && !db_isnull(st, 0)) cur = json_loads(db_text(st, 0), 0, NULL);
    db_done(st);
    p.custom = custom_check(r, cin, cur, 0);
    json_decref(cur);
  }
  if (!has_errors(r) && !scope_writes_all(r) && sc == PSCOPE_WRITE) {
    if (p.unit_id != old_unit && !scope_can_write_unit(r, p.unit_id))
      field_error(r, "unit_id", "不能把项目交给本单位范围以外的单位", "you cannot hand the project to a unit outside your scope");
    if (json_object_get(in, "published")) field_error(r, "published", "只有项目办可以公开项目", "only the project office publishes projects");
  }
  if (has_errors(r)) {
    proj_free(&p);
    return reply_invalid(r);
  }
  if (code_taken(r, &p, id)) return;
  light_ctx lc;
  light_ctx_init(r->db, &lc, req_calendar(r), 0);
  int rc = db_begin(r->db);
  if (rc != DB_OK) {
    proj_free(&p);
    return reply_db_error(r, rc);
  }
  json_t *before = project_json(r->db, id, &lc);
  int64_t cur = before ? json_integer_value(json_object_get(before, "version")) : 0;
  if (cur != version) {
    db_rollback(r->db);
    json_decref(before);
    proj_free(&p);
    return reply_problem(r, 409, "数据已被他人修改 / Conflict",
                         arena_printf(&r->a, "当前版本为%lld，请刷新后再改 / The project is at version %lld; reload and retry",
                                      (long long)cur, (long long)cur));
  }
  rc = proj_store(r->db, &p, id, now_rfc3339(&r->a)) ? DB_OK : db_errcode(r->db);
  proj_free(&p);
  project_commit(r, rc, "update", id, before, &lc, 200);
}

/* DELETE /api/v1/projects/{id} — office/admin; its nodes, plans and tags go with it. */
static void projects_delete(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  light_ctx lc;
  light_ctx_init(r->db, &lc, req_calendar(r), 0);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  json_t *before = project_json(r->db, id, &lc);
  if (!before) {
    db_rollback(r->db);
    return reply_not_found(r, "项目", "Project");
  }
  /* Children are deleted explicitly: SQLite enforces ON DELETE CASCADE
   * only with foreign_keys on, and dependencies between nodes must go first. */
  rc = db_exec(r->db, "UPDATE nodes SET depends_on = NULL WHERE project_id = ?", DBI(id));
  static const char *const children[] = {"DELETE FROM nodes WHERE project_id = ?", "DELETE FROM project_plans WHERE project_id = ?",
                                         "DELETE FROM project_tags WHERE project_id = ?",
                                         "DELETE FROM project_custom WHERE project_id = ?",
                                         "DELETE FROM project_rollups WHERE project_id = ?", "DELETE FROM projects WHERE id = ?"};
  int64_t unit = db_int1(r->db, 0, "SELECT unit_id FROM projects WHERE id = ?", DBI(id));
  for (size_t i = 0; rc == DB_OK && i < sizeof children / sizeof *children; i++) rc = db_exec(r->db, children[i], DBI(id));
  /* its unit's group roll-ups no longer count it */
  if (rc == DB_OK) rc = rollup_groups_unit(r->db, unit);
  if (rc == DB_OK) rc = audit_log(r, "delete", "project", id, before, NULL);
  commit_reply(r, rc, before, NULL, 204);
}


/* GET /api/v1/projects/{id}/history?page&per_page */
static void projects_history(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  if (project_open(r, id, PSCOPE_READ) < 0) return;
  if (has_role(r, ROLE_PUBLIC)) return reply_forbidden(r, "无权查看该项目", "you may not read this project");
  page p;
  req_page(r, &p);
  if (has_errors(r)) return reply_invalid(r);
  static const char where[] =
      " FROM audit_log WHERE (entity = 'project' AND entity_id = ?) OR (entity = 'node' AND entity_id IN "
      "(SELECT id FROM nodes WHERE project_id = ?))";
  int64_t total = db_int1(r->db, 0, arena_printf(&r->a, "SELECT COUNT(*)%s", where), DBI(id), DBI(id));
  db_stmt *st = db_query(r->db,
                         arena_printf(&r->a,
                                      "SELECT id, at, user_id, user_login, action, entity, entity_id, before_json AS before__j, "
                                      "after_json AS after__j%s ORDER BY id DESC LIMIT ? OFFSET ?",
                                      where),
                         DBI(id), DBI(id), DBI(p.per_page), DBI(p.offset));
  reply_rows(r, st, total, &p);
}

static const route project_routes[] = {
    ROUTE("POST", "/api/v1/projects", projects_create, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT, "新建项目 / Create a project", 0),
    ROUTE("GET", "/api/v1/projects/{id}", projects_get, ROLES_ANY, "项目详情 / One project", 0),
    ROUTE("PATCH", "/api/v1/projects/{id}", projects_update, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT | ROLE_ENTERPRISE,
          "修改项目 / Change a project", 0),
    ROUTE("DELETE", "/api/v1/projects/{id}", projects_delete, ROLE_ADMIN | ROLE_OFFICE, "删除项目 / Delete a project", 0),
    ROUTE("GET", "/api/v1/projects/{id}/history", projects_history, ROLES_ANY, "项目变更历史 / Project history", 0),
    {0},
};

/* OpenAPI components for the project library (also used by nodes.c,
 * battlemap.c and project_import.c). */
static const char project_schemas[] =
    "{\"Project\":{\"type\":\"object\",\"description\":\"A project of the library (项目). Detail answers ETag \\\"<ve"
    "rsion>\\\"; PATCH needs If-Match or version (stale → 409, none → 428).\",\"properties\":{\"id\":{\"type\":\"in"
    "teger\"},\"code\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},\"level\":{\"enum\":[\"province\",\"cit"
    "y\",\"district\"]},\"category\":{\"type\":\"string\",\"description\":\"a name from /project-categories\"},\"ch"
    "ain\":{\"type\":[\"string\",\"null\"],\"description\":\"产业链\"},\"stage\":{\"enum\":[\"reserve\",\"preparation\",\"construction\",\"completed\",\"production\"]},\"unit_id\":{\"type\":\"integer\"},\"unit_name\":{\"type\":\"string\"},\"leader_id\":{\"type\":[\"integer\",\"null\"]},\"leader_name\":{\"type\":[\"string\",\"null\"]},\""
    "hq_id\":{\"type\":[\"integer\",\"null\"]},\"hq_name\":{\"type\":[\"string\",\"null\"]},\"owner_unit_id\":{\"ty"
    "pe\":[\"integer\",\"null\"]},\"owner_name\":{\"type\":[\"string\",\"null\"]},\"total_investment\":{\"type\":\""
    "string\",\"description\":\"yuan with two decimals, e.g. \\\"366000000.00\\\"\"},\"annual_plan\":{\"type\":\"ob"
    "ject\",\"additionalProperties\":{\"type\":\"string\",\"description\":\"yuan with two decimals, e.g. \\\"366000"
    "000.00\\\"\"},\"description\":\"year → money\"},\"land_area_mu\":{\"type\":\"string\",\"description\":\"亩 with"
    " two decimals\"},\"location\":{\"type\":[\"string\",\"null\"]},\"lng\":{\"type\":[\"number\",\"null\"]},\"lat\":{\"type\":[\"number\",\"null\"]},\"flag_100m\":{\"type\":\"boolean\",\"description\":\"total ≥ ¥1e8 (compute"
    "d)\"},\"flag_1bn\":{\"type\":\"boolean\",\"description\":\"total ≥ ¥1e9 (computed)\"},\"flag_top500\":{\"type\":\"boolean\"},\"published\":{\"type\":\"boolean\"},\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"custom\":{\"type\":\"object\",\"description\":\"custom field values by key (/project-fields)\"},\"light\":{\"enum\":[\"red\",\"yellow\",\"green\"]},\"light_reasons\":{\"type\":\"array\",\"items\":{\"type\":\"string"
    "\"}},\"ytd_investment\":{\"type\":\"string\",\"description\":\"yuan with two decimals, e.g. \\\"366000000.00\\\"\"},\"version\":{\"type\":\"integer\"},\"created_at\":{\"type\":\"string\"},\"updated_at\":{\"type\":\"strin"
    "g\"},\"can_edit\":{\"enum\":[\"all\",\"progress\",\"none\"],\"description\":\"detail only: what the caller may"
    " change\"}}},\"Node\":{\"type\":\"object\",\"description\":\"A milestone node (节点). slip_days: working days fr"
    "om baseline to planned (or actual when done), positive = late; null without a baseline.\",\"properties\":{\"id"
    "\":{\"type\":\"integer\"},\"project_id\":{\"type\":\"integer\"},\"seq\":{\"type\":\"integer\"},\"name\":{\"typ"
    "e\":\"string\"},\"kind\":{\"enum\":[\"land_acquisition\",\"land_approval\",\"land_listing\",\"planning_permit\",\"construction_permit\",\"start\",\"topping_out\",\"completion\",\"production\",\"other\"]},\"unit_id\":{\"t"
    "ype\":[\"integer\",\"null\"]},\"unit_name\":{\"type\":[\"string\",\"null\"]},\"person\":{\"type\":[\"string\","
    "\"null\"]},\"planned_date\":{\"type\":\"string\"},\"baseline_date\":{\"type\":[\"string\",\"null\"]},\"actual_"
    "date\":{\"type\":[\"string\",\"null\"]},\"note\":{\"type\":[\"string\",\"null\"]},\"depends_on\":{\"type\":[\""
    "integer\",\"null\"]},\"light\":{\"enum\":[\"red\",\"yellow\",\"green\"]},\"slip_days\":{\"type\":[\"integer\","
    "\"null\"]},\"version\":{\"type\":\"integer\"}}},\"NodeTemplate\":{\"type\":\"object\",\"properties\":{\"id\":{"
    "\"type\":\"integer\"},\"category\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},\"steps\":{\"type\":\""
    "array\",\"items\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"kind\":{\"type\":\"str"
    "ing\"},\"duration_days\":{\"type\":\"integer\",\"description\":\"working days after the previous step (the fir"
    "st: after start)\"},\"unit_role\":{\"enum\":[\"responsible\",\"hq\",\"owner\",null]}}}},\"version\":{\"type\":"
    "\"integer\"}}},\"BattleMap\":{\"type\":\"object\",\"properties\":{\"today\":{\"type\":\"string\"},\"year\":{\""
    "type\":\"integer\"},\"group\":{\"enum\":[\"unit\",\"leader\",\"chain\"]},\"groups\":{\"type\":\"array\",\"item"
    "s\":{\"type\":\"object\",\"properties\":{\"key\":{},\"label\":{\"type\":\"string\"},\"projects\":{\"type\":\"a"
    "rray\",\"items\":{\"type\":\"object\",\"description\":\"id, code, name, level, stage, unit_id, unit_name, lead"
    "er_id, leader_name, chain, total_investment, light, light_reasons, nodes[Node]\"}}}}},\"total\":{\"type\":\"in"
    "teger\"},\"lights\":{\"type\":\"object\",\"properties\":{\"red\":{\"type\":\"integer\"},\"yellow\":{\"type\":\"integer\"},\"green\":{\"type\":\"integer\"}}}}},\"ProjectImport\":{\"type\":\"object\",\"description\":\"POST"
    " /projects/import: dry_run → total, create, update, unchanged, rows (first 200), errors; otherwise created, up"
    "dated, unchanged (200) or errors (422, nothing written). Columns: 项目编号 项目名称 项目级别 项目类别 产业链 项目阶段 总投资 年度计划投资 占地面积"
    "(亩) 建设地点 责任单位 联系领导 指挥部 业主单位 标签 + custom fields by label.\",\"properties\":{\"errors\":{\"type\":\"array\",\"it"
    "ems\":{\"type\":\"object\",\"properties\":{\"row\":{\"type\":\"integer\"},\"column\":{\"type\":\"string\"},\"f"
    "ield\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"}}}}}}}";

static const module projects_module = {"projects", 30, project_routes, NULL, project_schemas, NULL};
MODULE_REGISTER(projects_module)
