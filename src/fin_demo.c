/*
 * fin_demo.c — the demo district's financing: 株洲农商银行 and six other
 * banks (the demo's four plus three more, with a second bank login
 * `icbc / bank1234` at 中国工商银行株洲分行); 38 enterprises with needs,
 * credit and loans reproducing seed 000's figures for the current year —
 * ¥495 m of credit, 38 enterprises with ¥124.53 m of loans — plus a few
 * needs still open on the market; the subsidy rules and two batches:
 * 18 guarantee-fee applications for ¥396,250 (the first batch paid, the
 * second waiting for review) and 6 interest subsidies paid, ¥488,800; and
 * funds-seeking packages of the district's projects adding up to the seeds'
 * ¥6.3 bn, with the teams' targets.  Dates run from 1 January to the day
 * the demo is loaded, so the year's statistics always show those totals.
 * Also the banks' contacts on open needs and a white list of 15 enterprises.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "clock.h"
#include "demo.h"
#include "fin.h"
#include "http.h"

#define WAN INT64_C(1000000) /* 1万元 in fen */

static const char *const extra_banks[] = {"中国农业银行株洲分行", "中国银行株洲分行", "长沙银行株洲分行"};
static const char *const banks[] = {"株洲农商银行", "中国工商银行株洲分行", "中国建设银行株洲分行", "华融湘江银行株洲分行",
                                    "中国农业银行株洲分行", "中国银行株洲分行", "长沙银行株洲分行"};
/* which bank serves the i-th enterprise: 农商银行 the most */
static const int bank_of[] = {0, 0, 1, 0, 2, 3, 0, 4, 5, 0, 6, 1, 0, 2, 0, 3, 4, 0, 1, 5};

static const char *const words[] = {"荷塘", "金山", "桂花", "仙庾", "明照", "宋家桥", "月塘", "茨菇塘", "新塘", "龙泉",
                                    "湘江", "天鹅", "红旗", "建设", "晨光", "华达", "恒泰", "瑞丰", "兴旺", "鑫源",
                                    "宏远", "卓越", "中南", "长河", "蓝天", "百福"};
static const char *const trades[] = {"机械制造", "新材料", "电子科技", "物流", "食品", "服装", "陶瓷", "生物科技"};
static const char *const purposes[] = {"购置生产设备", "补充流动资金", "厂房扩建", "技术改造", "原材料采购", "研发投入"};
static const char *const collaterals[] = {"厂房抵押", "设备抵押", "担保公司担保", "应收账款质押", "知识产权质押", "信用"};

static uint32_t seed = 20220512u;
static int rnd(int n) {
  seed = seed * 1103515245u + 12345u;
  return (int)((seed >> 16) % (uint32_t)n);
}

/* The day i of n spread from 1 January to today. */
static const char *day_of(arena *a, int32_t jan1, int32_t today, int i, int n) {
  char *buf = arena_alloc(a, 11);
  date_format(jan1 + (int32_t)((int64_t)(today - jan1) * i / (n > 1 ? n - 1 : 1)), buf);
  return buf;
}

static int demo_fin(db *d, FILE *log) {
  arena a;
  arena_init(&a);
  const char *at = now_rfc3339(&a);
  int32_t today = clock_today();
  char tbuf[11];
  date_format(today, tbuf);
  int year = (tbuf[0] - '0') * 1000 + (tbuf[1] - '0') * 100 + (tbuf[2] - '0') * 10 + (tbuf[3] - '0');
  int32_t jan1 = 0;
  date_parse(arena_printf(&a, "%04d-01-01", year), &jan1);
  int64_t district = demo_unit_id(d, "荷塘区");
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < sizeof extra_banks / sizeof *extra_banks; i++)
    rc = demo_add_unit(d, extra_banks[i], "bank", district, at);
  int64_t bank_ids[7];
  for (int i = 0; i < 7; i++) bank_ids[i] = demo_unit_id(d, banks[i]);
  /* a second bank login */
  char hash[crypto_pwhash_STRBYTES];
  if (rc == 0 && auth_hash_password("bank1234", hash, sizeof hash) != 0) rc = -1;
  if (rc == 0)
    rc = db_exec(d,
                 "INSERT INTO users (login, name, phone, unit_id, roles, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, 'bank', ?, ?, ?)",
                 DBT("icbc"), DBT("钱授信"), DBT("13807330011"), DBI(bank_ids[1]), DBT(hash), DBT(at), DBT(at)) == DB_OK
             ? 0
             : -1;
  /* 38 enterprises: the demo's twelve and 26 more */
  int64_t ents[40] = {0};
  int nent = 0;
  db_stmt *st = db_query0(d, "SELECT id FROM units WHERE kind = 'enterprise' ORDER BY id");
  while (st && db_step(st) == DB_ROW && nent < 12) ents[nent++] = db_int(st, 0);
  db_done(st);
  for (int i = 0; rc == 0 && nent < 38; i++) {
    const char *name = arena_printf(&a, "株洲%s%s有限公司", words[i % 26], trades[i % 8]);
    rc = demo_add_unit(d, name, "enterprise", district, at);
    if (rc == 0) ents[nent++] = demo_unit_id(d, name);
  }
  /* loans: 38 of whole 万元 adding up to 12453万元; credit 49500万元 over
   * those 38 needs and 7 more */
  int64_t loans[38] = {0}, total = 0;
  for (int i = 0; i < 37; i++) {
    loans[i] = (int64_t)(327 + ((i * 37) % 11 - 5) * 40) * WAN;
    total += loans[i];
  }
  loans[37] = 12453 * WAN - total;
  int64_t credit_left = 49500 * WAN;
  int64_t needs[45] = {0};
  for (int i = 0; rc == 0 && i < 45; i++) {
    int e = i < 38 ? i : i - 38;
    int64_t amount = i < 38 ? loans[i] + (int64_t)(100 + rnd(8) * 50) * WAN : (int64_t)(300 + rnd(10) * 100) * WAN;
    const char *phone = arena_printf(&a, "1397331%04d", 1000 + i);
    needs[i] = fin_need_insert(d, ents[e], amount, 12 + 12 * rnd(3), purposes[i % 6], collaterals[i % 6], 400 + rnd(20) * 10,
                               arena_printf(&a, "%s经理", i % 2 ? "李" : "张"), phone, "open", at);
    if (!needs[i]) rc = -1;
  }
  /* credit first, then the loan */
  for (int i = 0; rc == 0 && i < 45; i++) {
    int64_t bank = bank_ids[bank_of[i % 20]];
    int64_t ent = ents[i < 38 ? i : i - 38];
    const char *on = day_of(&a, jan1, today, i, 45);
    int64_t credit = i < 44 ? (i < 38 ? loans[i] * 3 : 800 * WAN) : credit_left;
    credit_left -= credit;
    if (!fin_credit_insert(d, needs[i], bank, ent, credit, on, 385 + rnd(10) * 5, at)) rc = -1;
    if (rc == 0 && i < 38 && !fin_loan_insert(d, needs[i], bank, ent, loans[i], on, 12 + 12 * rnd(2), 385 + rnd(10) * 5, at)) rc = -1;
  }
  /* five needs still open on the market, without a bank yet */
  for (int i = 0; rc == 0 && i < 5; i++)
    if (!fin_need_insert(d, ents[20 + i], (int64_t)(200 + 150 * i) * WAN, 24, purposes[(i + 2) % 6], collaterals[(i + 1) % 6], 450, "王会计",
                         arena_printf(&a, "1597332%04d", 2000 + i), "open", at))
      rc = -1;
  /* the banks' contacts on the open needs, and the year's white list (推荐名单) */
  for (int i = 38; rc == 0 && i < 45; i++)
    rc = db_exec(d,
                 "INSERT INTO fin_contacts (need_id, bank_unit_id, enterprise_unit_id, contacted_on, note, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                 DBI(needs[i]), DBI(bank_ids[bank_of[i % 20]]), DBI(ents[i - 38]), DBT(day_of(&a, jan1, today, i, 45)),
                 DBT(i % 2 ? "实地走访，已收集财务报表" : "电话对接，约定下周上门"), DBT(at)) == DB_OK
             ? 0
             : -1;
  for (int i = 0; rc == 0 && i < 15; i++)
    rc = db_exec(d, "INSERT INTO fin_whitelist (enterprise_unit_id, year, note, created_at) VALUES (?, ?, ?, ?)", DBI(ents[i * 2 + 1]), DBI(year),
                 DBT(i < 5 ? "省级专精特新企业" : "区重点项目业主"), DBT(at)) == DB_OK
             ? 0
             : -1;
  /* loans served: the needs are closed */
  if (rc == 0) rc = db_exec(d, "UPDATE fin_needs SET state = 'closed' WHERE id IN (SELECT need_id FROM fin_loans)") == DB_OK ? 0 : -1;
  /* subsidy rules: 50 % of the fee, cap 5万 per enterprise per year; 50 % of the interest, cap 10万 */
  if (rc == 0) rc = fin_rule_set(d, "guarantee", 5000, 5 * WAN, at) == DB_OK && fin_rule_set(d, "interest", 5000, 10 * WAN, at) == DB_OK ? 0 : -1;
  static const int64_t guarantee[18] = {35000, 28000, 22500, 18750, 31000, 25000, 16500, 12000, 27500,
                                        19000, 24000, 15000, 21000, 13500, 30000, 17500, 26000, 14000}; /* 元: 396,250 */
  static const int64_t interest[6] = {98000, 92500, 85300, 80000, 70000, 63000};                          /* 元: 488,800 */
  const char *b1 = arena_printf(&a, "%d年第一批", year), *b2 = arena_printf(&a, "%d年第二批", year);
  for (int i = 0; rc == 0 && i < 24; i++) {
    int g = i < 18;
    int64_t amount = (g ? guarantee[i] : interest[i - 18]) * 100;
    int64_t loan = db_int1(d, 0, "SELECT id FROM fin_loans WHERE need_id = ?", DBI(needs[i]));
    const char *on = day_of(&a, jan1, today, i, 45);
    int64_t id = fin_subsidy_insert(d, g ? "guarantee" : "interest", loan, ents[i], year, g && i >= 10 ? b2 : b1, amount * 2, 5000, amount,
                                    on, at);
    if (!id) rc = -1;
    if (rc == 0) rc = db_exec(d, "INSERT INTO fin_subsidy_events (subsidy_id, type, on_date, amount, at) VALUES (?, 'apply', ?, ?, ?)", DBI(id),
                              DBT(on), DBI(amount), DBT(at)) == DB_OK ? 0 : -1;
    if (rc == 0 && (!g || i < 10)) /* the first batch and the interest subsidies: approved and paid */
      rc = db_exec(d, "UPDATE fin_subsidies SET state = 'paid', approved = ?, paid = ?, paid_on = ?, last_on = ?, voucher = ? WHERE id = ?",
                   DBI(amount), DBI(amount), DBT(tbuf), DBT(tbuf), DBT(arena_printf(&a, "CZ%d-%03d", year, i + 1)), DBI(id)) == DB_OK &&
                   db_exec(d, "INSERT INTO fin_subsidy_events (subsidy_id, type, on_date, amount, at) VALUES (?, 'approve', ?, ?, ?), "
                              "(?, 'pay', ?, ?, ?)", DBI(id), DBT(tbuf), DBI(amount), DBT(at), DBI(id), DBT(tbuf), DBI(amount), DBT(at)) == DB_OK
               ? 0
               : -1;
  }
  /* funds seeking: 63亿元 over the district's projects */
  static const struct {
    const char *kind;
    int64_t yi100; /* hundredths of 亿元 */
    int n;
  } packs[] = {{"central_budget", 1200, 8}, {"special_bond", 3800, 12}, {"provincial_fund", 900, 10}, {"other", 400, 5}};
  const char *teams[] = {"荷塘区发展和改革局", "荷塘区财政局", "荷塘区工业和信息化局", "荷塘区科技局"};
  int64_t projects[64];
  int np = 0;
  st = db_query0(d, "SELECT id FROM projects ORDER BY id LIMIT 64");
  while (st && db_step(st) == DB_ROW) projects[np++] = db_int(st, 0);
  db_done(st);
  int pi = 0;
  for (int k = 0; rc == 0 && np > 0 && k < 4; k++) {
    int64_t left = packs[k].yi100 * WAN; /* 1/100 亿 = 100万 = 100 × 1万 */
    left *= 100;
    for (int i = 0; rc == 0 && i < packs[k].n; i++) {
      int64_t applied = i + 1 < packs[k].n ? left / (packs[k].n - i) / WAN / 100 * 100 * WAN + (int64_t)rnd(5) * 100 * WAN : left;
      left -= applied;
      int64_t approved = i % 3 == 2 ? 0 : applied / 10 * (6 + i % 4);
      int64_t received = approved / 10 * (i % 2 ? 10 : 6);
      rc = db_exec(d,
                   "INSERT INTO fund_applications (project_id, kind, year, batch, applied, approved, received, team_unit_id, note, created_at, "
                   "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   DBI(projects[pi++ % np]), DBT(packs[k].kind), DBI(year), DBT(i % 2 ? b2 : b1), DBI(applied), DBI(approved),
                   DBI(received), DBI(demo_unit_id(d, teams[k])), DBT(NULL), DBT(at), DBT(at)) == DB_OK
               ? 0
               : -1;
    }
  }
  static const int64_t targets[4] = {15, 30, 8, 5}; /* 亿元 */
  for (int k = 0; rc == 0 && k < 4; k++)
    rc = db_exec(d, "INSERT INTO fund_targets (unit_id, year, target, updated_at) VALUES (?, ?, ?, ?)", DBI(demo_unit_id(d, teams[k])),
                 DBI(year), DBI(targets[k] * 10000 * WAN), DBT(at)) == DB_OK
             ? 0
             : -1;
  if (rc == 0) {
    audit_actor who = {0, "demo", "local"};
    json_t *after = json_pack("{s:i, s:i, s:i, s:i}", "needs", 50, "loans", 38, "subsidies", 24, "fund_applications", 35);
    rc = audit_write(d, &who, "create", "demo_finance", 0, NULL, after) == DB_OK ? 0 : -1;
    json_decref(after);
  }
  if (rc == 0 && log) fprintf(log, "demo: financing — 7 banks (login icbc / bank1234), 50 needs, 38 loans 12453万元, 24 subsidies, 63亿元 sought\n");
  arena_release(&a);
  return rc;
}

static const module fin_demo_module = {"fin_demo", 66, NULL, demo_fin, NULL, NULL};
MODULE_REGISTER(fin_demo_module)
