/*
 * land_map.c — 征拆一张图: a project's parcels as a GeoJSON FeatureCollection
 * for the map page (web/src/modules/land/LandMap.vue registers it with
 * echarts.registerMap; no tiles, nothing from outside).
 *
 * GET /api/v1/projects/{id}/parcels   {type: FeatureCollection, features: [{type, id, geometry,
 *                                      properties: {id, village, group, head_name, state, state_name,
 *                                      total_mu, outline_mu, area_mismatch}}], project_id, households,
 *                                      without_outline}
 *
 * Scope as the ledger: another unit's project (or none) is 404.  Households
 * without an outline are counted, not drawn.  area_mismatch: the outline's
 * area differs from the recorded area by more than 5 % (land.h).
 */
#include <string.h>

#include "auth.h"
#include "land_http.h"
#include "projects.h"

/* GET /api/v1/projects/{id}/parcels */
static void parcels(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  if (land_project_scope(r, id) == PSCOPE_NONE) return reply_not_found(r, "项目", "Project");
  db_stmt *st =
      db_query(r->db,
               "SELECT h.id, h.village, h.grp, h.head_name, h.state, h.collective_mu + h.state_mu, h.outline_m2, "
               "h.geojson FROM land_households h WHERE h.project_id = ? ORDER BY h.village, h.id",
               DBI(id));
  if (!st) return reply_db_error(r, db_errcode(r->db));
  json_t *features = json_array();
  int64_t households = 0, without = 0;
  while (db_step(st) == DB_ROW) {
    households++;
    const char *text = db_isnull(st, 7) ? NULL : db_text(st, 7);
    json_t *g = text ? json_loads(text, 0, NULL) : NULL;
    json_t *geom = g;
    if (g && json_is_string(json_object_get(g, "type")) &&
        strcmp(json_string_value(json_object_get(g, "type")), "Feature") == 0)
      geom = json_object_get(g, "geometry");
    if (!json_is_object(geom) || db_isnull(st, 6)) {
      json_decref(g);
      without++;
      continue;
    }
    int64_t hmu = db_int(st, 5);
    double m2 = db_real(st, 6);
    const char *state = db_text(st, 4);
    json_t *props = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b}", "id", (json_int_t)db_int(st, 0),
                              "village", db_text(st, 1), "group", db_text(st, 2), "head_name", db_text(st, 3), "state",
                              state, "state_name", land_state_zh(state), "total_mu", json_area(hmu), "outline_mu",
                              json_real((double)(int64_t)(m2 * 3 / 2000 * 100 + 0.5) / 100), "area_mismatch",
                              land_area_mismatch(m2, hmu));
    json_array_append_new(features, json_pack("{s:s, s:I, s:O, s:o}", "type", "Feature", "id",
                                              (json_int_t)db_int(st, 0), "geometry", geom, "properties", props));
    json_decref(g);
  }
  db_done(st);
  reply_json(r, 200,
             json_pack("{s:s, s:I, s:I, s:I, s:o}", "type", "FeatureCollection", "project_id", (json_int_t)id,
                       "households", (json_int_t)households, "without_outline", (json_int_t)without, "features",
                       features));
}

static const route land_map_routes[] = {
    ROUTE("GET", "/api/v1/projects/{id}/parcels", parcels,
          ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT | ROLE_ENTERPRISE,
          "征拆一张图：项目地块 GeoJSON / A project's parcels as GeoJSON", 0),
    {0},
};

static const module land_map_module = {"land_map", 74, land_map_routes, NULL, NULL, NULL};
MODULE_REGISTER(land_map_module)
