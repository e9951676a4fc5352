/*
 * fin_subsidies.c — guarantee-fee subsidies (担保费补贴) and interest
 * subsidies (贷款贴息): the administrator's rule per kind (share of the fee
 * or interest, cap per enterprise per year), applications tied to a loan
 * whose amount the rule computes (fin_rules.c: rounded half up to the fen,
 * then cut to what is left of the cap), the office's review (approve or
 * return with a reason), the enterprise's resubmission and the payment
 * with its record.  Every step goes through the transition table of
 * fin_rules.c and is kept in the application's timeline.
 *
 * Scope: the office, the administrator and leaders see every application;
 * an enterprise only its own (and applies only on its own loans).
 *
 * GET  /api/v1/subsidy-rules
 * PUT  /api/v1/subsidy-rules/{kind} {share, cap, version}                      admin
 * GET  /api/v1/subsidies?kind&state&year&enterprise&batch&page&per_page&sort&format
 * GET  /api/v1/subsidies/{id}                                               with its timeline
 * POST /api/v1/subsidies {kind, loan_id, base, batch, year}                 enterprise (own loan) or office
 * POST /api/v1/subsidies/{id}/events {event, date, amount, reason, voucher, base, version}
 *      approve/return/pay: office; resubmit (with a corrected base): the enterprise or the office
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "clock.h"
#include "fin.h"
#include "money.h"

static int code_of(const char *const *list, const char *s) {
  for (int i = 0; s && list[i]; i++)
    if (strcmp(list[i], s) == 0) return i;
  return -1;
}

/* ---- rules ---- */

int fin_rule_set(db *d, const char *kind, int share_bp, int64_t cap, const char *at) {
  int rc = db_exec(d, "UPDATE fin_subsidy_rules SET share_bp = ?, cap = ?, version = version + 1, updated_at = ? WHERE kind = ?",
                   DBI(share_bp), DBI(cap), DBT(at), DBT(kind));
  if (rc == DB_OK && db_changes(d) == 0)
    rc = db_exec(d, "INSERT INTO fin_subsidy_rules (kind, share_bp, cap, updated_at) VALUES (?, ?, ?, ?)", DBT(kind), DBI(share_bp),
                 DBI(cap), DBT(at));
  return rc;
}

static json_t *rule_json(db *d, const char *kind) {
  db_stmt *st = db_query(d, "SELECT kind, share_bp, cap AS cap__m, version, updated_at FROM fin_subsidy_rules WHERE kind = ?", DBT(kind));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (!o) return NULL;
  fin_rate_json(o, "share_bp", "share");
  json_object_set_new(o, "kind_name", json_string(fin_subsidy_kinds_zh[code_of(fin_subsidy_kinds, kind)]));
  return o;
}

/* GET /api/v1/subsidy-rules — both kinds; null where no rule is set yet. */
static void rules_get(req *r) {
  json_t *items = json_array();
  for (int k = 0; fin_subsidy_kinds[k]; k++) {
    json_t *o = rule_json(r->db, fin_subsidy_kinds[k]);
    if (!o) o = json_pack("{s:s, s:s, s:n, s:n, s:i}", "kind", fin_subsidy_kinds[k], "kind_name", fin_subsidy_kinds_zh[k], "share", "cap", "version", 0);
    json_array_append_new(items, o);
  }
  reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* PUT /api/v1/subsidy-rules/{kind} {share, cap, version} */
static void rule_put(req *r) {
  static const char *const fields[] = {"share", "cap", "version", NULL};
  const char *kind = r->nparams > 0 ? r->params[0] : NULL;
  if (code_of(fin_subsidy_kinds, kind) < 0) return reply_not_found(r, "补贴类别", "subsidy kind");
  json_t *in = req_json(r, fields);
  if (!in) return;
  int share = 0;
  int64_t cap = 0;
  jrate(r, in, "share", 1, 10000, &share);
  jmoney(r, in, "cap", 1, &cap);
  int64_t version = req_version(r, in);
  if (has_errors(r)) return reply_invalid(r);
  json_t *before = rule_json(r->db, kind);
  int64_t cur = before ? json_integer_value(json_object_get(before, "version")) : 0;
  if (version && version != cur) {
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict", "补贴规则已被他人修改，请刷新后重试 / The rule was changed by someone else; reload and retry");
  }
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = fin_rule_set(r->db, kind, share, cap, now);
  if (rc == DB_OK && cur && db_changes(r->db) == 1 &&
      db_int1(r->db, 0, "SELECT version FROM fin_subsidy_rules WHERE kind = ?", DBT(kind)) != cur + 1) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict", "补贴规则已被他人修改，请刷新后重试 / The rule was changed by someone else; reload and retry");
  }
  json_t *after = rc == DB_OK ? rule_json(r->db, kind) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, before ? "update" : "create", "fin_subsidy_rule", 0, before, after) : db_errcode(r->db);
  if (after) fin_etag(r, after);
  commit_reply(r, rc, before, after, 200);
}

/* ---- applications ---- */

static void scope_sql(req *r, strbuf *w, db_val *args, int *n) {
  if (scope_reads_all(r)) return;
  if (has_role(r, ROLE_ENTERPRISE)) {
    sb_adds(w, " AND s.enterprise_unit_id = ?");
    args[(*n)++] = DBI(r->user.unit_id);
  } else {
    sb_adds(w, " AND 1 = 0");
  }
}

#define SUB_COLS                                                                                                      \
  "s.id, s.kind, s.loan_id, s.enterprise_unit_id AS enterprise_id, e.name AS enterprise_name, b.name AS bank_name, "  \
  "l.amount AS loan_amount__m, l.disbursed_on, s.year, s.batch, s.base AS base__m, s.share_bp, s.applied AS applied__m, " \
  "s.approved AS approved__m, s.paid AS paid__m, s.state, s.applied_on, s.last_on, s.return_reason, s.paid_on, s.voucher, " \
  "s.version, s.created_at, s.updated_at "
#define SUB_FROM                                                                                                      \
  "FROM fin_subsidies s JOIN units e ON e.id = s.enterprise_unit_id JOIN fin_loans l ON l.id = s.loan_id "            \
  "JOIN units b ON b.id = l.bank_unit_id "

static void sub_finish(json_t *o) {
  fin_rate_json(o, "share_bp", "share");
  int k = code_of(fin_subsidy_kinds, json_string_value(json_object_get(o, "kind")));
  int s = code_of(fin_subsidy_states, json_string_value(json_object_get(o, "state")));
  json_object_set_new(o, "kind_name", json_string(k >= 0 ? fin_subsidy_kinds_zh[k] : ""));
  json_object_set_new(o, "state_name", json_string(s >= 0 ? fin_subsidy_states_zh[s] : ""));
}

static json_t *sub_json(db *d, int64_t id, int with_events) {
  db_stmt *st = db_query(d, "SELECT " SUB_COLS SUB_FROM "WHERE s.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (!o) return NULL;
  sub_finish(o);
  if (!with_events) return o;
  json_t *ev = json_array();
  st = db_query(d,
                "SELECT v.id, v.type, v.on_date, v.amount AS amount__m, v.reason, u.name AS user_name, v.at FROM fin_subsidy_events v "
                "LEFT JOIN users u ON u.id = v.user_id WHERE v.subsidy_id = ? ORDER BY v.id",
                DBI(id));
  while (st && db_step(st) == DB_ROW) json_array_append_new(ev, db_row_json(st));
  db_done(st);
  json_object_set_new(o, "events", ev);
  return o;
}

/* 1 when the application exists and is in the user's scope. */
static int sub_visible(req *r, int64_t id) {
  strbuf w = STRBUF_INIT;
  db_val args[4];
  int n = 0;
  args[n++] = DBI(id);
  sb_adds(&w, "SELECT 1 FROM fin_subsidies s WHERE s.id = ?");
  scope_sql(r, &w, args, &n);
  int ok = db_int1v(r->db, 0, sb_str(&w), n, args) == 1;
  sb_release(&w);
  return ok;
}

/* GET /api/v1/subsidies?kind&state&year&enterprise&batch&page&per_page&sort&format */
static void subs_list(req *r) {
  static const char *const sorts[] = {"id", "s.id", "applied", "s.applied", "approved", "s.approved", "applied_on", "s.applied_on",
                                      "enterprise_name", "e.name", NULL};
  page pg;
  req_page(r, &pg);
  const char *kind = qenum(r, "kind", fin_subsidy_kinds);
  const char *state = qenum(r, "state", fin_subsidy_states);
  int64_t year = qint(r, "year", 2000, 2100, 0);
  int64_t ent = qint(r, "enterprise", 1, INT64_MAX, 0);
  const char *batch = req_arg(r, "batch");
  const char *order = req_sort(r, sorts, "s.id DESC");
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val args[12];
  int n = 0;
  sb_adds(&w, "WHERE 1 = 1");
  scope_sql(r, &w, args, &n);
  db_where_text(&w, args, &n, " AND s.kind = ?", kind);
  db_where_text(&w, args, &n, " AND s.state = ?", state);
  db_where_int(&w, args, &n, " AND s.year = ?", year);
  db_where_int(&w, args, &n, " AND s.enterprise_unit_id = ?", ent);
  db_where_text(&w, args, &n, " AND s.batch = ?", batch);
  const char *where = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) " SUB_FROM "%s", where), n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, "SELECT " SUB_COLS SUB_FROM "%s ORDER BY %s LIMIT ? OFFSET ?", where, order), n, args);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) sub_finish(it);
  reply_list(r, items, total, &pg);
}

/* GET /api/v1/subsidies/{id} */
static void sub_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  if (!sub_visible(r, id)) return reply_not_found(r, "补贴申请", "subsidy application");
  json_t *o = sub_json(r->db, id, 1);
  if (!o) return reply_db_error(r, db_errcode(r->db));
  json_object_set_new(o, "can_review", json_boolean(scope_writes_all(r)));
  fin_etag(r, o);
  reply_json(r, 200, o);
}

/* What the enterprise's other applications of the kind and year take from
 * the cap: approved or paid amounts, and the rule's amount of those still
 * pending.  Returned ones take nothing. */
static int64_t cap_used(db *d, int64_t ent, const char *kind, int year, int64_t except) {
  return db_int1(d, 0,
                 "SELECT COALESCE(SUM(CASE WHEN state = 'applied' THEN applied ELSE approved END), 0) FROM fin_subsidies "
                 "WHERE enterprise_unit_id = ? AND kind = ? AND year = ? AND state <> 'returned' AND id <> ?",
                 DBI(ent), DBT(kind), DBI(year), DBI(except));
}

int64_t fin_subsidy_insert(db *d, const char *kind, int64_t loan, int64_t ent, int year, const char *batch, int64_t base,
                           int share_bp, int64_t applied, const char *applied_on, const char *at) {
  db_stmt *st = db_query(d,
                         "INSERT INTO fin_subsidies (kind, loan_id, enterprise_unit_id, year, batch, base, share_bp, applied, applied_on, "
                         "last_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBT(kind), DBI(loan), DBI(ent), DBI(year), DBT(batch), DBI(base), DBI(share_bp), DBI(applied),
                         DBT(applied_on), DBT(applied_on), DBT(at), DBT(at));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  return id;
}

static int add_event(req *r, int64_t id, const char *type, const char *on, int64_t amount, const char *reason, const char *at) {
  return db_exec(r->db, "INSERT INTO fin_subsidy_events (subsidy_id, type, on_date, amount, reason, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 DBI(id), DBT(type), DBT(on), amount >= 0 ? DBI(amount) : DBNULL, DBT(reason), DBI(r->user.id), DBT(at));
}

/* The rule of a kind: 0 with share and cap, -1 when none is set. */
static int rule_of(db *d, const char *kind, int *share, int64_t *cap) {
  db_stmt *st = db_query(d, "SELECT share_bp, cap FROM fin_subsidy_rules WHERE kind = ?", DBT(kind));
  int ok = st && db_step(st) == DB_ROW;
  if (ok) {
    *share = (int)db_int(st, 0);
    *cap = db_int(st, 1);
  }
  db_done(st);
  return ok ? 0 : -1;
}

/* POST /api/v1/subsidies {kind, loan_id, base, batch, year} */
static void sub_post(req *r) {
  static const char *const fields[] = {"kind", "loan_id", "base", "batch", "year", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *kind = NULL, *batch = NULL;
  int64_t loan = 0, base = 0;
  char today[11];
  date_format(clock_today(), today);
  int64_t year = strtol(today, NULL, 10);
  jenum(r, in, "kind", 1, fin_subsidy_kinds, &kind);
  if (jmoney(r, in, "base", 1, &base) == JV_SET && base <= 0)
    field_error(r, "base", "担保费或利息金额须大于零", "the fee or interest must be more than zero");
  if (jstr(r, in, "batch", 0, 64, &batch) == JV_NULL) batch = NULL;
  jint(r, in, "year", 0, 2000, 2100, &year);
  int64_t ent = 0;
  if (jint(r, in, "loan_id", 1, 1, INT64_MAX, &loan) == JV_SET) {
    /* the loan, within scope: an enterprise applies only on its own loans */
    strbuf w = STRBUF_INIT;
    db_val args[3];
    int n = 0;
    args[n++] = DBI(loan);
    sb_adds(&w, "SELECT enterprise_unit_id FROM fin_loans WHERE id = ?");
    if (!scope_writes_all(r)) {
      sb_adds(&w, " AND enterprise_unit_id = ?");
      args[n++] = DBI(r->user.unit_id);
    }
    ent = db_int1v(r->db, 0, sb_str(&w), n, args);
    sb_release(&w);
    if (!ent) field_error(r, "loan_id", "贷款不存在或不属于本企业", "no such loan of your enterprise");
  }
  int share = 0;
  int64_t cap = 0;
  if (kind && !has_errors(r) && rule_of(r->db, kind, &share, &cap) != 0)
    field_error(r, "kind", "该类补贴尚未设定规则，请联系管理员", "no rule is set for this kind yet; ask the administrator");
  if (!has_errors(r) &&
      db_int1(r->db, 0, "SELECT 1 FROM fin_subsidies WHERE loan_id = ? AND kind = ? AND year = ?", DBI(loan), DBT(kind), DBI(year)) == 1)
    field_error(r, "loan_id", "该笔贷款本年度已申请过此类补贴", "this loan already has an application of this kind for the year");
  if (has_errors(r)) return reply_invalid(r);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  int64_t applied = fin_subsidy_amount(base, share, cap, cap_used(r->db, ent, kind, (int)year, 0));
  int64_t id = fin_subsidy_insert(r->db, kind, loan, ent, (int)year, batch, base, share, applied, today, now);
  rc = id ? add_event(r, id, "apply", today, applied, NULL, now) : db_errcode(r->db);
  json_t *after = rc == DB_OK ? sub_json(r->db, id, 1) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "create", "fin_subsidy", id, NULL, after) : db_errcode(r->db);
  if (after) fin_etag(r, after);
  commit_reply(r, rc, NULL, after, 201);
}

/* POST /api/v1/subsidies/{id}/events {event, date, amount, reason, voucher, base, version} */
static void sub_event(req *r) {
  static const char *const fields[] = {"event", "date", "amount", "reason", "voucher", "base", "version", NULL};
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, fields);
  if (!in) return;
  if (!sub_visible(r, id)) return reply_not_found(r, "补贴申请", "subsidy application");
  const char *event = NULL, *date = NULL, *reason = NULL, *voucher = NULL;
  int64_t amount = -1, base = 0;
  jenum(r, in, "event", 1, fin_subsidy_events, &event);
  /* permission first: reviewing and paying are the office's */
  if (event && code_of(fin_subsidy_events, event) != FE_RESUBMIT && !scope_writes_all(r))
    return reply_forbidden(r, "只有项目办可以审核和拨付补贴", "only the office may review and pay subsidies");
  jdate(r, in, "date", 1, &date);
  if (jstr(r, in, "reason", 0, 500, &reason) == JV_SET && !*reason) reason = NULL;
  if (jstr(r, in, "voucher", 0, 100, &voucher) == JV_SET && !*voucher) voucher = NULL;
  int has_amount = jmoney(r, in, "amount", 0, &amount) == JV_SET;
  int has_base = jmoney(r, in, "base", 0, &base) == JV_SET;
  int64_t version = req_version(r, in);
  if (has_errors(r)) return reply_invalid(r);
  int ev = code_of(fin_subsidy_events, event);
  json_t *before = sub_json(r->db, id, 0);
  if (!before) return reply_db_error(r, db_errcode(r->db));
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  const char *kind = json_string_value(json_object_get(before, "kind"));
  int64_t ent = json_integer_value(json_object_get(before, "enterprise_id"));
  int year = (int)json_integer_value(json_object_get(before, "year"));
  int64_t applied = 0, approved = 0;
  money_parse(json_string_value(json_object_get(before, "applied")), &applied);
  money_parse(json_string_value(json_object_get(before, "approved")), &approved);
  fin_step s = {code_of(fin_subsidy_states, json_string_value(json_object_get(before, "state"))), ev, 0, clock_today(), FIN_NO_DAY,
                reason != NULL, 0, 0};
  date_parse(date, &s.date);
  date_parse(json_string_value(json_object_get(before, "last_on")), &s.last_on);
  int share = 0;
  int64_t cap = 0;
  if (ev == FE_APPROVE) {
    /* at most what the rule gives now, the cap counted without this one */
    int64_t used = db_int1(r->db, 0,
                           "SELECT COALESCE(SUM(approved), 0) FROM fin_subsidies WHERE enterprise_unit_id = ? AND kind = ? AND year = ? "
                           "AND state IN ('approved', 'paid') AND id <> ?",
                           DBI(ent), DBT(kind), DBI(year), DBI(id));
    rule_of(r->db, kind, &share, &cap);
    int64_t base0 = 0;
    money_parse(json_string_value(json_object_get(before, "base")), &base0);
    int share0 = 0;
    fin_rate_parse(json_string_value(json_object_get(before, "share")), 10000, &share0);
    int64_t rule_amount = fin_subsidy_amount(base0, share0, cap, used);
    s.limit = applied < rule_amount ? applied : rule_amount;
    s.amount = has_amount ? amount : s.limit;
  } else if (ev == FE_PAY) {
    s.limit = approved;
    s.amount = has_amount ? amount : -1;
    if (!has_amount) field_error(r, "amount", "须填写拨付金额", "the amount paid is required");
    if (!voucher) field_error(r, "voucher", "须填写拨付凭证号", "the payment's voucher number is required");
  } else if (ev == FE_RESUBMIT) {
    if (!scope_writes_all(r) && !(has_role(r, ROLE_ENTERPRISE) && ent == r->user.unit_id)) {
      json_decref(before);
      return reply_forbidden(r, "只有企业本身或项目办可以重新提交", "only the enterprise or the office may resubmit");
    }
    if (has_base && base <= 0) field_error(r, "base", "担保费或利息金额须大于零", "the fee or interest must be more than zero");
  }
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }
  int next = -1, why = fin_subsidy_next(&s, &next);
  if (why == FR_WRONG_STATE) {
    json_decref(before);
    return reply_problem(r, 409, "状态不允许 / Not allowed in this state",
                         arena_printf(&r->a, "%s / %s", fin_why_zh(why), fin_why_en(why)));
  }
  if (why != FR_OK) {
    json_decref(before);
    field_error(r, fin_why_field(why), fin_why_zh(why), fin_why_en(why));
    return reply_invalid(r);
  }
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) {
    json_decref(before);
    return reply_db_error(r, rc);
  }
  const char *state = fin_subsidy_states[next];
  switch (ev) {
  case FE_APPROVE:
    rc = db_exec(r->db, "UPDATE fin_subsidies SET state = ?, approved = ?, return_reason = NULL, last_on = ?, version = version + 1, "
                        "updated_at = ? WHERE id = ? AND version = ?",
                 DBT(state), DBI(s.amount), DBT(date), DBT(now), DBI(id), DBI(version));
    break;
  case FE_RETURN:
    rc = db_exec(r->db, "UPDATE fin_subsidies SET state = ?, return_reason = ?, last_on = ?, version = version + 1, updated_at = ? "
                        "WHERE id = ? AND version = ?",
                 DBT(state), DBT(reason), DBT(date), DBT(now), DBI(id), DBI(version));
    break;
  case FE_PAY:
    rc = db_exec(r->db, "UPDATE fin_subsidies SET state = ?, paid = ?, paid_on = ?, voucher = ?, last_on = ?, version = version + 1, "
                        "updated_at = ? WHERE id = ? AND version = ?",
                 DBT(state), DBI(s.amount), DBT(date), DBT(voucher), DBT(date), DBT(now), DBI(id), DBI(version));
    break;
  default: { /* resubmit: the amount computed again from the (corrected) base */
    int64_t b = base;
    if (!has_base) money_parse(json_string_value(json_object_get(before, "base")), &b);
    if (rule_of(r->db, kind, &share, &cap) != 0) fin_rate_parse(json_string_value(json_object_get(before, "share")), 10000, &share);
    int64_t amt = fin_subsidy_amount(b, share, cap, cap_used(r->db, ent, kind, year, id));
    s.amount = amt;
    rc = db_exec(r->db, "UPDATE fin_subsidies SET state = ?, base = ?, share_bp = ?, applied = ?, last_on = ?, version = version + 1, "
                        "updated_at = ? WHERE id = ? AND version = ?",
                 DBT(state), DBI(b), DBI(share), DBI(amt), DBT(date), DBT(now), DBI(id), DBI(version));
  }
  }
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict",
                         "该申请已被他人修改，请刷新后重试 / The application was changed by someone else; reload and retry");
  }
  if (rc == DB_OK) rc = add_event(r, id, event, date, ev == FE_RETURN ? -1 : s.amount, ev == FE_PAY ? voucher : reason, now);
  json_t *after = rc == DB_OK ? sub_json(r->db, id, 1) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "fin_subsidy", id, before, after) : db_errcode(r->db);
  if (after) fin_etag(r, after);
  commit_reply(r, rc, before, after, 200);
}

json_t *fin_subsidy_totals(req *r, int year) {
  json_t *out = json_object();
  for (int k = 0; fin_subsidy_kinds[k]; k++) {
    strbuf w = STRBUF_INIT;
    db_val args[4];
    int n = 0;
    args[n++] = DBT(fin_subsidy_kinds[k]);
    args[n++] = DBI(year);
    sb_adds(&w, "SELECT COUNT(*), COUNT(DISTINCT s.enterprise_unit_id), COALESCE(SUM(s.applied), 0), COALESCE(SUM(s.approved), 0), "
                "COALESCE(SUM(s.paid), 0) FROM fin_subsidies s WHERE s.kind = ? AND s.year = ?");
    scope_sql(r, &w, args, &n);
    db_stmt *st = db_prepare(r->db, sb_str(&w), n, args);
    json_t *o = json_object();
    if (st && db_step(st) == DB_ROW) {
      json_object_set_new(o, "count", json_integer(db_int(st, 0)));
      json_object_set_new(o, "enterprises", json_integer(db_int(st, 1)));
      json_object_set_new(o, "applied", json_money(db_int(st, 2)));
      json_object_set_new(o, "approved", json_money(db_int(st, 3)));
      json_object_set_new(o, "paid", json_money(db_int(st, 4)));
    }
    db_done(st);
    sb_release(&w);
    json_object_set_new(out, fin_subsidy_kinds[k], o);
  }
  return out;
}

static const route sub_routes[] = {
    ROUTE("GET", "/api/v1/subsidy-rules", rules_get, FIN_READERS, "补贴规则 / Subsidy rules", 0),
    ROUTE("PUT", "/api/v1/subsidy-rules/{kind}", rule_put, ROLE_ADMIN, "设定补贴规则 / Set a subsidy rule", 0),
    ROUTE("GET", "/api/v1/subsidies", subs_list, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_ENTERPRISE, "补贴申请 / Subsidy applications", 0),
    ROUTE("GET", "/api/v1/subsidies/{id}", sub_get, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_ENTERPRISE, "补贴申请详情 / One subsidy application", 0),
    ROUTE("POST", "/api/v1/subsidies", sub_post, ROLE_ADMIN | ROLE_OFFICE | ROLE_ENTERPRISE, "申请补贴 / Apply for a subsidy", 0),
    ROUTE("POST", "/api/v1/subsidies/{id}/events", sub_event, ROLE_ADMIN | ROLE_OFFICE | ROLE_ENTERPRISE, "审核、退回、重新提交、拨付 / Review, return, resubmit, pay", 0),
    {0},
};

static const module fin_subsidies_module = {"fin_subsidies", 63, sub_routes, NULL, NULL, NULL};
MODULE_REGISTER(fin_subsidies_module)
