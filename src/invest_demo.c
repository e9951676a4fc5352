/*
 * invest_demo.c — the demo district's attraction pipeline (招商引资): the
 * Q1 of 高新区's seed (seed 003) — 17 signings, 13 of them industrial, 11
 * of ¥100 m or more, one 三类500强 — linked to projects already in the
 * library, with 43 leads in reserve at the quarter's end, lost leads with
 * their reasons, meetings and the year's targets per team.  The quarter is
 * the last first quarter that has ended (as of the clock's today), so the
 * figures read the same whatever day the demo is loaded.
 *
 * The signed leads take the promised investment from their project and a
 * promised start around the project's real start (its 开工 node), so 履约率
 * has kept and late contracts.  Runs after the projects' demo.
 */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "demo.h"
#include "http.h"
#include "invest.h"

static const char *const teams[] = {"荷塘区招商局", "金山新城指挥部", "金山街道", "桂花街道", "仙庾镇", "明照街道"};
static const char *const chains[] = {"新材料", "硬质材料", "先进装备制造", "信创", "现代物流", "生物医药", "商贸服务"};
static const char *const channels[] = {"以商招商", "异地商会", "推介会", "迎老乡回故乡建家乡", "驻点招商", "中介招商"};
static const char *const surnames[] = {"刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林"};
static const char *const reserve_investors[] = {
    "深圳", "东莞", "长沙", "广州", "宁波", "苏州", "武汉", "厦门", "佛山", "杭州", "成都", "温州", "上海", "北京",
};
static const char *const lost_reasons[] = {"投资方资金链紧张，暂缓投资", "落户邻市，对方给出更低地价", "用地指标无法落实",
                                           "环评不符合园区准入要求", "投资方战略调整，项目取消", "投资强度低于园区门槛"};

typedef struct demo {
  db *d;
  arena *a;
  const char *at;
  int64_t team[6];
  unsigned seed;
} demo;

static unsigned rnd(demo *c, unsigned n) {
  c->seed = c->seed * 1103515245u + 12345u;
  return (c->seed >> 8) % n;
}

static const char *day(demo *c, int32_t d) {
  char *b = arena_alloc(c->a, 11);
  date_format(d, b);
  return b;
}

static int64_t insert_lead(demo *c, const char *investor, const char *pname, int64_t amount, const char *chain, const char *channel,
                           const char *klass, int64_t team, const char *stage, const char *created_on, const char *lost) {
  char phone[16];
  snprintf(phone, sizeof phone, "139%08u", 7330000u + rnd(c, 90000));
  const char *contact = arena_printf(c->a, "%s%s", surnames[rnd(c, 12)], rnd(c, 2) ? "先生" : "女士");
  db_stmt *st = db_query(c->d,
                         "INSERT INTO leads (investor, project_name, amount, chain, channel, investor_class, team_unit_id, lead_person, "
                         "contact_name, contact_phone, stage, lost_reason, created_on, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBT(investor), DBT(pname), DBI(amount), DBT(chain), DBT(channel), DBT(klass), DBI(team),
                         DBT(arena_printf(c->a, "%s科长", surnames[rnd(c, 12)])), DBT(contact), DBT(phone), DBT(stage), DBT(lost),
                         DBT(created_on), DBT(c->at), DBT(c->at));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  if (id && db_exec(c->d, "INSERT INTO lead_events (lead_id, from_stage, to_stage, reason, at) VALUES (?, NULL, ?, ?, ?)", DBI(id),
                    DBT(stage), DBT(lost), DBT(c->at)) != DB_OK)
    return 0;
  return id;
}

static int meeting(demo *c, int64_t lead, const char *kind, const char *on, const char *record) {
  return db_exec(c->d,
                 "INSERT INTO lead_meetings (lead_id, kind, held_on, participants, record, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                 DBI(lead), DBT(kind), DBT(on), DBT("区招商局、自然资源分局、发改局、投资方代表"), DBT(record), DBT(c->at)) == DB_OK
             ? 0
             : -1;
}

/* Picks `n` projects of the category (or, with other, of any other) that
 * are (or are not) of ¥100 m or more and not yet linked to a lead. */
static int pick(demo *c, int64_t *ids, int n, int industrial, int big) {
  char sql[512];
  snprintf(sql, sizeof sql,
           "SELECT id FROM projects WHERE category %s ? AND total_investment %s ? AND stage <> 'reserve' "
           "AND id NOT IN (SELECT project_id FROM leads WHERE project_id IS NOT NULL) ORDER BY id LIMIT ?",
           industrial ? "=" : "<>", big ? ">=" : "<");
  db_stmt *st = db_query(c->d, sql, DBT("产业项目"), DBI(10000000000LL), DBI(n));
  int k = 0;
  while (st && k < n && db_step(st) == DB_ROW) ids[k++] = db_int(st, 0);
  db_done(st);
  return k;
}

static int demo_invest(db *d, FILE *log) {
  arena a;
  arena_init(&a);
  demo c = {d, &a, now_rfc3339(&a), {0}, 16};
  for (int k = 0; k < 6; k++) c.team[k] = demo_unit_id(d, teams[k]);
  if (!c.team[0] || !c.team[2]) {
    arena_release(&a);
    return 0;
  }
  int32_t today = clock_today();
  int y, m, dd;
  date_to_ymd(today, &y, &m, &dd);
  int qy = m >= 4 ? y : y - 1; /* the last first quarter that has ended */
  int32_t q1, q1end;
  invest_period(qy, 1, &q1, &q1end);
  /* 17 signings: 10 + 3 industrial (≥ / < ¥100 m), 1 + 3 others */
  int64_t pids[17];
  int np = pick(&c, pids, 10, 1, 1);
  np += pick(&c, pids + np, 3, 1, 0);
  np += pick(&c, pids + np, 1, 0, 1);
  np += pick(&c, pids + np, 3, 0, 0);
  int rc = 0;
  for (int i = 0; rc == 0 && i < np; i++) {
    db_stmt *st = db_query(d,
                           "SELECT p.name, p.total_investment, COALESCE(p.chain, '新材料'), p.land_area, COALESCE(o.name, ''), "
                           "(SELECT MIN(n.actual_date) FROM nodes n WHERE n.project_id = p.id AND n.kind = 'start'), "
                           "(SELECT MIN(n.planned_date) FROM nodes n WHERE n.project_id = p.id AND n.kind = 'start') "
                           "FROM projects p LEFT JOIN units o ON o.id = p.owner_unit_id WHERE p.id = ?",
                           DBI(pids[i]));
    if (!st || db_step(st) != DB_ROW) {
      db_done(st);
      rc = -1;
      break;
    }
    const char *pname = arena_strdup(&a, db_text(st, 0));
    int64_t total = db_int(st, 1), land = db_int(st, 3);
    const char *chain = arena_strdup(&a, db_text(st, 2));
    const char *owner = arena_strdup(&a, db_text(st, 4));
    int32_t started = INVEST_NO_DAY, planned = INVEST_NO_DAY;
    if (!db_isnull(st, 5)) date_parse(db_text(st, 5), &started);
    if (!db_isnull(st, 6)) date_parse(db_text(st, 6), &planned);
    db_done(st);
    int32_t signed_on = q1 + 4 + i * 5; /* spread over the quarter */
    /* the promise: around the real start, two of three kept */
    int32_t promised = started != INVEST_NO_DAY ? started + (i % 3 == 2 ? -20 : 10)
                       : planned != INVEST_NO_DAY ? planned
                                                  : signed_on + 120;
    if (promised < signed_on) promised = signed_on + 30;
    const char *investor = *owner ? owner : arena_printf(&a, "%s投资方", pname);
    int64_t team = c.team[i % 6] ? c.team[i % 6] : c.team[0];
    int64_t id = insert_lead(&c, investor, pname, total, chain, channels[i % 6], i == 0 ? "fortune500" : "none", team,
                             i % 4 == 3 ? "registered" : "signed", day(&c, signed_on - 60 - (int32_t)rnd(&c, 90)), NULL);
    if (!id) rc = -1;
    if (rc == 0 && db_exec(d,
                           "UPDATE leads SET signed_on = ?, promised_start = ?, promised_investment = ?, promised_tax = ?, "
                           "land_area = ?, project_id = ? WHERE id = ?",
                           DBT(day(&c, signed_on)), DBT(day(&c, promised)), DBI(total), DBI(total / 50), DBI(land), DBI(pids[i]),
                           DBI(id)) != DB_OK)
      rc = -1;
    if (rc == 0) rc = meeting(&c, id, "decision", day(&c, signed_on - 7), "区招商引资决策会审议通过，同意签约");
  }
  /* 43 leads in reserve at the quarter's end */
  static const char *const pre[] = {"lead", "negotiation", "prereview", "decision"};
  for (int i = 0; rc == 0 && i < 43; i++) {
    const char *stage = pre[i % 4];
    int64_t amount = (int64_t)(3000 + rnd(&c, 200000)) * 10000 * 100 / 10; /* ¥30 m … ¥2 bn */
    const char *investor = arena_printf(&a, "%s%s%s有限公司", reserve_investors[i % 14], chains[i % 7],
                                        i % 3 ? "科技" : "产业投资");
    int64_t id = insert_lead(&c, investor, arena_printf(&a, "%s项目", chains[i % 7]), amount, chains[i % 7], channels[i % 6],
                             i == 5 ? "china500" : i == 11 ? "private500" : "none", c.team[i % 6] ? c.team[i % 6] : c.team[0],
                             stage, day(&c, q1 - 30 + (int32_t)rnd(&c, 110)), NULL);
    if (!id) rc = -1;
    if (rc == 0 && i % 4 >= 1) rc = meeting(&c, id, "negotiation", day(&c, q1end - 20), "初步洽谈，投资方有意向落户");
    if (rc == 0 && i % 4 >= 2) rc = meeting(&c, id, "prereview", day(&c, q1end - 10), "预审会原则同意，需补充用地方案");
  }
  /* lost leads, each with its reason */
  for (int i = 0; rc == 0 && i < 6; i++) {
    int64_t amount = (int64_t)(5000 + rnd(&c, 50000)) * 10000 * 100 / 10;
    if (!insert_lead(&c, arena_printf(&a, "%s%s集团", reserve_investors[(i + 5) % 14], chains[(i + 3) % 7]), NULL, amount,
                     chains[(i + 3) % 7], channels[i % 6], "none", c.team[i % 6] ? c.team[i % 6] : c.team[0], "lost",
                     day(&c, q1 - 60), lost_reasons[i]))
      rc = -1;
  }
  /* the year's targets: 荷塘 aims at 15 projects over ¥100 m and 2 三类500强 (seed 004) */
  static const int target_signed[] = {8, 4, 3, 3, 2, 2}, target_big[] = {6, 3, 2, 2, 1, 1}, target_top[] = {1, 1, 0, 0, 0, 0};
  for (int k = 0; rc == 0 && k < 6; k++)
    if (c.team[k] &&
        db_exec(d,
                "INSERT INTO attraction_targets (year, team_unit_id, signed, signed_amount, over_100m, top500, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                DBI(qy), DBI(c.team[k]), DBI(target_signed[k]), DBI((int64_t)target_signed[k] * 200000000LL * 100),
                DBI(target_big[k]), DBI(target_top[k]), DBT(c.at)) != DB_OK)
      rc = -1;
  if (rc == 0 && log)
    fprintf(log, "invest: %d signings in Q1 %d linked to projects, 43 leads in reserve, 6 lost, targets for 6 teams\n", np, qy);
  arena_release(&a);
  return rc;
}

static const module invest_demo_module = {"invest_demo", 83, NULL, demo_invest, NULL, NULL};
MODULE_REGISTER(invest_demo_module)
