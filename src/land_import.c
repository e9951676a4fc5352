/*
 * land_import.c — import of the survey spreadsheet (入户调查表) into a
 * project's ledger: one household per row, validated exactly as the API
 * validates one (land_household_read), all or nothing.
 *
 * POST /api/v1/projects/{id}/households/import   raw XLSX (or CSV) body
 *   → 201 {created} or 422 {errors:[{row, column, field, message}]} with nothing written
 *
 * Columns by their header (first row), in any order: 村 组 户主 身份证号 电话
 * 集体土地(亩) 国有土地(亩) 房屋(栋) 房屋面积(m²) 备注 调查日期.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "land_http.h"
#include "projects.h"
#include "xlsx_read.h"

typedef struct col {
  const char *head, *field, *sub; /* sub: land_mu kind */
} col;

static const col cols[] = {
    {"村", "village", NULL},          {"组", "group", NULL},          {"户主", "head_name", NULL},
    {"身份证号", "id_number", NULL},   {"电话", "phone", NULL},        {"集体土地(亩)", "land_mu", "collective"},
    {"国有土地(亩)", "land_mu", "state"}, {"房屋(栋)", "houses", NULL}, {"房屋面积(m²)", "house_area_m2", NULL},
    {"备注", "notes", NULL},          {"调查日期", "surveyed_on", NULL},
};
enum { NCOLS = sizeof cols / sizeof cols[0] };

static const char *column_of(const char *field) {
  for (int i = 0; i < NCOLS; i++) {
    const char *f = cols[i].sub ? NULL : cols[i].field;
    char both[64];
    if (cols[i].sub) {
      snprintf(both, sizeof both, "%s.%s", cols[i].field, cols[i].sub);
      f = both;
    }
    if (strcmp(field, f) == 0) return cols[i].head;
  }
  return "";
}

static int is_int(const char *s) {
  if (!*s) return 0;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return 0;
  return strlen(s) < 10;
}

/* POST /api/v1/projects/{id}/households/import */
static void households_import(req *r) {
  int64_t project = req_id(r, 0);
  if (!project) return;
  int sc = land_project_scope(r, project);
  if (sc == PSCOPE_NONE) return reply_not_found(r, "项目", "Project");
  if (sc < PSCOPE_WRITE) return reply_forbidden(r, "只能修改本单位项目的征拆台账", "you may change only your units' land ledgers");
  if (!r->body || r->body_len == 0) {
    field_error(r, "body", "请上传XLSX或CSV文件", "upload an XLSX or CSV file as the body");
    return reply_problem(r, 400, "缺少文件 / No file", NULL);
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
      if (strcmp(h, cols[k].head) == 0) map[k] = c;
  }
  json_t *errors = json_array();
  if (map[0] < 0 || map[2] < 0)
    json_array_append_new(errors, json_pack("{s:i, s:s, s:s, s:s}", "row", 1, "column", map[0] < 0 ? "村" : "户主", "field", "header",
                                            "message", "缺少必需的列（村、户主） / the columns 村 and 户主 are required"));
  int n = 0;
  land_hh_in *rows = arena_alloc(&r->a, sizeof *rows * (size_t)(sh->nrows + 1));
  for (int i = 1; i < sh->nrows && json_array_size(errors) < 1000; i++) {
    json_t *o = json_object(), *lm = NULL;
    int empty = 1;
    for (int k = 0; k < NCOLS; k++) {
      const char *v = map[k] >= 0 ? xlsx_cell(sh, i, map[k]) : NULL;
      if (!v || !*v) continue;
      empty = 0;
      if (cols[k].sub) {
        if (!lm) lm = json_object();
        json_object_set_new(lm, cols[k].sub, json_string(v));
      } else if (strcmp(cols[k].field, "houses") == 0 && is_int(v)) {
        json_object_set_new(o, "houses", json_integer(strtol(v, NULL, 10)));
      } else {
        json_object_set_new(o, cols[k].field, json_string(v));
      }
    }
    if (lm) json_object_set_new(o, "land_mu", lm);
    if (empty) {
      json_decref(o);
      continue;
    }
    land_hh_in *h = &rows[n++];
    memset(h, 0, sizeof *h);
    h->outline = -1;
    land_household_read(r, o, h, 1);
    json_decref(o);
    if (r->errors) {
      size_t j;
      json_t *e;
      json_array_foreach(r->errors, j, e) {
        const char *f = json_string_value(json_object_get(e, "field"));
        json_array_append_new(errors, json_pack("{s:i, s:s, s:s, s:O}", "row", i + 1, "column", column_of(f), "field", f, "message",
                                                json_object_get(e, "message")));
      }
      json_decref(r->errors);
      r->errors = NULL;
    }
  }
  xlsx_free(sh);
  if (json_array_size(errors) > 0) {
    reply_json(r, 422, json_pack("{s:i, s:s, s:s, s:o}", "status", 422, "title", "导入有误，未写入任何数据 / Import refused, nothing written",
                                 "detail", "请按行号修改后重新导入 / Fix the rows named and import again", "errors", errors));
    r->out_type = "application/problem+json";
    return;
  }
  json_decref(errors);
  if (n == 0) {
    field_error(r, "file", "文件中没有数据行", "the file has no data rows");
    return reply_invalid(r);
  }
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  const char *today = land_today(&r->a), *now = now_rfc3339(&r->a);
  for (int i = 0; rc == DB_OK && i < n; i++)
    if (!land_household_insert(r->db, project, &rows[i], r->user.id, today, now)) rc = db_errcode(r->db);
  /* the project's roll-up once, after every row */
  if (rc == DB_OK) rc = land_rollup_project(r->db, project);
  json_t *after = json_pack("{s:I, s:i}", "project_id", (json_int_t)project, "created", n);
  if (rc == DB_OK) rc = audit_log(r, "import", "land_household", project, NULL, after);
  commit_reply(r, rc, NULL, after, 201);
}

static const route land_import_routes[] = {
    ROUTE("POST", "/api/v1/projects/{id}/households/import", households_import, ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT,
          "导入入户调查表（全部或全不）/ Import the survey spreadsheet (all or nothing)", 20u << 20),
    {0},
};

static const module land_import_module = {"land_import", 73, land_import_routes, NULL, NULL, NULL};
MODULE_REGISTER(land_import_module)
