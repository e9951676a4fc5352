/*
 * ent_escalate.c — overdue enterprise requests (企业诉求) escalate like
 * problems and questions (escalation.h): past the due date (level 1) the
 * department the request is routed to (its users and its webhooks) and the
 * project office are told, past twice the deadline (level 2) the district's
 * leaders too.  The shared tick (escalation_run.h) runs in every server
 * process, each request claimed with a conditional UPDATE in its own
 * transaction, with one audit entry as "system"; this file writes the
 * request's timeline event and message.  The level shown in the API is
 * computed on read (ent_requests.c); the column records what was told, and
 * a reopening (a fresh deadline) resets it.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "ent.h"
#include "escalation_run.h"
#include "http.h"

#define BATCH 100

static int tell(db *d, arena *a, const esc_item *e, int lv, const char *day, const char *now, notice *nt) {
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
  const char *text = lv == 1 ? arena_printf(a, "超过办理时限（%s）未答复，已提级督办", due) : "超期已达办理时限的两倍，已提级至区领导";
  nt->title = arena_printf(a, "%s企业诉求督办：%s（%s诉求 #%lld）", lv == 1 ? "超期" : "严重超期", ent, cat_zh, (long long)e->id);
  nt->body = arena_printf(a, "承办单位：%s\n办理时限：%s\n%s", unit, due, text);
  nt->link = arena_printf(a, "/enterprise-requests?id=%lld", (long long)e->id);
  return db_exec(d, "INSERT INTO enterprise_request_events (request_id, type, text, on_date, at) VALUES (?, 'escalate', ?, ?, ?)",
                 DBI(e->id), DBT(text), DBT(day), DBT(now));
}

/* Those not told yet come first, so that a long list already at level 1
 * does not hold back a request that has just become overdue. */
static const esc_spec ent_esc = {
    "enterprise_request", "enterprise_requests",
    "SELECT id, unit_id, escalation, started_on, deadline_days FROM enterprise_requests "
    "WHERE state IN ('open', 'accepted', 'in_progress', 'reopened') AND due_date < ? AND escalation < 2 "
    "ORDER BY escalation, due_date, id LIMIT ?",
    tell};

/* The demo's requests start at the level they have reached, as if the
 * tick had run, without timeline events or messages. */
int ent_requests_mark_escalated(db *d, int32_t today) {
  esc_item items[BATCH];
  int n = escalation_due(d, &ent_esc, today, items, BATCH), rc = n < 0 ? DB_ERROR : DB_OK;
  for (int i = 0; rc == DB_OK && i < n; i++)
    rc = db_exec(d, "UPDATE enterprise_requests SET escalation = ? WHERE id = ?", DBI(items[i].level), DBI(items[i].id));
  return rc;
}

int ent_requests_escalate(db *d, int32_t today) { return escalation_run(d, &ent_esc, today); }

static void ent_tick(db *d) { ent_requests_escalate(d, clock_today()); }

static const module ent_escalate_module = {"ent_escalate", 76, NULL, NULL, NULL, ent_tick};
MODULE_REGISTER(ent_escalate_module)
