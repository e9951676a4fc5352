/*
 * fin_gen.c — the financing part of `guatu gen` (gen.c calls fin_gen when
 * the tables exist): for every enterprise unit a few financing needs, on
 * most of them credit from one or two banks and a loan, guarantee-fee and
 * interest subsidy applications on a share of the loans in every state, the
 * two subsidy rules, and funds-seeking applications for one project in ten
 * with the department teams' targets.  Deterministic (its own splitmix64
 * stream from the seed), dated up to the generator's fixed "today".
 * Province scale: about 1,900 enterprises × 8 needs ≈ 15,000 needs,
 * 9,000 credit grants, 6,000 loans, 2,400 subsidies, 5,000 fund
 * applications.
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "fin.h"

typedef struct frng {
  uint64_t s;
} frng;
static uint64_t fnext(frng *r) {
  uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static int64_t fn(frng *r, int64_t n) { return n <= 0 ? 0 : (int64_t)(fnext(r) % (uint64_t)n); }

/* The ids of a query's first column, malloc'ed; *n set. */
static int64_t *ids_of(db *d, const char *sql, int *n) {
  int cap = 1024;
  int64_t *v = malloc(sizeof *v * (size_t)cap);
  *n = 0;
  if (!v) return NULL;
  db_stmt *st = db_query0(d, sql);
  while (st && db_step(st) == DB_ROW) {
    if (*n == cap) {
      int64_t *w = realloc(v, sizeof *v * (size_t)(cap *= 2));
      if (!w) {
        free(v);
        db_done(st);
        return NULL;
      }
      v = w;
    }
    v[(*n)++] = db_int(st, 0);
  }
  db_done(st);
  return v;
}

static const char *const purposes[] = {"购置生产设备", "补充流动资金", "厂房扩建", "技术改造", "原材料采购", "研发投入", "订单生产"};
static const char *const collaterals[] = {"厂房抵押", "设备抵押", "担保公司担保", "应收账款质押", "知识产权质押", "信用", "土地抵押"};

int fin_gen(db *d, uint64_t seed, int32_t today, const char *stamp) {
  frng r = {seed ^ 0x46494e414e4345ULL};
  int nent = 0, nbank = 0, nproj = 0, ndept = 0;
  int64_t *ents = ids_of(d, "SELECT id FROM units WHERE kind = 'enterprise' ORDER BY id", &nent);
  int64_t *banks = ids_of(d, "SELECT id FROM units WHERE kind = 'bank' ORDER BY id", &nbank);
  int64_t *projs = ids_of(d, "SELECT id FROM projects ORDER BY id", &nproj);
  int64_t *depts = ids_of(d, "SELECT id FROM units WHERE kind = 'department' ORDER BY id", &ndept);
  int rc = ents && banks && projs && depts ? DB_OK : DB_ERROR;
  char buf[11];
  date_format(today, buf);
  int year = (int)strtol(buf, NULL, 10);
  int32_t jan1 = date_from_ymd(year, 1, 1);
  if (rc == DB_OK) rc = fin_rule_set(d, "guarantee", 5000, 5000000, stamp);
  if (rc == DB_OK) rc = fin_rule_set(d, "interest", 5000, 10000000, stamp);
  int64_t n_needs = 0, n_loans = 0;
  for (int e = 0; rc == DB_OK && nbank > 0 && e < nent; e++) {
    int k = 6 + (int)fn(&r, 5);
    for (int i = 0; rc == DB_OK && i < k; i++) {
      int64_t amount = (50 + fn(&r, 950)) * 1000000 + fn(&r, 100) * 100; /* 50万–1000万, odd to the 元 */
      int served = fn(&r, 10) < 6, lent = served && fn(&r, 10) < 7;
      char phone[16];
      snprintf(phone, sizeof phone, "139%08d", (int)fn(&r, 100000000));
      int64_t need = fin_need_insert(d, ents[e], amount, 6 + 6 * (int)fn(&r, 6), purposes[fn(&r, 7)], collaterals[fn(&r, 7)],
                                     380 + 5 * (int)fn(&r, 30), "财务负责人", phone, lent ? "closed" : "open", stamp);
      if (!need) rc = db_errcode(d);
      n_needs++;
      if (rc != DB_OK || !served) continue;
      int32_t on = jan1 + (int32_t)fn(&r, today - jan1 + 1);
      date_format(on, buf);
      int64_t bank = banks[fn(&r, nbank)];
      if (!fin_credit_insert(d, need, bank, ents[e], amount / 100 * (80 + fn(&r, 60)), buf, 385 + 5 * (int)fn(&r, 20), stamp))
        rc = db_errcode(d);
      if (rc == DB_OK && fn(&r, 4) == 0 &&
          !fin_credit_insert(d, need, banks[fn(&r, nbank)], ents[e], amount / 2, buf, 390 + 5 * (int)fn(&r, 20), stamp))
        rc = db_errcode(d);
      if (rc != DB_OK || !lent) continue;
      int64_t lamount = amount / 100 * (60 + fn(&r, 41));
      int64_t loan = fin_loan_insert(d, need, bank, ents[e], lamount, buf, 12 * (1 + (int)fn(&r, 3)), 385 + 5 * (int)fn(&r, 20), stamp);
      if (!loan) rc = db_errcode(d);
      n_loans++;
      /* a subsidy on two loans in five: pending, returned, approved or paid */
      if (rc == DB_OK && fn(&r, 5) < 2) {
        int g = fn(&r, 2) == 0;
        int64_t base = lamount / 1000 * (5 + fn(&r, 20)) + fn(&r, 100);
        int64_t amt = fin_share_round(base, 5000);
        if (amt > (g ? 5000000 : 10000000)) amt = g ? 5000000 : 10000000;
        int64_t id = fin_subsidy_insert(d, g ? "guarantee" : "interest", loan, ents[e], year, fn(&r, 2) ? "第一批" : "第二批", base, 5000,
                                        amt, buf, stamp);
        if (!id) rc = db_errcode(d);
        int st = (int)fn(&r, 4);
        if (rc == DB_OK && st == 1)
          rc = db_exec(d, "UPDATE fin_subsidies SET state = 'returned', return_reason = '材料不全' WHERE id = ?", DBI(id));
        else if (rc == DB_OK && st >= 2)
          rc = db_exec(d, "UPDATE fin_subsidies SET state = ?, approved = ?, paid = ?, paid_on = ? WHERE id = ?", DBT(st == 3 ? "paid" : "approved"),
                       DBI(amt), st == 3 ? DBI(amt) : DBNULL, st == 3 ? DBT(buf) : DBNULL, DBI(id));
        if (rc == DB_OK)
          rc = db_exec(d, "INSERT INTO fin_subsidy_events (subsidy_id, type, on_date, amount, at) VALUES (?, 'apply', ?, ?, ?)", DBI(id), DBT(buf),
                       DBI(amt), DBT(stamp));
      }
    }
  }
  static const char *const kinds[] = {"central_budget", "special_bond", "provincial_fund", "other"};
  for (int p = 0; rc == DB_OK && p < nproj; p += 10) {
    int64_t applied = (200 + fn(&r, 9800)) * 1000000;
    int64_t approved = fn(&r, 3) ? applied / 100 * (40 + fn(&r, 61)) : 0;
    int64_t received = approved / 100 * fn(&r, 101);
    rc = db_exec(d,
                 "INSERT INTO fund_applications (project_id, kind, year, batch, applied, approved, received, team_unit_id, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 DBI(projs[p]), DBT(kinds[fn(&r, 4)]), DBI(year - (int)fn(&r, 2)), DBT(fn(&r, 2) ? "第一批" : "第二批"), DBI(applied),
                 DBI(approved), DBI(received), ndept ? DBI(depts[fn(&r, ndept)]) : DBNULL, DBT(stamp), DBT(stamp));
  }
  for (int i = 0; rc == DB_OK && i < ndept && i < 400; i += 4)
    rc = db_exec(d, "INSERT INTO fund_targets (unit_id, year, target, updated_at) VALUES (?, ?, ?, ?)", DBI(depts[i]), DBI(year),
                 DBI((int64_t)(1 + fn(&r, 20)) * 10000000000LL), DBT(stamp));
  fprintf(stderr, "\nfinancing: %lld needs, %lld loans\n", (long long)n_needs, (long long)n_loans);
  free(ents);
  free(banks);
  free(projs);
  free(depts);
  return rc;
}
