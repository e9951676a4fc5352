/*
 * dicts.c — 字典: the code tables the product uses, in one place for the UI's
 * selects and the dictionary page (系统管理 → 字典管理).
 *
 *   fixed  the enums the server checks (project level and stage, light,
 *          problem state, investment stage, land state, approval state),
 *          from the modules' own constants: read-only;
 *   table  the category tables kept on their own pages (项目类别, 问题类别):
 *          read-only here;
 *   data   the chain (产业链) and tag lists in dict_items (sql/0018_dicts.sql):
 *          the administrator edits labels, order and enabled, and adds items.
 *
 * GET   /api/v1/dicts                      every logged-in user: every dictionary with its items
 * GET   /api/v1/dicts/{type}               one dictionary
 * POST  /api/v1/dicts/{type}               admin {code, label_zh, label_en, sort_order, enabled}; data only
 * PATCH /api/v1/dicts/{type}/{code}        admin {label_zh, label_en, sort_order, enabled}; data only
 * Each write is one transaction with its audit entry (entity dict_item).
 */
#include <stdio.h>
#include <string.h>

#include "approval.h"
#include "invest.h"
#include "land.h"
#include "loop.h"
#include "projects.h"

static const char *const level_en[] = {"Provincial key", "City key", "District key"};
static const char *const stage_en[] = {"Reserve", "Preparation", "Under construction", "Completed", "In production"};
static const char *const lights[] = {"red", "yellow", "green", NULL};
static const char *const lights_zh[] = {"红灯", "黄灯", "绿灯"};
static const char *const lights_en[] = {"Red", "Yellow", "Green"};
static const char *const pstate_zh[] = {"待受理", "已受理", "办理中", "已答复", "已办结", "已退回"};
static const char *const pstate_en[] = {"Open", "Accepted", "In progress", "Replied", "Closed", "Reopened"};
static const char *const istage_en[] = {"Lead",       "Negotiation", "Pre-review",    "Decision", "Signed",
                                        "Registered", "Started",     "In production", "Lost"};
static const char *const lstate_en[] = {"Surveyed", "Assessed", "Signed", "Demolished", "Handed over"};
static const char *const astate_en[] = {"Preparing", "Submitted", "Accepted", "Issued"};

typedef struct dict_def {
  const char *type, *name_zh, *name_en, *kind; /* kind: fixed | table | data */
  const char *const *codes, *const *zh, *const *en;
  size_t nen;      /* entries in en (the codes list must not be longer) */
  const char *sql; /* table: SELECT code, label_zh, label_en, sort_order, enabled */
} dict_def;

#define FIXED(t, nz, ne, c, z, e) {t, nz, ne, "fixed", c, z, e, sizeof e / sizeof *e, NULL}
static const dict_def dicts[] = {
    FIXED("project_level", "项目级别", "Project level", project_levels, project_levels_zh, level_en),
    FIXED("project_stage", "项目阶段", "Project stage", project_stages, project_stages_zh, stage_en),
    FIXED("light", "红黄绿灯", "Light", lights, lights_zh, lights_en),
    FIXED("problem_state", "问题状态", "Problem state", loop_state_names, pstate_zh, pstate_en),
    FIXED("invest_stage", "招商阶段", "Investment stage", invest_stages, invest_stages_zh, istage_en),
    FIXED("land_state", "征拆进度", "Land acquisition state", land_states, land_states_zh, lstate_en),
    FIXED("approval_state", "审批状态", "Approval state", approval_states, approval_states_zh, astate_en),
    {"project_category", "项目类别", "Project category", "table", NULL, NULL, NULL, 0,
     "SELECT name AS code, name AS label_zh, '' AS label_en, sort_order, 1 AS enabled FROM project_categories "
     "ORDER BY sort_order, name"},
    {"problem_category", "问题类别", "Problem category", "table", NULL, NULL, NULL, 0,
     "SELECT code, name AS label_zh, '' AS label_en, sort_order, 1 AS enabled FROM problem_categories "
     "ORDER BY sort_order, code"},
    {"project_chain", "产业链", "Industry chain", "data", NULL, NULL, NULL, 0, NULL},
    {"project_tag", "项目标签", "Project tag", "data", NULL, NULL, NULL, 0, NULL},
};
#define NDICTS (sizeof dicts / sizeof *dicts)

static const dict_def *dict_find(const char *type) {
  for (size_t i = 0; type && i < NDICTS; i++)
    if (strcmp(dicts[i].type, type) == 0) return &dicts[i];
  return NULL;
}

static json_t *item_row(db_stmt *st) {
  return json_pack("{s:s, s:s, s:s, s:I, s:b}", "code", db_text(st, 0) ? db_text(st, 0) : "", "label_zh",
                   db_text(st, 1) ? db_text(st, 1) : "", "label_en", db_text(st, 2) ? db_text(st, 2) : "", "sort_order",
                   (json_int_t)db_int(st, 3), "enabled", db_int(st, 4) != 0);
}

/* The items of a dictionary, in order; NULL on a database error. */
static json_t *dict_items_json(db *d, const dict_def *def) {
  json_t *items = json_array();
  if (def->codes) {
    for (size_t i = 0; i < def->nen && def->codes[i]; i++)
      json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:I, s:b}", "code", def->codes[i], "label_zh", def->zh[i],
                                             "label_en", def->en[i], "sort_order", (json_int_t)i + 1, "enabled", 1));
    return items;
  }
  db_stmt *st = def->sql ? db_query0(d, def->sql)
                         : db_query(d,
                                    "SELECT code, label_zh, label_en, sort_order, enabled FROM dict_items WHERE dict = ? "
                                    "ORDER BY sort_order, id",
                                    DBT(def->type));
  int step = DB_DONE;
  while (st && (step = db_step(st)) == DB_ROW) json_array_append_new(items, item_row(st));
  db_done(st);
  if (!st || step != DB_DONE) {
    json_decref(items);
    return NULL;
  }
  return items;
}

static json_t *dict_json(db *d, const dict_def *def) {
  json_t *items = dict_items_json(d, def);
  if (!items) return NULL;
  return json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}", "type", def->type, "name_zh", def->name_zh, "name_en", def->name_en,
                   "kind", def->kind, "editable", strcmp(def->kind, "data") == 0, "items", items);
}

/* GET /api/v1/dicts */
static void dicts_list(req *r) {
  json_t *all = json_array();
  for (size_t i = 0; i < NDICTS; i++) {
    json_t *o = dict_json(r->db, &dicts[i]);
    if (!o) {
      json_decref(all);
      return reply_db_error(r, db_errcode(r->db));
    }
    json_array_append_new(all, o);
  }
  page p = {1, (int64_t)NDICTS, 0};
  reply_list(r, all, (int64_t)NDICTS, &p);
}

/* The dictionary named in the path; replies 404 and returns NULL when there is none. */
static const dict_def *path_dict(req *r) {
  const dict_def *def = dict_find(r->nparams ? r->params[0] : NULL);
  if (!def) reply_not_found(r, "字典", "Dictionary");
  return def;
}

/* GET /api/v1/dicts/{type} */
static void dicts_get(req *r) {
  const dict_def *def = path_dict(r);
  if (!def) return;
  json_t *o = dict_json(r->db, def);
  if (!o) return reply_db_error(r, db_errcode(r->db));
  reply_json(r, 200, o);
}

/* A data dictionary's item as stored, or NULL. */
static json_t *item_get(db *d, const char *type, const char *code) {
  db_stmt *st = db_query(d, "SELECT code, label_zh, label_en, sort_order, enabled, id FROM dict_items WHERE dict = ? AND code = ?",
                         DBT(type), DBT(code));
  json_t *o = NULL;
  if (st && db_step(st) == DB_ROW) {
    o = item_row(st);
    json_object_set_new(o, "id", json_integer(db_int(st, 5)));
    json_object_set_new(o, "dict", json_string(type));
  }
  db_done(st);
  return o;
}

/* Refuses writes to the fixed and table dictionaries (409, saying where they are kept). */
static int read_only(req *r, const dict_def *def) {
  if (strcmp(def->kind, "data") == 0) return 0;
  if (strcmp(def->kind, "fixed") == 0)
    reply_problem(r, 409, "只读字典 / Read-only dictionary",
                  "该字典由系统规则固定，不能修改 / This dictionary is fixed by the system's rules and cannot be changed");
  else
    reply_problem(r, 409, "只读字典 / Read-only dictionary",
                  "该字典在其类别管理页面维护 / This dictionary is kept on its own category page");
  return 1;
}

typedef struct item_in {
  const char *code, *label_zh, *label_en;
  int64_t sort_order;
  int enabled;
} item_in;

static void item_read(req *r, json_t *in, item_in *it, int creating) {
  if (creating && jstr(r, in, "code", 1, 32, &it->code) == JV_SET && strchr(it->code, ','))
    field_error(r, "code", "编码不能包含逗号", "the code must not contain a comma");
  int st = jstr(r, in, "label_zh", creating, 32, &it->label_zh);
  if (st == JV_NULL) field_error(r, "label_zh", "中文名称不能为空", "the Chinese label must not be empty");
  if (st == JV_SET && !*it->label_zh) field_error(r, "label_zh", "中文名称不能为空", "the Chinese label must not be empty");
  if (jstr(r, in, "label_en", 0, 64, &it->label_en) == JV_NULL) it->label_en = "";
  if (jint(r, in, "sort_order", 0, 0, 100000, &it->sort_order) == JV_NULL)
    field_error(r, "sort_order", "排序应为0到100000的整数", "the sort order must be a whole number from 0 to 100000");
  if (jbool(r, in, "enabled", 0, &it->enabled) == JV_NULL)
    field_error(r, "enabled", "应为是或否", "must be true or false");
}

static const char *const item_fields[] = {"code", "label_zh", "label_en", "sort_order", "enabled", NULL};
static const char *const patch_fields[] = {"label_zh", "label_en", "sort_order", "enabled", NULL};

/* POST /api/v1/dicts/{type} — admin; a data dictionary only */
static void dicts_item_create(req *r) {
  const dict_def *def = path_dict(r);
  if (!def || read_only(r, def)) return;
  json_t *in = req_json(r, item_fields);
  if (!in) return;
  item_in it = {NULL, NULL, "", -1, 1};
  item_read(r, in, &it, 1);
  if (has_errors(r)) return reply_invalid(r);
  json_t *old = item_get(r->db, def->type, it.code);
  if (old) {
    json_decref(old);
    field_error(r, "code", "该字典已有这个编码", "the dictionary has this code already");
    return reply_problem(r, 409, "编码重复 / Duplicate code", "该字典已有这个编码 / The dictionary has this code already");
  }
  if (it.sort_order < 0)
    it.sort_order = db_int1(r->db, 0, "SELECT COALESCE(MAX(sort_order), 0) FROM dict_items WHERE dict = ?", DBT(def->type)) + 10;
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db, "INSERT INTO dict_items (dict, code, label_zh, label_en, sort_order, enabled) VALUES (?, ?, ?, ?, ?, ?)",
                 DBT(def->type), DBT(it.code), DBT(it.label_zh), DBT(it.label_en), DBI(it.sort_order), DBI(it.enabled));
  json_t *after = rc == DB_OK ? item_get(r->db, def->type, it.code) : NULL;
  if (rc == DB_OK && !after) rc = db_errcode(r->db);
  if (rc == DB_OK)
    rc = audit_log(r, "create", "dict_item", json_integer_value(json_object_get(after, "id")), NULL, after);
  commit_reply(r, rc, NULL, after, 201);
}

/* PATCH /api/v1/dicts/{type}/{code} — admin; a data dictionary only */
static void dicts_item_update(req *r) {
  const dict_def *def = path_dict(r);
  if (!def || read_only(r, def)) return;
  const char *code = r->nparams > 1 ? r->params[1] : "";
  json_t *in = req_json(r, patch_fields);
  if (!in) return;
  json_t *before = item_get(r->db, def->type, code);
  if (!before) return reply_not_found(r, "字典项", "Dictionary item");
  item_in it = {code, json_string_value(json_object_get(before, "label_zh")), json_string_value(json_object_get(before, "label_en")),
                json_integer_value(json_object_get(before, "sort_order")), json_is_true(json_object_get(before, "enabled"))};
  item_read(r, in, &it, 0);
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db, "UPDATE dict_items SET label_zh = ?, label_en = ?, sort_order = ?, enabled = ? WHERE dict = ? AND code = ?",
                 DBT(it.label_zh), DBT(it.label_en), DBI(it.sort_order), DBI(it.enabled), DBT(def->type), DBT(code));
  json_t *after = rc == DB_OK ? item_get(r->db, def->type, code) : NULL;
  if (rc == DB_OK && !after) rc = db_errcode(r->db);
  if (rc == DB_OK)
    rc = audit_log(r, "update", "dict_item", json_integer_value(json_object_get(after, "id")), before, after);
  commit_reply(r, rc, before, after, 200);
}

static const route dicts_routes[] = {
    ROUTE("GET", "/api/v1/dicts", dicts_list, ROLES_ANY, "字典 / Dictionaries (code tables)", 0),
    ROUTE("GET", "/api/v1/dicts/{type}", dicts_get, ROLES_ANY, "一个字典 / One dictionary", 0),
    ROUTE("POST", "/api/v1/dicts/{type}", dicts_item_create, ROLE_ADMIN, "新增字典项 / Add a dictionary item", 0),
    ROUTE("PATCH", "/api/v1/dicts/{type}/{code}", dicts_item_update, ROLE_ADMIN, "修改字典项 / Change a dictionary item", 0),
    {0},
};

static const module dicts_module = {"dicts", 31, dicts_routes, NULL, NULL, NULL};
MODULE_REGISTER(dicts_module)
