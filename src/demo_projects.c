/*
 * demo_projects.c — the demo district's project library: the seeds' real
 * projects with their published figures (三一智慧钢铁城 ¥10 bn, 2400 亩,
 * started 2020-12-12; 大唐华银 ¥8 bn, started 2022-09-28; 湖南华巨新材料
 * ¥500 m on 40 亩 …) plus deterministic generated ones to reach ~150, with
 * node plans laid out from the templates in working days.  Dates are placed
 * relative to the day the demo is loaded, so the battle map always shows a
 * plausible mix: most projects on time, some nodes due this week (yellow),
 * some overdue (red).  Investment figures come from the reports module.
 */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "calendar_db.h"
#include "demo.h"
#include "projects.h"

typedef struct tpl_step {
  const char *name, *kind;
  int days;
  const char *role;
} tpl_step;

static const tpl_step industry_steps[] = {
    {"征拆", "land_acquisition", 40, "hq"},         {"土地报批", "land_approval", 30, NULL},
    {"土地挂网/出让", "land_listing", 25, NULL},    {"规划许可", "planning_permit", 10, NULL},
    {"施工许可", "construction_permit", 10, NULL}, {"开工", "start", 5, "owner"},
    {"主体封顶", "topping_out", 120, "owner"},     {"竣工", "completion", 90, "owner"},
    {"投产", "production", 40, "owner"},
};
static const tpl_step public_steps[] = {
    {"立项批复", "other", 20, NULL},       {"用地预审", "land_approval", 25, NULL}, {"征拆", "land_acquisition", 40, "hq"},
    {"规划许可", "planning_permit", 15, NULL}, {"施工许可", "construction_permit", 15, NULL}, {"开工", "start", 5, NULL},
    {"主体完工", "topping_out", 110, NULL}, {"竣工验收", "completion", 60, NULL},
};

typedef struct real_project {
  const char *code, *name, *level, *category, *chain, *unit, *hq, *owner;
  int64_t total_wan; /* 万元 */
  int64_t land_hmu;
  int anchor_k;            /* the node placed on anchor */
  const char *anchor_date; /* a fixed date (the seeds'), or NULL: today + offset */
  int offset;              /* calendar days from today when anchor_date is NULL */
  int top500;
  const char *tags;
} real_project;

static const real_project reals[] = {
    {"HT-2020-001", "三一智慧钢铁城（一期）", "province", "产业项目", "先进装备制造", "三一指挥部", "三一指挥部", "三一集团有限公司",
     1000000, 240000, 5, "2020-12-12", 0, 1, "省市重点、集中开工、领导联系"},
    {"HT-2022-009", "大唐华银株洲2×100万千瓦扩能升级改造", "province", "产业项目", "能源", "仙庾镇", NULL, "大唐华银株洲发电有限公司",
     800000, 0, 5, "2022-09-28", 0, 1, "省市重点、集中开工"},
    {"HT-2021-003", "汉德车桥株洲齿轮项目", "city", "产业项目", "先进装备制造", "金山街道", "金山新城指挥部",
     "汉德车桥（株洲）齿轮有限公司", 150000, 21000, 7, NULL, -12, 0, "省市重点、领导联系"},
    {"HT-2021-004", "杭萧钢构二期", "city", "产业项目", "新材料", "金山街道", "金山新城指挥部", "杭萧钢构（湖南）有限公司", 80000,
     15000, 6, NULL, 4, 0, "省市重点"},
    {"HT-2021-005", "湖南先进硬质材料产业园", "province", "产业项目", "硬质材料", "明照街道", "硬质材料产业园指挥部",
     "湖南先进硬质材料产业园投资有限公司", 500000, 120000, 6, NULL, 45, 0, "省市重点、集中开工、领导联系"},
    {"HT-2021-006", "湖南韵达物流园", "city", "产业项目", "现代物流", "仙庾镇", "现代物流园指挥部", "湖南韵达物流有限公司", 100000,
     30000, 7, NULL, 60, 1, "省市重点"},
    {"HT-2022-007", "格斯特二期", "district", "产业项目", "先进装备制造", "宋家桥街道", NULL, "株洲格斯特动力机械有限公司", 30000,
     6000, 6, NULL, -20, 0, "集中开工"},
    {"HT-2022-008", "东裕美耐皿二期", "district", "产业项目", "新材料", "茨菇塘街道", NULL, "湖南东裕美耐皿有限公司", 25000, 5000,
     7, NULL, 30, 0, NULL},
    {"HT-2022-010", "金城华亿电商产业园二期", "city", "产业项目", "商贸服务", "月塘街道", NULL, "株洲金城华亿实业有限公司", 60000,
     8000, 6, NULL, 90, 0, "省市重点"},
    {"HT-2023-011", "湖南华巨新材料项目", "district", "产业项目", "新材料", "仙庾镇", NULL, "湖南华巨新材料有限公司", 50000, 4000, 5,
     NULL, -5, 0, "集中开工、领导联系"},
    {"HT-2023-012", "柳鑫高速覆铜板项目", "city", "产业项目", "电子信息", "金山街道", "金山新城指挥部", "湖南柳鑫电子新材料有限公司",
     100000, 12000, 6, NULL, 2, 0, "省市重点"},
    {"HT-2023-013", "居然之家茶陵店", "district", "产业项目", "商贸服务", "桂花街道", NULL, "居然之家茶陵商业管理有限公司", 170000,
     22900, 7, NULL, 120, 1, NULL},
    {"HT-2019-002", "爱心大院", "city", "社会民生", NULL, "月塘街道", NULL, NULL, 9000, 2329, 7, NULL, 20, 0, "民生实事"},
};

static uint32_t rng_state = 20201212;
static int rnd(int n) {
  rng_state = rng_state * 1103515245u + 12345u;
  return (int)((rng_state >> 8) % (uint32_t)n);
}

static const char *const chains[] = {"新材料", "信创", "硬质材料", "现代物流", "先进装备制造", "电子信息", "能源", "商贸服务"};
static const char *const products[8][5] = {
    {"高性能陶瓷", "特种玻璃纤维", "锂电正极材料", "高分子复合材料", "石墨烯导热膜"},
    {"信创产业园", "国产服务器生产基地", "绿色数据中心", "信息安全软件园", "工业互联网平台"},
    {"硬质合金刀具", "超细晶粒硬质合金", "钨钼制品", "精密模具", "耐磨材料"},
    {"冷链物流中心", "智慧物流园", "城市配送中心", "公铁联运货场", "电商快递分拨中心"},
    {"轨道交通装备配件", "智能农机", "工业机器人", "液压件", "齿轮箱"},
    {"智能终端", "印制电路板", "半导体封测", "光电显示模组", "新能源汽车电子"},
    {"分布式光伏", "储能电站", "天然气调峰站", "充电基础设施", "余热发电"},
    {"商业综合体", "农产品批发市场", "电商直播基地", "星级酒店", "汽车城"},
};
static const char *const firms[] = {"恒达", "华晟", "金岭", "瑞丰", "鑫源", "天成", "博远", "科力", "德凯", "汇川",
                                    "联诚", "中拓", "湘顺", "荷盛", "新航", "凯利", "东方", "宏宇", "银河", "卓越"};
static const char *const publics[] = {"金山新城%s路道路工程", "%s老旧小区改造", "荷塘区%s学校新建工程", "%s社区卫生服务中心",
                                      "%s片区雨污分流改造", "%s水环境综合治理", "%s安置房建设", "%s公园提质改造"};
static const char *const places[] = {"新华", "建设", "红旗", "荷花", "桂花", "金钩山", "茨菇塘", "仙庾岭", "月塘", "宋家桥"};
static const char *const towns[] = {"月塘街道", "宋家桥街道", "茨菇塘街道", "金山街道", "桂花街道", "明照街道", "仙庾镇"};
static const char *const hqs[] = {"三一指挥部", "金山新城指挥部", "现代物流园指挥部", "硬质材料产业园指挥部"};
static const char *const depts[] = {"荷塘区住房和城乡建设局", "荷塘区交通运输局", "荷塘区水利局", "荷塘区城市管理和综合执法局"};

typedef struct demo_ctx {
  db *d;
  const calendar *cal;
  const char *at;
  int32_t today;
  int64_t tpl_industry;
  int64_t leaders[4];
  int nleaders;
} demo_ctx;

/* Lays out the template so that node `k` falls on `anchor`, marks every
 * node planned before today done (actual a few days either side), and
 * leaves the rest open.  Returns the number of nodes done. */
static int add_nodes(demo_ctx *c, int64_t pid, const tpl_step *steps, int n, int k, int32_t anchor, int64_t unit,
                     int64_t hq, int64_t owner, int fixed) {
  int32_t planned[16];
  planned[k] = anchor;
  for (int i = k - 1; i >= 0; i--) planned[i] = calendar_add_working_days(c->cal, planned[i + 1], -steps[i + 1].days);
  for (int i = k + 1; i < n; i++) planned[i] = calendar_add_working_days(c->cal, planned[i - 1], steps[i].days);
  int64_t prev = 0;
  int done = 0;
  for (int i = 0; i < n; i++) {
    char p[11], a[11];
    date_format(planned[i], p);
    int is_done = planned[i] < c->today && !(i == k && !fixed);
    int32_t act = planned[i] + (fixed && i == k ? 0 : rnd(7) - 4);
    if (act >= c->today) act = c->today - 1;
    date_format(act, a);
    int64_t u = steps[i].role && strcmp(steps[i].role, "hq") == 0 && hq       ? hq
                : steps[i].role && strcmp(steps[i].role, "owner") == 0 && owner ? owner
                                                                                 : unit;
    static const char *const persons[] = {"张建国", "李卫东", "王晓红", "刘志强", "陈芳", "杨帆", "赵明", "周海涛"};
    db_stmt *st = db_query(c->d,
                           "INSERT INTO nodes (project_id, seq, name, kind, unit_id, person, planned_date, baseline_date, "
                           "actual_date, depends_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                           DBI(pid), DBI(i + 1), DBT(steps[i].name), DBT(steps[i].kind), DBI(u), DBT(persons[rnd(8)]), DBT(p),
                           DBT(p), is_done ? DBT(a) : DBNULL, prev ? DBI(prev) : DBNULL, DBT(c->at), DBT(c->at));
    prev = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
    db_done(st);
    if (!prev) return -1;
    done += is_done;
  }
  /* a few projects slipped against their 年初计划: move open nodes later */
  if (!fixed && rnd(4) == 0) {
    int slip = 5 + rnd(20);
    db_exec(c->d, "UPDATE nodes SET baseline_date = planned_date WHERE project_id = ?", DBI(pid));
    for (int i = done; i < n; i++) {
      char p[11], b[11];
      date_format(planned[i], b);
      date_format(calendar_add_working_days(c->cal, planned[i], slip), p);
      db_exec(c->d, "UPDATE nodes SET planned_date = ?, baseline_date = ? WHERE project_id = ? AND seq = ?", DBT(p), DBT(b), DBI(pid),
              DBI(i + 1));
    }
  }
  return done;
}

static int add_project(demo_ctx *c, const char *code, const char *name, const char *level, const char *category,
                       const char *chain, int64_t unit, int64_t hq, int64_t owner, int64_t total_fen, int64_t land,
                       int top500, const char *tags, int anchor_k, int32_t anchor, int fixed, int64_t leader) {
  int industry = strcmp(category, "产业项目") == 0;
  const tpl_step *steps = industry ? industry_steps : public_steps;
  int n = industry ? (int)(sizeof industry_steps / sizeof *industry_steps) : (int)(sizeof public_steps / sizeof *public_steps);
  if (anchor_k >= n) anchor_k = n - 1;
  proj_in p;
  memset(&p, 0, sizeof p);
  p.code = code;
  p.name = name;
  p.level = level;
  p.category = category;
  p.chain = chain;
  p.stage = "preparation";
  p.unit_id = unit;
  p.hq_id = hq;
  p.owner_unit_id = owner;
  p.leader_id = leader;
  p.total = total_fen;
  p.land = land;
  p.top500 = top500;
  p.published = rnd(3) != 0;
  p.location = "株洲市荷塘区";
  p.has_lng = p.has_lat = 1;
  p.lng = 113.10 + rnd(1500) / 10000.0;
  p.lat = 27.82 + rnd(1000) / 10000.0;
  int64_t id = proj_store(c->d, &p, 0, c->at);
  if (!id) return -1;
  int done = add_nodes(c, id, steps, n, anchor_k, anchor, unit, hq, owner, fixed);
  if (done < 0) return -1;
  const int start_k = 5; /* 开工 is the sixth step of both templates */
  const char *stage = done == n ? (industry ? "production" : "completed") : done == n - 1 && industry ? "completed"
                      : done > start_k ? "construction" : "preparation";
  /* a plan for each year the project is active */
  int y, m, dd;
  date_to_ymd(c->today, &y, &m, &dd);
  int64_t share = total_fen / 100 * (15 + rnd(20)); /* 15–35 % of the total a year */
  share -= share % 1000000;                          /* whole 万元 */
  int rc = db_exec(c->d, "UPDATE projects SET stage = ? WHERE id = ?", DBT(stage), DBI(id));
  for (int yr = y - 1; rc == DB_OK && yr <= y; yr++)
    if (done < n || yr < y || rnd(2))
      rc = db_exec(c->d, "INSERT INTO project_plans (project_id, year, amount) VALUES (?, ?, ?)", DBI(id), DBI(yr),
                   DBI(share ? share : 1000000));
  /* "、" is three bytes, so split on the string, not on a byte set */
  for (const char *t = tags; rc == DB_OK && t && *t;) {
    const char *e = strstr(t, "、");
    char buf[64];
    size_t len = e ? (size_t)(e - t) : strlen(t);
    snprintf(buf, sizeof buf, "%.*s", (int)len, t);
    rc = db_exec(c->d, "INSERT INTO project_tags (project_id, tag) VALUES (?, ?)", DBI(id), DBT(buf));
    t = e ? e + strlen("、") : NULL;
  }
  return rc == DB_OK ? 0 : -1;
}

static int add_template(demo_ctx *c, const char *category, const char *name, const tpl_step *steps, int n, int64_t *id) {
  json_t *arr = json_array();
  for (int i = 0; i < n; i++) {
    json_t *o = json_pack("{s:s, s:s, s:i}", "name", steps[i].name, "kind", steps[i].kind, "duration_days", steps[i].days);
    json_object_set_new(o, "unit_role", json_str_or_null(steps[i].role ? steps[i].role : "responsible"));
    json_array_append_new(arr, o);
  }
  char *text = json_dumps(arr, JSON_COMPACT);
  json_decref(arr);
  db_stmt *st = db_query(c->d,
                         "INSERT INTO node_templates (category, name, steps_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                         DBT(category), DBT(name), DBT(text), DBT(c->at), DBT(c->at));
  free(text);
  int64_t x = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  if (id) *id = x;
  return x ? 0 : -1;
}

static int demo_projects(db *d, FILE *log) {
  arena a;
  arena_init(&a);
  demo_ctx c = {.d = d, .cal = cal_acquire(d), .at = now_rfc3339(&a), .today = clock_today()};
  int rc = 0;
  rng_state = 20201212;
  rc |= add_template(&c, "产业项目", "产业项目标准节点", industry_steps, (int)(sizeof industry_steps / sizeof *industry_steps), &c.tpl_industry);
  static const char *const pubcats[] = {"基础设施", "社会民生", "城市更新"};
  for (int i = 0; i < 3; i++)
    rc |= add_template(&c, pubcats[i], "政府投资项目标准节点", public_steps, (int)(sizeof public_steps / sizeof *public_steps), NULL);

  /* more lead leaders, sharing the demo leader's password (leader123) */
  static const char *const extra[][3] = {{"leader_liu", "刘副区长", "13807330011"},
                                         {"leader_chen", "陈副区长", "13807330012"},
                                         {"leader_yang", "杨常委", "13807330013"}};
  for (int i = 0; rc == 0 && i < 3; i++)
    rc = db_exec(d,
                 "INSERT INTO users (login, name, phone, unit_id, roles, password_hash, created_at, updated_at) "
                 "SELECT ?, ?, ?, unit_id, 'leader', password_hash, ?, ? FROM users WHERE login = 'leader'",
                 DBT(extra[i][0]), DBT(extra[i][1]), DBT(extra[i][2]), DBT(c.at), DBT(c.at)) == DB_OK
             ? 0
             : -1;
  db_stmt *st = db_query0(d, "SELECT id FROM users WHERE roles LIKE '%leader%' ORDER BY id");
  while (st && db_step(st) == DB_ROW && c.nleaders < 4) c.leaders[c.nleaders++] = db_int(st, 0);
  db_done(st);
  int64_t main_leader = c.nleaders ? c.leaders[0] : 0;

  int count = 0;
  for (size_t i = 0; rc == 0 && i < sizeof reals / sizeof *reals; i++) {
    const real_project *p = &reals[i];
    int32_t anchor = c.today + p->offset;
    if (p->anchor_date) date_parse(p->anchor_date, &anchor);
    rc = add_project(&c, p->code, p->name, p->level, p->category, p->chain, demo_unit_id(d, p->unit),
                     p->hq ? demo_unit_id(d, p->hq) : 0, p->owner ? demo_unit_id(d, p->owner) : 0, p->total_wan * 1000000,
                     p->land_hmu, p->top500, p->tags, p->anchor_k, anchor, p->anchor_date != NULL, main_leader);
    count++;
  }
  int y, m, dd;
  date_to_ymd(c.today, &y, &m, &dd);
  for (int i = 0; rc == 0 && count < 150; i++, count++) {
    int kind = rnd(20);
    const char *category = kind < 14 ? "产业项目" : kind < 17 ? "基础设施" : kind < 19 ? "社会民生" : "城市更新";
    int lv = rnd(20);
    const char *level = lv < 2 ? "province" : lv < 8 ? "city" : "district";
    const char *chain = NULL, *name;
    int64_t unit, hq = 0, owner = 0, total;
    if (strcmp(category, "产业项目") == 0) {
      int ch = rnd(8);
      chain = chains[ch];
      const char *firm = firms[rnd(20)];
      name = arena_printf(&a, "%s%s%s项目%s", rnd(2) ? "湖南" : "株洲", firm, products[ch][rnd(5)],
                          rnd(4) == 0 ? "（二期）" : "");
      unit = demo_unit_id(d, towns[rnd(7)]);
      if (rnd(3) == 0) hq = demo_unit_id(d, hqs[rnd(4)]);
      total = (int64_t)(3000 + rnd(20) * rnd(20) * 500) * 1000000; /* 3000万 … ~20亿 */
    } else {
      name = arena_printf(&a, publics[rnd(8)], places[rnd(10)]);
      unit = rnd(2) ? demo_unit_id(d, depts[rnd(4)]) : demo_unit_id(d, towns[rnd(7)]);
      total = (int64_t)(2000 + rnd(40) * 500) * 1000000;
    }
    /* names must be unique enough to read: number the rare repeats */
    if (db_int1(d, 0, "SELECT COUNT(*) FROM projects WHERE name = ?", DBT(name)) > 0) name = arena_printf(&a, "%s（%d）", name, i + 2);
    int mode = rnd(20); /* 0–2 red, 3–5 yellow, 6–8 finished, rest on time */
    int n = strcmp(category, "产业项目") == 0 ? 9 : 8;
    int k = 1 + rnd(n - 1);
    int32_t anchor = mode <= 2 ? c.today - 3 - rnd(40) : mode <= 5 ? c.today + rnd(7) : mode <= 8 ? c.today - 30 - rnd(200)
                                                                                                    : c.today + 10 + rnd(120);
    if (mode >= 6 && mode <= 8) k = n - 1;
    const char *code = arena_printf(&a, "HT-%d-%03d", y - rnd(3), 100 + i);
    const char *tags = lv < 8 ? (rnd(3) == 0 ? "省市重点、集中开工" : "省市重点") : rnd(5) == 0 ? "集中开工" : NULL;
    int64_t leader = c.nleaders && rnd(5) < 3 ? c.leaders[0] : c.nleaders ? c.leaders[rnd(c.nleaders)] : 0;
    rc = add_project(&c, code, name, level, category, chain, unit, hq, owner, total, (int64_t)rnd(300) * 100 + 500,
                     rnd(25) == 0, tags, k, anchor, mode >= 6 && mode <= 8, leader);
  }
  if (rc == 0) {
    audit_actor who = {0, "demo", "local"};
    json_t *after = json_pack("{s:i}", "projects", count);
    rc = audit_write(d, &who, "create", "demo_projects", 0, NULL, after) == DB_OK ? 0 : -1;
    json_decref(after);
  }
  if (rc == 0 && log) fprintf(log, "demo: %d projects with nodes\n", count);
  cal_release(c.cal);
  arena_release(&a);
  return rc;
}

static const module demo_projects_module = {"projects-demo", 30, NULL, demo_projects, NULL, NULL};
MODULE_REGISTER(demo_projects_module)
