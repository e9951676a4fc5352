/*
 * fin_whitelist.c — the white list (推荐名单): the enterprises the district
 * recommends to the banks, per year, with a note.  The office keeps it;
 * admin, office, leaders and banks read it (banks to pick whom to serve
 * first); an enterprise sees only whether it is on it.  Needs of a
 * recommended enterprise carry `recommended: true` (fin_needs.c).
 *
 * GET    /api/v1/financing-whitelist?year&q&page&per_page&sort&format
 * POST   /api/v1/financing-whitelist {enterprise_id, year, note}    office
 * DELETE /api/v1/financing-whitelist/{id}                           office
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "clock.h"
#include "fin.h"

#define WL_COLS                                                                                                   \
  "k.id, k.enterprise_unit_id AS enterprise_id, e.name AS enterprise_name, k.year, k.note, "                      \
  "(SELECT COUNT(*) FROM fin_needs n WHERE n.enterprise_unit_id = k.enterprise_unit_id AND n.state = 'open') AS open_needs, " \
  "u.name AS created_by_name, k.created_at "
#define WL_FROM "FROM fin_whitelist k JOIN units e ON e.id = k.enterprise_unit_id LEFT JOIN users u ON u.id = k.created_by "

static json_t *wl_json(db *d, int64_t id) {
  db_stmt *st = db_query(d, "SELECT " WL_COLS WL_FROM "WHERE k.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  return o;
}

/* GET /api/v1/financing-whitelist?year&q&page&per_page&sort&format */
static void wl_list(req *r) {
  static const char *const sorts[] = {"enterprise_name", "e.name", "year", "k.year", "created_at", "k.created_at", NULL};
  page pg;
  req_page(r, &pg);
  int64_t year = qint(r, "year", 2000, 2100, 0);
  const char *q = req_arg(r, "q");
  const char *order = req_sort(r, sorts, "k.year DESC, e.name");
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  sb_adds(&w, "WHERE 1 = 1");
  if (!scope_reads_all(r) && !has_role(r, ROLE_BANK)) {
    sb_adds(&w, " AND k.enterprise_unit_id = ?");
    args[n++] = DBI(r->user.unit_id);
  }
  db_where_int(&w, args, &n, " AND k.year = ?", year);
  if (q && *q) {
    sb_adds(&w, " AND (e.name LIKE ? OR k.note LIKE ?)");
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    args[n++] = DBT(like);
    args[n++] = DBT(like);
  }
  const char *where = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) " WL_FROM "%s", where), n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  reply_rows(r, db_prepare(r->db, arena_printf(&r->a, "SELECT " WL_COLS WL_FROM "%s ORDER BY %s LIMIT ? OFFSET ?", where, order), n, args),
             total, &pg);
}

/* POST /api/v1/financing-whitelist {enterprise_id, year, note} */
static void wl_post(req *r) {
  static const char *const fields[] = {"enterprise_id", "year", "note", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  int64_t ent = 0, year = 0;
  const char *note = NULL;
  char today[11];
  date_format(clock_today(), today);
  year = strtol(today, NULL, 10);
  if (jint(r, in, "enterprise_id", 1, 1, INT64_MAX, &ent) == JV_SET && !fin_unit_is(r->db, ent, "enterprise"))
    field_error(r, "enterprise_id", "企业不存在", "no such enterprise");
  jint(r, in, "year", 0, 2000, 2100, &year);
  if (jstr(r, in, "note", 0, 500, &note) == JV_NULL) note = NULL;
  if (!has_errors(r) &&
      db_int1(r->db, 0, "SELECT 1 FROM fin_whitelist WHERE enterprise_unit_id = ? AND year = ?", DBI(ent), DBI(year)) == 1)
    field_error(r, "enterprise_id", "该企业本年度已在推荐名单中", "the enterprise is already on the list for the year");
  if (has_errors(r)) return reply_invalid(r);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO fin_whitelist (enterprise_unit_id, year, note, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                         DBI(ent), DBI(year), DBT(note), DBI(r->user.id), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  json_t *after = id ? wl_json(r->db, id) : NULL;
  rc = after ? audit_log(r, "create", "fin_whitelist", id, NULL, after) : db_errcode(r->db);
  commit_reply(r, rc, NULL, after, 201);
}

/* DELETE /api/v1/financing-whitelist/{id} */
static void wl_delete(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *before = wl_json(r->db, id);
  if (!before) return reply_not_found(r, "推荐名单条目", "white list entry");
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM fin_whitelist WHERE id = ?", DBI(id));
  if (rc == DB_OK) rc = audit_log(r, "delete", "fin_whitelist", id, before, NULL);
  commit_reply(r, rc, before, NULL, 204);
}

static const route wl_routes[] = {
    ROUTE("GET", "/api/v1/financing-whitelist", wl_list, FIN_READERS, "推荐名单 / White list of enterprises", 0),
    ROUTE("POST", "/api/v1/financing-whitelist", wl_post, ROLE_ADMIN | ROLE_OFFICE, "加入推荐名单 / Recommend an enterprise", 0),
    ROUTE("DELETE", "/api/v1/financing-whitelist/{id}", wl_delete, ROLE_ADMIN | ROLE_OFFICE, "移出推荐名单 / Remove from the white list", 0),
    {0},
};

static const module fin_whitelist_module = {"fin_whitelist", 63, wl_routes, NULL, NULL, NULL};
MODULE_REGISTER(fin_whitelist_module)
