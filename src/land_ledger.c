/*
 * land_ledger.c — the land acquisition ledger (征拆台账): households and
 * parcels of a project, their compensation items, payments and state moves
 * under the sequence rule (land_rules.c), with ID numbers and phones masked
 * in every answer and export; land staff may reveal them, each read audited.
 *
 * GET   /api/v1/households?project&village&group&state&q&page&per_page&sort&format   the ledger (scope in the query)
 * GET   /api/v1/projects/{id}/households?…          the same, one project
 * POST  /api/v1/projects/{id}/households {village,group,head_name,id_number,phone,land_mu,houses,house_area_m2,notes,geojson,surveyed_on}
 * GET   /api/v1/households/{id}[?reveal=1]          with items, payments, history, hard cases
 * PATCH /api/v1/households/{id} {…the fields above, version}
 * POST  /api/v1/households/{id}/items {kind,amount,note}          until signed
 * PATCH /api/v1/households/{id}/items/{item} {amount,note}         until signed
 * POST  /api/v1/households/{id}/payments {item_id,amount,paid_on,payer}   once signed, at most what is owed
 * POST  /api/v1/land-payments/{id}/voucher          raw body: the voucher (photo/PDF)
 * POST  /api/v1/households/{id}/transitions {to,on,version}
 * GET   /api/v1/land-staff · PUT/DELETE /api/v1/land-staff/{user}   admin
 *
 * Scope: through the project (projects.h).  Reading needs read scope on the
 * project by an administrator, the office, a leader, a unit of the project
 * or its owner enterprise (the public never reads the ledger); writing needs
 * write scope.  A household out of scope answers 404, as if absent.
 */
#include "land.h"

#include <stdlib.h>
#include <string.h>

#include "attachments.h"
#include "auth.h"
#include "calendar.h"
#include "clock.h"
#include "http.h"
#include "land_http.h"
#include "money.h"
#include "projects.h"

const char *land_today(arena *a) {
  char *buf = arena_alloc(a, 11);
  date_format(clock_today(), buf);
  return buf;
}

/* ---- scope ---- */

int land_project_scope(req *r, int64_t project_id) {
  if (has_role(r, ROLE_PUBLIC) && !scope_reads_all(r)) return PSCOPE_NONE;
  int sc = project_scope(r, project_id);
  return sc < 0 ? PSCOPE_NONE : sc;
}

int64_t land_household_open(req *r, int64_t id, int need, int *scope) {
  /* the household's project and its scope in one statement */
  db_stmt *st = db_query(r->db,
                         "SELECT h.project_id, p.unit_id, p.hq_id, p.owner_unit_id, p.published FROM land_households h "
                         "JOIN projects p ON p.id = h.project_id WHERE h.id = ?",
                         DBI(id));
  int64_t project = 0;
  int sc = PSCOPE_NONE;
  if (st && db_step(st) == DB_ROW) {
    project = db_int(st, 0);
    if (!has_role(r, ROLE_PUBLIC) || scope_reads_all(r))
      sc = project_scope_of(r, db_int(st, 1), db_isnull(st, 2) ? 0 : db_int(st, 2), db_isnull(st, 3) ? 0 : db_int(st, 3),
                            (int)db_int(st, 4));
  }
  db_done(st);
  if (sc == PSCOPE_NONE) {
    reply_not_found(r, "农户", "Household");
    return 0;
  }
  if (sc < need) {
    reply_forbidden(r, "只能修改本单位项目的征拆台账", "you may change only your units' land ledgers");
    return 0;
  }
  if (scope) *scope = sc;
  return project;
}

int land_is_staff(req *r) {
  return r->user.id && db_int1(r->db, 0, "SELECT 1 FROM land_staff WHERE user_id = ?", DBI(r->user.id)) == 1;
}

/* ---- JSON ---- */

#define HH_COLS                                                                                                       \
  "h.id, h.project_id, p.name AS project_name, h.village, h.grp AS \"group\", h.head_name, h.id_number, h.phone, "  \
  "h.collective_mu AS collective_mu__a, h.state_mu AS state_mu__a, h.collective_mu + h.state_mu AS total_mu__a, "   \
  "h.houses, h.house_area AS house_area_m2__a, h.notes, h.state, h.surveyed_on, h.valued_on, h.signed_on, "         \
  "h.demolished_on, h.handed_over_on, h.due AS due__m, h.paid AS paid__m, h.due - h.paid AS owed__m, h.unvalued, " \
  "h.outline_m2, h.version, h.created_at, h.updated_at "

/* Masks (or, with full, keeps) the personal data of a household row and
 * adds the derived fields. */
void land_household_finish(json_t *o, int full) {
  const char *id = json_string_value(json_object_get(o, "id_number"));
  const char *ph = json_string_value(json_object_get(o, "phone"));
  if (!full) {
    char buf[64];
    if (id) {
      land_mask_id(id, buf, sizeof buf);
      json_object_set_new(o, "id_number", json_string(buf));
    }
    if (ph) {
      land_mask_phone(ph, buf, sizeof buf);
      json_object_set_new(o, "phone", json_string(buf));
    }
  }
  json_object_set_new(o, "land_mu", json_pack("{s:O, s:O}", "collective", json_object_get(o, "collective_mu"), "state",
                                               json_object_get(o, "state_mu")));
  json_object_set_new(o, "state_name", json_string(land_state_zh(json_string_value(json_object_get(o, "state")))));
  json_t *om = json_object_get(o, "outline_m2");
  if (json_is_number(om)) {
    json_t *tm = json_object_get(o, "total_mu");
    int64_t hmu = 0;
    if (json_is_string(tm)) hmu = (int64_t)(strtod(json_string_value(tm), NULL) * 100 + 0.5);
    json_object_set_new(o, "outline_mu", json_real((double)(int64_t)(json_number_value(om) * 3 / 2000 * 100 + 0.5) / 100));
    json_object_set_new(o, "area_mismatch", json_boolean(land_area_mismatch(json_number_value(om), hmu)));
  } else {
    json_object_del(o, "outline_m2");
  }
}

static json_t *item_json(db_stmt *st) {
  json_t *o = db_row_json(st);
  json_object_set_new(o, "kind_name", json_string(land_item_kind_zh(json_string_value(json_object_get(o, "kind")))));
  return o;
}

#define ITEM_COLS "id, household_id, kind, amount AS amount__m, paid AS paid__m, amount - paid AS owed__m, note, created_at"

/* A household's compensation items (k 1, by id), payments (k 2, by date
 * and id), events (k 3, by id) and hard cases (k 4, by id) in one statement
 * instead of four (a round trip each on PostgreSQL).  Columns: k, then
 * integers in columns 1–5 and text in 6–13 (NULL where a kind has none),
 * then the sort key; hh_related names each kind's fields in the order the
 * answer has always listed them. */
#define HH_RELATED_SQL                                                                                                 \
  "SELECT 1 AS k, i.id AS i1, i.household_id AS i2, i.amount AS i3, i.paid AS i4, i.amount - i.paid AS i5, "         \
  "i.kind AS t1, i.note AS t2, i.created_at AS t3, CAST(NULL AS TEXT) AS t4, CAST(NULL AS TEXT) AS t5, "              \
  "CAST(NULL AS TEXT) AS t6, CAST(NULL AS TEXT) AS t7, CAST(NULL AS TEXT) AS t8, '' AS s "                          \
  "FROM land_items i WHERE i.household_id = ? "                                                                        \
  "UNION ALL SELECT 2, y.id, y.item_id, y.amount, "                                                                    \
  /* the voucher: the latest attachment uploaded for the payment */                                                    \
  "(SELECT MAX(a.id) FROM attachments a WHERE a.entity = 'land_payment' AND a.entity_id = y.id), NULL, "              \
  "i.kind, y.paid_on, y.payer, (SELECT a.name FROM attachments a WHERE a.id = (SELECT MAX(b.id) FROM attachments b "  \
  "WHERE b.entity = 'land_payment' AND b.entity_id = y.id)), u.name, y.created_at, NULL, NULL, y.paid_on "            \
  "FROM land_payments y JOIN land_items i ON i.id = y.item_id LEFT JOIN users u ON u.id = y.user_id "                \
  "WHERE y.household_id = ? "                                                                                          \
  "UNION ALL SELECT 3, e.id, NULL, NULL, NULL, NULL, e.from_state, e.to_state, e.on_date, u.name, e.at, NULL, NULL, " \
  "NULL, '' FROM land_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.household_id = ? "                       \
  "UNION ALL SELECT 4, c.id, c.version, NULL, NULL, NULL, c.title, c.description, c.state, c.raised_on, c.meeting_on, " \
  "c.members, c.decision, NULL, '' FROM land_hard_cases c WHERE c.household_id = ? "                                  \
  "ORDER BY 1, 15, 2"
enum { HH_LAST_INT = 5 };
typedef struct hh_col {
  const char *key;
  int col, money;
} hh_col;
static const hh_col hh_related[4][11] = {
    {{"id", 1, 0}, {"household_id", 2, 0}, {"kind", 6, 0}, {"amount", 3, 1}, {"paid", 4, 1}, {"owed", 5, 1},
     {"note", 7, 0}, {"created_at", 8, 0}, {NULL, 0, 0}},
    {{"id", 1, 0}, {"item_id", 2, 0}, {"kind", 6, 0}, {"amount", 3, 1}, {"paid_on", 7, 0}, {"payer", 8, 0},
     {"voucher_id", 4, 0}, {"voucher_name", 9, 0}, {"user_name", 10, 0}, {"created_at", 11, 0}, {NULL, 0, 0}},
    {{"id", 1, 0}, {"from_state", 6, 0}, {"to_state", 7, 0}, {"on_date", 8, 0}, {"user_name", 9, 0}, {"at", 10, 0},
     {NULL, 0, 0}},
    {{"id", 1, 0}, {"title", 6, 0}, {"description", 7, 0}, {"state", 8, 0}, {"raised_on", 9, 0}, {"meeting_on", 10, 0},
     {"members", 11, 0}, {"decision", 12, 0}, {"version", 2, 0}, {NULL, 0, 0}},
};

static void household_detail(db *d, json_t *o, int64_t id);

json_t *land_household_json(db *d, int64_t id, int full, int with_detail) {
  db_stmt *st = db_query(d, "SELECT " HH_COLS ", h.geojson AS geojson__j FROM land_households h JOIN projects p ON p.id = h.project_id WHERE h.id = ?",
                         DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (!o) return NULL;
  land_household_finish(o, full);
  if (with_detail) household_detail(d, o, id);
  return o;
}

/* Adds a household's items, payments, history and hard cases to `o`. */
static void household_detail(db *d, json_t *o, int64_t id) {
  json_t *lists[4] = {json_array(), json_array(), json_array(), json_array()};
  db_stmt *st = db_query(d, HH_RELATED_SQL, DBI(id), DBI(id), DBI(id), DBI(id));
  while (st && db_step(st) == DB_ROW) {
    int64_t k = db_int(st, 0);
    if (k < 1 || k > 4) continue;
    json_t *e = json_object();
    for (const hh_col *c = hh_related[k - 1]; c->key; c++) {
      json_t *v;
      if (db_isnull(st, c->col)) v = json_null();
      else if (c->money) v = json_money(db_int(st, c->col));
      else if (c->col <= HH_LAST_INT) v = json_integer(db_int(st, c->col));
      else v = json_string(db_text(st, c->col));
      json_object_set_new(e, c->key, v);
    }
    if (k == 1 || k == 2)
      json_object_set_new(e, "kind_name", json_string(land_item_kind_zh(json_string_value(json_object_get(e, "kind")))));
    else if (k == 3)
      json_object_set_new(e, "to_name", json_string(land_state_zh(json_string_value(json_object_get(e, "to_state")))));
    json_array_append_new(lists[k - 1], e);
  }
  db_done(st);
  json_t *items = lists[0], *pays = lists[1], *events = lists[2], *cases = lists[3];
  json_object_set_new(o, "items", items);
  json_object_set_new(o, "payments", pays);
  json_object_set_new(o, "history", events);
  json_object_set_new(o, "hard_cases", cases);
}

static void etag(req *r, json_t *o) {
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
}

/* ---- input ---- */

static const char *const hh_fields[] = {"village", "group", "head_name", "id_number", "phone", "land_mu", "houses",
                                        "house_area_m2", "notes", "geojson", "surveyed_on", "version", NULL};

static int phone_ok(const char *s) {
  size_t n = strlen(s), digits = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] >= '0' && s[i] <= '9') digits++;
    else if (s[i] != '-') return 0;
  }
  if (n == 11 && s[0] == '1') return s[1] >= '3' && s[1] <= '9';
  return digits >= 7 && digits <= 12 && s[0] == '0';
}

/* Reads the sent fields over h (current values on update). */
void land_household_read(req *r, json_t *in, land_hh_in *h, int creating) {
  jstr(r, in, "village", creating, 64, &h->village);
  if (jstr(r, in, "group", 0, 64, &h->group) == JV_NULL) h->group = "";
  jstr(r, in, "head_name", creating, 64, &h->head_name);
  int st = jstr(r, in, "id_number", 0, 18, &h->id_number);
  if (st == JV_NULL || (st == JV_SET && !*h->id_number)) h->id_number = NULL;
  else if (st == JV_SET && !land_id_valid(h->id_number))
    field_error(r, "id_number", "身份证号码无效（应为18位，出生日期有效且校验码正确）",
                "invalid ID number (18 characters, a real birth date and the GB 11643 check digit)");
  else if (st == JV_SET && h->id_number[17] == 'x') ((char *)h->id_number)[17] = 'X';
  st = jstr(r, in, "phone", 0, 20, &h->phone);
  if (st == JV_NULL || (st == JV_SET && !*h->phone)) h->phone = NULL;
  else if (st == JV_SET && !phone_ok(h->phone))
    field_error(r, "phone", "电话应为11位手机号或区号开头的固定电话", "must be an 11-digit mobile or a landline with area code");
  json_t *lm = json_object_get(in, "land_mu");
  if (lm && !json_is_null(lm)) {
    if (!json_is_object(lm)) {
      field_error(r, "land_mu", "应为对象，如{\"collective\":\"2.50\"}", "must be an object such as {\"collective\":\"2.50\"}");
    } else {
      const char *k;
      json_t *v;
      h->collective = h->state_owned = 0;
      json_object_foreach(lm, k, v) {
        int kind = land_code(land_kinds, k);
        const char *f = arena_printf(&r->a, "land_mu.%s", k);
        if (kind < 0) {
          field_error(r, f, "土地类别应为collective（集体土地）或state（国有土地）", "the kind must be collective or state");
          continue;
        }
        json_t *wrap = json_pack("{s:O}", f, v);
        int64_t hmu = 0;
        if (jarea(r, wrap, f, 1, &hmu) == JV_SET) {
          if (hmu > 100000000) field_error(r, f, "面积不能超过100万亩", "must be at most 1,000,000 亩");
          else if (kind == 0) h->collective = hmu;
          else h->state_owned = hmu;
        }
        json_decref(wrap);
      }
    }
  } else if (lm) {
    h->collective = h->state_owned = 0;
  }
  int64_t houses = h->houses;
  if (jint(r, in, "houses", 0, 0, 1000, &houses) == JV_NULL) houses = 0;
  h->houses = (int)houses;
  st = jarea(r, in, "house_area_m2", 0, &h->house_area);
  if (st == JV_NULL) h->house_area = 0;
  if (st == JV_SET && h->house_area > 100000000) field_error(r, "house_area_m2", "不能超过100万平方米", "must be at most 1,000,000 m²");
  if (jstr(r, in, "notes", 0, 2000, &h->notes) == JV_NULL) h->notes = NULL;
  json_t *g = json_object_get(in, "geojson");
  if (json_is_null(g)) {
    h->geojson = NULL;
    h->outline = -1;
  } else if (g) {
    char *text = json_is_string(g) ? strdup(json_string_value(g)) : json_dumps(g, JSON_COMPACT);
    double m2 = text && strlen(text) <= 200000 ? land_geojson_area_m2(text) : -1;
    if (m2 < 0)
      field_error(r, "geojson", "应为GeoJSON多边形（Polygon或MultiPolygon，经纬度，不超过200KB）",
                  "must be a GeoJSON Polygon or MultiPolygon in lng/lat (at most 200 KB)");
    else {
      h->geojson = arena_strdup(&r->a, text);
      h->outline = m2;
    }
    free(text);
  }
  if (jdate(r, in, "surveyed_on", 0, &h->surveyed_on) == JV_SET && strcmp(h->surveyed_on, land_today(&r->a)) > 0)
    field_error(r, "surveyed_on", "调查日期不能晚于今天", "cannot be in the future");
  if (h->village && !*h->village) field_error(r, "village", "必填", "required");
  if (h->head_name && !*h->head_name) field_error(r, "head_name", "必填", "required");
}

int land_household_load(db *d, arena *a, int64_t id, land_hh_in *h) {
  db_stmt *st = db_query(d,
                         "SELECT village, grp, head_name, id_number, phone, collective_mu, state_mu, houses, house_area, notes, "
                         "geojson, outline_m2, surveyed_on FROM land_households WHERE id = ?",
                         DBI(id));
  if (!st || db_step(st) != DB_ROW) {
    db_done(st);
    return -1;
  }
  const char **s[] = {&h->village, &h->group, &h->head_name, &h->id_number, &h->phone};
  for (int i = 0; i < 5; i++) *s[i] = db_isnull(st, i) ? NULL : arena_strdup(a, db_text(st, i));
  h->collective = db_int(st, 5);
  h->state_owned = db_int(st, 6);
  h->houses = (int)db_int(st, 7);
  h->house_area = db_int(st, 8);
  h->notes = db_isnull(st, 9) ? NULL : arena_strdup(a, db_text(st, 9));
  h->geojson = db_isnull(st, 10) ? NULL : arena_strdup(a, db_text(st, 10));
  h->outline = db_isnull(st, 11) ? -1 : db_real(st, 11);
  h->surveyed_on = arena_strdup(a, db_text(st, 12));
  db_done(st);
  return 0;
}

int64_t land_household_insert(db *d, int64_t project_id, const land_hh_in *h, int64_t user_id, const char *today,
                              const char *now) {
  const char *on = h->surveyed_on ? h->surveyed_on : today;
  db_stmt *st = db_query(d,
                         "INSERT INTO land_households (project_id, village, grp, head_name, id_number, phone, collective_mu, "
                         "state_mu, houses, house_area, notes, geojson, outline_m2, state, surveyed_on, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'surveyed', ?, ?, ?) RETURNING id",
                         DBI(project_id), DBT(h->village), DBT(h->group ? h->group : ""), DBT(h->head_name),
                         DBT(h->id_number), DBT(h->phone), DBI(h->collective), DBI(h->state_owned), DBI(h->houses),
                         DBI(h->house_area), DBT(h->notes), DBT(h->geojson), h->outline >= 0 ? DBR(h->outline) : DBNULL,
                         DBT(on), DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  if (id && db_exec(d,
                    "INSERT INTO land_events (household_id, from_state, to_state, on_date, user_id, at) VALUES (?, NULL, "
                    "'surveyed', ?, ?, ?)",
                    DBI(id), DBT(on), user_id ? DBI(user_id) : DBNULL, DBT(now)) != DB_OK)
    id = 0;
  return id;
}

/* ---- handlers ---- */

/* POST /api/v1/projects/{id}/households */
static void household_post(req *r) {
  int64_t project = req_id(r, 0);
  if (!project) return;
  int sc = land_project_scope(r, project);
  if (sc == PSCOPE_NONE) return reply_not_found(r, "项目", "Project");
  if (sc < PSCOPE_WRITE) return reply_forbidden(r, "只能修改本单位项目的征拆台账", "you may change only your units' land ledgers");
  json_t *in = req_json(r, hh_fields);
  if (!in) return;
  land_hh_in h = {.outline = -1};
  land_household_read(r, in, &h, 1);
  if (has_errors(r)) return reply_invalid(r);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  int64_t id = land_household_insert(r->db, project, &h, r->user.id, land_today(&r->a), now_rfc3339(&r->a));
  rc = id ? land_rollup_project(r->db, project) : db_errcode(r->db);
  json_t *after = rc == DB_OK ? land_household_json(r->db, id, 0, 0) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "create", "land_household", id, NULL, after) : db_errcode(r->db);
  if (after) etag(r, after);
  commit_reply(r, rc, NULL, after, 201);
}

static const char *const sorts[] = {"id", "h.id", "village", "h.village", "group", "h.grp", "head_name", "h.head_name",
                                    "state", "h.state", "total_mu", "h.collective_mu + h.state_mu", "due", "h.due",
                                    "paid", "h.paid", "owed", "h.due - h.paid", "project_name", "p.name", NULL};

/* The ledger: every household the user may read, or one project's. */
static void households_list_in(req *r, int64_t project) {
  page pg;
  req_page(r, &pg);
  if (!project) project = qint(r, "project", 1, INT64_MAX, 0);
  const char *village = req_arg(r, "village"), *group = req_arg(r, "group"), *q = req_arg(r, "q");
  const char *state = qenum(r, "state", land_states);
  int64_t owing = qint(r, "owing", 0, 1, 0), mismatch = qint(r, "area_mismatch", 0, 1, 0);
  const char *order = req_sort(r, sorts, "h.id");
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val args[24];
  int n = 0;
  sb_adds(&w, "WHERE 1 = 1");
  if (project) {
    sb_adds(&w, " AND h.project_id = ?");
    args[n++] = DBI(project);
  }
  if (village && *village) {
    sb_adds(&w, " AND h.village = ?");
    args[n++] = DBT(village);
  }
  if (group && *group) {
    sb_adds(&w, " AND h.grp = ?");
    args[n++] = DBT(group);
  }
  int all = scope_reads_all(r);
  if (state) {
    /* in scope, the user's projects lead (their households by the project
     * index); `|| ''` keeps SQLite off the state index, which would read
     * every household of the state province-wide (0.23 s → 0.02 s) */
    sb_adds(&w, all ? " AND h.state = ?" : " AND h.state || '' = ?");
    args[n++] = DBT(state);
  }
  if (owing) sb_adds(&w, " AND h.paid < h.due");
  if (mismatch) sb_adds(&w, " AND h.outline_m2 IS NOT NULL AND (h.outline_m2 * 3 > (h.collective_mu + h.state_mu) * 21 OR "
                            "h.outline_m2 * 3 < (h.collective_mu + h.state_mu) * 19)");
  if (q && *q) {
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    sb_adds(&w, " AND (h.head_name LIKE ? OR h.village LIKE ? OR h.notes LIKE ?)");
    args[n++] = DBT(like);
    args[n++] = DBT(like);
    args[n++] = DBT(like);
  }
  if (has_role(r, ROLE_PUBLIC) && !all) sb_adds(&w, " AND 1 = 0");
  if (!all) {
    /* the scope as the set of the user's projects: the households follow
     * by the project index, and the count needs no join */
    sb_adds(&w, " AND h.project_id IN (");
    project_scope_ids_sql(r, &w, args, &n);
    sb_adds(&w, ")");
  }
  const char *where = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  /* With nothing to filter, the count has no WHERE at all: SQLite then
   * counts the entries of the smallest index (5 ms for 1,000,000
   * households) where "WHERE 1 = 1" made it scan the widest covering index
   * (40 ms). */
  int64_t total = db_int1v(r->db, -1,
                           arena_printf(&r->a, "SELECT COUNT(*) FROM land_households h %s",
                                        strcmp(where, "WHERE 1 = 1") == 0 ? "" : where),
                           n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  db_stmt *st = db_prepare(r->db,
                           arena_printf(&r->a, "SELECT " HH_COLS "FROM land_households h JOIN projects p ON p.id = h.project_id %s "
                                               "ORDER BY %s LIMIT ? OFFSET ?",
                                        where, order),
                           n, args);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) land_household_finish(it, 0);
  reply_list(r, items, total, &pg);
}

/* GET /api/v1/households */
static void households_list(req *r) { households_list_in(r, 0); }

/* GET /api/v1/projects/{id}/households */
static void project_households_list(req *r) {
  int64_t project = req_id(r, 0);
  if (!project) return;
  if (land_project_scope(r, project) == PSCOPE_NONE) return reply_not_found(r, "项目", "Project");
  households_list_in(r, project);
}

/* GET /api/v1/households/{id}[?reveal=1] — a reveal is for land staff with
 * write scope and is itself audited, in the same transaction. */
static void household_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  int64_t reveal = qint(r, "reveal", 0, 1, 0);
  if (has_errors(r)) return reply_invalid(r);
  /* the household, its project's scope and whether the user is land staff
   * in one statement (land_household_open, land_is_staff and
   * land_household_json's row were three round trips on PostgreSQL) */
  db_stmt *st = db_query(r->db,
                         "SELECT " HH_COLS ", h.geojson AS geojson__j, p.unit_id AS scope_unit, p.hq_id AS scope_hq, "
                         "p.owner_unit_id AS scope_owner, p.published AS scope_published, "
                         "(SELECT COUNT(*) FROM land_staff s WHERE s.user_id = ?) AS scope_staff "
                         "FROM land_households h JOIN projects p ON p.id = h.project_id WHERE h.id = ?",
                         DBI(r->user.id), DBI(id));
  int step = st ? db_step(st) : DB_ERROR;
  json_t *o = step == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (step != DB_ROW && step != DB_DONE) return reply_db_error(r, db_errcode(r->db));
  int sc = PSCOPE_NONE;
  int64_t in_staff = 0;
  if (o) {
    static const char *const scope_keys[] = {"scope_unit", "scope_hq", "scope_owner", "scope_published", "scope_staff"};
    int64_t v[5];
    for (int i = 0; i < 5; i++) {
      v[i] = json_integer_value(json_object_get(o, scope_keys[i]));
      json_object_del(o, scope_keys[i]);
    }
    if (!has_role(r, ROLE_PUBLIC) || scope_reads_all(r)) sc = project_scope_of(r, v[0], v[1], v[2], (int)v[3]);
    in_staff = v[4];
  }
  if (sc == PSCOPE_NONE) {
    json_decref(o);
    return reply_not_found(r, "农户", "Household");
  }
  int staff = sc >= PSCOPE_WRITE && r->user.id && in_staff > 0;
  if (reveal && !staff) {
    json_decref(o);
    return reply_forbidden(r, "只有征拆工作人员可以查看完整身份证号和电话", "only land staff may reveal ID numbers and phones");
  }
  land_household_finish(o, reveal != 0);
  household_detail(r->db, o, id);
  json_object_set_new(o, "can_edit", json_boolean(sc >= PSCOPE_WRITE));
  json_object_set_new(o, "can_reveal", json_boolean(staff));
  etag(r, o);
  if (!reveal) return reply_json(r, 200, o);
  json_t *what = json_pack("{s:[s,s]}", "revealed", "id_number", "phone");
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = audit_log(r, "read", "land_household", id, NULL, what);
  json_decref(what);
  commit_reply(r, rc, NULL, o, 200);
}

/* PATCH /api/v1/households/{id} */
static void household_patch(req *r) {
  int64_t id = req_id(r, 0), pid = id ? land_household_open(r, id, PSCOPE_WRITE, NULL) : 0;
  if (!pid) return;
  json_t *in = req_json(r, hh_fields);
  if (!in) return;
  int64_t version = req_version(r, in);
  land_hh_in h = {.outline = -1};
  if (land_household_load(r->db, &r->a, id, &h) != 0) return reply_db_error(r, db_errcode(r->db));
  land_household_read(r, in, &h, 0);
  if (has_errors(r)) return reply_invalid(r);
  if (!version)
    return reply_problem(r, 428, "需要版本号 / Version required",
                         "请在If-Match头或version字段中给出读取时的版本 / Send the version you read as If-Match or the version field");
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  json_t *before = land_household_json(r->db, id, 0, 0);
  rc = db_exec(r->db,
               "UPDATE land_households SET village = ?, grp = ?, head_name = ?, id_number = ?, phone = ?, collective_mu = ?, "
               "state_mu = ?, houses = ?, house_area = ?, notes = ?, geojson = ?, outline_m2 = ?, surveyed_on = ?, "
               "version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
               DBT(h.village), DBT(h.group ? h.group : ""), DBT(h.head_name), DBT(h.id_number), DBT(h.phone),
               DBI(h.collective), DBI(h.state_owned), DBI(h.houses), DBI(h.house_area), DBT(h.notes), DBT(h.geojson),
               h.outline >= 0 ? DBR(h.outline) : DBNULL, DBT(h.surveyed_on), DBT(now_rfc3339(&r->a)), DBI(id), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    json_decref(before);
    db_rollback(r->db);
    return reply_problem(r, 409, "版本冲突 / Version conflict",
                         "该户已被他人修改，请刷新后重试 / The household changed meanwhile; reload and retry");
  }
  if (rc == DB_OK) rc = land_rollup_project(r->db, pid);
  /* a corrected area of a household handed over may complete the acquisition */
  if (rc == DB_OK) rc = land_sync_nodes(r->db, pid, now_rfc3339(&r->a));
  json_t *after = rc == DB_OK ? land_household_json(r->db, id, 0, 1) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "land_household", id, before, after) : db_errcode(r->db);
  if (after) etag(r, after);
  commit_reply(r, rc, before, after, 200);
}

/* Recomputes a household's due, paid and unvalued from its items, and bumps
 * its version (a concurrent transition based on the old items fails); then
 * its project's roll-up. */
static int recompute(db *d, int64_t id, const char *now) {
  int rc = db_exec(d,
                 "UPDATE land_households SET due = (SELECT COALESCE(SUM(amount), 0) FROM land_items WHERE household_id = ?), "
                 "paid = (SELECT COALESCE(SUM(paid), 0) FROM land_items WHERE household_id = ?), "
                 "unvalued = (SELECT COUNT(*) FROM land_items WHERE household_id = ? AND amount IS NULL), "
                 "version = version + 1, updated_at = ? WHERE id = ?",
                 DBI(id), DBI(id), DBI(id), DBT(now), DBI(id));
  return rc == DB_OK ? land_rollup_household(d, id) : rc;
}

static int household_state(db *d, int64_t id) {
  db_stmt *st = db_query(d, "SELECT state FROM land_households WHERE id = ?", DBI(id));
  int s = st && db_step(st) == DB_ROW ? land_code(land_states, db_text(st, 0)) : -1;
  db_done(st);
  return s;
}

static json_t *item_load(db *d, int64_t id) {
  db_stmt *st = db_query(d, "SELECT " ITEM_COLS " FROM land_items WHERE id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? item_json(st) : NULL;
  db_done(st);
  return o;
}

/* Claims the household for a change of its items: only before signing.
 * 0, or replies 409 and returns -1. */
static int items_open(req *r, int64_t id) {
  int rc = db_exec(r->db, "UPDATE land_households SET version = version + 1 WHERE id = ? AND state IN ('surveyed', 'valued')", DBI(id));
  if (rc != DB_OK) {
    reply_db_error(r, rc);
    return -1;
  }
  if (db_changes(r->db) == 0) {
    db_rollback(r->db);
    reply_problem(r, 409, "已签约 / Already signed",
                  "签约后不能再修改补偿项 / Compensation items cannot change after signing");
    return -1;
  }
  return 0;
}

/* POST /api/v1/households/{id}/items {kind, amount, note} */
static void item_post(req *r) {
  static const char *const fields[] = {"kind", "amount", "note", NULL};
  int64_t id = req_id(r, 0);
  if (!id || !land_household_open(r, id, PSCOPE_WRITE, NULL)) return;
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *kind = NULL, *note = NULL;
  int64_t amount = 0;
  jenum(r, in, "kind", 1, land_item_kinds, &kind);
  int has = jmoney(r, in, "amount", 0, &amount) == JV_SET;
  jstr(r, in, "note", 0, 500, &note);
  if (has_errors(r)) return reply_invalid(r);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  if (items_open(r, id) != 0) return;
  const char *now = now_rfc3339(&r->a);
  db_stmt *st = db_query(r->db, "INSERT INTO land_items (household_id, kind, amount, paid, note, created_at) VALUES (?, ?, ?, 0, ?, ?) RETURNING id",
                         DBI(id), DBT(kind), has ? DBI(amount) : DBNULL, DBT(note), DBT(now));
  int64_t item = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  rc = item ? recompute(r->db, id, now) : db_errcode(r->db);
  json_t *after = rc == DB_OK ? item_load(r->db, item) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "create", "land_item", item, NULL, after) : db_errcode(r->db);
  commit_reply(r, rc, NULL, after, 201);
}

/* PATCH /api/v1/households/{id}/items/{item} {amount, note} */
static void item_patch(req *r) {
  static const char *const fields[] = {"amount", "note", NULL};
  int64_t id = req_id(r, 0), item = id ? req_id(r, 1) : 0;
  if (!item || !land_household_open(r, id, PSCOPE_WRITE, NULL)) return;
  json_t *before = item_load(r->db, item);
  if (!before || json_integer_value(json_object_get(before, "household_id")) != id) {
    json_decref(before);
    return reply_not_found(r, "补偿项", "Compensation item");
  }
  json_t *in = req_json(r, fields);
  if (!in) return json_decref(before);
  int64_t amount = 0;
  const char *note = json_string_value(json_object_get(before, "note"));
  int st = jmoney(r, in, "amount", 0, &amount);
  jstr(r, in, "note", 0, 500, &note);
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }
  int rc = db_begin(r->db);
  if (rc != DB_OK) {
    json_decref(before);
    return reply_db_error(r, rc);
  }
  if (items_open(r, id) != 0) return json_decref(before);
  const char *now = now_rfc3339(&r->a);
  if (st == JV_SET || st == JV_NULL)
    rc = db_exec(r->db, "UPDATE land_items SET amount = ?, note = ? WHERE id = ?", st == JV_SET ? DBI(amount) : DBNULL,
                 DBT(note), DBI(item));
  else
    rc = db_exec(r->db, "UPDATE land_items SET note = ? WHERE id = ?", DBT(note), DBI(item));
  if (rc == DB_OK) rc = recompute(r->db, id, now);
  json_t *after = rc == DB_OK ? item_load(r->db, item) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "land_item", item, before, after) : db_errcode(r->db);
  commit_reply(r, rc, before, after, 200);
}

/* POST /api/v1/households/{id}/payments {item_id, amount, paid_on, payer} —
 * partial payments add up; never more than the item still owes. */
static void payment_post(req *r) {
  static const char *const fields[] = {"item_id", "amount", "paid_on", "payer", NULL};
  int64_t id = req_id(r, 0);
  if (!id || !land_household_open(r, id, PSCOPE_WRITE, NULL)) return;
  json_t *in = req_json(r, fields);
  if (!in) return;
  int64_t item = 0, amount = 0;
  const char *paid_on = NULL, *payer = NULL;
  jint(r, in, "item_id", 1, 1, INT64_MAX, &item);
  if (jmoney(r, in, "amount", 1, &amount) == JV_SET && amount == 0)
    field_error(r, "amount", "支付金额应大于0", "must be more than 0");
  if (jdate(r, in, "paid_on", 1, &paid_on) == JV_SET && strcmp(paid_on, land_today(&r->a)) > 0)
    field_error(r, "paid_on", "支付日期不能晚于今天", "cannot be in the future");
  jstr(r, in, "payer", 0, 100, &payer);
  json_t *it = item ? item_load(r->db, item) : NULL;
  if (item && (!it || json_integer_value(json_object_get(it, "household_id")) != id))
    field_error(r, "item_id", "该户没有这个补偿项", "no such compensation item on this household");
  if (it && !has_errors(r) && json_is_null(json_object_get(it, "amount")))
    field_error(r, "item_id", "该补偿项尚未录入金额", "the item has no amount yet");
  if (it && !has_errors(r)) {
    int64_t owed = 0;
    money_parse(json_string_value(json_object_get(it, "owed")), &owed);
    if (amount > owed)
      field_error(r, "amount", arena_printf(&r->a, "超过该项尚欠金额%s元", json_string_value(json_object_get(it, "owed"))),
                  arena_printf(&r->a, "more than the %s yuan the item still owes", json_string_value(json_object_get(it, "owed"))));
  }
  json_decref(it);
  if (has_errors(r)) return reply_invalid(r);
  if (household_state(r->db, id) < LS_SIGNED)
    return reply_problem(r, 409, "尚未签约 / Not signed", "签约后方可支付补偿款 / Compensation is paid once the agreement is signed");
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  const char *now = now_rfc3339(&r->a);
  /* conditional: two payments at once never pay more than is owed */
  rc = db_exec(r->db, "UPDATE land_items SET paid = paid + ? WHERE id = ? AND amount - paid >= ?", DBI(amount), DBI(item), DBI(amount));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    return reply_problem(r, 409, "超额支付 / Overpayment", "该项尚欠金额已变化，请刷新 / What the item owes changed meanwhile; reload");
  }
  db_stmt *st = rc == DB_OK ? db_query(r->db,
                                       "INSERT INTO land_payments (household_id, item_id, amount, paid_on, payer, user_id, created_at) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                       DBI(id), DBI(item), DBI(amount), DBT(paid_on), DBT(payer), DBI(r->user.id), DBT(now))
                            : NULL;
  int64_t pid = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  if (rc == DB_OK) rc = pid ? recompute(r->db, id, now) : db_errcode(r->db);
  json_t *after = NULL;
  if (rc == DB_OK) {
    after = json_pack("{s:I, s:I, s:I, s:o, s:s, s:s?}", "id", (json_int_t)pid, "household_id", (json_int_t)id, "item_id",
                      (json_int_t)item, "amount", json_money(amount), "paid_on", paid_on, "payer", payer);
    json_t *now_item = item_load(r->db, item);
    json_object_set_new(after, "item", now_item ? now_item : json_null());
    rc = audit_log(r, "create", "land_payment", pid, NULL, after);
  }
  commit_reply(r, rc, NULL, after, 201);
}

static int payment_can(req *r, int64_t pid, int need) {
  int64_t project = db_int1(r->db, 0,
                            "SELECT h.project_id FROM land_payments y JOIN land_households h ON h.id = y.household_id WHERE y.id = ?",
                            DBI(pid));
  return project && land_project_scope(r, project) >= need;
}
static int payment_can_read(req *r, int64_t pid) { return payment_can(r, pid, PSCOPE_READ); }
static int payment_can_write(req *r, int64_t pid) { return payment_can(r, pid, PSCOPE_WRITE); }
ATTACH_ENTITY_REGISTER(land_payment_attach, "land_payment", payment_can_read, payment_can_write)

/* POST /api/v1/land-payments/{id}/voucher — the voucher as the raw body. */
static void payment_voucher(req *r) {
  int64_t pid = req_id(r, 0);
  if (!pid) return;
  if (!payment_can(r, pid, PSCOPE_READ)) return reply_not_found(r, "支付记录", "Payment");
  if (!payment_can_write(r, pid)) return reply_forbidden(r, "只能修改本单位项目的征拆台账", "you may change only your units' land ledgers");
  attach_upload(r, "land_payment", pid, ATTACH_DOCUMENT);
}

/* Loads a household and its items for the rule. */
static int view_load(db *d, arena *a, int64_t id, land_hh_view *v, int64_t *version) {
  db_stmt *st = db_query(d, "SELECT state, houses, version FROM land_households WHERE id = ?", DBI(id));
  if (!st || db_step(st) != DB_ROW) {
    db_done(st);
    return -1;
  }
  v->state = land_code(land_states, db_text(st, 0));
  v->houses = (int)db_int(st, 1);
  *version = db_int(st, 2);
  db_done(st);
  int cap = (int)db_int1(d, 0, "SELECT COUNT(*) FROM land_items WHERE household_id = ?", DBI(id));
  land_item_view *items = arena_alloc(a, sizeof *items * (size_t)(cap + 1));
  int n = 0;
  st = db_query(d, "SELECT id, kind, amount, paid FROM land_items WHERE household_id = ? ORDER BY id", DBI(id));
  while (st && db_step(st) == DB_ROW && n < cap) {
    land_item_view *it = &items[n++];
    it->id = db_int(st, 0);
    it->kind = arena_strdup(a, db_text(st, 1));
    it->has_amount = !db_isnull(st, 2);
    it->amount = it->has_amount ? db_int(st, 2) : 0;
    it->paid = db_int(st, 3);
  }
  db_done(st);
  v->nitems = n;
  v->items = items;
  return 0;
}

/* POST /api/v1/households/{id}/transitions {to, on, version} */
static void transition_post(req *r) {
  static const char *const fields[] = {"to", "on", "version", NULL};
  static const char *const targets[] = {"valued", "signed", "demolished", "handed_over", NULL};
  int64_t id = req_id(r, 0), pid = id ? land_household_open(r, id, PSCOPE_WRITE, NULL) : 0;
  if (!pid) return;
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *to = NULL, *on = NULL;
  jenum(r, in, "to", 1, targets, &to);
  if (jdate(r, in, "on", 0, &on) == JV_SET && strcmp(on, land_today(&r->a)) > 0)
    field_error(r, "on", "日期不能晚于今天", "cannot be in the future");
  int64_t sent = req_version(r, in);
  if (has_errors(r)) return reply_invalid(r);
  if (!on) on = land_today(&r->a);
  land_hh_view v;
  int64_t version;
  if (view_load(r->db, &r->a, id, &v, &version) != 0) return reply_db_error(r, db_errcode(r->db));
  if (sent && sent != version)
    return reply_problem(r, 409, "版本冲突 / Version conflict", "该户已被他人修改，请刷新后重试 / The household changed meanwhile; reload and retry");
  int target = land_code(land_states, to);
  char zh[300], en[300];
  int verdict = land_transition_check(&v, target, zh, en, sizeof zh);
  if (verdict != LAND_OK) {
    field_error(r, "to", zh, en);
    return reply_problem(r, (unsigned)verdict, verdict == LAND_ORDER ? "不符合征拆顺序 / Out of sequence" : "条件未满足 / Not ready",
                         arena_printf(&r->a, "%s / %s", zh, en));
  }
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  json_t *before = land_household_json(r->db, id, 0, 0);
  const char *now = now_rfc3339(&r->a);
  rc = db_execv(r->db,
                arena_printf(&r->a, "UPDATE land_households SET state = ?, %s_on = ?, version = version + 1, updated_at = ? "
                                    "WHERE id = ? AND version = ?",
                             to),
                5, (db_val[]){DBT(to), DBT(on), DBT(now), DBI(id), DBI(version)});
  if (rc == DB_OK && db_changes(r->db) == 0) {
    json_decref(before);
    db_rollback(r->db);
    return reply_problem(r, 409, "版本冲突 / Version conflict", "该户已被他人修改，请刷新后重试 / The household changed meanwhile; reload and retry");
  }
  if (rc == DB_OK)
    rc = db_exec(r->db, "INSERT INTO land_events (household_id, from_state, to_state, on_date, user_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                 DBI(id), DBT(land_states[v.state]), DBT(to), DBT(on), DBI(r->user.id), DBT(now));
  if (rc == DB_OK) rc = land_rollup_project(r->db, pid);
  /* the battle map's land-acquisition node completes with the acquisition */
  if (rc == DB_OK && target == LS_HANDED_OVER) rc = land_sync_nodes(r->db, pid, now);
  json_t *after = rc == DB_OK ? land_household_json(r->db, id, 0, 1) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "land_household", id, before, after) : db_errcode(r->db);
  if (after) etag(r, after);
  commit_reply(r, rc, before, after, 200);
}

/* ---- land staff ---- */

/* GET /api/v1/land-staff */
static void staff_list(req *r) {
  page pg;
  req_page(r, &pg);
  if (has_errors(r)) return reply_invalid(r);
  int64_t total = db_int10(r->db, -1, "SELECT COUNT(*) FROM land_staff");
  db_stmt *st = db_query(r->db,
                         "SELECT s.user_id, u.login, u.name, n.name AS unit_name, s.granted_at FROM land_staff s "
                         "JOIN users u ON u.id = s.user_id JOIN units n ON n.id = u.unit_id ORDER BY u.login LIMIT ? OFFSET ?",
                         DBI(pg.per_page), DBI(pg.offset));
  reply_rows(r, st, total, &pg);
}

/* PUT /api/v1/land-staff/{user} — grants the reading of personal data. */
static void staff_put(req *r) {
  int64_t user = req_id(r, 0);
  if (!user) return;
  if (db_int1(r->db, 0, "SELECT 1 FROM users WHERE id = ?", DBI(user)) != 1) return reply_not_found(r, "用户", "User");
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  const char *now = now_rfc3339(&r->a);
  rc = db_exec(r->db, "INSERT INTO land_staff (user_id, granted_by, granted_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO NOTHING",
               DBI(user), DBI(r->user.id), DBT(now));
  json_t *after = json_pack("{s:I, s:s}", "user_id", (json_int_t)user, "granted_at", now);
  if (rc == DB_OK) rc = audit_log(r, "create", "land_staff", user, NULL, after);
  commit_reply(r, rc, NULL, after, 200);
}

/* DELETE /api/v1/land-staff/{user} */
static void staff_delete(req *r) {
  int64_t user = req_id(r, 0);
  if (!user) return;
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  rc = db_exec(r->db, "DELETE FROM land_staff WHERE user_id = ?", DBI(user));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    return reply_not_found(r, "征拆工作人员", "Land staff member");
  }
  if (rc == DB_OK) rc = audit_log(r, "delete", "land_staff", user, NULL, NULL);
  commit_reply(r, rc, NULL, NULL, 204);
}

int64_t land_count_at_least(db *d, int64_t project_id, int min_state) {
  strbuf sql = STRBUF_INIT;
  sb_adds(&sql, "SELECT COUNT(*) FROM land_households WHERE project_id = ? AND state IN (");
  for (int i = min_state; i < LS_COUNT; i++) sb_addf(&sql, "%s'%s'", i == min_state ? "" : ", ", land_states[i]);
  sb_adds(&sql, ")");
  int64_t n = db_int1(d, 0, sb_str(&sql), DBI(project_id));
  sb_release(&sql);
  return n;
}

#define LAND_READERS (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT | ROLE_ENTERPRISE)
#define LAND_WRITERS (ROLE_ADMIN | ROLE_OFFICE | ROLE_UNIT)

static const route land_ledger_routes[] = {
    /* cacheable: masked answers per user, renewed by any audited change */
    ROUTE("GET", "/api/v1/households", households_list, LAND_READERS, "征拆台账 / The land acquisition ledger", 0,
          DOM_LAND | DOM_PROJECTS | DOM_ATTACHMENTS),
    ROUTE("GET", "/api/v1/projects/{id}/households", project_households_list, LAND_READERS, "项目征拆台账 / A project's ledger", 0,
          DOM_LAND | DOM_PROJECTS | DOM_ATTACHMENTS),
    ROUTE("POST", "/api/v1/projects/{id}/households", household_post, LAND_WRITERS, "新增被征收户 / Add a household", 0),
    ROUTE("GET", "/api/v1/households/{id}", household_get, LAND_READERS, "被征收户详情 / One household", 0),
    ROUTE("PATCH", "/api/v1/households/{id}", household_patch, LAND_WRITERS, "修改被征收户 / Change a household", 0),
    ROUTE("POST", "/api/v1/households/{id}/items", item_post, LAND_WRITERS, "新增补偿项 / Add a compensation item", 0),
    ROUTE("PATCH", "/api/v1/households/{id}/items/{item}", item_patch, LAND_WRITERS, "修改补偿项 / Change an item", 0),
    ROUTE("POST", "/api/v1/households/{id}/payments", payment_post, LAND_WRITERS, "登记补偿款支付 / Record a payment", 0),
    ROUTE("POST", "/api/v1/land-payments/{id}/voucher", payment_voucher, LAND_WRITERS, "上传支付凭证 / Attach a voucher",
          ATTACH_MAX_BYTES + 1024),
    ROUTE("POST", "/api/v1/households/{id}/transitions", transition_post, LAND_WRITERS,
          "征拆状态推进 / Move a household (sequence rule)", 0),
    ROUTE("GET", "/api/v1/land-staff", staff_list, ROLE_ADMIN, "征拆工作人员 / Land staff", 0),
    ROUTE("PUT", "/api/v1/land-staff/{id}", staff_put, ROLE_ADMIN, "授权查看个人信息 / Grant land staff", 0),
    ROUTE("DELETE", "/api/v1/land-staff/{id}", staff_delete, ROLE_ADMIN, "撤销授权 / Revoke land staff", 0),
    {0},
};

static const module land_ledger_module = {"land_ledger", 70, land_ledger_routes, land_demo, NULL, NULL};
MODULE_REGISTER(land_ledger_module)
