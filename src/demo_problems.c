/*
 * demo_problems.c — the demo district's problems and dispatch meetings:
 * about 80 problems on the demo projects in every state of the loop (some
 * closed and rated, some replied and waiting for the raiser, some reopened,
 * some overdue and escalated to the lead leader or the HQ commander), and
 * three past weekly dispatch meetings with their agendas and decisions.
 * Dates are placed relative to the day the demo is loaded, deterministic
 * (a fixed pseudo-random sequence), so every demo database tells the same
 * story.  Escalation is then run exactly as the server's tick would.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "auth.h"
#include "calendar_db.h"
#include "demo.h"
#include "dispatch.h"
#include "escalation.h"
#include "http.h"
#include "problems.h"

typedef struct demo_kind {
  const char *category, *unit; /* unit NULL: the project's responsible unit */
  const char *titles[4];
} demo_kind;

static const demo_kind kinds[] = {
    {"demolition", NULL, {"3户征拆户未签订补偿协议，影响场平施工", "红线内坟墓迁移未落实", "征拆补偿标准群众有异议", "临时安置房源不足"}},
    {"land", "荷塘区自然资源分局", {"土地报批组卷材料缺少林地审批意见", "新增建设用地指标未落实", "土地挂牌出让时间滞后于计划", "用地红线与现状道路冲突"}},
    {"planning", "荷塘区自然资源分局", {"规划条件需调整容积率", "建设工程规划许可证办理滞后", "总平面图审查意见未回复", "规划道路线位未稳定"}},
    {"approval", "荷塘区行政审批服务局", {"施工许可证办理等待消防设计审查", "施工图审查意见未闭合", "环评与能评手续并联审批未衔接", "不动产权证办理滞后"}},
    {"funds", "荷塘区财政局", {"征拆补偿资金缺口约2000万元", "专项债资金拨付滞后", "企业申请的设备补贴未兑现", "配套基础设施资金未落实"}},
    {"utilities", "荷塘区住房和城乡建设局", {"施工用电增容未到位", "进场道路未打通", "供水管网未接入项目红线", "天然气管道未接通"}},
    {"environment", "荷塘区生态环境分局", {"施工扬尘整改要求", "环评批复滞后影响开工", "雨污分流接驳方案未确定", "渣土消纳场地未落实"}},
    {"other", NULL, {"周边群众阻工", "施工用工短缺", "项目周边治安环境需整治", "企业反映水电报装流程繁琐"}},
};

static const char *const replies[] = {
    "已会同相关单位现场办公，问题已解决，详见附件说明。",
    "已协调落实，相关手续已办结。",
    "已制定工作方案并落实到人，本周内完成。",
    "经研究，已按程序报区政府同意，资金已拨付到位。",
};

static uint32_t seed = 20221001u;
static int rnd(int n) {
  seed = seed * 1103515245u + 12345u;
  return (int)((seed >> 16) % (uint32_t)n);
}

static const char *fmt_day(arena *a, int32_t d) {
  char *b = arena_alloc(a, 11);
  date_format(d, b);
  return b;
}
static const char *at_of(arena *a, int32_t d, int hour) { return arena_printf(a, "%sT%02d:%02d:00.000Z", fmt_day(a, d), hour % 24, rnd(60)); }

static int event(db *d, int64_t pid, const char *type, const char *text, int rating, int64_t user, int64_t unit, const char *at) {
  return db_exec(d,
                 "INSERT INTO problem_events (problem_id, type, text, rating, user_id, unit_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 DBI(pid), DBT(type), DBT(text), rating ? DBI(rating) : DBNULL, user ? DBI(user) : DBNULL,
                 unit ? DBI(unit) : DBNULL, DBT(at));
}

/* A user of the unit to act for it in the timeline (0 when it has none). */
static int64_t unit_user(db *d, int64_t unit) {
  return db_int1(d, 0, "SELECT id FROM users WHERE unit_id = ? ORDER BY id LIMIT 1", DBI(unit));
}

static int demo_problems(db *d, FILE *log) {
  arena a;
  arena_init(&a);
  int32_t today = clock_today();
  int64_t office = db_int1(d, 0, "SELECT id FROM users WHERE login = ?", DBT("office"));
  int64_t office_unit = db_int1(d, 0, "SELECT unit_id FROM users WHERE login = ?", DBT("office"));
  int64_t leader = db_int1(d, 0, "SELECT id FROM users WHERE login = ?", DBT("leader"));
  int64_t leader_unit = db_int1(d, 0, "SELECT unit_id FROM users WHERE login = ?", DBT("leader"));
  if (!office) {
    arena_release(&a);
    return 0;
  }
  /* projects under way, the real ones first */
  int64_t proj[200], punit[200];
  int np = 0;
  db_stmt *st = db_query0(d, "SELECT id, unit_id FROM projects WHERE stage IN ('preparation','construction') ORDER BY id LIMIT 200");
  while (st && np < 200 && db_step(st) == DB_ROW) {
    proj[np] = db_int(st, 0);
    punit[np] = db_int(st, 1);
    np++;
  }
  db_done(st);
  if (np == 0) {
    arena_release(&a);
    return 0;
  }
  const calendar *cal = cal_acquire(d);
  int rc = 0, count = 0;
  const int N = 80;
  for (int i = 0; rc == 0 && i < N; i++) {
    const demo_kind *k = &kinds[rnd((int)(sizeof kinds / sizeof *kinds))];
    int pi = i < 12 ? i % np : rnd(np);
    int64_t unit = k->unit ? demo_unit_id(d, k->unit) : punit[pi];
    if (!unit) unit = punit[pi];
    /* older problems are more likely finished: raised 1..75 days ago */
    int age = 1 + (i * 74) / N + rnd(3);
    int32_t raised = today - age;
    while (!calendar_is_working_day(cal, raised)) raised--;
    /* raisers: the project office, a leader at a meeting, or the project's unit */
    int who = rnd(4);
    int64_t by = who == 0 && leader ? leader : who == 1 ? (unit_user(d, punit[pi]) ? unit_user(d, punit[pi]) : office) : office;
    int64_t by_unit = by == leader ? leader_unit : by == office ? office_unit : punit[pi];
    if (by != office && by != leader && punit[pi] == unit) by = office, by_unit = office_unit;
    int64_t co[1];
    int nco = 0;
    if (rnd(4) == 0 && unit != punit[pi]) co[nco++] = punit[pi];
    problem_new p = {.project_id = proj[pi], .unit_id = unit, .raised_by = by, .raised_unit_id = by_unit,
                     .category = k->category, .title = k->titles[rnd(4)],
                     .description = "项目推进中发现的问题，请牵头单位会同协办单位限期解决并答复。",
                     .raised_on = fmt_day(&a, raised), .co_units = co, .nco = nco};
    int64_t id = problem_create(d, &p);
    if (!id) {
      rc = -1;
      break;
    }
    count++;
    int days = (int)db_int1(d, 5, "SELECT deadline_days FROM problem_categories WHERE code = ?", DBT(k->category));
    int32_t due = problem_due_date(cal, raised, days);
    /* how far along: by age, with some late and some stuck */
    int roll = rnd(100);
    int stage; /* 0 open, 1 accepted, 2 in progress, 3 replied, 4 closed, 5 reopened */
    if (age > 40) stage = roll < 70 ? 4 : roll < 80 ? 3 : roll < 90 ? 2 : 5;
    else if (age > 15) stage = roll < 40 ? 4 : roll < 55 ? 3 : roll < 75 ? 2 : roll < 85 ? 1 : roll < 92 ? 5 : 0;
    else stage = roll < 15 ? 4 : roll < 30 ? 3 : roll < 50 ? 2 : roll < 75 ? 1 : 0;
    int64_t actor = unit_user(d, unit);
    /* the timeline runs forward (issue 20 #10): each step on or after the one
     * before, and before today, so the escalation tick's entries (now) come last */
    int32_t last_day = today - 1 < raised ? raised : today - 1;
    int32_t t = raised + 1 + rnd(2);
    if (t > last_day) t = last_day;
    int32_t t2 = t; /* the comment's day */
    static const char *const state_of[] = {"open", "accepted", "in_progress", "replied", "closed", "reopened"};
    const char *replied_on = NULL, *closed_on = NULL;
    int rating = 0;
    if (stage >= 1) rc = event(d, id, "accept", "已受理，正在协调。", 0, actor, unit, at_of(&a, t, 1));
    if (rc == 0 && stage >= 2) {
      t2 = t + 1 + rnd(3);
      if (t2 > last_day) t2 = last_day;
      rc = event(d, id, "comment", "已召集相关单位现场会商，明确了解决路径。", 0, actor, unit, at_of(&a, t2, 2));
    }
    if (rc == 0 && (stage == 3 || stage == 4 || stage == 5)) {
      /* most replies meet the deadline; some are late */
      int32_t tr = rnd(4) == 0 ? due + 2 + rnd(5) : raised + 2 + rnd(days);
      if (tr < t2) tr = t2; /* not before the accept and the comment */
      if (tr > last_day) tr = last_day;
      replied_on = fmt_day(&a, tr);
      rc = event(d, id, "reply", replies[rnd(4)], 0, actor, unit, at_of(&a, tr, 6));
      if (rc == 0 && stage == 4) {
        int32_t tc = tr + 1 + rnd(2);
        if (tc > last_day) tc = last_day;
        closed_on = fmt_day(&a, tc);
        rc = event(d, id, "close", "经核实问题已解决，同意办结。", 0, by, by_unit, at_of(&a, tc, 7));
        if (rc == 0 && rnd(3)) {
          rating = 3 + rnd(3);
          rc = event(d, id, "rate", rating >= 5 ? "响应迅速，办理到位。" : "基本满意。", rating, by, by_unit, at_of(&a, tc, 8));
        }
      }
      if (rc == 0 && stage == 5) {
        int32_t to = tr + 1 > last_day ? last_day : tr + 1;
        rc = event(d, id, "reopen", "答复内容未解决实际问题，请继续跟进。", 0, by, by_unit, at_of(&a, to, 8));
        replied_on = replied_on ? replied_on : NULL;
      }
    }
    if (rc == 0)
      rc = db_exec(d, "UPDATE problems SET state = ?, replied_on = ?, closed_on = ?, rating = ? WHERE id = ?",
                   DBT(state_of[stage]), DBT(replied_on), DBT(closed_on), rating ? DBI(rating) : DBNULL, DBI(id)) == DB_OK
               ? 0
               : -1;
  }

  /* three past weekly meetings, on the Mondays of the last three weeks */
  int meetings = 0, decisions = 0;
  audit_actor who = {office, "office", "local"};
  int32_t this_monday = today - (date_weekday(today) - 1);
  for (int w = 3; rc == 0 && w >= 1; w--) {
    int32_t day = this_monday - 7 * w;
    int32_t thu = day + 3;
    int y, m, dd;
    date_to_ymd(thu, &y, &m, &dd);
    int week = (thu - date_from_ymd(y, 1, 1)) / 7 + 1;
    const char *now = now_rfc3339(&a);
    st = db_query(d,
                  "INSERT INTO meetings (kind, date, title, chair, attendees, location, notes, state, created_by, created_at, "
                  "updated_at) VALUES ('weekly', ?, ?, ?, ?, ?, ?, 'held', ?, ?, ?) RETURNING id",
                  DBT(fmt_day(&a, day)), DBT(arena_printf(&a, "%d年第%d周重点项目调度会", y, week)), DBT("王区长"),
                  DBT("区发改局、自然资源分局、住建局、财政局、行政审批服务局、各街道（镇）、各指挥部负责人"),
                  DBT("区政府三楼会议室"), DBT("一周一调度：听取项目推进情况汇报，现场交办问题。"), DBI(office), DBT(now), DBT(now));
    int64_t mid = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
    db_done(st);
    if (!mid || dispatch_generate_agenda(d, mid, fmt_day(&a, day)) != DB_OK) {
      rc = -1;
      break;
    }
    meetings++;
    /* decisions on the first few node and problem items */
    int64_t items[8], nodes[8], projs[8];
    int ni = 0;
    /* two node items (new dates) and three others (new assigned problems) */
    for (int pass = 0; pass < 2; pass++) {
      st = db_query(d,
                    pass == 0 ? "SELECT id, node_id, project_id FROM agenda_items WHERE meeting_id = ? AND kind = 'node' "
                                "ORDER BY seq LIMIT 2"
                              : "SELECT id, node_id, project_id FROM agenda_items WHERE meeting_id = ? AND kind IN "
                                "('red_project','problem_overdue','problem_escalated') ORDER BY seq DESC LIMIT 3",
                    DBI(mid));
      while (st && ni < 8 && db_step(st) == DB_ROW) {
        items[ni] = db_int(st, 0);
        nodes[ni] = db_isnull(st, 1) ? 0 : db_int(st, 1);
        projs[ni] = db_isnull(st, 2) ? 0 : db_int(st, 2);
        ni++;
      }
      db_done(st);
    }
    for (int j = 0; rc == 0 && j < ni && j < 5; j++) {
      int64_t did;
      if (nodes[j]) {
        int32_t nd = day + 10 + rnd(20);
        did = dispatch_decide(d, &who, mid, items[j], "node", "责任单位倒排工期，节点顺延，逾期将约谈", NULL, nodes[j],
                              fmt_day(&a, nd), 0);
      } else if (projs[j]) {
        const demo_kind *k = &kinds[1 + rnd(6)];
        int64_t u = demo_unit_id(d, k->unit);
        problem_new p = {.project_id = projs[j], .unit_id = u, .raised_by = office, .raised_unit_id = office_unit,
                         .category = k->category, .title = k->titles[rnd(4)], .raised_on = fmt_day(&a, day)};
        did = dispatch_decide(d, &who, mid, items[j], "problem", arena_printf(&a, "由%s牵头，限期解决：%s", k->unit, p.title),
                              &p, 0, NULL, 0);
        /* older meetings' decisions have partly been carried out */
        if (did && w >= 2 && rnd(2)) {
          int64_t pid = db_int1(d, 0, "SELECT problem_id FROM decisions WHERE id = ?", DBI(did));
          int32_t tr = day + 3 + rnd(3);
          rc = event(d, pid, "reply", replies[rnd(4)], 0, unit_user(d, u), u, at_of(&a, tr, 6));
          if (rc == 0) rc = event(d, pid, "close", "经核实问题已解决，同意办结。", 0, office, office_unit, at_of(&a, tr + 1, 7));
          if (rc == 0)
            rc = db_exec(d, "UPDATE problems SET state = 'closed', replied_on = ?, closed_on = ? WHERE id = ?", DBT(fmt_day(&a, tr)),
                         DBT(fmt_day(&a, tr + 1)), DBI(pid)) == DB_OK
                     ? 0
                     : -1;
        }
      } else {
        continue;
      }
      if (!did) rc = -1;
      else decisions++;
    }
  }
  /* each problem's timeline starts when it was raised (problem_create stamps
   * its "create" entry with the time the demo is loaded) */
  if (rc == 0)
    rc = db_exec0(d, "UPDATE problem_events SET at = (SELECT p.raised_on || 'T00:30:00.000Z' FROM problems p WHERE "
                     "p.id = problem_events.problem_id) WHERE type = 'create'") == DB_OK
             ? 0
             : -1;
  /* escalate exactly as the tick would, so the demo opens with escalations */
  int escalated = rc == 0 ? problems_escalate(d, fmt_day(&a, today), 0) : 0;
  if (escalated < 0) rc = -1;
  if (rc == 0) {
    json_t *after = json_pack("{s:i, s:i, s:i}", "problems", count, "meetings", meetings, "decisions", decisions);
    audit_actor demo = {0, "demo", "local"};
    rc = audit_write(d, &demo, "create", "demo_problems", 0, NULL, after) == DB_OK ? 0 : -1;
    json_decref(after);
  }
  if (rc == 0 && log)
    fprintf(log, "demo: %d problems (%d escalated), %d dispatch meetings with %d decisions\n", count, escalated, meetings,
            decisions);
  cal_release(cal);
  arena_release(&a);
  return rc;
}

static const module demo_problems_module = {"problems-demo", 50, NULL, demo_problems, NULL, NULL};
MODULE_REGISTER(demo_problems_module)
