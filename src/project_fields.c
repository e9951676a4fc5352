/*
 * project_fields.c — the custom project fields (自定义字段) an administrator
 * defines: their definitions, and checking, normalising and writing out the
 * values a project holds for them (projects.c validates a project's
 * `custom` object with these; project_import.c reads them by label).
 *
 * GET    /api/v1/project-fields              every logged-in user (forms and filters need them)
 * POST   /api/v1/project-fields              admin {key, label, type, options, required, sort_order}; an existing key is replaced
 * DELETE /api/v1/project-fields/{key}        admin; the values stay in custom_json history
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "money.h"
#include "projects.h"

const char *const custom_types[] = {"text", "number", "money", "date", "choice", NULL};

int cfields_load(db *d, arena *a, cfields *cf) {
  cf->n = 0;
  cf->all = json_array();
  int cap = 64;
  cf->f = arena_alloc(a, sizeof *cf->f * (size_t)cap);
  db_stmt *st = db_query0(d, "SELECT key, label, type, options_json, required FROM project_fields ORDER BY sort_order, key");
  if (!st) return -1;
  while (db_step(st) == DB_ROW && cf->n < cap) {
    cfield *f = &cf->f[cf->n++];
    f->key = arena_strdup(a, db_text(st, 0));
    f->label = arena_strdup(a, db_text(st, 1));
    f->type = arena_strdup(a, db_text(st, 2));
    f->options = db_isnull(st, 3) ? NULL : json_loads(db_text(st, 3), 0, NULL);
    if (f->options) json_array_append_new(cf->all, f->options);
    f->required = (int)db_int(st, 4);
  }
  db_done(st);
  return 0;
}

const char *cfield_text(arena *a, json_t *v) {
  if (json_is_string(v)) return json_string_value(v);
  if (json_is_integer(v)) return arena_printf(a, "%lld", (long long)json_integer_value(v));
  if (json_is_real(v)) {
    char *s = arena_printf(a, "%.6f", json_real_value(v));
    /* trim the trailing zeros a decimal would not have been written with */
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '0') s[--n] = 0;
    if (n > 0 && s[n - 1] == '.') s[--n] = 0;
    return s;
  }
  return "";
}

int cfield_value(const cfield *f, json_t *v, json_t **norm, const char **zh, const char **en, arena *a) {
  *norm = NULL;
  if (strcmp(f->type, "text") == 0) {
    if (!json_is_string(v) || strlen(json_string_value(v)) > 500) {
      *zh = "应为不超过500字节的文字";
      *en = "must be text of at most 500 bytes";
      return -1;
    }
    *norm = json_incref(v);
  } else if (strcmp(f->type, "number") == 0) {
    double x;
    if (json_is_number(v)) x = json_number_value(v);
    else if (json_is_string(v)) {
      char *end;
      const char *s = json_string_value(v);
      x = strtod(s, &end);
      if (!*s || *end) x = NAN;
    } else
      x = NAN;
    if (!isfinite(x)) {
      *zh = "应为数字";
      *en = "must be a number";
      return -1;
    }
    *norm = x == (double)(int64_t)x && fabs(x) < 9e15 ? json_integer((json_int_t)x) : json_real(x);
  } else if (strcmp(f->type, "money") == 0) {
    int64_t fen = -1;
    if (json_money_read(v, &fen, zh, en) != 0) return -1;
    *norm = json_money(fen);
  } else if (strcmp(f->type, "date") == 0) {
    int32_t day;
    if (!json_is_string(v) || date_parse(json_string_value(v), &day) != 0) {
      *zh = "日期应为YYYY-MM-DD";
      *en = "must be a date YYYY-MM-DD";
      return -1;
    }
    *norm = json_incref(v);
  } else {
    if (json_is_string(v)) {
      size_t i;
      json_t *o;
      json_array_foreach(f->options, i, o) {
        if (!*norm && json_equal(o, v)) *norm = json_incref(v);
      }
    }
    if (!*norm) {
      *zh = arena_printf(a, "应为选项之一：%s", f->options ? cfield_text(a, json_array_get(f->options, 0)) : "");
      *en = "must be one of the field's options";
      return -1;
    }
  }
  return 0;
}


/* GET /api/v1/project-fields — every logged-in user (forms and filters need them) */
static void fields_list(req *r) {
  db_stmt *st = db_query0(r->db,
                          "SELECT key, label, type, options_json AS options__j, required AS required__b, sort_order "
                          "FROM project_fields ORDER BY sort_order, key");
  if (!st) return reply_db_error(r, db_errcode(r->db));
  json_t *items = json_array();
  while (db_step(st) == DB_ROW) {
    json_t *o = db_row_json(st);
    if (json_is_null(json_object_get(o, "options"))) json_object_set_new(o, "options", json_array());
    json_array_append_new(items, o);
  }
  db_done(st);
  page p = {1, (int64_t)json_array_size(items), 0};
  reply_list(r, items, (int64_t)json_array_size(items), &p);
}

static int key_valid(const char *k) {
  size_t n = strlen(k);
  if (n < 1 || n > 32 || !(k[0] >= 'a' && k[0] <= 'z')) return 0;
  for (size_t i = 0; i < n; i++)
    if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '_')) return 0;
  return 1;
}

/* POST /api/v1/project-fields {key, label, type, options, required, sort_order} — admin; an existing key is replaced */
static void fields_create(req *r) {
  static const char *const fields[] = {"key", "label", "type", "options", "required", "sort_order", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *key = NULL, *label = NULL, *type = NULL;
  int required = 0;
  int64_t sort_order = 0;
  if (jstr(r, in, "key", 1, 32, &key) == JV_SET && !key_valid(key))
    field_error(r, "key", "应为小写字母开头的字母、数字和下划线（最多32个）", "must be a–z, 0–9 and _ starting with a letter (≤32)");
  jstr(r, in, "label", 1, 64, &label);
  jenum(r, in, "type", 1, custom_types, &type);
  jbool(r, in, "required", 0, &required);
  jint(r, in, "sort_order", 0, -100000, 100000, &sort_order);
  json_t *opts = json_object_get(in, "options");
  char *opts_text = NULL;
  if (type && strcmp(type, "choice") == 0) {
    int ok = json_is_array(opts) && json_array_size(opts) > 0 && json_array_size(opts) <= 100;
    size_t i;
    json_t *o;
    json_array_foreach(opts, i, o) {
      if (!json_is_string(o) || !*json_string_value(o)) ok = 0;
    }
    if (!ok) field_error(r, "options", "选择型字段需要1到100个文字选项", "a choice field needs 1–100 text options");
    else opts_text = json_dumps(opts, JSON_COMPACT);
  } else if (opts && !json_is_null(opts) && !(json_is_array(opts) && json_array_size(opts) == 0)) {
    field_error(r, "options", "只有选择型字段有选项", "only choice fields have options");
  }
  if (has_errors(r)) {
    free(opts_text);
    return reply_invalid(r);
  }
  if (db_int1(r->db, 0, "SELECT COUNT(*) FROM project_fields WHERE label = ? AND key <> ?", DBT(label), DBT(key)) > 0) {
    free(opts_text);
    field_error(r, "label", "已有同名字段", "another field has this label");
    return reply_invalid(r);
  }
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "INSERT INTO project_fields (key, label, type, options_json, required, sort_order, created_at) VALUES "
                 "(?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET label = excluded.label, type = excluded.type, "
                 "options_json = excluded.options_json, required = excluded.required, sort_order = excluded.sort_order",
                 DBT(key), DBT(label), DBT(type), DBT(opts_text), DBI(required), DBI(sort_order), DBT(now_rfc3339(&r->a)));
  json_t *after = json_pack("{s:s, s:s, s:s, s:o, s:b, s:I}", "key", key, "label", label, "type", type, "options",
                            opts_text ? json_loads(opts_text, 0, NULL) : json_array(), "required", required,
                            "sort_order", (json_int_t)sort_order);
  free(opts_text);
  if (rc == DB_OK) rc = audit_log(r, "update", "project_field", 0, NULL, after);
  commit_reply(r, rc, NULL, after, 201);
}

/* DELETE /api/v1/project-fields/{key} — admin; the values stay in custom_json history */
static void fields_delete(req *r) {
  const char *key = r->nparams ? r->params[0] : "";
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM project_fields WHERE key = ?", DBT(key));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    return reply_not_found(r, "自定义字段", "Custom field");
  }
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM project_custom WHERE key = ?", DBT(key));
  json_t *before = json_pack("{s:s}", "key", key);
  if (rc == DB_OK) rc = audit_log(r, "delete", "project_field", 0, before, NULL);
  commit_reply(r, rc, before, NULL, 204);
}

static const route project_field_routes[] = {
    ROUTE("GET", "/api/v1/project-fields", fields_list, ROLES_ANY, "自定义字段 / Custom fields", 0),
    ROUTE("POST", "/api/v1/project-fields", fields_create, ROLE_ADMIN, "定义自定义字段 / Define a custom field", 0),
    ROUTE("DELETE", "/api/v1/project-fields/{key}", fields_delete, ROLE_ADMIN, "删除自定义字段 / Delete a custom field", 0),
    {0},
};

static const module project_fields_module = {"project-fields", 30, project_field_routes, NULL, NULL, NULL};
MODULE_REGISTER(project_fields_module)
