/*
 * approval_demo.c — the demo district's approval agency: the usual eleven
 * items of an industrial project from 企业投资项目备案, 不动产权证 and
 * 建设用地规划许可证 through 建设工程规划许可证 and 施工图审查 to
 * 施工许可证, with their departments, limits, prerequisites and parallel
 * groups; the seeds' two stories — 飞山奇 (seed 000: 11 approvals in 7
 * working days, from the land certificate to the construction permit) and
 * 湖南华巨新材料 (seed 002: four permits in 4 working days); and a
 * generated history on the projects under way, with returns.  Dates are
 * counted in working days back from the day the demo is loaded, so every
 * demo database tells the same story.  Items still open are left within
 * their promise: the demo raises no overdue problems of its own.
 */
#include <stdio.h>
#include <string.h>

#include "approval.h"
#include "calendar_db.h"
#include "clock.h"
#include "demo.h"
#include "projects.h"

typedef struct demo_item {
  const char *code, *name, *unit;
  int statutory, promised;
  const char *group, *node_kind;
  const char *prereqs[4];
} demo_item;

static const demo_item catalogue[] = {
    {"filing", "企业投资项目备案", "荷塘区发展和改革局", 3, 1, "立项", NULL, {NULL}},
    {"real_estate", "不动产权证（首次登记）", "荷塘区自然资源分局", 30, 3, "用地", NULL, {NULL}},
    {"land_planning", "建设用地规划许可证", "荷塘区自然资源分局", 20, 2, "用地", NULL, {NULL}},
    {"works_planning", "建设工程规划许可证", "荷塘区自然资源分局", 20, 3, NULL, "planning_permit", {"real_estate", "land_planning"}},
    {"eia", "环境影响评价审批", "荷塘区生态环境分局", 30, 5, "工程", NULL, {"filing"}},
    {"soil", "水土保持方案审批", "荷塘区水利局", 20, 3, "工程", NULL, {"filing"}},
    {"drawing_review", "施工图设计文件审查", "荷塘区住房和城乡建设局", 20, 3, "工程", NULL, {"works_planning"}},
    {"fire_design", "消防设计审查", "荷塘区住房和城乡建设局", 15, 3, "工程", NULL, {"works_planning"}},
    {"civil_defense", "人防工程设计审查", "荷塘区住房和城乡建设局", 20, 2, "工程", NULL, {"works_planning"}},
    {"quality_safety", "工程质量安全监督登记", "荷塘区住房和城乡建设局", 5, 1, NULL, NULL, {"drawing_review"}},
    {"construction_permit", "建筑工程施工许可证", "荷塘区行政审批服务局", 7, 1, NULL, "construction_permit",
     {"works_planning", "drawing_review", "fire_design", "quality_safety"}},
};
#define NITEMS ((int)(sizeof catalogue / sizeof *catalogue))

/* 飞山奇: working-day offsets from the first submission (submit, accept, issue). */
static const int feishanqi[NITEMS][3] = {{0, 0, 0}, {0, 0, 1}, {0, 0, 1}, {1, 1, 3}, {1, 1, 4}, {1, 2, 3},
                                         {3, 3, 5}, {3, 3, 5}, {3, 4, 4}, {5, 5, 6}, {6, 6, 7}};
/* 华巨新材料: 不动产权证, 建设用地规划许可证, 建设工程规划许可证, 施工许可证 in 4 working days. */
static const struct {
  int item, sub, acc, iss;
} huaju[] = {{1, 0, 0, 1}, {2, 0, 0, 1}, {3, 1, 1, 3}, {10, 3, 3, 4}};

static uint32_t seed = 20190701u;
static int rnd(int n) {
  seed = seed * 1103515245u + 12345u;
  return (int)((seed >> 16) % (uint32_t)n);
}

typedef struct demo_ctx {
  db *d;
  const calendar *cal;
  arena *a;
  const char *at;
  int64_t ids[NITEMS];
  int64_t office;
} demo_ctx;

static const char *day(demo_ctx *c, int32_t d) {
  char *b = arena_alloc(c->a, 11);
  date_format(d, b);
  return b;
}

static int event(demo_ctx *c, int64_t aid, const char *type, int32_t on, const char *reason) {
  return db_exec(c->d, "INSERT INTO approval_events (approval_id, type, on_date, reason, user_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                 DBI(aid), DBT(type), DBT(day(c, on)), DBT(reason), c->office ? DBI(c->office) : DBNULL, DBT(c->at));
}

/* One record with its timeline: state from the days given (APPROVAL_NO_DAY:
 * not reached); `ret` a day the item was returned between submission and
 * resubmission (APPROVAL_NO_DAY: never). */
static int record(demo_ctx *c, int64_t pid, int item, int32_t sub, int32_t ret, int32_t resub, int32_t acc, int32_t iss) {
  const char *state = iss != APPROVAL_NO_DAY ? "issued" : acc != APPROVAL_NO_DAY ? "accepted" : "submitted";
  int32_t last = iss != APPROVAL_NO_DAY ? iss : acc != APPROVAL_NO_DAY ? acc : ret != APPROVAL_NO_DAY ? resub : sub;
  db_stmt *st = db_query(c->d,
                         "INSERT INTO approvals (project_id, item_id, state, submitted_on, accepted_on, issued_on, last_on, "
                         "due_date, returns, return_reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "RETURNING id",
                         DBI(pid), DBI(c->ids[item]), DBT(state), DBT(day(c, sub)),
                         acc != APPROVAL_NO_DAY ? DBT(day(c, acc)) : DBNULL, iss != APPROVAL_NO_DAY ? DBT(day(c, iss)) : DBNULL,
                         DBT(day(c, last)), DBT(day(c, approval_due(c->cal, sub, catalogue[item].promised))),
                         DBI(ret != APPROVAL_NO_DAY), DBT(ret != APPROVAL_NO_DAY ? "申报材料不齐全，请补正后重新提交" : NULL),
                         DBT(c->at), DBT(c->at));
  int64_t aid = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  if (!aid) return -1;
  int rc = event(c, aid, "submit", sub, NULL);
  if (rc == DB_OK && ret != APPROVAL_NO_DAY) rc = event(c, aid, "return", ret, "申报材料不齐全，请补正后重新提交");
  if (rc == DB_OK && ret != APPROVAL_NO_DAY) rc = event(c, aid, "submit", resub, NULL);
  if (rc == DB_OK && acc != APPROVAL_NO_DAY) rc = event(c, aid, "accept", acc, NULL);
  if (rc == DB_OK && iss != APPROVAL_NO_DAY) rc = event(c, aid, "issue", iss, NULL);
  return rc == DB_OK ? 0 : -1;
}

static int32_t wd(demo_ctx *c, int32_t from, int n) { return calendar_add_working_days(c->cal, from, n); }

static int agreement(demo_ctx *c, int64_t pid, int32_t signed_on, const char *agent) {
  return db_exec(c->d,
                 "INSERT INTO approval_agreements (project_id, agent_user_id, agent_name, signed_on, scope, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                 DBI(pid), c->office ? DBI(c->office) : DBNULL, DBT(agent), DBT(day(c, signed_on)),
                 DBT("工程建设项目审批全流程“代办+帮办”：立项、用地、规划、施工图审查至施工许可"), DBT(c->at), DBT(c->at)) == DB_OK
             ? 0
             : -1;
}

/* A generated history: the items in catalogue order, each submitted once
 * its prerequisites are issued, now and then returned once; items whose
 * issue would fall after today stay open, within their promise. */
static int history(demo_ctx *c, int64_t pid, int32_t start, int32_t today) {
  int32_t issued[NITEMS];
  for (int k = 0; k < NITEMS; k++) {
    int32_t ready = start;
    for (int q = 0; q < 4 && catalogue[k].prereqs[q]; q++)
      for (int j = 0; j < k; j++)
        if (!strcmp(catalogue[j].code, catalogue[k].prereqs[q])) {
          if (issued[j] == APPROVAL_NO_DAY) return 0; /* the chain stops at an open item */
          if (issued[j] > ready) ready = issued[j];
        }
    int32_t sub = wd(c, ready, rnd(2));
    if (sub > today) return 0;
    int promised = catalogue[k].promised;
    int returned = rnd(8) == 0;
    int32_t ret = returned ? wd(c, sub, 1) : APPROVAL_NO_DAY, resub = returned ? wd(c, sub, 2 + rnd(2)) : APPROVAL_NO_DAY;
    int32_t acc = wd(c, returned ? resub : sub, rnd(2) ? 0 : 1);
    int32_t iss = wd(c, acc, rnd(promised + 2));
    if (iss > today) {
      /* still open: keep it within its promise so no demo problem is raised */
      if (approval_due(c->cal, sub, promised) < today) return 0;
      if (ret != APPROVAL_NO_DAY && resub > today) ret = resub = APPROVAL_NO_DAY;
      if (acc > today) acc = APPROVAL_NO_DAY;
      issued[k] = APPROVAL_NO_DAY;
      if (record(c, pid, k, sub, ret, resub, acc, APPROVAL_NO_DAY) != 0) return -1;
      continue;
    }
    issued[k] = iss;
    if (record(c, pid, k, sub, ret, resub, acc, iss) != 0) return -1;
  }
  return 0;
}

static int demo_approvals(db *d, FILE *log) {
  arena a;
  arena_init(&a);
  int64_t office = db_int1(d, 0, "SELECT id FROM users WHERE login = ?", DBT("office"));
  if (!office) {
    arena_release(&a);
    return 0;
  }
  demo_ctx c = {d, cal_acquire(d), &a, now_rfc3339(&a), {0}, office};
  int rc = 0;
  for (int k = 0; rc == 0 && k < NITEMS; k++) {
    int64_t unit = demo_unit_id(d, catalogue[k].unit);
    c.ids[k] = unit ? approval_item_insert(d, catalogue[k].code, catalogue[k].name, unit, catalogue[k].statutory,
                                           catalogue[k].promised, catalogue[k].group, catalogue[k].node_kind, (k + 1) * 10, c.at)
                    : 0;
    if (!c.ids[k]) rc = -1;
    for (int q = 0; rc == 0 && q < 4 && catalogue[k].prereqs[q]; q++)
      for (int j = 0; j < k; j++)
        if (!strcmp(catalogue[j].code, catalogue[k].prereqs[q]) &&
            db_exec(d, "INSERT INTO approval_item_prereqs (item_id, prereq_id) VALUES (?, ?)", DBI(c.ids[k]), DBI(c.ids[j])) != DB_OK)
          rc = -1;
  }
  int32_t today = clock_today();
  /* 飞山奇: a project in production, its approvals some three months back */
  int64_t fsq = 0;
  if (rc == 0) {
    int64_t town = demo_unit_id(d, "明照街道"), root = demo_unit_id(d, "荷塘区");
    if (!demo_unit_id(d, "株洲飞山奇科技有限公司") && demo_add_unit(d, "株洲飞山奇科技有限公司", "enterprise", root, c.at) != 0) rc = -1;
    proj_in p = {.code = "HT-2019-014", .name = "飞山奇智能制造产业园项目", .level = "district", .category = "产业项目",
                 .chain = "先进装备制造", .stage = "production", .location = "明照街道", .unit_id = town,
                 .owner_unit_id = demo_unit_id(d, "株洲飞山奇科技有限公司"), .total = 30000LL * 10000 * 100, .land = 5000};
    if (rc == 0 && town) fsq = proj_store(d, &p, 0, c.at);
    if (!fsq) rc = -1;
  }
  if (rc == 0) {
    int32_t d0 = today - 90;
    while (!calendar_is_working_day(c.cal, d0)) d0--;
    rc = agreement(&c, fsq, wd(&c, d0, -5), "李项目办");
    for (int k = 0; rc == 0 && k < NITEMS; k++)
      rc = record(&c, fsq, k, wd(&c, d0, feishanqi[k][0]), APPROVAL_NO_DAY, APPROVAL_NO_DAY, wd(&c, d0, feishanqi[k][1]),
                  wd(&c, d0, feishanqi[k][2]));
  }
  /* 华巨新材料: four permits in four working days, about a month back */
  int64_t hj = rc == 0 ? db_int1(d, 0, "SELECT id FROM projects WHERE code = ?", DBT("HT-2023-011")) : 0;
  if (rc == 0 && hj) {
    int32_t d0 = today - 35;
    while (!calendar_is_working_day(c.cal, d0)) d0--;
    rc = agreement(&c, hj, wd(&c, d0, -3), "李项目办");
    for (size_t k = 0; rc == 0 && k < sizeof huaju / sizeof *huaju; k++)
      rc = record(&c, hj, huaju[k].item, wd(&c, d0, huaju[k].sub), APPROVAL_NO_DAY, APPROVAL_NO_DAY, wd(&c, d0, huaju[k].acc),
                  wd(&c, d0, huaju[k].iss));
  }
  /* generated history on the other industrial projects */
  int64_t pids[60];
  int np = 0;
  db_stmt *st = db_query(d,
                         "SELECT id FROM projects WHERE category = ? AND stage IN ('preparation', 'construction', 'completed') "
                         "AND code <> ? ORDER BY id LIMIT 60",
                         DBT("产业项目"), DBT("HT-2023-011"));
  while (st && np < 60 && db_step(st) == DB_ROW) pids[np++] = db_int(st, 0);
  db_done(st);
  for (int i = 0; rc == 0 && i < np; i++) {
    int32_t start = i % 5 == 4 ? today - 8 - rnd(8) : today - 20 - rnd(300);
    while (!calendar_is_working_day(c.cal, start)) start--;
    rc = history(&c, pids[i], start, today);
  }
  if (rc == 0 && log)
    fprintf(log, "approvals: %d catalogue items, 飞山奇 and 华巨新材料 from the seeds, history on %d projects\n", NITEMS, np);
  cal_release(c.cal);
  arena_release(&a);
  return rc;
}

static const module approval_demo_module = {"approval_demo", 58, NULL, demo_approvals, NULL, NULL};
MODULE_REGISTER(approval_demo_module)
