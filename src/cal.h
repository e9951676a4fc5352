/*
 * cal.h — the working-day calendar shared by every module: the built-in
 * State Council schedules plus the administrator's overrides stored in the
 * calendar_days table.  The in-memory copy is a cache: it is rebuilt when
 * settings.calendar_version changes, so every server process sees an update.
 */
#ifndef GUATU_CAL_H
#define GUATU_CAL_H

#include "calendar.h"
#include "db.h"

/* The current calendar (never NULL).  Valid until the process ends. */
const calendar *cal_get(db *d);
/* Stores one override and bumps the version; caller holds a transaction. */
int cal_store_day(db *d, const char *day, const char *kind, const char *name);

#endif
