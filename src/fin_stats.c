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

/* The sums over credits or loans `x` of the year within scope. */
typedef struct sums {
  int64_t count, amount, enterprises;
} sums;

static sums sum_of(req *r, const char *table, const char *datecol, int year) {
  strbuf w = STRBUF_INIT;
  db_val args[6];
  int n = 0;
  args[n++] = DBT(arena_printf(&r->a, "%04d-01-01", year));
  args[n++] = DBT(arena_printf(&r->a, "%04d-12-31", year));
  sb_addf(&w, "SELECT COUNT(*), COALESCE(SUM(x.amount), 0), COUNT(DISTINCT x.enterprise_unit_id) FROM %s x WHERE x.%s >= ? AND x.%s <= ?",
          table, datecol, datecol);
  fin_record_scope_sql(r, &w, args, &n);
  sums s = {0, 0, 0};
  db_stmt *st = db_prepare(r->db, sb_str(&w), n, args);
  if (st && db_step(st) == DB_ROW) s = (sums){db_int(st, 0), db_int(st, 1), db_int(st, 2)};
  db_done(st);
  sb_release(&w);
  return s;
}

typedef struct bank_row {
  int64_t id;
  const char *name;
  sums s[2]; /* credit, loans */
  int64_t served;
} bank_row;

/* The year's sums of `table` within scope grouped by bank, into rows[].s[which]. */
static void group_by_bank(req *r, const char *table, const char *datecol, int year, bank_row *rows, int nb, int which) {
  strbuf w = STRBUF_INIT;
  db_val args[6];
  int n = 0;
  args[n++] = DBT(arena_printf(&r->a, "%04d-01-01", year));
  args[n++] = DBT(arena_printf(&r->a, "%04d-12-31", year));
  sb_addf(&w, "SELECT x.bank_unit_id, COUNT(*), COALESCE(SUM(x.amount), 0), COUNT(DISTINCT x.enterprise_unit_id) FROM %s x "
              "WHERE x.%s >= ? AND x.%s <= ?", table, datecol, datecol);
  fin_record_scope_sql(r, &w, args, &n);
  sb_adds(&w, " GROUP BY x.bank_unit_id");
  db_stmt *st = db_prepare(r->db, sb_str(&w), n, args);
  while (st && db_step(st) == DB_ROW)
    for (int k = 0; k < nb; k++)
      if (rows[k].id == db_int(st, 0)) rows[k].s[which] = (sums){db_int(st, 1), db_int(st, 2), db_int(st, 3)};
  db_done(st);
  sb_release(&w);
}

/* The year's sums of `table` within scope per month, into out[0..11]. */
static void group_by_month(req *r, const char *table, const char *datecol, int year, sums *out) {
  strbuf w = STRBUF_INIT;
  db_val args[6];
  int n = 0;
  args[n++] = DBT(arena_printf(&r->a, "%04d-01-01", year));
  args[n++] = DBT(arena_printf(&r->a, "%04d-12-31", year));
  sb_addf(&w, "SELECT SUBSTR(x.%s, 6, 2), COUNT(*), COALESCE(SUM(x.amount), 0) FROM %s x WHERE x.%s >= ? AND x.%s <= ?", datecol, table,
          datecol, datecol);
  fin_record_scope_sql(r, &w, args, &n);
  sb_addf(&w, " GROUP BY SUBSTR(x.%s, 6, 2)", datecol);
  db_stmt *st = db_prepare(r->db, sb_str(&w), n, args);
  while (st && db_step(st) == DB_ROW) {
    long m = strtol(db_text(st, 0) ? db_text(st, 0) : "0", NULL, 10);
    if (m >= 1 && m <= 12) out[m - 1] = (sums){db_int(st, 1), db_int(st, 2), 0};
  }
  db_done(st);
  sb_release(&w);
}

/* GET /api/v1/financing/stats?year= */
static void fin_stats(req *r) {
  char today[11];
  date_format(clock_today(), today);
  int64_t year = qint(r, "year", 2000, 2100, strtol(today, NULL, 10));
  if (has_errors(r)) return reply_invalid(r);
  int y = (int)year;
  sums credit = sum_of(r, "fin_credits", "granted_on", y);
  sums loans = sum_of(r, "fin_loans", "disbursed_on", y);
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
  /* per bank: every bank for those who read everything, else the user's own
   * (an enterprise: the banks that served it); one grouped pass per table */
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
    int cap = 64, nb = 0;
    bank_row *rows = arena_alloc(&r->a, sizeof *rows * (size_t)cap);
    while (st && db_step(st) == DB_ROW) {
      if (nb == cap) {
        bank_row *more = arena_alloc(&r->a, sizeof *rows * (size_t)(cap *= 2));
        memcpy(more, rows, sizeof *rows * (size_t)nb);
        rows = more;
      }
      rows[nb] = (bank_row){.id = db_int(st, 0), .name = arena_strdup(&r->a, db_text(st, 1))};
      nb++;
    }
    db_done(st);
    sb_release(&w);
    group_by_bank(r, "fin_credits", "granted_on", y, rows, nb, 0);
    group_by_bank(r, "fin_loans", "disbursed_on", y, rows, nb, 1);
    int ent_only = has_role(r, ROLE_ENTERPRISE) && !scope_reads_all(r);
    if (!ent_only) {
      /* needs served: distinct needs with credit or a loan of the bank in the year */
      db_val a2[4] = {DBT(arena_printf(&r->a, "%04d-01-01", y)), DBT(arena_printf(&r->a, "%04d-12-31", y)),
                      DBT(arena_printf(&r->a, "%04d-01-01", y)), DBT(arena_printf(&r->a, "%04d-12-31", y))};
      st = db_prepare(r->db,
                      "SELECT bank_unit_id, COUNT(DISTINCT need_id) FROM (SELECT bank_unit_id, need_id FROM fin_credits WHERE granted_on >= ? "
                      "AND granted_on <= ? UNION SELECT bank_unit_id, need_id FROM fin_loans WHERE disbursed_on >= ? AND disbursed_on <= ?) q "
                      "GROUP BY bank_unit_id",
                      4, a2);
      while (st && db_step(st) == DB_ROW)
        for (int k = 0; k < nb; k++)
          if (rows[k].id == db_int(st, 0)) rows[k].served = db_int(st, 1);
      db_done(st);
    }
    for (int k = 0; k < nb; k++) {
      if (ent_only && !rows[k].s[0].count && !rows[k].s[1].count) continue;
      json_t *b = json_pack("{s:I, s:s, s:o, s:o, s:I, s:I, s:I}", "unit_id", (json_int_t)rows[k].id, "name", rows[k].name,
                            "credit_amount", json_money(rows[k].s[0].amount), "loans_amount", json_money(rows[k].s[1].amount),
                            "credit_count", (json_int_t)rows[k].s[0].count, "loans_count", (json_int_t)rows[k].s[1].count,
                            "enterprises_with_loans", (json_int_t)rows[k].s[1].enterprises);
      if (!ent_only) json_object_set_new(b, "needs_served", json_integer(rows[k].served));
      json_array_append_new(by_bank, b);
    }
  }
  json_object_set_new(o, "by_bank", by_bank);
  /* per month */
  json_t *by_month = json_array();
  sums months[2][12];
  memset(months, 0, sizeof months);
  group_by_month(r, "fin_credits", "granted_on", y, months[0]);
  group_by_month(r, "fin_loans", "disbursed_on", y, months[1]);
  for (int m = 1; m <= 12; m++)
    json_array_append_new(by_month, json_pack("{s:s, s:o, s:o, s:I}", "month", arena_printf(&r->a, "%04d-%02d", y, m), "credit_amount",
                                              json_money(months[0][m - 1].amount), "loans_amount", json_money(months[1][m - 1].amount),
                                              "loans_count", (json_int_t)months[1][m - 1].count));
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
    ROUTE("GET", "/api/v1/financing/stats", fin_stats, FIN_READERS, "银企对接统计 / Financing statistics", 0, DOM_FINANCE),
    {0},
};

static const module fin_stats_module = {"fin_stats", 65, stats_routes, NULL, NULL, NULL};
MODULE_REGISTER(fin_stats_module)
