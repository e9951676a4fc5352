/*
 * http.h — the request a handler sees, the replies it can give, the route
 * table every module registers, and the input-validation helpers that turn
 * bad input into precise, bilingual field errors.
 *
 * A handler is `void fn(req *r)`.  It checks permission first (the route's
 * roles are already enforced; data scope is the handler's job, in its SQL),
 * validates all input before touching the database, and ends with exactly
 * one reply_*() call.  Memory from r->a lives until the reply is sent.
 */
#ifndef GUATU_HTTP_H
#define GUATU_HTTP_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "db.h"

struct calendar; /* calendar.h */

/* Roles, as bits of auth_user.roles; names in auth.c (role_names). */
enum {
  ROLE_ADMIN = 1u << 0,
  ROLE_OFFICE = 1u << 1,
  ROLE_LEADER = 1u << 2,
  ROLE_UNIT = 1u << 3,
  ROLE_ENTERPRISE = 1u << 4,
  ROLE_BANK = 1u << 5,
  ROLE_PUBLIC = 1u << 6,
};
#define ROLES_ANY 0x7fu     /* any logged-in user */
#define ROLES_NONE 0u       /* no login needed */

typedef struct auth_user {
  int64_t id; /* 0: nobody is logged in */
  const char *login, *name;
  int64_t unit_id;
  const char *unit_name;
  const char *unit_path; /* "/1/7/12/": the unit and its ancestors */
  const char *unit_kind;
  unsigned roles;
  int via_token;         /* Bearer token: no CSRF check */
  int64_t session_id;
  const char *csrf;
} auth_user;

typedef struct req_header_kv {
  const char *name, *value;
} req_header_kv;

typedef struct req {
  arena a;
  db *db;
  const char *method, *path, *ip;
  const char *params[4]; /* the {…} segments of the matched pattern */
  int nparams;
  void *conn; /* struct MHD_Connection* */
  char *body;
  size_t body_len;
  auth_user user;
  json_t *errors; /* field errors collected by the j*() helpers */
  json_t *body_json; /* the parsed body (req_json), freed with the request */
  const struct calendar *cal; /* req_calendar's reference, released with the request */
  /* the reply */
  unsigned status;
  char *out;
  size_t out_len;
  const char *out_type;
  req_header_kv headers[8];
  int nheaders;
  int is_head;
  /* Set by the response cache for a cacheable GET (see list_total): the
   * data version read for this request, and the domains it covers (0:
   * none). */
  int64_t data_version;
  unsigned data_version_domains;
} req;

typedef void (*handler_fn)(req *r);

typedef struct route {
  const char *method;
  const char *pattern; /* "/api/v1/projects/{id}/nodes" */
  handler_fn fn;
  unsigned roles;      /* ROLES_NONE, ROLES_ANY or the roles allowed */
  const char *summary; /* one line for the OpenAPI document, "中文 / English" */
  size_t max_body;     /* 0: 1 MiB */
  /* A GET whose answer depends only on the data, the day and who asks
   * (dashboards, the battle map, rankings, lists): answers are kept in
   * process and reused until the data they show changes (see the response
   * cache in http.c).  0: not cached; else the data domains (DOM_*) the
   * answer shows: a change audited in any of them renews it, a change in
   * another domain does not.  DOM_ACCESS (users, units, settings,
   * dictionaries: who may see what) counts for every cached route. */
  unsigned cacheable;
  /* Set by ROUTE(): the handler's name and the file that registers it, for
   * `guatu routes`. */
  const char *fn_name;
  const char *file;
} route;

/* One route table entry: ROUTE(method, pattern, fn, roles, summary, max_body
 * [, cacheable]).  Records #fn and __FILE__ so that the route list
 * (`guatu routes`) names where each route is handled. */
#define ROUTE(method, pattern, fn, ...) {method, pattern, fn, __VA_ARGS__, .fn_name = #fn, .file = __FILE__}

/* Data domains, as bits of route.cacheable.  Every audit entity belongs to
 * one (data_domains_of in http.c; a write that changes rows of another
 * domain too, such as an approval issued that completes its node, counts
 * for both); an entity the table does not know counts for every domain, so
 * that a new module's answers are never stale, only recomputed. */
enum {
  DOM_PROJECTS = 1u << 0,     /* projects, plans, tags, baselines */
  DOM_NODES = 1u << 1,        /* nodes and node templates */
  DOM_REPORTS = 1u << 2,      /* progress reports, their totals, year targets */
  DOM_PROBLEMS = 1u << 3,     /* problems (escalated by the tick) */
  DOM_TASKS = 1u << 4,        /* tasks, dispatch meetings, agenda, decisions */
  DOM_ACCOUNTABILITY = 1u << 5, /* published rankings, accountability flags */
  DOM_LAND = 1u << 6,         /* land acquisition: households, items, payments, hard cases */
  DOM_APPROVALS = 1u << 7,    /* approvals, agreements, the item catalogue */
  DOM_ATTRACTION = 1u << 8,   /* investment leads, meetings, targets */
  DOM_ENTERPRISES = 1u << 9,  /* enterprises, policies, grants, the supply–demand board */
  DOM_REQUESTS = 1u << 10,    /* enterprise requests (escalated by the tick) */
  DOM_FINANCE = 1u << 11,     /* financing needs, loans, subsidies, funds */
  DOM_QUESTIONS = 1u << 12,   /* citizens' questions (asked all day, escalated by the tick) */
  DOM_ATTACHMENTS = 1u << 13, /* photos and documents */
  DOM_ACCESS = 1u << 14,      /* users, units, roles, settings, dictionaries, calendar */
  DOM_UNSHOWN = 1u << 15,     /* sessions, tokens, webhooks, API keys, the daily roll-up refresh */
};
#define DOM_COUNT 16
#define DOM_EVERY ((1u << DOM_COUNT) - 1u)
/* The domains a change audited as (action, entity) touches: 0 for the
 * entries that change no data (logins, logouts, locks, audited reads of
 * personal data), DOM_EVERY for bulk loads and entities not in the table. */
unsigned data_domains_of(const char *action, const char *entity);
/* The name of one domain bit ("land"), or NULL. */
const char *data_domain_name(unsigned bit);

/* Shorthands kept for routes that show nearly everything.  CACHE_ANY: every
 * domain an answer can show; CACHE_NOT_PROBLEMS: all but problems,
 * questions and enterprise requests (whose ticks would renew them every
 * second). */
#define CACHE_NO 0u
#define CACHE_ANY (DOM_EVERY & ~DOM_UNSHOWN)
#define CACHE_NOT_PROBLEMS (CACHE_ANY & ~(DOM_PROBLEMS | DOM_QUESTIONS | DOM_REQUESTS))

typedef struct module {
  const char *name;
  int order;              /* demo data is loaded in this order */
  const route *routes;    /* ends with {0} */
  /* Loads this module's part of the demo district (inside a transaction). */
  int (*demo)(db *d, FILE *log);
  /* JSON text of OpenAPI components.schemas entries, or NULL. */
  const char *schemas;
  /* Background work (deliveries, escalations), called about once a second
   * by every server process with its own connection.  Must be safe when
   * several processes run it at once: claim rows with a conditional UPDATE. */
  void (*tick)(db *d);
} module;

/* Registers a module at program start; use MODULE_REGISTER(var) once per
 * module file so that adding a module touches no shared file. */
void module_add(const module *m);
int module_count(void);
const module *module_at(int i); /* sorted by order */
#define MODULE_REGISTER(var)                                                                       \
  __attribute__((constructor)) static void var##_register(void) { module_add(&var); }

/* --- request ------------------------------------------------------------ */
const char *req_arg(req *r, const char *name);    /* query string; NULL if absent */
const char *req_header(req *r, const char *name);
const char *req_cookie(req *r, const char *name);
/* The i-th path parameter as a positive integer, or 0 after replying 404. */
int64_t req_id(req *r, int i);
int has_role(const req *r, unsigned roles);
/* The working-day calendar (calendar_db.h), the same one for the whole
 * request: valid until the request ends, however often an administrator
 * edits the calendar meanwhile.  Only for requests run by route_dispatch,
 * which releases it. */
const struct calendar *req_calendar(req *r);

/* --- replies ------------------------------------------------------------ */
void reply_json(req *r, unsigned status, json_t *body); /* steals body */
void reply_bytes(req *r, unsigned status, const char *type, const void *data, size_t len);
void reply_header(req *r, const char *name, const char *value);
void reply_no_content(req *r);
/* application/problem+json; title/detail as "中文 / English". */
void reply_problem(req *r, unsigned status, const char *title, const char *detail);
void reply_forbidden(req *r, const char *why_zh, const char *why_en);
void reply_not_found(req *r, const char *what_zh, const char *what_en);
/* 422 with the collected field errors. */
void reply_invalid(req *r);
/* Maps the code a failed db call returned (db_errcode(r->db) when it gave
 * none): DB_CONSTRAINT → 409, DB_BUSY → 503 with Retry-After, else 500;
 * logged with db_errmsg. */
void reply_db_error(req *r, int rc);
/* How every handler that writes in a transaction ends, with `rc` the
 * outcome of its changes and audit entry so far.  On DB_OK it commits and
 * replies `status` with `after` (stolen): 204 sends no body (`after` may be
 * NULL), 0 keeps the reply the handler already set (the problem a failed
 * login answers); any other status needs `after`, whose absence (a failed
 * read of the fresh row) fails the write.  On any failure it replies
 * reply_db_error — without the headers (ETag, Set-Cookie) or field errors
 * set for the success — and rolls back.  `before` (may be NULL) is
 * released either way. */
void commit_reply(req *r, int rc, json_t *before, json_t *after, unsigned status);

/* --- field errors and JSON input --------------------------------------- */
void field_error(req *r, const char *field, const char *zh, const char *en);
int has_errors(const req *r);
/* Parses the body as a JSON object whose keys are all in `allowed` (NULL-
 * terminated).  On malformed JSON, a non-object or unknown keys it replies
 * 400 naming the problem and returns NULL. */
json_t *req_json(req *r, const char *const *allowed);

/* The j*() getters return JV_ABSENT, JV_SET, JV_NULL (explicit null) or
 * JV_BAD (a field error was recorded).  `required` makes absent/null bad. */
enum { JV_BAD = -1, JV_ABSENT = 0, JV_SET = 1, JV_NULL = 2 };
int jstr(req *r, json_t *o, const char *field, int required, size_t maxlen, const char **out);
/* jstr without trimming: a password is exactly what was typed. */
int jsecret(req *r, json_t *o, const char *field, int required, size_t maxlen, const char **out);
int jint(req *r, json_t *o, const char *field, int required, int64_t min, int64_t max, int64_t *out);
int jbool(req *r, json_t *o, const char *field, int required, int *out);
int jmoney(req *r, json_t *o, const char *field, int required, int64_t *fen); /* ≥ 0 */
/* The one reader of a money value in JSON (jmoney's, and of amounts nested
 * in objects such as a project's annual_plan): a number of yuan or a string
 * money_parse reads, 0 ≤ amount ≤ MONEY_MAX_FEN (money.h), else a field
 * error on `field` ("金额过大" beyond the maximum).  JV_SET or JV_BAD. */
int jmoney_value(req *r, const char *field, json_t *v, int64_t *fen);
/* The same reader without a request: 0, or -1 with the bilingual message. */
int json_money_read(const json_t *v, int64_t *fen, const char **zh, const char **en);
int jarea(req *r, json_t *o, const char *field, int required, int64_t *hmu);  /* ≥ 0 */
int jdate(req *r, json_t *o, const char *field, int required, const char **out);
int jmonth(req *r, json_t *o, const char *field, int required, const char **out);
int jenum(req *r, json_t *o, const char *field, int required, const char *const *values, const char **out);

/* Query-string checks with the same error style; NULL/0 when absent. */
int64_t qint(req *r, const char *name, int64_t min, int64_t max, int64_t dflt);
const char *qdate(req *r, const char *name);
const char *qmonth(req *r, const char *name);
const char *qenum(req *r, const char *name, const char *const *values);
/* The version a PATCH was based on (optimistic concurrency): its `version`
 * field (in may be NULL) or else the If-Match header ("N" or W/"N"); 0 when
 * neither was sent or If-Match holds no positive number. */
int64_t req_version(req *r, json_t *in);

/* --- JSON output --------------------------------------------------------- */
json_t *json_money(int64_t fen);  /* "366000000.00" */
json_t *json_area(int64_t hmu);   /* "4191.26" */
json_t *json_str_or_null(const char *s);
/* One row as an object.  Column aliases may carry a type suffix:
 * x__m money (fen → "…​.00"), x__a area, x__b boolean, x__j JSON text;
 * the key is the alias without the suffix.  Integers stay integers. */
json_t *db_row_json(db_stmt *st);

/* --- lists --------------------------------------------------------------- */
typedef struct page {
  int64_t page, per_page, offset;
} page;
/* Reads page (≥1) and per_page (1..500, default 20). */
void req_page(req *r, page *p);
/* Maps sort=field / sort=-field through `allowed` (pairs: name, SQL
 * expression, ending with NULL) to an ORDER BY clause body; `dflt` when no
 * sort is given.  An unknown field is a field error. */
const char *req_sort(req *r, const char *const *allowed, const char *dflt);
/* {"items":…, "total":…, "page":…, "per_page":…}; or, with format=xlsx|csv
 * and columns=key:标签,…, the same items as a spreadsheet. */
void reply_list(req *r, json_t *items, int64_t total, const page *p);
/* The tail of most list handlers: every row of `st` through db_row_json,
 * then db_done.  A NULL `st`, a negative `total` (a failed COUNT) or a
 * failed step replies reply_db_error and returns NULL. */
json_t *db_rows_json(req *r, db_stmt *st, int64_t total);
/* db_rows_json, then reply_list with the rows. */
void reply_rows(req *r, db_stmt *st, int64_t total, const page *p);
/* A list's exact total: `sql` is its SELECT COUNT(*) with `n` args.  In a
 * cacheable route the count is reused while the response cache would reuse
 * an answer (same SQL and arguments, day and data version), so paging
 * through a long list counts it once; elsewhere it simply runs.  -1 on a
 * database error, like db_int1v. */
int64_t list_total(req *r, const char *sql, int n, const db_val *args);
/* For reading what belongs to a page of rows in one query: the "id" of up
 * to max items of `items` from `from` into args, and as many "?" marks
 * ("?, ?, ?") appended to marks; returns how many. */
size_t page_ids_in(json_t *items, size_t from, size_t max, strbuf *marks, db_val *args);
/* A list's WHERE clause from its conditions, each " AND …": "" when there
 * are none, so that SQLite counts a whole table from its smallest index
 * (a "WHERE 1 = 1" makes it step through every row), else "WHERE …". */
const char *sql_where(arena *a, const char *conds);

/* --- the server ---------------------------------------------------------- */
typedef struct server_opts {
  const char *db_url;
  const char *listen; /* "127.0.0.1:8080" */
  int threads;
  int max_connections;
  int max_per_ip;     /* connections one address may hold; 0: no limit (127.0.0.1/::1 exempt) */
  int header_timeout; /* seconds to send a request's headers once connected */
  int body_timeout;   /* seconds to send a request's body once its headers are in */
  int quiet;          /* no access log */
  int max_pending;    /* requests admitted and not yet answered; more get 503 (0: 16 per thread) */
} server_opts;
int server_run(const server_opts *o);

/* Dispatches one request through the route table (also used by tests). */
void route_dispatch(req *r);
/* The answer of /api/v1/health while its last database check is fresh
 * (core.c), copied into buf: its length, or 0 when the database must be
 * asked again.  The I/O thread answers such a request itself. */
size_t health_recent(char *buf, size_t cap);

/* Wall time now, RFC 3339 UTC with milliseconds, into an arena. */
const char *now_rfc3339(arena *a);
/* The instant `ms` (Unix milliseconds) in the same form. */
const char *time_rfc3339(arena *a, int64_t ms);

#endif
