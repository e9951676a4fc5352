/*
 * migrate.h — numbered schema migrations compiled into the binary.
 */
#ifndef GUATU_MIGRATE_H
#define GUATU_MIGRATE_H

#include <stdio.h>

#include "db.h"

/* Brings the schema up to date.  Refuses a database whose version is newer
 * than this binary knows.  Returns 0, or -1 with err set. */
int migrate_run(db *d, FILE *log, char *err, size_t errlen);
/* The highest migration number this binary carries. */
int migrate_latest(void);
/* The version recorded in the database (0 when empty). */
int migrate_current(db *d);

#endif
