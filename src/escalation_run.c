/*
 * escalation_run.c — the shared escalation tick (escalation_run.h).
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "calendar_db.h"
#include "escalation.h"
#include "escalation_run.h"
#include "http.h"

#define BATCH 100

int escalation_due(db *d, const esc_spec *s, int32_t today, esc_item *items, int max) {
  char day[11];
  date_format(today, day);
  const calendar *cal = cal_acquire(d);
  if (!cal) return -1;
  int n = 0;
  db_stmt *st = db_query(d, s->select_sql, DBT(day), DBI((int64_t)max * 4));
  while (st && n < max && db_step(st) == DB_ROW) {
    int32_t started;
    if (date_parse(db_text(st, 3), &started) != 0) continue;
    int level = problem_escalation_level(cal, started, (int)db_int(st, 4), today, 0);
    if (level <= db_int(st, 2)) continue;
    items[n++] = (esc_item){db_int(st, 0), db_int(st, 1), (int)db_int(st, 2), level};
  }
  db_done(st);
  cal_release(cal);
  return n;
}

/* One item from e->old to e->level, in the open transaction. */
/* The enabled users of a role, read once per run: a province has 50,000
 * users and roles is a list in text, so finding them is a scan that each
 * escalated item used to repeat for each level. */
typedef struct id_list {
  int64_t *id;
  size_t n;
} id_list;

static int role_users(db *d, arena *a, const char *role, id_list *out) {
  out->n = 0;
  out->id = NULL;
  size_t cap = 0;
  db_stmt *st = db_query(d, "SELECT id FROM users WHERE disabled = 0 AND ',' || roles || ',' LIKE ? ORDER BY id",
                         DBT(arena_printf(a, "%%,%s,%%", role)));
  int rc = st ? db_step(st) : DB_ERROR;
  for (; rc == DB_ROW; rc = db_step(st)) {
    if (out->n == cap) out->id = arena_grow(a, out->id, out->n, &cap, sizeof *out->id);
    out->id[out->n++] = db_int(st, 0);
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : DB_ERROR;
}

static int escalate_one(db *d, const esc_spec *s, arena *a, const esc_item *e, const char *day, const char *now, const id_list *office,
                        const id_list *leaders) {
  int rc = DB_OK;
  for (int lv = e->old + 1; rc == DB_OK && lv <= e->level; lv++) {
    notice nt = {"escalate", "", NULL, NULL, s->entity, e->id};
    rc = s->tell(d, a, e, lv, day, now, &nt);
    /* the handling unit (its users and webhooks) and the project office at
     * level 1, the district's leaders at level 2 */
    if (rc == DB_OK && lv == 1) rc = notify_unit(d, e->unit, &nt, 0);
    const id_list *to = lv == 1 ? office : leaders;
    for (size_t k = 0; rc == DB_OK && k < to->n; k++)
      rc = db_exec(d,
                   "INSERT INTO notifications (user_id, kind, title, body, link, entity, entity_id, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   DBI(to->id[k]), DBT(nt.kind), DBT(nt.title), DBT(nt.body), DBT(nt.link), DBT(nt.entity), DBI(e->id), DBT(now));
  }
  json_t *bef = json_pack("{s:i}", "escalation", e->old), *aft = json_pack("{s:i}", "escalation", e->level);
  if (rc == DB_OK) rc = audit_write(d, &audit_system, "escalate", s->entity, e->id, bef, aft);
  json_decref(bef);
  json_decref(aft);
  return rc;
}

int escalation_run(db *d, const esc_spec *s, int32_t today) {
  esc_item items[BATCH];
  int n = escalation_due(d, s, today, items, BATCH);
  if (n < 0) return -1;
  char day[11];
  date_format(today, day);
  arena q;
  arena_init(&q);
  const char *claim = arena_printf(&q, "UPDATE %s SET escalation = ? WHERE id = ? AND escalation = ?", s->table);
  id_list office = {0}, leaders = {0};
  if (n > 0 && (role_users(d, &q, "office", &office) != DB_OK || role_users(d, &q, "leader", &leaders) != DB_OK)) {
    arena_release(&q);
    return -1;
  }
  int changed = 0;
  for (int i = 0; i < n; i++) {
    arena a;
    arena_init(&a);
    int rc = db_begin(d);
    if (rc == DB_OK) rc = db_exec(d, claim, DBI(items[i].level), DBI(items[i].id), DBI(items[i].old));
    if (rc == DB_OK && db_changes(d) == 0) { /* another process claimed it */
      db_rollback(d);
      arena_release(&a);
      continue;
    }
    if (rc == DB_OK) rc = escalate_one(d, s, &a, &items[i], day, now_rfc3339(&a), &office, &leaders);
    if (rc == DB_OK && db_commit(d) == DB_OK)
      changed++;
    else
      db_rollback(d);
    arena_release(&a);
  }
  arena_release(&q);
  return changed;
}
