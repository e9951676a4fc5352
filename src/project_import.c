/*
 * project_import.c — the Excel round trip of the project library: export
 * in the district's own column layout (Chinese headers) and import of the
 * same layout, from the API and the command line.
 *
 * GET  /api/v1/projects/export?format=xlsx|csv       office/admin/leader
 * POST /api/v1/projects/import[?dry_run=1]            office/admin; body: the raw XLSX or CSV file (≤ 20 MiB)
 *   dry_run → {total, create, update, unchanged, rows:[first 200], errors:[{row,column,field,message}]}
 *   else    → 200 {created, updated, unchanged} or 422 {errors} with nothing written
 * guatu import projects FILE.xlsx|FILE.csv --db DB [--dry-run]
 * guatu export projects --format xlsx|csv --out FILE --db DB
 *
 * An import is all or nothing: every row is validated first, then all rows
 * are written in one transaction, each project with its audit entry.  A
 * row whose values equal the stored project is "unchanged" and not written,
 * so re-importing an export changes nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "area.h"
#include "calendar_db.h"
#include "cli.h"
#include "export.h"
#include "money.h"
#include "projects.h"
#include "rollups.h"
#include "xlsx_read.h"

typedef struct col_def {
  const char *label, *field;
  int required;
} col_def;

static const col_def cols[] = {
    {"项目编号", "code", 1},      {"项目名称", "name", 1},          {"项目级别", "level", 1},
    {"项目类别", "category", 1},  {"产业链", "chain", 0},           {"项目阶段", "stage", 1},
    {"总投资", "total_investment", 0}, {"年度计划投资", "annual_plan", 0}, {"占地面积(亩)", "land_area_mu", 0},
    {"建设地点", "location", 0},  {"责任单位", "unit_id", 1},       {"联系领导", "leader_id", 0},
    {"指挥部", "hq_id", 0},       {"业主单位", "owner_unit_id", 0}, {"标签", "tags", 0},
};
enum { NCOLS = sizeof cols / sizeof *cols };

/* The year of 年度计划投资: the current one (GUATU_TODAY honoured, as for lights). */
static int this_year(db *d) {
  light_ctx lc;
  light_ctx_init(d, &lc, NULL, 0);
  return lc.year;
}

/* ---- export ---- */

static const char *name_of(db *d, arena *a, const char *sql, int64_t id) {
  if (!id) return "";
  db_stmt *st = db_query(d, sql, DBI(id));
  const char *s = st && db_step(st) == DB_ROW ? arena_strdup(a, db_text(st, 0)) : "";
  db_done(st);
  return s;
}

/* One export row per project (keys are the Chinese headers). */
static json_t *export_row(db *d, arena *a, int64_t id, const cfields *cf, int year) {
  proj_in p;
  if (proj_load(d, a, id, &p) != 0) return NULL;
  json_t *o = json_object();
  char buf[32];
  json_object_set_new(o, "项目编号", json_string(p.code));
  json_object_set_new(o, "项目名称", json_string(p.name));
  json_object_set_new(o, "项目级别", json_string(project_levels_zh[code_index(project_levels, p.level) < 0 ? 2 : code_index(project_levels, p.level)]));
  json_object_set_new(o, "项目类别", json_string(p.category));
  json_object_set_new(o, "产业链", json_string(p.chain ? p.chain : ""));
  int si = code_index(project_stages, p.stage);
  json_object_set_new(o, "项目阶段", json_string(si < 0 ? p.stage : project_stages_zh[si]));
  money_format_yuan(p.total, buf);
  json_object_set_new(o, "总投资", json_string(buf));
  db_stmt *st = db_query(d, "SELECT amount FROM project_plans WHERE project_id = ? AND year = ?", DBI(id), DBI(year));
  if (st && db_step(st) == DB_ROW) money_format_yuan(db_int(st, 0), buf);
  else buf[0] = 0;
  db_done(st);
  json_object_set_new(o, "年度计划投资", json_string(buf));
  area_format(p.land, buf);
  json_object_set_new(o, "占地面积(亩)", json_string(buf));
  json_object_set_new(o, "建设地点", json_string(p.location ? p.location : ""));
  json_object_set_new(o, "责任单位", json_string(name_of(d, a, "SELECT name FROM units WHERE id = ?", p.unit_id)));
  json_object_set_new(o, "联系领导", json_string(name_of(d, a, "SELECT name FROM users WHERE id = ?", p.leader_id)));
  json_object_set_new(o, "指挥部", json_string(name_of(d, a, "SELECT name FROM units WHERE id = ?", p.hq_id)));
  json_object_set_new(o, "业主单位", json_string(name_of(d, a, "SELECT name FROM units WHERE id = ?", p.owner_unit_id)));
  strbuf sb = STRBUF_INIT;
  st = db_query(d, "SELECT tag FROM project_tags WHERE project_id = ? ORDER BY tag", DBI(id));
  while (st && db_step(st) == DB_ROW) sb_addf(&sb, "%s%s", sb.len ? "、" : "", db_text(st, 0));
  db_done(st);
  json_object_set_new(o, "标签", json_string(sb_str(&sb)));
  sb_release(&sb);
  json_t *custom = NULL;
  st = db_query(d, "SELECT custom_json FROM projects WHERE id = ?", DBI(id));
  if (st && db_step(st) == DB_ROW && !db_isnull(st, 0)) custom = json_loads(db_text(st, 0), 0, NULL);
  db_done(st);
  for (int i = 0; i < cf->n; i++) {
    json_t *v = json_object_get(custom, cf->f[i].key);
    json_object_set_new(o, cf->f[i].label, json_string(v ? cfield_text(a, v) : ""));
  }
  json_decref(custom);
  return o;
}

static const char *columns_spec(arena *a, const cfields *cf) {
  strbuf sb = STRBUF_INIT;
  for (int i = 0; i < NCOLS; i++) sb_addf(&sb, "%s%s:%s", i ? "," : "", cols[i].label, cols[i].label);
  for (int i = 0; i < cf->n; i++) sb_addf(&sb, ",%s:%s", cf->f[i].label, cf->f[i].label);
  const char *s = arena_strdup(a, sb_str(&sb));
  sb_release(&sb);
  return s;
}

/* Every project (the scope fragment limits it for the API) as export rows. */
static json_t *export_items(db *d, arena *a, const char *where, int n, const db_val *args, const cfields *cf) {
  json_t *items = json_array();
  db_stmt *st = db_prepare(d, arena_printf(a, "SELECT p.id FROM projects p WHERE 1 = 1%s ORDER BY p.code", where), n, args);
  int64_t *ids = NULL;
  size_t nid = 0, cap = 0;
  while (st && db_step(st) == DB_ROW) {
    if (nid == cap) {
      int64_t *more = realloc(ids, sizeof *ids * (cap = cap ? cap * 2 : 256));
      if (!more) abort(); /* as the arena does: out of memory is fatal */
      ids = more;
    }
    ids[nid++] = db_int(st, 0);
  }
  db_done(st);
  int year = this_year(d);
  for (size_t i = 0; i < nid; i++) {
    json_t *o = export_row(d, a, ids[i], cf, year);
    if (o) json_array_append_new(items, o);
  }
  free(ids);
  return items;
}

/* GET /api/v1/projects/export?format=xlsx|csv */
static void projects_export(req *r) {
  static const char *const formats[] = {"xlsx", "csv", NULL};
  const char *format = qenum(r, "format", formats);
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val args[4];
  int n = 0;
  project_scope_sql(r, &w, args, &n);
  cfields cf;
  cfields_load(r->db, &r->a, &cf);
  json_t *items = export_items(r->db, &r->a, arena_strdup(&r->a, sb_str(&w)), n, args, &cf);
  sb_release(&w);
  export_reply(r, items, columns_spec(&r->a, &cf), format ? format : "xlsx");
  reply_header(r, "Content-Disposition",
               format && strcmp(format, "csv") == 0 ? "attachment; filename=\"projects.csv\"" : "attachment; filename=\"projects.xlsx\"");
  json_decref(cf.all);
  json_decref(items);
}

/* ---- import ---- */

typedef struct imp {
  db *d;
  arena *a;
  json_t *errors;
  int row; /* spreadsheet row number of the row being read */
  /* lead leaders already looked up: id, 0 unknown, -1 ambiguous */
  struct {
    const char *who;
    int64_t id;
  } leaders[512];
  int nleaders;
} imp;

static void imp_error(imp *m, const char *column, const char *field, const char *zh, const char *en) {
  json_array_append_new(m->errors, json_pack("{s:i, s:s, s:s, s:s}", "row", m->row, "column", column, "field", field,
                                             "message", arena_printf(m->a, "%s / %s", zh, en)));
}

/* A money cell: 0 and *fen set, or -1 with the row's error (unrecognised,
 * beyond MONEY_MAX_FEN, or negative). */
static int money_cell(imp *m, arena *a, const char *column, const char *field, const char *v, int64_t *fen) {
  int rc = money_parse(v, fen);
  if (rc == -2) {
    imp_error(m, column, field, arena_printf(a, "金额过大：「%s」，不得超过10万亿元", v),
              "amount too large: at most 10 trillion yuan (10000000000000)");
    return -1;
  }
  if (rc != 0) {
    imp_error(m, column, field, arena_printf(a, "金额格式无法识别：「%s」（例：5亿、12453万元）", v),
              "unrecognised amount (e.g. 5亿, 12453万元)");
    return -1;
  }
  if (*fen < 0) {
    imp_error(m, column, field, arena_printf(a, "金额不能为负数：「%s」", v), "must not be negative");
    return -1;
  }
  return 0;
}

static int64_t lookup_unit(imp *m, const char *name, const char *kind, const char *column, const char *field) {
  int64_t id = kind ? db_int1(m->d, 0, "SELECT id FROM units WHERE name = ? AND kind = ?", DBT(name), DBT(kind))
                    : db_int1(m->d, 0, "SELECT id FROM units WHERE name = ?", DBT(name));
  if (!id)
    imp_error(m, column, field, arena_printf(m->a, "找不到单位「%s」", name), arena_printf(m->a, "unknown unit \"%s\"", name));
  return id;
}

static int64_t lookup_leader(imp *m, const char *who) {
  /* A province file names a few hundred leaders on 50,000 rows, and users.name
   * has no index: remember each answer instead of scanning users per row. */
  int64_t id = -2;
  for (int i = 0; i < m->nleaders; i++)
    if (strcmp(m->leaders[i].who, who) == 0) {
      id = m->leaders[i].id;
      break;
    }
  if (id == -2) {
    id = db_int1(m->d, 0, "SELECT id FROM users WHERE login = ? AND roles LIKE ?", DBT(who), DBT("%leader%"));
    if (!id && db_int1(m->d, 0, "SELECT COUNT(*) FROM users WHERE name = ? AND roles LIKE ?", DBT(who), DBT("%leader%")) > 1)
      id = -1;
    else if (!id)
      id = db_int1(m->d, 0, "SELECT id FROM users WHERE name = ? AND roles LIKE ?", DBT(who), DBT("%leader%"));
    if (m->nleaders < (int)(sizeof m->leaders / sizeof *m->leaders)) {
      m->leaders[m->nleaders].who = arena_strdup(m->a, who);
      m->leaders[m->nleaders++].id = id;
    }
  }
  if (id == -1) {
    imp_error(m, "联系领导", "leader_id", arena_printf(m->a, "「%s」重名，请填写登录名", who), "ambiguous name; use the login");
    return 0;
  }
  if (!id)
    imp_error(m, "联系领导", "leader_id", arena_printf(m->a, "找不到领导「%s」", who), arena_printf(m->a, "no leader \"%s\"", who));
  return id;
}

static int str_eq(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

static int proj_equal(const proj_in *a, const proj_in *b) {
  return str_eq(a->code, b->code) && str_eq(a->name, b->name) && str_eq(a->level, b->level) &&
         str_eq(a->category, b->category) && str_eq(a->chain, b->chain) && str_eq(a->stage, b->stage) &&
         str_eq(a->location, b->location) && a->unit_id == b->unit_id && a->leader_id == b->leader_id &&
         a->hq_id == b->hq_id && a->owner_unit_id == b->owner_unit_id && a->total == b->total && a->land == b->land &&
         json_equal(a->plan, b->plan) && json_equal(a->tags, b->tags) && json_equal(a->custom, b->custom);
}

/* Loads plans, tags and custom values of a project into p. */
static void proj_load_rest(db *d, int64_t id, proj_in *p) {
  p->plan = json_object();
  db_stmt *st = db_query(d, "SELECT year, amount FROM project_plans WHERE project_id = ?", DBI(id));
  while (st && db_step(st) == DB_ROW) {
    char y[16];
    snprintf(y, sizeof y, "%lld", (long long)db_int(st, 0));
    json_object_set_new(p->plan, y, json_integer(db_int(st, 1)));
  }
  db_done(st);
  p->tags = json_array();
  st = db_query(d, "SELECT tag FROM project_tags WHERE project_id = ? ORDER BY tag", DBI(id));
  while (st && db_step(st) == DB_ROW) json_array_append_new(p->tags, json_string(db_text(st, 0)));
  db_done(st);
  st = db_query(d, "SELECT custom_json FROM projects WHERE id = ?", DBI(id));
  if (st && db_step(st) == DB_ROW && !db_isnull(st, 0)) p->custom = json_loads(db_text(st, 0), 0, NULL);
  db_done(st);
  if (!p->custom) p->custom = json_object();
}

static int tag_cmp(const void *x, const void *y) {
  return strcmp(json_string_value(*(json_t *const *)x), json_string_value(*(json_t *const *)y));
}

typedef struct imp_row {
  int row;
  int64_t id; /* 0: new */
  int action; /* 0 create, 1 update, 2 unchanged */
  proj_in p;
} imp_row;

/* Validates and (unless dry_run or on errors) writes.  Returns the HTTP
 * status and the answer; or 0 when it wrote, with the outcome in *rc and
 * the transaction left for the caller to end (import_end, commit_reply). */
static int import_run(db *d, arena *a, const audit_actor *who, const char *data, size_t len, int dry_run, json_t **out,
                      int *rc_out) {
  char err[256];
  xlsx_sheet *sh = len >= 2 && data[0] == 'P' && data[1] == 'K' ? xlsx_read_buffer(data, len, err, sizeof err)
                                                                : csv_read_buffer(data, len, err, sizeof err);
  if (!sh) {
    *out = json_pack("{s:i, s:s, s:s, s:[{s:i, s:s, s:s, s:s}]}", "status", 400, "title", "文件无法读取 / Unreadable file",
                     "detail", err, "errors", "row", 0, "column", "", "field", "file", "message", err);
    return 400;
  }
  imp m = {d, a, json_array(), 1};
  cfields cf;
  cfields_load(d, a, &cf);
  int colidx[NCOLS];
  int *cfidx = arena_alloc(a, sizeof *cfidx * (size_t)(cf.n + 1));
  for (int c = 0; c < NCOLS; c++) colidx[c] = -1;
  for (int c = 0; c < cf.n; c++) cfidx[c] = -1;
  int ncol = sh->nrows ? sh->rows[0].ncells : 0;
  for (int k = 0; k < ncol; k++) {
    const char *h = xlsx_cell(sh, 0, k);
    for (int c = 0; c < NCOLS; c++)
      if (strcmp(h, cols[c].label) == 0) colidx[c] = k;
    for (int c = 0; c < cf.n; c++)
      if (strcmp(h, cf.f[c].label) == 0) cfidx[c] = k;
  }
  for (int c = 0; c < NCOLS; c++)
    if (cols[c].required && colidx[c] < 0)
      imp_error(&m, cols[c].label, cols[c].field, arena_printf(a, "缺少必需的列「%s」", cols[c].label),
                arena_printf(a, "the required column \"%s\" is missing", cols[c].label));
  int year = this_year(d);
  char ybuf[16];
  snprintf(ybuf, sizeof ybuf, "%d", year);
  int nrows = 0;
  imp_row *rows = arena_alloc(a, sizeof *rows * (size_t)(sh->nrows + 1));
  json_t *seen = json_object();
  int creates = 0, updates = 0, unchanged = 0;
#define CELL(c) (colidx[c] >= 0 ? xlsx_cell(sh, i, colidx[c]) : NULL)
  for (int i = 1; i < sh->nrows && json_array_size(m.errors) < 1000; i++) {
    int empty = 1;
    for (int k = 0; k < sh->rows[i].ncells; k++)
      if (sh->rows[i].cells[k] && *sh->rows[i].cells[k]) empty = 0;
    if (empty) continue;
    m.row = i + 1;
    imp_row *ir = &rows[nrows++];
    ir->row = m.row;
    const char *code = CELL(0);
    if (!code || !*code) {
      imp_error(&m, "项目编号", "code", "必填", "required");
      continue;
    }
    if (strlen(code) > 32) imp_error(&m, "项目编号", "code", "不超过32字节", "at most 32 bytes");
    if (json_object_get(seen, code)) {
      imp_error(&m, "项目编号", "code",
                arena_printf(a, "项目编号「%s」与第%d行重复", code, (int)json_integer_value(json_object_get(seen, code))),
                arena_printf(a, "duplicate code \"%s\" (also on row %d)", code, (int)json_integer_value(json_object_get(seen, code))));
      continue;
    }
    json_object_set_new(seen, code, json_integer(m.row));
    ir->id = db_int1(d, 0, "SELECT id FROM projects WHERE code = ?", DBT(code));
    proj_in old;
    memset(&old, 0, sizeof old);
    if (ir->id) {
      proj_load(d, a, ir->id, &old);
      proj_load_rest(d, ir->id, &old);
    } else {
      old.stage = "reserve";
      old.plan = json_object();
      old.tags = json_array();
      old.custom = json_object();
    }
    proj_in p = old;
    p.plan = json_deep_copy(old.plan);
    p.tags = json_deep_copy(old.tags);
    p.custom = json_deep_copy(old.custom);
    p.code = arena_strdup(a, code);
    const char *v;
    if ((v = CELL(1))) {
      if (!*v || strlen(v) > 200) imp_error(&m, "项目名称", "name", "必填，不超过200字节", "required, at most 200 bytes");
      p.name = arena_strdup(a, v);
    }
    if ((v = CELL(2))) {
      int k = code_index(project_levels_zh, v);
      if (k < 0) k = code_index(project_levels, v);
      if (k < 0) imp_error(&m, "项目级别", "level", "应为省重点、市重点或区重点", "must be 省重点, 市重点 or 区重点");
      else p.level = project_levels[k];
    }
    if ((v = CELL(3))) {
      if (db_int1(d, 0, "SELECT COUNT(*) FROM project_categories WHERE name = ?", DBT(v)) == 0)
        imp_error(&m, "项目类别", "category", arena_printf(a, "没有项目类别「%s」", v), "no such project category");
      p.category = arena_strdup(a, v);
    }
    if ((v = CELL(4))) p.chain = *v ? arena_strdup(a, v) : NULL;
    if ((v = CELL(5))) {
      int k = code_index(project_stages_zh, v);
      if (k < 0) k = code_index(project_stages, v);
      if (k < 0) imp_error(&m, "项目阶段", "stage", "应为储备、前期、在建、竣工或投产", "must be 储备, 前期, 在建, 竣工 or 投产");
      else p.stage = project_stages[k];
    }
    if ((v = CELL(6))) {
      int64_t fen = 0;
      if (*v) money_cell(&m, a, "总投资", "total_investment", v, &fen);
      p.total = fen;
    }
    if ((v = CELL(7)) && *v) {
      int64_t fen = 0;
      if (money_cell(&m, a, "年度计划投资", "annual_plan", v, &fen) == 0) json_object_set_new(p.plan, ybuf, json_integer(fen));
    }
    if ((v = CELL(8))) {
      int64_t hmu = 0;
      if (*v && area_parse(v, &hmu) != 0)
        imp_error(&m, "占地面积(亩)", "land_area_mu", arena_printf(a, "面积格式无法识别：「%s」", v), "unrecognised area (e.g. 40.5)");
      p.land = hmu;
    }
    if ((v = CELL(9))) p.location = *v ? arena_strdup(a, v) : NULL;
    if ((v = CELL(10))) p.unit_id = *v ? lookup_unit(&m, v, NULL, "责任单位", "unit_id") : 0;
    if (!p.unit_id && !(v && *v)) imp_error(&m, "责任单位", "unit_id", "必填", "required");
    if ((v = CELL(11))) p.leader_id = *v ? lookup_leader(&m, v) : 0;
    if ((v = CELL(12))) p.hq_id = *v ? lookup_unit(&m, v, "hq", "指挥部", "hq_id") : 0;
    if ((v = CELL(13))) p.owner_unit_id = *v ? lookup_unit(&m, v, "enterprise", "业主单位", "owner_unit_id") : 0;
    if ((v = CELL(14))) {
      json_decref(p.tags);
      p.tags = json_array();
      for (const char *t = v; *t;) {
        const char *e = strstr(t, "、");
        size_t len2 = e ? (size_t)(e - t) : strlen(t);
        if (len2 > 48) imp_error(&m, "标签", "tags", "每个标签不超过48字节", "each tag at most 48 bytes");
        else if (len2) {
          json_t *tag = json_stringn(t, len2);
          size_t q;
          json_t *x;
          int dup = 0;
          json_array_foreach(p.tags, q, x) {
            dup |= json_equal(x, tag);
          }
          if (dup) json_decref(tag);
          else json_array_append_new(p.tags, tag);
        }
        t = e ? e + strlen("、") : t + len2;
      }
      /* the stored tags come back sorted, so compare sorted */
      size_t nt = json_array_size(p.tags);
      json_t **tv = arena_alloc(a, sizeof *tv * (nt + 1));
      for (size_t q = 0; q < nt; q++) tv[q] = json_incref(json_array_get(p.tags, q));
      qsort(tv, nt, sizeof *tv, tag_cmp);
      json_array_clear(p.tags);
      for (size_t q = 0; q < nt; q++) json_array_append_new(p.tags, tv[q]);
    }
    for (int c = 0; c < cf.n; c++) {
      if (cfidx[c] < 0) continue;
      v = xlsx_cell(sh, i, cfidx[c]);
      if (!*v) {
        json_object_del(p.custom, cf.f[c].key);
        continue;
      }
      json_t *norm, *in = json_string(v);
      const char *zh, *en;
      if (cfield_value(&cf.f[c], in, &norm, &zh, &en, a) != 0) imp_error(&m, cf.f[c].label, arena_printf(a, "custom.%s", cf.f[c].key), zh, en);
      else json_object_set_new(p.custom, cf.f[c].key, norm);
      json_decref(in);
    }
    for (int c = 0; c < cf.n; c++)
      if (cf.f[c].required && !json_object_get(p.custom, cf.f[c].key))
        imp_error(&m, cf.f[c].label, arena_printf(a, "custom.%s", cf.f[c].key), "必填", "required");
    ir->p = p;
    ir->action = !ir->id ? 0 : proj_equal(&old, &p) ? 2 : 1;
    if (ir->action == 0) creates++;
    else if (ir->action == 1) updates++;
    else unchanged++;
    json_decref(old.plan);
    json_decref(old.tags);
    json_decref(old.custom);
  }
#undef CELL
  json_decref(seen);
  int nerr = (int)json_array_size(m.errors);
  int status = 200;
  if (dry_run || nerr) {
    json_t *list = json_array();
    for (int i = 0; i < nrows && i < 200; i++) {
      imp_row *ir = &rows[i];
      if (!ir->p.code) continue;
      char t[32], pl[32] = "";
      money_format_yuan(ir->p.total, t);
      json_t *py = ir->p.plan ? json_object_get(ir->p.plan, ybuf) : NULL;
      if (py) money_format_yuan(json_integer_value(py), pl);
      json_array_append_new(
          list, json_pack("{s:i, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s, s:s, s:O?}", "row", ir->row, "action",
                          ir->action == 0 ? "create" : ir->action == 1 ? "update" : "unchanged", "code", ir->p.code, "name",
                          ir->p.name, "level", ir->p.level, "category", ir->p.category, "stage", ir->p.stage,
                          "total_investment", t, "annual_plan", pl, "tags", ir->p.tags));
    }
    *out = json_pack("{s:i, s:i, s:i, s:i, s:o, s:o}", "total", nrows, "create", creates, "update", updates, "unchanged",
                     unchanged, "rows", list, "errors", m.errors);
    if (nerr && !dry_run) {
      json_object_set_new(*out, "status", json_integer(422));
      json_object_set_new(*out, "title", json_string("导入有误，未写入任何数据 / Import rejected; nothing was written"));
      status = 422;
    }
  } else {
    const calendar *cal = cal_acquire(d);
    light_ctx lc;
    light_ctx_init(d, &lc, cal, 0);
    const char *at = now_rfc3339(a);
    int rc = db_begin(d);
    /* each unit's dashboard figures once at the end, not once per row */
    rollup_defer_begin();
    for (int i = 0; rc == DB_OK && i < nrows; i++) {
      imp_row *ir = &rows[i];
      if (ir->action == 2) continue;
      json_t *before = ir->id ? project_json(d, ir->id, &lc) : NULL;
      int64_t id = proj_store(d, &ir->p, ir->id, at);
      json_t *after = id ? project_json(d, id, &lc) : NULL;
      rc = after ? audit_write(d, who, ir->id ? "update" : "create", "project", id, before, after) : db_errcode(d);
      json_decref(before);
      json_decref(after);
    }
    int grc = rollup_defer_end(d);
    if (rc == DB_OK) rc = grc;
    if (rc == DB_OK) {
      json_t *summary = json_pack("{s:i, s:i, s:i}", "created", creates, "updated", updates, "unchanged", unchanged);
      rc = audit_write(d, who, "import", "projects", 0, NULL, summary);
      json_decref(summary);
    }
    cal_release(cal);
    json_decref(m.errors);
    *out = json_pack("{s:i, s:i, s:i}", "created", creates, "updated", updates, "unchanged", unchanged);
    *rc_out = rc;
    status = 0;
  }
  for (int i = 0; i < nrows; i++) {
    json_decref(rows[i].p.plan);
    json_decref(rows[i].p.tags);
    json_decref(rows[i].p.custom);
  }
  json_decref(cf.all);
  xlsx_free(sh);
  return status;
}

/* Ends the transaction import_run left (the command line's commit_reply):
 * the status and answer of the import. */
static int import_end(db *d, int rc, json_t **out) {
  if (rc == DB_OK) rc = db_commit(d);
  if (rc == DB_OK) return 200;
  db_rollback(d);
  json_decref(*out);
  *out = json_pack("{s:i, s:s, s:s}", "status", 500, "title", "导入失败 / Import failed", "detail", db_errmsg(d));
  return rc == DB_BUSY ? 503 : rc == DB_CONSTRAINT ? 409 : 500;
}

/* POST /api/v1/projects/import?dry_run=1 — body: the XLSX or CSV file */
static void projects_import(req *r) {
  int dry = req_arg(r, "dry_run") && strcmp(req_arg(r, "dry_run"), "0") != 0 && strcmp(req_arg(r, "dry_run"), "false") != 0;
  if (!r->body || r->body_len == 0) {
    field_error(r, "body", "请上传XLSX或CSV文件", "upload an XLSX or CSV file as the body");
    return reply_problem(r, 400, "缺少文件 / No file", NULL);
  }
  json_t *out = NULL;
  audit_actor who = {r->user.id, r->user.login, r->ip};
  int rc = DB_OK;
  int status = import_run(r->db, &r->a, &who, r->body, r->body_len, dry, &out, &rc);
  if (status == 0) return commit_reply(r, rc, NULL, out, 200);
  reply_json(r, (unsigned)status, out);
  if (status >= 400) r->out_type = "application/problem+json";
}

/* ---- the command line ---- */

static const char import_usage[] =
    "guatu import projects FILE.xlsx|FILE.csv --db DB [--dry-run]   import the project library (all or nothing)";
static const char export_usage[] = "guatu export projects --format xlsx|csv --out FILE --db DB   export the project library";

static int cmd_import(int argc, char **argv) {
  if (cli_wants_help(argc, argv)) return printf("%s\n", import_usage), 0;
  if (argc < 3 || strcmp(argv[1], "projects") != 0 || argv[2][0] == '-') {
    fprintf(stderr, "usage: %s\n", import_usage);
    return 2;
  }
  FILE *f = fopen(argv[2], "rb");
  struct stat st;
  if (!f || fstat(fileno(f), &st) != 0 || st.st_size > (20 << 20)) {
    fprintf(stderr, "guatu import: cannot read %s (missing or over 20 MiB)\n", argv[2]);
    if (f) fclose(f);
    return 1;
  }
  char *data = malloc((size_t)st.st_size + 1);
  if (!data) abort();
  size_t len = fread(data, 1, (size_t)st.st_size, f);
  fclose(f);
  db *d = cli_open_db(argc, argv, import_usage);
  if (!d) {
    free(data);
    return 1;
  }
  arena a;
  arena_init(&a);
  json_t *out = NULL;
  int dbrc = DB_OK;
  int status = import_run(d, &a, &audit_cli, data, len, cli_flag(argc, argv, "--dry-run"), &out, &dbrc);
  if (status == 0) status = import_end(d, dbrc, &out);
  free(data);
  json_t *errors = json_object_get(out, "errors");
  size_t i;
  json_t *e;
  json_array_foreach(errors, i, e) {
    fprintf(stderr, "第%lld行 row %lld, %s: %s\n", (long long)json_integer_value(json_object_get(e, "row")),
            (long long)json_integer_value(json_object_get(e, "row")), json_string_value(json_object_get(e, "column")),
            json_string_value(json_object_get(e, "message")));
  }
  int rc = 0;
  if (status != 200) {
    if (!json_array_size(errors)) fprintf(stderr, "guatu import: %s\n", json_string_value(json_object_get(out, "detail")));
    fprintf(stderr, "guatu import: nothing was written\n");
    rc = 1;
  } else if (json_object_get(out, "created")) {
    printf("created %lld, updated %lld, unchanged %lld\n", (long long)json_integer_value(json_object_get(out, "created")),
           (long long)json_integer_value(json_object_get(out, "updated")),
           (long long)json_integer_value(json_object_get(out, "unchanged")));
  } else {
    printf("dry run: %lld rows, would create %lld, update %lld, unchanged %lld\n",
           (long long)json_integer_value(json_object_get(out, "total")),
           (long long)json_integer_value(json_object_get(out, "create")),
           (long long)json_integer_value(json_object_get(out, "update")),
           (long long)json_integer_value(json_object_get(out, "unchanged")));
  }
  json_decref(out);
  arena_release(&a);
  db_close(d);
  return rc;
}

static int cmd_export(int argc, char **argv) {
  if (cli_wants_help(argc, argv)) return printf("%s\n", export_usage), 0;
  const char *format = cli_opt(argc, argv, "--format"), *path = cli_opt(argc, argv, "--out");
  if (argc < 2 || strcmp(argv[1], "projects") != 0 || !path || (format && strcmp(format, "xlsx") != 0 && strcmp(format, "csv") != 0)) {
    fprintf(stderr, "usage: %s\n", export_usage);
    return 2;
  }
  if (!format) format = "xlsx";
  db *d = cli_open_db(argc, argv, export_usage);
  if (!d) return 1;
  arena a;
  arena_init(&a);
  cfields cf;
  cfields_load(d, &a, &cf);
  json_t *items = export_items(d, &a, "", 0, NULL, &cf);
  export_col *ec;
  int nc = export_columns(&a, columns_spec(&a, &cf), items, &ec);
  int rc = 0;
  if (strcmp(format, "xlsx") == 0) {
    rc = export_xlsx_file(path, "项目库", items, ec, nc) == 0 ? 0 : 1;
  } else {
    FILE *f = fopen(path, "wb");
    if (!f) rc = 1;
    else {
      fputs("\xEF\xBB\xBF", f);
      size_t i;
      json_t *it;
      for (int c = 0; c < nc; c++) fprintf(f, "%s\"%s\"", c ? "," : "", export_safe_text(&a, ec[c].label));
      fputs("\r\n", f);
      json_array_foreach(items, i, it) {
        for (int c = 0; c < nc; c++) {
          const char *s = export_safe_text(&a, export_cell_text(&a, json_object_get(it, ec[c].key)));
          fputs(c ? ",\"" : "\"", f);
          for (; *s; s++) fputs(*s == '"' ? "\"\"" : (char[2]){*s, 0}, f);
          fputc('"', f);
        }
        fputs("\r\n", f);
      }
      rc = fclose(f) == 0 ? 0 : 1;
    }
  }
  if (rc) fprintf(stderr, "guatu export: cannot write %s\n", path);
  else printf("exported %zu projects to %s\n", json_array_size(items), path);
  json_decref(items);
  json_decref(cf.all);
  arena_release(&a);
  db_close(d);
  return rc;
}

static const command import_cmd = {"import", import_usage, cmd_import};
COMMAND_REGISTER(import_cmd)
static const command export_cmd = {"export", export_usage, cmd_export};
COMMAND_REGISTER(export_cmd)

/* Order 29: these fixed paths must be matched before /api/v1/projects/{id}. */
static const route import_routes[] = {
    ROUTE("GET", "/api/v1/projects/export", projects_export, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER,
          "导出项目库（导入格式） / Export the project library (import layout)", 0),
    ROUTE("POST", "/api/v1/projects/import", projects_import, ROLE_ADMIN | ROLE_OFFICE,
          "导入项目库（XLSX/CSV，全部成功或全部不写） / Import projects (all or nothing)", 20u << 20),
    {0},
};

static const module import_module = {"project-import", 29, import_routes, NULL, NULL, NULL};
MODULE_REGISTER(import_module)
