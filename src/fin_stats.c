/*
 * fin_stats.c — the financing statistics: for a year, credit granted and
 * loans disbursed in total, per bank, per month and per enterprise, the
 * needs posted, and the subsidies applied, approved and paid, with a
 * sentence in the seeds' style ("38家企业获得贷款12453.00万元").  Every sum
 * is taken in the SQL within the user's scope: a bank sees only its own
 * credit and loans, an enterprise its own.
 *
 * GET /api/v1/financing/stats?year=
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "clock.h"
#include "fin.h"
#include "money.h"

/* The sums over credits or loans `x` of the year within scope, optionally
 * with an extra condition and its value. */
typedef struct sums {
  int64_t count, amount, enterprises;
} sums;

static sums sum_of(req *r, const char *table, const char *datecol, int year, const char *extra, db_val extra_v) {
  strbuf w = STRBUF_INIT;
  db_val args[6];
  int n = 0;
  args[n++] = DBT(arena_printf(&r->a, "%04d-01-01", year));
  args[n++] = DBT(arena_printf(&r->a, "%04d-12-31", year));
  sb_addf(&w, "SELECT COUNT(*), COALESCE(SUM(x.amount), 0), COUNT(DISTINCT x.enterprise_unit_id) FROM %s x WHERE x.%s >= ? AND x.%s <= ?",
          table, datecol, datecol);
  fin_record_scope_sql(r, &w, args, &n);
  if (extra) {
    sb_adds(&w, extra);
    args[n++] = extra_v;
  }
  sums s = {0, 0, 0};
  db_stmt *st = db_prepare(r->db, sb_str(&w), n, args);
  if (st && db_step(st) == DB_ROW) s = (sums){db_int(st, 0), db_int(st, 1), db_int(st, 2)};
  db_done(st);
  sb_release(&w);
  return s;
}

/* GET /api/v1/financing/stats?year= */
static void fin_stats(req *r) {
  char today[11];
  date_format(clock_today(), today);
  int64_t year = qint(r, "year", 2000, 2100, strtol(today, NULL, 10));
  if (has_errors(r)) return reply_invalid(r);
  int y = (int)year;
  sums credit = sum_of(r, "fin_credits", "granted_on", y, NULL, DBNULL);
  sums loans = sum_of(r, "fin_loans", "disbursed_on", y, NULL, DBNULL);
  json_t *o = json_pack("{s:I, s:I, s:o, s:I, s:o, s:I, s:I}", "year", (json_int_t)year, "enterprises_with_loans",
                        (json_int_t)loans.enterprises, "loans_amount", json_money(loans.amount), "loans_count", (json_int_t)loans.count,
                        "credit_amount", json_money(credit.amount), "credit_count", (json_int_t)credit.count, "enterprises_with_credit",
                        (json_int_t)credit.enterprises);
  /* the needs posted in the year that the user can see */
  {
    strbuf w = STRBUF_INIT;
    db_val args[6];
    int n = 0;
    args[n++] = DBT(arena_printf(&r->a, "%04d-01-01", y));
    args[n++] = DBT(arena_printf(&r->a, "%04d-01-01", y + 1));
    sb_adds(&w, "SELECT COUNT(*), COALESCE(SUM(n.amount), 0), COALESCE(SUM(CASE WHEN n.state = 'open' THEN 1 ELSE 0 END), 0) "
                "FROM fin_needs n WHERE n.created_at >= ? AND n.created_at < ?");
    fin_need_scope_sql(r, &w, args, &n);
    db_stmt *st = db_prepare(r->db, sb_str(&w), n, args);
    if (st && db_step(st) == DB_ROW)
      json_object_set_new(o, "needs", json_pack("{s:I, s:o, s:I}", "count", (json_int_t)db_int(st, 0), "amount", json_money(db_int(st, 1)),
                                                "open", (json_int_t)db_int(st, 2)));
    db_done(st);
    sb_release(&w);
  }
  /* per bank: every bank for those who read everything, else the user's own */
  json_t *by_bank = json_array();
  {
    strbuf w = STRBUF_INIT;
    db_val args[4];
    int n = 0;
    sb_adds(&w, "SELECT u.id, u.name FROM units u WHERE u.kind = 'bank'");
    if (has_role(r, ROLE_BANK) && !scope_reads_all(r)) {
      sb_adds(&w, " AND u.id = ?");
      args[n++] = DBI(r->user.unit_id);
    }
    sb_adds(&w, " ORDER BY u.sort_order, u.id");
    db_stmt *st = db_prepare(r->db, sb_str(&w), n, args);
    int64_t ids[256];
    json_t *names = json_array();
    int nb = 0;
    while (st && db_step(st) == DB_ROW && nb < 256) {
      ids[nb++] = db_int(st, 0);
      json_array_append_new(names, json_string(db_text(st, 1)));
    }
    db_done(st);
    sb_release(&w);
    for (int k = 0; k < nb; k++) {
      sums c = sum_of(r, "fin_credits", "granted_on", y, " AND x.bank_unit_id = ?", DBI(ids[k]));
      sums l = sum_of(r, "fin_loans", "disbursed_on", y, " AND x.bank_unit_id = ?", DBI(ids[k]));
      if (has_role(r, ROLE_ENTERPRISE) && !scope_reads_all(r) && !c.count && !l.count) continue;
      int64_t served = db_int1(r->db, 0,
                               "SELECT COUNT(DISTINCT need_id) FROM (SELECT need_id FROM fin_credits WHERE bank_unit_id = ? AND granted_on >= ? "
                               "AND granted_on <= ? UNION SELECT need_id FROM fin_loans WHERE bank_unit_id = ? AND disbursed_on >= ? AND "
                               "disbursed_on <= ?) q",
                               DBI(ids[k]), DBT(arena_printf(&r->a, "%04d-01-01", y)), DBT(arena_printf(&r->a, "%04d-12-31", y)),
                               DBI(ids[k]), DBT(arena_printf(&r->a, "%04d-01-01", y)), DBT(arena_printf(&r->a, "%04d-12-31", y)));
      if (has_role(r, ROLE_ENTERPRISE) && !scope_reads_all(r)) served = -1;
      json_t *b = json_pack("{s:I, s:O, s:o, s:o, s:I, s:I, s:I}", "unit_id", (json_int_t)ids[k], "name", json_array_get(names, (size_t)k),
                            "credit_amount", json_money(c.amount), "loans_amount", json_money(l.amount), "credit_count",
                            (json_int_t)c.count, "loans_count", (json_int_t)l.count, "enterprises_with_loans", (json_int_t)l.enterprises);
      if (served >= 0) json_object_set_new(b, "needs_served", json_integer(served));
      json_array_append_new(by_bank, b);
    }
    json_decref(names);
  }
  json_object_set_new(o, "by_bank", by_bank);
  /* per month */
  json_t *by_month = json_array();
  for (int m = 1; m <= 12; m++) {
    const char *month = arena_printf(&r->a, "%04d-%02d", y, m);
    sums c = sum_of(r, "fin_credits", "granted_on", y, " AND SUBSTR(x.granted_on, 1, 7) = ?", DBT(month));
    sums l = sum_of(r, "fin_loans", "disbursed_on", y, " AND SUBSTR(x.disbursed_on, 1, 7) = ?", DBT(month));
    json_array_append_new(by_month, json_pack("{s:s, s:o, s:o, s:I}", "month", month, "credit_amount", json_money(c.amount), "loans_amount",
                                              json_money(l.amount), "loans_count", (json_int_t)l.count));
  }
  json_object_set_new(o, "by_month", by_month);
  /* per enterprise: the twenty with the most loans */
  {
    strbuf w = STRBUF_INIT;
    db_val args[6];
    int n = 0;
    args[n++] = DBT(arena_printf(&r->a, "%04d-01-01", y));
    args[n++] = DBT(arena_printf(&r->a, "%04d-12-31", y));
    sb_adds(&w, "SELECT x.enterprise_unit_id, e.name, COUNT(*), COALESCE(SUM(x.amount), 0) FROM fin_loans x JOIN units e ON e.id = "
                "x.enterprise_unit_id WHERE x.disbursed_on >= ? AND x.disbursed_on <= ?");
    fin_record_scope_sql(r, &w, args, &n);
    sb_adds(&w, " GROUP BY x.enterprise_unit_id, e.name ORDER BY COALESCE(SUM(x.amount), 0) DESC, x.enterprise_unit_id LIMIT 20");
    json_t *by_ent = json_array();
    db_stmt *st = db_prepare(r->db, sb_str(&w), n, args);
    while (st && db_step(st) == DB_ROW)
      json_array_append_new(by_ent, json_pack("{s:I, s:s, s:I, s:o}", "unit_id", (json_int_t)db_int(st, 0), "name", db_text(st, 1),
                                              "loans_count", (json_int_t)db_int(st, 2), "loans_amount", json_money(db_int(st, 3))));
    db_done(st);
    sb_release(&w);
    json_object_set_new(o, "by_enterprise", by_ent);
  }
  json_object_set_new(o, "subsidies", fin_subsidy_totals(r, y));
  char cw[32], lw[32];
  money_format_wan(credit.amount, cw);
  money_format_wan(loans.amount, lw);
  json_object_set_new(o, "summary", json_string(arena_printf(&r->a, "%d年授信%s万元，%lld家企业获得贷款%s万元", y, cw,
                                                             (long long)loans.enterprises, lw)));
  reply_json(r, 200, o);
}

static const route stats_routes[] = {
    ROUTE("GET", "/api/v1/financing/stats", fin_stats, FIN_READERS, "银企对接统计 / Financing statistics", 0),
    {0},
};

static const module fin_stats_module = {"fin_stats", 65, stats_routes, NULL, NULL, NULL};
MODULE_REGISTER(fin_stats_module)
