/*
 * calendar_db.c — the calendar cache of calendar_db.h: loads the built-in
 * calendar plus the calendar_days overrides, reloads it when
 * settings.calendar_version changes, and keeps every loaded calendar alive
 * until nobody holds it any more.
 */
#include "calendar_db.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* One loaded calendar.  refs counts the holders, plus one while it is the
 * current calendar; at zero it is freed. */
typedef struct cal_ref {
  calendar *cal;
  int64_t version;
  int refs;
  struct cal_ref *next;
} cal_ref;

static pthread_mutex_t cal_lock = PTHREAD_MUTEX_INITIALIZER;
/* The current calendar first, then replaced ones that are still held. */
static cal_ref *cal_refs;

static int load_override(calendar *c, db *d) {
  db_stmt *st = db_query0(d, "SELECT day, kind, name FROM calendar_days ORDER BY day");
  if (!st) return -1;
  while (db_step(st) == DB_ROW) {
    int32_t day;
    const char *kind = db_text(st, 1);
    if (date_parse(db_text(st, 0), &day) != 0) continue;
    int k = strcmp(kind, "holiday") == 0 ? CAL_HOLIDAY : strcmp(kind, "workday") == 0 ? CAL_WORKDAY : CAL_NORMAL;
    calendar_set(c, day, k, db_text(st, 2));
  }
  db_done(st);
  return 0;
}

/* Drops one reference; the caller holds cal_lock. */
static void unref_locked(cal_ref *r) {
  if (--r->refs > 0) return;
  for (cal_ref **p = &cal_refs; *p; p = &(*p)->next)
    if (*p == r) {
      *p = r->next;
      break;
    }
  calendar_free(r->cal);
  free(r);
}

const calendar *cal_acquire(db *d) {
  int64_t v = db_int1(d, 0, "SELECT CAST(value AS BIGINT) FROM settings WHERE key = ?", DBT("calendar_version"));
  pthread_mutex_lock(&cal_lock);
  cal_ref *cur = cal_refs;
  if (!cur || v != cur->version) {
    cal_ref *fresh = calloc(1, sizeof *fresh);
    calendar *c = fresh ? calendar_new_builtin() : NULL;
    if (c) {
      load_override(c, d);
      *fresh = (cal_ref){c, v, 1, cal_refs};
      cal_refs = fresh;
      if (cur) unref_locked(cur); /* no longer current: freed once its holders are done */
      cur = fresh;
    } else {
      free(fresh); /* out of memory: keep serving the calendar we have */
    }
  }
  const calendar *c = NULL;
  if (cur) {
    cur->refs++;
    c = cur->cal;
  }
  pthread_mutex_unlock(&cal_lock);
  return c;
}

void cal_release(const calendar *cal) {
  if (!cal) return;
  pthread_mutex_lock(&cal_lock);
  for (cal_ref *r = cal_refs; r; r = r->next)
    if (r->cal == cal) {
      unref_locked(r);
      break;
    }
  pthread_mutex_unlock(&cal_lock);
}

int cal_store_day(db *d, const char *day, const char *kind, const char *name) {
  int rc = db_exec(d, "INSERT INTO calendar_days (day, kind, name) VALUES (?, ?, ?) ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
                   DBT(day), DBT(kind), DBT(name));
  if (rc == DB_OK)
    rc = db_exec(d, "INSERT INTO settings (key, value) VALUES ('calendar_version', '1') ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT)");
  return rc;
}
