/*
 * ent_demo.c — the demo district's enterprise services: the seeds'
 * enterprises (湖南华巨新材料, 格斯特, 东裕美耐皿, 柳鑫…) with their towns,
 * flags, chains and three years of figures, ~120 generated enterprises
 * with valid 统一社会信用代码 (the check character computed), a dozen
 * policies modelled on the district's (高新技术企业认定奖励, 规上企业培育
 * 奖励…) and requests 诉求 in every state of the closed loop, some overdue.
 * Dates are counted back from clock_today(), so the demo is the same on
 * any pinned day.
 *
 * (The generated count stays near a hundred: each enterprise is a unit and
 * the demo's whole unit list is expected to fit one page of 500.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "calendar_db.h"
#include "clock.h"
#include "demo.h"
#include "escalation.h"
#include "ent.h"
#include "http.h"
#include "identity.h"

typedef struct demo_ent {
  const char *name, *town, *legal, *contact, *phone, *industry, *chain;
  unsigned flags;
  int64_t revenue_wan; /* the latest year, 万元; earlier years a little less */
  int employees;
  const char *commissioner;
} demo_ent;

#define F_(x) ENT_F_##x
static const demo_ent seeds[] = {
    {"湖南华巨新材料有限公司", "明照街道", "吴华巨", "吴志强", "13807331101", "新材料", "先进硬质材料",
     F_(ABOVE_SCALE) | F_(HIGH_TECH) | F_(SPECIALIZED), 42000, 260, "office"},
    {"株洲格斯特动力机械有限公司", "金山街道", "刘格斯", "刘晓东", "13807331102", "装备制造", "先进装备制造",
     F_(ABOVE_SCALE) | F_(HIGH_TECH) | F_(GAZELLE), 36000, 310, "jinshan"},
    {"湖南东裕美耐皿有限公司", "仙庾镇", "张东裕", "张敏", "13807331103", "日用品", "新材料",
     F_(ABOVE_SCALE) | F_(TECH_SME), 18000, 420, "xianyu"},
    {"湖南柳鑫电子新材料有限公司", "桂花街道", "柳鑫", "柳红梅", "13807331104", "电子材料", "电子信息",
     F_(ABOVE_SCALE) | F_(HIGH_TECH) | F_(LITTLE_GIANT) | F_(SPECIALIZED), 52000, 380, "guihua"},
    {"三一集团有限公司", "金山街道", "向文波", "周三一", "13807331105", "工程机械", "先进装备制造",
     F_(ABOVE_SCALE) | F_(HIGH_TECH), 980000, 5200, "office"},
    {"汉德车桥（株洲）齿轮有限公司", "金山街道", "陈汉德", "陈立", "13807331106", "汽车零部件", "先进装备制造",
     F_(ABOVE_SCALE) | F_(HIGH_TECH), 120000, 900, "jinshan"},
    {"杭萧钢构（湖南）有限公司", "明照街道", "单杭萧", "单军", "13807331107", "钢结构", "绿色建筑",
     F_(ABOVE_SCALE), 65000, 450, "office"},
    {"湖南韵达物流有限公司", "宋家桥街道", "聂韵达", "聂文", "13807331108", "物流", "现代物流", F_(ABOVE_SCALE), 30000, 600,
     "office"},
    {"株洲金城华亿实业有限公司", "茨菇塘街道", "金华亿", "金鑫", "13807331109", "商贸", "现代服务", 0, 6000, 80, NULL},
    {"大唐华银株洲发电有限公司", "明照街道", "唐华银", "唐亮", "13807331110", "电力", "能源", F_(ABOVE_SCALE), 210000, 700,
     "office"},
    {"湖南先进硬质材料产业园投资有限公司", "明照街道", "胡硬材", "胡静", "13807331111", "园区运营", "先进硬质材料", 0, 9000,
     60, NULL},
    {"居然之家茶陵商业管理有限公司", "月塘街道", "汪居然", "汪倩", "13807331112", "商业管理", "现代服务", 0, 4000, 120, NULL},
};

static const char *const gen_towns[] = {"月塘街道", "宋家桥街道", "茨菇塘街道", "金山街道", "桂花街道", "明照街道", "仙庾镇"};
static const char *const gen_words1[] = {"恒达", "鑫源", "华创", "湘荷", "金瑞", "宏远", "博奥", "天成", "中科", "荷兴",
                                         "永盛", "九洲", "瑞丰", "新宇", "凯达"};
static const char *const gen_words2[] = {"精密机械", "电子科技", "新材料", "物流", "智能装备", "生物科技", "食品", "包装材料"};
static const char *const gen_chains[] = {"先进装备制造", "电子信息", "新材料", "现代物流", "生物医药", "食品加工", "新材料", "先进硬质材料"};

typedef struct demo_policy {
  const char *title, *issuer, *doc_no, *benefit, *conditions;
  int from_back, to_ahead; /* days before / after today */
} demo_policy;

static const demo_policy policies[] = {
    {"高新技术企业认定奖励", "荷塘区科技局", "荷政发〔2024〕8号", "首次认定的高新技术企业一次性奖励20万元",
     "[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"high_tech\"}]", 400, 600},
    {"规上企业培育奖励", "荷塘区工业和信息化局", "荷政发〔2024〕9号", "首次纳入规模以上工业企业统计的奖励10万元",
     "[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"above_scale\"},{\"field\":\"revenue\",\"op\":\">=\",\"value\":\"2000万\"}]", 300, 400},
    {"专精特新“小巨人”企业奖励", "荷塘区工业和信息化局", "荷工信〔2025〕3号", "国家级专精特新“小巨人”企业奖励50万元",
     "[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"little_giant\"}]", 200, 500},
    {"瞪羚企业成长奖励", "荷塘区科技局", "荷科〔2025〕5号", "营收增长的瞪羚企业奖励30万元",
     "[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"gazelle\"},{\"field\":\"revenue\",\"op\":\">=\",\"value\":\"1亿\"}]", 150, 400},
    {"科技型中小企业研发费用补助", "荷塘区科技局", "荷科〔2025〕7号", "按研发投入的10%补助，最高50万元",
     "[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"tech_sme\"},{\"field\":\"employees\",\"op\":\"<=\",\"value\":500}]", 120, 300},
    {"稳岗就业补贴", "荷塘区人力资源和社会保障局", "荷人社〔2025〕2号", "按在岗职工人数每人500元",
     "[{\"field\":\"employees\",\"op\":\">=\",\"value\":100}]", 100, 200},
    {"纳税大户贡献奖励", "荷塘区财政局", "荷财〔2025〕11号", "年纳税额500万元以上的企业奖励",
     "[{\"field\":\"tax\",\"op\":\">=\",\"value\":\"500万\"}]", 200, 160},
    {"先进硬质材料产业链专项扶持", "荷塘区发展和改革局", "荷发改〔2025〕6号", "产业链企业设备投入补助8%",
     "[{\"field\":\"chain\",\"op\":\"in\",\"value\":[\"先进硬质材料\",\"新材料\"]}]", 90, 400},
    {"金山街道工业企业技改补助", "金山街道", "金办〔2025〕4号", "技改投入补助5%",
     "[{\"field\":\"town_unit_id\",\"op\":\"=\",\"value\":0},{\"field\":\"flags\",\"op\":\"has\",\"value\":\"above_scale\"}]", 60, 300},
    {"小微企业房租减免", "荷塘区商务局", "荷商〔2025〕1号", "年营收2000万元以下企业房租减半",
     "[{\"field\":\"revenue\",\"op\":\"<=\",\"value\":\"2000万\"}]", 60, 240},
    {"专精特新企业融资贴息", "荷塘区财政局", "荷财〔2025〕14号", "贷款贴息50%",
     "[{\"field\":\"flags\",\"op\":\"in\",\"value\":[\"specialized\",\"little_giant\"]}]", 30, 330},
    {"2024年度电子信息产业奖励（已到期）", "荷塘区工业和信息化局", "荷工信〔2024〕12号", "已到期",
     "[{\"field\":\"chain\",\"op\":\"=\",\"value\":\"电子信息\"}]", 700, -30},
};

typedef struct demo_ctx {
  db *d;
  arena *a;
  const char *at;
  int32_t today;
  unsigned seed;
} demo_ctx;

static unsigned rnd(demo_ctx *c, unsigned n) {
  c->seed = c->seed * 1103515245u + 12345u;
  return (c->seed >> 16) % n;
}

static int64_t add_ent(demo_ctx *c, const demo_ent *e, unsigned n) {
  int64_t town = demo_unit_id(c->d, e->town);
  int64_t unit = demo_unit_id(c->d, e->name);
  if (!unit) unit = unit_insert(c->d, e->name, "enterprise", demo_unit_id(c->d, "荷塘区"), c->at);
  if (!unit) return 0;
  char code[19], flags[128];
  ent_uscc_make(n, "430202", code);
  ent_flags_format(e->flags, flags, sizeof flags);
  int64_t comm = e->commissioner ? db_int1(c->d, 0, "SELECT id FROM users WHERE login = ?", DBT(e->commissioner)) : 0;
  db_stmt *st = db_query(c->d,
                         "INSERT INTO enterprises (unit_id, uscc, name, legal_rep, contact_name, contact_phone, address, "
                         "town_unit_id, industry, chain, flags, commissioner_id, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBI(unit), DBT(code), DBT(e->name), DBT(e->legal), DBT(e->contact), DBT(e->phone),
                         DBT(arena_printf(c->a, "株洲市荷塘区%s", e->town)), town ? DBI(town) : DBNULL, DBT(e->industry),
                         DBT(e->chain), DBT(flags), comm ? DBI(comm) : DBNULL, DBT(c->at), DBT(c->at));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  int y0, m0, d0;
  date_to_ymd(c->today, &y0, &m0, &d0);
  /* the last three full years: growth of some 8% a year, tax ~4%, R&D ~3% */
  for (int k = 0; id && k < 3; k++) {
    int64_t rev = e->revenue_wan * 10000 * 100 * (100 - 8 * k) / 100;
    if (db_exec(c->d, "INSERT INTO enterprise_figures (enterprise_id, year, revenue, tax, employees, rd) VALUES (?, ?, ?, ?, ?, ?)",
                DBI(id), DBI(y0 - 1 - k), DBI(rev), DBI(rev / 25), DBI(e->employees - k * e->employees / 20), DBI(rev * 3 / 100)) != DB_OK)
      return 0;
  }
  return id;
}

static int add_policy(demo_ctx *c, const demo_policy *p) {
  char from[11], to[11];
  date_format(c->today - p->from_back, from);
  date_format(c->today + p->to_ahead, to);
  const char *conds = p->conditions;
  /* the town condition names 金山街道 by its id */
  if (strstr(conds, "town_unit_id"))
    conds = arena_printf(c->a, "[{\"field\":\"town_unit_id\",\"op\":\"=\",\"value\":%lld},{\"field\":\"flags\",\"op\":\"has\",\"value\":\"above_scale\"}]",
                         (long long)demo_unit_id(c->d, "金山街道"));
  /* stored canonical, as the API stores them */
  json_t *in = json_loads(conds, 0, NULL);
  ent_cond cs[16];
  int n = 0;
  ent_cond_err err;
  if (!in || ent_conds_read(in, cs, 16, &n, &err) != 0) {
    json_decref(in);
    return -1;
  }
  json_t *canon = ent_conds_json(cs, n);
  char *text = json_dumps(canon, JSON_COMPACT);
  json_decref(canon);
  json_decref(in);
  int rc = db_exec(c->d,
                   "INSERT INTO policies (title, issuer, doc_no, valid_from, valid_to, benefit, body, conditions, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   DBT(p->title), DBT(p->issuer), DBT(p->doc_no), DBT(from), DBT(to), DBT(p->benefit),
                   DBT(arena_printf(c->a, "%s（%s）\n\n%s。符合条件的企业由系统自动匹配，免于申报。", p->title, p->doc_no, p->benefit)),
                   DBT(text), DBT(c->at), DBT(c->at));
  free(text);
  return rc == DB_OK ? 0 : -1;
}

static int ent_demo_requests(db *d, arena *a, const char *at, int32_t today);
static int demo_board(db *d, const char *at);

static int demo_enterprises(db *d, FILE *log) {
  arena a;
  arena_init(&a);
  demo_ctx c = {d, &a, now_rfc3339(&a), clock_today(), 17};
  int rc = 0, n = 0;
  for (size_t i = 0; rc == 0 && i < sizeof seeds / sizeof *seeds; i++, n++)
    if (!add_ent(&c, &seeds[i], (unsigned)i + 1)) rc = -1;
  int generated = 0;
  for (int i = 0; rc == 0 && i < 120; i++) {
    const char *w1 = gen_words1[i % 15], *w2 = gen_words2[(i / 15) % 8];
    demo_ent e = {arena_printf(&a, "株洲%s%s有限公司", w1, w2), gen_towns[rnd(&c, 7)], "", NULL, NULL, w2,
                  gen_chains[(i / 15) % 8], 0, 300 + rnd(&c, 30000), 10 + (int)rnd(&c, 400), NULL};
    e.legal = arena_printf(&a, "%s总", w1);
    unsigned r = rnd(&c, 100);
    e.flags = (r < 35 ? ENT_F_ABOVE_SCALE : 0) | (r % 4 == 0 ? ENT_F_HIGH_TECH : 0) | (r % 5 == 1 ? ENT_F_TECH_SME : 0) |
              (r % 17 == 3 ? ENT_F_GAZELLE : 0) | (r % 23 == 5 ? ENT_F_SPECIALIZED : 0);
    if (i % 9 == 4) e.chain = NULL; /* some without a chain recorded: "needs application" on chain conditions */
    int64_t id = add_ent(&c, &e, 1000 + (unsigned)i);
    if (!id) rc = -1;
    /* some without figures yet */
    if (rc == 0 && i % 11 == 7 && db_exec(d, "DELETE FROM enterprise_figures WHERE enterprise_id = ?", DBI(id)) != DB_OK) rc = -1;
    generated++;
  }
  for (size_t i = 0; rc == 0 && i < sizeof policies / sizeof *policies; i++) rc = add_policy(&c, &policies[i]);
  if (rc == 0) rc = ent_demo_requests(d, &a, c.at, c.today);
  /* the overdue ones start at the level they have reached, as if the tick had run (ent_escalate.c) */
  if (rc == 0 && ent_requests_mark_escalated(d, c.today) != DB_OK) rc = -1;
  if (rc == 0) rc = demo_board(d, c.at);
  if (rc == 0 && log)
    fprintf(log, "enterprises: %d from the seeds, %d generated, %zu policies, requests in every state\n", n, generated,
            sizeof policies / sizeof *policies);
  arena_release(&a);
  return rc;
}

typedef struct demo_request {
  const char *ent, *category, *text, *unit, *state, *reply;
  int raised_back; /* working days before today */
  int rating;
} demo_request;

/* Requests in every state of the loop; the open ones raised long ago are
 * overdue (and the oldest escalated), the others within their deadline. */
static const demo_request requests[] = {
    {"湖南华巨新材料有限公司", "labor", "二期投产需招聘技术工人80名，请协助对接职业院校。", "荷塘区人力资源和社会保障局", "closed",
     "已对接湖南化工职院、株洲职院，组织专场招聘会两场，到岗62人。", 20, 5},
    {"湖南华巨新材料有限公司", "utilities", "新厂房专用变压器增容申请进度较慢，影响设备调试。", "荷塘区发展和改革局", "replied",
     "已协调供电公司现场踏勘，增容方案本周批复。", 4, 0},
    {"湖南华巨新材料有限公司", "financing", "设备更新需流动资金3000万元，希望对接银行低息贷款。", "荷塘区财政局", "open", NULL, 1, 0},
    {"株洲格斯特动力机械有限公司", "land", "扩建用地约30亩，请协助落实用地指标。", "荷塘区自然资源分局", "in_progress", NULL, 25, 0},
    {"株洲格斯特动力机械有限公司", "approval", "新建厂房施工许可材料已齐，请加快办理。", "荷塘区行政审批服务局", "closed",
     "已容缺受理，3个工作日内核发施工许可证。", 12, 4},
    {"湖南东裕美耐皿有限公司", "policy", "咨询规上企业培育奖励的申报条件与时间。", "荷塘区工业和信息化局", "accepted", NULL, 2, 0},
    {"湖南东裕美耐皿有限公司", "other", "厂区门口道路破损，货车进出困难。", "荷塘区城市管理和综合执法局", "reopened",
     "已安排修补。", 9, 0},
    {"湖南柳鑫电子新材料有限公司", "labor", "申请稳岗补贴，材料已通过线上提交。", "荷塘区人力资源和社会保障局", "closed",
     "补贴已核定，近期拨付。", 30, 3},
    {"湖南柳鑫电子新材料有限公司", "utilities", "天然气管道接入需跨越市政道路，请协调开挖许可。", "荷塘区住房和城乡建设局", "open", NULL, 12, 0},
    {"汉德车桥（株洲）齿轮有限公司", "approval", "环评批复后排污许可证申领，请指导。", "荷塘区生态环境分局", "replied",
     "已安排专人上门指导，材料齐全后当日办结。", 3, 0},
    {"三一集团有限公司", "policy", "智能化改造项目能否享受技改补助？", "荷塘区工业和信息化局", "closed", "符合条件，已纳入今年技改补助名单。", 40, 5},
    {"杭萧钢构（湖南）有限公司", "financing", "希望了解“潇湘财银贷”产品与贴息政策。", "荷塘区财政局", "accepted", NULL, 6, 0},
};

typedef struct demo_event {
  const char *type, *text, *on;
  int rating;
} demo_event;

static int ent_demo_requests(db *d, arena *a, const char *at, int32_t today) {
  const calendar *cal = cal_acquire(d);
  int rc = 0;
  int64_t office = db_int1(d, 0, "SELECT id FROM users WHERE login = ?", DBT("office"));
  for (size_t i = 0; rc == 0 && i < sizeof requests / sizeof *requests; i++) {
    const demo_request *q = &requests[i];
    int64_t ent = db_int1(d, 0, "SELECT id FROM enterprises WHERE name = ?", DBT(q->ent));
    int64_t unit = demo_unit_id(d, q->unit);
    if (!ent || !unit) continue;
    int days = ent_request_default_days(q->category);
    int32_t raised = today;
    for (int k = 0; k < q->raised_back; k++) {
      raised--;
      while (!calendar_is_working_day(cal, raised)) raised--;
    }
    int32_t start = raised, replied = calendar_add_working_days(cal, raised, days > 2 ? days - 2 : 1);
    if (replied > today) replied = today;
    char rs[11], st[11], due[11], rp[11], cl[11];
    date_format(raised, rs);
    int reopened = strcmp(q->state, "reopened") == 0;
    if (reopened) start = replied + 1 <= today ? replied + 1 : today;
    date_format(start, st);
    date_format(problem_due_date(cal, start, days), due);
    date_format(replied, rp);
    date_format(replied + 2 <= today ? replied + 2 : today, cl);
    int has_reply = !strcmp(q->state, "replied") || !strcmp(q->state, "closed");
    int closed = !strcmp(q->state, "closed");
    db_stmt *s = db_query(d,
                          "INSERT INTO enterprise_requests (enterprise_id, category, text, unit_id, state, raised_on, started_on, "
                          "deadline_days, due_date, reply, replied_on, closed_on, rating, raised_by, created_at, updated_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          DBI(ent), DBT(q->category), DBT(q->text), DBI(unit), DBT(q->state), DBT(rs), DBT(st), DBI(days), DBT(due),
                          DBT(q->reply), has_reply ? DBT(rp) : DBNULL, closed ? DBT(cl) : DBNULL, closed ? DBI(q->rating) : DBNULL,
                          office ? DBI(office) : DBNULL, DBT(at), DBT(at));
    int64_t id = s && db_step(s) == DB_ROW ? db_int(s, 0) : 0;
    db_done(s);
    if (!id) {
      rc = -1;
      break;
    }
    /* the timeline: raise, then what the state implies */
    demo_event ev[5];
    int ne = 0;
    ev[ne++] = (demo_event){"raise", q->text, rs, 0};
    if (strcmp(q->state, "open") != 0) ev[ne++] = (demo_event){"accept", NULL, rs, 0};
    if (!strcmp(q->state, "in_progress")) ev[ne++] = (demo_event){"comment", "已现场踏勘，正在协调。", rp, 0};
    if (has_reply || reopened) ev[ne++] = (demo_event){"reply", q->reply, rp, 0};
    if (reopened) ev[ne++] = (demo_event){"reopen", "问题仍未解决，请再次处理。", st, 0};
    if (closed) ev[ne++] = (demo_event){"confirm", NULL, cl, q->rating};
    for (int k = 0; rc == 0 && k < ne; k++)
      if (db_exec(d, "INSERT INTO enterprise_request_events (request_id, type, text, rating, user_id, on_date, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  DBI(id), DBT(ev[k].type), DBT(ev[k].text), ev[k].rating ? DBI(ev[k].rating) : DBNULL, office ? DBI(office) : DBNULL,
                  DBT(ev[k].on), DBT(at)) != DB_OK)
        rc = -1;
  }
  (void)a;
  cal_release(cal);
  return rc;
}

/* The supply–demand board: what the seeds' enterprises need and offer. */
static int demo_board(db *d, const char *at) {
  static const struct {
    const char *ent, *kind, *category, *title, *text, *responder, *response;
    int matched;
  } posts[] = {
      {"湖南华巨新材料有限公司", "need", "jobs", "招聘数控操作工30名", "二期产线投产，需数控操作工30名，提供住宿。", "湖南韵达物流有限公司",
       "我司可推荐转岗员工10名。", 0},
      {"株洲格斯特动力机械有限公司", "offer", "capacity", "富余机加工产能对外协作", "每月约2000工时的精密机加工产能，可承接外协。",
       "汉德车桥（株洲）齿轮有限公司", "有齿轮箱壳体外协需求，请联系。", 1},
      {"湖南东裕美耐皿有限公司", "need", "products", "采购食品级包装材料", "年采购食品级包装材料约500万元，寻本地供应商。", NULL, NULL, 0},
      {"湖南柳鑫电子新材料有限公司", "offer", "land", "闲置标准厂房出租", "园区内3000平方米标准厂房，可分割出租。", NULL, NULL, 0},
  };
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < sizeof posts / sizeof *posts; i++) {
    int64_t ent = db_int1(d, 0, "SELECT id FROM enterprises WHERE name = ?", DBT(posts[i].ent));
    int64_t resp = posts[i].responder ? db_int1(d, 0, "SELECT id FROM enterprises WHERE name = ?", DBT(posts[i].responder)) : 0;
    if (!ent) continue;
    db_stmt *st = db_query(d,
                           "INSERT INTO board_posts (enterprise_id, kind, category, title, text, state, matched_enterprise_id, match_note, "
                           "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                           DBI(ent), DBT(posts[i].kind), DBT(posts[i].category), DBT(posts[i].title), DBT(posts[i].text),
                           DBT(posts[i].matched ? "matched" : "open"), posts[i].matched && resp ? DBI(resp) : DBNULL,
                           DBT(posts[i].matched ? "项目办牵线，双方已签订外协框架协议。" : NULL), DBT(at), DBT(at));
    int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
    db_done(st);
    if (!id) rc = -1;
    if (rc == 0 && resp &&
        db_exec(d, "INSERT INTO board_responses (post_id, enterprise_id, text, created_at) VALUES (?, ?, ?, ?)", DBI(id), DBI(resp),
                DBT(posts[i].response), DBT(at)) != DB_OK)
      rc = -1;
  }
  return rc;
}

static const module ent_demo_module = {"ent_demo", 72, NULL, demo_enterprises, NULL, NULL};
MODULE_REGISTER(ent_demo_module)
