/*
 * ent_escalate.c — overdue enterprise requests (企业诉求) escalate like
 * problems and questions (escalation.h): past the due date (level 1) the
 * department the request is routed to (its users and its webhooks) and the
 * project office are told, past twice the deadline (level 2) the district's
 * leaders too.  Run by the module tick in every server process, each
 * request claimed with a conditional UPDATE in its own transaction, with
 * its event on the request's timeline and one audit entry as "system".  The
 * level shown in the API is computed on read (ent_requests.c); the column
 * records what was told, and a reopening (a fresh deadline) resets it.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "calendar_db.h"
#include "clock.h"
#include "ent.h"
#include "escalation.h"
#include "http.h"
#include "notify.h"

#define BATCH 100

typedef struct esc_row {
  int64_t id, unit;
  int old, level;
} esc_row;

/* The requests still waiting for a reply whose level on `today` is above
 * the one recorded: at most BATCH of them into rows.  Those not told yet
 * come first, so that a long list already at level 1 does not hold back
 * a request that has just become overdue. */
static int due_rows(db *d, int32_t today, esc_row *rows) {
  char day[11];
  date_format(today, day);
  const calendar *cal = cal_acquire(d);
  if (!cal) return -1;
  int n = 0;
  db_stmt *st = db_query(d,
                         "SELECT id, unit_id, escalation, started_on, deadline_days FROM enterprise_requests "
                         "WHERE state IN ('open', 'accepted', 'in_progress', 'reopened') AND due_date < ? AND escalation < 2 "
                         "ORDER BY escalation, due_date, id LIMIT ?",
                         DBT(day), DBI(BATCH * 4));
  while (st && n < BATCH && db_step(st) == DB_ROW) {
    int32_t started;
    if (date_parse(db_text(st, 3), &started) != 0) continue;
    int level = problem_escalation_level(cal, started, (int)db_int(st, 4), today, 0);
    if (level <= db_int(st, 2)) continue;
    rows[n++] = (esc_row){db_int(st, 0), db_int(st, 1), (int)db_int(st, 2), level};
  }
  db_done(st);
  cal_release(cal);
  return n;
}

int ent_requests_mark_escalated(db *d, int32_t today) {
  esc_row rows[BATCH];
  int n = due_rows(d, today, rows), rc = n < 0 ? DB_ERROR : DB_OK;
  for (int i = 0; rc == DB_OK && i < n; i++)
    rc = db_exec(d, "UPDATE enterprise_requests SET escalation = ? WHERE id = ?", DBI(rows[i].level), DBI(rows[i].id));
  return rc;
}

/* One request's escalation from rows[i].old to rows[i].level, in the open
 * transaction: the timeline, the bells and webhooks, the audit entry. */
static int escalate_one(db *d, arena *a, const esc_row *e, const char *day, const char *now) {
  const char *ent = "", *due = "", *unit = "", *cat = "";
  db_stmt *st = db_query(d,
                         "SELECT e.name, q.due_date, u.name, q.category FROM enterprise_requests q "
                         "JOIN enterprises e ON e.id = q.enterprise_id JOIN units u ON u.id = q.unit_id WHERE q.id = ?",
                         DBI(e->id));
  if (st && db_step(st) == DB_ROW) {
    ent = arena_strdup(a, db_text(st, 0));
    due = arena_strdup(a, db_text(st, 1));
    unit = arena_strdup(a, db_text(st, 2));
    cat = arena_strdup(a, db_text(st, 3));
  }
  db_done(st);
  const char *cat_zh = cat;
  for (int k = 0; ent_request_categories[k]; k++)
    if (strcmp(cat, ent_request_categories[k]) == 0) cat_zh = ent_request_categories_zh[k];
  const char *link = arena_printf(a, "/enterprise-requests?id=%lld", (long long)e->id);
  int rc = DB_OK;
  for (int lv = e->old + 1; rc == DB_OK && lv <= e->level; lv++) {
    const char *text = lv == 1 ? arena_printf(a, "超过办理时限（%s）未答复，已提级督办", due) : "超期已达办理时限的两倍，已提级至区领导";
    rc = db_exec(d, "INSERT INTO enterprise_request_events (request_id, type, text, on_date, at) VALUES (?, 'escalate', ?, ?, ?)", DBI(e->id),
                 DBT(text), DBT(day), DBT(now));
    notice nt = {"escalate",
                 arena_printf(a, "%s企业诉求督办：%s（%s诉求 #%lld）", lv == 1 ? "超期" : "严重超期", ent, cat_zh, (long long)e->id),
                 arena_printf(a, "承办单位：%s\n办理时限：%s\n%s", unit, due, text),
                 link,
                 "enterprise_request",
                 e->id};
    /* the department (level 1), the project office (level 1) and the district's leaders (level 2) */
    if (rc == DB_OK && lv == 1) rc = notify_unit(d, e->unit, &nt, 0);
    if (rc == DB_OK)
      rc = db_exec(d,
                   "INSERT INTO notifications (user_id, kind, title, body, link, entity, entity_id, created_at) "
                   "SELECT u.id, ?, ?, ?, ?, ?, ?, ? FROM users u WHERE u.disabled = 0 AND ',' || u.roles || ',' LIKE ?",
                   DBT(nt.kind), DBT(nt.title), DBT(nt.body), DBT(nt.link), DBT(nt.entity), DBI(e->id), DBT(now),
                   DBT(lv == 1 ? "%,office,%" : "%,leader,%"));
  }
  json_t *bef = json_pack("{s:i}", "escalation", e->old), *aft = json_pack("{s:i}", "escalation", e->level);
  if (rc == DB_OK) rc = audit_write(d, &audit_system, "escalate", "enterprise_request", e->id, bef, aft);
  json_decref(bef);
  json_decref(aft);
  return rc;
}

int ent_requests_escalate(db *d, int32_t today) {
  esc_row rows[BATCH];
  int n = due_rows(d, today, rows);
  if (n < 0) return -1;
  char day[11];
  date_format(today, day);
  int changed = 0;
  for (int i = 0; i < n; i++) {
    arena a;
    arena_init(&a);
    int rc = db_begin(d);
    if (rc == DB_OK)
      rc = db_exec(d, "UPDATE enterprise_requests SET escalation = ? WHERE id = ? AND escalation = ?", DBI(rows[i].level),
                   DBI(rows[i].id), DBI(rows[i].old));
    if (rc == DB_OK && db_changes(d) == 0) { /* another process claimed it */
      db_rollback(d);
      arena_release(&a);
      continue;
    }
    if (rc == DB_OK) rc = escalate_one(d, &a, &rows[i], day, now_rfc3339(&a));
    if (rc == DB_OK && db_commit(d) == DB_OK)
      changed++;
    else
      db_rollback(d);
    arena_release(&a);
  }
  return changed;
}

static void ent_tick(db *d) { ent_requests_escalate(d, clock_today()); }

static const module ent_escalate_module = {"ent_escalate", 76, NULL, NULL, NULL, ent_tick};
MODULE_REGISTER(ent_escalate_module)
