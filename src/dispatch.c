/*
 * dispatch.c — dispatch meetings (调度会, "一周一调度", plus special ones):
 * the agenda generated from the state of the district on the meeting day
 * (red projects, open land hard cases, nodes overdue or due that week, problems overdue or
 * escalated, problems raised since the last meeting), edited by the project
 * office, and the minutes: a decision per agenda item that becomes, in the
 * same transaction, an assigned problem (problem_create) or a node change
 * (a new planned date), linked back to the decision.
 *
 * GET   /api/v1/dispatch/meetings?kind&from&to&page&per_page
 * POST  /api/v1/dispatch/meetings {kind,date,title,chair,attendees,location,notes}   agenda generated
 * GET   /api/v1/dispatch/meetings/{id}                  meeting, agenda and decisions
 * PATCH /api/v1/dispatch/meetings/{id} {title,date,chair,attendees,location,notes,state,regenerate,version}
 * GET   /api/v1/dispatch/meetings/{id}/agenda           items with their decisions
 * POST  /api/v1/dispatch/meetings/{id}/agenda {title,detail,project_id,notes}          add an item
 * PATCH /api/v1/dispatch/meetings/{id}/agenda/{item} {title,detail,notes,removed}
 * POST  /api/v1/dispatch/meetings/{id}/decisions {item_id,kind,text,
 *         problem: project_id,unit_id,co_unit_ids,category,title,deadline_days | node: node_id,new_date,unit_id}
 * GET   /api/v1/dispatch/decisions?project                the decisions about one project (its file)
 */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "auth.h"
#include "calendar.h"
#include "dispatch.h"
#include "ent.h"
#include "http.h"
#include "land.h"
#include "qa.h"
#include "lights.h"
#include "notify.h"
#include "problems.h"
#include "projects.h"
#include "rollups.h"

#define DISPATCH_WRITE (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER)
#define DISPATCH_READ (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT)
#define AGENDA_CAP 30 /* per section: a meeting discusses dozens, not hundreds */

static const char *const kinds[] = {"weekly", "special", NULL};
static const char *const meeting_states[] = {"planned", "held", NULL};

/* ---- agenda generation ---- */

static int add_item(db *d, int64_t meeting, int *seq, const char *kind, int64_t project, int64_t node, int64_t problem,
                    const char *title, const char *detail) {
  return db_exec(d,
                 "INSERT INTO agenda_items (meeting_id, seq, kind, project_id, node_id, problem_id, title, detail, removed) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                 DBI(meeting), DBI(++*seq), DBT(kind), project ? DBI(project) : DBNULL, node ? DBI(node) : DBNULL,
                 problem ? DBI(problem) : DBNULL, DBT(title), DBT(detail));
}

dispatch_red *dispatch_red_push(arena *a, dispatch_red **v, int *n, int *cap) {
  if (*n == *cap) {
    dispatch_red *bigger = arena_alloc(a, sizeof **v * (size_t)*cap * 2);
    memcpy(bigger, *v, sizeof **v * (size_t)*cap);
    *v = bigger;
    *cap *= 2;
  }
  return &(*v)[(*n)++];
}

void dispatch_red_reasons(db *d, arena *a, dispatch_red *v, int n, int32_t today, const char *asof, const light_cfg *cfg,
                          int mc) {
  for (int i = 0; i < n; i++) {
    dispatch_red *e = &v[i];
    strbuf sb = STRBUF_INIT;
    /* the worst node still open (as of `asof`: one completed later was open then) */
    db_stmt *ns = asof ? db_query(d,
                                  "SELECT name, planned_date FROM nodes WHERE project_id = ? AND (actual_date IS NULL OR "
                                  "actual_date > ?) ORDER BY planned_date, seq LIMIT 1",
                                  DBI(e->project_id), DBT(asof))
                       : db_query(d,
                                  "SELECT name, planned_date FROM nodes WHERE project_id = ? AND actual_date IS NULL "
                                  "ORDER BY planned_date, seq LIMIT 1",
                                  DBI(e->project_id));
    if (ns && db_step(ns) == DB_ROW) {
      int32_t pd;
      if (date_parse(db_text(ns, 1), &pd) == 0) {
        if (pd < today)
          sb_addf(&sb, "节点「%s」计划%s完成，已逾期%d天", db_text(ns, 0), db_text(ns, 1), (int)(today - pd));
        else if (pd - today <= cfg->yellow_days)
          sb_addf(&sb, "节点「%s」将于%s到期", db_text(ns, 0), db_text(ns, 1));
      }
    }
    db_done(ns);
    int64_t lag = investment_lag_bp(e->ytd, e->plan, mc);
    if (e->plan > 0 && lag > (int64_t)cfg->yellow_lag * 100) {
      int64_t rate = e->ytd * 10000 / e->plan;
      sb_addf(&sb, "%s年度投资完成率%lld.%02lld%%，落后时序进度%lld.%02lld个百分点", sb.len ? "；" : "",
              (long long)(rate / 100), (long long)(rate % 100), (long long)(lag / 100), (long long)(lag % 100));
    }
    e->reason = arena_strdup(a, sb.len ? sb_str(&sb) : "");
    sb_release(&sb);
  }
}

int dispatch_red_projects(db *d, arena *a, const char *date, dispatch_red **out) {
  int32_t today;
  if (date_parse(date, &today) != 0) return -1;
  int y, m, dd;
  date_to_ymd(today, &y, &m, &dd);
  light_cfg cfg;
  lights_config_load(d, &cfg);
  char first[16], last[16];
  snprintf(first, sizeof first, "%04d-01", y % 10000);
  /* only closed months count (lights.h); January has none */
  snprintf(last, sizeof last, "%04d-%02d", y % 10000, (m > 1 ? m - 1 : 0) % 100);
  db_stmt *st = db_query(d,
                         "SELECT p.id, p.name, u.name, " LIGHTS_COLUMNS " FROM projects p JOIN units u ON u.id = p.unit_id "
                         "WHERE p.stage IN ('preparation','construction') ORDER BY p.code",
                         DBT(first), DBT(last), DBI(y));
  if (!st) return -1;
  int cap = 64, n = 0;
  dispatch_red *v = arena_alloc(a, sizeof *v * (size_t)cap);
  while (db_step(st) == DB_ROW) {
    const char *next = db_text(st, 3);
    int64_t ytd = db_int(st, 4), plan = db_int(st, 5);
    int light = light_from_columns(next, ytd, plan, y, today, &cfg);
    if (light == LIGHT_GREEN) continue;
    dispatch_red *e = dispatch_red_push(a, &v, &n, &cap);
    e->project_id = db_int(st, 0);
    e->name = arena_strdup(a, db_text(st, 1));
    e->unit = arena_strdup(a, db_text(st, 2));
    e->light = light;
    e->ytd = ytd;
    e->plan = plan;
    e->next_open = next ? arena_strdup(a, next) : NULL;
  }
  db_done(st);
  dispatch_red_reasons(d, a, v, n, today, NULL, &cfg, months_closed(y, today));
  *out = v;
  return n;
}

typedef struct ent_agenda {
  db *d;
  int64_t meeting;
  int *seq;
  arena *a;
  int rc;
} ent_agenda;
static void ent_agenda_add(void *ctx, int64_t id, const char *ent_name, const char *unit_name, const char *due, const char *cat) {
  ent_agenda *x = ctx;
  if (x->rc == DB_OK)
    x->rc = add_item(x->d, x->meeting, x->seq, "enterprise_request", 0, 0, 0, arena_printf(x->a, "超期企业诉求：%s — %s", ent_name, cat),
                     arena_printf(x->a, "诉求#%lld；承办单位：%s；办理时限：%s", (long long)id, unit_name, due));
}

/* One generated agenda item before it is inserted. */
typedef struct agenda_row {
  int64_t id, project;
  const char *title, *detail;
  int esc;
} agenda_row;

int dispatch_generate_agenda(db *d, int64_t meeting, const char *date) {
  arena a;
  arena_init(&a);
  int32_t day;
  date_parse(date, &day);
  char sunday[11], since[11];
  date_format(day + (7 - date_weekday(day)), sunday);
  /* "since the last meeting": the previous meeting's date, else a week ago */
  db_stmt *st = db_query(d, "SELECT MAX(date) FROM meetings WHERE date < ? AND id <> ?", DBT(date), DBI(meeting));
  if (st && db_step(st) == DB_ROW && !db_isnull(st, 0))
    snprintf(since, sizeof since, "%s", db_text(st, 0));
  else
    date_format(day - 7, since);
  db_done(st);
  int rc = db_exec(d, "DELETE FROM agenda_items WHERE meeting_id = ? AND kind <> 'custom' AND id NOT IN "
                      "(SELECT item_id FROM decisions WHERE meeting_id = ? AND item_id IS NOT NULL)",
                   DBI(meeting), DBI(meeting));
  int seq = (int)db_int1(d, 0, "SELECT COALESCE(MAX(seq), 0) FROM agenda_items WHERE meeting_id = ?", DBI(meeting));

  dispatch_red *reds;
  int nred = rc == DB_OK ? dispatch_red_projects(d, &a, date, &reds) : -1;
  if (nred < 0) rc = DB_ERROR;
  int shown = 0;
  for (int i = 0; rc == DB_OK && i < nred && shown < AGENDA_CAP; i++) {
    if (reds[i].light != LIGHT_RED) continue;
    shown++;
    rc = add_item(d, meeting, &seq, "red_project", reds[i].project_id, 0, 0, arena_printf(&a, "红灯项目：%s", reds[i].name),
                  arena_printf(&a, "责任单位：%s。%s", reds[i].unit, reds[i].reason));
  }
  land_open_case *cases; /* next to the red projects: the leading group's open hard cases (land.h) */
  int ncase = rc == DB_OK ? land_open_hard_cases(d, &a, date, AGENDA_CAP, &cases) : 0;
  if (ncase < 0) rc = DB_ERROR;
  for (int i = 0; rc == DB_OK && i < ncase; i++)
    rc = add_item(d, meeting, &seq, "land_hard_case", cases[i].project_id, 0, 0,
                  arena_printf(&a, "疑难个案：%s — %s %s户：%s", cases[i].project, cases[i].village, cases[i].head_name, cases[i].title),
                  arena_printf(&a, "提出：%s。%s", cases[i].raised_on, cases[i].description));
  /* overdue enterprise requests 诉求 (ent.h) */
  ent_agenda ea = {d, meeting, &seq, &a, rc};
  if (rc == DB_OK && ent_requests_overdue(d, date, AGENDA_CAP, ent_agenda_add, &ea) < 0) rc = DB_ERROR;
  if (rc == DB_OK) rc = ea.rc;
  if (rc == DB_OK) {
    st = db_query(d,
                  "SELECT n.id, n.project_id, p.name, n.name, n.planned_date, COALESCE(u.name, '') FROM nodes n "
                  "JOIN projects p ON p.id = n.project_id LEFT JOIN units u ON u.id = n.unit_id "
                  "WHERE n.actual_date IS NULL AND n.planned_date <= ? ORDER BY n.planned_date, n.id LIMIT ?",
                  DBT(sunday), DBI(AGENDA_CAP));
    agenda_row rows[AGENDA_CAP];
    int nr = 0;
    while (st && nr < AGENDA_CAP && db_step(st) == DB_ROW) {
      int overdue = strcmp(db_text(st, 4), date) < 0;
      rows[nr].id = db_int(st, 0);
      rows[nr].project = db_int(st, 1);
      rows[nr].title = arena_printf(&a, "%s：%s — %s", overdue ? "逾期节点" : "本周到期节点", db_text(st, 2), db_text(st, 3));
      rows[nr].detail = arena_printf(&a, "计划完成：%s；责任单位：%s", db_text(st, 4), db_text(st, 5));
      rows[nr].esc = 0;
      nr++;
    }
    db_done(st);
    for (int i = 0; rc == DB_OK && i < nr; i++)
      rc = add_item(d, meeting, &seq, "node", rows[i].project, rows[i].id, 0, rows[i].title, rows[i].detail);
  }
  for (int pass = 0; rc == DB_OK && pass < 2; pass++) {
    /* pass 0: overdue or escalated; pass 1: new since the last meeting */
    st = pass == 0 ? db_query(d,
                              "SELECT pr.id, pr.project_id, p.name, pr.title, pr.due_date, u.name, pr.escalation, pr.raised_on "
                              "FROM problems pr JOIN projects p ON p.id = pr.project_id JOIN units u ON u.id = pr.unit_id "
                              "WHERE pr.state <> 'closed' AND pr.raised_on <= ? AND (pr.due_date < ? OR pr.escalation > 0) "
                              "ORDER BY pr.escalation DESC, pr.due_date, pr.id LIMIT ?",
                              DBT(date), DBT(date), DBI(AGENDA_CAP))
                   : db_query(d,
                              "SELECT pr.id, pr.project_id, p.name, pr.title, pr.due_date, u.name, pr.escalation, pr.raised_on "
                              "FROM problems pr JOIN projects p ON p.id = pr.project_id JOIN units u ON u.id = pr.unit_id "
                              "WHERE pr.raised_on > ? AND pr.raised_on <= ? AND NOT (pr.state <> 'closed' AND "
                              "(pr.due_date < ? OR pr.escalation > 0)) ORDER BY pr.raised_on, pr.id LIMIT ?",
                              DBT(since), DBT(date), DBT(date), DBI(AGENDA_CAP));
    agenda_row rows[AGENDA_CAP];
    int nr = 0;
    while (st && nr < AGENDA_CAP && db_step(st) == DB_ROW) {
      int esc = (int)db_int(st, 6);
      rows[nr].id = db_int(st, 0);
      rows[nr].project = db_int(st, 1);
      rows[nr].esc = esc;
      rows[nr].title = arena_printf(&a, "%s：%s — %s",
                                    pass ? "新提出问题" : esc == 2 ? "提级至指挥长的问题" : esc == 1 ? "提级至联系领导的问题" : "超期问题",
                                    db_text(st, 2), db_text(st, 3));
      rows[nr].detail = arena_printf(&a, "牵头单位：%s；提出：%s；办结时限：%s", db_text(st, 5), db_text(st, 7), db_text(st, 4));
      nr++;
    }
    if (!st) rc = DB_ERROR;
    db_done(st);
    for (int i = 0; rc == DB_OK && i < nr; i++)
      rc = add_item(d, meeting, &seq, pass ? "problem_new" : rows[i].esc ? "problem_escalated" : "problem_overdue",
                    rows[i].project, 0, rows[i].id, rows[i].title, rows[i].detail);
  }
  qa_overdue *qs; /* citizens' questions past their deadline (qa.h): no project, so for the office's eyes */
  int nq = rc == DB_OK ? qa_overdue_questions(d, &a, date, AGENDA_CAP, &qs) : 0;
  if (nq < 0) rc = DB_ERROR;
  for (int i = 0; rc == DB_OK && i < nq; i++)
    rc = add_item(d, meeting, &seq, "question_overdue", 0, 0, 0,
                  arena_printf(&a, "%s：%s — %s", qs[i].level == 2 ? "提级至区领导的问政" : qs[i].level == 1 ? "提级督办的问政" : "超期问政",
                               qs[i].code, qs[i].title),
                  arena_printf(&a, "承办部门：%s；提问：%s；答复时限：%s", qs[i].unit, qs[i].asked_on, qs[i].due_date));
  arena_release(&a);
  return rc;
}

/* ---- JSON ---- */

#define MEETING_SELECT                                                                                          \
  "SELECT m.id, m.kind, m.date, m.title, m.chair, m.attendees, m.location, m.notes, m.state, m.version, "       \
  "m.created_at, m.updated_at, "                                                                               \
  "(SELECT COUNT(*) FROM agenda_items i WHERE i.meeting_id = m.id AND i.removed = 0) AS item_count, "           \
  "(SELECT COUNT(*) FROM decisions x WHERE x.meeting_id = m.id) AS decision_count FROM meetings m "

/* A decision's status now: for a problem its state, for a node done or not. */
static void decision_status(db *d, json_t *o, const char *today) {
  const char *status = "pending", *zh = "未完成";
  if (json_is_integer(json_object_get(o, "problem_id"))) {
    db_stmt *st = db_query(d, "SELECT state, due_date FROM problems WHERE id = ?",
                           DBI(json_integer_value(json_object_get(o, "problem_id"))));
    if (st && db_step(st) == DB_ROW) {
      const char *s = db_text(st, 0);
      if (!strcmp(s, "closed")) status = "done", zh = "已办结";
      else if (strcmp(db_text(st, 1), today) < 0) status = "overdue", zh = "已超期";
      else if (!strcmp(s, "replied")) status = "replied", zh = "已答复";
      else status = "in_progress", zh = "办理中";
    }
    db_done(st);
  } else if (json_is_integer(json_object_get(o, "node_id"))) {
    db_stmt *st = db_query(d, "SELECT actual_date, planned_date FROM nodes WHERE id = ?",
                           DBI(json_integer_value(json_object_get(o, "node_id"))));
    if (st && db_step(st) == DB_ROW) {
      if (!db_isnull(st, 0)) status = "done", zh = "已完成";
      else if (strcmp(db_text(st, 1), today) < 0) status = "overdue", zh = "已超期";
      else status = "in_progress", zh = "推进中";
    }
    db_done(st);
  }
  json_object_set_new(o, "status", json_string(status));
  json_object_set_new(o, "status_name", json_string(zh));
}

json_t *dispatch_decisions_json(db *d, int64_t meeting, const char *today) {
  json_t *arr = json_array();
  db_stmt *st = db_query(d,
                         "SELECT x.id, x.item_id, x.kind, x.text, x.problem_id, x.node_id, x.old_date, x.new_date, "
                         "x.created_at, COALESCE(pu.name, nu.name) AS unit_name, "
                         "COALESCE(pp.name, np.name) AS project_name, COALESCE(pr.due_date, x.new_date) AS deadline "
                         "FROM decisions x LEFT JOIN problems pr ON pr.id = x.problem_id LEFT JOIN units pu ON pu.id = pr.unit_id "
                         "LEFT JOIN projects pp ON pp.id = pr.project_id LEFT JOIN nodes n ON n.id = x.node_id "
                         "LEFT JOIN units nu ON nu.id = n.unit_id LEFT JOIN projects np ON np.id = n.project_id "
                         "WHERE x.meeting_id = ? ORDER BY x.id",
                         DBI(meeting));
  while (st && db_step(st) == DB_ROW) json_array_append_new(arr, db_row_json(st));
  db_done(st);
  size_t i;
  json_t *o;
  json_array_foreach(arr, i, o) {
    decision_status(d, o, today);
  }
  return arr;
}

/* The meeting's agenda items with their decisions.  With `scoped` (a
 * request of a user who does not read everything) only the items about a
 * project in that user's scope (see the circulation rule above). */
static json_t *agenda_json(db *d, int64_t meeting, json_t *decisions, int with_removed, req *scoped) {
  json_t *arr = json_array();
  strbuf sql = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  sb_adds(&sql, "SELECT i.id, i.seq, i.kind, i.project_id, p.name AS project_name, i.node_id, i.problem_id, "
                "i.title, i.detail, i.notes, i.removed AS removed__b FROM agenda_items i LEFT JOIN projects p "
                "ON p.id = i.project_id WHERE i.meeting_id = ?");
  args[n++] = DBI(meeting);
  if (!with_removed) sb_adds(&sql, " AND i.removed = 0");
  if (scoped && !scope_reads_all(scoped)) {
    sb_adds(&sql, " AND i.project_id IS NOT NULL");
    project_scope_sql(scoped, &sql, args, &n);
  }
  sb_adds(&sql, " ORDER BY i.seq");
  db_stmt *st = db_prepare(d, sb_str(&sql), n, args);
  sb_release(&sql);
  while (st && db_step(st) == DB_ROW) json_array_append_new(arr, db_row_json(st));
  db_done(st);
  size_t i, k;
  json_t *it, *dx;
  json_array_foreach(arr, i, it) {
    json_t *mine = json_array();
    json_int_t id = json_integer_value(json_object_get(it, "id"));
    json_array_foreach(decisions, k, dx) {
      if (json_integer_value(json_object_get(dx, "item_id")) == id) json_array_append(mine, dx);
    }
    json_object_set_new(it, "decisions", mine);
  }
  return arr;
}

static json_t *meeting_json(db *d, int64_t id, int full, req *scoped) {
  db_stmt *st = db_query(d, MEETING_SELECT "WHERE m.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (!o || !full) return o;
  char today[11];
  date_format(clock_today(), today);
  json_t *dec = dispatch_decisions_json(d, id, today);
  json_t *agenda = agenda_json(d, id, dec, 1, scoped);
  if (scoped && !scope_reads_all(scoped)) {
    /* the decisions of the items the user sees */
    json_decref(dec);
    dec = json_array();
    size_t i, k;
    json_t *it, *dx;
    json_array_foreach(agenda, i, it) json_array_foreach(json_object_get(it, "decisions"), k, dx) json_array_append(dec, dx);
  }
  json_object_set_new(o, "agenda", agenda);
  json_object_set_new(o, "decisions", dec);
  return o;
}

/* Circulation (issue 13): before a meeting is held its agenda — every red
 * project, overdue node and problem of the district — is for the project
 * office and the leaders who prepare and chair it.  A responsible unit
 * sees a meeting once it is held, and then only the items (and decisions)
 * about projects in its scope.  1 when the user may see meeting `id`. */
static int meeting_visible(req *r, int64_t id) {
  if (scope_reads_all(r)) return db_int1(r->db, 0, "SELECT 1 FROM meetings WHERE id = ?", DBI(id)) == 1;
  return db_int1(r->db, 0, "SELECT 1 FROM meetings WHERE id = ? AND state = 'held'", DBI(id)) == 1;
}

/* ---- handlers ---- */

/* GET /api/v1/dispatch/meetings?kind&from&to&page&per_page */
static void meetings_list(req *r) {
  page p;
  req_page(r, &p);
  const char *kind = qenum(r, "kind", kinds);
  const char *from = qdate(r, "from"), *to = qdate(r, "to");
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val args[6];
  int n = 0;
  sb_adds(&w, "WHERE 1 = 1");
  if (!scope_reads_all(r)) sb_adds(&w, " AND m.state = 'held'");
  if (kind) sb_adds(&w, " AND m.kind = ?"), args[n++] = DBT(kind);
  if (from) sb_adds(&w, " AND m.date >= ?"), args[n++] = DBT(from);
  if (to) sb_adds(&w, " AND m.date <= ?"), args[n++] = DBT(to);
  const char *where = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) FROM meetings m %s", where), n, args);
  args[n++] = DBI(p.per_page);
  args[n++] = DBI(p.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, MEETING_SELECT "%s ORDER BY m.date DESC, m.id DESC LIMIT ? OFFSET ?", where), n, args);
  reply_rows(r, st, total, &p);
}

/* GET /api/v1/dispatch/decisions?project — the decisions about one project,
 * newest meeting first, for the project's file (一项目一档).  A decision is
 * about the project of its problem, of its node or else of its agenda item.
 * The project must be in the user's scope (project_open: 404 / 403 as reading it);
 * a unit sees only the decisions of held meetings (the circulation rule). */
static void decisions_list(req *r) {
  int64_t project = qint(r, "project", 1, INT64_MAX, 0);
  if (!project && !has_errors(r)) field_error(r, "project", "须指定项目", "a project is required");
  if (has_errors(r)) return reply_invalid(r);
  if (project_open(r, project, PSCOPE_READ) < 0) return;
  strbuf w = STRBUF_INIT;
  db_val args[4];
  int n = 0;
  sb_adds(&w, "SELECT x.id, x.meeting_id, m.date AS meeting_date, m.title AS meeting_title, m.state AS meeting_state, "
              "x.item_id, i.title AS item_title, x.kind, x.text, x.problem_id, pr.title AS problem_title, x.node_id, "
              "n.name AS node_name, x.old_date, x.new_date, x.created_at, COALESCE(pu.name, nu.name) AS unit_name, "
              "COALESCE(pr.due_date, x.new_date) AS deadline "
              "FROM decisions x JOIN meetings m ON m.id = x.meeting_id LEFT JOIN agenda_items i ON i.id = x.item_id "
              "LEFT JOIN problems pr ON pr.id = x.problem_id LEFT JOIN units pu ON pu.id = pr.unit_id "
              "LEFT JOIN nodes n ON n.id = x.node_id LEFT JOIN units nu ON nu.id = n.unit_id "
              "WHERE COALESCE(pr.project_id, n.project_id, i.project_id) = ?");
  args[n++] = DBI(project);
  if (!scope_reads_all(r)) sb_adds(&w, " AND m.state = 'held'");
  sb_adds(&w, " ORDER BY m.date DESC, x.id DESC");
  db_stmt *st = db_prepare(r->db, sb_str(&w), n, args);
  sb_release(&w);
  json_t *arr = json_array();
  while (st && db_step(st) == DB_ROW) json_array_append_new(arr, db_row_json(st));
  int rc = st ? DB_OK : db_errcode(r->db);
  db_done(st);
  if (rc != DB_OK) {
    json_decref(arr);
    return reply_db_error(r, rc);
  }
  char today[11];
  date_format(clock_today(), today);
  size_t i;
  json_t *o;
  json_array_foreach(arr, i, o) decision_status(r->db, o, today);
  reply_json(r, 200, json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)json_array_size(arr)));
}

/* POST /api/v1/dispatch/meetings */
static void meeting_create(req *r) {
  static const char *const fields[] = {"kind", "date", "title", "chair", "attendees", "location", "notes", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *kind = "weekly", *date = NULL, *title = NULL, *chair = NULL, *att = NULL, *loc = NULL, *notes = NULL;
  jenum(r, in, "kind", 0, kinds, &kind);
  jdate(r, in, "date", 1, &date);
  jstr(r, in, "title", 0, 200, &title);
  jstr(r, in, "chair", 0, 100, &chair);
  jstr(r, in, "attendees", 0, 2000, &att);
  jstr(r, in, "location", 0, 200, &loc);
  jstr(r, in, "notes", 0, 5000, &notes);
  if (!strcmp(kind, "special") && (!title || !*title)) field_error(r, "title", "专题调度会须填写会议名称", "a special meeting needs a title");
  if (has_errors(r)) return reply_invalid(r);
  if (!title || !*title) {
    int32_t day;
    date_parse(date, &day);
    /* ISO week of the meeting day: the week's Thursday decides the year */
    int32_t thu = day + 4 - date_weekday(day);
    int y, m, dd;
    date_to_ymd(thu, &y, &m, &dd);
    int week = (thu - date_from_ymd(y, 1, 1)) / 7 + 1;
    title = arena_printf(&r->a, "%d年第%d周重点项目调度会", y, week);
  }
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO meetings (kind, date, title, chair, attendees, location, notes, state, created_by, "
                         "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?, ?) RETURNING id",
                         DBT(kind), DBT(date), DBT(title), DBT(chair), DBT(att), DBT(loc), DBT(notes), DBI(r->user.id),
                         DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  rc = id ? dispatch_generate_agenda(r->db, id, date) : db_errcode(r->db);
  json_t *after = rc == DB_OK ? meeting_json(r->db, id, 0, NULL) : NULL;
  if (rc == DB_OK) rc = audit_log(r, "create", "meeting", id, NULL, after);
  json_decref(after);
  commit_reply(r, rc, NULL, rc == DB_OK ? meeting_json(r->db, id, 1, NULL) : NULL, 201);
}

/* GET /api/v1/dispatch/meetings/{id} */
static void meeting_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  if (!meeting_visible(r, id)) return reply_not_found(r, "调度会", "meeting");
  json_t *o = meeting_json(r->db, id, 1, r);
  if (!o) return reply_not_found(r, "调度会", "meeting");
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
  reply_json(r, 200, o);
}

/* GET /api/v1/dispatch/meetings/{id}/agenda */
static void agenda_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  if (!meeting_visible(r, id)) return reply_not_found(r, "调度会", "meeting");
  char today[11];
  date_format(clock_today(), today);
  json_t *dec = dispatch_decisions_json(r->db, id, today);
  json_t *items = agenda_json(r->db, id, dec, req_arg(r, "all") != NULL, r);
  json_decref(dec);
  reply_json(r, 200, json_pack("{s:o, s:I}", "items", items, "meeting_id", (json_int_t)id));
}

/* PATCH /api/v1/dispatch/meetings/{id} */
static void meeting_patch(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  static const char *const fields[] = {"title", "date", "chair", "attendees", "location", "notes", "state", "regenerate", "version", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *v[7] = {0};
  static const char *const names[] = {"title", "date", "chair", "attendees", "location", "notes", "state"};
  int set[7] = {0};
  set[0] = jstr(r, in, "title", 0, 200, &v[0]);
  set[1] = jdate(r, in, "date", 0, &v[1]);
  set[2] = jstr(r, in, "chair", 0, 100, &v[2]);
  set[3] = jstr(r, in, "attendees", 0, 2000, &v[3]);
  set[4] = jstr(r, in, "location", 0, 200, &v[4]);
  set[5] = jstr(r, in, "notes", 0, 5000, &v[5]);
  set[6] = jenum(r, in, "state", 0, meeting_states, &v[6]);
  int regen = 0;
  int64_t version = 0;
  jbool(r, in, "regenerate", 0, &regen);
  version = req_version(r, in);
  if (set[0] == JV_SET && !*v[0]) field_error(r, "title", "不能为空", "must not be empty");
  if (set[0] == JV_NULL) field_error(r, "title", "不能为空", "must not be empty");
  if (set[1] == JV_NULL) field_error(r, "date", "必填", "required");
  if (set[6] == JV_NULL) field_error(r, "state", "必填", "required");
  if (has_errors(r)) return reply_invalid(r);
  json_t *before = meeting_json(r->db, id, 0, NULL);
  if (!before) return reply_not_found(r, "调度会", "meeting");
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  const char *val[7];
  for (int i = 0; i < 7; i++)
    val[i] = set[i] == JV_SET ? v[i] : set[i] == JV_NULL ? NULL : json_string_value(json_object_get(before, names[i]));
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "UPDATE meetings SET title = ?, date = ?, chair = ?, attendees = ?, location = ?, notes = ?, state = ?, "
                 "version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                 DBT(val[0]), DBT(val[1]), DBT(val[2]), DBT(val[3]), DBT(val[4]), DBT(val[5]), DBT(val[6]),
                 DBT(now_rfc3339(&r->a)), DBI(id), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict", "会议已被他人修改，请刷新后重试 / The meeting was changed by someone else; reload and retry");
  }
  if (rc == DB_OK && regen) rc = dispatch_generate_agenda(r->db, id, val[1]);
  json_t *after = rc == DB_OK ? meeting_json(r->db, id, 0, NULL) : NULL;
  if (rc == DB_OK) rc = audit_log(r, "update", "meeting", id, before, after);
  json_decref(after);
  commit_reply(r, rc, before, rc == DB_OK ? meeting_json(r->db, id, 1, NULL) : NULL, 200);
}

static int project_exists(db *d, int64_t id) { return db_int1(d, 0, "SELECT 1 FROM projects WHERE id = ?", DBI(id)) == 1; }

/* POST /api/v1/dispatch/meetings/{id}/agenda {title, detail, project_id, notes} */
static void agenda_add(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  static const char *const fields[] = {"title", "detail", "project_id", "notes", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *title = NULL, *detail = NULL, *notes = NULL;
  int64_t project = 0;
  if (jstr(r, in, "title", 1, 200, &title) == JV_SET && !*title) field_error(r, "title", "不能为空", "must not be empty");
  jstr(r, in, "detail", 0, 2000, &detail);
  jstr(r, in, "notes", 0, 5000, &notes);
  if (jint(r, in, "project_id", 0, 1, INT64_MAX, &project) == JV_SET && !project_exists(r->db, project))
    field_error(r, "project_id", "项目不存在", "no such project");
  if (has_errors(r)) return reply_invalid(r);
  if (!db_int1(r->db, 0, "SELECT 1 FROM meetings WHERE id = ?", DBI(id))) return reply_not_found(r, "调度会", "meeting");
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  int seq = (int)db_int1(r->db, 0, "SELECT COALESCE(MAX(seq), 0) FROM agenda_items WHERE meeting_id = ?", DBI(id));
  db_stmt *st = db_query(r->db,
                         "INSERT INTO agenda_items (meeting_id, seq, kind, project_id, title, detail, notes, removed) "
                         "VALUES (?, ?, 'custom', ?, ?, ?, ?, 0) RETURNING id",
                         DBI(id), DBI(seq + 1), project ? DBI(project) : DBNULL, DBT(title), DBT(detail), DBT(notes));
  int64_t item = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  json_t *after = json_pack("{s:I, s:s}", "item_id", (json_int_t)item, "title", title);
  rc = item ? audit_log(r, "create", "agenda_item", item, NULL, after) : db_errcode(r->db);
  json_decref(after);
  commit_reply(r, rc, NULL, rc == DB_OK ? meeting_json(r->db, id, 1, NULL) : NULL, 201);
}

/* PATCH /api/v1/dispatch/meetings/{id}/agenda/{item} {title, detail, notes, removed} */
static void agenda_patch(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  int64_t item = req_id(r, 1);
  if (!item) return;
  static const char *const fields[] = {"title", "detail", "notes", "removed", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *title = NULL, *detail = NULL, *notes = NULL;
  int removed = 0;
  int st_t = jstr(r, in, "title", 0, 200, &title), st_d = jstr(r, in, "detail", 0, 2000, &detail),
      st_n = jstr(r, in, "notes", 0, 5000, &notes), st_r = jbool(r, in, "removed", 0, &removed);
  if ((st_t == JV_SET && !*title) || st_t == JV_NULL) field_error(r, "title", "不能为空", "must not be empty");
  if (has_errors(r)) return reply_invalid(r);
  db_stmt *st = db_query(r->db, "SELECT title, detail, notes, removed AS removed__b FROM agenda_items WHERE id = ? AND meeting_id = ?",
                         DBI(item), DBI(id));
  json_t *before = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (!before) return reply_not_found(r, "议题", "agenda item");
  if (st_r == JV_SET && removed &&
      db_int1(r->db, 0, "SELECT COUNT(*) FROM decisions WHERE item_id = ?", DBI(item)) > 0) {
    json_decref(before);
    return reply_problem(r, 409, "不能移除 / Cannot remove", "该议题已有会议决定，不能移除 / The item has decisions and cannot be removed");
  }
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db, "UPDATE agenda_items SET title = ?, detail = ?, notes = ?, removed = ? WHERE id = ?",
                 DBT(st_t == JV_SET ? title : json_string_value(json_object_get(before, "title"))),
                 DBT(st_d == JV_SET ? detail : st_d == JV_NULL ? NULL : json_string_value(json_object_get(before, "detail"))),
                 DBT(st_n == JV_SET ? notes : st_n == JV_NULL ? NULL : json_string_value(json_object_get(before, "notes"))),
                 DBI(st_r == JV_SET ? removed : json_is_true(json_object_get(before, "removed"))), DBI(item));
  json_t *after = json_deep_copy(in);
  if (rc == DB_OK) rc = audit_log(r, "update", "agenda_item", item, before, after);
  json_decref(after);
  commit_reply(r, rc, before, rc == DB_OK ? meeting_json(r->db, id, 1, NULL) : NULL, 200);
}

int64_t dispatch_decide(db *d, const audit_actor *who, int64_t id, int64_t item, const char *kind, const char *text,
                        const problem_new *pin, int64_t node, const char *new_date, int64_t unit) {
  arena a;
  arena_init(&a);
  const char *now = now_rfc3339(&a);
  const char *mtitle = "";
  db_stmt *ms = db_query(d, "SELECT title FROM meetings WHERE id = ?", DBI(id));
  if (ms && db_step(ms) == DB_ROW) mtitle = arena_strdup(&a, db_text(ms, 0));
  db_done(ms);
  int rc = DB_OK;
  int64_t problem = 0;
  const char *old_date = NULL;
  if (!strcmp(kind, "problem")) {
    problem_new p = *pin;
    p.meeting_id = id;
    if (!p.title || !*p.title) p.title = text;
    p.description = arena_printf(&a, "%s决定：%s", mtitle, text);
    problem = problem_create(d, &p);
    if (!problem) rc = DB_ERROR;
  } else {
    db_stmt *ns = db_query(d, "SELECT planned_date, unit_id, name FROM nodes WHERE id = ?", DBI(node));
    int64_t nunit = 0;
    const char *nname = "";
    if (ns && db_step(ns) == DB_ROW) {
      old_date = arena_strdup(&a, db_text(ns, 0));
      nunit = db_isnull(ns, 1) ? 0 : db_int(ns, 1);
      nname = arena_strdup(&a, db_text(ns, 2));
    }
    db_done(ns);
    rc = db_exec(d, "UPDATE nodes SET planned_date = ?, unit_id = ?, version = version + 1, updated_at = ? WHERE id = ?",
                 DBT(new_date), unit ? DBI(unit) : nunit ? DBI(nunit) : DBNULL, DBT(now), DBI(node));
    if (rc == DB_OK)
      rc = rollup_project(d, db_int1(d, 0, "SELECT project_id FROM nodes WHERE id = ?", DBI(node)));
    int64_t to = unit ? unit : nunit;
    if (rc == DB_OK && to) {
      notice nt = {"decision", arena_printf(&a, "调度会决定：节点「%s」调整至%s完成", nname, new_date),
                   arena_printf(&a, "%s：%s", mtitle, text), arena_printf(&a, "/dispatch/%lld", (long long)id),
                   "meeting", id};
      rc = notify_unit(d, to, &nt, who->user_id);
    }
  }
  int64_t did = 0;
  if (rc == DB_OK) {
    db_stmt *st = db_query(d,
                           "INSERT INTO decisions (meeting_id, item_id, kind, text, problem_id, node_id, old_date, new_date, "
                           "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                           DBI(id), item ? DBI(item) : DBNULL, DBT(kind), DBT(text), problem ? DBI(problem) : DBNULL,
                           node ? DBI(node) : DBNULL, DBT(old_date), DBT(new_date), who->user_id ? DBI(who->user_id) : DBNULL,
                           DBT(now));
    did = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
    db_done(st);
    if (!did) rc = DB_ERROR;
  }
  if (rc == DB_OK) {
    json_t *after = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "kind", kind, "text", text, "problem_id",
                              problem ? json_integer(problem) : json_null(), "node_id", node ? json_integer(node) : json_null(),
                              "old_date", json_str_or_null(old_date), "new_date", json_str_or_null(new_date));
    rc = audit_write(d, who, "create", "decision", did, NULL, after);
    json_decref(after);
  }
  if (rc == DB_OK) rc = db_exec(d, "UPDATE meetings SET state = 'held', updated_at = ? WHERE id = ?", DBT(now), DBI(id));
  arena_release(&a);
  return rc == DB_OK ? did : 0;
}

/* POST /api/v1/dispatch/meetings/{id}/decisions — the decision and what it
 * creates (a problem, or the node's new planned date) commit together. */
static void decision_create(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  static const char *const fields[] = {"item_id", "kind", "text", "project_id", "unit_id", "co_unit_ids", "category",
                                       "title", "deadline_days", "node_id", "new_date", NULL};
  static const char *const dkinds[] = {"problem", "node", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  int64_t item = 0, project = 0, unit = 0, days = 0, node = 0;
  const char *kind = NULL, *text = NULL, *category = "other", *title = NULL, *new_date = NULL;
  jint(r, in, "item_id", 0, 1, INT64_MAX, &item);
  jenum(r, in, "kind", 1, dkinds, &kind);
  if (jstr(r, in, "text", 1, 2000, &text) == JV_SET && !*text) field_error(r, "text", "不能为空", "must not be empty");
  jint(r, in, "project_id", 0, 1, INT64_MAX, &project);
  jint(r, in, "unit_id", 0, 1, INT64_MAX, &unit);
  jstr(r, in, "category", 0, 32, &category);
  jstr(r, in, "title", 0, 200, &title);
  jint(r, in, "deadline_days", 0, 1, 250, &days);
  jint(r, in, "node_id", 0, 1, INT64_MAX, &node);
  jdate(r, in, "new_date", 0, &new_date);
  if (has_errors(r)) return reply_invalid(r);
  if (!db_int1(r->db, 0, "SELECT 1 FROM meetings WHERE id = ?", DBI(id))) return reply_not_found(r, "调度会", "meeting");
  int64_t item_project = 0, item_node = 0;
  if (item) {
    db_stmt *st = db_query(r->db, "SELECT project_id, node_id FROM agenda_items WHERE id = ? AND meeting_id = ?", DBI(item), DBI(id));
    int found = st && db_step(st) == DB_ROW;
    if (found) {
      item_project = db_isnull(st, 0) ? 0 : db_int(st, 0);
      item_node = db_isnull(st, 1) ? 0 : db_int(st, 1);
    }
    db_done(st);
    if (!found) field_error(r, "item_id", "该会议没有这个议题", "no such agenda item in this meeting");
  }
  int64_t *co = NULL;
  int nco = 0;
  if (!strcmp(kind, "problem")) {
    if (!project) project = item_project;
    if (!project) field_error(r, "project_id", "请选择项目", "required");
    else if (!project_exists(r->db, project)) field_error(r, "project_id", "项目不存在", "no such project");
    /* A problem decided about a node (sent, or the agenda item's own node
     * when the problem is about that item's project) is linked to it. */
    if (node && project && !db_int1(r->db, 0, "SELECT 1 FROM nodes WHERE id = ? AND project_id = ?", DBI(node), DBI(project)))
      field_error(r, "node_id", "该节点不属于所选项目", "the node is not one of the project's nodes");
    else if (!node && item_node && project == item_project) node = item_node;
    if (!unit) field_error(r, "unit_id", "请指定责任单位", "required");
    else if (!db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ?", DBI(unit))) field_error(r, "unit_id", "单位不存在", "no such unit");
    if (db_int1(r->db, 0, "SELECT 1 FROM problem_categories WHERE code = ?", DBT(category)) != 1)
      field_error(r, "category", "未知的问题类别", "unknown category");
    json_t *cv = json_object_get(in, "co_unit_ids");
    if (cv && !json_is_null(cv)) {
      if (!json_is_array(cv) || json_array_size(cv) > 20) field_error(r, "co_unit_ids", "应为单位编号数组", "must be an array of unit ids");
      else {
        co = arena_alloc(&r->a, sizeof *co * (json_array_size(cv) + 1));
        size_t i;
        json_t *e;
        json_array_foreach(cv, i, e) {
          if (!json_is_integer(e) || json_integer_value(e) == unit ||
              !db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ?", DBI(json_integer_value(e)))) {
            field_error(r, "co_unit_ids", "含有无效单位", "contains an invalid unit");
            break;
          }
          co[nco++] = json_integer_value(e);
        }
      }
    }
  } else {
    if (!node) node = item_node;
    if (!node) field_error(r, "node_id", "请选择节点", "required");
    else if (!db_int1(r->db, 0, "SELECT 1 FROM nodes WHERE id = ?", DBI(node))) field_error(r, "node_id", "节点不存在", "no such node");
    if (!new_date) field_error(r, "new_date", "请填写新的计划完成日期", "required");
    if (unit && !db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ?", DBI(unit))) field_error(r, "unit_id", "单位不存在", "no such unit");
  }
  if (has_errors(r)) return reply_invalid(r);

  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  audit_actor who = {r->user.id, r->user.login, r->ip};
  problem_new p = {.project_id = project, .unit_id = unit, .raised_by = r->user.id, .raised_unit_id = r->user.unit_id,
                   .category = category, .title = title, .deadline_days = (int)days, .co_units = co, .nco = nco};
  int is_problem = !strcmp(kind, "problem");
  if (is_problem) p.node_id = node;
  int64_t did = dispatch_decide(r->db, &who, id, item, kind, text, &p, is_problem ? 0 : node, new_date, unit);
  if (!did) return commit_reply(r, db_errcode(r->db), NULL, NULL, 201);
  char today[11];
  date_format(clock_today(), today);
  json_t *all = dispatch_decisions_json(r->db, id, today);
  json_t *mine = NULL;
  size_t i;
  json_t *o;
  json_array_foreach(all, i, o) {
    if (json_integer_value(json_object_get(o, "id")) == did) mine = json_incref(o);
  }
  json_decref(all);
  commit_reply(r, DB_OK, NULL, mine ? mine : json_object(), 201);
}

static const route dispatch_routes[] = {
    ROUTE("GET", "/api/v1/dispatch/meetings", meetings_list, DISPATCH_READ, "调度会列表 / Dispatch meetings", 0),
    ROUTE("POST", "/api/v1/dispatch/meetings", meeting_create, DISPATCH_WRITE, "新建调度会（生成议题）/ New meeting with its agenda", 0),
    ROUTE("GET", "/api/v1/dispatch/meetings/{id}", meeting_get, DISPATCH_READ, "调度会详情 / One meeting", 0),
    ROUTE("PATCH", "/api/v1/dispatch/meetings/{id}", meeting_patch, DISPATCH_WRITE, "修改调度会 / Change a meeting", 0),
    ROUTE("GET", "/api/v1/dispatch/meetings/{id}/agenda", agenda_get, DISPATCH_READ, "会议议题 / The agenda", 0),
    ROUTE("POST", "/api/v1/dispatch/meetings/{id}/agenda", agenda_add, DISPATCH_WRITE, "增加议题 / Add an agenda item", 0),
    ROUTE("PATCH", "/api/v1/dispatch/meetings/{id}/agenda/{item}", agenda_patch, DISPATCH_WRITE, "修改议题 / Change an agenda item", 0),
    ROUTE("POST", "/api/v1/dispatch/meetings/{id}/decisions", decision_create, DISPATCH_WRITE,
          "记录会议决定（交办问题或调整节点）/ Record a decision", 0),
    ROUTE("GET", "/api/v1/dispatch/decisions", decisions_list, DISPATCH_READ, "项目的会议决定 / The decisions about a project", 0),
    {0},
};

static const module dispatch_module = {"dispatch", 47, dispatch_routes, NULL, NULL, NULL};
MODULE_REGISTER(dispatch_module)
