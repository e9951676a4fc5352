/*
 * api.c — the API conventions in code: field errors in Chinese and English,
 * strict JSON input (unknown fields and wrong types are named, never a
 * 500), exact money and area on the wire, paging, sorting and list replies
 * (JSON, or the same rows as XLSX/CSV for "export exactly what is shown").
 */
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "calendar.h"
#include "export.h"
#include "http.h"
#include "money.h"

void field_error(req *r, const char *field, const char *zh, const char *en) {
  if (!r->errors) r->errors = json_array();
  json_array_append_new(r->errors, json_pack("{s:s, s:s}", "field", field, "message",
                                             arena_printf(&r->a, "%s / %s", zh, en)));
}

int has_errors(const req *r) { return r->errors && json_array_size(r->errors) > 0; }

json_t *req_json(req *r, const char *const *allowed) {
  json_error_t je;
  if (!r->body || r->body_len == 0) {
    field_error(r, "body", "请求体为空，需要JSON对象", "the body is empty; a JSON object is expected");
    reply_problem(r, 400, "请求体无效 / Invalid body", "需要JSON对象 / A JSON object is expected");
    return NULL;
  }
  json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
  if (!j) {
    field_error(r, "body", arena_printf(&r->a, "JSON格式错误（第%d行第%d列）：%s", je.line, je.column, je.text),
                arena_printf(&r->a, "malformed JSON at line %d column %d: %s", je.line, je.column, je.text));
    reply_problem(r, 400, "JSON格式错误 / Malformed JSON", NULL);
    return NULL;
  }
  if (!json_is_object(j)) {
    json_decref(j);
    field_error(r, "body", "需要JSON对象", "a JSON object is expected");
    reply_problem(r, 400, "请求体无效 / Invalid body", "需要JSON对象 / A JSON object is expected");
    return NULL;
  }
  const char *key;
  json_t *v;
  json_object_foreach(j, key, v) {
    int ok = 0;
    for (const char *const *a = allowed; a && *a; a++)
      if (strcmp(*a, key) == 0) ok = 1;
    if (!ok) field_error(r, key, "未知字段", "unknown field");
  }
  if (has_errors(r)) {
    json_decref(j);
    reply_problem(r, 400, "包含未知字段 / Unknown fields", "请删除errors中列出的字段 / Remove the fields listed in errors");
    return NULL;
  }
  r->body_json = j; /* freed when the request ends */
  return j;
}

static int fetch(req *r, json_t *o, const char *field, int required, json_t **v) {
  *v = o ? json_object_get(o, field) : NULL;
  if (!*v || json_is_null(*v)) {
    if (required) {
      field_error(r, field, "必填", "required");
      return JV_BAD;
    }
    return *v ? JV_NULL : JV_ABSENT;
  }
  return JV_SET;
}

static int bad_type(req *r, const char *field, const char *zh, const char *en) {
  field_error(r, field, zh, en);
  return JV_BAD;
}

int jstr(req *r, json_t *o, const char *field, int required, size_t maxlen, const char **out) {
  json_t *v;
  int st = fetch(r, o, field, required, &v);
  if (st != JV_SET) return st;
  if (!json_is_string(v)) return bad_type(r, field, "应为字符串", "must be a string");
  const char *s = json_string_value(v);
  size_t len = json_string_length(v);
  if (strlen(s) != len) return bad_type(r, field, "不能包含空字符", "must not contain NUL characters");
  /* Trim ASCII spaces: people paste values with stray blanks. */
  while (*s == ' ' || *s == '\t') s++, len--;
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
  if (required && len == 0) return bad_type(r, field, "不能为空", "must not be empty");
  if (maxlen && len > maxlen)
    return bad_type(r, field, arena_printf(&r->a, "不能超过%zu字节", maxlen),
                    arena_printf(&r->a, "must be at most %zu bytes", maxlen));
  *out = arena_strndup(&r->a, s, len);
  return JV_SET;
}

int jsecret(req *r, json_t *o, const char *field, int required, size_t maxlen, const char **out) {
  json_t *v;
  int st = fetch(r, o, field, required, &v);
  if (st != JV_SET) return st;
  if (!json_is_string(v)) return bad_type(r, field, "应为字符串", "must be a string");
  const char *s = json_string_value(v);
  size_t len = json_string_length(v);
  if (strlen(s) != len) return bad_type(r, field, "不能包含空字符", "must not contain NUL characters");
  if (required && len == 0) return bad_type(r, field, "不能为空", "must not be empty");
  if (maxlen && len > maxlen)
    return bad_type(r, field, arena_printf(&r->a, "不能超过%zu字节", maxlen),
                    arena_printf(&r->a, "must be at most %zu bytes", maxlen));
  *out = arena_strndup(&r->a, s, len);
  return JV_SET;
}

int jint(req *r, json_t *o, const char *field, int required, int64_t min, int64_t max, int64_t *out) {
  json_t *v;
  int st = fetch(r, o, field, required, &v);
  if (st != JV_SET) return st;
  if (!json_is_integer(v)) return bad_type(r, field, "应为整数", "must be an integer");
  int64_t x = json_integer_value(v);
  if (x < min || x > max)
    return bad_type(r, field, arena_printf(&r->a, "应在%lld到%lld之间", (long long)min, (long long)max),
                    arena_printf(&r->a, "must be between %lld and %lld", (long long)min, (long long)max));
  *out = x;
  return JV_SET;
}

int jbool(req *r, json_t *o, const char *field, int required, int *out) {
  json_t *v;
  int st = fetch(r, o, field, required, &v);
  if (st != JV_SET) return st;
  if (!json_is_boolean(v)) return bad_type(r, field, "应为true或false", "must be true or false");
  *out = json_is_true(v);
  return JV_SET;
}

int json_money_read(const json_t *v, int64_t *fen, const char **zh, const char **en) {
  int64_t x = 0;
  int rc;
  if (json_is_integer(v)) {
    json_int_t y = json_integer_value(v);
    rc = y > MONEY_MAX_YUAN || y < -MONEY_MAX_YUAN ? -2 : 0;
    if (!rc) x = y * 100;
  } else if (json_is_real(v)) {
    rc = money_from_double(json_real_value(v), &x);
    if (rc == -1) {
      *zh = "金额最多精确到分";
      *en = "amount must be whole fen (at most 2 decimals of yuan)";
      return -1;
    }
  } else if (json_is_string(v)) {
    rc = money_parse(json_string_value(v), &x);
    if (rc == -1) {
      *zh = "金额格式无法识别（例：5亿、3.66亿元、12453万元、1234.56）";
      *en = "unrecognised amount (e.g. 5亿, 3.66亿元, 12453万元, 1234.56)";
      return -1;
    }
  } else {
    *zh = "金额应为数字或字符串";
    *en = "amount must be a number or a string";
    return -1;
  }
  if (rc != 0) {
    *zh = "金额过大：不得超过10万亿元";
    *en = "amount too large: at most 10 trillion yuan (10000000000000)";
    return -1;
  }
  if (x < 0) {
    *zh = "金额不能为负";
    *en = "amount must not be negative";
    return -1;
  }
  *fen = x;
  return 0;
}

int jmoney_value(req *r, const char *field, json_t *v, int64_t *fen) {
  const char *zh, *en;
  if (json_money_read(v, fen, &zh, &en) != 0) return bad_type(r, field, zh, en);
  return JV_SET;
}

int jmoney(req *r, json_t *o, const char *field, int required, int64_t *fen) {
  json_t *v;
  int st = fetch(r, o, field, required, &v);
  if (st != JV_SET) return st;
  return jmoney_value(r, field, v, fen);
}

int jarea(req *r, json_t *o, const char *field, int required, int64_t *hmu) {
  json_t *v;
  int st = fetch(r, o, field, required, &v);
  if (st != JV_SET) return st;
  int64_t x;
  char buf[64];
  if (json_is_integer(v)) {
    snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
  } else if (json_is_real(v)) {
    snprintf(buf, sizeof buf, "%.2f", json_real_value(v));
    int64_t check;
    if (money_from_double(json_real_value(v), &check) != 0)
      return bad_type(r, field, "面积最多两位小数", "area must have at most 2 decimals");
  } else if (json_is_string(v)) {
    snprintf(buf, sizeof buf, "%s", json_string_value(v));
  } else {
    return bad_type(r, field, "面积应为数字或字符串（亩）", "area must be a number or a string of 亩");
  }
  if (area_parse(buf, &x) != 0)
    return bad_type(r, field, "面积格式无法识别（例：4191.26亩）", "unrecognised area (e.g. 4191.26亩)");
  if (x < 0) return bad_type(r, field, "面积不能为负", "area must not be negative");
  *hmu = x;
  return JV_SET;
}

int jdate(req *r, json_t *o, const char *field, int required, const char **out) {
  const char *s;
  int st = jstr(r, o, field, required, 10, &s);
  if (st != JV_SET) return st;
  int32_t day;
  if (date_parse(s, &day) != 0)
    return bad_type(r, field, "日期应为YYYY-MM-DD且有效", "must be a valid date YYYY-MM-DD");
  *out = s;
  return JV_SET;
}

int jmonth(req *r, json_t *o, const char *field, int required, const char **out) {
  const char *s;
  int st = jstr(r, o, field, required, 7, &s);
  if (st != JV_SET) return st;
  int y, m;
  if (month_parse(s, &y, &m) != 0) return bad_type(r, field, "月份应为YYYY-MM", "must be a month YYYY-MM");
  *out = s;
  return JV_SET;
}

static const char *join_values(req *r, const char *const *values) {
  strbuf sb = STRBUF_INIT;
  for (const char *const *v = values; *v; v++) sb_addf(&sb, "%s%s", v == values ? "" : "|", *v);
  const char *s = arena_strdup(&r->a, sb_str(&sb));
  sb_release(&sb);
  return s;
}

int jenum(req *r, json_t *o, const char *field, int required, const char *const *values, const char **out) {
  const char *s;
  int st = jstr(r, o, field, required, 64, &s);
  if (st != JV_SET) return st;
  for (const char *const *v = values; *v; v++)
    if (strcmp(*v, s) == 0) {
      *out = *v;
      return JV_SET;
    }
  const char *all = join_values(r, values);
  return bad_type(r, field, arena_printf(&r->a, "应为以下之一：%s", all), arena_printf(&r->a, "must be one of %s", all));
}

int64_t qint(req *r, const char *name, int64_t min, int64_t max, int64_t dflt) {
  const char *s = req_arg(r, name);
  if (!s || !*s) return dflt;
  char *end;
  long long v = strtoll(s, &end, 10);
  if (*end || v < min || v > max) {
    field_error(r, name, arena_printf(&r->a, "应为%lld到%lld之间的整数", (long long)min, (long long)max),
                arena_printf(&r->a, "must be an integer between %lld and %lld", (long long)min, (long long)max));
    return dflt;
  }
  return v;
}

const char *qdate(req *r, const char *name) {
  const char *s = req_arg(r, name);
  int32_t d;
  if (!s || !*s) return NULL;
  if (date_parse(s, &d) != 0) {
    field_error(r, name, "日期应为YYYY-MM-DD", "must be a date YYYY-MM-DD");
    return NULL;
  }
  return s;
}

const char *qmonth(req *r, const char *name) {
  const char *s = req_arg(r, name);
  int y, m;
  if (!s || !*s) return NULL;
  if (month_parse(s, &y, &m) != 0) {
    field_error(r, name, "月份应为YYYY-MM", "must be a month YYYY-MM");
    return NULL;
  }
  return s;
}

const char *qenum(req *r, const char *name, const char *const *values) {
  const char *s = req_arg(r, name);
  if (!s || !*s) return NULL;
  for (const char *const *v = values; *v; v++)
    if (strcmp(*v, s) == 0) return *v;
  const char *all = join_values(r, values);
  field_error(r, name, arena_printf(&r->a, "应为以下之一：%s", all), arena_printf(&r->a, "must be one of %s", all));
  return NULL;
}

json_t *json_money(int64_t fen) {
  char buf[32];
  money_format_yuan(fen, buf);
  return json_string(buf);
}

json_t *json_area(int64_t hmu) {
  char buf[32];
  area_format(hmu, buf);
  return json_string(buf);
}

json_t *json_str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static int ends_with(const char *s, size_t len, const char *suffix) {
  size_t n = strlen(suffix);
  return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

json_t *db_row_json(db_stmt *st) {
  json_t *o = json_object();
  int n = db_columns(st);
  for (int i = 0; i < n; i++) {
    const char *name = db_colname(st, i);
    size_t len = strlen(name);
    char key[128];
    int kind = 0;
    if (ends_with(name, len, "__m")) kind = 'm';
    else if (ends_with(name, len, "__a")) kind = 'a';
    else if (ends_with(name, len, "__b")) kind = 'b';
    else if (ends_with(name, len, "__j")) kind = 'j';
    if (kind) len -= 3;
    if (len >= sizeof key) len = sizeof key - 1;
    memcpy(key, name, len);
    key[len] = 0;
    json_t *v;
    int type = db_coltype(st, i);
    if (type == DBV_NULL) v = json_null();
    else if (kind == 'm') v = json_money(db_int(st, i));
    else if (kind == 'a') v = json_area(db_int(st, i));
    else if (kind == 'b') v = json_boolean(db_int(st, i) != 0);
    else if (kind == 'j') {
      v = json_loads(db_text(st, i), JSON_DECODE_ANY, NULL);
      if (!v) v = json_null();
    } else if (type == DBV_INT) v = json_integer(db_int(st, i));
    else if (type == DBV_REAL) v = json_real(db_real(st, i));
    else v = json_string(db_text(st, i));
    json_object_set_new(o, key, v);
  }
  return o;
}

void req_page(req *r, page *p) {
  p->page = qint(r, "page", 1, 1000000000, 1);
  const char *format = req_arg(r, "format");
  if (format && (strcmp(format, "xlsx") == 0 || strcmp(format, "csv") == 0))
    p->per_page = qint(r, "per_page", 1, 1000000, 1000000); /* an export takes every row */
  else
    p->per_page = qint(r, "per_page", 1, 500, 20);
  p->offset = (p->page - 1) * p->per_page;
}

const char *req_sort(req *r, const char *const *allowed, const char *dflt) {
  const char *s = req_arg(r, "sort");
  if (!s || !*s) return dflt;
  strbuf sb = STRBUF_INIT;
  char *copy = arena_strdup(&r->a, s);
  char *save = NULL;
  for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    int desc = *tok == '-';
    if (desc || *tok == '+') tok++;
    const char *expr = NULL;
    for (const char *const *a = allowed; *a; a += 2)
      if (strcmp(*a, tok) == 0) expr = a[1];
    if (!expr) {
      field_error(r, "sort", arena_printf(&r->a, "不能按 %s 排序", tok), arena_printf(&r->a, "cannot sort by %s", tok));
      continue;
    }
    sb_addf(&sb, "%s%s %s", sb.len ? ", " : "", expr, desc ? "DESC" : "ASC");
  }
  if (sb.len) sb_addf(&sb, ", %s", dflt);
  const char *out = sb.len ? arena_strdup(&r->a, sb_str(&sb)) : dflt;
  sb_release(&sb);
  return out;
}

void commit_reply(req *r, int rc, json_t *before, json_t *after, unsigned status) {
  if (rc == DB_OK && status != 0 && status != 204 && !after) rc = db_errcode(r->db);
  if (rc == DB_OK) rc = db_commit(r->db);
  json_decref(before);
  if (rc != DB_OK) {
    json_decref(after);
    r->nheaders = 0;
    json_decref(r->errors);
    r->errors = NULL;
    reply_db_error(r, rc);
    if (db_in_transaction(r->db)) db_rollback(r->db);
    return;
  }
  if (status == 0 || status == 204) {
    json_decref(after);
    if (status == 204) reply_no_content(r);
    return;
  }
  reply_json(r, status, after);
}

size_t page_ids_in(json_t *items, size_t from, size_t max, strbuf *marks, db_val *args) {
  size_t total = json_array_size(items), n = from < total ? total - from : 0;
  if (n > max) n = max;
  for (size_t i = 0; i < n; i++) {
    sb_adds(marks, i ? ", ?" : "?");
    args[i] = DBI(json_integer_value(json_object_get(json_array_get(items, from + i), "id")));
  }
  return n;
}

const char *sql_where(arena *a, const char *conds) {
  if (!conds || !*conds) return "";
  if (strncmp(conds, " AND ", 5) == 0) return arena_printf(a, "WHERE %s", conds + 5);
  return arena_printf(a, "WHERE 1 = 1%s", conds);
}

void reply_list(req *r, json_t *items, int64_t total, const page *p) {
  const char *format = req_arg(r, "format");
  if (format && (strcmp(format, "xlsx") == 0 || strcmp(format, "csv") == 0)) {
    export_reply(r, items, req_arg(r, "columns"), format);
    json_decref(items);
    return;
  }
  json_t *o = json_object();
  json_object_set_new(o, "items", items);
  json_object_set_new(o, "total", json_integer(total));
  json_object_set_new(o, "page", json_integer(p->page));
  json_object_set_new(o, "per_page", json_integer(p->per_page));
  reply_json(r, 200, o);
}

int64_t req_version(req *r, json_t *in) {
  int64_t v = 0;
  if (in && jint(r, in, "version", 0, 1, INT64_MAX, &v) == JV_SET) return v;
  const char *im = req_header(r, "If-Match");
  if (im) {
    while (*im == 'W' || *im == '/' || *im == '"' || *im == ' ') im++; /* W/"3" or "3" */
    v = strtoll(im, NULL, 10);
  }
  return v > 0 ? v : 0;
}

json_t *db_rows_json(req *r, db_stmt *st, int64_t total) {
  if (!st || total < 0) {
    db_done(st);
    reply_db_error(r, db_errcode(r->db));
    return NULL;
  }
  json_t *items = json_array();
  int rc;
  while ((rc = db_step(st)) == DB_ROW) json_array_append_new(items, db_row_json(st));
  db_done(st);
  if (rc != DB_DONE) {
    json_decref(items);
    reply_db_error(r, rc);
    return NULL;
  }
  return items;
}

void reply_rows(req *r, db_stmt *st, int64_t total, const page *p) {
  json_t *items = db_rows_json(r, st, total);
  if (items) reply_list(r, items, total, p);
}
