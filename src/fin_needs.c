/*
 * fin_needs.c — financing matchmaking (银企对接): enterprises' financing
 * needs (融资需求) and the banks' credit grants (授信) and loans (放贷) on
 * them, with the helpers the other files of the area share.
 *
 * Scope, in the SQL of every read and write: the administrator, the office
 * and leaders see everything; a bank sees every open need and the needs it
 * served, but only its own credit and loan records; an enterprise sees only
 * its own needs and the records on them.  The contact's phone is masked in
 * every answer and export; the office, the administrator, a bank that can
 * see the need and the enterprise itself may reveal it, each reveal audited.
 *
 * GET   /api/v1/financing-needs?q&state&enterprise&recommended&page&per_page&sort&format
 * GET   /api/v1/financing-needs/{id}[?reveal=1]   with its credits, loans and contacts
 * POST  /api/v1/financing-needs {enterprise_id,amount,term_months,purpose,collateral,rate_max,contact_name,contact_phone}
 * PATCH /api/v1/financing-needs/{id} {…the same but enterprise_id, state, version}
 * POST  /api/v1/financing-needs/{id}/credits {amount,granted_on,rate}              bank users
 * POST  /api/v1/financing-needs/{id}/loans {amount,disbursed_on,term_months,rate}  bank users
 * POST  /api/v1/financing-needs/{id}/contacts {contacted_on,note}                   bank users
 * GET   /api/v1/financing-loans?year&bank&enterprise&page&per_page&sort&format
 *
 * enterprise_id is the enterprise's unit (units.kind 'enterprise').
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "clock.h"
#include "fin.h"
#include "land.h"
#include "money.h"

static const char *const need_states[] = {"open", "closed", NULL};

static int64_t this_year(void) {
  char buf[11];
  date_format(clock_today(), buf);
  return strtol(buf, NULL, 10);
}

/* ---- shared helpers ---- */

int jrate(req *r, json_t *o, const char *field, int required, int max_bp, int *bp) {
  json_t *v = json_object_get(o, field);
  if (!v || json_is_null(v)) {
    if (required) field_error(r, field, "必填", "required");
    return required ? JV_BAD : (v ? JV_NULL : JV_ABSENT);
  }
  int ok = json_is_string(v)   ? fin_rate_parse(json_string_value(v), max_bp, bp)
           : json_is_number(v) ? fin_rate_from_double(json_number_value(v), max_bp, bp)
                               : -1;
  if (ok != 0) {
    char zh[96], en[96];
    snprintf(zh, sizeof zh, "应为0到%d.%02d之间、最多两位小数的百分比", max_bp / 100, max_bp % 100);
    snprintf(en, sizeof en, "must be a percentage from 0 to %d.%02d with at most two decimals", max_bp / 100, max_bp % 100);
    field_error(r, field, zh, en);
    return JV_BAD;
  }
  return JV_SET;
}

void fin_rate_json(json_t *o, const char *bp_key, const char *key) {
  json_t *v = json_object_get(o, bp_key);
  if (json_is_integer(v)) {
    char buf[16];
    fin_rate_format((int)json_integer_value(v), buf);
    json_object_set_new(o, key, json_string(buf));
  } else {
    json_object_set_new(o, key, json_null());
  }
  json_object_del(o, bp_key);
}

void fin_etag(req *r, json_t *o) {
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
}

int fin_unit_is(db *d, int64_t unit_id, const char *kind) {
  return db_int1(d, 0, "SELECT 1 FROM units WHERE id = ? AND kind = ?", DBI(unit_id), DBT(kind)) == 1;
}

void fin_mask_phone(json_t *o, const char *key) {
  const char *ph = json_string_value(json_object_get(o, key));
  if (!ph) return;
  char buf[64];
  land_mask_phone(ph, buf, sizeof buf);
  json_object_set_new(o, key, json_string(buf));
}

/* ---- scope ---- */

/* " AND …" limiting `fin_needs n` to what the user may read. */
void fin_need_scope_sql(req *r, strbuf *w, db_val *args, int *n) {
  if (scope_reads_all(r)) return;
  if (has_role(r, ROLE_BANK)) {
    sb_adds(w, " AND (n.state = 'open' OR n.id IN (SELECT need_id FROM fin_credits WHERE bank_unit_id = ?) "
               "OR n.id IN (SELECT need_id FROM fin_loans WHERE bank_unit_id = ?) "
               "OR n.id IN (SELECT need_id FROM fin_contacts WHERE bank_unit_id = ?))");
    args[(*n)++] = DBI(r->user.unit_id);
    args[(*n)++] = DBI(r->user.unit_id);
    args[(*n)++] = DBI(r->user.unit_id);
  } else if (has_role(r, ROLE_ENTERPRISE)) {
    sb_adds(w, " AND n.enterprise_unit_id = ?");
    args[(*n)++] = DBI(r->user.unit_id);
  } else {
    sb_adds(w, " AND 1 = 0");
  }
}

/* " AND …" limiting credits or loans `x` to the user's: a bank its own, an
 * enterprise those on its needs. */
void fin_record_scope_sql(req *r, strbuf *w, db_val *args, int *n) {
  if (scope_reads_all(r)) return;
  if (has_role(r, ROLE_BANK)) {
    sb_adds(w, " AND x.bank_unit_id = ?");
    args[(*n)++] = DBI(r->user.unit_id);
  } else if (has_role(r, ROLE_ENTERPRISE)) {
    sb_adds(w, " AND x.enterprise_unit_id = ?");
    args[(*n)++] = DBI(r->user.unit_id);
  } else {
    sb_adds(w, " AND 1 = 0");
  }
}

/* 1 when the need exists and is in the user's read scope. */
static int need_visible(req *r, int64_t id) {
  strbuf w = STRBUF_INIT;
  db_val args[4];
  int n = 0;
  args[n++] = DBI(id);
  sb_adds(&w, "SELECT 1 FROM fin_needs n WHERE n.id = ?");
  fin_need_scope_sql(r, &w, args, &n);
  int ok = db_int1v(r->db, 0, sb_str(&w), n, args) == 1;
  sb_release(&w);
  return ok;
}

/* ---- JSON ---- */

#define NEED_COLS                                                                                                    \
  "n.id, n.enterprise_unit_id AS enterprise_id, e.name AS enterprise_name, n.amount AS amount__m, n.term_months, "  \
  "n.purpose, n.collateral, n.rate_max_bp, n.contact_name, n.contact_phone, n.state, "                              \
  "(SELECT COUNT(DISTINCT c.bank_unit_id) FROM fin_credits c WHERE c.need_id = n.id) AS banks_credit, "             \
  "(SELECT COUNT(*) FROM fin_loans l WHERE l.need_id = n.id) AS loans_count, "                                      \
  "(SELECT COUNT(*) FROM fin_whitelist k WHERE k.enterprise_unit_id = n.enterprise_unit_id AND k.year = ?) AS recommended__b, " \
  "n.version, n.created_at, n.updated_at "
#define NEED_FROM "FROM fin_needs n JOIN units e ON e.id = n.enterprise_unit_id "

static void need_finish(json_t *o, int full) {
  fin_rate_json(o, "rate_max_bp", "rate_max");
  if (!full) fin_mask_phone(o, "contact_phone");
  json_object_set_new(o, "state_name", json_string(strcmp(json_string_value(json_object_get(o, "state")), "open") == 0 ? "对接中" : "已关闭"));
}

/* The need with the credits and loans the user may see (bank: its own). */
static json_t *need_json(req *r, int64_t id, int full, int with_records) {
  db_stmt *st = db_query(r->db, "SELECT " NEED_COLS NEED_FROM "WHERE n.id = ?", DBI(this_year()), DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (!o) return NULL;
  need_finish(o, full);
  if (!with_records) return o;
  static const char *const what[3][2] = {
      {"credits", "SELECT x.id, x.bank_unit_id AS bank_id, b.name AS bank_name, x.amount AS amount__m, x.granted_on, "
                  "x.rate_bp, x.created_at FROM fin_credits x JOIN units b ON b.id = x.bank_unit_id WHERE x.need_id = ?"},
      {"loans", "SELECT x.id, x.bank_unit_id AS bank_id, b.name AS bank_name, x.amount AS amount__m, x.disbursed_on, "
                "x.term_months, x.rate_bp, x.created_at FROM fin_loans x JOIN units b ON b.id = x.bank_unit_id WHERE x.need_id = ?"},
      {"contacts", "SELECT x.id, x.bank_unit_id AS bank_id, b.name AS bank_name, x.contacted_on, x.note, u.name AS user_name, "
                   "x.created_at FROM fin_contacts x JOIN units b ON b.id = x.bank_unit_id LEFT JOIN users u ON u.id = x.user_id "
                   "WHERE x.need_id = ?"},
  };
  for (int k = 0; k < 3; k++) {
    strbuf w = STRBUF_INIT;
    db_val args[4];
    int n = 0;
    args[n++] = DBI(id);
    sb_adds(&w, what[k][1]);
    fin_record_scope_sql(r, &w, args, &n);
    sb_adds(&w, " ORDER BY x.id");
    json_t *list = json_array();
    st = db_prepare(r->db, sb_str(&w), n, args);
    while (st && db_step(st) == DB_ROW) {
      json_t *x = db_row_json(st);
      if (k < 2) fin_rate_json(x, "rate_bp", "rate");
      json_array_append_new(list, x);
    }
    db_done(st);
    sb_release(&w);
    json_object_set_new(o, what[k][0], list);
  }
  return o;
}

/* ---- needs ---- */

/* GET /api/v1/financing-needs?q&state&enterprise&recommended&page&per_page&sort&format */
static void needs_list(req *r) {
  static const char *const sorts[] = {"id", "n.id", "amount", "n.amount", "term_months", "n.term_months",
                                      "enterprise_name", "e.name", "created_at", "n.created_at", NULL};
  page pg;
  req_page(r, &pg);
  const char *state = qenum(r, "state", need_states);
  int64_t ent = qint(r, "enterprise", 1, INT64_MAX, 0);
  int64_t recommended = qint(r, "recommended", 0, 1, 0);
  const char *q = req_arg(r, "q");
  const char *order = req_sort(r, sorts, "n.id DESC");
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val all[16];
  db_val *args = all + 1; /* all[0]: the white list's year in the columns */
  all[0] = DBI(this_year());
  int n = 0;
  fin_need_scope_sql(r, &w, args, &n);
  db_where_text(&w, args, &n, " AND n.state = ?", state);
  db_where_int(&w, args, &n, " AND n.enterprise_unit_id = ?", ent);
  if (recommended) {
    sb_adds(&w, " AND n.enterprise_unit_id IN (SELECT enterprise_unit_id FROM fin_whitelist WHERE year = ?)");
    args[n++] = all[0];
  }
  if (q && *q) {
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    sb_adds(&w, " AND (e.name LIKE ? OR n.purpose LIKE ?)");
    args[n++] = DBT(like);
    args[n++] = DBT(like);
  }
  const char *where = sql_where(&r->a, sb_str(&w));
  sb_release(&w);
  /* enterprise_unit_id is a NOT NULL foreign key: counted without the join
   * unless the text search reads the enterprise's name */
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) %s%s", q && *q ? NEED_FROM : "FROM fin_needs n ", where), n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, "SELECT " NEED_COLS NEED_FROM "%s ORDER BY %s LIMIT ? OFFSET ?", where, order), n + 1, all);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) need_finish(it, 0);
  reply_list(r, items, total, &pg);
}

/* Who may reveal the contact of a need they can see. */
static int may_reveal(req *r) { return has_role(r, ROLE_ADMIN | ROLE_OFFICE | ROLE_BANK | ROLE_ENTERPRISE); }

/* GET /api/v1/financing-needs/{id}[?reveal=1] — a reveal is audited in its own transaction. */
static void need_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  int64_t reveal = qint(r, "reveal", 0, 1, 0);
  if (has_errors(r)) return reply_invalid(r);
  if (!need_visible(r, id)) return reply_not_found(r, "融资需求", "financing need");
  if (reveal && !may_reveal(r)) return reply_forbidden(r, "无权查看联系人完整电话", "you may not reveal the contact's phone");
  json_t *o = need_json(r, id, reveal != 0, 1);
  if (!o) return reply_db_error(r, db_errcode(r->db));
  int own = has_role(r, ROLE_ENTERPRISE) && json_integer_value(json_object_get(o, "enterprise_id")) == r->user.unit_id;
  json_object_set_new(o, "can_edit", json_boolean(scope_writes_all(r) || own));
  json_object_set_new(o, "can_serve", json_boolean(has_role(r, ROLE_BANK)));
  json_object_set_new(o, "can_reveal", json_boolean(may_reveal(r)));
  fin_etag(r, o);
  if (!reveal) return reply_json(r, 200, o);
  json_t *what = json_pack("{s:[s]}", "revealed", "contact_phone");
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = audit_log(r, "read", "fin_need", id, NULL, what);
  json_decref(what);
  commit_reply(r, rc, NULL, o, 200);
}

typedef struct need_in {
  int64_t ent, amount, term;
  const char *purpose, *collateral, *contact, *phone, *state;
  int rate_bp, has_rate;
} need_in;

static int phone_ok(const char *s) {
  size_t n = strlen(s), digits = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] >= '0' && s[i] <= '9') digits++;
    else if (s[i] != '-') return 0;
  }
  if (n == 11 && s[0] == '1') return s[1] >= '3' && s[1] <= '9';
  return digits >= 7 && digits <= 12 && s[0] == '0';
}

static void read_need(req *r, json_t *in, need_in *x, int creating) {
  if (creating) {
    int st = jint(r, in, "enterprise_id", !has_role(r, ROLE_ENTERPRISE), 1, INT64_MAX, &x->ent);
    if (st == JV_ABSENT) x->ent = r->user.unit_id;
    if (st != JV_BAD && !fin_unit_is(r->db, x->ent, "enterprise"))
      field_error(r, "enterprise_id", "企业不存在", "no such enterprise");
    else if (st != JV_BAD && !scope_writes_all(r) && x->ent != r->user.unit_id)
      field_error(r, "enterprise_id", "只能为本企业发布融资需求", "you may post needs only for your own enterprise");
  }
  if (jmoney(r, in, "amount", creating, &x->amount) == JV_SET && x->amount <= 0)
    field_error(r, "amount", "融资金额须大于零", "must be more than zero");
  jint(r, in, "term_months", creating, 1, 360, &x->term);
  if (jstr(r, in, "purpose", creating, 500, &x->purpose) == JV_SET && !*x->purpose)
    field_error(r, "purpose", "融资用途不能为空", "must not be empty");
  if (jstr(r, in, "collateral", 0, 200, &x->collateral) == JV_NULL) x->collateral = NULL;
  int rs = jrate(r, in, "rate_max", 0, 3600, &x->rate_bp);
  if (rs == JV_SET) x->has_rate = 1;
  else if (rs == JV_NULL) x->has_rate = 0;
  if (jstr(r, in, "contact_name", 0, 64, &x->contact) == JV_NULL) x->contact = NULL;
  int ps = jstr(r, in, "contact_phone", 0, 20, &x->phone);
  if (ps == JV_NULL || (ps == JV_SET && !*x->phone)) x->phone = NULL;
  else if (ps == JV_SET && !phone_ok(x->phone))
    field_error(r, "contact_phone", "电话号码格式不正确", "is not a valid phone number");
  if (!creating) jenum(r, in, "state", 0, need_states, &x->state);
}

int64_t fin_need_insert(db *d, int64_t ent_unit, int64_t amount, int term, const char *purpose, const char *collateral,
                        int rate_bp, const char *contact, const char *phone, const char *state, const char *at) {
  db_stmt *st = db_query(d,
                         "INSERT INTO fin_needs (enterprise_unit_id, amount, term_months, purpose, collateral, rate_max_bp, "
                         "contact_name, contact_phone, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "RETURNING id",
                         DBI(ent_unit), DBI(amount), DBI(term), DBT(purpose), DBT(collateral), rate_bp >= 0 ? DBI(rate_bp) : DBNULL,
                         DBT(contact), DBT(phone), DBT(state), DBT(at), DBT(at));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  return id;
}

static const char *const need_fields[] = {"enterprise_id", "amount", "term_months", "purpose", "collateral", "rate_max",
                                          "contact_name", "contact_phone", "state", "version", NULL};

/* POST /api/v1/financing-needs */
static void need_post(req *r) {
  json_t *in = req_json(r, need_fields);
  if (!in) return;
  if (json_object_get(in, "state") || json_object_get(in, "version")) {
    field_error(r, json_object_get(in, "state") ? "state" : "version", "新建时不能指定", "cannot be set on creation");
  }
  need_in x = {0};
  read_need(r, in, &x, 1);
  if (has_errors(r)) return reply_invalid(r);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  int64_t id = fin_need_insert(r->db, x.ent, x.amount, (int)x.term, x.purpose, x.collateral, x.has_rate ? x.rate_bp : -1,
                               x.contact, x.phone, "open", now);
  if (id) rc = db_exec(r->db, "UPDATE fin_needs SET created_by = ? WHERE id = ?", DBI(r->user.id), DBI(id));
  else rc = db_errcode(r->db);
  json_t *after = rc == DB_OK ? need_json(r, id, 0, 1) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "create", "fin_need", id, NULL, after) : db_errcode(r->db);
  if (after) fin_etag(r, after);
  commit_reply(r, rc, NULL, after, 201);
}

/* PATCH /api/v1/financing-needs/{id} — the office or the enterprise itself. */
static void need_patch(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, need_fields);
  if (!in) return;
  if (!need_visible(r, id)) return reply_not_found(r, "融资需求", "financing need");
  json_t *before = need_json(r, id, 1, 0);
  if (!before) return reply_db_error(r, db_errcode(r->db));
  int64_t ent = json_integer_value(json_object_get(before, "enterprise_id"));
  if (!scope_writes_all(r) && !(has_role(r, ROLE_ENTERPRISE) && ent == r->user.unit_id)) {
    json_decref(before);
    return reply_forbidden(r, "只有项目办或企业本身可以修改融资需求", "only the office or the enterprise itself may change a need");
  }
  if (json_object_get(in, "enterprise_id")) field_error(r, "enterprise_id", "不能修改", "cannot be changed");
  need_in x = {0};
  money_parse(json_string_value(json_object_get(before, "amount")), &x.amount);
  x.term = json_integer_value(json_object_get(before, "term_months"));
  x.purpose = json_string_value(json_object_get(before, "purpose"));
  x.collateral = json_string_value(json_object_get(before, "collateral"));
  x.contact = json_string_value(json_object_get(before, "contact_name"));
  x.phone = json_string_value(json_object_get(before, "contact_phone"));
  x.state = json_string_value(json_object_get(before, "state"));
  x.has_rate = fin_rate_parse(json_string_value(json_object_get(before, "rate_max")), 10000, &x.rate_bp) == 0;
  read_need(r, in, &x, 0);
  int64_t version = req_version(r, in);
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "UPDATE fin_needs SET amount = ?, term_months = ?, purpose = ?, collateral = ?, rate_max_bp = ?, contact_name = ?, "
                 "contact_phone = ?, state = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                 DBI(x.amount), DBI(x.term), DBT(x.purpose), DBT(x.collateral), x.has_rate ? DBI(x.rate_bp) : DBNULL,
                 DBT(x.contact), DBT(x.phone), DBT(x.state), DBT(now), DBI(id), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict",
                         "该融资需求已被他人修改，请刷新后重试 / The need was changed by someone else; reload and retry");
  }
  json_t *after = rc == DB_OK ? need_json(r, id, 1, 0) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "fin_need", id, before, after) : db_errcode(r->db);
  json_t *shown = after ? need_json(r, id, 0, 1) : NULL;
  json_decref(after);
  if (shown) fin_etag(r, shown);
  commit_reply(r, rc, before, shown, 200);
}

/* ---- credits and loans ---- */

int64_t fin_credit_insert(db *d, int64_t need, int64_t bank, int64_t ent, int64_t amount, const char *on, int rate_bp,
                          const char *at) {
  db_stmt *st = db_query(d,
                         "INSERT INTO fin_credits (need_id, bank_unit_id, enterprise_unit_id, amount, granted_on, rate_bp, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBI(need), DBI(bank), DBI(ent), DBI(amount), DBT(on), DBI(rate_bp), DBT(at));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  return id;
}

int64_t fin_loan_insert(db *d, int64_t need, int64_t bank, int64_t ent, int64_t amount, const char *on, int term,
                        int rate_bp, const char *at) {
  db_stmt *st = db_query(d,
                         "INSERT INTO fin_loans (need_id, bank_unit_id, enterprise_unit_id, amount, disbursed_on, term_months, rate_bp, "
                         "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBI(need), DBI(bank), DBI(ent), DBI(amount), DBT(on), DBI(term), rate_bp >= 0 ? DBI(rate_bp) : DBNULL,
                         DBT(at));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  return id;
}

/* A date field not after today. */
static void past_date(req *r, json_t *in, const char *field, const char **out) {
  if (jdate(r, in, field, 1, out) != JV_SET) return;
  int32_t d = 0;
  date_parse(*out, &d);
  if (d > clock_today()) field_error(r, field, "日期不能晚于今天", "cannot be in the future");
}

static const char *const credit_fields[] = {"amount", "granted_on", "rate", NULL};
static const char *const loan_fields[] = {"amount", "disbursed_on", "term_months", "rate", NULL};

/* POST /api/v1/financing-needs/{id}/credits and /loans: bank users, on a
 * need the bank can see; the record is the bank's own. */
static void record_post(req *r, int loan) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, loan ? loan_fields : credit_fields);
  if (!in) return;
  if (!need_visible(r, id)) return reply_not_found(r, "融资需求", "financing need");
  if (!fin_unit_is(r->db, r->user.unit_id, "bank"))
    return reply_forbidden(r, "只有银行机构的用户可以登记授信和放贷", "only users of a bank may record credit and loans");
  int64_t amount = 0, term = 0;
  int rate = -1;
  const char *on = NULL;
  if (jmoney(r, in, "amount", 1, &amount) == JV_SET && amount <= 0) field_error(r, "amount", "金额须大于零", "must be more than zero");
  past_date(r, in, loan ? "disbursed_on" : "granted_on", &on);
  if (loan) {
    jint(r, in, "term_months", 1, 1, 360, &term);
    jrate(r, in, "rate", 0, 3600, &rate);
  } else {
    jrate(r, in, "rate", 1, 3600, &rate);
  }
  if (has_errors(r)) return reply_invalid(r);
  int64_t ent = db_int1(r->db, 0, "SELECT enterprise_unit_id FROM fin_needs WHERE id = ?", DBI(id));
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  int64_t rid = loan ? fin_loan_insert(r->db, id, r->user.unit_id, ent, amount, on, (int)term, rate, now)
                     : fin_credit_insert(r->db, id, r->user.unit_id, ent, amount, on, rate, now);
  rc = rid ? db_exec(r->db, loan ? "UPDATE fin_loans SET user_id = ? WHERE id = ?" : "UPDATE fin_credits SET user_id = ? WHERE id = ?",
                     DBI(r->user.id), DBI(rid))
           : db_errcode(r->db);
  json_t *after = NULL;
  if (rc == DB_OK) {
    after = json_pack("{s:I, s:I, s:I, s:I, s:o, s:s}", "id", (json_int_t)rid, "need_id", (json_int_t)id, "bank_id",
                      (json_int_t)r->user.unit_id, "enterprise_id", (json_int_t)ent, "amount", json_money(amount),
                      loan ? "disbursed_on" : "granted_on", on);
    if (loan) json_object_set_new(after, "term_months", json_integer(term));
    if (rate >= 0) {
      char buf[16];
      fin_rate_format(rate, buf);
      json_object_set_new(after, "rate", json_string(buf));
    } else {
      json_object_set_new(after, "rate", json_null());
    }
    json_object_set_new(after, "bank_name", json_string(r->user.unit_name ? r->user.unit_name : ""));
    rc = audit_log(r, "create", loan ? "fin_loan" : "fin_credit", rid, NULL, after);
  }
  commit_reply(r, rc, NULL, after, 201);
}
static void credit_post(req *r) { record_post(r, 0); }

/* POST /api/v1/financing-needs/{id}/contacts {contacted_on, note} — a bank's
 * contact with the enterprise (对接记录); the need then stays visible to it. */
static void contact_post(req *r) {
  static const char *const fields[] = {"contacted_on", "note", NULL};
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, fields);
  if (!in) return;
  if (!need_visible(r, id)) return reply_not_found(r, "融资需求", "financing need");
  if (!fin_unit_is(r->db, r->user.unit_id, "bank"))
    return reply_forbidden(r, "只有银行机构的用户可以登记对接记录", "only users of a bank may record contacts");
  const char *on = NULL, *note = NULL;
  past_date(r, in, "contacted_on", &on);
  if (jstr(r, in, "note", 1, 500, &note) == JV_SET && !*note) field_error(r, "note", "对接情况不能为空", "must not be empty");
  if (has_errors(r)) return reply_invalid(r);
  int64_t ent = db_int1(r->db, 0, "SELECT enterprise_unit_id FROM fin_needs WHERE id = ?", DBI(id));
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO fin_contacts (need_id, bank_unit_id, enterprise_unit_id, contacted_on, note, user_id, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBI(id), DBI(r->user.unit_id), DBI(ent), DBT(on), DBT(note), DBI(r->user.id), DBT(now));
  int64_t cid = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  json_t *after = NULL;
  if (cid) {
    after = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)cid, "need_id", (json_int_t)id, "bank_id",
                      (json_int_t)r->user.unit_id, "bank_name", r->user.unit_name ? r->user.unit_name : "", "contacted_on", on, "note", note);
    rc = audit_log(r, "create", "fin_contact", cid, NULL, after);
  } else {
    rc = db_errcode(r->db);
  }
  commit_reply(r, rc, NULL, after, 201);
}
static void loan_post(req *r) { record_post(r, 1); }

/* GET /api/v1/financing-loans?year&bank&enterprise&page&per_page&sort&format — the loans the user may see. */
static void loans_list(req *r) {
  static const char *const sorts[] = {"disbursed_on", "x.disbursed_on", "amount", "x.amount", "bank_name", "b.name",
                                      "enterprise_name", "e.name", NULL};
  page pg;
  req_page(r, &pg);
  int64_t year = qint(r, "year", 2000, 2100, 0);
  int64_t bank = qint(r, "bank", 1, INT64_MAX, 0);
  int64_t ent = qint(r, "enterprise", 1, INT64_MAX, 0);
  const char *order = req_sort(r, sorts, "x.disbursed_on DESC, x.id DESC");
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val args[12];
  int n = 0;
  sb_adds(&w, "WHERE 1 = 1");
  fin_record_scope_sql(r, &w, args, &n);
  if (year) {
    sb_adds(&w, " AND x.disbursed_on >= ? AND x.disbursed_on <= ?");
    args[n++] = DBT(arena_printf(&r->a, "%04lld-01-01", (long long)year));
    args[n++] = DBT(arena_printf(&r->a, "%04lld-12-31", (long long)year));
  }
  db_where_int(&w, args, &n, " AND x.bank_unit_id = ?", bank);
  db_where_int(&w, args, &n, " AND x.enterprise_unit_id = ?", ent);
  const char *where = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  const char *from = "FROM fin_loans x JOIN units b ON b.id = x.bank_unit_id JOIN units e ON e.id = x.enterprise_unit_id ";
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) %s%s", from, where), n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  db_stmt *st = db_prepare(r->db,
                           arena_printf(&r->a,
                                        "SELECT x.id, x.need_id, x.bank_unit_id AS bank_id, b.name AS bank_name, "
                                        "x.enterprise_unit_id AS enterprise_id, e.name AS enterprise_name, x.amount AS amount__m, "
                                        "x.disbursed_on, x.term_months, x.rate_bp %s%s ORDER BY %s LIMIT ? OFFSET ?",
                                        from, where, order),
                           n, args);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) fin_rate_json(it, "rate_bp", "rate");
  reply_list(r, items, total, &pg);
}

static const route need_routes[] = {
    ROUTE("GET", "/api/v1/financing-needs", needs_list, FIN_READERS, "融资需求 / Financing needs", 0, DOM_FINANCE),
    ROUTE("GET", "/api/v1/financing-needs/{id}", need_get, FIN_READERS, "融资需求详情 / One financing need", 0),
    ROUTE("POST", "/api/v1/financing-needs", need_post, ROLE_ADMIN | ROLE_OFFICE | ROLE_ENTERPRISE, "发布融资需求 / Post a financing need", 0),
    ROUTE("PATCH", "/api/v1/financing-needs/{id}", need_patch, ROLE_ADMIN | ROLE_OFFICE | ROLE_ENTERPRISE, "修改融资需求 / Change a financing need", 0),
    ROUTE("POST", "/api/v1/financing-needs/{id}/credits", credit_post, ROLE_BANK, "登记授信 / Record a credit grant", 0),
    ROUTE("POST", "/api/v1/financing-needs/{id}/loans", loan_post, ROLE_BANK, "登记放贷 / Record a loan", 0),
    ROUTE("POST", "/api/v1/financing-needs/{id}/contacts", contact_post, ROLE_BANK, "登记对接记录 / Record a contact", 0),
    ROUTE("GET", "/api/v1/financing-loans", loans_list, FIN_READERS, "贷款台账 / Loans", 0),
    {0},
};

static const module fin_needs_module = {"fin_needs", 62, need_routes, NULL, NULL, NULL};
MODULE_REGISTER(fin_needs_module)
