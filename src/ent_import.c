/*
 * ent_import.c — import of an enterprise list (the commissioner's Excel
 * sheet) into the registry: one enterprise per row with its figures of one
 * year, validated exactly as POST /api/v1/enterprises validates one
 * (ent_read), all or nothing; errors name the row and the column.
 *
 * POST /api/v1/enterprises/import   raw XLSX (or CSV) body, office and administrator
 *   → 201 {created} or 422 {errors:[{row, column, field, message}]} with nothing written
 *
 * Columns by their header (first row), in any order: 统一社会信用代码 企业名称
 * 所在街道 行业 产业链 企业标志 法定代表人 联系人 联系电话 地址 年度 营业收入 税收
 * 从业人数 研发投入.  企业标志 lists flags by their Chinese or English names,
 * separated by 、 , or spaces; money in any written form (3000万, 0.3亿…).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "ent.h"
#include "http.h"
#include "xlsx_read.h"

enum { C_USCC, C_NAME, C_TOWN, C_INDUSTRY, C_CHAIN, C_FLAGS, C_LEGAL, C_CONTACT, C_PHONE, C_ADDRESS, C_YEAR, C_REVENUE, C_TAX,
       C_EMPLOYEES, C_RD, NCOLS };
static const char *const heads[NCOLS] = {"统一社会信用代码", "企业名称", "所在街道", "行业", "产业链", "企业标志", "法定代表人", "联系人",
                                         "联系电话", "地址", "年度", "营业收入", "税收", "从业人数", "研发投入"};
static const char *const fields[NCOLS] = {"uscc", "name", "town_unit_id", "industry", "chain", "flags", "legal_rep", "contact_name",
                                          "contact_phone", "address", "figures", "revenue", "tax", "employees", "rd"};

/* The column an error on `field` belongs to ("figures.2025.tax" → 税收). */
static const char *column_of(const char *field) {
  const char *last = strrchr(field, '.');
  const char *f = last && strncmp(field, "figures.", 8) == 0 && strchr(field + 8, '.') ? last + 1 : field;
  if (strncmp(f, "figures", 7) == 0) return heads[C_YEAR];
  for (int k = 0; k < NCOLS; k++)
    if (strcmp(f, fields[k]) == 0) return heads[k];
  return "";
}

/* 企业标志: Chinese or English names → a JSON array of names (unknown ones
 * kept, so that ent_read refuses them). */
static json_t *flags_json(const char *text) {
  json_t *a = json_array();
  char buf[512];
  snprintf(buf, sizeof buf, "%s", text);
  /* 、 and ， become commas */
  for (char *p = buf; *p; p++) {
    if ((unsigned char)p[0] == 0xE3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x81) p[0] = p[1] = p[2] = ',';
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBC && (unsigned char)p[2] == 0x8C) p[0] = p[1] = p[2] = ',';
    if (*p == ' ') *p = ',';
  }
  char *save = NULL;
  for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    const char *name = tok;
    for (int i = 0; ent_flag_names[i]; i++)
      if (strcmp(tok, ent_flag_names_zh[i]) == 0) name = ent_flag_names[i];
    json_array_append_new(a, json_string(name));
  }
  return a;
}

static int is_int(const char *s) {
  if (!*s || strlen(s) > 9) return 0;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return 0;
  return 1;
}

/* One row as the JSON body POST /enterprises takes; town by its name. */
static json_t *row_json(req *r, const xlsx_sheet *sh, int i, const int *map, int *empty) {
  json_t *o = json_object(), *fig = NULL;
  *empty = 1;
  const char *year = NULL;
  for (int k = 0; k < NCOLS; k++) {
    const char *v = map[k] >= 0 ? xlsx_cell(sh, i, map[k]) : NULL;
    if (!v || !*v) continue;
    *empty = 0;
    switch (k) {
    case C_TOWN: {
      int64_t id = db_int1(r->db, 0, "SELECT id FROM units WHERE name = ? AND kind = 'town'", DBT(v));
      json_object_set_new(o, "town_unit_id", id ? json_integer(id) : json_string(v));
      break;
    }
    case C_FLAGS: json_object_set_new(o, "flags", flags_json(v)); break;
    case C_YEAR: year = v; break;
    case C_REVENUE:
    case C_TAX:
    case C_RD:
    case C_EMPLOYEES:
      if (!fig) fig = json_object();
      json_object_set_new(fig, fields[k], k == C_EMPLOYEES && is_int(v) ? json_integer(strtol(v, NULL, 10)) : json_string(v));
      break;
    default: json_object_set_new(o, fields[k], json_string(v));
    }
  }
  if (fig || year) {
    json_t *figs = json_object();
    json_object_set_new(figs, year ? year : "", fig ? fig : json_object());
    json_object_set_new(o, "figures", figs);
  }
  return o;
}

/* POST /api/v1/enterprises/import */
static void ents_import(req *r) {
  if (!r->body || r->body_len == 0) {
    field_error(r, "file", "请上传XLSX或CSV文件", "upload an XLSX or CSV file as the body");
    return reply_invalid(r);
  }
  char err[256] = "";
  int is_zip = r->body_len > 4 && memcmp(r->body, "PK\x03\x04", 4) == 0;
  xlsx_sheet *sh = is_zip ? xlsx_read_buffer(r->body, r->body_len, err, sizeof err) : csv_read_buffer(r->body, r->body_len, err, sizeof err);
  if (!sh) {
    field_error(r, "file", err, "the file cannot be read as XLSX or CSV");
    return reply_invalid(r);
  }
  int map[NCOLS];
  for (int k = 0; k < NCOLS; k++) map[k] = -1;
  int ncol = sh->nrows ? sh->rows[0].ncells : 0;
  for (int c = 0; c < ncol; c++) {
    const char *h = xlsx_cell(sh, 0, c);
    for (int k = 0; h && k < NCOLS; k++)
      if (strcmp(h, heads[k]) == 0) map[k] = c;
  }
  json_t *errors = json_array();
  for (int k = C_USCC; k <= C_TOWN; k++)
    if (map[k] < 0)
      json_array_append_new(errors, json_pack("{s:i, s:s, s:s, s:s}", "row", 1, "column", heads[k], "field", "header", "message",
                                              "缺少必需的列（统一社会信用代码、企业名称、所在街道） / the code, name and town columns are required"));
  int n = 0;
  ent_in *rows = arena_alloc(&r->a, sizeof *rows * (size_t)(sh->nrows + 1));
  json_t *bodies = json_array(); /* the rows' JSON: ent_in points into them */
  for (int i = 1; i < sh->nrows && json_array_size(errors) < 1000; i++) {
    int empty;
    json_t *o = row_json(r, sh, i, map, &empty);
    if (empty) {
      json_decref(o);
      continue;
    }
    json_array_append_new(bodies, o);
    ent_in *e = &rows[n++];
    memset(e, 0, sizeof *e);
    json_t *town = json_object_get(o, "town_unit_id");
    if (json_is_string(town)) {
      field_error(r, "town_unit_id", "没有这个街道或乡镇", "no town or street of this name");
      json_object_del(o, "town_unit_id");
    }
    ent_read(r, o, 0, e);
    /* the same code or name twice in the file */
    for (int k = 0; k < n - 1 && e->uscc; k++)
      if (rows[k].uscc && strcmp(rows[k].uscc, e->uscc) == 0) field_error(r, "uscc", "与前面的行重复", "repeats an earlier row");
    for (int k = 0; k < n - 1 && e->name; k++)
      if (rows[k].name && strcmp(rows[k].name, e->name) == 0) field_error(r, "name", "与前面的行重复", "repeats an earlier row");
    if (r->errors) {
      size_t j;
      json_t *x;
      json_array_foreach(r->errors, j, x) {
        const char *f = json_string_value(json_object_get(x, "field"));
        /* one error per field: an unknown town is not also "required" */
        int seen = 0;
        for (size_t k = 0; k < j; k++) seen |= strcmp(json_string_value(json_object_get(json_array_get(r->errors, k), "field")), f) == 0;
        if (seen) continue;
        json_array_append_new(errors, json_pack("{s:i, s:s, s:s, s:O}", "row", i + 1, "column", column_of(f), "field", f, "message",
                                                json_object_get(x, "message")));
      }
      json_decref(r->errors);
      r->errors = NULL;
    }
  }
  xlsx_free(sh);
  if (json_array_size(errors) > 0) {
    json_decref(bodies);
    reply_json(r, 422, json_pack("{s:i, s:s, s:s, s:o}", "status", 422, "title", "导入有误，未写入任何数据 / Import refused, nothing written",
                                 "detail", "请按行号修改后重新导入 / Fix the rows named and import again", "errors", errors));
    r->out_type = "application/problem+json";
    return;
  }
  json_decref(errors);
  if (n == 0) {
    json_decref(bodies);
    field_error(r, "file", "文件中没有数据行", "the file has no data rows");
    return reply_invalid(r);
  }
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  json_t *ids = json_array();
  for (int i = 0; rc == DB_OK && i < n; i++) {
    int64_t id = ent_insert(r->db, &rows[i], now);
    if (!id) rc = db_errcode(r->db);
    else json_array_append_new(ids, json_integer(id));
  }
  json_decref(bodies);
  json_t *after = json_pack("{s:i, s:o}", "created", n, "ids", ids);
  if (rc == DB_OK) rc = audit_log(r, "import", "enterprise", 0, NULL, after);
  commit_reply(r, rc, NULL, after, 201);
}

static const route ent_import_routes[] = {
    ROUTE("POST", "/api/v1/enterprises/import", ents_import, ROLE_ADMIN | ROLE_OFFICE,
          "导入企业名单（全部或全不）/ Import an enterprise list (all or nothing)", 20u << 20),
    {0},
};

static const module ent_import_module = {"ent_import", 74, ent_import_routes, NULL, NULL, NULL};
MODULE_REGISTER(ent_import_module)
