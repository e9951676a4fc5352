/*
 * qa_escalate.c — overdue questions escalate like problems (escalation.h):
 * past the due date (level 1) the handling department and the project
 * office are told, past twice the deadline (level 2) the district's
 * leaders too.  The shared tick (escalation_run.h) runs in every server
 * process, each level claimed with a conditional UPDATE in its own
 * transaction, with an audit entry as "system"; this file writes the
 * question's timeline event and message.  The level shown in the API is
 * computed on read (qa_questions.c); the column records what was told.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "escalation_run.h"
#include "http.h"
#include "qa.h"

static int tell(db *d, arena *a, const esc_item *e, int lv, const char *day, const char *now, notice *nt) {
  (void)day;
  const char *code = "", *title = "", *due = "", *unit = "";
  db_stmt *st = db_query(d,
                         "SELECT q.tracking_code, q.title, q.due_date, u.name FROM questions q JOIN units u ON u.id = q.unit_id "
                         "WHERE q.id = ?",
                         DBI(e->id));
  if (st && db_step(st) == DB_ROW) {
    code = arena_strdup(a, db_text(st, 0));
    title = arena_strdup(a, db_text(st, 1));
    due = arena_strdup(a, db_text(st, 2));
    unit = arena_strdup(a, db_text(st, 3));
  }
  db_done(st);
  const char *text = lv == 1 ? arena_printf(a, "超过答复时限（%s）未答复，已提级督办", due) : "超期已达答复时限的两倍，已提级至区领导";
  nt->title = arena_printf(a, "%s问政督办：%s（%s）", lv == 1 ? "超期" : "严重超期", title, code);
  nt->body = arena_printf(a, "承办部门：%s\n答复时限：%s\n%s", unit, due, text);
  nt->link = arena_printf(a, "/qa/question/%lld", (long long)e->id);
  return db_exec(d,
                 "INSERT INTO question_events (question_id, action, from_state, to_state, note, at) "
                 "SELECT id, 'escalate', state, state, ?, ? FROM questions WHERE id = ?",
                 DBT(text), DBT(now), DBI(e->id));
}

static const esc_spec qa_esc = {
    "question", "questions",
    "SELECT id, unit_id, escalation, opened_on, deadline_days FROM questions "
    "WHERE state IN ('open', 'accepted', 'in_progress', 'reopened') AND due_date < ? AND escalation < 2 "
    "ORDER BY due_date, id LIMIT ?",
    tell};

int qa_escalate(db *d, int32_t today) { return escalation_run(d, &qa_esc, today); }

static void qa_tick(db *d) { qa_escalate(d, clock_today()); }

static const module qa_escalate_module = {"qa_escalate", 77, NULL, NULL, NULL, qa_tick};
MODULE_REGISTER(qa_escalate_module)
