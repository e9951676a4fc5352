/*
 * demo_land.c — the demo district's land acquisition ledgers (seeds 001, 002):
 *
 * - 三一智慧钢铁城（一期）: 2400 亩 planned, 320 households in four villages of
 *   仙庾镇, signed over 40 days before the start on 2020-12-12; 305 handed
 *   over, the rest signed or demolished and partly paid, or still being
 *   valued; five hard cases (three open for the leading group, two decided);
 *   two villages' lists published; every parcel has an outline (a grid per
 *   village), nine of them drawn more than 5 % off the recorded area.
 * - 湖南先进硬质材料产业园, the 渌口-style figure: 4191.26 of 4291.26 亩
 *   acquired (97.67 %), 118 of 120 households handed over (98.33 %).
 *
 * Deterministic: fixed dates for 三一 (it happened in 2020), dates relative to
 * the day the demo is loaded for the other, names and numbers from fixed
 * sequences.  The user "sany" (三一指挥部) is land staff.
 */
#include <math.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "demo.h"
#include "land_http.h"

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "罗", "谭"};
static const char *const given[] = {"建国", "桂兰", "德明", "秋生", "冬梅", "志强", "玉华", "国平", "春林", "淑珍", "爱民",
                                    "小军", "红英", "立新", "海波", "金生", "美兰", "长青", "正华", "树林", "月娥", "友良"};

static void id_number(int n, char out[32]) {
  static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int year = 1945 + n % 50, month = 1 + n % 12, mday = 1 + n % 28;
  snprintf(out, 32, "430211%04d%02d%02d%03d", year % 10000, month % 100, mday % 100, n % 1000);
  int sum = 0;
  for (int i = 0; i < 17; i++) sum += (out[i] - '0') * w[i];
  out[17] = "10X98765432"[sum % 11];
  out[18] = 0;
}

typedef struct plan {
  int64_t project;
  const char *village;
  int idx, state, houses;
  int64_t hmu;
  int32_t surveyed, valued, signed_on, demolished, handed;
  int paid_all, paid_some;
} plan;

static const char *day(arena *a, int32_t d) {
  char *b = arena_alloc(a, 11);
  date_format(d, b);
  return b;
}

/* One household with its items, payments and history. */
static int64_t add(db *d, arena *a, const plan *p, const char *now) {
  char id[32];
  id_number(p->idx * 7 + 13, id);
  const char *name = arena_printf(a, "%s%s", surnames[p->idx % 20], given[(p->idx * 7) % 22]);
  const char *phone = arena_printf(a, "139%08d", 7330000 + p->idx * 37);
  static const char *const groups[] = {"一组", "二组", "三组", "四组", "五组", "六组"};
  const char *on[5] = {day(a, p->surveyed), p->state >= LS_VALUED ? day(a, p->valued) : NULL,
                       p->state >= LS_SIGNED ? day(a, p->signed_on) : NULL, p->state >= LS_DEMOLISHED ? day(a, p->demolished) : NULL,
                       p->state >= LS_HANDED_OVER ? day(a, p->handed) : NULL};
  int64_t area = (int64_t)p->houses * (9000 + (p->idx % 7) * 1500); /* hundredths of m² */
  db_stmt *st = db_query(d,
                         "INSERT INTO land_households (project_id, village, grp, head_name, id_number, phone, collective_mu, state_mu, "
                         "houses, house_area, state, surveyed_on, valued_on, signed_on, demolished_on, handed_over_on, created_at, "
                         "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBI(p->project), DBT(p->village), DBT(groups[p->idx % 6]), DBT(name), DBT(id), DBT(phone), DBI(p->hmu),
                         DBI(p->houses), DBI(area), DBT(land_states[p->state]), DBT(on[0]), DBT(on[1]), DBT(on[2]), DBT(on[3]),
                         DBT(on[4]), DBT(now), DBT(now));
  int64_t hh = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  if (!hh) return 0;
  for (int s = 0; s <= p->state; s++)
    if (db_exec(d, "INSERT INTO land_events (household_id, from_state, to_state, on_date, at) VALUES (?, ?, ?, ?, ?)", DBI(hh),
                DBT(s ? land_states[s - 1] : NULL), DBT(land_states[s]), DBT(on[s]), DBT(now)) != DB_OK)
      return 0;
  if (p->state == LS_SURVEYED) return hh;
  /* 土地费 ¥48,000/亩, 青苗 ¥1,800/亩, 房屋安置 ¥150,000/栋, 设施 and graves for some */
  struct {
    const char *kind;
    int64_t amount;
  } items[5];
  int n = 0;
  items[n].kind = "land", items[n++].amount = p->hmu * 48000;
  items[n].kind = "crops", items[n++].amount = p->hmu * 1800;
  if (p->houses) items[n].kind = "resettlement", items[n++].amount = (int64_t)p->houses * 15000000 + (int64_t)(p->idx % 5) * 123456;
  if (p->idx % 4 == 0) items[n].kind = "facilities", items[n++].amount = 860000 + (p->idx % 9) * 10050;
  if (p->idx % 9 == 0) items[n].kind = "graves", items[n++].amount = 500000;
  int64_t due = 0, paid = 0;
  for (int i = 0; i < n; i++) {
    int64_t pay = p->paid_all ? items[i].amount : (p->paid_some && i == 0 ? items[i].amount / 2 : 0);
    int unvalued = p->state == LS_VALUED && i == n - 1 && p->idx % 2; /* one still being valued */
    st = db_query(d, "INSERT INTO land_items (household_id, kind, amount, paid, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id", DBI(hh),
                  DBT(items[i].kind), unvalued ? DBNULL : DBI(items[i].amount), DBI(pay), DBT(now));
    int64_t item = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
    db_done(st);
    if (!item) return 0;
    if (!unvalued) due += items[i].amount;
    paid += pay;
    if (pay && db_exec(d,
                       "INSERT INTO land_payments (household_id, item_id, amount, paid_on, payer, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       DBI(hh), DBI(item), DBI(pay), DBT(day(a, p->signed_on + 2)), DBT("区财政局征拆资金专户"), DBT(now)) != DB_OK)
      return 0;
  }
  if (db_exec(d, "UPDATE land_households SET due = ?, paid = ?, unvalued = (SELECT COUNT(*) FROM land_items WHERE household_id = ? AND amount IS NULL) WHERE id = ?",
              DBI(due), DBI(paid), DBI(hh), DBI(hh)) != DB_OK)
    return 0;
  return hh;
}

/* 三一's parcels for the map (征拆一张图): per village a grid of squares of
 * the recorded area (ten to a row, 75 m apart), the four villages in a 2×2
 * block near 仙庾镇; every 37th parcel's outline is drawn 10 % narrower than
 * recorded so the map shows the >5 % mark. */
static int outline(db *d, int64_t hh, int v, int k, int64_t hmu, int wide) {
  static const double r = 6371008.8 * 3.14159265358979323846 / 180; /* m per degree of latitude */
  double side = sqrt((double)hmu * 2000 / 3 / 100);                   /* m; 1 亩 = 2000/3 m² */
  int vrow = v / 2, vcol = v % 2, row = k / 10, col = k % 10; /* villages 2×2, parcels ten to a row */
  double lat0 = 27.86 + vrow * 0.0085 + row * 75 / r;
  double coslat = cos(lat0 * 3.14159265358979323846 / 180);
  double lng0 = 113.21 + vcol * 0.0095 + col * 75 / (r * coslat);
  double dlat = side / r, dlng = side * (wide ? 0.9 : 1) / (r * coslat);
  char g[512];
  snprintf(g, sizeof g, "{\"type\":\"Polygon\",\"coordinates\":[[[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f]]]}", lng0,
           lat0, lng0 + dlng, lat0, lng0 + dlng, lat0 + dlat, lng0, lat0 + dlat, lng0, lat0);
  double m2 = land_geojson_area_m2(g);
  if (m2 < 0) return DB_ERROR;
  return db_exec(d, "UPDATE land_households SET geojson = ?, outline_m2 = ? WHERE id = ?", DBT(g), DBR(m2), DBI(hh));
}

static int hard_case(db *d, int64_t hh, int64_t project, const char *title, const char *desc, const char *raised, const char *meeting,
                     const char *decision, const char *now) {
  return db_exec(d,
                 "INSERT INTO land_hard_cases (household_id, project_id, title, description, state, raised_on, meeting_on, members, "
                 "decision, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 DBI(hh), DBI(project), DBT(title), DBT(desc), DBT(decision ? "decided" : "open"), DBT(raised), DBT(meeting),
                 DBT(decision ? "区委书记（组长）、区长、分管副区长、自然资源分局、财政局、仙庾镇、三一指挥部等9人" : NULL), DBT(decision),
                 DBT(now), DBT(now));
}

int land_demo(db *d, FILE *log) {
  arena a;
  arena_init(&a);
  const char *now = now_rfc3339(&a);
  int rc = DB_OK;
  int64_t sany = db_int1(d, 0, "SELECT id FROM projects WHERE code = 'HT-2020-001'");
  int64_t hard = db_int1(d, 0, "SELECT id FROM projects WHERE code = 'HT-2021-005'");
  int32_t start = 0, today = clock_today();
  date_parse("2020-12-12", &start);
  if (sany) {
    static const char *const villages[] = {"石塘村", "湾塘村", "龙头铺村", "双塘村"};
    static const int sizes[] = {90, 80, 80, 70};
    rc = db_exec(d, "UPDATE projects SET land_plan_mu = 240000 WHERE id = ?", DBI(sany));
    int64_t hh_ids[320] = {0};
    for (int i = 0, v = 0, k = 0; rc == DB_OK && i < 320; i++, k++) {
      if (k == sizes[v]) v++, k = 0;
      plan p = {sany, villages[v], i, LS_HANDED_OVER, i % 5 == 0 ? 0 : 1 + (i % 11 == 0), 750, 0, 0, 0, 0, 0, 1, 0};
      p.state = i < 305 ? LS_HANDED_OVER : i < 312 ? LS_DEMOLISHED : i < 317 ? LS_SIGNED : i < 319 ? LS_VALUED : LS_SURVEYED;
      if (p.state == LS_HANDED_OVER && p.houses == 0 && i % 2) p.houses = 1;
      p.surveyed = start - 55 + i % 10;
      p.valued = start - 45 + i % 5;
      p.signed_on = start - 40 + i * 36 / 320;
      p.demolished = p.signed_on + 2;
      p.handed = p.signed_on + 4;
      p.paid_all = p.state == LS_HANDED_OVER;
      p.paid_some = p.state == LS_DEMOLISHED || p.state == LS_SIGNED;
      hh_ids[i] = add(d, &a, &p, now);
      if (!hh_ids[i]) rc = DB_ERROR;
      else rc = outline(d, hh_ids[i], v, k, p.hmu, i % 37 == 7);
    }
    if (rc == DB_OK) rc = hard_case(d, hh_ids[312], sany, "户主对房屋面积认定有异议", "要求按实际建筑面积（含偏屋）补偿，与测绘结果相差42平方米", "2020-12-01", NULL, NULL, now);
    if (rc == DB_OK) rc = hard_case(d, hh_ids[317], sany, "祖坟迁移时间与家族意见不一", "家族要求清明后迁坟，影响场平进度", "2020-12-03", NULL, NULL, now);
    if (rc == DB_OK) rc = hard_case(d, hh_ids[319], sany, "户主长期在外务工无法入户", "已多次电话联系，需镇村协调亲属代办", "2020-12-05", NULL, NULL, now);
    if (rc == DB_OK)
      rc = hard_case(d, hh_ids[40], sany, "兄弟分户争议", "两兄弟对宅基地分配有争议", "2020-11-10", "2020-11-14",
                     "按村民小组分户记录认定两户，分别签约，镇司法所现场调解", now);
    if (rc == DB_OK)
      rc = hard_case(d, hh_ids[151], sany, "养殖场设施补偿标准", "养殖户对设施补偿标准有异议", "2020-11-18", "2020-11-21",
                     "委托第三方评估公司重新评估，按评估价补偿，三日内兑付", now);
    for (int v = 0; rc == DB_OK && v < 2; v++)
      rc = db_exec(d, "INSERT INTO land_disclosures (project_id, village, published_at) VALUES (?, ?, ?)", DBI(sany), DBT(villages[v]),
                   DBT("2020-11-05T02:00:00.000Z"));
  }
  if (hard && rc == DB_OK) {
    /* 渌口-style: 4191.26 of 4291.26 亩 handed over (97.67 %), 118 of 120 households (98.33 %) */
    static const char *const villages[] = {"姚家坝村", "南阳桥村", "朱亭村"};
    rc = db_exec(d, "UPDATE projects SET land_plan_mu = 429126 WHERE id = ?", DBI(hard));
    for (int i = 0; rc == DB_OK && i < 120; i++) {
      plan p = {hard, villages[i % 3], 1000 + i, i < 118 ? LS_HANDED_OVER : LS_SIGNED, 1, i < 117 ? 3552 : i == 117 ? 3542 : 5000,
                0, 0, 0, 0, 0, i < 118, i >= 118};
      p.surveyed = today - 160 + i % 7;
      p.valued = today - 140 + i % 7;
      p.signed_on = today - 120 + i / 2;
      p.demolished = p.signed_on + 3;
      p.handed = p.signed_on + 5;
      if (!add(d, &a, &p, now)) rc = DB_ERROR;
    }
  }
  if (rc == DB_OK) rc = land_rollup_rebuild(d);
  /* the battle map's land-acquisition nodes follow the ledgers */
  if (sany && rc == DB_OK) rc = land_sync_nodes(d, sany, now);
  if (hard && rc == DB_OK) rc = land_sync_nodes(d, hard, now);
  int64_t staff = db_int1(d, 0, "SELECT id FROM users WHERE login = 'sany'");
  if (rc == DB_OK && staff) rc = db_exec(d, "INSERT INTO land_staff (user_id, granted_at) VALUES (?, ?)", DBI(staff), DBT(now));
  if (log && rc == DB_OK) fprintf(log, "land: 440 households on 2 projects\n");
  arena_release(&a);
  return rc == DB_OK ? 0 : -1;
}
