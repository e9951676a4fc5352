/*
 * reports.c — monthly progress reports (进度填报): submission by the
 * responsible unit or the owner enterprise, review by the project office
 * (approve, or return with a reason), correction and resubmission, the
 * lists of reports and of projects that have not reported, the summary
 * table a 发改局 sends upward (XLSX), the deadline day, the year's targets,
 * and site photos.  The deadline rule is in progress.h.
 *
 * GET   /api/v1/projects/{id}/reports              a project's reports (newest first)
 * POST  /api/v1/projects/{id}/reports              {period, investment, image_progress, percent, problems}
 * GET   /api/v1/reports?period&state&unit&project&q&late&page&per_page&sort&format
 *                                                  state: submitted|returned|approved, or
 *                                                  not_due|due|late = projects without a report
 * GET   /api/v1/reports/missing?period             who has not reported, per unit
 * GET   /api/v1/reports/summary?period&format=xlsx monthly summary (approved figures)
 * GET   /api/v1/reports/settings, PUT {deadline_day}
 * GET   /api/v1/reports/{id}                       with its photos
 * PATCH /api/v1/reports/{id}                       {investment, image_progress, percent, problems, version}
 * POST  /api/v1/reports/{id}/review                {decision: approve|return, reason, version}
 * POST  /api/v1/reports/{id}/photos                raw JPEG/PNG/WebP body, ≤ 8 MiB
 * GET   /api/v1/targets/{year}, PUT {start_target, complete_target, project_count, investment_target, version}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "clock.h"
#include "attachments.h"
#include "auth.h"
#include "cli.h"
#include "http.h"
#include "money.h"
#include "progress.h"
#include "projects.h"
#include "rate.h"
#include "export.h"
#include "reports.h"
#include "rollups.h"

/* ---- shared helpers (reports.h) ---- */

int report_deadline_day(db *d) {
  int64_t v = db_int1(d, DEADLINE_DAY_DEFAULT, "SELECT CAST(value AS BIGINT) FROM settings WHERE key = ?",
                      DBT("report.deadline_day"));
  return v >= 1 && v <= 28 ? (int)v : DEADLINE_DAY_DEFAULT;
}

const char *report_months_sum(char *buf, size_t len, const char *alias, int upto) {
  size_t n = 0;
  buf[0] = 0;
  if (upto < 1) {
    snprintf(buf, len, "0");
    return buf;
  }
  for (int i = 1; i <= upto && i <= 12 && n < len; i++)
    n += (size_t)snprintf(buf + n, len - n, "%s%s.m%02d", i > 1 ? " + " : "", alias, i);
  return buf;
}

int64_t report_approved_total(db *d, int64_t project_id) {
  return db_int1(d, 0,
                 "SELECT COALESCE(SUM(m01 + m02 + m03 + m04 + m05 + m06 + m07 + m08 + m09 + m10 + m11 + m12), 0) "
                 "FROM report_totals WHERE project_id = ?",
                 DBI(project_id));
}

int report_totals_add(db *d, int64_t project_id, const char *period, int64_t fen) {
  int y, m;
  if (month_parse(period, &y, &m) != 0) return DB_ERROR;
  char sql[320];
  /* The column name comes from a validated month number, never from input text. */
  snprintf(sql, sizeof sql,
           "INSERT INTO report_totals (project_id, year, m%02d) VALUES (?, ?, ?) ON CONFLICT (project_id, year) "
           "DO UPDATE SET m%02d = report_totals.m%02d + excluded.m%02d",
           m, m, m, m);
  int rc = db_exec(d, sql, DBI(project_id), DBI(y), DBI(fen));
  /* the project's stored light follows its year-to-date */
  return rc == DB_OK ? rollup_project(d, project_id) : rc;
}

int report_totals_rebuild(db *d) {
  int rc = db_exec0(d, "DELETE FROM report_totals");
  if (rc != DB_OK) return rc;
  strbuf sql = STRBUF_INIT;
  sb_adds(&sql, "INSERT INTO report_totals (project_id, year");
  for (int m = 1; m <= 12; m++) sb_addf(&sql, ", m%02d", m);
  sb_adds(&sql, ") SELECT project_id, CAST(substr(period, 1, 4) AS INTEGER)");
  for (int m = 1; m <= 12; m++)
    sb_addf(&sql, ", SUM(CASE WHEN substr(period, 6, 2) = '%02d' THEN investment ELSE 0 END)", m);
  sb_adds(&sql, " FROM reports WHERE state = 'approved' GROUP BY project_id, substr(period, 1, 4)");
  rc = db_exec0(d, sb_str(&sql));
  sb_release(&sql);
  return rc;
}

/* ---- report JSON ---- */

#define REPORT_SELECT                                                                                              \
  "SELECT r.id, r.project_id, p.code AS project_code, p.name AS project_name, p.unit_id, u.name AS unit_name, "   \
  "r.period, r.investment AS investment__m, r.image_progress, r.percent, r.problems, r.state, r.late AS late__b, " \
  "r.submitted_by, su.name AS submitted_by_name, r.submitted_at, r.reviewed_by, ru.name AS reviewed_by_name, "    \
  "r.reviewed_at, r.review_reason, r.version, r.created_at, r.updated_at, "                                        \
  "(SELECT COUNT(*) FROM attachments a WHERE a.entity = 'report' AND a.entity_id = r.id) AS photo_count "          \
  "FROM reports r JOIN projects p ON p.id = r.project_id JOIN units u ON u.id = p.unit_id "                       \
  "LEFT JOIN users su ON su.id = r.submitted_by LEFT JOIN users ru ON ru.id = r.reviewed_by"

static json_t *report_json(db *d, int64_t id) {
  db_stmt *st = db_query(d, REPORT_SELECT " WHERE r.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (o) json_object_set_new(o, "photos", attach_list_json(d, "report", id));
  return o;
}

/* A report as its handlers check it. */
typedef struct report_ref {
  int64_t id, pid, version;
  char state[16];
  int sc; /* the user's scope on the project (report_open) */
} report_ref;

/* The report's project and state; 0 when absent. */
static int report_head(db *d, int64_t id, report_ref *rp) {
  db_stmt *st = db_query(d, "SELECT project_id, state, version FROM reports WHERE id = ?", DBI(id));
  int ok = st && db_step(st) == DB_ROW;
  if (ok) {
    rp->id = id;
    rp->pid = db_int(st, 0);
    snprintf(rp->state, sizeof rp->state, "%s", db_text(st, 1));
    rp->version = db_int(st, 2);
  }
  db_done(st);
  return ok;
}

static int can_submit(int sc) { return sc == PSCOPE_WRITE || sc == PSCOPE_PROGRESS; }
static int reader_role(req *r) { return has_role(r, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT | ROLE_ENTERPRISE); }

/* Attachment scope for entity "report". */
static int report_can_read(req *r, int64_t id) {
  report_ref rp;
  return reader_role(r) && report_head(r->db, id, &rp) && project_scope(r, rp.pid) >= PSCOPE_READ;
}
static int report_can_write(req *r, int64_t id) {
  report_ref rp;
  return report_head(r->db, id, &rp) && strcmp(rp.state, "approved") != 0 && can_submit(project_scope(r, rp.pid));
}
ATTACH_ENTITY_REGISTER(report_attach, "report", report_can_read, report_can_write)

/* Ends a change to a report: as stored, audited, committed with the reply. */
static void report_commit(req *r, int rc, const char *action, int64_t id, json_t *before) {
  json_t *after = rc == DB_OK ? report_json(r->db, id) : NULL;
  if (rc == DB_OK) rc = audit_log(r, action, "report", id, before, after);
  commit_reply(r, rc, before, after, 200);
}

/* Loads the report {id} of the path and checks read scope; replies 404 itself. */
static int report_open(req *r, report_ref *rp) {
  int64_t id = req_id(r, 0);
  if (!id) return 0;
  if (!report_head(r->db, id, rp) || (rp->sc = project_scope(r, rp->pid)) < PSCOPE_READ) {
    reply_not_found(r, "进度填报", "report");
    return 0;
  }
  return 1;
}

/* ---- create, read, update, review ---- */

static const char *const report_fields[] = {"period", "investment", "image_progress", "percent", "problems", "version", NULL};

/* Reads the editable fields; `creating` makes period and investment required. */
static void read_report_input(req *r, json_t *in, int creating, const char **period, int64_t *inv, int *has_inv,
                              const char **image, int *has_image, int64_t *percent, int *has_percent,
                              const char **problems, int *has_problems) {
  if (creating && jmonth(r, in, "period", 1, period) == JV_SET) {
    int y, m;
    month_parse(*period, &y, &m);
    if (progress_is_future(y, m, clock_today()))
      field_error(r, "period", "不能填报未来月份", "cannot report a future month");
  }
  int s = jmoney(r, in, "investment", creating, inv);
  *has_inv = s == JV_SET;
  if (s == JV_NULL) field_error(r, "investment", "必填", "required");
  s = jstr(r, in, "image_progress", 0, 2000, image);
  *has_image = s == JV_SET || s == JV_NULL;
  if (s == JV_NULL) *image = NULL;
  s = jint(r, in, "percent", 0, 0, 100, percent);
  *has_percent = s == JV_SET || s == JV_NULL;
  if (s == JV_NULL) *has_percent = 2;
  s = jstr(r, in, "problems", 0, 2000, problems);
  *has_problems = s == JV_SET || s == JV_NULL;
  if (s == JV_NULL) *problems = NULL;
}

/* POST /api/v1/projects/{id}/reports {period, investment, image_progress, percent, problems} */
static void reports_create(req *r) {
  int64_t pid = req_id(r, 0);
  if (!pid) return;
  int sc = project_scope(r, pid);
  if (sc < PSCOPE_READ) return reply_not_found(r, "项目", "project");
  if (!can_submit(sc))
    return reply_forbidden(r, "只有责任单位、业主企业或项目办可以填报该项目", "only the responsible unit, the owner enterprise or the project office may report on this project");
  json_t *in = req_json(r, report_fields);
  if (!in) return;
  const char *period = NULL, *image = NULL, *problems = NULL;
  int64_t inv = 0, percent = 0;
  int has_inv, has_image, has_percent, has_problems;
  read_report_input(r, in, 1, &period, &inv, &has_inv, &image, &has_image, &percent, &has_percent, &problems, &has_problems);
  if (has_errors(r)) return reply_invalid(r);
  int64_t existing = db_int1(r->db, 0, "SELECT id FROM reports WHERE project_id = ? AND period = ?", DBI(pid), DBT(period));
  if (existing) {
    reply_problem(r, 409, "重复填报 / Duplicate report",
                  arena_printf(&r->a, "该项目 %s 已有填报（编号 %lld），请修改原填报 / This project already has a report for %s (id %lld); correct that one",
                               period, (long long)existing, period, (long long)existing));
    return;
  }
  int y, m;
  month_parse(period, &y, &m);
  int late = progress_is_late(y, m, clock_today(), report_deadline_day(r->db));
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO reports (project_id, period, investment, image_progress, percent, problems, state, late, "
                         "submitted_by, submitted_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?) "
                         "RETURNING id",
                         DBI(pid), DBT(period), DBI(inv), DBT(image), has_percent == 1 ? DBI(percent) : DBNULL,
                         DBT(problems), DBI(late), DBI(r->user.id), DBT(now), DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  json_t *o = id ? report_json(r->db, id) : NULL;
  rc = o ? audit_log(r, "create", "report", id, NULL, o) : db_errcode(r->db);
  commit_reply(r, rc, NULL, o, 201);
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* The review card's plausibility checks (issue 20): a bare "1250.5" typed
 * as 元 instead of 万元 is ten thousand times too small, and an extra zero
 * ten times too big.  Compares the month with the project's usual month
 * (the median of its approved months in the twelve before this one, when
 * it has at least three) and the year's approved total plus this month
 * with the year's plan.  Adds "checks": {usual_month, usual_samples,
 * year_plan, year_approved, warnings: [{code, message}]} to the report. */
#define USUAL_MIN_SAMPLES 3
#define USUAL_FACTOR 5
static void report_checks(db *d, int64_t id, json_t *o) {
  int64_t pid = json_integer_value(json_object_get(o, "project_id"));
  const char *period = json_string_value(json_object_get(o, "period"));
  int64_t inv = 0;
  const char *zh, *en;
  int y, m;
  if (!period || month_parse(period, &y, &m) != 0 || json_money_read(json_object_get(o, "investment"), &inv, &zh, &en) != 0)
    return;
  int64_t months[12];
  int n = 0;
  db_stmt *st = db_query(d,
                         "SELECT investment FROM reports WHERE project_id = ? AND state = 'approved' AND period < ? AND id <> ? "
                         "ORDER BY period DESC LIMIT 12",
                         DBI(pid), DBT(period), DBI(id));
  while (st && n < 12 && db_step(st) == DB_ROW) months[n++] = db_int(st, 0);
  db_done(st);
  int64_t usual = 0;
  if (n >= USUAL_MIN_SAMPLES) {
    qsort(months, (size_t)n, sizeof *months, cmp_i64);
    usual = n % 2 ? months[n / 2] : (months[n / 2 - 1] + months[n / 2]) / 2;
  }
  char first[16], last[16];
  snprintf(first, sizeof first, "%04d-01", y % 10000);
  snprintf(last, sizeof last, "%04d-12", y % 10000);
  int64_t plan = db_int1(d, 0, "SELECT amount FROM project_plans WHERE project_id = ? AND year = ?", DBI(pid), DBI(y));
  int64_t done = db_int1(d, 0,
                         "SELECT COALESCE(SUM(investment), 0) FROM reports WHERE project_id = ? AND state = 'approved' "
                         "AND period >= ? AND period <= ? AND id <> ?",
                         DBI(pid), DBT(first), DBT(last), DBI(id));
  json_t *warn = json_array();
  if (usual > 0 && inv > 0 && (inv / USUAL_FACTOR > usual || inv < usual / USUAL_FACTOR)) {
    int high = inv / USUAL_FACTOR > usual;
    json_array_append_new(
        warn, json_pack("{s:s,s:s}", "code", "far_from_usual", "message",
                        high ? "本月投资远高于该项目常月（近12个月中位数），请核对金额单位 / far above the project's usual month "
                               "(median of its last 12 approved months): check the amount and its unit"
                             : "本月投资远低于该项目常月（近12个月中位数），请核对是否误将万元填为元 / far below the project's usual "
                               "month (median of its last 12 approved months): was 万元 typed as 元?"));
  }
  if (plan > 0 && money_add(done, inv) > plan) {
    json_array_append_new(warn, json_pack("{s:s,s:s}", "code", "exceeds_plan", "message",
                                          "审核通过后本年累计投资将超过年度计划 / approving it puts the year's total above the "
                                          "annual plan"));
  }
  json_object_set_new(o, "checks",
                      json_pack("{s:o,s:i,s:o,s:o,s:o}", "usual_month", usual > 0 ? json_money(usual) : json_null(),
                                "usual_samples", n, "year_plan", plan > 0 ? json_money(plan) : json_null(), "year_approved",
                                json_money(done), "warnings", warn));
}

/* GET /api/v1/reports/{id} — with its photos and its plausibility checks
 * (what the review card warns about). */
static void report_get(req *r) {
  report_ref rp;
  if (!report_open(r, &rp)) return;
  json_t *o = report_json(r->db, rp.id);
  if (!o) return reply_db_error(r, db_errcode(r->db));
  report_checks(r->db, rp.id, o);
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)rp.version));
  reply_json(r, 200, o);
}

/* PATCH /api/v1/reports/{id} {investment, image_progress, percent, problems, version}
 * A submitted report can be corrected before review; a returned one is
 * corrected and thereby resubmitted.  Approved reports are final. */
static void report_update(req *r) {
  report_ref rp;
  if (!report_open(r, &rp)) return;
  if (!can_submit(rp.sc)) return reply_forbidden(r, "无权修改该填报", "you may not change this report");
  static const char *const fields[] = {"investment", "image_progress", "percent", "problems", "version", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *image = NULL, *problems = NULL;
  int64_t inv = 0, percent = 0;
  int has_inv, has_image, has_percent, has_problems;
  read_report_input(r, in, 0, NULL, &inv, &has_inv, &image, &has_image, &percent, &has_percent, &problems, &has_problems);
  int64_t want = req_version(r, in);
  if (!want && !has_errors(r)) field_error(r, "version", "请带上读取时的版本号（If-Match 或 version）", "send the version you read (If-Match or version)");
  if (has_errors(r)) return reply_invalid(r);
  if (strcmp(rp.state, "approved") == 0) {
    reply_problem(r, 409, "已审核通过 / Already approved", "已通过的填报不能再修改 / An approved report cannot be changed");
    return;
  }
  json_t *before = report_json(r->db, rp.id);
  strbuf sql = STRBUF_INIT;
  db_val args[12];
  int n = 0;
  const char *now = now_rfc3339(&r->a);
  sb_adds(&sql, "UPDATE reports SET version = version + 1, updated_at = ?, state = 'submitted'");
  args[n++] = DBT(now);
  if (strcmp(rp.state, "returned") == 0) {
    /* Resubmission: a new submission time; the late flag of the first
     * submission stays (the delay since is the reviewer's). */
    sb_adds(&sql, ", submitted_at = ?, submitted_by = ?");
    args[n++] = DBT(now);
    args[n++] = DBI(r->user.id);
  }
  if (has_inv) sb_adds(&sql, ", investment = ?"), args[n++] = DBI(inv);
  if (has_image) sb_adds(&sql, ", image_progress = ?"), args[n++] = DBT(image);
  if (has_percent) sb_adds(&sql, ", percent = ?"), args[n++] = has_percent == 1 ? DBI(percent) : DBNULL;
  if (has_problems) sb_adds(&sql, ", problems = ?"), args[n++] = DBT(problems);
  sb_adds(&sql, " WHERE id = ? AND version = ? AND state <> 'approved'");
  args[n++] = DBI(rp.id);
  args[n++] = DBI(want);
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = db_execv(r->db, sb_str(&sql), n, args);
  sb_release(&sql);
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    reply_problem(r, 409, "版本冲突 / Version conflict", "该填报已被他人修改，请刷新后重试 / The report was changed meanwhile; reload and retry");
    return;
  }
  report_commit(r, rc, strcmp(rp.state, "returned") == 0 ? "resubmit" : "update", rp.id, before);
}

/* POST /api/v1/reports/{id}/review {decision: approve|return, reason, version} */
static void report_review(req *r) {
  report_ref rp;
  if (!report_open(r, &rp)) return;
  static const char *const fields[] = {"decision", "reason", "version", NULL};
  static const char *const decisions[] = {"approve", "return", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *decision = NULL, *reason = NULL;
  jenum(r, in, "decision", 1, decisions, &decision);
  jstr(r, in, "reason", 0, 1000, &reason);
  int64_t want = req_version(r, in);
  if (decision && strcmp(decision, "return") == 0 && (!reason || !*reason))
    field_error(r, "reason", "退回时必须说明原因", "a reason is required to return a report");
  if (has_errors(r) || !decision) return reply_invalid(r);
  if (strcmp(rp.state, "submitted") != 0) {
    reply_problem(r, 409, "状态不允许审核 / Not awaiting review",
                  strcmp(rp.state, "approved") == 0 ? "该填报已审核通过 / The report is already approved"
                                                 : "该填报已退回，待填报单位修改后重新提交 / The report was returned and awaits correction");
    return;
  }
  int approve = strcmp(decision, "approve") == 0;
  json_t *before = report_json(r->db, rp.id);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 want ? "UPDATE reports SET state = ?, reviewed_by = ?, reviewed_at = ?, review_reason = ?, version = version + 1, "
                        "updated_at = ? WHERE id = ? AND state = 'submitted' AND version = ?"
                      : "UPDATE reports SET state = ?, reviewed_by = ?, reviewed_at = ?, review_reason = ?, version = version + 1, "
                        "updated_at = ? WHERE id = ? AND state = 'submitted' AND version >= ?",
                 DBT(approve ? "approved" : "returned"), DBI(r->user.id), DBT(now), DBT(reason), DBT(now), DBI(rp.id), DBI(want));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    reply_problem(r, 409, "版本冲突 / Version conflict", "该填报已被修改或审核，请刷新 / The report changed meanwhile; reload");
    return;
  }
  /* The dashboard's summary moves in the same transaction as the approval. */
  if (rc == DB_OK && approve) {
    db_stmt *st = db_query(r->db, "SELECT period, investment FROM reports WHERE id = ?", DBI(rp.id));
    if (st && db_step(st) == DB_ROW) {
      const char *period = arena_strdup(&r->a, db_text(st, 0));
      int64_t inv = db_int(st, 1);
      db_done(st);
      rc = report_totals_add(r->db, rp.pid, period, inv);
    } else {
      db_done(st);
      rc = DB_ERROR;
    }
  }
  report_commit(r, rc, approve ? "approve" : "return", rp.id, before);
}

/* POST /api/v1/reports/{id}/photos — the body is the image itself. */
static void report_photo_add(req *r) {
  report_ref rp;
  if (!report_open(r, &rp)) return;
  if (!can_submit(rp.sc)) return reply_forbidden(r, "无权为该填报上传照片", "you may not add photos to this report");
  if (strcmp(rp.state, "approved") == 0) {
    reply_problem(r, 409, "已审核通过 / Already approved", "已通过的填报不能再添加照片 / An approved report cannot get new photos");
    return;
  }
  if (db_int1(r->db, 0, "SELECT COUNT(*) FROM attachments WHERE entity = 'report' AND entity_id = ?", DBI(rp.id)) >= 20) {
    reply_problem(r, 409, "照片过多 / Too many photos", "每份填报最多20张照片 / At most 20 photos per report");
    return;
  }
  attach_upload(r, "report", rp.id, ATTACH_PHOTO);
}

/* ---- lists ---- */

static const char *const list_states[] = {"submitted", "returned", "approved", "not_due", "due", "late", NULL};

/* Appends the unit filter (the unit and its sub-units) on p.unit_id. */
static void unit_filter(strbuf *w, db_val *args, int *n, int64_t unit) {
  sb_adds(w, " AND p.unit_id IN (SELECT id FROM units WHERE path LIKE (SELECT path FROM units WHERE id = ?) || '%')");
  args[(*n)++] = DBI(unit);
}

/* Appends the filter on the project's name or code containing q. */
static void name_filter(req *r, strbuf *w, db_val *args, int *n, const char *q) {
  if (!q || !*q) return;
  const char *pat = arena_printf(&r->a, "%%%s%%", q);
  sb_adds(w, " AND (p.name LIKE ? OR p.code LIKE ?)");
  args[(*n)++] = DBT(pat);
  args[(*n)++] = DBT(pat);
}

/* Ends the WHERE clause w (released) with the user's project scope. */
static const char *scoped_where(req *r, strbuf *w, db_val *args, int *n) {
  project_scope_sql(r, w, args, n);
  const char *ws = arena_strdup(&r->a, sb_str(w));
  sb_release(w);
  return ws;
}

/* The period's year and month, its deadline (YYYY-MM-DD) and its derived
 * state today (progress.h). */
static int period_deadline(db *d, const char *period, int *y, int *m, char deadline[11]) {
  month_parse(period, y, m);
  int dl = report_deadline_day(d);
  date_format(progress_deadline(*y, *m, dl), deadline);
  return progress_period_state(*y, *m, clock_today(), dl);
}

static int want_export(req *r) {
  const char *f = req_arg(r, "format");
  return f && (strcmp(f, "xlsx") == 0 || strcmp(f, "csv") == 0);
}

/* Projects without a report for `period` in the derived state asked for. */
static void list_missing_projects(req *r, const char *period, const char *state, int64_t unit, int64_t project, const char *q,
                                  page *p) {
  int y, m;
  char deadline[11];
  int derived = period_deadline(r->db, period, &y, &m, deadline);
  strbuf w = STRBUF_INIT;
  db_val args[12];
  int n = 0;
  sb_adds(&w, " WHERE" REPORT_REQUIRED_SQL " AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.project_id = p.id AND r.period = ?)");
  args[n++] = DBI(y);
  args[n++] = DBT(period);
  /* All missing reports of one period share its derived state. */
  if (strcmp(state, period_state_name(derived)) != 0) sb_adds(&w, " AND 1 = 0");
  if (unit) unit_filter(&w, args, &n, unit);
  if (project) sb_adds(&w, " AND p.id = ?"), args[n++] = DBI(project);
  name_filter(r, &w, args, &n, q);
  const char *ws = scoped_where(r, &w, args, &n);
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) FROM projects p%s", ws), n, args);
  args[n++] = DBI(p->per_page);
  args[n++] = DBI(p->offset);
  db_stmt *st = db_prepare(r->db,
                           arena_printf(&r->a, "SELECT p.id AS project_id, p.code AS project_code, p.name AS project_name, p.unit_id, "
                                               "u.name AS unit_name FROM projects p JOIN units u ON u.id = p.unit_id%s "
                                               "ORDER BY u.name, p.code LIMIT ? OFFSET ?",
                                        ws),
                           n, args);
  if (!st || total < 0) {
    db_done(st);
    return reply_db_error(r, db_errcode(r->db));
  }
  json_t *items = json_array();
  while (db_step(st) == DB_ROW) {
    json_t *o = db_row_json(st);
    json_object_set_new(o, "id", json_null());
    json_object_set_new(o, "period", json_string(period));
    json_object_set_new(o, "state", json_string(state));
    json_object_set_new(o, "deadline", json_string(deadline));
    json_array_append_new(items, o);
  }
  db_done(st);
  reply_list(r, items, total, p);
}

/* GET /api/v1/reports?period&state&unit&project&q&late&page&per_page&sort&format */
static void reports_list(req *r) {
  static const char *const sorts[] = {"period", "r.period", "investment", "r.investment", "submitted_at", "r.submitted_at",
                                      "project_name", "p.name", "unit_name", "u.name", "state", "r.state", "id", "r.id", NULL};
  page p;
  req_page(r, &p);
  if (want_export(r)) p.per_page = 100000, p.offset = 0;
  const char *period = qmonth(r, "period");
  const char *state = qenum(r, "state", list_states);
  int64_t unit = qint(r, "unit", 1, INT64_MAX, 0);
  int64_t project = qint(r, "project", 1, INT64_MAX, 0);
  int64_t late = qint(r, "late", 0, 1, -1);
  const char *q = req_arg(r, "q");
  const char *order = req_sort(r, sorts, "r.period DESC, r.id DESC");
  int derived = state && (strcmp(state, "not_due") == 0 || strcmp(state, "due") == 0 || strcmp(state, "late") == 0);
  if (derived && !period && !has_errors(r))
    field_error(r, "period", "按未到期/待填报/逾期筛选时必须指定月份", "a period is required to list projects by not_due/due/late");
  if (has_errors(r)) return reply_invalid(r);
  if (derived) return list_missing_projects(r, period, state, unit, project, q, &p);

  strbuf w = STRBUF_INIT;
  db_val args[16];
  int n = 0;
  sb_adds(&w, " WHERE 1 = 1");
  if (period) sb_adds(&w, " AND r.period = ?"), args[n++] = DBT(period);
  if (state) sb_adds(&w, " AND r.state = ?"), args[n++] = DBT(state);
  if (unit) unit_filter(&w, args, &n, unit);
  if (project) sb_adds(&w, " AND r.project_id = ?"), args[n++] = DBI(project);
  if (late >= 0) sb_adds(&w, " AND r.late = ?"), args[n++] = DBI(late);
  name_filter(r, &w, args, &n, q);
  const char *ws = scoped_where(r, &w, args, &n);
  int64_t total = db_int1v(r->db, -1,
                           arena_printf(&r->a, "SELECT COUNT(*) FROM reports r JOIN projects p ON p.id = r.project_id "
                                               "JOIN units u ON u.id = p.unit_id%s", ws),
                           n, args);
  args[n++] = DBI(p.per_page);
  args[n++] = DBI(p.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, REPORT_SELECT "%s ORDER BY %s LIMIT ? OFFSET ?", ws, order), n, args);
  reply_rows(r, st, total, &p);
}

/* GET /api/v1/projects/{id}/reports?page&per_page — newest period first. */
static void project_reports(req *r) {
  int64_t pid = req_id(r, 0);
  if (!pid) return;
  if (project_scope(r, pid) < PSCOPE_READ) return reply_not_found(r, "项目", "project");
  page p;
  req_page(r, &p);
  if (want_export(r)) p.per_page = 100000, p.offset = 0;
  int64_t total = db_int1(r->db, -1, "SELECT COUNT(*) FROM reports WHERE project_id = ?", DBI(pid));
  db_stmt *st = db_query(r->db, REPORT_SELECT " WHERE r.project_id = ? ORDER BY r.period DESC LIMIT ? OFFSET ?", DBI(pid),
                         DBI(p.per_page), DBI(p.offset));
  reply_rows(r, st, total, &p);
}

/* The period to show when none is asked for: last month (the one being
 * reported now). */
static const char *default_period(req *r) {
  int y, m, d;
  date_to_ymd(clock_today(), &y, &m, &d);
  progress_prev_month(&y, &m);
  char *buf = arena_alloc(&r->a, 8);
  progress_period(y, m, buf);
  return buf;
}

/* GET /api/v1/reports/missing?period — per unit: how many projects owe a
 * report, how many were submitted, approved, returned, and which are
 * missing, with the period's derived state and deadline. */
static void reports_missing(req *r) {
  const char *period = qmonth(r, "period");
  if (has_errors(r)) return reply_invalid(r);
  if (!period) period = default_period(r);
  int y, m;
  char deadline[11];
  int derived = period_deadline(r->db, period, &y, &m, deadline);
  strbuf w = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  args[n++] = DBT(period);
  sb_adds(&w, " WHERE" REPORT_REQUIRED_SQL);
  args[n++] = DBI(y);
  const char *ws = scoped_where(r, &w, args, &n);
  db_stmt *st = db_prepare(r->db,
                           arena_printf(&r->a, "SELECT p.unit_id, u.name, p.id, p.code, p.name, r.state FROM projects p "
                                               "JOIN units u ON u.id = p.unit_id LEFT JOIN reports r ON r.project_id = p.id AND r.period = ?%s "
                                               "ORDER BY u.name, p.unit_id, p.code",
                                        ws),
                           n, args);
  if (!st) return reply_db_error(r, db_errcode(r->db));
  json_t *items = json_array();
  json_t *cur = NULL, *missing = NULL;
  int64_t cur_unit = 0, total_required = 0, total_missing = 0;
  while (db_step(st) == DB_ROW) {
    int64_t unit = db_int(st, 0);
    if (!cur || unit != cur_unit) {
      cur = json_pack("{s:I, s:s, s:i, s:i, s:i, s:i, s:i, s:[]}", "unit_id", (json_int_t)unit, "unit_name", db_text(st, 1),
                      "required", 0, "submitted", 0, "approved", 0, "returned", 0, "missing", 0, "projects");
      missing = json_object_get(cur, "projects");
      json_array_append_new(items, cur);
      cur_unit = unit;
    }
    const char *state = db_isnull(st, 5) ? NULL : db_text(st, 5);
    const char *key = !state ? "missing" : state;
    json_object_set_new(cur, "required", json_integer(json_integer_value(json_object_get(cur, "required")) + 1));
    json_object_set_new(cur, key, json_integer(json_integer_value(json_object_get(cur, key)) + 1));
    total_required++;
    if (!state) {
      total_missing++;
      json_array_append_new(missing, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_int(st, 2), "code", db_text(st, 3),
                                               "name", db_text(st, 4)));
    }
  }
  db_done(st);
  /* Units with the most missing reports first. */
  size_t nu = json_array_size(items);
  for (size_t i = 1; i < nu; i++)
    for (size_t j = i; j > 0; j--) {
      json_int_t a = json_integer_value(json_object_get(json_array_get(items, j - 1), "missing"));
      json_int_t b = json_integer_value(json_object_get(json_array_get(items, j), "missing"));
      if (a >= b) break;
      json_t *t = json_incref(json_array_get(items, j));
      json_array_set(items, j, json_array_get(items, j - 1));
      json_array_set_new(items, j - 1, t);
    }
  for (size_t i = 0; i < nu; i++) {
    json_t *u = json_array_get(items, i);
    json_object_set_new(u, "state", json_string(json_integer_value(json_object_get(u, "missing")) ? period_state_name(derived) : "complete"));
    json_object_set_new(u, "missing_names", json_null());
  }
  if (want_export(r)) {
    /* Spreadsheet: one line per unit with the missing projects' names. */
    arena *a = &r->a;
    for (size_t i = 0; i < nu; i++) {
      json_t *u = json_array_get(items, i), *ps = json_object_get(u, "projects");
      strbuf names = STRBUF_INIT;
      for (size_t k = 0; k < json_array_size(ps); k++)
        sb_addf(&names, "%s%s", k ? "、" : "", json_string_value(json_object_get(json_array_get(ps, k), "name")));
      json_object_set_new(u, "missing_names", json_string(arena_strdup(a, sb_str(&names))));
      sb_release(&names);
    }
    page pg = {1, (int64_t)nu, 0};
    return reply_list(r, items, (int64_t)nu, &pg);
  }
  json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:o}", "period", period, "state", period_state_name(derived), "deadline",
                        deadline, "required", (json_int_t)total_required, "missing", (json_int_t)total_missing, "items", items);
  json_object_set_new(o, "total", json_integer((json_int_t)nu));
  reply_json(r, 200, o);
}

/* ---- the monthly summary (发改局 layout) ---- */

typedef struct sum_row {
  const char *code, *name, *unit, *image, *state;
  int64_t plan, month, ytd;
} sum_row;

static int write_summary_xlsx(const char *path, const char *title, const sum_row *rows, size_t n, int64_t tplan, int64_t tmonth,
                              int64_t tytd) {
  lxw_workbook *wb = workbook_new(path);
  if (!wb) return -1;
  lxw_worksheet *ws = workbook_add_worksheet(wb, "月度汇总");
  lxw_format *tf = workbook_add_format(wb);
  format_set_bold(tf);
  format_set_font_size(tf, 14);
  format_set_align(tf, LXW_ALIGN_CENTER);
  lxw_format *hf = workbook_add_format(wb);
  format_set_bold(hf);
  format_set_border(hf, LXW_BORDER_THIN);
  format_set_align(hf, LXW_ALIGN_CENTER);
  format_set_text_wrap(hf);
  format_set_bg_color(hf, 0xDDEBF7);
  lxw_format *cf = workbook_add_format(wb);
  format_set_border(cf, LXW_BORDER_THIN);
  format_set_text_wrap(cf);
  lxw_format *nf = workbook_add_format(wb);
  format_set_border(nf, LXW_BORDER_THIN);
  format_set_num_format(nf, "#,##0.00");
  lxw_format *bf = workbook_add_format(wb);
  format_set_border(bf, LXW_BORDER_THIN);
  format_set_bold(bf);
  lxw_format *bnf = workbook_add_format(wb);
  format_set_border(bnf, LXW_BORDER_THIN);
  format_set_bold(bnf);
  format_set_num_format(bnf, "#,##0.00");
  static const char *const heads[] = {"序号", "项目编号", "项目名称", "责任单位", "年度计划投资（万元）", "本月完成投资（万元）",
                                      "年度累计完成投资（万元）", "年度投资完成率（%）", "形象进度", "本月填报状态"};
  static const double widths[] = {6, 12, 34, 22, 14, 14, 16, 12, 40, 12};
  for (int c = 0; c < 10; c++) worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
  worksheet_merge_range(ws, 0, 0, 0, 9, title, tf);
  for (int c = 0; c < 10; c++) worksheet_write_string(ws, 1, (lxw_col_t)c, heads[c], hf);
  char rate[32];
  lxw_row_t row = 2;
  for (size_t i = 0; i < n; i++, row++) {
    const sum_row *s = &rows[i];
    worksheet_write_number(ws, row, 0, (double)(i + 1), cf);
    export_write_text(ws, row, 1, s->code, cf);
    export_write_text(ws, row, 2, s->name, cf);
    export_write_text(ws, row, 3, s->unit, cf);
    /* 万元 with two decimals: fen / 1e6 is exact enough for display, the
     * exact yuan figures are in the API. */
    worksheet_write_number(ws, row, 4, (double)s->plan / 1e6, nf);
    worksheet_write_number(ws, row, 5, (double)s->month / 1e6, nf);
    worksheet_write_number(ws, row, 6, (double)s->ytd / 1e6, nf);
    rate_format(s->ytd, s->plan, rate);
    worksheet_write_number(ws, row, 7, strtod(rate, NULL), nf);
    export_write_text(ws, row, 8, s->image ? s->image : "", cf);
    worksheet_write_string(ws, row, 9, s->state, cf);
  }
  worksheet_merge_range(ws, row, 0, row, 3, "合计", bf);
  worksheet_write_number(ws, row, 4, (double)tplan / 1e6, bnf);
  worksheet_write_number(ws, row, 5, (double)tmonth / 1e6, bnf);
  worksheet_write_number(ws, row, 6, (double)tytd / 1e6, bnf);
  rate_format(tytd, tplan, rate);
  worksheet_write_number(ws, row, 7, strtod(rate, NULL), bnf);
  worksheet_write_blank(ws, row, 8, bf);
  worksheet_write_blank(ws, row, 9, bf);
  worksheet_freeze_panes(ws, 2, 3);
  worksheet_set_landscape(ws);
  worksheet_fit_to_pages(ws, 1, 0);
  return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

static const char *state_zh(const char *s) {
  if (!s) return "未填报";
  if (strcmp(s, "approved") == 0) return "已通过";
  if (strcmp(s, "submitted") == 0) return "待审核";
  if (strcmp(s, "returned") == 0) return "已退回";
  return s;
}

/* GET /api/v1/reports/summary?period=YYYY-MM[&format=xlsx]
 * Every project that owes a report (or has one) for the period: annual
 * plan, this month, year to date (approved only), rate, image progress. */
static void reports_summary(req *r) {
  const char *period = qmonth(r, "period");
  const char *format = req_arg(r, "format");
  if (format && strcmp(format, "xlsx") != 0 && strcmp(format, "json") != 0)
    field_error(r, "format", "只支持 xlsx 或 json", "only xlsx or json");
  if (has_errors(r)) return reply_invalid(r);
  if (!period) period = default_period(r);
  int y, m;
  month_parse(period, &y, &m);
  char first[8];
  progress_period(y, 1, first);
  strbuf w = STRBUF_INIT;
  db_val args[10];
  int n = 0;
  args[n++] = DBT(first);
  args[n++] = DBT(period);
  args[n++] = DBI(y);
  args[n++] = DBT(period);
  sb_adds(&w, " WHERE (p.stage <> 'reserve' AND (COALESCE(pp.amount, 0) > 0 OR r.id IS NOT NULL))");
  const char *ws = scoped_where(r, &w, args, &n);
  db_stmt *st = db_prepare(
      r->db,
      arena_printf(&r->a,
                   "SELECT p.id, p.code, p.name, u.name, r.state, r.investment, r.image_progress, "
                   "COALESCE((SELECT SUM(x.investment) FROM reports x WHERE x.project_id = p.id AND x.state = 'approved' "
                   "AND x.period >= ? AND x.period <= ?), 0), COALESCE(pp.amount, 0), r.id "
                   "FROM projects p JOIN units u ON u.id = p.unit_id "
                   "LEFT JOIN project_plans pp ON pp.project_id = p.id AND pp.year = ? "
                   "LEFT JOIN reports r ON r.project_id = p.id AND r.period = ?%s ORDER BY p.level, p.code",
                   ws),
      n, args);
  if (!st) return reply_db_error(r, db_errcode(r->db));
  size_t cap = 64, nrows = 0;
  sum_row *rows = malloc(cap * sizeof *rows);
  json_t *items = json_array();
  int64_t tplan = 0, tmonth = 0, tytd = 0;
  while (rows && db_step(st) == DB_ROW) {
    if (nrows == cap) {
      sum_row *nr = realloc(rows, (cap *= 2) * sizeof *rows);
      if (!nr) break;
      rows = nr;
    }
    sum_row *s = &rows[nrows++];
    s->code = arena_strdup(&r->a, db_text(st, 1));
    s->name = arena_strdup(&r->a, db_text(st, 2));
    s->unit = arena_strdup(&r->a, db_text(st, 3));
    const char *state = db_isnull(st, 4) ? NULL : arena_strdup(&r->a, db_text(st, 4));
    s->state = state_zh(state);
    /* Only approved figures count; a pending report shows its state only. */
    s->month = state && strcmp(state, "approved") == 0 ? db_int(st, 5) : 0;
    s->image = db_isnull(st, 6) ? NULL : arena_strdup(&r->a, db_text(st, 6));
    s->ytd = db_int(st, 7);
    s->plan = db_int(st, 8);
    tplan += s->plan, tmonth += s->month, tytd += s->ytd;
    char rate[32];
    rate_format(s->ytd, s->plan, rate);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s?, s:s?, s:s}", "project_id", (json_int_t)db_int(st, 0),
                          "code", s->code, "name", s->name, "unit_name", s->unit, "annual_plan", json_money(s->plan), "month",
                          json_money(s->month), "ytd", json_money(s->ytd), "rate", rate, "image_progress", s->image, "state",
                          state, "state_zh", s->state);
    json_array_append_new(items, o);
  }
  db_done(st);
  if (format && strcmp(format, "xlsx") == 0) {
    json_decref(items);
    char path[] = "/tmp/guatu-summary-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
      free(rows);
      return reply_problem(r, 500, "导出失败 / Export failed", "无法创建临时文件 / Cannot create a temporary file");
    }
    close(fd);
    const char *title = arena_printf(&r->a, "重点项目%d年%d月投资完成情况表", y, m);
    int rc = write_summary_xlsx(path, title, rows, nrows, tplan, tmonth, tytd);
    free(rows);
    FILE *f = rc == 0 ? fopen(path, "rb") : NULL;
    strbuf buf = STRBUF_INIT;
    char chunk[65536];
    size_t k;
    while (f && (k = fread(chunk, 1, sizeof chunk, f)) > 0) sb_add(&buf, chunk, k);
    if (f) fclose(f);
    unlink(path);
    if (rc != 0 || !f || buf.overflow) {
      sb_release(&buf);
      return reply_problem(r, 500, "导出失败 / Export failed", "无法生成表格 / Could not write the spreadsheet");
    }
    reply_bytes(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.buf, buf.len);
    sb_release(&buf);
    const char *fname = arena_printf(&r->a, "重点项目投资完成情况-%s.xlsx", period);
    strbuf enc = STRBUF_INIT;
    for (const unsigned char *c = (const unsigned char *)fname; *c; c++) {
      if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '.')
        sb_add(&enc, (const char *)c, 1);
      else
        sb_addf(&enc, "%%%02X", *c);
    }
    reply_header(r, "Content-Disposition",
                 arena_printf(&r->a, "attachment; filename=\"summary-%s.xlsx\"; filename*=UTF-8''%s", period, sb_str(&enc)));
    sb_release(&enc);
    return;
  }
  free(rows);
  char rate[32];
  rate_format(tytd, tplan, rate);
  json_t *o = json_pack("{s:s, s:o, s:{s:o, s:o, s:o, s:s}}", "period", period, "items", items, "totals", "annual_plan",
                        json_money(tplan), "month", json_money(tmonth), "ytd", json_money(tytd), "rate", rate);
  reply_json(r, 200, o);
}

/* ---- settings and targets ---- */

/* GET /api/v1/reports/settings → {deadline_day} */
static void settings_get(req *r) { reply_json(r, 200, json_pack("{s:i}", "deadline_day", report_deadline_day(r->db))); }

/* PUT /api/v1/reports/settings {deadline_day 1..28} */
static void settings_put(req *r) {
  static const char *const fields[] = {"deadline_day", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  int64_t day;
  jint(r, in, "deadline_day", 1, 1, 28, &day);
  if (has_errors(r)) return reply_invalid(r);
  json_t *before = json_pack("{s:i}", "deadline_day", report_deadline_day(r->db));
  json_t *after = json_pack("{s:i}", "deadline_day", (int)day);
  char buf[8];
  snprintf(buf, sizeof buf, "%d", (int)day);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 DBT("report.deadline_day"), DBT(buf));
  if (rc == DB_OK) rc = audit_log(r, "update", "report_settings", 0, before, after);
  commit_reply(r, rc, before, after, 200);
}

static int target_year(req *r) {
  char *end;
  long y = r->nparams ? strtol(r->params[0], &end, 10) : 0;
  if (!r->nparams || *end || y < 2000 || y > 2200) {
    field_error(r, "year", "年份应为2000–2200", "year must be 2000–2200");
    reply_invalid(r);
    return 0;
  }
  return (int)y;
}

static json_t *targets_json(db *d, int year) {
  db_stmt *st = db_query(d,
                         "SELECT year, start_target, complete_target, project_count, investment_target AS investment_target__m, "
                         "version, updated_at FROM year_targets WHERE year = ?",
                         DBI(year));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (!o)
    o = json_pack("{s:i, s:i, s:i, s:i, s:o, s:i, s:n}", "year", year, "start_target", 0, "complete_target", 0, "project_count",
                  0, "investment_target", json_money(0), "version", 0, "updated_at");
  return o;
}

/* GET /api/v1/targets/{year} */
static void targets_get(req *r) {
  int year = target_year(r);
  if (!year) return;
  reply_json(r, 200, targets_json(r->db, year));
}

/* PUT /api/v1/targets/{year} {start_target, complete_target, project_count, investment_target, version} */
static void targets_put(req *r) {
  int year = target_year(r);
  if (!year) return;
  static const char *const fields[] = {"start_target", "complete_target", "project_count", "investment_target", "version", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  int64_t st_ = 0, ct = 0, pc = 0, inv = 0;
  jint(r, in, "start_target", 1, 0, 100000, &st_);
  jint(r, in, "complete_target", 1, 0, 100000, &ct);
  jint(r, in, "project_count", 1, 0, 1000000, &pc);
  jmoney(r, in, "investment_target", 1, &inv);
  int64_t want = req_version(r, in);
  if (has_errors(r)) return reply_invalid(r);
  json_t *before = targets_json(r->db, year);
  int64_t have = json_integer_value(json_object_get(before, "version"));
  if (have && want && want != have) {
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict", "目标已被他人修改，请刷新 / The targets changed meanwhile; reload");
  }
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "INSERT INTO year_targets (year, start_target, complete_target, project_count, investment_target, version, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT (year) DO UPDATE SET start_target = excluded.start_target, "
                 "complete_target = excluded.complete_target, project_count = excluded.project_count, "
                 "investment_target = excluded.investment_target, version = year_targets.version + 1, updated_at = excluded.updated_at",
                 DBI(year), DBI(st_), DBI(ct), DBI(pc), DBI(inv), DBT(now));
  json_t *after = rc == DB_OK ? targets_json(r->db, year) : NULL;
  if (rc == DB_OK) rc = audit_log(r, have ? "update" : "create", "year_targets", year, before, after);
  commit_reply(r, rc, before, after, 200);
}

/* ---- command line ---- */

static int cmd_reports(int argc, char **argv) {
  static const char *usage = "usage: guatu reports rebuild-totals [--db URL]\n"
                             "  recomputes report_totals (the dashboard's summary) from the approved reports";
  if (cli_wants_help(argc, argv) || argc < 2 || strcmp(argv[1], "rebuild-totals") != 0) {
    fprintf(cli_wants_help(argc, argv) ? stdout : stderr, "%s\n", usage);
    return cli_wants_help(argc, argv) ? 0 : 2;
  }
  db *d = cli_open_db(argc, argv, usage);
  if (!d) return 1;
  int rc = db_begin(d);
  if (rc == DB_OK) rc = report_totals_rebuild(d);
  /* the stored lights follow the year-to-date just rebuilt */
  if (rc == DB_OK) rc = rollup_rebuild(d, clock_today());
  /* audited like any change, or running servers keep the old figures */
  json_t *after =
      rc == DB_OK ? json_pack("{s:I}", "rows", (json_int_t)db_int10(d, 0, "SELECT COUNT(*) FROM report_totals")) : NULL;
  int failed = cli_commit(d, "reports rebuild-totals", rc, "rebuild", "report_totals", 0, NULL, after);
  if (!failed) printf("report_totals rebuilt\n");
  db_close(d);
  return failed;
}
static const command reports_command = {"reports", "guatu reports rebuild-totals --db DB   recompute report_totals from the approved reports", cmd_reports};
COMMAND_REGISTER(reports_command)

#define R_WRITE (ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT | ROLE_ENTERPRISE)
#define R_READ (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT | ROLE_ENTERPRISE)
#define R_OFFICE (ROLE_ADMIN | ROLE_OFFICE)

static const route report_routes[] = {
    ROUTE("GET", "/api/v1/projects/{id}/reports", project_reports, R_READ, "项目的进度填报 / A project's monthly reports", 0),
    ROUTE("POST", "/api/v1/projects/{id}/reports", reports_create, R_WRITE, "提交进度填报 / Submit a monthly report", 0),
    ROUTE("GET", "/api/v1/reports/missing", reports_missing, R_READ, "未填报单位 / Who has not reported, per unit", 0),
    ROUTE("GET", "/api/v1/reports/summary", reports_summary, R_READ, "月度投资汇总表 / Monthly summary (XLSX)", 0),
    ROUTE("GET", "/api/v1/reports/settings", settings_get, R_READ, "填报截止日 / Report deadline day", 0),
    ROUTE("PUT", "/api/v1/reports/settings", settings_put, R_OFFICE, "设置填报截止日 / Set the deadline day", 0),
    ROUTE("GET", "/api/v1/reports", reports_list, R_READ, "进度填报列表 / Reports and missing reports", 0,
          DOM_REPORTS | DOM_PROJECTS | DOM_NODES | DOM_ATTACHMENTS),
    ROUTE("GET", "/api/v1/reports/{id}", report_get, R_READ, "一份进度填报 / One report", 0),
    ROUTE("PATCH", "/api/v1/reports/{id}", report_update, R_WRITE, "修改或重新提交填报 / Correct or resubmit a report", 0),
    ROUTE("POST", "/api/v1/reports/{id}/review", report_review, R_OFFICE, "审核填报 / Approve or return a report", 0),
    ROUTE("POST", "/api/v1/reports/{id}/photos", report_photo_add, R_WRITE, "上传现场照片 / Add a site photo", ATTACH_MAX_BYTES),
    ROUTE("GET", "/api/v1/targets/{year}", targets_get, R_READ, "年度目标 / The year's targets", 0),
    ROUTE("PUT", "/api/v1/targets/{year}", targets_put, R_OFFICE, "设置年度目标 / Set the year's targets", 0),
    {0},
};
static const module reports_module = {"reports", 40, report_routes, NULL, NULL, NULL};
MODULE_REGISTER(reports_module)
