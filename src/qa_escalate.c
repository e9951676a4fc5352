/*
 * qa_escalate.c — overdue questions escalate like problems (escalation.h):
 * past the due date (level 1) the handling department and the project
 * office are told, past twice the deadline (level 2) the district's
 * leaders too.  Run by the module tick in every server process, each level
 * claimed with a conditional UPDATE in its own transaction, with its event
 * on the timeline and an audit entry as "system".  The level shown in the
 * API is computed on read (qa_questions.c); this records what was told.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "calendar_db.h"
#include "clock.h"
#include "escalation.h"
#include "http.h"
#include "notify.h"
#include "qa.h"

#define BATCH 100

typedef struct esc_row {
  int64_t id, unit;
  int old, level;
} esc_row;

int qa_escalate(db *d, int32_t today) {
  char day[11];
  date_format(today, day);
  const calendar *cal = cal_acquire(d);
  if (!cal) return -1;
  esc_row rows[BATCH];
  int n = 0;
  db_stmt *st = db_query(d,
                         "SELECT id, unit_id, escalation, opened_on, deadline_days FROM questions "
                         "WHERE state IN ('open', 'accepted', 'in_progress', 'reopened') AND due_date < ? AND escalation < 2 "
                         "ORDER BY due_date, id LIMIT ?",
                         DBT(day), DBI(BATCH * 4));
  while (st && n < BATCH && db_step(st) == DB_ROW) {
    int32_t opened;
    if (date_parse(db_text(st, 3), &opened) != 0) continue;
    int level = problem_escalation_level(cal, opened, (int)db_int(st, 4), today, 0);
    if (level <= db_int(st, 2)) continue;
    rows[n++] = (esc_row){db_int(st, 0), db_int(st, 1), (int)db_int(st, 2), level};
  }
  db_done(st);
  cal_release(cal);
  int changed = 0;
  for (int i = 0; i < n; i++) {
    arena a;
    arena_init(&a);
    const char *now = now_rfc3339(&a);
    int rc = db_begin(d);
    if (rc == DB_OK)
      rc = db_exec(d, "UPDATE questions SET escalation = ? WHERE id = ? AND escalation = ?", DBI(rows[i].level), DBI(rows[i].id),
                   DBI(rows[i].old));
    if (rc == DB_OK && db_changes(d) == 0) { /* another process claimed it */
      db_rollback(d);
      arena_release(&a);
      continue;
    }
    const char *code = "", *title = "", *due = "", *unit = "";
    st = rc == DB_OK ? db_query(d,
                                "SELECT q.tracking_code, q.title, q.due_date, u.name FROM questions q JOIN units u ON u.id = q.unit_id "
                                "WHERE q.id = ?",
                                DBI(rows[i].id))
                     : NULL;
    if (st && db_step(st) == DB_ROW) {
      code = arena_strdup(&a, db_text(st, 0));
      title = arena_strdup(&a, db_text(st, 1));
      due = arena_strdup(&a, db_text(st, 2));
      unit = arena_strdup(&a, db_text(st, 3));
    }
    db_done(st);
    const char *link = arena_printf(&a, "/qa/question/%lld", (long long)rows[i].id);
    for (int lv = rows[i].old + 1; rc == DB_OK && lv <= rows[i].level; lv++) {
      const char *text = lv == 1 ? arena_printf(&a, "超过答复时限（%s）未答复，已提级督办", due)
                                 : "超期已达答复时限的两倍，已提级至区领导";
      rc = db_exec(d,
                   "INSERT INTO question_events (question_id, action, from_state, to_state, note, at) "
                   "SELECT id, 'escalate', state, state, ?, ? FROM questions WHERE id = ?",
                   DBT(text), DBT(now), DBI(rows[i].id));
      notice nt = {"escalate", arena_printf(&a, "%s问政督办：%s（%s）", lv == 1 ? "超期" : "严重超期", title, code),
                   arena_printf(&a, "承办部门：%s\n答复时限：%s\n%s", unit, due, text), link, "question", rows[i].id};
      if (rc == DB_OK && lv == 1) rc = notify_unit(d, rows[i].unit, &nt, 0);
      /* the project office (level 1) and the district's leaders (level 2) */
      if (rc == DB_OK)
        rc = db_exec(d,
                     "INSERT INTO notifications (user_id, kind, title, body, link, entity, entity_id, created_at) "
                     "SELECT u.id, ?, ?, ?, ?, ?, ?, ? FROM users u WHERE u.disabled = 0 AND ',' || u.roles || ',' LIKE ?",
                     DBT(nt.kind), DBT(nt.title), DBT(nt.body), DBT(nt.link), DBT(nt.entity), DBI(rows[i].id), DBT(now),
                     DBT(lv == 1 ? "%,office,%" : "%,leader,%"));
    }
    json_t *bef = json_pack("{s:i}", "escalation", rows[i].old), *aft = json_pack("{s:i}", "escalation", rows[i].level);
    if (rc == DB_OK) rc = audit_write(d, &audit_system, "escalate", "question", rows[i].id, bef, aft);
    json_decref(bef);
    json_decref(aft);
    if (rc == DB_OK && db_commit(d) == DB_OK)
      changed++;
    else
      db_rollback(d);
    arena_release(&a);
  }
  return changed;
}

static void qa_tick(db *d) { qa_escalate(d, clock_today()); }

static const module qa_escalate_module = {"qa_escalate", 77, NULL, NULL, NULL, qa_tick};
MODULE_REGISTER(qa_escalate_module)
