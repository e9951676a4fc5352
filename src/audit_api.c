/*
 * audit_api.c — reading the audit log (审计日志).  The log is append-only:
 * there is deliberately no endpoint that changes or deletes an entry, and
 * the triggers of sql/0002 refuse it in the database itself.  Administrators
 * and the project office read it; leaders and everyone else do not (it
 * names people and shows personal data before and after changes).
 *
 * GET /api/v1/audit?entity&entity_id&user&action&from&to&page&per_page
 *   user: a login (or a numeric user id); from/to: China dates YYYY-MM-DD,
 *   both inclusive.  Newest first.  Items {id,at,user_id,user_login,ip,action,
 *   entity,entity_id,before,after}, before/after as JSON objects.
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "http.h"

static void audit_list(req *r) {
  page p;
  req_page(r, &p);
  const char *entity = req_arg(r, "entity");
  int64_t entity_id = qint(r, "entity_id", 1, INT64_MAX, 0);
  const char *user = req_arg(r, "user");
  const char *action = req_arg(r, "action");
  const char *from = qdate(r, "from"), *to = qdate(r, "to");
  if (from && to && strcmp(from, to) > 0) field_error(r, "to", "结束日期不能早于开始日期", "must not be before from");
  if (has_errors(r)) return reply_invalid(r);
  strbuf where = STRBUF_INIT;
  db_val args[10];
  int n = 0;
  sb_adds(&where, " WHERE 1 = 1");
  db_where_text(&where, args, &n, " AND entity = ?", entity);
  db_where_int(&where, args, &n, " AND entity_id = ?", entity_id);
  if (user && *user) {
    char *end;
    long long uid = strtoll(user, &end, 10);
    if (!*end && uid > 0) {
      sb_adds(&where, " AND user_id = ?");
      args[n++] = DBI(uid);
    } else {
      sb_adds(&where, " AND user_login = ?");
      args[n++] = DBT(user);
    }
  }
  db_where_text(&where, args, &n, " AND action = ?", action);
  /* `at` is RFC 3339 text in UTC, so instants compare as text.  from/to are
   * China dates (UTC+8): China's day D runs from D-1T16:00Z to DT16:00Z. */
  if (from) {
    int32_t d;
    date_parse(from, &d);
    char start[11];
    date_format(d - 1, start);
    sb_adds(&where, " AND at >= ?");
    args[n++] = DBT(arena_printf(&r->a, "%sT16:00:00", start));
  }
  if (to) {
    int32_t d;
    date_parse(to, &d);
    char end[11];
    date_format(d, end);
    sb_adds(&where, " AND at < ?");
    args[n++] = DBT(arena_printf(&r->a, "%sT16:00:00", end));
  }
  const char *w = arena_strdup(&r->a, sb_str(&where));
  sb_release(&where);
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) FROM audit_log%s", w), n, args);
  args[n++] = DBI(p.per_page);
  args[n++] = DBI(p.offset);
  db_stmt *st = db_prepare(r->db,
                           arena_printf(&r->a,
                                        "SELECT id, at, user_id, user_login, ip, action, entity, entity_id, "
                                        "before_json AS before__j, after_json AS after__j FROM audit_log%s "
                                        "ORDER BY id DESC LIMIT ? OFFSET ?",
                                        w),
                           n, args);
  reply_rows(r, st, total, &p);
}

static const route audit_routes[] = {
    ROUTE("GET", "/api/v1/audit", audit_list, ROLE_ADMIN | ROLE_OFFICE,
          "审计日志（只读，按对象、用户、时间筛选） / The audit log (read-only; by entity, user, time)", 0),
    {0},
};

static const char audit_schemas[] =
    "{\"AuditEntry\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"at\":{\"type\":\"string\"},"
    "\"user_id\":{\"type\":[\"integer\",\"null\"]},\"user_login\":{\"type\":[\"string\",\"null\"]},\"ip\":{\"type\":[\"string\",\"null\"]},"
    "\"action\":{\"type\":\"string\"},\"entity\":{\"type\":\"string\"},\"entity_id\":{\"type\":[\"integer\",\"null\"]},"
    "\"before\":{\"type\":[\"object\",\"null\"]},\"after\":{\"type\":[\"object\",\"null\"]}}}}";

static const module audit_module = {"audit", 23, audit_routes, NULL, audit_schemas};
MODULE_REGISTER(audit_module)
