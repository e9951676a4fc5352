/*
 * demo.h — helpers shared by the modules' demo loaders.
 */
#ifndef GUATU_DEMO_H
#define GUATU_DEMO_H

#include <stdint.h>

#include "db.h"

/* The id of the unit with this exact name, or 0. */
int64_t demo_unit_id(db *d, const char *name);
/* Inserts a unit under parent_id (0: root) and sets its path; 0 or -1. */
int demo_add_unit(db *d, const char *name, const char *kind, int64_t parent_id, const char *at);

#endif
