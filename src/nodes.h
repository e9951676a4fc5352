/*
 * nodes.h — what nodes.c offers the other project-library files: the node
 * JSON (with its light) and laying a template's steps out as nodes.
 */
#ifndef GUATU_NODES_H
#define GUATU_NODES_H

#include <jansson.h>
#include <stdint.h>

#include "calendar.h"
#include "db.h"
#include "projects.h"

/* Node JSON from a row of NODE_SELECT. */
#define NODE_SELECT                                                                                                 \
  "SELECT n.id, n.project_id, n.seq, n.name, n.kind, n.unit_id, u.name, n.person, n.planned_date, n.baseline_date, " \
  "n.actual_date, n.note, n.depends_on, n.version FROM nodes n LEFT JOIN units u ON u.id = n.unit_id "
json_t *node_row_json(db_stmt *st, const light_ctx *lc, int *light_out);
json_t *node_json(db *d, int64_t id, const light_ctx *lc);
/* A land-acquisition node gets `land`: the ledger's progress (land.h
 * land_node_json); other nodes are left as they are. */
void node_attach_land(db *d, json_t *node);

/* Appends a template's steps as nodes laid out in working days from start.
 * unit_role picks the node's unit among the three ids. */
int nodes_apply_template(db *d, int64_t project_id, json_t *steps, int32_t start, const calendar *cal, const char *at,
                         int64_t unit_id, int64_t hq_id, int64_t owner_id);

#endif
