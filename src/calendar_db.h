/*
 * calendar_db.h — the working-day calendar the server uses: the built-in
 * State Council schedules (calendar.h) plus the administrator's overrides
 * stored in the calendar_days table.  The in-memory copy is a cache: it is
 * rebuilt when settings.calendar_version changes, so every server process
 * sees an update.
 *
 * Lifetime: every calendar is reference counted.  cal_acquire returns a
 * reference that stays valid, however often the calendar is edited and
 * reloaded meanwhile, until the matching cal_release; the last release of
 * a replaced calendar frees it.  A request handler calls neither: it asks
 * req_calendar(r) (http.h), which acquires one reference per request that
 * http.c releases when the request ends.  Other code (commands, demo
 * loaders) acquires and releases its own.
 */
#ifndef GUATU_CALENDAR_DB_H
#define GUATU_CALENDAR_DB_H

#include "calendar.h"
#include "db.h"

/* A reference to the current calendar; pair with cal_release.  NULL only
 * when memory runs out before any calendar was loaded (the calendar
 * functions read NULL as plain Monday–Friday weeks). */
const calendar *cal_acquire(db *d);
/* Gives a reference back; NULL is allowed. */
void cal_release(const calendar *cal);
/* Stores one override and bumps the version; caller holds a transaction. */
int cal_store_day(db *d, const char *day, const char *kind, const char *name);

#endif
