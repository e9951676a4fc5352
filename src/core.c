/*
 * core.c — endpoints every deployment has: health, the OpenAPI document
 * (generated from the route table, so it cannot drift from the code), the
 * version, and the working-day calendar.
 *
 * GET  /api/v1/health
 * GET  /api/v1/openapi.json
 * GET  /api/v1/calendar?year=YYYY                       overrides of a year
 * PUT  /api/v1/calendar/days/{day}  {"kind","name"}     admin: set one day
 * GET  /api/v1/calendar/add-working-days?from=&days=    {"date"}
 * GET  /api/v1/calendar/working-days-between?from=&to= {"days"}
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "calendar_db.h"
#include "http.h"
#include "migrate.h"
#include "version.h"

/* ---- handlers ---- */

/* A successful check is reused for up to a second by every request of this
 * process, so a load balancer polling many times a second costs the
 * database one query a second (a round trip each on PostgreSQL).  A failed
 * check is never reused: after an outage the next call asks again.  While
 * a check is fresh, the HTTP layer's I/O thread answers /health itself
 * with the body kept here (health_recent), without a worker: a poll then
 * costs no queue hand-off, no database connection and no JSON building. */
#define HEALTH_REUSE_MS 1000
static struct {
  pthread_mutex_t lock;
  int64_t checked_ms; /* monotonic; 0: never */
  char body[192]; /* the answer of the last successful check */
  size_t len;
} health_seen = {PTHREAD_MUTEX_INITIALIZER, 0, {0}, 0};

static int64_t mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t health_recent(char *buf, size_t cap) {
  int64_t now = mono_ms();
  size_t len = 0;
  pthread_mutex_lock(&health_seen.lock);
  if (health_seen.checked_ms && now - health_seen.checked_ms < HEALTH_REUSE_MS && health_seen.len < cap) {
    len = health_seen.len;
    memcpy(buf, health_seen.body, len);
  }
  pthread_mutex_unlock(&health_seen.lock);
  return len;
}

static void health(req *r) {
  char body[sizeof health_seen.body];
  size_t len = health_recent(body, sizeof body);
  if (len) return reply_bytes(r, 200, "application/json; charset=utf-8", body, len);
  /* One query both proves the database answers and gives the schema version. */
  int version = (int)db_int10(r->db, -1, "SELECT MAX(version) FROM schema_migrations");
  int ok = version >= 0;
  json_t *o = json_pack("{s:s, s:s, s:s, s:i}", "status", ok ? "ok" : "error", "version", GUATU_VERSION, "database",
                        db_dialect(r->db) == DB_PG ? "postgresql" : "sqlite", "schema_version", version);
  reply_json(r, ok ? 200 : 503, o);
  pthread_mutex_lock(&health_seen.lock);
  health_seen.checked_ms = 0;
  if (ok && r->out && r->out_len < sizeof health_seen.body) {
    memcpy(health_seen.body, r->out, r->out_len);
    health_seen.len = r->out_len;
    health_seen.checked_ms = mono_ms();
  }
  pthread_mutex_unlock(&health_seen.lock);
}

static void add_working_days(req *r) {
  const char *from = qdate(r, "from");
  int64_t days = qint(r, "days", -3660, 3660, 0);
  if (!from && !has_errors(r)) field_error(r, "from", "必填", "required");
  if (!req_arg(r, "days") && !has_errors(r)) field_error(r, "days", "必填", "required");
  if (has_errors(r)) return reply_invalid(r);
  int32_t d;
  date_parse(from, &d);
  char out[11];
  date_format(calendar_add_working_days(req_calendar(r), d, (int)days), out);
  reply_json(r, 200, json_pack("{s:s}", "date", out));
}

static void working_days_between(req *r) {
  const char *from = qdate(r, "from"), *to = qdate(r, "to");
  if (!from && !has_errors(r)) field_error(r, "from", "必填", "required");
  if (!to && !has_errors(r)) field_error(r, "to", "必填", "required");
  if (has_errors(r)) return reply_invalid(r);
  int32_t a, b;
  date_parse(from, &a);
  date_parse(to, &b);
  if (abs(b - a) > 36600) {
    field_error(r, "to", "区间不能超过100年", "the range may not exceed 100 years");
    return reply_invalid(r);
  }
  reply_json(r, 200, json_pack("{s:i}", "days", calendar_working_days_between(req_calendar(r), a, b)));
}

typedef struct list_ctx {
  json_t *items;
  int32_t from, to;
} list_ctx;

static int collect_day(int32_t day, int kind, const char *name, void *ctx) {
  list_ctx *lc = ctx;
  if (day < lc->from || day > lc->to) return 0;
  char buf[11];
  date_format(day, buf);
  json_array_append_new(lc->items, json_pack("{s:s, s:s, s:s?}", "day", buf, "kind",
                                             kind == CAL_HOLIDAY ? "holiday" : kind == CAL_WORKDAY ? "workday" : "normal",
                                             "name", name));
  return 0;
}

static void calendar_year(req *r) {
  int64_t year = qint(r, "year", 1900, 2200, 0);
  if (!year && !has_errors(r)) field_error(r, "year", "必填", "required");
  if (has_errors(r)) return reply_invalid(r);
  list_ctx lc = {json_array(), date_from_ymd((int)year, 1, 1), date_from_ymd((int)year, 12, 31)};
  calendar_foreach_override(req_calendar(r), collect_day, &lc);
  page p = {1, (int64_t)json_array_size(lc.items), 0};
  reply_list(r, lc.items, (int64_t)json_array_size(lc.items), &p);
}

static void calendar_set_day(req *r) {
  static const char *const fields[] = {"kind", "name", NULL};
  static const char *const kinds[] = {"holiday", "workday", "normal", NULL};
  int32_t day;
  if (r->nparams < 1 || date_parse(r->params[0], &day) != 0) {
    field_error(r, "day", "日期应为YYYY-MM-DD", "must be a date YYYY-MM-DD");
    return reply_invalid(r);
  }
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *kind = NULL, *name = NULL;
  jenum(r, in, "kind", 1, kinds, &kind);
  jstr(r, in, "name", 0, 64, &name);
  if (has_errors(r)) return reply_invalid(r);
  int wd = date_weekday(day);
  if ((strcmp(kind, "holiday") == 0 && wd >= 6) || (strcmp(kind, "workday") == 0 && wd <= 5)) {
    field_error(r, "kind", "节假日应为工作日、调休上班日应为周末", "a holiday must fall on a weekday and a make-up workday on a weekend");
    return reply_invalid(r);
  }
  json_t *after = json_pack("{s:s, s:s, s:s?}", "day", r->params[0], "kind", kind, "name", name);
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = cal_store_day(r->db, r->params[0], kind, name);
  if (rc == DB_OK) rc = audit_log(r, "update", "calendar_day", 0, NULL, after);
  commit_reply(r, rc, NULL, after, 200);
}

/* OpenAPI 3.1 from the route table: paths, methods, summaries, the roles
 * allowed, and the shared conventions (problem+json, list envelope). */
static void openapi(req *r) {
  json_t *paths = json_object();
  json_t *schemas = json_object();
  for (int m = 0; m < module_count(); m++) {
    const module *mod = module_at(m);
    if (mod->schemas) {
      json_t *s = json_loads(mod->schemas, 0, NULL);
      if (s) json_object_update(schemas, s);
      json_decref(s);
    }
    for (const route *rt = mod->routes; rt && rt->method; rt++) {
      json_t *item = json_object_get(paths, rt->pattern);
      if (!item) {
        item = json_object();
        json_object_set_new(paths, rt->pattern, item);
      }
      char method[8];
      size_t i;
      for (i = 0; i < sizeof method - 1 && rt->method[i]; i++) method[i] = (char)(rt->method[i] | 0x20);
      method[i] = 0;
      json_t *params = json_array();
      for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        if (!e) break;
        json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1, (size_t)(e - p - 1), "in",
                                                "path", "required", 1, "schema", "type", "string"));
      }
      const char *who = rt->roles == ROLES_NONE ? "public" : rt->roles == ROLES_ANY ? "any logged-in user"
                                                                                    : roles_format(&r->a, rt->roles);
      json_t *op = json_pack(
          "{s:s, s:s, s:[s], s:o, s:{s:{s:s}, s:{s:s, s:{s:{s:{s:s}}}}, s:{s:s}, s:{s:s}}}", "summary", rt->summary,
          "description", arena_printf(&r->a, "Roles: %s", who), "tags", mod->name, "parameters", params,
          "responses", "200", "description", "OK", "default", "description", "Error (RFC 9457 problem details)",
          "content", "application/problem+json", "schema", "$ref", "#/components/schemas/Problem", "401",
          "description", "未登录 / Not logged in", "403", "description", "无权 / Forbidden");
      if (strcmp(rt->method, "POST") == 0 || strcmp(rt->method, "PATCH") == 0 || strcmp(rt->method, "PUT") == 0)
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content", "application/json",
                                      "schema", "type", "object"));
      /* answers kept by the response cache (http.c): what to warm and check */
      if (rt->cacheable) { /* the data domains whose changes renew the answer */
        json_t *doms = json_array();
        for (int b = 0; b < DOM_COUNT; b++)
          if ((rt->cacheable | DOM_ACCESS) & (1u << b)) json_array_append_new(doms, json_string(data_domain_name(1u << b)));
        json_object_set_new(op, "x-cache", doms);
      }
      json_object_set_new(item, method, op);
    }
  }
  json_object_set_new(
      schemas, "Problem",
      json_pack("{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s, s:{s:s, s:{s:{s:s}, s:{s:s}}}}}}", "type", "object",
                "properties", "status", "type", "integer", "title", "type", "string", "detail", "type", "string",
                "errors", "type", "array", "items", "type", "object", "properties", "field", "type", "string",
                "message", "type", "string"));
  json_object_set_new(
      schemas, "List",
      json_pack("{s:s, s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}}", "type", "object", "description",
                "Every list: page (≥1), per_page (1–500), sort (field or -field), filters; format=xlsx|csv with "
                "columns=key:label,… exports the same rows",
                "properties", "items", "type", "array", "total", "type", "integer", "page", "type", "integer",
                "per_page", "type", "integer"));
  json_t *doc = json_pack(
      "{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:o, s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}}}", "openapi", "3.1.0", "info",
      "title", "guatu 挂图作战 API", "version", GUATU_VERSION, "description",
      "Conventions: docs/api.md. Money is a string of yuan with two decimals; area a string of 亩 with two decimals.",
      "paths", paths, "components", "schemas", schemas, "securitySchemes", "cookie", "type", "apiKey", "in",
      "cookie", "name", "guatu_session", "bearer", "type", "http", "scheme", "bearer");
  reply_json(r, 200, doc);
}

static const route core_routes[] = {
    ROUTE("GET", "/api/v1/health", health, ROLES_NONE, "健康检查 / Health check", 0),
    ROUTE("GET", "/api/v1/openapi.json", openapi, ROLES_NONE, "接口文档 / This OpenAPI document", 0),
    ROUTE("GET", "/api/v1/calendar", calendar_year, ROLES_NONE, "某年节假日与调休 / Holidays and make-up days of a year", 0),
    ROUTE("PUT", "/api/v1/calendar/days/{day}", calendar_set_day, ROLE_ADMIN, "设置某日 / Set one calendar day", 0),
    ROUTE("GET", "/api/v1/calendar/add-working-days", add_working_days, ROLES_NONE, "加N个工作日 / Add N working days", 0),
    ROUTE("GET", "/api/v1/calendar/working-days-between", working_days_between, ROLES_NONE,
          "两日间工作日数 / Working days between two dates", 0),
    {0},
};

static const module core_module = {"core", 0, core_routes, NULL, NULL};
MODULE_REGISTER(core_module)
