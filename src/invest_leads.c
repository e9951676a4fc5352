/*
 * invest_leads.c — the attraction teams' leads (招商线索): the pipeline
 * list (the kanban and the table, with Excel export), one lead with its
 * meetings, stage history, contract terms and attachments, recording and
 * editing leads, moving them through the stages and recording meetings.
 * The investor's contact (name and phone) is personal data: masked for
 * everyone but the lead's own team, who may reveal it (audited).
 *
 * GET   /api/v1/leads?stage&team&chain&channel&investor_class&q&page&per_page&sort&format   the pipeline
 * POST  /api/v1/leads {investor, amount, chain, channel, investor_class, team_unit_id, project_name,
 *                      lead_person, contact_name, contact_phone, notes, created_on}
 * GET   /api/v1/leads/{id}?reveal=1                     with meetings, history, what the caller may do
 * PATCH /api/v1/leads/{id} {any field above but team_unit_id (office only), version}
 * POST  /api/v1/leads/{id}/stage {to, reason?, version?}
 * POST  /api/v1/leads/{id}/meetings {kind, held_on, participants, record}
 * POST  /api/v1/leads/{id}/attachments                  a document (body: the file)
 * GET   /api/v1/projects/{id}/lead                      the lead a project was signed from
 *
 * Scope: admin, office and leaders read every lead; a unit user the leads
 * of the teams in their unit scope.  Writing is the team's (and the
 * office's).  Enterprises, banks and the public see none.
 */
#include <stdio.h>
#include <string.h>

#include "attachments.h"
#include "auth.h"
#include "calendar.h"
#include "clock.h"
#include "http.h"
#include "invest.h"
#include "land.h"
#include "projects.h"
#include "reports.h"

#define LEAD_SELECT                                                                                                    \
  "SELECT l.id, l.investor, l.project_name, l.amount AS amount__m, l.chain, l.channel, l.investor_class, "            \
  "l.team_unit_id, u.name AS team_name, l.lead_person, l.contact_name, l.contact_phone, l.notes, " INVEST_STAGE_SQL   \
  " AS stage, l.stage AS recorded_stage, l.lost_reason, l.signed_on, l.promised_start, "                              \
  "l.promised_investment AS promised_investment__m, l.promised_tax AS promised_tax__m, l.land_area AS land_area__a, " \
  "l.project_id, p.name AS project_name_in_library, p.stage AS project_stage, " INVEST_STARTED_SQL                    \
  " AS started_on, l.version, l.created_on, l.created_at, l.updated_at "                                              \
  "FROM leads l JOIN units u ON u.id = l.team_unit_id LEFT JOIN projects p ON p.id = l.project_id "

static const char *const lead_fields[] = {"investor",      "amount", "chain",      "channel", "investor_class",
                                          "team_unit_id",  "project_name", "lead_person", "contact_name",
                                          "contact_phone", "notes",  "created_on", "version", NULL};

/* ---- JSON ---- */

/* "张**": the first character (UTF-8) and a star for each of the rest. */
static void mask_name(const char *s, char *buf, size_t n) {
  size_t len = strlen(s), first = 1;
  while (first < len && ((unsigned char)s[first] & 0xC0) == 0x80) first++;
  if (first >= len || first + 1 >= n) {
    snprintf(buf, n, "*");
    return;
  }
  memcpy(buf, s, first);
  size_t o = first;
  for (size_t i = first; i < len && o + 1 < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) buf[o++] = '*';
  buf[o] = 0;
}

static void lead_finish(json_t *o, int full) {
  const char *name = json_string_value(json_object_get(o, "contact_name"));
  const char *ph = json_string_value(json_object_get(o, "contact_phone"));
  if (!full) {
    char buf[128];
    if (name && *name) {
      mask_name(name, buf, sizeof buf);
      json_object_set_new(o, "contact_name", json_string(buf));
    }
    if (ph && *ph) {
      land_mask_phone(ph, buf, sizeof buf);
      json_object_set_new(o, "contact_phone", json_string(buf));
    }
  }
  json_object_set_new(o, "contacts_masked", json_boolean(!full));
  int st = code_index(invest_stages, json_string_value(json_object_get(o, "stage")));
  json_object_set_new(o, "stage_name", json_string(st >= 0 ? invest_stages_zh[st] : ""));
  int cl = code_index(invest_classes, json_string_value(json_object_get(o, "investor_class")));
  json_object_set_new(o, "investor_class_name", json_string(cl >= 0 ? invest_classes_zh[cl] : ""));
  json_object_set_new(o, "top500", json_boolean(cl >= 0 && cl != 3));
}

/* The contract's 履约 figures: started against the promise, investment
 * arrived (approved monthly reports, reports.h) against the promise. */
static void lead_fulfilment(db *d, json_t *o, int32_t today) {
  int64_t pid = json_integer_value(json_object_get(o, "project_id"));
  const char *ps = json_string_value(json_object_get(o, "promised_start"));
  if (!pid || !ps) {
    json_object_set_new(o, "fulfilment", json_null());
    return;
  }
  int32_t promised, started = INVEST_NO_DAY;
  const char *so = json_string_value(json_object_get(o, "started_on"));
  if (date_parse(ps, &promised) != 0) promised = INVEST_NO_DAY;
  if (so && date_parse(so, &started) != 0) started = INVEST_NO_DAY;
  int f = invest_fulfilment(promised, started, today);
  int64_t arrived = report_approved_total(d, pid);
  int64_t promised_inv = 0;
  db_stmt *st = db_query(d, "SELECT promised_investment FROM leads WHERE id = ?", DBI(json_integer_value(json_object_get(o, "id"))));
  if (st && db_step(st) == DB_ROW && !db_isnull(st, 0)) promised_inv = db_int(st, 0);
  db_done(st);
  char rate[32];
  int has = invest_rate(arrived, promised_inv, rate) == 0;
  static const char *const fs[] = {"not_due", "kept", "late"};
  static const char *const fs_zh[] = {"未到期", "按期开工", "逾期未开工"};
  const char *zh = fs_zh[f];
  if (f == FU_LATE && started != INVEST_NO_DAY) zh = "延期开工";
  json_object_set_new(o, "fulfilment",
                      json_pack("{s:s, s:s, s:o, s:o}", "start", fs[f], "start_name", zh, "investment_arrived", json_money(arrived),
                                "investment_rate", has ? json_string(rate) : json_null()));
}

json_t *invest_lead_json(db *d, int64_t id, int full, int detail) {
  db_stmt *st = db_query(d, LEAD_SELECT "WHERE l.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (!o) return NULL;
  lead_finish(o, full);
  if (!detail) return o;
  lead_fulfilment(d, o, clock_today());
  json_t *ms = json_array();
  st = db_query(d,
                "SELECT m.id, m.kind, m.held_on, m.participants, m.record, m.user_id, us.name AS user_name, m.created_at "
                "FROM lead_meetings m LEFT JOIN users us ON us.id = m.user_id WHERE m.lead_id = ? ORDER BY m.held_on, m.id",
                DBI(id));
  while (st && db_step(st) == DB_ROW) {
    json_t *m = db_row_json(st);
    int k = code_index(invest_meeting_kinds, json_string_value(json_object_get(m, "kind")));
    json_object_set_new(m, "kind_name", json_string(k >= 0 ? invest_meeting_kinds_zh[k] : ""));
    json_array_append_new(ms, m);
  }
  db_done(st);
  json_object_set_new(o, "meetings", ms);
  json_t *ev = json_array();
  st = db_query(d,
                "SELECT e.id, e.from_stage, e.to_stage, e.reason, e.user_id, us.name AS user_name, e.at FROM lead_events e "
                "LEFT JOIN users us ON us.id = e.user_id WHERE e.lead_id = ? ORDER BY e.id",
                DBI(id));
  while (st && db_step(st) == DB_ROW) json_array_append_new(ev, db_row_json(st));
  db_done(st);
  json_object_set_new(o, "history", ev);
  json_object_set_new(o, "attachments", attach_list_json(d, "lead", id));
  return o;
}

/* ---- scope ---- */

void invest_scope_sql(req *r, strbuf *sql, db_val *args, int *n) {
  if (scope_reads_all(r)) return;
  if (!has_role(r, ROLE_UNIT)) {
    sb_adds(sql, " AND 1 = 0");
    return;
  }
  sb_adds(sql, " AND l.team_unit_id IN (SELECT id FROM units WHERE path LIKE ?)");
  args[(*n)++] = DBT(scope_path_pattern(r));
}

int invest_may_write(req *r, int64_t team) {
  return scope_writes_all(r) || (has_role(r, ROLE_UNIT) && scope_can_write_unit(r, team));
}

int64_t invest_lead_open(req *r, int64_t id) {
  strbuf sql = STRBUF_INIT;
  db_val args[4];
  int n = 0;
  args[n++] = DBI(id);
  sb_adds(&sql, "SELECT l.team_unit_id FROM leads l WHERE l.id = ?");
  invest_scope_sql(r, &sql, args, &n);
  int64_t team = db_int1v(r->db, 0, sb_str(&sql), n, args);
  sb_release(&sql);
  if (!team) reply_not_found(r, "招商线索", "lead");
  return team;
}

void invest_etag(req *r, json_t *o) {
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
}

static json_t *lead_can(req *r, json_t *o) {
  int w = invest_may_write(r, json_integer_value(json_object_get(o, "team_unit_id")));
  int st = code_index(invest_stages, json_string_value(json_object_get(o, "recorded_stage")));
  json_t *to = json_array();
  for (int k = 0; w && k <= IS_LOST; k++) {
    int why = invest_next(st, k, 1, IV_STAGE);
    if (why == IR_OK) json_array_append_new(to, json_string(invest_stages[k]));
  }
  return json_pack("{s:b, s:b, s:b, s:o}", "edit", w && st != IS_LOST, "sign", w && st == IS_DECISION, "reveal", w,
                   "stage_to", to);
}

/* attachments of a lead: read in the lead's scope, written by its team */
static int lead_attach_read(req *r, int64_t id) {
  strbuf sql = STRBUF_INIT;
  db_val args[4];
  int n = 0;
  args[n++] = DBI(id);
  sb_adds(&sql, "SELECT 1 FROM leads l WHERE l.id = ?");
  invest_scope_sql(r, &sql, args, &n);
  int ok = has_role(r, INVEST_READERS) && db_int1v(r->db, 0, sb_str(&sql), n, args) == 1;
  sb_release(&sql);
  return ok;
}
static int lead_attach_write(req *r, int64_t id) {
  int64_t team = db_int1(r->db, 0, "SELECT team_unit_id FROM leads WHERE id = ?", DBI(id));
  return team && invest_may_write(r, team);
}
ATTACH_ENTITY_REGISTER(lead_attach, "lead", lead_attach_read, lead_attach_write)

/* ---- input ---- */

typedef struct lead_in {
  const char *investor, *chain, *channel, *klass, *project_name, *lead_person, *contact_name, *contact_phone, *notes, *created_on;
  int64_t amount, team;
} lead_in;

static int phone_ok(const char *s) {
  size_t digits = 0;
  for (const char *p = s; *p; p++) {
    if (*p >= '0' && *p <= '9') digits++;
    else if (*p != '-' && *p != ' ' && *p != '+') return 0;
  }
  return digits >= 7 && digits <= 15;
}

/* Reads and checks the fields (required ones only when creating). */
static void lead_read(req *r, json_t *in, lead_in *l, int create) {
  if (jstr(r, in, "investor", create, 200, &l->investor) == JV_SET && !*l->investor)
    field_error(r, "investor", "投资方不能为空", "the investor is required");
  if (jmoney(r, in, "amount", create, &l->amount) == JV_SET && l->amount <= 0)
    field_error(r, "amount", "意向投资额须大于零", "the amount must be above zero");
  if (jstr(r, in, "chain", create, 50, &l->chain) == JV_SET && !*l->chain)
    field_error(r, "chain", "产业链不能为空", "the industry chain is required");
  if (jstr(r, in, "channel", create, 50, &l->channel) == JV_SET && !*l->channel)
    field_error(r, "channel", "招商渠道不能为空", "the channel is required");
  jenum(r, in, "investor_class", create, invest_classes, &l->klass);
  if (jint(r, in, "team_unit_id", create, 1, INT64_MAX, &l->team) == JV_SET) {
    db_stmt *st = db_query(r->db, "SELECT kind FROM units WHERE id = ?", DBI(l->team));
    const char *kind = st && db_step(st) == DB_ROW ? arena_strdup(&r->a, db_text(st, 0)) : NULL;
    db_done(st);
    if (!kind) field_error(r, "team_unit_id", "招商单位不存在", "no such unit");
    else if (strcmp(kind, "department") != 0 && strcmp(kind, "hq") != 0 && strcmp(kind, "town") != 0)
      field_error(r, "team_unit_id", "招商单位须是部门、指挥部或镇街", "the attraction team must be a department, an HQ or a town");
  }
  jstr(r, in, "project_name", 0, 200, &l->project_name);
  jstr(r, in, "lead_person", 0, 50, &l->lead_person);
  jstr(r, in, "contact_name", 0, 50, &l->contact_name);
  if (jstr(r, in, "contact_phone", 0, 30, &l->contact_phone) == JV_SET && *l->contact_phone && !phone_ok(l->contact_phone))
    field_error(r, "contact_phone", "联系电话格式不正确（7至15位数字）", "the phone must have 7 to 15 digits");
  jstr(r, in, "notes", 0, 4000, &l->notes);
  char today[11];
  date_format(clock_today(), today);
  if (jdate(r, in, "created_on", 0, &l->created_on) == JV_SET && strcmp(l->created_on, today) > 0)
    field_error(r, "created_on", "登记日期不能晚于今天", "the day recorded may not be in the future");
  if (create && !l->created_on) l->created_on = arena_strdup(&r->a, today);
}

static const char *nz(const char *s) { return s && *s ? s : NULL; }

/* ---- handlers ---- */

/* GET /api/v1/leads */
static void leads_list(req *r) {
  static const char *const sorts[] = {"id", "l.id", "investor", "l.investor", "amount", "l.amount", "team_name", "u.name",
                                      "stage", "l.stage", "created_on", "l.created_on", "signed_on", "l.signed_on",
                                      "promised_investment", "l.promised_investment", "chain", "l.chain", NULL};
  page pg;
  req_page(r, &pg);
  int64_t team = qint(r, "team", 1, INT64_MAX, 0);
  const char *stage = qenum(r, "stage", invest_stages);
  const char *klass = qenum(r, "investor_class", invest_classes);
  const char *chain = req_arg(r, "chain"), *channel = req_arg(r, "channel"), *q = req_arg(r, "q");
  const char *order = req_sort(r, sorts, "l.id DESC");
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val args[16];
  int n = 0;
  if (team) {
    sb_adds(&w, " AND l.team_unit_id IN (SELECT id FROM units WHERE path LIKE (SELECT path FROM units WHERE id = ?) || '%')");
    args[n++] = DBI(team);
  }
  if (stage) {
    /* the shown stage, written so that the stored stage's index narrows it */
    int k = code_index(invest_stages, stage);
    if (k == IS_STARTED)
      sb_adds(&w, " AND l.stage IN ('signed', 'registered') AND p.stage IN ('construction', 'completed')");
    else if (k == IS_PRODUCTION)
      sb_adds(&w, " AND l.stage IN ('signed', 'registered') AND p.stage = 'production'");
    else {
      sb_adds(&w, " AND l.stage = ?");
      args[n++] = DBT(stage);
      if (k == IS_SIGNED || k == IS_REGISTERED)
        sb_adds(&w, " AND (p.stage IS NULL OR p.stage NOT IN ('construction', 'completed', 'production'))");
    }
  }
  if (klass) {
    sb_adds(&w, " AND l.investor_class = ?");
    args[n++] = DBT(klass);
  }
  if (chain && *chain) {
    sb_adds(&w, " AND l.chain = ?");
    args[n++] = DBT(chain);
  }
  if (channel && *channel) {
    sb_adds(&w, " AND l.channel = ?");
    args[n++] = DBT(channel);
  }
  if (q && *q) {
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    sb_adds(&w, " AND (l.investor LIKE ? OR l.project_name LIKE ? OR l.chain LIKE ?)");
    args[n++] = DBT(like);
    args[n++] = DBT(like);
    args[n++] = DBT(like);
  }
  invest_scope_sql(r, &w, args, &n);
  const char *where = sql_where(&r->a, sb_str(&w));
  sb_release(&w);
  /* a left join to at most one project: counted without it unless the
   * stage filter reads the project's stage */
  int64_t total = db_int1v(r->db, -1,
                           arena_printf(&r->a, "SELECT COUNT(*) FROM leads l%s %s",
                                        stage ? " LEFT JOIN projects p ON p.id = l.project_id" : "", where),
                           n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, LEAD_SELECT "%s ORDER BY %s, l.id LIMIT ? OFFSET ?", where, order), n, args);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) lead_finish(it, 0);
  reply_list(r, items, total, &pg);
}

/* GET /api/v1/leads/{id}[?reveal=1] — a reveal of the investor's contact is
 * the team's (and the office's) and is itself audited. */
static void lead_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  int64_t reveal = qint(r, "reveal", 0, 1, 0);
  if (has_errors(r)) return reply_invalid(r);
  int64_t team = invest_lead_open(r, id);
  if (!team) return;
  if (reveal && !invest_may_write(r, team))
    return reply_forbidden(r, "只有本招商单位可以查看投资方联系人的完整信息", "only the lead's own team may reveal the investor's contact");
  json_t *o = invest_lead_json(r->db, id, reveal != 0, 1);
  if (!o) return reply_db_error(r, db_errcode(r->db));
  json_object_set_new(o, "can", lead_can(r, o));
  invest_etag(r, o);
  if (!reveal) return reply_json(r, 200, o);
  json_t *what = json_pack("{s:[s,s]}", "revealed", "contact_name", "contact_phone");
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = audit_log(r, "read", "lead", id, NULL, what);
  json_decref(what);
  commit_reply(r, rc, NULL, o, 200);
}

/* The answer after a write: the lead (contacts masked: only a reveal shows
 * them), with what the caller may do and its ETag. */
static json_t *lead_after(req *r, int64_t id) {
  json_t *o = invest_lead_json(r->db, id, 0, 1);
  if (!o) return NULL;
  json_object_set_new(o, "can", lead_can(r, o));
  invest_etag(r, o);
  return o;
}

/* POST /api/v1/leads */
static void lead_create(req *r) {
  json_t *in = req_json(r, lead_fields);
  if (!in) return;
  lead_in l;
  memset(&l, 0, sizeof l);
  lead_read(r, in, &l, 1);
  if (json_object_get(in, "version")) field_error(r, "version", "新建线索不带版本号", "a new lead has no version");
  if (has_errors(r)) return reply_invalid(r);
  if (!invest_may_write(r, l.team))
    return reply_forbidden(r, "只能为本单位或下级单位登记招商线索", "you may record leads only for your own units");
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO leads (investor, project_name, amount, chain, channel, investor_class, team_unit_id, "
                         "lead_person, contact_name, contact_phone, notes, stage, created_on, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'lead', ?, ?, ?) RETURNING id",
                         DBT(l.investor), DBT(nz(l.project_name)), DBI(l.amount), DBT(l.chain), DBT(l.channel), DBT(l.klass),
                         DBI(l.team), DBT(nz(l.lead_person)), DBT(nz(l.contact_name)), DBT(nz(l.contact_phone)),
                         DBT(nz(l.notes)), DBT(l.created_on), DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  rc = id ? DB_OK : db_errcode(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db, "INSERT INTO lead_events (lead_id, from_stage, to_stage, user_id, at) VALUES (?, NULL, 'lead', ?, ?)",
                 DBI(id), DBI(r->user.id), DBT(now));
  json_t *after = rc == DB_OK ? lead_after(r, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "create", "lead", id, NULL, after) : db_errcode(r->db);
  commit_reply(r, rc, NULL, after, 201);
}

/* PATCH /api/v1/leads/{id} */
static void lead_patch(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, lead_fields);
  if (!in) return;
  /* permission first: a lead in the caller's scope that its team may change */
  int64_t team = invest_lead_open(r, id);
  if (!team) return;
  if (!invest_may_write(r, team)) return reply_forbidden(r, "只能修改本单位的招商线索", "you may change only your own team's leads");
  lead_in l;
  memset(&l, 0, sizeof l);
  lead_read(r, in, &l, 0);
  int64_t version = req_version(r, in);
  if (!has_errors(r) && !version) field_error(r, "version", "必填（或If-Match头）", "required (or an If-Match header)");
  if (has_errors(r)) return reply_invalid(r);
  if (l.team && l.team != team && !scope_writes_all(r)) {
    field_error(r, "team_unit_id", "招商单位由项目办调整", "the project office moves a lead to another team");
    return reply_invalid(r);
  }
  json_t *before = invest_lead_json(r->db, id, 1, 0);
  if (!before) return reply_db_error(r, db_errcode(r->db));
  if (!strcmp(json_string_value(json_object_get(before, "recorded_stage")), "lost")) {
    json_decref(before);
    return reply_problem(r, 409, "线索已流失 / Lead lost", "流失的线索不能再修改 / a lost lead can no longer be changed");
  }
  const char *now = now_rfc3339(&r->a);
  strbuf sql = STRBUF_INIT;
  db_val args[20];
  int n = 0;
  sb_adds(&sql, "UPDATE leads SET version = version + 1, updated_at = ?");
  args[n++] = DBT(now);
#define SET_TEXT(col, v)                       \
  if (json_object_get(in, col)) {              \
    sb_adds(&sql, ", " col " = ?");            \
    args[n++] = DBT(nz(v));                    \
  }
  SET_TEXT("investor", l.investor)
  SET_TEXT("project_name", l.project_name)
  SET_TEXT("chain", l.chain)
  SET_TEXT("channel", l.channel)
  SET_TEXT("investor_class", l.klass)
  SET_TEXT("lead_person", l.lead_person)
  SET_TEXT("contact_name", l.contact_name)
  SET_TEXT("contact_phone", l.contact_phone)
  SET_TEXT("notes", l.notes)
  SET_TEXT("created_on", l.created_on)
#undef SET_TEXT
  if (json_object_get(in, "amount")) {
    sb_adds(&sql, ", amount = ?");
    args[n++] = DBI(l.amount);
  }
  if (l.team) {
    sb_adds(&sql, ", team_unit_id = ?");
    args[n++] = DBI(l.team);
  }
  sb_adds(&sql, " WHERE id = ? AND version = ?");
  args[n++] = DBI(id);
  args[n++] = DBI(version);
  int rc = db_begin(r->db);
  if (rc != DB_OK) {
    sb_release(&sql);
    json_decref(before);
    return reply_db_error(r, rc);
  }
  rc = db_execv(r->db, sb_str(&sql), n, args);
  sb_release(&sql);
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict", "线索已被他人修改，请刷新 / The lead was changed; reload");
  }
  json_t *after = rc == DB_OK ? lead_after(r, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "lead", id, before, after) : db_errcode(r->db);
  commit_reply(r, rc, before, after, 200);
}

/* POST /api/v1/leads/{id}/stage {to, reason?, version?} */
static void lead_stage(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  static const char *const fields[] = {"to", "reason", "version", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *to = NULL, *reason = NULL;
  jenum(r, in, "to", 1, invest_stages, &to);
  jstr(r, in, "reason", 0, 2000, &reason);
  int64_t version = req_version(r, in);
  int64_t team = invest_lead_open(r, id);
  if (!team) return;
  if (has_errors(r)) return reply_invalid(r);
  if (!invest_may_write(r, team)) return reply_forbidden(r, "只能推进本单位的招商线索", "you may move only your own team's leads");
  json_t *before = invest_lead_json(r->db, id, 1, 0);
  if (!before) return reply_db_error(r, db_errcode(r->db));
  const char *from = arena_strdup(&r->a, json_string_value(json_object_get(before, "recorded_stage")));
  int a = code_index(invest_stages, from), b = code_index(invest_stages, to);
  int why = invest_next(a, b, reason && *reason, IV_STAGE);
  if (why == IR_NO_REASON) {
    json_decref(before);
    field_error(r, "reason", invest_why_zh(why), invest_why_en(why));
    return reply_invalid(r);
  }
  if (why != IR_OK) {
    json_decref(before);
    return reply_problem(r, 409, "阶段不允许此变更 / Not allowed at this stage",
                         arena_printf(&r->a, "线索当前为「%s」，不能转为「%s」：%s / the lead is %s; it cannot move to %s: %s",
                                      invest_stages_zh[a], invest_stages_zh[b], invest_why_zh(why), from, to, invest_why_en(why)));
  }
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) {
    json_decref(before);
    return reply_db_error(r, rc);
  }
  rc = db_exec(r->db,
               "UPDATE leads SET stage = ?, lost_reason = ?, version = version + 1, updated_at = ? WHERE id = ? AND stage = ? "
               "AND version = ?",
               DBT(to), DBT(b == IS_LOST ? reason : NULL), DBT(now), DBI(id), DBT(from),
               DBI(version ? version : json_integer_value(json_object_get(before, "version"))));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict", "线索已被他人修改，请刷新 / The lead was changed; reload");
  }
  if (rc == DB_OK)
    rc = db_exec(r->db, "INSERT INTO lead_events (lead_id, from_stage, to_stage, reason, user_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                 DBI(id), DBT(from), DBT(to), DBT(nz(reason)), DBI(r->user.id), DBT(now));
  json_t *after = rc == DB_OK ? lead_after(r, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "stage", "lead", id, before, after) : db_errcode(r->db);
  commit_reply(r, rc, before, after, 200);
}

/* POST /api/v1/leads/{id}/meetings {kind, held_on, participants, record} */
static void lead_meeting(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  static const char *const fields[] = {"kind", "held_on", "participants", "record", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *kind = NULL, *held = NULL, *who = NULL, *record = NULL;
  jenum(r, in, "kind", 1, invest_meeting_kinds, &kind);
  char today[11];
  date_format(clock_today(), today);
  if (jdate(r, in, "held_on", 1, &held) == JV_SET && strcmp(held, today) > 0)
    field_error(r, "held_on", "会议日期不能晚于今天", "the meeting cannot be in the future");
  jstr(r, in, "participants", 0, 1000, &who);
  if (jstr(r, in, "record", 0, 8000, &record) != JV_BAD && (!record || !*record))
    field_error(r, "record", "会议纪要不能为空", "the meeting's record is required");
  int64_t team = invest_lead_open(r, id);
  if (!team) return;
  if (has_errors(r)) return reply_invalid(r);
  if (!invest_may_write(r, team)) return reply_forbidden(r, "只能为本单位的线索记录会议", "you may record meetings only on your own team's leads");
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO lead_meetings (lead_id, kind, held_on, participants, record, user_id, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBI(id), DBT(kind), DBT(held), DBT(nz(who)), DBT(record), DBI(r->user.id), DBT(now));
  int64_t mid = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  rc = mid ? DB_OK : db_errcode(r->db);
  if (rc == DB_OK) rc = db_exec(r->db, "UPDATE leads SET version = version + 1, updated_at = ? WHERE id = ?", DBT(now), DBI(id));
  json_t *m = json_pack("{s:I, s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)mid, "lead_id", (json_int_t)id, "kind", kind,
                        "held_on", held, "participants", json_str_or_null(nz(who)), "record", record);
  if (rc == DB_OK) rc = audit_log(r, "create", "lead_meeting", mid, NULL, m);
  json_t *after = rc == DB_OK ? lead_after(r, id) : NULL;
  json_decref(m);
  commit_reply(r, rc == DB_OK && !after ? db_errcode(r->db) : rc, NULL, after, 201);
}

/* POST /api/v1/leads/{id}/attachments — a document of the lead (contract
 * draft, minutes), stored by the attachments area. */
static void lead_attachment(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  int64_t team = invest_lead_open(r, id);
  if (!team) return;
  if (!invest_may_write(r, team)) return reply_forbidden(r, "只能为本单位的线索上传附件", "you may attach files only to your own team's leads");
  attach_upload(r, "lead", id, ATTACH_DOCUMENT);
}

/* GET /api/v1/projects/{id}/lead — the lead a project was signed from. */
static void project_lead(req *r) {
  int64_t pid = req_id(r, 0);
  if (!pid) return;
  if (project_open(r, pid, PSCOPE_READ) < 0) return;
  int64_t id = db_int1(r->db, 0, "SELECT id FROM leads WHERE project_id = ?", DBI(pid));
  if (!id) return reply_not_found(r, "招商线索", "lead");
  int64_t team = db_int1(r->db, 0, "SELECT team_unit_id FROM leads WHERE id = ?", DBI(id));
  json_t *o = invest_lead_json(r->db, id, 0, 0);
  if (!o) return reply_db_error(r, db_errcode(r->db));
  json_object_set_new(o, "can", json_pack("{s:b}", "edit", invest_may_write(r, team)));
  reply_json(r, 200, o);
}

static const route lead_routes[] = {
    ROUTE("GET", "/api/v1/leads", leads_list, INVEST_READERS, "招商线索 / Investment leads (the pipeline)", 0,
          DOM_ATTRACTION | DOM_PROJECTS),
    ROUTE("POST", "/api/v1/leads", lead_create, INVEST_READERS, "登记招商线索 / Record a lead", 0),
    ROUTE("GET", "/api/v1/leads/{id}", lead_get, INVEST_READERS, "招商线索详情 / One lead with meetings and history", 0),
    ROUTE("PATCH", "/api/v1/leads/{id}", lead_patch, INVEST_READERS, "修改招商线索 / Change a lead", 0),
    ROUTE("POST", "/api/v1/leads/{id}/stage", lead_stage, INVEST_READERS, "推进或流失 / Move a lead to a stage", 0),
    ROUTE("POST", "/api/v1/leads/{id}/meetings", lead_meeting, INVEST_READERS, "记录洽谈、预审会、决策会 / Record a meeting", 0),
    ROUTE("POST", "/api/v1/leads/{id}/attachments", lead_attachment, INVEST_READERS, "上传附件 / Attach a document",
          ATTACH_MAX_BYTES),
    ROUTE("GET", "/api/v1/projects/{id}/lead", project_lead, INVEST_READERS, "项目的招商线索 / The lead a project came from", 0),
    {0},
};

static const module invest_leads_module = {"invest_leads", 80, lead_routes, NULL, NULL, NULL};
MODULE_REGISTER(invest_leads_module)
