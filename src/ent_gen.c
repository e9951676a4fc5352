/*
 * ent_gen.c — enterprise services in `guatu gen` (src/gen.c calls
 * ent_gen once its units, users and projects are in, inside its
 * transaction): every unit of kind enterprise becomes a registry record
 * (a valid 统一社会信用代码 from its id, a town of its county, flags, a
 * chain, three years of figures, a commissioner for two in three), a
 * dozen policies, and about ten requests per enterprise in every state of
 * the loop, routed to its county's departments, a few of the open ones
 * overdue on the dataset's today.  Deterministic for a seed; ids are left
 * to the database (no sequence to move on PostgreSQL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "ent.h"
#include "escalation.h"
#include "http.h"

static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

typedef struct idpair {
  int64_t id, parent;
} idpair;

/* Units (or users' units) of a kind with their parents, by id. */
static int load(db *d, const char *sql, idpair **out) {
  int n = 0, cap = 256;
  idpair *a = malloc(sizeof *a * (size_t)cap);
  *out = a;
  if (!a) return 0;
  db_stmt *st = db_query0(d, sql);
  while (st && db_step(st) == DB_ROW) {
    if (n == cap) {
      idpair *b = realloc(a, sizeof *a * (size_t)(cap * 2));
      if (!b) break;
      a = b;
      cap *= 2;
    }
    a[n].id = db_int(st, 0);
    a[n].parent = db_int(st, 1);
    n++;
  }
  db_done(st);
  *out = a;
  return n;
}

/* The k-th (mod count) entry of `list` with this parent, or 0. */
static int64_t pick(const idpair *list, int n, int64_t parent, uint64_t k) {
  int count = 0;
  for (int i = 0; i < n; i++) count += list[i].parent == parent;
  if (!count) return 0;
  int want = (int)(k % (uint64_t)count);
  for (int i = 0; i < n; i++)
    if (list[i].parent == parent && want-- == 0) return list[i].id;
  return 0;
}

static const char *const gchains[] = {"新材料", "信创", "硬质材料", "现代物流", "先进装备制造", "电子信息", "生物医药", "新能源", "轨道交通"};
static const char *const texts[] = {"扩产需招聘一线工人，请协助对接人力资源市场。", "流动资金紧张，希望对接银行信贷产品。",
                                    "扩建用地指标请协调落实。", "新建厂房施工许可请加快办理。", "专变增容与天然气接入请协调。",
                                    "咨询高新技术企业认定奖励申报条件。", "厂区周边道路破损，影响货车通行。"};
static const char *const states[] = {"closed", "closed", "closed", "replied", "accepted", "in_progress", "open", "reopened", "closed", "replied"};

int ent_gen(db *d, uint64_t seed, int32_t today, const calendar *cal, FILE *log) {
  idpair *ents, *towns, *depts, *staff;
  int ne = load(d, "SELECT id, COALESCE(parent_id, 0) FROM units WHERE kind = 'enterprise' ORDER BY id", &ents);
  int nt = load(d, "SELECT id, COALESCE(parent_id, 0) FROM units WHERE kind = 'town' ORDER BY id", &towns);
  int nd = load(d, "SELECT id, COALESCE(parent_id, 0) FROM units WHERE kind = 'department' ORDER BY id", &depts);
  int ns = load(d, "SELECT u.id, u.unit_id FROM users u WHERE u.roles = 'unit' ORDER BY u.id", &staff);
  int rc = ents && towns && depts && staff ? DB_OK : DB_ERROR;
  int y, m, dd;
  date_to_ymd(today, &y, &m, &dd);
  char stamp[32];
  char tday[11];
  date_format(today, tday);
  snprintf(stamp, sizeof stamp, "%sT08:00:00Z", tday);
  int64_t nreq = 0;
  for (int i = 0; rc == DB_OK && i < ne; i++) {
    uint64_t h = mix(seed * 1000003u + (uint64_t)ents[i].id);
    char code[19];
    ent_uscc_make((uint64_t)ents[i].id, "430200", code);
    int64_t town = pick(towns, nt, ents[i].parent, h >> 8);
    int64_t comm = h % 3 ? pick(staff, ns, town, h >> 16) : 0;
    unsigned r = (unsigned)(h % 100);
    unsigned flags = (r < 40 ? ENT_F_ABOVE_SCALE : 0) | (r % 4 == 0 ? ENT_F_HIGH_TECH : 0) | (r % 5 == 1 ? ENT_F_TECH_SME : 0) |
                     (r % 17 == 3 ? ENT_F_GAZELLE : 0) | (r % 29 == 5 ? ENT_F_LITTLE_GIANT : 0) | (r % 13 == 2 ? ENT_F_SPECIALIZED : 0);
    char fl[128];
    ent_flags_format(flags, fl, sizeof fl);
    db_stmt *st = db_query(d,
                           "INSERT INTO enterprises (unit_id, uscc, name, legal_rep, contact_name, contact_phone, address, town_unit_id, "
                           "industry, chain, flags, commissioner_id, created_at, updated_at) "
                           "SELECT u.id, ?, u.name, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM units u WHERE u.id = ? RETURNING id",
                           DBT(code), DBT("法定代表人"), DBT("联系人"), DBT("13900000000"), DBT("园区路1号"), town ? DBI(town) : DBNULL,
                           DBT("制造业"), h % 10 == 9 ? DBNULL : DBT(gchains[h % 9]), DBT(fl), comm ? DBI(comm) : DBNULL, DBT(stamp),
                           DBT(stamp), DBI(ents[i].id));
    int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
    db_done(st);
    if (!id) {
      rc = db_errcode(d);
      break;
    }
    int64_t rev = (int64_t)(300 + (h >> 20) % 50000) * 10000 * 100; /* 300万–5亿, fen */
    for (int k = 0; rc == DB_OK && k < 3 && h % 11 != 7; k++) {
      int64_t rv = rev * (100 - 7 * k) / 100;
      rc = db_exec(d, "INSERT INTO enterprise_figures (enterprise_id, year, revenue, tax, employees, rd) VALUES (?, ?, ?, ?, ?, ?)", DBI(id),
                   DBI(y - 1 - k), DBI(rv), DBI(rv / 25), DBI(20 + (int64_t)((h >> 30) % 800)), DBI(rv * 3 / 100));
    }
    /* about ten requests, the last ones the most recent */
    int nq = 6 + (int)((h >> 40) % 9);
    for (int k = 0; rc == DB_OK && k < nq; k++) {
      uint64_t q = mix(h + (uint64_t)k);
      int64_t dept = pick(depts, nd, ents[i].parent, q >> 4);
      if (!dept) dept = depts[q % (uint64_t)nd].id;
      const char *state = states[(q >> 12) % 10];
      int cat = (int)((q >> 20) % 7);
      int days = ent_request_default_days(ent_request_categories[cat]);
      int back = (nq - k) * 12 + (int)((q >> 28) % 10); /* calendar days before today */
      if (!strcmp(state, "open") || !strcmp(state, "accepted") || !strcmp(state, "in_progress")) back = (int)((q >> 28) % 30);
      int32_t raised = today - back;
      while (!calendar_is_working_day(cal, raised)) raised--;
      int32_t due = problem_due_date(cal, raised, days), replied = calendar_add_working_days(cal, raised, 1 + (int)((q >> 36) % (unsigned)(days + 2)));
      if (replied > today) replied = today;
      int has_reply = !strcmp(state, "replied") || !strcmp(state, "closed");
      int closed = !strcmp(state, "closed");
      /* the level the escalation tick (ent_escalate.c) would have reached
       * by today, so that serving the dataset has nothing to catch up on */
      int waiting = !strcmp(state, "open") || !strcmp(state, "accepted") || !strcmp(state, "in_progress") || !strcmp(state, "reopened");
      int level = waiting ? problem_escalation_level(cal, raised, days, today, 0) : 0;
      char rs[11], du[11], rp[11], cl[11];
      date_format(raised, rs);
      date_format(due, du);
      date_format(replied, rp);
      date_format(replied + 2 <= today ? replied + 2 : today, cl);
      st = db_query(d,
                    "INSERT INTO enterprise_requests (enterprise_id, category, text, unit_id, state, raised_on, started_on, deadline_days, "
                    "due_date, reply, replied_on, closed_on, rating, escalation, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    DBI(id), DBT(ent_request_categories[cat]), DBT(texts[cat]), DBI(dept), DBT(state), DBT(rs), DBT(rs), DBI(days),
                    DBT(du), has_reply ? DBT("已协调办理。") : DBNULL, has_reply ? DBT(rp) : DBNULL, closed ? DBT(cl) : DBNULL,
                    closed ? DBI(3 + (int64_t)((q >> 44) % 3)) : DBNULL, DBI(level), DBT(stamp), DBT(stamp));
      int64_t qid = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
      db_done(st);
      if (!qid) rc = db_errcode(d);
      if (rc == DB_OK)
        rc = db_exec(d, "INSERT INTO enterprise_request_events (request_id, type, text, on_date, at) VALUES (?, 'raise', ?, ?, ?)", DBI(qid),
                     DBT(texts[cat]), DBT(rs), DBT(stamp));
      if (rc == DB_OK && has_reply)
        rc = db_exec(d, "INSERT INTO enterprise_request_events (request_id, type, text, on_date, at) VALUES (?, 'reply', ?, ?, ?)", DBI(qid),
                     DBT("已协调办理。"), DBT(rp), DBT(stamp));
      nreq++;
    }
  }
  static const char *const ptitles[] = {"高新技术企业认定奖励", "规上企业培育奖励", "专精特新企业融资贴息", "稳岗就业补贴", "纳税大户贡献奖励",
                                        "小微企业房租减免", "瞪羚企业成长奖励", "先进装备制造产业链专项扶持", "科技型中小企业研发费用补助",
                                        "小巨人企业奖励", "新材料产业链设备补助", "轨道交通产业链专项扶持"};
  static const char *const pconds[] = {
      "[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"high_tech\"}]",
      "[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"above_scale\"},{\"field\":\"revenue\",\"op\":\">=\",\"value\":\"20000000.00\"}]",
      "[{\"field\":\"flags\",\"op\":\"in\",\"value\":[\"specialized\",\"little_giant\"]}]",
      "[{\"field\":\"employees\",\"op\":\">=\",\"value\":100}]",
      "[{\"field\":\"tax\",\"op\":\">=\",\"value\":\"5000000.00\"}]",
      "[{\"field\":\"revenue\",\"op\":\"<=\",\"value\":\"20000000.00\"}]",
      "[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"gazelle\"},{\"field\":\"revenue\",\"op\":\">=\",\"value\":\"100000000.00\"}]",
      "[{\"field\":\"chain\",\"op\":\"=\",\"value\":\"先进装备制造\"}]",
      "[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"tech_sme\"},{\"field\":\"employees\",\"op\":\"<=\",\"value\":500}]",
      "[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"little_giant\"}]",
      "[{\"field\":\"chain\",\"op\":\"in\",\"value\":[\"新材料\",\"硬质材料\"]}]",
      "[{\"field\":\"chain\",\"op\":\"=\",\"value\":\"轨道交通\"}]"};
  char from[11], to[11];
  date_format(today - 200, from);
  date_format(today + 300, to);
  for (int i = 0; rc == DB_OK && i < 12; i++)
    rc = db_exec(d, "INSERT INTO policies (title, issuer, doc_no, valid_from, valid_to, benefit, conditions, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 DBT(ptitles[i]), DBT("湖南省工业和信息化厅"), DBT("湘工信〔2026〕1号"), DBT(from), DBT(to), DBT("按政策规定给予奖励或补助"),
                 DBT(pconds[i]), DBT(stamp), DBT(stamp));
  if (rc == DB_OK && log) fprintf(log, "enterprises: %d, requests: %lld, policies: 12\n", ne, (long long)nreq);
  free(ents);
  free(towns);
  free(depts);
  free(staff);
  return rc == DB_OK ? 0 : -1;
}
