/*
 * gen.c — `guatu gen --scale province|district --db FILE|postgres://…`: a
 * deterministic generator of a large, realistic dataset for `make bench`
 * (issue 8) and for trying guatu at the size of a whole province.
 *
 * The same command with the same --seed gives the same database: every
 * random choice comes from one splitmix64 stream (per project streams are
 * derived from the seed and the project id, so the report totals can be
 * replayed without keeping 3 million reports in memory), and "today" is a
 * fixed date (GEN_TODAY), never the clock.
 *
 * Speed: SQLite gets one transaction, one prepared statement per table
 * reused for every row, synchronous=OFF, foreign key checks off and a
 * large cache only while loading (then FULL again and ANALYZE);
 * PostgreSQL gets COPY … FROM STDIN through libpq in 1 MB chunks, then its
 * identity sequences are moved past the generated ids.  Like copy.c this
 * file reaches the engine's handle through db_driver.h: bulk loading is
 * the one thing db.h deliberately does not offer the modules.
 */
#include <libpq-fe.h>
#include <math.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "auth.h"
#include "calendar.h"
#include "cli.h"
#include "db_driver.h"
#include "ent.h"
#include "fin.h"
#include "invest.h"
#include "land.h"
#include "qa.h"
#include "rollups.h"
#include "clock.h"

#define GEN_TODAY_Y 2026
#define GEN_TODAY_M 11
#define GEN_TODAY_D 15
#define GEN_LAST_PERIOD_Y 2026 /* the last month with reports: October 2026 */
#define GEN_LAST_PERIOD_M 10
#define GEN_MAX_MONTHS 140
#define BENCH_PASSWORD "bench1234"
#define GEN_STAMP "2026-11-15T08:00:00Z"

static const char gen_usage[] =
    "guatu gen --scale province|district --db FILE|postgres://… [--seed N]\n"
    "  Fills an EMPTY database with a deterministic, realistic dataset (same seed, same database):\n"
    "    district: 60 units, 200 users, 150 projects, 2,000 nodes, 5,000 monthly reports, 500 problems\n"
    "    province: 5,000 units (a province, 120 counties of very different sizes and their towns,\n"
    "              departments, HQs, enterprises, banks), 50,000 users, 50,000 projects with annual\n"
    "              plans and tags, 600,000 nodes, 3,000,000 monthly reports, 200,000 problems\n"
    "  plus monthly tasks for the last six months when the tasks table exists, and when their tables exist:\n"
    "    land acquisition: households on about 15% of the projects under way (district 3,000,\n"
    "      province 1,000,000) with their compensation items, payments and history, most handed over\n"
    "      on older projects; signed households have every item valued, handed-over ones are fully paid\n"
    "    approvals: each county's catalogue of 11 items (its own departments, with prerequisites) and\n"
    "      8-11 records with their timelines for 9 in 10 projects under way (province about 400,000)\n"
    "    enterprise services: a registry record for every enterprise unit (valid codes, flags, figures),\n"
    "      6-14 requests each in every state of the loop, a dozen policies (src/ent_gen.c)\n"
    "  \"Today\" is fixed at 2026-11-15 (reports up to 2026-10), so late nodes and overdue problems do\n"
    "  not drift: serve the dataset with GUATU_TODAY=2026-11-15.\n"
    "  Every user's password is '" BENCH_PASSWORD "' and all share ONE Argon2id hash, computed once:\n"
    "  hashing 50,000 passwords separately would take about an hour.  Logins: admin, office,\n"
    "  leader (the whole province) and u000001… (units, enterprises, banks).\n"
    "  Default seed 20261.  Progress (percent, rows/s) goes to stderr; a summary to stdout.";

/* ---- deterministic random numbers ------------------------------------- */

typedef struct rng {
  uint64_t s;
} rng;
static uint64_t rnext(rng *r) {
  uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static int64_t rn(rng *r, int64_t n) { return n <= 0 ? 0 : (int64_t)(rnext(r) % (uint64_t)n); }
static double runi(rng *r) { return (double)(rnext(r) >> 11) * 0x1.0p-53; }
static int chance(rng *r, double p) { return runi(r) < p; }
static double rnorm(rng *r) { /* Box–Muller, one value */
  double u = runi(r), v = runi(r);
  if (u < 1e-12) u = 1e-12;
  return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}
static rng rsub(uint64_t seed, uint64_t stream, uint64_t id) {
  rng r = {seed * 0x100000001b3ULL ^ (stream << 40) ^ id};
  rnext(&r);
  return r;
}

/* ---- progress on stderr ------------------------------------------------ */

static struct {
  int64_t done, total;
  double t0, last;
  int tty;
} prog;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
static void prog_show(int final) {
  double t = now_s();
  if (!final && t - prog.last < (prog.tty ? 0.2 : 5.0)) return;
  prog.last = t;
  double pct = prog.total ? 100.0 * (double)prog.done / (double)prog.total : 100.0;
  if (pct > 100) pct = 100;
  int bar = (int)(pct / 2.5);
  char b[41];
  for (int i = 0; i < 40; i++) b[i] = i < bar ? '#' : '.';
  b[40] = 0;
  double el = t - prog.t0;
  fprintf(stderr, "%s[%s] %5.1f%% %10lld rows %9.0f rows/s %6.1f s%s", prog.tty ? "\r" : "", b, pct,
          (long long)prog.done, el > 0 ? (double)prog.done / el : 0.0, el, prog.tty && !final ? "" : "\n");
}

/* ---- row sinks: one table at a time ------------------------------------ */

typedef struct sink {
  db *d;
  const char *table;
  int ncols;
  sqlite3_stmt *st; /* SQLite: the prepared INSERT */
  char *buf;        /* PostgreSQL: COPY text not yet sent */
  size_t len, cap;
  int64_t rows;
  int failed;
} sink;

static int sink_fail(sink *k, const char *why) {
  if (!k->failed) fprintf(stderr, "\nguatu gen: table %s: %s\n", k->table, why);
  k->failed = 1;
  return -1;
}

static int sink_open(sink *k, db *d, const char *table, const char *cols) {
  memset(k, 0, sizeof *k);
  k->d = d;
  k->table = table;
  k->ncols = 1;
  for (const char *c = cols; *c; c++) k->ncols += *c == ',';
  char sql[1024];
  if (d->dialect == DB_SQLITE) {
    int n = snprintf(sql, sizeof sql, "INSERT INTO %s (%s) VALUES (", table, cols);
    for (int i = 0; i < k->ncols && n < (int)sizeof sql - 4; i++) n += snprintf(sql + n, sizeof sql - (size_t)n, i ? ",?" : "?");
    snprintf(sql + n, sizeof sql - (size_t)n, ")");
    if (sqlite3_prepare_v2((sqlite3 *)d->conn, sql, -1, &k->st, NULL) != SQLITE_OK)
      return sink_fail(k, sqlite3_errmsg((sqlite3 *)d->conn));
    return 0;
  }
  snprintf(sql, sizeof sql, "COPY %s (%s) FROM STDIN", table, cols);
  PGresult *res = PQexec((PGconn *)d->conn, sql);
  int ok = PQresultStatus(res) == PGRES_COPY_IN;
  if (!ok) sink_fail(k, PQerrorMessage((PGconn *)d->conn));
  PQclear(res);
  if (!ok) return -1;
  k->cap = 1 << 20;
  k->buf = malloc(k->cap + 4096);
  return k->buf ? 0 : sink_fail(k, "out of memory");
}

static void pg_put(sink *k, const char *s, size_t n) {
  if (k->len + n + 2 > k->cap) {
    size_t cap = k->cap;
    while (k->len + n + 2 > cap) cap *= 2;
    char *b = realloc(k->buf, cap);
    if (!b) {
      sink_fail(k, "out of memory");
      return;
    }
    k->buf = b;
    k->cap = cap;
  }
  memcpy(k->buf + k->len, s, n);
  k->len += n;
}

static int pg_flush(sink *k) {
  if (k->len && PQputCopyData((PGconn *)k->d->conn, k->buf, (int)k->len) != 1)
    return sink_fail(k, PQerrorMessage((PGconn *)k->d->conn));
  k->len = 0;
  return 0;
}

static int sink_row(sink *k, const db_val *v) {
  if (k->failed) return -1;
  if (k->d->dialect == DB_SQLITE) {
    for (int i = 0; i < k->ncols; i++) {
      int rc;
      switch (v[i].type) {
      case DBV_INT: rc = sqlite3_bind_int64(k->st, i + 1, v[i].i); break;
      case DBV_REAL: rc = sqlite3_bind_double(k->st, i + 1, v[i].d); break;
      case DBV_TEXT: rc = sqlite3_bind_text(k->st, i + 1, v[i].s, -1, SQLITE_STATIC); break;
      default: rc = sqlite3_bind_null(k->st, i + 1); break;
      }
      if (rc != SQLITE_OK) return sink_fail(k, sqlite3_errmsg((sqlite3 *)k->d->conn));
    }
    int rc = sqlite3_step(k->st);
    sqlite3_reset(k->st);
    if (rc != SQLITE_DONE) return sink_fail(k, sqlite3_errmsg((sqlite3 *)k->d->conn));
  } else {
    char num[64];
    for (int i = 0; i < k->ncols; i++) {
      if (i) pg_put(k, "\t", 1);
      switch (v[i].type) {
      case DBV_INT: pg_put(k, num, (size_t)snprintf(num, sizeof num, "%lld", (long long)v[i].i)); break;
      case DBV_REAL: pg_put(k, num, (size_t)snprintf(num, sizeof num, "%.6f", v[i].d)); break;
      case DBV_TEXT:
        for (const char *s = v[i].s; *s; s++) {
          const char *esc = *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : *s == '\r' ? "\\r" : NULL;
          if (esc) pg_put(k, esc, 2);
          else pg_put(k, s, 1);
        }
        break;
      default: pg_put(k, "\\N", 2); break;
      }
    }
    pg_put(k, "\n", 1);
    if (k->len >= (1 << 20) && pg_flush(k) != 0) return -1;
  }
  k->rows++;
  prog.done++;
  if ((prog.done & 4095) == 0) prog_show(0);
  return k->failed ? -1 : 0;
}

static int sink_close(sink *k) {
  int rc = k->failed ? -1 : 0;
  if (k->d->dialect == DB_SQLITE) {
    sqlite3_finalize(k->st);
  } else {
    PGconn *c = (PGconn *)k->d->conn;
    if (rc == 0) rc = pg_flush(k);
    if (PQputCopyEnd(c, rc == 0 ? NULL : "generator failed") != 1) rc = sink_fail(k, PQerrorMessage(c));
    PGresult *res;
    while ((res = PQgetResult(c)) != NULL) {
      if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0) rc = sink_fail(k, PQresultErrorMessage(res));
      PQclear(res);
    }
    free(k->buf);
  }
  return rc;
}

/* ---- the shape of a scale ------------------------------------------------ */

typedef struct scale {
  const char *name;
  int units, users, counties;
  int projects, nodes;
  int64_t reports;
  int problems;
  int households; /* land acquisition; approvals follow the projects */
} scale;

static const scale scales[] = {
    {"district", 60, 200, 0, 150, 2000, 5000, 500, 3000},
    {"province", 5000, 50000, 120, 50000, 600000, 3000000, 200000, 1000000},
};

enum { K_HQ, K_GROUP, K_TOWN, K_DEPT, K_ENT, K_BANK, K_N };
static const double kind_share[K_N] = {0.05, 0.04, 0.17, 0.28, 0.38, 0.08};

typedef struct gunit {
  int64_t id, parent;
  int county; /* index of its county (0 for a district-scale dataset) */
  int kind;   /* K_* or -1 for the root and the counties */
  int64_t user; /* first user of the unit, 0 if none */
} gunit;

typedef struct gcounty {
  int64_t unit;   /* the county's unit id (the root for district scale) */
  const char *name;
  double weight;
  int64_t *pick[K_N]; /* unit ids by kind */
  int npick[K_N];
  int64_t *leaders;   /* leader user ids */
  int nleaders;
  int64_t office;     /* the county project office's user */
  double lng, lat;
  int nprojects;
} gcounty;

typedef struct gproject {
  int county;
  int32_t start;  /* first day of work */
  int months;     /* planned duration */
  int64_t total;  /* fen */
  int64_t unit;   /* responsible unit */
  int nodes, reports, span;
  int reserve;
} gproject;

typedef struct gen {
  db *d;
  const scale *sc;
  uint64_t seed;
  rng r;
  arena a;    /* per-row strings, released every few thousand rows */
  arena keep; /* strings that live as long as the run (county names) */
  calendar *cal;
  int32_t today;
  char hash[160];
  gunit *units;
  int nunits;
  gcounty *counties;
  int ncounties;
  gproject *proj;
  int *land_hh;     /* households per project */
  int64_t *land_mu; /* their land per project, hundredths of 亩 */
  int64_t admin, office, leader;
} gen;

static const char *const county_a[] = {"长", "株", "湘", "衡", "邵", "岳", "常", "益", "郴", "永", "怀", "娄"};
static const char *const county_b[] = {"沙", "洲", "潭", "阳", "陵", "宁", "乡", "源", "江", "溪"};
static const char *const county_c[] = {"县", "区", "市"};
static const char *const town_stem[] = {"金山", "桂花", "明照", "仙庾", "月塘", "宋家桥", "茨菇塘", "白关", "龙船", "南洲",
                                        "渌口", "朱亭", "淦田", "龙门", "古岳峰", "石羊塘", "雷打石", "王十万", "堂市",
                                        "横石", "高桥", "枫林", "太湖", "双牌", "清水", "马家河", "栗雨", "荷塘", "泉塘", "响石岭"};
static const char *const dept_stem[] = {"发展和改革局", "财政局", "自然资源局", "住房和城乡建设局", "招商局", "工业和信息化局",
                                        "行政审批服务局", "城市管理和综合执法局", "生态环境局", "交通运输局", "人力资源和社会保障局",
                                        "科技局", "应急管理局", "市场监督管理局", "水利局", "农业农村局", "商务局", "文化旅游局",
                                        "教育局", "卫生健康局"};
static const char *const hq_stem[] = {"高新园", "物流园", "新城", "产业园", "开发区", "片区", "智造谷", "港区"};
static const char *const ent_stem[] = {"华巨", "柳鑫", "韵达", "格斯特", "东裕", "金城", "华银", "三一", "中车", "时代",
                                       "宏达", "天元", "湘钢", "远大", "博瑞", "安泰", "联诚", "鼎盛", "荣昌", "恒通"};
static const char *const ent_trade[] = {"新材料", "电子", "物流", "动力机械", "精密制造", "建材", "能源", "生物科技", "信息技术", "实业"};
static const char *const bank_stem[] = {"农商银行", "工商银行支行", "建设银行支行", "农业银行支行", "中国银行支行", "华融湘江银行支行",
                                        "邮政储蓄银行支行", "交通银行支行"};
static const char *const surname[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
                                    "明", "超", "秀英", "华", "平", "建国", "志强", "海燕", "红梅", "立新"};
static const char *const chains[] = {"新材料", "信创", "硬质材料", "现代物流", "先进装备制造", "电子信息", "生物医药", "新能源", "轨道交通"};
static const char *const proj_kind[] = {"产业园", "生产基地", "扩能改造", "智能制造项目", "物流园", "道路提质改造", "安置小区",
                                        "污水处理厂", "学校新建", "医院综合楼", "棚户区改造", "产业孵化中心", "供水工程", "二期"};
static const char *const tags[] = {"省市重点", "集中开工", "领导联系", "重大招商", "十四五规划"};
static const char *const node_names[] = {"征拆", "土地报批", "土地挂网出让", "规划许可", "施工许可", "开工",
                                         "主体封顶", "竣工", "投产"};
static const char *const node_kinds[] = {"land_acquisition", "land_approval", "land_listing", "planning_permit",
                                         "construction_permit", "start", "topping_out", "completion", "production"};
static const char *const extra_nodes[] = {"环评批复", "能评批复", "水电气接入", "设备采购", "设备安装调试", "场平工程",
                                          "桩基施工", "钢结构吊装", "消防验收", "竣工验收备案"};
static const char *const images[] = {"场地平整中", "桩基施工", "基础施工完成", "主体结构施工", "主体封顶", "钢结构吊装",
                                     "设备安装", "装饰装修", "室外配套施工", "竣工验收", "试生产", "已投产"};
static const char *const prob_cat[] = {"demolition", "land", "planning", "approval", "funds", "utilities", "environment", "other"};
static const int prob_days[] = {10, 10, 7, 5, 10, 7, 7, 5};
static const char *const prob_title[] = {"征拆户诉求补偿标准过高，协议未签", "用地指标未落实", "规划条件调整待批", "施工许可办理缓慢",
                                         "项目资金缺口，需协调贷款", "10千伏专线接入未完成", "环评批复未取得", "周边道路未通"};
#define NEL(a) ((int)(sizeof(a) / sizeof *(a)))

static const char *pick_s(rng *r, const char *const *list, int n) { return list[rn(r, n)]; }
static const char *day_text(gen *g, int32_t day) {
  char b[11];
  date_format(day, b);
  return arena_strdup(&g->a, b);
}
static const char *stamp_at(gen *g, int32_t day) {
  char b[11];
  date_format(day, b);
  return arena_printf(&g->a, "%sT09:00:00Z", b);
}
static int months_index(int y, int m) { return y * 12 + (m - 1); }

/* ---- units ---------------------------------------------------------------- */

static int gen_units(gen *g, sink *k) {
  const scale *sc = g->sc;
  g->units = calloc((size_t)sc->units + 1, sizeof *g->units);
  g->ncounties = sc->counties ? sc->counties : 1;
  g->counties = calloc((size_t)g->ncounties, sizeof *g->counties);
  if (!g->units || !g->counties) return -1;
  int64_t id = 0;
  int rc = 0;
  /* add one unit: names are unique by construction */
#define ADD_UNIT(NAME, KIND, PARENT, COUNTY, KI)                                                                      \
  do {                                                                                                                \
    id++;                                                                                                             \
    int64_t par_ = (PARENT);                                                                                          \
    const char *path_ = par_ ? arena_printf(&g->a, "%s%lld/", unit_path[par_], (long long)id) : arena_printf(&g->a, "/%lld/", (long long)id); \
    unit_path[id] = path_;                                                                                            \
    g->units[id] = (gunit){id, par_, (COUNTY), (KI), 0};                                                              \
    db_val v_[] = {DBI(id), DBT(NAME), DBT(KIND), par_ ? DBI(par_) : DBNULL, DBT(path_), DBI(id), DBT(GEN_STAMP)}; \
    if (sink_row(k, v_) != 0) rc = -1;                                                                                \
  } while (0)
  const char **unit_path = calloc((size_t)sc->units + 1, sizeof *unit_path);
  if (!unit_path) return -1;
  rng *r = &g->r;
  const char *root_name = sc->counties ? "湖南省" : "荷塘区";
  ADD_UNIT(root_name, "district", 0, 0, -1);
  int64_t root = id;
  if (sc->counties) {
    /* the province's own departments, directly under the root */
    for (int i = 0; i < 20; i++) ADD_UNIT(arena_printf(&g->a, "湖南省%s", dept_stem[i]), "department", root, 0, K_DEPT);
    double wsum = 0;
    for (int c = 0; c < sc->counties; c++) {
      gcounty *gc = &g->counties[c];
      gc->name = arena_printf(&g->keep, "%s%s%s", county_a[c / 10 % NEL(county_a)], county_b[c % 10], county_c[c % 3]);
      ADD_UNIT(gc->name, "district", root, c, -1);
      gc->unit = id;
      /* a few big city districts, many small counties: a Zipf-like weight */
      gc->weight = 1.0 / pow(1.0 + (double)rn(r, sc->counties), 0.7);
      wsum += gc->weight;
    }
    int remaining = sc->units - (int)id, given_out = 0;
    for (int c = 0; c < sc->counties; c++) {
      gcounty *gc = &g->counties[c];
      gc->nprojects = (int)floor((double)remaining * gc->weight / wsum); /* reused below as unit quota */
      if (gc->nprojects < 6) gc->nprojects = 6;
      given_out += gc->nprojects;
    }
    for (int c = 0; given_out != remaining; c = (c + 1) % sc->counties) {
      if (given_out > remaining && g->counties[c].nprojects > 6) g->counties[c].nprojects--, given_out--;
      else if (given_out < remaining) g->counties[c].nprojects++, given_out++;
    }
  } else {
    g->counties[0] = (gcounty){.unit = root, .name = root_name, .weight = 1, .nprojects = sc->units - 1};
  }
  for (int c = 0; c < g->ncounties && rc == 0; c++) {
    gcounty *gc = &g->counties[c];
    int n = gc->nprojects, quota[K_N], q = 0;
    for (int j = 0; j < K_N; j++) q += quota[j] = (int)floor(n * kind_share[j]);
    quota[K_ENT] += n - q;
    if (quota[K_HQ] == 0 && quota[K_ENT] > 1) quota[K_HQ]++, quota[K_ENT]--;
    if (quota[K_GROUP] > quota[K_HQ] * 2) quota[K_ENT] += quota[K_GROUP] - quota[K_HQ] * 2, quota[K_GROUP] = quota[K_HQ] * 2;
    for (int j = 0; j < K_N; j++) {
      gc->pick[j] = calloc((size_t)quota[j] + 1, sizeof(int64_t));
      if (!gc->pick[j]) return -1;
    }
    const char *cn = sc->counties ? gc->name : "荷塘区";
    gc->lng = 109.0 + runi(r) * 5.0;
    gc->lat = 25.0 + runi(r) * 4.8;
    for (int i = 0; i < quota[K_HQ]; i++) {
      const char *nm = i < NEL(hq_stem) ? arena_printf(&g->a, "%s%s指挥部", cn, hq_stem[i])
                                         : arena_printf(&g->a, "%s第%d指挥部", cn, i + 1);
      ADD_UNIT(nm, "hq", gc->unit, c, K_HQ);
      gc->pick[K_HQ][gc->npick[K_HQ]++] = id;
    }
    for (int i = 0; i < quota[K_GROUP]; i++) {
      int64_t hq = gc->pick[K_HQ][i % quota[K_HQ]];
      /* the HQ's name is rebuilt from its index */
      int hi = i % quota[K_HQ];
      const char *hqn = hi < NEL(hq_stem) ? arena_printf(&g->a, "%s%s指挥部", cn, hq_stem[hi]) : arena_printf(&g->a, "%s第%d指挥部", cn, hi + 1);
      ADD_UNIT(arena_printf(&g->a, "%s%s", hqn, i < quota[K_HQ] ? "征拆组" : "项目建设组"), "group", hq, c, K_GROUP);
      gc->pick[K_GROUP][gc->npick[K_GROUP]++] = id;
    }
    for (int i = 0; i < quota[K_TOWN]; i++) {
      const char *stem = town_stem[i % NEL(town_stem)];
      const char *nm = i < NEL(town_stem) ? arena_printf(&g->a, "%s%s%s", cn, stem, i % 3 == 2 ? "镇" : "街道")
                                           : arena_printf(&g->a, "%s%s%d%s", cn, stem, i / NEL(town_stem) + 1, i % 3 == 2 ? "镇" : "街道");
      ADD_UNIT(nm, "town", gc->unit, c, K_TOWN);
      gc->pick[K_TOWN][gc->npick[K_TOWN]++] = id;
    }
    for (int i = 0; i < quota[K_DEPT]; i++) {
      const char *nm = i < NEL(dept_stem) ? arena_printf(&g->a, "%s%s", cn, dept_stem[i])
                                           : arena_printf(&g->a, "%s%s第%d分局", cn, dept_stem[i % NEL(dept_stem)], i / NEL(dept_stem) + 1);
      ADD_UNIT(nm, "department", gc->unit, c, K_DEPT);
      gc->pick[K_DEPT][gc->npick[K_DEPT]++] = id;
    }
    for (int i = 0; i < quota[K_ENT]; i++) {
      const char *nm = arena_printf(&g->a, "%s%s%s有限公司%s", cn, ent_stem[i % NEL(ent_stem)], ent_trade[(i / NEL(ent_stem)) % NEL(ent_trade)],
                                    i >= NEL(ent_stem) * NEL(ent_trade) ? arena_printf(&g->a, "（%d）", i) : "");
      ADD_UNIT(nm, "enterprise", gc->unit, c, K_ENT);
      gc->pick[K_ENT][gc->npick[K_ENT]++] = id;
    }
    for (int i = 0; i < quota[K_BANK]; i++) {
      const char *nm = i < NEL(bank_stem) ? arena_printf(&g->a, "%s%s", cn, bank_stem[i])
                                           : arena_printf(&g->a, "%s%s第%d网点", cn, bank_stem[i % NEL(bank_stem)], i / NEL(bank_stem) + 1);
      ADD_UNIT(nm, "bank", gc->unit, c, K_BANK);
      gc->pick[K_BANK][gc->npick[K_BANK]++] = id;
    }
  }
#undef ADD_UNIT
  free(unit_path);
  g->nunits = (int)id;
  if (rc == 0 && id != sc->units) {
    fprintf(stderr, "guatu gen: internal error: %lld units instead of %d\n", (long long)id, sc->units);
    rc = -1;
  }
  return rc;
}

/* ---- users ---------------------------------------------------------------- */

static int gen_users(gen *g, sink *k) {
  const scale *sc = g->sc;
  rng *r = &g->r;
  int64_t id = 0;
  int rc = 0;
  int64_t root = g->units[1].id;
  /* the province (or district) project office sits in the root's 发改 department */
  int64_t office_unit = sc->counties ? 2 : g->counties[0].pick[K_DEPT][0];
  char phone[16];
  int nlead = 0;
#define ADD_USER(LOGIN, UNIT, ROLES)                                                                                 \
  do {                                                                                                               \
    id++;                                                                                                            \
    snprintf(phone, sizeof phone, "138%08lld", (long long)(id * 7919 % 100000000));                                  \
    const char *nm_ = arena_printf(&g->a, "%s%s", pick_s(r, surname, NEL(surname)), pick_s(r, given, NEL(given)));   \
    /* leaders get distinct names: imports and forms name the lead leader by name */                                 \
    if (strcmp(ROLES, "leader") == 0) {                                                                              \
      nm_ = arena_printf(&g->a, "%s%s%s", surname[nlead % NEL(surname)], given[nlead / NEL(surname) % NEL(given)],   \
                         nlead >= NEL(surname) * NEL(given) ? arena_printf(&g->a, "%d", nlead) : "");               \
      nlead++;                                                                                                       \
    }                                                                                                                \
    db_val v_[] = {DBI(id), DBT(LOGIN), DBT(nm_), DBT(phone), DBI(UNIT), DBT(ROLES), DBT(g->hash), DBT(GEN_STAMP), DBT(GEN_STAMP)}; \
    if (sink_row(k, v_) != 0) rc = -1;                                                                               \
    if (!g->units[UNIT].user) g->units[UNIT].user = id;                                                              \
  } while (0)
  ADD_USER("admin", office_unit, "admin");
  g->admin = id;
  ADD_USER("office", office_unit, "office");
  g->office = id;
  ADD_USER("leader", root, "leader");
  g->leader = id;
  for (int c = 0; c < g->ncounties; c++) {
    gcounty *gc = &g->counties[c];
    gc->leaders = calloc(4, sizeof(int64_t));
    if (!gc->leaders) return -1;
    if (sc->counties) {
      int64_t dept = gc->npick[K_DEPT] ? gc->pick[K_DEPT][0] : gc->unit;
      ADD_USER(arena_printf(&g->a, "u%06lld", (long long)id + 1), dept, "office");
      gc->office = id;
    } else {
      gc->office = g->office;
    }
    int nl = sc->counties ? 1 + (int)rn(r, 3) : 3;
    for (int i = 0; i < nl; i++) {
      ADD_USER(arena_printf(&g->a, "u%06lld", (long long)id + 1), gc->unit, "leader");
      gc->leaders[gc->nleaders++] = id;
    }
  }
  /* everyone else: one user for each unit first, then by the size of the unit's county */
  for (int u = 1; u <= g->nunits && id < sc->users; u++) {
    gunit *un = &g->units[u];
    if (un->user || un->kind < 0) continue;
    const char *role = un->kind == K_ENT ? "enterprise" : un->kind == K_BANK ? "bank" : "unit";
    ADD_USER(arena_printf(&g->a, "u%06lld", (long long)id + 1), u, role);
  }
  while (id < sc->users && rc == 0) {
    int64_t u = 2 + rn(r, g->nunits - 1);
    gunit *un = &g->units[u];
    if (un->kind < 0) continue;
    /* more staff in towns, HQs and departments than in banks */
    if ((un->kind == K_BANK || un->kind == K_ENT) && chance(r, 0.6)) continue;
    const char *role = un->kind == K_ENT ? "enterprise" : un->kind == K_BANK ? "bank" : "unit";
    ADD_USER(arena_printf(&g->a, "u%06lld", (long long)id + 1), u, role);
  }
#undef ADD_USER
  return rc;
}

/* ---- projects, plans and tags -------------------------------------------- */

static int64_t pick_unit(rng *r, gcounty *gc) {
  int kinds[] = {K_TOWN, K_TOWN, K_DEPT, K_HQ, K_TOWN, K_DEPT};
  for (int t = 0; t < 8; t++) {
    int k = kinds[rn(r, NEL(kinds))];
    if (gc->npick[k]) return gc->pick[k][rn(r, gc->npick[k])];
  }
  return gc->unit;
}

/* Distributes `target` over n items in [lo_i, hi_i], starting from want_i. */
static int fit_counts(int *want, const int *lo, const int *hi, int n, int64_t target) {
  int64_t sum = 0;
  for (int i = 0; i < n; i++) sum += want[i];
  for (int pass = 0; sum != target && pass < 100000; pass++) {
    int moved = 0;
    for (int i = 0; i < n && sum != target; i++) {
      if (sum < target && want[i] < hi[i]) want[i]++, sum++, moved = 1;
      else if (sum > target && want[i] > lo[i]) want[i]--, sum--, moved = 1;
    }
    if (!moved) break;
  }
  return sum == target ? 0 : -1;
}

static int gen_projects(gen *g, sink *kp) {
  const scale *sc = g->sc;
  rng *r = &g->r;
  g->proj = calloc((size_t)sc->projects + 1, sizeof *g->proj);
  if (!g->proj) return -1;
  double wsum = 0;
  for (int c = 0; c < g->ncounties; c++) wsum += g->counties[c].weight;
  int rc = 0;
  for (int64_t id = 1; id <= sc->projects && rc == 0; id++) {
    /* a county by weight: big districts run many more projects */
    double x = runi(r) * wsum;
    int c = 0;
    while (c < g->ncounties - 1 && (x -= g->counties[c].weight) > 0) c++;
    gcounty *gc = &g->counties[c];
    gproject *p = &g->proj[id];
    p->county = c;
    p->reserve = chance(r, 0.06);
    int back = p->reserve ? -(int)(30 + rn(r, 300)) : (int)rn(r, (int64_t)GEN_MAX_MONTHS * 30);
    p->start = g->today - back;
    p->months = 12 + (int)rn(r, 49);
    double cat = runi(r);
    const char *category = cat < 0.55 ? "产业项目" : cat < 0.80 ? "基础设施" : cat < 0.92 ? "社会民生" : cat < 0.97 ? "城市更新" : "其他";
    int industry = cat < 0.55;
    double yuan = exp(log(3e8) + rnorm(r) * 1.1);
    if (yuan < 2e7) yuan = 2e7 + runi(r) * 1e7;
    if (yuan > 3e10) yuan = 3e10;
    p->total = (int64_t)(yuan / 10000) * 10000 * 100; /* whole 万元, in fen */
    double lv = runi(r);
    const char *level = lv < 0.06 ? "province" : lv < 0.30 ? "city" : "district";
    p->unit = pick_unit(r, gc);
    int64_t owner = industry && gc->npick[K_ENT] ? gc->pick[K_ENT][rn(r, gc->npick[K_ENT])] : 0;
    int64_t hq = gc->npick[K_HQ] && chance(r, 0.35) ? gc->pick[K_HQ][rn(r, gc->npick[K_HQ])] : 0;
    int64_t leader = gc->nleaders ? gc->leaders[rn(r, gc->nleaders)] : g->leader;
    int64_t land = industry ? (int64_t)((20 + runi(r) * 400) * yuan / 3e8) * 100 + rn(r, 100) : rn(r, 8000);
    /* the stage follows from where the plan stands today */
    int elapsed = (g->today - p->start) / 30;
    const char *stage = p->reserve ? "reserve"
                        : elapsed < p->months / 4 ? "preparation"
                        : elapsed < p->months     ? "construction"
                        : industry && elapsed > p->months + 3 ? "production"
                                                              : "completed";
    const char *name = arena_printf(&g->a, "%s%s%s", gc->name, industry ? pick_s(r, ent_stem, NEL(ent_stem)) : pick_s(r, town_stem, NEL(town_stem)),
                                    pick_s(r, proj_kind, NEL(proj_kind)));
    const char *code = arena_printf(&g->a, "XM%s%06lld", sc->counties ? "HN" : "HT", (long long)id);
    const char *created = stamp_at(g, p->reserve ? g->today - 20 : p->start - 30);
    db_val v[] = {DBI(id), DBT(code), DBT(name), DBT(level), DBT(category), industry ? DBT(pick_s(r, chains, NEL(chains))) : DBNULL,
                  DBT(stage), DBI(p->total), DBI(land), DBT(arena_printf(&g->a, "%s%s片区", gc->name, pick_s(r, town_stem, NEL(town_stem)))),
                  DBR(round((gc->lng + rnorm(r) * 0.08) * 1e6) / 1e6), DBR(round((gc->lat + rnorm(r) * 0.06) * 1e6) / 1e6),
                  owner ? DBI(owner) : DBNULL, DBI(leader), DBI(p->unit), hq ? DBI(hq) : DBNULL, DBI(chance(r, 0.04)),
                  DBI(chance(r, 0.6)), DBI(1), DBT(created), DBT(created)};
    rc = sink_row(kp, v);
    if ((id & 1023) == 0) arena_release(&g->a), arena_init(&g->a);
  }
  return rc;
}

static int gen_plans_tags(gen *g, sink *k, int tags_pass) {
  rng r = rsub(g->seed, tags_pass ? 3 : 2, 0);
  int rc = 0;
  for (int64_t id = 1; id <= g->sc->projects && rc == 0; id++) {
    gproject *p = &g->proj[id];
    if (tags_pass) {
      int n = chance(&r, 0.45) ? 1 + (int)rn(&r, 2) : 0;
      int first = (int)rn(&r, NEL(tags));
      for (int i = 0; i < n && rc == 0; i++) {
        db_val v[] = {DBI(id), DBT(tags[(first + i) % NEL(tags)])};
        rc = sink_row(k, v);
      }
      continue;
    }
    int y0, m0, d0, y1, m1, d1;
    date_to_ymd(p->start, &y0, &m0, &d0);
    date_to_ymd(p->start + p->months * 30, &y1, &m1, &d1);
    if (y0 < 2024) y0 = 2024;
    if (y1 > 2027) y1 = 2027;
    int64_t per_year = p->total / (p->months ? p->months : 12) * 12;
    for (int y = y0; y <= y1 && rc == 0; y++) {
      int64_t amt = (int64_t)((double)per_year * (0.85 + runi(&r) * 0.35)) / 1000000 * 1000000; /* whole 万元 */
      if (amt <= 0) amt = 1000000;
      db_val v[] = {DBI(id), DBI(y), DBI(amt)};
      rc = sink_row(k, v);
    }
  }
  return rc;
}

/* ---- nodes -------------------------------------------------------------- */

static int gen_nodes(gen *g, sink *k) {
  int n = g->sc->projects;
  int *want = calloc((size_t)n, sizeof(int)), *lo = calloc((size_t)n, sizeof(int)), *hi = calloc((size_t)n, sizeof(int));
  if (!want || !lo || !hi) {
    free(want), free(lo), free(hi);
    return -1;
  }
  rng r = rsub(g->seed, 4, 0);
  for (int i = 0; i < n; i++) {
    lo[i] = 5;
    hi[i] = NEL(node_names) + NEL(extra_nodes);
    want[i] = 6 + (int)rn(&r, 13);
  }
  int rc = fit_counts(want, lo, hi, n, g->sc->nodes);
  int64_t id = 0;
  for (int i = 0; i < n && rc == 0; i++) {
    int64_t pid = i + 1;
    gproject *p = &g->proj[pid];
    gcounty *gc = &g->counties[p->county];
    rng pr = rsub(g->seed, 5, (uint64_t)pid);
    int cnt = want[i], nstd = cnt < NEL(node_names) ? cnt : NEL(node_names);
    int days = p->months * 30;
    for (int s = 0; s < cnt && rc == 0; s++) {
      /* the standard sequence first, extra steps interleaved after it */
      int std = s < nstd;
      const char *name = std ? node_names[s] : extra_nodes[(s - nstd) % NEL(extra_nodes)];
      const char *kind = std ? node_kinds[s] : "other";
      double frac = std ? (double)(s + 1) / (nstd + 1) : runi(&pr) * 0.9 + 0.05;
      int32_t planned = p->start + (int32_t)(frac * days) + (int32_t)rn(&pr, 15);
      int32_t baseline = chance(&pr, 0.8) ? planned : planned - 15 - (int32_t)rn(&pr, 60);
      int32_t actual = 0;
      if (planned < g->today) {
        /* past nodes are done, some a little late; one in eight of the last half year's is still
         * open (red), older ones almost never are */
        if (!chance(&pr, planned > g->today - 180 ? 0.12 : 0.004)) actual = planned - 10 + (int32_t)rn(&pr, 40);
        if (actual > g->today) actual = g->today - 1;
      }
      int64_t unit = chance(&pr, 0.7) ? p->unit : pick_unit(&pr, gc);
      id++;
      const char *person = arena_printf(&g->a, "%s%s", pick_s(&pr, surname, NEL(surname)), pick_s(&pr, given, NEL(given)));
      db_val v[] = {DBI(id), DBI(pid), DBI(s + 1), DBT(name), DBT(kind), DBI(unit), DBT(person), DBT(day_text(g, planned)),
                    DBT(day_text(g, baseline)), actual ? DBT(day_text(g, actual)) : DBNULL, DBNULL, DBI(1), DBT(GEN_STAMP),
                    DBT(GEN_STAMP)};
      rc = sink_row(k, v);
    }
    p->nodes = cnt;
    if ((pid & 1023) == 0) arena_release(&g->a), arena_init(&g->a);
  }
  free(want), free(lo), free(hi);
  return rc;
}

/* ---- reports and their totals --------------------------------------------- */

/* One project's reports, newest first; calls emit() for each (or only sums
 * the approved amounts into tot[year - 2010][month - 1] when k is NULL). */
static int project_reports(gen *g, int64_t pid, sink *k, int64_t *report_id, int64_t (*tot)[12]) {
  gproject *p = &g->proj[pid];
  rng pr = rsub(g->seed, 6, (uint64_t)pid);
  int last = months_index(GEN_LAST_PERIOD_Y, GEN_LAST_PERIOD_M);
  int missing = p->span - p->reports;
  /* up to two gaps inside the last two years, the rest of the missing months at the old end */
  int gap1 = missing > 0 && chance(&pr, 0.3) ? 1 + (int)rn(&pr, 23) : -1;
  int gap2 = missing > 1 && chance(&pr, 0.2) ? 1 + (int)rn(&pr, 23) : -1;
  if (gap2 == gap1) gap2 = -1;
  int gaps = (gap1 >= 0 && gap1 < p->span) + (gap2 >= 0 && gap2 < p->span);
  int64_t base = p->total / (p->months ? p->months : 12);
  gcounty *gc = &g->counties[p->county];
  int64_t submitter = g->units[p->unit].user ? g->units[p->unit].user : gc->office;
  int rc = 0, emitted = 0, deadline = 25;
  for (int i = 0; i < p->span && emitted < p->reports && rc == 0; i++) {
    if (i == gap1 || i == gap2) continue;
    if (i >= p->span - (missing - gaps) && missing - gaps > 0) break;
    int mi = last - i, y = mi / 12, m = mi % 12 + 1;
    int32_t month_day = date_from_ymd(y, m, 15);
    int within = month_day <= p->start + p->months * 30;
    int64_t inv = within ? (int64_t)((double)base * (0.55 + runi(&pr) * 0.9)) : (int64_t)((double)base * runi(&pr) * 0.1);
    inv = inv / 100 * 100; /* whole yuan */
    const char *state = "approved";
    if (i == 0) state = chance(&pr, 0.18) ? "submitted" : chance(&pr, 0.06) ? "returned" : "approved";
    else if ((i == 1 && chance(&pr, 0.03)) || chance(&pr, 0.004)) state = "returned";
    int late = chance(&pr, 0.09);
    emitted++;
    /* every draw of a report is made on both paths, so that the totals
     * (k NULL) follow the same stream as the reports written */
    int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
    int32_t sub = date_from_ymd(ny, nm, late ? deadline + 1 + (int)rn(&pr, 4) : 1 + (int)rn(&pr, deadline));
    int32_t rev = sub + 1 + (int32_t)rn(&pr, 4);
    const char *problem = chance(&pr, 0.1) ? prob_title[rn(&pr, NEL(prob_title))] : NULL;
    if (!k) {
      if (tot && state[0] == 'a' && y >= 2010 && y < 2010 + 20) tot[y - 2010][m - 1] += inv;
      continue;
    }
    int reviewed = state[0] != 's';
    int pct = (int)((double)(month_day - p->start) * 100 / (p->months * 30 + 1));
    if (pct < 0) pct = 0;
    if (pct > 100) pct = 100;
    (*report_id)++;
    const char *subt = stamp_at(g, sub);
    db_val v[] = {DBI(*report_id), DBI(pid), DBT(arena_printf(&g->a, "%04d-%02d", y, m)), DBI(inv),
                  DBT(images[pct * (NEL(images) - 1) / 100]), DBI(pct),
                  problem ? DBT(problem) : DBNULL, DBT(state), DBI(late),
                  DBI(submitter), DBT(subt), reviewed ? DBI(gc->office) : DBNULL, reviewed ? DBT(stamp_at(g, rev)) : DBNULL,
                  state[0] == 'r' ? DBT("本月投资额与形象进度不符，请核实后重新填报") : DBNULL, DBI(1), DBT(subt),
                  DBT(reviewed ? stamp_at(g, rev) : subt)};
    rc = sink_row(k, v);
  }
  return rc;
}

static int plan_reports(gen *g) {
  int n = g->sc->projects;
  int *want = calloc((size_t)n, sizeof(int)), *lo = calloc((size_t)n, sizeof(int)), *hi = calloc((size_t)n, sizeof(int));
  if (!want || !lo || !hi) {
    free(want), free(lo), free(hi);
    return -1;
  }
  int last = months_index(GEN_LAST_PERIOD_Y, GEN_LAST_PERIOD_M);
  int64_t caps = 0;
  for (int i = 0; i < n; i++) {
    gproject *p = &g->proj[i + 1];
    int y, m, d;
    date_to_ymd(p->start, &y, &m, &d);
    int span = p->reserve ? 0 : last - months_index(y, m) + 1;
    if (span < 0) span = 0;
    if (span > GEN_MAX_MONTHS) span = GEN_MAX_MONTHS;
    p->span = span;
    hi[i] = span;
    caps += span;
  }
  double f = caps ? (double)g->sc->reports / (double)caps : 0;
  for (int i = 0; i < n; i++) {
    want[i] = (int)((double)hi[i] * f);
    if (want[i] > hi[i]) want[i] = hi[i];
  }
  int rc = fit_counts(want, lo, hi, n, g->sc->reports);
  if (rc != 0) fprintf(stderr, "guatu gen: cannot place %lld reports in %lld project-months\n", (long long)g->sc->reports, (long long)caps);
  for (int i = 0; i < n; i++) g->proj[i + 1].reports = want[i];
  free(want), free(lo), free(hi);
  return rc;
}

static int gen_reports(gen *g, sink *k) {
  int64_t rid = 0;
  int rc = 0;
  for (int64_t pid = 1; pid <= g->sc->projects && rc == 0; pid++) {
    rc = project_reports(g, pid, k, &rid, NULL);
    if ((pid & 255) == 0) arena_release(&g->a), arena_init(&g->a);
  }
  return rc;
}

static int gen_totals(gen *g, sink *k) {
  int rc = 0;
  for (int64_t pid = 1; pid <= g->sc->projects && rc == 0; pid++) {
    int64_t tot[20][12];
    memset(tot, 0, sizeof tot);
    int64_t rid = 0;
    project_reports(g, pid, NULL, &rid, tot);
    for (int y = 0; y < 20 && rc == 0; y++) {
      int any = 0;
      for (int m = 0; m < 12; m++) any |= tot[y][m] != 0;
      if (!any) continue;
      db_val v[14] = {DBI(pid), DBI(2010 + y)};
      for (int m = 0; m < 12; m++) v[2 + m] = DBI(tot[y][m]);
      rc = sink_row(k, v);
    }
  }
  return rc;
}

/* ---- problems and tasks ------------------------------------------------- */

static int gen_problems(gen *g, sink *k) {
  rng r = rsub(g->seed, 7, 0);
  int rc = 0;
  for (int64_t id = 1; id <= g->sc->problems && rc == 0; id++) {
    int64_t pid;
    do pid = 1 + rn(&r, g->sc->projects);
    while (g->proj[pid].reserve && chance(&r, 0.9));
    gproject *p = &g->proj[pid];
    gcounty *gc = &g->counties[p->county];
    int c = (int)rn(&r, NEL(prob_cat));
    /* recent problems are mostly open, old ones mostly closed */
    int age = (int)(pow(runi(&r), 2.2) * 720);
    int32_t raised = g->today - age;
    if (raised < p->start - 60) raised = p->start - 60 + (int32_t)rn(&r, 30);
    if (raised > g->today) raised = g->today;
    int32_t due = calendar_add_working_days(g->cal, raised, prob_days[c]);
    int32_t esc2 = calendar_add_working_days(g->cal, raised, 2 * prob_days[c]);
    const char *state;
    double x = runi(&r);
    double closed_p = age > 60 ? 0.85 : age > 20 ? 0.5 : 0.15;
    if (x < closed_p) state = "closed";
    else if (x < closed_p + 0.08) state = "replied";
    else if (x < closed_p + 0.16) state = "in_progress";
    else if (x < closed_p + 0.2) state = "accepted";
    else if (x < closed_p + 0.22) state = "reopened";
    else state = "open";
    int closed = state[0] == 'c', replied = closed || state[0] == 'r';
    int32_t rep = raised + 1 + (int32_t)rn(&r, prob_days[c] + 6);
    if (rep > g->today) rep = g->today;
    int esc = closed ? 0 : g->today > esc2 ? 2 : g->today > due ? 1 : 0;
    int64_t raiser = g->units[p->unit].user ? g->units[p->unit].user : gc->office;
    int64_t lead = chance(&r, 0.6) && gc->npick[K_DEPT] ? gc->pick[K_DEPT][rn(&r, gc->npick[K_DEPT])] : pick_unit(&r, gc);
    const char *at = stamp_at(g, raised);
    db_val v[] = {DBI(id), DBI(pid), DBT(prob_cat[c]), DBT(prob_title[c]), DBT("项目推进中遇到的问题，请牵头单位协调解决。"),
                  DBI(raiser), DBI(p->unit), DBT(day_text(g, raised)), DBI(lead), DBI(prob_days[c]), DBT(day_text(g, due)),
                  DBT(day_text(g, esc2)), DBT(state), DBI(esc), closed ? DBI(3 + rn(&r, 3)) : DBNULL,
                  replied ? DBT(day_text(g, rep)) : DBNULL, closed ? DBT(day_text(g, rep + (int32_t)rn(&r, 5))) : DBNULL,
                  DBNULL, DBI(1), DBT(at), DBT(replied ? stamp_at(g, rep) : at)};
    rc = sink_row(k, v);
    if ((id & 1023) == 0) arena_release(&g->a), arena_init(&g->a);
  }
  return rc;
}

static int gen_tasks(gen *g, sink *k, int64_t *ntasks) {
  rng r = rsub(g->seed, 8, 0);
  int rc = 0;
  int64_t id = 0;
  static const char *const tkind[] = {"investment", "land", "count", "demolition"};
  static const char *const ttitle[] = {"完成固定资产投资", "完成征地面积", "新开工项目个数", "完成房屋征收"};
  for (int mo = 5; mo >= 0 && rc == 0; mo--) {
    int mi = months_index(GEN_LAST_PERIOD_Y, GEN_LAST_PERIOD_M) - mo, y = mi / 12, m = mi % 12 + 1;
    for (int u = 1; u <= g->nunits && rc == 0; u++) {
      gunit *un = &g->units[u];
      if (un->kind != K_TOWN && un->kind != K_HQ && un->kind != K_DEPT) continue;
      if (un->kind == K_DEPT && chance(&r, 0.6)) continue;
      int n = 1 + (int)rn(&r, 3);
      for (int t = 0; t < n && rc == 0; t++) {
        int kk = (int)rn(&r, NEL(tkind));
        int64_t target = kk == 0 ? (500 + rn(&r, 20000)) * 1000000 : kk == 1 ? (10 + rn(&r, 300)) * 100 : kk == 2 ? 1 + rn(&r, 5) : 5 + rn(&r, 60);
        /* most units make it; about one in six falls short, fewer in the current month's data entry */
        double got = chance(&r, 0.17) ? 0.4 + runi(&r) * 0.55 : 1.0 + runi(&r) * 0.3;
        int64_t actual = (int64_t)((double)target * got);
        int reported = mo > 0 || chance(&r, 0.7);
        id++;
        const char *at = arena_printf(&g->a, "%04d-%02d-01T09:00:00Z", y, m);
        db_val v[] = {DBI(id), DBI(u), DBT(arena_printf(&g->a, "%04d-%02d", y, m)), DBT(tkind[kk]), DBT(ttitle[kk]),
                      DBI(target), reported ? DBI(actual) : DBNULL, DBI(1), DBI(reported && mo > 0),
                      reported && un->user ? DBI(un->user) : DBNULL, reported ? DBT(at) : DBNULL, DBI(1), DBT(at), DBT(at)};
        rc = sink_row(k, v);
      }
    }
    arena_release(&g->a), arena_init(&g->a);
  }
  *ntasks = id;
  return rc;
}

/* ---- land acquisition (征拆) ------------------------------------------------
 * Households on the projects that acquire land (about 15% of the projects
 * under way), each regenerated from its own stream in every pass (the
 * households, their items, payments and history are four COPYs, one table
 * at a time), so nothing is kept in memory but the count per project.  The
 * state follows the project's age: most households of an older project are
 * handed over, a newer project's campaign is still under way.  The sequence
 * rule holds: from signed on every item has its amount, a handed-over
 * household is fully paid, paid never exceeds due. */

#define LAND_MAX_ITEMS 6
enum { LS_SURV, LS_VAL, LS_SIGN, LS_DEMOL, LS_HANDED };
#define APPROVAL_NONE INT32_MIN
typedef struct ghh {
  int state, houses, nitems;
  int64_t cmu, smu, area, due, paid;
  int unvalued;
  int32_t on[5]; /* surveyed … handed_over; 0 when not reached */
  const char *kind[LAND_MAX_ITEMS];
  int64_t amount[LAND_MAX_ITEMS]; /* -1: not valued yet */
  int64_t ipaid[LAND_MAX_ITEMS];
  int32_t paid_on[LAND_MAX_ITEMS];
} ghh;

static const char *const land_state_names[] = {"surveyed", "valued", "signed", "demolished", "handed_over"};
static const char *const village_stem[] = {"石塘", "湾塘", "龙头铺", "双塘", "姚家坝", "南阳桥", "朱亭", "枫溪", "杉木", "荷叶塘",
                                           "新塘", "大坪", "黄泥坳", "桐梓坪", "白石", "樟树湾", "丰收", "柏树", "茶园", "晓塘"};
static const char *const land_groups[] = {"一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组"};

static int plan_land(gen *g) {
  int n = g->sc->projects;
  g->land_hh = calloc((size_t)n + 1, sizeof(int));
  g->land_mu = calloc((size_t)n + 1, sizeof(int64_t));
  int *ids = calloc((size_t)n + 1, sizeof(int)), *want = calloc((size_t)n + 1, sizeof(int));
  int *lo = calloc((size_t)n + 1, sizeof(int)), *hi = calloc((size_t)n + 1, sizeof(int));
  int rc = g->land_hh && g->land_mu && ids && want && lo && hi ? 0 : -1;
  rng r = rsub(g->seed, 20, 0);
  int m = 0;
  for (int pid = 1; pid <= n && rc == 0; pid++) {
    if (g->proj[pid].reserve || !chance(&r, 0.15)) continue;
    ids[m] = pid;
    lo[m] = 10;
    hi[m] = 2000;
    double w = exp(log(100.0) + rnorm(&r) * 0.7);
    want[m] = w < lo[m] ? lo[m] : w > hi[m] ? hi[m] : (int)w;
    m++;
  }
  if (rc == 0 && m > 0) rc = fit_counts(want, lo, hi, m, g->sc->households);
  for (int i = 0; rc == 0 && i < m; i++) g->land_hh[ids[i]] = want[i];
  free(ids), free(want), free(lo), free(hi);
  return rc;
}

static void make_hh(gen *g, int pid, int64_t hid, ghh *h) {
  gproject *p = &g->proj[pid];
  rng r = rsub(g->seed, 21, (uint64_t)hid);
  memset(h, 0, sizeof *h);
  h->houses = chance(&r, 0.25) ? 0 : chance(&r, 0.12) ? 2 : 1;
  h->cmu = chance(&r, 0.1) ? 0 : 30 + rn(&r, 800);
  h->smu = h->cmu == 0 || chance(&r, 0.05) ? 50 + rn(&r, 500) : 0;
  h->area = (int64_t)h->houses * (9000 + rn(&r, 15000));
  int age = g->today - p->start;
  double f = age <= 0 ? 0 : age >= 365 ? 1 : age / 365.0;
  double ph = 0.40 + 0.56 * f, x = runi(&r);
  if (x < ph) h->state = LS_HANDED;
  else {
    double y = (x - ph) / (1 - ph);
    h->state = y < 0.35 ? LS_DEMOL : y < 0.65 ? LS_SIGN : y < 0.87 ? LS_VAL : LS_SURV;
  }
  if (h->houses == 0 && h->state == LS_DEMOL) h->state = LS_SIGN;
  /* the project's campaign ends some weeks before its start */
  int32_t camp = p->start - 45 - (int32_t)((uint64_t)pid * 37 % 90);
  h->on[LS_SURV] = camp - 60 + (int32_t)rn(&r, 30);
  int32_t last = h->on[LS_SURV];
  if (h->state >= LS_VAL) last = h->on[LS_VAL] = last + 10 + (int32_t)rn(&r, 20);
  if (h->state >= LS_SIGN) last = h->on[LS_SIGN] = last + 5 + (int32_t)rn(&r, 40);
  if (h->state >= LS_DEMOL && h->houses) last = h->on[LS_DEMOL] = last + 2 + (int32_t)rn(&r, 20);
  if (h->state >= LS_HANDED) last = h->on[LS_HANDED] = last + 2 + (int32_t)rn(&r, 15);
  if (last > g->today) { /* a campaign still under way: nothing after today */
    int32_t shift = last - g->today + (int32_t)rn(&r, 5);
    for (int s = 0; s < 5; s++)
      if (h->on[s]) h->on[s] -= shift;
    last -= shift;
  }
  int64_t mu = h->cmu + h->smu;
  int n = 0;
  h->kind[n] = "land", h->amount[n++] = mu * 48000;
  if (h->cmu) h->kind[n] = "crops", h->amount[n++] = h->cmu * 1800;
  if (h->houses) h->kind[n] = "resettlement", h->amount[n++] = (int64_t)h->houses * 15000000 + rn(&r, 500000);
  if (chance(&r, 0.25)) h->kind[n] = "facilities", h->amount[n++] = 300000 + rn(&r, 1500000);
  if (chance(&r, 0.10)) h->kind[n] = "graves", h->amount[n++] = 500000 * (1 + rn(&r, 3));
  if (chance(&r, 0.05)) h->kind[n] = "lines", h->amount[n++] = 200000 + rn(&r, 300000);
  h->nitems = n;
  /* not valued: everything while surveyed, the last item for some valued households */
  if (h->state == LS_SURV)
    for (int i = 0; i < n; i++) h->amount[i] = -1;
  if (h->state == LS_VAL && chance(&r, 0.4)) h->amount[n - 1] = -1;
  int32_t span = last - (h->on[LS_SIGN] ? h->on[LS_SIGN] : last);
  for (int i = 0; i < n; i++) {
    if (h->amount[i] < 0) {
      h->unvalued++;
      continue;
    }
    h->due += h->amount[i];
    int64_t pay = 0;
    if (h->state == LS_HANDED) pay = h->amount[i];
    else if (h->state == LS_DEMOL) pay = chance(&r, 0.7) ? h->amount[i] : chance(&r, 0.5) ? h->amount[i] / 2 : 0;
    else if (h->state == LS_SIGN) pay = chance(&r, 0.4) ? h->amount[i] : 0;
    h->ipaid[i] = pay;
    h->paid += pay;
    if (pay) h->paid_on[i] = h->on[LS_SIGN] + (int32_t)rn(&r, span + 1);
  }
}

/* pass 0 households, 1 items, 2 payments, 3 history */
static int gen_land(gen *g, sink *k, int pass) {
  int rc = 0;
  int64_t hid = 0, item = 0, pay = 0, ev = 0;
  char idn[24];
  static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  for (int pid = 1; pid <= g->sc->projects && rc == 0; pid++) {
    int cnt = g->land_hh[pid];
    int nv = 1 + cnt / 80;
    if (nv > 6) nv = 6;
    for (int i = 0; i < cnt && rc == 0; i++) {
      ghh h;
      make_hh(g, pid, ++hid, &h);
      if (pass == 0) {
        rng r = rsub(g->seed, 22, (uint64_t)hid);
        int vi = i * nv / cnt;
        const char *village = arena_printf(&g->a, "%s村", village_stem[(pid * 7 + vi) % NEL(village_stem)]);
        snprintf(idn, sizeof idn, "4302%02d%04d%02d%02d%03d", (int)(pid % 100), (int)(1940 + rn(&r, 60)), (int)(1 + rn(&r, 12)),
                 (int)(1 + rn(&r, 28)), (int)rn(&r, 1000));
        int sum = 0;
        for (int j = 0; j < 17; j++) sum += (idn[j] - '0') * w[j];
        idn[17] = "10X98765432"[sum % 11];
        idn[18] = 0;
        int32_t last = h.on[h.state] ? h.on[h.state] : h.on[LS_SIGN];
        const char *on[5];
        for (int s = 0; s < 5; s++) on[s] = h.on[s] ? day_text(g, h.on[s]) : NULL;
        g->land_mu[pid] += h.cmu + h.smu;
        db_val v[] = {DBI(hid), DBI(pid), DBT(village), DBT(pick_s(&r, land_groups, NEL(land_groups))),
                      DBT(arena_printf(&g->a, "%s%s", pick_s(&r, surname, NEL(surname)), pick_s(&r, given, NEL(given)))), DBT(idn),
                      DBT(arena_printf(&g->a, "139%08lld", (long long)(hid * 7907 % 100000000))), DBI(h.cmu), DBI(h.smu),
                      DBI(h.houses), DBI(h.area), DBT(land_state_names[h.state]), DBT(on[0]), on[1] ? DBT(on[1]) : DBNULL,
                      on[2] ? DBT(on[2]) : DBNULL, on[3] ? DBT(on[3]) : DBNULL, on[4] ? DBT(on[4]) : DBNULL, DBI(h.due),
                      DBI(h.paid), DBI(h.unvalued), DBI(1), DBT(stamp_at(g, h.on[LS_SURV])), DBT(stamp_at(g, last))};
        rc = sink_row(k, v);
      } else if (pass == 1 || pass == 2) {
        for (int j = 0; j < h.nitems && rc == 0; j++) {
          item++;
          if (pass == 1) {
            db_val v[] = {DBI(item), DBI(hid), DBT(h.kind[j]), h.amount[j] >= 0 ? DBI(h.amount[j]) : DBNULL, DBI(h.ipaid[j]), DBNULL,
                          DBT(stamp_at(g, h.on[LS_SURV]))};
            rc = sink_row(k, v);
          } else if (h.ipaid[j]) {
            db_val v[] = {DBI(++pay), DBI(hid), DBI(item), DBI(h.ipaid[j]), DBT(day_text(g, h.paid_on[j])), DBT("征拆资金专户"),
                          DBT(stamp_at(g, h.paid_on[j]))};
            rc = sink_row(k, v);
          }
        }
      } else {
        int prev = -1;
        for (int s = 0; s <= h.state && rc == 0; s++) {
          if (!h.on[s]) continue; /* no houses: signed straight to handed over */
          db_val v[] = {DBI(++ev), DBI(hid), prev >= 0 ? DBT(land_state_names[prev]) : DBNULL, DBT(land_state_names[s]),
                        DBT(day_text(g, h.on[s])), DBT(stamp_at(g, h.on[s]))};
          rc = sink_row(k, v);
          prev = s;
        }
      }
      if ((hid & 1023) == 0) arena_release(&g->a), arena_init(&g->a);
    }
  }
  return rc;
}
static int fill_land_hh(gen *g, sink *k) { return gen_land(g, k, 0); }
static int fill_land_items(gen *g, sink *k) { return gen_land(g, k, 1); }
static int fill_land_payments(gen *g, sink *k) { return gen_land(g, k, 2); }
static int fill_land_events(gen *g, sink *k) { return gen_land(g, k, 3); }

/* ---- approvals (审批代办) -----------------------------------------------------
 * Each county's catalogue of the eleven usual items, issued by its own
 * departments (the district's for a district-scale dataset), with their
 * prerequisites; records for nine in ten projects under way (eight to
 * eleven items: the environmental, soil and civil-defence reviews are not
 * needed everywhere), each submitted once its prerequisites are issued,
 * now and then returned once, accepted, issued; projects still in
 * preparation are in the middle of it.  An item not reached is
 * 'preparing'; one still open is kept within its promise (none is overdue
 * on the dataset's today, so the escalation tick has nothing to raise). */

typedef struct gitem {
  const char *code, *name;
  int dept; /* index in dept_stem */
  int statutory, promised;
  const char *group, *node_kind;
  int prereq[4]; /* catalogue indexes, -1 ends */
} gitem;
static const gitem gcat[] = {
    {"filing", "企业投资项目备案", 0, 3, 1, "立项", NULL, {-1}},
    {"real_estate", "不动产权证（首次登记）", 2, 30, 3, "用地", NULL, {-1}},
    {"land_planning", "建设用地规划许可证", 2, 20, 2, "用地", NULL, {-1}},
    {"works_planning", "建设工程规划许可证", 2, 20, 3, NULL, "planning_permit", {1, 2, -1}},
    {"eia", "环境影响评价审批", 8, 30, 5, "工程", NULL, {0, -1}},
    {"soil", "水土保持方案审批", 14, 20, 3, "工程", NULL, {0, -1}},
    {"drawing_review", "施工图设计文件审查", 3, 20, 3, "工程", NULL, {3, -1}},
    {"fire_design", "消防设计审查", 3, 15, 3, "工程", NULL, {3, -1}},
    {"civil_defense", "人防工程设计审查", 3, 20, 2, "工程", NULL, {3, -1}},
    {"quality_safety", "工程质量安全监督登记", 3, 5, 1, NULL, NULL, {6, -1}},
    {"construction_permit", "建筑工程施工许可证", 6, 7, 1, NULL, "construction_permit", {3, 6, 7, 9}},
};
#define GCAT NEL(gcat)

typedef struct grec {
  int item, state; /* AP_* order: 0 preparing, 1 submitted, 2 accepted, 3 issued */
  int32_t sub, ret, resub, acc, iss;
} grec;

static int64_t item_unit(gen *g, int c, int k) {
  gcounty *gc = &g->counties[c];
  int dp = gcat[k].dept;
  if (gc->npick[K_DEPT] > dp) return gc->pick[K_DEPT][dp];
  return gc->npick[K_DEPT] ? gc->pick[K_DEPT][0] : gc->unit;
}

static int gen_approval_items(gen *g, sink *k) {
  int rc = 0;
  for (int c = 0; c < g->ncounties && rc == 0; c++)
    for (int i = 0; i < GCAT && rc == 0; i++) {
      db_val v[] = {DBI((int64_t)c * GCAT + i + 1), DBT(gcat[i].code), DBT(gcat[i].name), DBI(item_unit(g, c, i)), DBI(gcat[i].statutory),
                    DBI(gcat[i].promised), gcat[i].group ? DBT(gcat[i].group) : DBNULL, gcat[i].node_kind ? DBT(gcat[i].node_kind) : DBNULL,
                    DBI((i + 1) * 10), DBI(1), DBI(1), DBT(GEN_STAMP), DBT(GEN_STAMP)};
      rc = sink_row(k, v);
    }
  return rc;
}
static int gen_approval_prereqs(gen *g, sink *k) {
  int rc = 0;
  for (int c = 0; c < g->ncounties && rc == 0; c++)
    for (int i = 0; i < GCAT && rc == 0; i++)
      for (int q = 0; q < 4 && gcat[i].prereq[q] >= 0 && rc == 0; q++) {
        db_val v[] = {DBI((int64_t)c * GCAT + i + 1), DBI((int64_t)c * GCAT + gcat[i].prereq[q] + 1)};
        rc = sink_row(k, v);
      }
  return rc;
}

/* The records of project pid (0 when it has none); *d0 the day the agency began. */
static int make_approvals(gen *g, int pid, grec *out, int32_t *d0) {
  gproject *p = &g->proj[pid];
  if (p->reserve) return 0;
  rng r = rsub(g->seed, 23, (uint64_t)pid);
  if (!chance(&r, 0.9)) return 0;
  int skip[GCAT] = {0};
  skip[4] = chance(&r, 0.15), skip[5] = chance(&r, 0.2), skip[8] = chance(&r, 0.3);
  int32_t start = p->start - 20 - (int32_t)rn(&r, 100);
  /* a project still in preparation (the first quarter of its plan) began
   * its approvals in the last weeks: these fill the agents' work lists */
  if ((g->today - p->start) / 30 < p->months / 4) start = g->today - 3 - (int32_t)rn(&r, 50);
  while (!calendar_is_working_day(g->cal, start)) start--;
  *d0 = start;
  int32_t issued[GCAT];
  int n = 0;
  for (int k = 0; k < GCAT; k++) {
    issued[k] = APPROVAL_NONE;
    if (skip[k]) continue;
    grec *a = &out[n++];
    *a = (grec){k, 0, APPROVAL_NONE, APPROVAL_NONE, APPROVAL_NONE, APPROVAL_NONE, APPROVAL_NONE};
    int32_t ready = start;
    int blocked = 0;
    for (int q = 0; q < 4 && gcat[k].prereq[q] >= 0; q++) {
      int j = gcat[k].prereq[q];
      if (skip[j]) continue;
      if (issued[j] == APPROVAL_NONE) blocked = 1;
      else if (issued[j] > ready) ready = issued[j];
    }
    if (blocked) continue;
    int32_t sub = calendar_add_working_days(g->cal, ready, (int)rn(&r, 2));
    if (sub > g->today) continue;
    int promised = gcat[k].promised;
    int returned = rn(&r, 8) == 0;
    int32_t ret = returned ? calendar_add_working_days(g->cal, sub, 1) : APPROVAL_NONE;
    int32_t resub = returned ? calendar_add_working_days(g->cal, sub, 2 + (int)rn(&r, 2)) : APPROVAL_NONE;
    int32_t acc = calendar_add_working_days(g->cal, returned ? resub : sub, rn(&r, 2) ? 0 : 1);
    int32_t iss = calendar_add_working_days(g->cal, acc, (int)rn(&r, promised + 2));
    if (returned && resub > g->today) ret = resub = APPROVAL_NONE, acc = calendar_add_working_days(g->cal, sub, rn(&r, 2) ? 0 : 1);
    if (iss > g->today) {
      if (calendar_add_working_days(g->cal, sub, promised) < g->today) {
        /* it would be overdue: the department issued it today */
        if (acc > g->today) acc = g->today;
        iss = g->today;
      } else {
        iss = APPROVAL_NONE;
        if (acc > g->today) acc = APPROVAL_NONE;
      }
    }
    a->sub = sub, a->ret = ret, a->resub = resub, a->acc = acc, a->iss = iss;
    a->state = iss != APPROVAL_NONE ? 3 : acc != APPROVAL_NONE ? 2 : 1;
    /* cppcheck-suppress unreadVariable ; read through issued[j] by the items after it */
    issued[k] = iss;
  }
  return n;
}

/* pass 0 agreements, 1 records, 2 events */
static int gen_approvals(gen *g, sink *k, int pass) {
  static const char *const st[] = {"preparing", "submitted", "accepted", "issued"};
  static const char *const reason = "申报材料不齐全，请补正后重新提交";
  int rc = 0;
  int64_t aid = 0, ev = 0;
  for (int pid = 1; pid <= g->sc->projects && rc == 0; pid++) {
    grec recs[GCAT];
    int32_t d0 = 0;
    int n = make_approvals(g, pid, recs, &d0);
    if (n == 0) continue;
    gproject *p = &g->proj[pid];
    gcounty *gc = &g->counties[p->county];
    if (pass == 0) {
      int32_t signed_on = calendar_add_working_days(g->cal, d0, -5);
      db_val v[] = {DBI(pid), DBI(gc->office), DBT("项目代办员"), DBT(day_text(g, signed_on)),
                    DBT("工程建设项目审批全流程“代办+帮办”：立项、用地、规划、施工图审查至施工许可"), DBI(1), DBT(stamp_at(g, signed_on)),
                    DBT(stamp_at(g, signed_on))};
      rc = sink_row(k, v);
    }
    for (int i = 0; i < n && rc == 0 && pass > 0; i++) {
      grec *a = &recs[i];
      aid++;
      int64_t item = (int64_t)p->county * GCAT + a->item + 1;
      if (pass == 1) {
        int32_t last = a->iss != APPROVAL_NONE ? a->iss : a->acc != APPROVAL_NONE ? a->acc : a->resub != APPROVAL_NONE ? a->resub : a->sub;
        int has = a->sub != APPROVAL_NONE;
        db_val v[] = {DBI(aid), DBI(pid), DBI(item), DBT(st[a->state]), has ? DBT(day_text(g, a->sub)) : DBNULL,
                      a->acc != APPROVAL_NONE ? DBT(day_text(g, a->acc)) : DBNULL, a->iss != APPROVAL_NONE ? DBT(day_text(g, a->iss)) : DBNULL,
                      has ? DBT(day_text(g, last)) : DBNULL,
                      has ? DBT(day_text(g, calendar_add_working_days(g->cal, a->sub, gcat[a->item].promised))) : DBNULL,
                      DBI(a->ret != APPROVAL_NONE), a->ret != APPROVAL_NONE ? DBT(reason) : DBNULL, DBNULL, DBNULL, DBI(1),
                      DBT(stamp_at(g, d0)), DBT(stamp_at(g, has ? last : d0))};
        rc = sink_row(k, v);
        continue;
      }
      struct {
        const char *type;
        int32_t on;
      } e[5] = {{"submit", a->sub}, {"return", a->ret}, {"submit", a->resub}, {"accept", a->acc}, {"issue", a->iss}};
      for (int j = 0; j < 5 && rc == 0; j++) {
        if (e[j].on == APPROVAL_NONE) continue;
        db_val v[] = {DBI(++ev), DBI(aid), DBT(e[j].type), DBT(day_text(g, e[j].on)), j == 1 ? DBT(reason) : DBNULL, DBNULL,
                      DBT(stamp_at(g, e[j].on))};
        rc = sink_row(k, v);
      }
    }
    if ((pid & 1023) == 0) arena_release(&g->a), arena_init(&g->a);
  }
  return rc;
}
static int fill_agreements(gen *g, sink *k) { return gen_approvals(g, k, 0); }
static int fill_approvals(gen *g, sink *k) { return gen_approvals(g, k, 1); }
static int fill_approval_events(gen *g, sink *k) { return gen_approvals(g, k, 2); }

/* ---- the command -------------------------------------------------------- */

static int table_exists(db *d, const char *name) {
  const char *sql = db_dialect(d) == DB_SQLITE
                        ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
                        : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?";
  return db_int1(d, 0, sql, DBT(name)) > 0;
}

static int64_t count_rows(db *d, const char *table) {
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
  return db_int10(d, -1, sql);
}

/* A checksum of the projects table as stored (what two runs with one seed
 * must agree on); lng/lat are left out because engines print doubles
 * differently. */
static void projects_checksum(db *d, char out[65]) {
  crypto_generichash_state h;
  crypto_generichash_init(&h, NULL, 0, 32);
  db_stmt *st = db_query0(d, "SELECT id, code, name, level, category, chain, stage, total_investment, land_area, location, "
                             "owner_unit_id, leader_id, unit_id, hq_id, flag_top500, published, created_at FROM projects ORDER BY id");
  while (st && db_step(st) == DB_ROW) {
    for (int i = 0; i < db_columns(st); i++) {
      const char *t = db_isnull(st, i) ? "\x01" : db_text(st, i);
      crypto_generichash_update(&h, (const unsigned char *)t, strlen(t) + 1);
    }
  }
  db_done(st);
  unsigned char sum[32];
  crypto_generichash_final(&h, sum, sizeof sum);
  sodium_bin2hex(out, 65, sum, sizeof sum);
}

/* The tables the load fills, whose secondary indexes it builds after. */
#define LOADED_TABLES                                                                                              \
  "('units', 'users', 'projects', 'project_plans', 'project_tags', 'nodes', 'reports', 'report_totals', 'problems', " \
  "'tasks', 'land_households', 'land_items', 'land_payments', 'land_events', 'approval_items', "                     \
  "'approval_item_prereqs', 'approval_agreements', 'approvals', 'approval_events')"

/* SQLite: the secondary indexes of the tables filled (not those behind
 * UNIQUE / PRIMARY KEY, which have no SQL), dropped before the load and
 * built again after it from their own CREATE INDEX text: measured on the
 * province, 11.7 s load + 11.5 s index build against 29 s with the indexes
 * in place.  Returns the statements to run afterwards (malloc'd) or NULL. */
static char *sqlite_drop_indexes(db *d) {
  strbuf create = STRBUF_INIT, drop = STRBUF_INIT;
  db_stmt *st = db_query0(d, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
                             LOADED_TABLES);
  while (st && db_step(st) == DB_ROW) {
    sb_addf(&create, "%s;\n", db_text(st, 1));
    sb_addf(&drop, "DROP INDEX \"%s\";\n", db_text(st, 0));
  }
  db_done(st);
  int rc = drop.len ? db_script(d, sb_str(&drop)) : DB_OK;
  sb_release(&drop);
  if (rc != DB_OK) {
    sb_release(&create);
    return NULL;
  }
  return sb_detach(&create, NULL);
}

/* PostgreSQL: the same for the secondary indexes (those that back no
 * constraint, and that no foreign key refers to: pg_constraint.conindid
 * names both), dropped inside the load's transaction and built again from
 * pg_get_indexdef() once the rows are in: building an index once is far
 * cheaper than keeping it up to date row by row through 17 million COPY
 * rows.  When the loading role may, the foreign key triggers are also
 * left out of the load (session_replication_role = replica, as
 * pg_restore --disable-triggers does; the generator's rows are consistent
 * by construction, as SQLite's load with foreign_keys=OFF already assumes);
 * without that right the load checks them as before. */
static char *pg_drop_indexes(db *d) {
  strbuf create = STRBUF_INIT, drop = STRBUF_INIT;
  db_stmt *st = db_query0(d, "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                             "JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                             "WHERE t.relnamespace = CAST(current_schema() AS regnamespace) AND t.relname IN "
                             LOADED_TABLES " AND NOT x.indisprimary "
                             "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) ORDER BY c.relname");
  while (st && db_step(st) == DB_ROW) {
    sb_addf(&create, "%s;\n", db_text(st, 1));
    sb_addf(&drop, "DROP INDEX \"%s\";\n", db_text(st, 0));
  }
  int ok = st != NULL;
  db_done(st);
  int rc = !ok ? DB_ERROR : drop.len ? db_script(d, sb_str(&drop)) : DB_OK;
  sb_release(&drop);
  if (rc == DB_OK && db_int10(d, 0, "SELECT CASE WHEN rolsuper THEN 1 ELSE 0 END FROM pg_roles WHERE rolname = current_user"))
    rc = db_script(d, "SET LOCAL session_replication_role = replica");
  /* building the indexes at the end: more memory per sort, this session only */
  if (rc == DB_OK) rc = db_script(d, "SET LOCAL maintenance_work_mem = '256MB'");
  if (rc != DB_OK) {
    sb_release(&create);
    return NULL;
  }
  sb_adds(&create, "SET LOCAL session_replication_role = DEFAULT;\n"); /* the triggers again from here */
  return sb_detach(&create, NULL);
}

typedef int (*fill_fn)(gen *g, sink *k);
static int fill(gen *g, const char *table, const char *cols, fill_fn fn) {
  sink k;
  if (sink_open(&k, g->d, table, cols) != 0) return -1;
  int rc = fn(g, &k);
  if (sink_close(&k) != 0) rc = -1;
  return rc;
}
static int fill_plans(gen *g, sink *k) { return gen_plans_tags(g, k, 0); }
static int fill_tags(gen *g, sink *k) { return gen_plans_tags(g, k, 1); }
static int64_t tasks_made;
static int fill_tasks(gen *g, sink *k) { return gen_tasks(g, k, &tasks_made); }

static void gen_free(gen *g) {
  for (int c = 0; g->counties && c < g->ncounties; c++) {
    for (int j = 0; j < K_N; j++) free(g->counties[c].pick[j]);
    free(g->counties[c].leaders);
  }
  free(g->counties);
  free(g->units);
  free(g->proj);
  free(g->land_hh);
  free(g->land_mu);
  if (g->cal) calendar_free(g->cal);
  arena_release(&g->a);
  arena_release(&g->keep);
}

static int cmd_gen(int argc, char **argv) {
  if (cli_wants_help(argc, argv)) return printf("%s\n", gen_usage), 0;
  const char *scale_name = cli_opt(argc, argv, "--scale");
  const scale *sc = NULL;
  for (int i = 0; scale_name && i < NEL(scales); i++)
    if (strcmp(scales[i].name, scale_name) == 0) sc = &scales[i];
  if (!sc) return fprintf(stderr, "guatu gen: --scale must be province or district\nusage: %s\n", gen_usage), 2;
  long seed;
  if (cli_int(argc, argv, "--seed", 20261, 0, 2147483647L, &seed) != 0) return 2;
  double t0 = now_s();
  db *d = cli_open_db(argc, argv, gen_usage);
  if (!d) return 1;
  static const char *const required[] = {"units", "users", "projects", "project_plans", "project_tags", "nodes", "reports",
                                         "report_totals", "year_targets"};
  for (int i = 0; i < NEL(required); i++)
    if (!table_exists(d, required[i])) {
      fprintf(stderr, "guatu gen: table %s is missing: this binary's migrations do not create it, so the dataset cannot be built\n",
              required[i]);
      db_close(d);
      return 1;
    }
  int with_problems = table_exists(d, "problems"), with_tasks = table_exists(d, "tasks");
  int with_land = table_exists(d, "land_households"), with_approvals = table_exists(d, "approvals");
  if (count_rows(d, "units") != 0 || count_rows(d, "users") != 0 || count_rows(d, "projects") != 0) {
    fprintf(stderr, "guatu gen: the database already has data; use a new file or database\n");
    db_close(d);
    return 1;
  }
  gen g = {.d = d, .sc = sc, .seed = (uint64_t)seed};
  g.r = rsub(g.seed, 1, 0);
  arena_init(&g.a);
  arena_init(&g.keep);
  g.cal = calendar_new_builtin();
  g.today = date_from_ymd(GEN_TODAY_Y, GEN_TODAY_M, GEN_TODAY_D);
  if (!g.cal || auth_hash_password(BENCH_PASSWORD, g.hash, sizeof g.hash) != 0) {
    fprintf(stderr, "guatu gen: cannot prepare the calendar or the password hash\n");
    gen_free(&g);
    db_close(d);
    return 1;
  }
  int sqlite = db_dialect(d) == DB_SQLITE;
  if (sqlite && db_script(d, "PRAGMA foreign_keys=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;") != DB_OK) {
    fprintf(stderr, "guatu gen: %s\n", db_errmsg(d));
    gen_free(&g);
    db_close(d);
    return 1;
  }
  prog.t0 = prog.last = now_s();
  prog.tty = isatty(2);
  prog.total = sc->units + sc->users + sc->projects * 9LL + sc->nodes + sc->reports + (with_problems ? sc->problems : 0) +
               (with_tasks ? sc->units * 4LL : 0) + (with_land ? sc->households * 11LL : 0) +
               (with_approvals ? sc->projects * 30LL : 0);
  int rc = db_begin(d) == DB_OK ? 0 : -1;
  char *reindex = NULL;
  /* GUATU_GEN_KEEP_INDEXES=1 loads with the indexes in place, to measure the difference */
  const char *keep_idx = getenv("GUATU_GEN_KEEP_INDEXES");
  if (rc == 0 && !(keep_idx && *keep_idx == '1') && !(reindex = sqlite ? sqlite_drop_indexes(d) : pg_drop_indexes(d))) rc = -1;
  if (rc == 0) rc = fill(&g, "units", "id, name, kind, parent_id, path, sort_order, created_at", gen_units);
  if (rc == 0) rc = fill(&g, "users", "id, login, name, phone, unit_id, roles, password_hash, created_at, updated_at", gen_users);
  if (rc == 0)
    rc = fill(&g, "projects",
              "id, code, name, level, category, chain, stage, total_investment, land_area, location, lng, lat, owner_unit_id, "
              "leader_id, unit_id, hq_id, flag_top500, published, version, created_at, updated_at",
              gen_projects);
  if (rc == 0) rc = fill(&g, "project_plans", "project_id, year, amount", fill_plans);
  if (rc == 0) rc = fill(&g, "project_tags", "project_id, tag", fill_tags);
  if (rc == 0)
    rc = fill(&g, "nodes",
              "id, project_id, seq, name, kind, unit_id, person, planned_date, baseline_date, actual_date, note, version, "
              "created_at, updated_at",
              gen_nodes);
  if (rc == 0) rc = plan_reports(&g);
  if (rc == 0)
    rc = fill(&g, "reports",
              "id, project_id, period, investment, image_progress, percent, problems, state, late, submitted_by, submitted_at, "
              "reviewed_by, reviewed_at, review_reason, version, created_at, updated_at",
              gen_reports);
  if (rc == 0)
    rc = fill(&g, "report_totals", "project_id, year, m01, m02, m03, m04, m05, m06, m07, m08, m09, m10, m11, m12", gen_totals);
  if (rc == 0 && with_problems)
    rc = fill(&g, "problems",
              "id, project_id, category, title, description, raised_by, raised_unit_id, raised_on, unit_id, deadline_days, "
              "due_date, escalate2_date, state, escalation, rating, replied_on, closed_on, meeting_id, version, created_at, updated_at",
              gen_problems);
  if (rc == 0 && with_tasks)
    rc = fill(&g, "tasks",
              "id, unit_id, month, kind, title, target, actual, weight, confirmed, reported_by, reported_at, version, created_at, "
              "updated_at",
              fill_tasks);
  if (rc == 0 && with_land) rc = plan_land(&g);
  if (rc == 0 && with_land)
    rc = fill(&g, "land_households",
              "id, project_id, village, grp, head_name, id_number, phone, collective_mu, state_mu, houses, house_area, state, "
              "surveyed_on, valued_on, signed_on, demolished_on, handed_over_on, due, paid, unvalued, version, created_at, updated_at",
              fill_land_hh);
  if (rc == 0 && with_land) rc = fill(&g, "land_items", "id, household_id, kind, amount, paid, note, created_at", fill_land_items);
  if (rc == 0 && with_land)
    rc = fill(&g, "land_payments", "id, household_id, item_id, amount, paid_on, payer, created_at", fill_land_payments);
  if (rc == 0 && with_land)
    rc = fill(&g, "land_events", "id, household_id, from_state, to_state, on_date, at", fill_land_events);
  /* land progress reads its roll-up per project (land_rollups.c) */
  if (rc == 0 && with_land && table_exists(d, "land_rollups")) rc = land_rollup_rebuild(d) == DB_OK ? 0 : -1;
  /* the planned acquisition: what the households hold and a little more not yet surveyed */
  for (int pid = 1; rc == 0 && with_land && pid <= sc->projects; pid++)
    if (g.land_hh[pid] &&
        db_exec(d, "UPDATE projects SET land_plan_mu = ? WHERE id = ?", DBI(g.land_mu[pid] + g.land_mu[pid] * (pid % 9) / 100), DBI(pid)) != DB_OK)
      rc = -1;
  if (rc == 0 && with_approvals)
    rc = fill(&g, "approval_items",
              "id, code, name, unit_id, statutory_days, promised_days, parallel_group, node_kind, sort_order, active, version, "
              "created_at, updated_at",
              gen_approval_items);
  if (rc == 0 && with_approvals) rc = fill(&g, "approval_item_prereqs", "item_id, prereq_id", gen_approval_prereqs);
  if (rc == 0 && with_approvals)
    rc = fill(&g, "approval_agreements", "project_id, agent_user_id, agent_name, signed_on, scope, version, created_at, updated_at",
              fill_agreements);
  if (rc == 0 && with_approvals)
    rc = fill(&g, "approvals",
              "id, project_id, item_id, state, submitted_on, accepted_on, issued_on, last_on, due_date, returns, return_reason, "
              "handler, problem_id, version, created_at, updated_at",
              fill_approvals);
  if (rc == 0 && with_approvals)
    rc = fill(&g, "approval_events", "id, approval_id, type, on_date, reason, user_id, at", fill_approval_events);
  /* enterprise services (ent_gen.c): the registry from the enterprise units, requests, policies */
  if (rc == 0 && table_exists(d, "enterprises")) rc = ent_gen(d, g.seed, g.today, g.cal, stderr);
  /* citizens' questions (qa_gen.c): 300 a county */
  if (rc == 0 && table_exists(d, "questions")) rc = qa_gen(d, g.today, g.seed, 300, GEN_STAMP);
  if (rc == 0 && table_exists(d, "fin_needs")) rc = fin_gen(d, g.seed, g.today, GEN_STAMP) == DB_OK ? 0 : -1;
  if (rc == 0)
    rc = db_exec(d,
                 "INSERT INTO year_targets (year, start_target, complete_target, project_count, investment_target, version, updated_at) "
                 "SELECT 2026, ?, ?, COUNT(*), COALESCE(SUM(amount), 0), 1, ? FROM project_plans WHERE year = 2026",
                 DBI(sc->projects / 10), DBI(sc->projects / 12), DBT(GEN_STAMP)) == DB_OK
             ? 0
             : -1;
  if (rc == 0 && reindex && *reindex) {
    fprintf(stderr, "\nbuilding indexes…\n");
    rc = db_script(d, reindex) == DB_OK ? 0 : -1;
  }
  free(reindex);
  if (rc == 0 && table_exists(d, "leads")) rc = invest_gen(d, GEN_STAMP); /* 招商引资, derived from the projects */
  /* the per-project roll-ups (rollups.h) of everything loaded, for the
   * dataset's fixed today (the day it is served on), not the wall clock */
  if (rc == 0 && table_exists(d, "project_rollups")) rc = rollup_rebuild(d, g.today) == DB_OK ? 0 : -1;
  if (rc == 0 && !sqlite) {
    /* ids were given explicitly: move every identity past them */
    static const char *const seqs[] = {"units", "users", "projects", "nodes", "reports", "problems", "tasks",
                                       "land_households", "land_items", "land_payments", "land_events",
                                       "approval_items", "approvals", "approval_events"};
    for (int i = 0; rc == 0 && i < NEL(seqs); i++) {
      if ((i == 5 && !with_problems) || (i == 6 && !with_tasks) || (i >= 7 && i <= 10 && !with_land) || (i >= 11 && !with_approvals))
        continue;
      char sql[200];
      snprintf(sql, sizeof sql, "SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM %s), false)",
               seqs[i], seqs[i]);
      rc = db_exec0(d, sql) == DB_OK ? 0 : -1;
    }
  }
  if (rc == 0) {
    /* audited like any change, so that a server already running on this
     * database (on the empty data) does not keep answering from its cache */
    json_t *after = json_pack("{s:s, s:I}", "scale", sc->name, "seed", (json_int_t)seed);
    rc = audit_write(d, &audit_cli, "generate", "database", 0, NULL, after) == DB_OK ? 0 : -1;
    json_decref(after);
  }
  if (rc == 0) rc = db_commit(d) == DB_OK ? 0 : -1;
  else if (db_in_transaction(d)) {
    if (db_errmsg(d)[0]) fprintf(stderr, "\nguatu gen: %s\n", db_errmsg(d));
    db_rollback(d);
  }
  prog_show(1);
  double t_load = now_s() - t0;
  if (rc == 0) {
    fprintf(stderr, "analyzing…\n");
    /* PostgreSQL: VACUUM too, so that the visibility map is set and counts
     * can use index-only scans (a COPY-loaded table has none set) */
    rc = db_script(d, sqlite ? "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA analysis_limit=1000; ANALYZE;"
                             : "VACUUM ANALYZE") == DB_OK
             ? 0
             : -1;
    if (rc != 0) fprintf(stderr, "guatu gen: %s\n", db_errmsg(d));
  }
  if (rc == 0) {
    char sum[65];
    projects_checksum(d, sum);
    printf("guatu gen --scale %s --seed %ld: %s\n", sc->name, seed, sqlite ? "SQLite" : "PostgreSQL");
    static const char *const shown[] = {"units", "users", "projects", "project_plans", "project_tags", "nodes", "reports",
                                        "report_totals", "problems", "tasks"};
    for (int i = 0; i < NEL(shown); i++)
      if ((i != 8 || with_problems) && (i != 9 || with_tasks)) printf("  %-19s %10lld\n", shown[i], (long long)count_rows(d, shown[i]));
    if (!with_problems) printf("  problems: table missing in this build, skipped\n");
    if (!with_tasks) printf("  tasks: table missing in this build, skipped\n");
    static const char *const more[] = {"land_households", "land_items", "land_payments", "land_events", "approval_items",
                                       "approval_agreements", "approvals", "approval_events"};
    for (int i = 0; i < NEL(more); i++)
      if (i < 4 ? with_land : with_approvals) printf("  %-19s %10lld\n", more[i], (long long)count_rows(d, more[i]));
    if (!with_land) printf("  land households: table missing in this build, skipped\n");
    if (!with_approvals) printf("  approvals: table missing in this build, skipped\n");
    if (table_exists(d, "leads")) printf("  %-19s %10lld\n", "leads", (long long)count_rows(d, "leads"));
    printf("projects checksum %s\n", sum);
    printf("loaded in %.1f s, %.1f s with ANALYZE; password of every user: %s\n", t_load, now_s() - t0, BENCH_PASSWORD);
  }
  gen_free(&g);
  db_close(d);
  return rc == 0 ? 0 : 1;
}
static const command gen_cmd = {"gen", gen_usage, cmd_gen};
COMMAND_REGISTER(gen_cmd)
