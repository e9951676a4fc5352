/*
 * http.c — the HTTP server on libmicrohttpd: connection life cycle, body
 * limits, overload shedding, the route table, the request pipeline
 * (authenticate → route → role check → CSRF → handler) and the access log.
 *
 * Threads: one MHD thread does the network I/O (epoll) and never waits for
 * a handler; requests are handed to --threads workers through a bounded
 * queue (see "the work queue" below), one database connection per worker
 * from the pool in db.c.
 */
#include "clock.h"
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "auth.h"
#include "calendar_db.h"
#include "embedded.h"
#include "static.h"

#define DEFAULT_MAX_BODY ((size_t)1 << 20)
#define HEALTH_PATH "/api/v1/health"

/* ---- module registry ---- */

static const module *modules[128];
static int nmodules;

void module_add(const module *m) {
  if (nmodules == (int)(sizeof modules / sizeof *modules)) abort();
  int i = nmodules++;
  while (i > 0 && modules[i - 1]->order > m->order) {
    modules[i] = modules[i - 1];
    i--;
  }
  modules[i] = m;
}
int module_count(void) { return nmodules; }
const module *module_at(int i) { return modules[i]; }

/* ---- time ---- */

const char *now_rfc3339(arena *a) { return time_rfc3339(a, clock_now_ms()); }

const char *time_rfc3339(arena *a, int64_t ms) {
  time_t secs = (time_t)(ms / 1000);
  struct tm tm;
  gmtime_r(&secs, &tm);
  return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                      tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- request accessors ---- */

const char *req_arg(req *r, const char *name) {
  if (!r->conn) return NULL;
  return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(req *r, const char *name) {
  if (!r->conn) return NULL;
  return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(req *r, const char *name) {
  if (!r->conn) return NULL;
  return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int has_role(const req *r, unsigned roles) { return (r->user.roles & roles) != 0; }

const calendar *req_calendar(req *r) {
  if (!r->cal) r->cal = cal_acquire(r->db);
  return r->cal;
}

/* ---- replies ---- */

void reply_header(req *r, const char *name, const char *value) {
  /* Setting a header again replaces it (e.g. a handler naming the file of a shared export):
   * browsers refuse a reply with two Content-Disposition headers.  Set-Cookie may repeat. */
  if (strcasecmp(name, "Set-Cookie") != 0) {
    for (int i = 0; i < r->nheaders; i++) {
      if (strcasecmp(r->headers[i].name, name) == 0) {
        r->headers[i].value = arena_strdup(&r->a, value);
        return;
      }
    }
  }
  if (r->nheaders < (int)(sizeof r->headers / sizeof *r->headers)) {
    r->headers[r->nheaders].name = arena_strdup(&r->a, name);
    r->headers[r->nheaders].value = arena_strdup(&r->a, value);
    r->nheaders++;
  }
}

void reply_bytes(req *r, unsigned status, const char *type, const void *data, size_t len) {
  free(r->out);
  r->out = malloc(len ? len : 1);
  if (!r->out) abort();
  if (len) memcpy(r->out, data, len);
  r->out_len = len;
  r->out_type = type;
  r->status = status;
}

void reply_json(req *r, unsigned status, json_t *body) {
  free(r->out);
  r->out = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
  json_decref(body);
  if (!r->out) {
    /* No body to send (a failed json_pack or load): a 500 in the usual
     * form, built without jansson, and nothing meant for the lost reply. */
    static const char problem[] =
        "{\"status\":500,\"title\":\"内部错误 / Internal error\",\"detail\":\"已记录，请联系管理员 / Logged; "
        "please contact the administrator\",\"errors\":[]}";
    fprintf(stderr, "{\"level\":\"error\",\"path\":\"%s\",\"error\":\"no JSON body for a %u reply\"}\n",
            r->path ? r->path : "", status);
    r->nheaders = 0;
    reply_bytes(r, 500, "application/problem+json; charset=utf-8", problem, sizeof problem - 1);
    return;
  }
  r->out_len = strlen(r->out);
  r->out_type = "application/json; charset=utf-8";
  r->status = status;
}

void reply_no_content(req *r) {
  free(r->out);
  r->out = NULL;
  r->out_len = 0;
  r->out_type = NULL;
  r->status = 204;
}

void reply_problem(req *r, unsigned status, const char *title, const char *detail) {
  json_t *p = json_pack("{s:I, s:s, s:s}", "status", (json_int_t)status, "title", title, "detail",
                        detail ? detail : title);
  json_object_set_new(p, "errors", r->errors ? json_incref(r->errors) : json_array());
  reply_json(r, status, p);
  r->out_type = "application/problem+json; charset=utf-8";
}

void reply_forbidden(req *r, const char *why_zh, const char *why_en) {
  reply_problem(r, 403, "无权操作 / Forbidden", arena_printf(&r->a, "%s / %s", why_zh, why_en));
}

void reply_not_found(req *r, const char *what_zh, const char *what_en) {
  reply_problem(r, 404, "未找到 / Not found", arena_printf(&r->a, "%s不存在 / %s not found", what_zh, what_en));
}

void reply_invalid(req *r) {
  reply_problem(r, 422, "输入有误 / Invalid input",
                "请按提示修改标出的字段 / Correct the fields listed in errors");
}

void reply_db_error(req *r, int rc) {
  const char *msg = r->db ? db_errmsg(r->db) : "no database";
  fprintf(stderr, "{\"level\":\"error\",\"path\":\"%s\",\"rc\":%d,\"db\":\"%s\"}\n", r->path, rc, msg);
  int kind = r->db ? db_constraint_kind(r->db) : DBC_OTHER;
  if (rc == DB_CONSTRAINT && kind == DBC_UNIQUE)
    reply_problem(r, 409, "与已有数据冲突 / Conflict", "同名或同编号的记录已存在 / A record with the same key already exists");
  else if (rc == DB_CONSTRAINT && kind == DBC_FOREIGN_KEY)
    reply_problem(r, 409, "仍被引用 / Still referenced",
                  "该记录被其他数据引用或引用了不存在的记录 / The record is referenced by, or refers to, a missing record");
  else if (rc == DB_CONSTRAINT)
    reply_problem(r, 409, "与已有数据冲突 / Conflict", "数据不符合数据库的约束 / The data breaks a rule of the database");
  else if (rc == DB_BUSY) {
    reply_problem(r, 503, "系统繁忙 / Busy", "请稍后重试 / Please retry shortly");
    reply_header(r, "Retry-After", "1");
  } else
    reply_problem(r, 500, "内部错误 / Internal error", "已记录，请联系管理员 / Logged; please contact the administrator");
}

int64_t req_id(req *r, int i) {
  const char *s = i < r->nparams ? r->params[i] : NULL;
  char *end = NULL;
  long long v = s ? strtoll(s, &end, 10) : 0;
  if (!s || !*s || *end || v <= 0) {
    reply_problem(r, 404, "未找到 / Not found", "编号无效 / Invalid id in the path");
    return 0;
  }
  return v;
}

/* ---- routing ---- */

/* Matches "/api/v1/projects/{id}" against a path, collecting parameters. */
static int match_pattern(const char *pat, const char *path, req *r) {
  int n = 0;
  const char *params[4];
  size_t plen[4];
  while (*pat && *path) {
    if (*pat == '{') {
      const char *end = strchr(path, '/');
      size_t len = end ? (size_t)(end - path) : strlen(path);
      if (len == 0 || n == 4) return 0;
      params[n] = path;
      plen[n++] = len;
      path += len;
      pat = strchr(pat, '}');
      if (!pat) return 0;
      pat++;
    } else if (*pat++ != *path++) {
      return 0;
    }
  }
  if (*pat || *path) return 0;
  for (int i = 0; i < n; i++) r->params[i] = arena_strndup(&r->a, params[i], plen[i]);
  r->nparams = n;
  return 1;
}

static const route *find_route(req *r, int *path_known) {
  *path_known = 0;
  for (int m = 0; m < nmodules; m++)
    for (const route *rt = modules[m]->routes; rt && rt->method; rt++) {
      if (!match_pattern(rt->pattern, r->path, r)) continue;
      *path_known = 1;
      if (strcmp(rt->method, r->method) == 0) return rt;
    }
  return NULL;
}

static size_t route_max_body(const char *method, const char *path) {
  req probe = {0};
  arena_init(&probe.a);
  probe.method = method;
  probe.path = path;
  int known;
  const route *rt = find_route(&probe, &known);
  arena_release(&probe.a);
  return rt && rt->max_body ? rt->max_body : DEFAULT_MAX_BODY;
}

/* 1 when a browser says this request comes from another site: its
 * Sec-Fetch-Site is anything but same-origin or none (typed by the user),
 * or, from browsers that do not send that, its Origin is not this server
 * (the Host it was asked for, or behind the local proxy X-Forwarded-Host).
 * Without either header (curl, scripts, integrations) it is not. */
static int is_cross_site(req *r) {
  const char *sfs = req_header(r, "Sec-Fetch-Site");
  if (sfs) return strcasecmp(sfs, "same-origin") != 0 && strcasecmp(sfs, "none") != 0;
  const char *origin = req_header(r, "Origin");
  if (!origin) return 0;
  const char *host = req_header(r, "X-Forwarded-Host");
  if (!host) host = req_header(r, "Host");
  const char *o = strstr(origin, "://");
  if (!host || !o || strcasecmp(o + 3, host) != 0) return 1;
  return 0;
}

static int is_unsafe(const char *method) {
  return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 && strcmp(method, "OPTIONS") != 0;
}


/* ---- response cache ----
 * Expensive GETs marked `cacheable` (whole-district figures, module lists)
 * keep their last answers in process memory.  An answer is reused only
 * while the newest audit entry of the data domains it shows (route.cacheable;
 * see "the data version" below) is the same as when it was made: every
 * change to the data is audited in its own transaction, so the highest
 * audit id of an entry that changed something in those domains (not a
 * login or a read of personal data) is a version of the data that every
 * server process reads from the database itself.
 * Changes made outside a request are audited the same way: a command's
 * change ends in cli_commit (as "cli"; the bulk loads — import, copy, gen,
 * demo — write their entries in their one transaction), the escalation
 * tick and schema upgrades audit as "system".  tests/api/cache.test.mjs
 * runs every command against a warm server.
 * What is written unaudited is never in a cached answer: sessions, login
 * counters, tokens' last use, notifications' read marks, webhook delivery
 * attempts.
 * The cache is therefore safe to lose and correct across several
 * instances.  Keys include the user (answers follow data scope) and the day
 * (lights change at midnight). */

#define CACHE_SLOTS 64
#define CACHE_BYTES ((size_t)64 << 20)

typedef struct cache_entry {
  char *key;
  int64_t version;
  int32_t day;
  char *body;
  size_t len;
  char *gz; /* the body gzip-compressed once, for clients that accept it */
  size_t gz_len;
  const char *type;
  uint64_t used;
} cache_entry;

/* gzip of a body, or NULL when it does not pay.  Level 1 (Z_BEST_SPEED):
 * the body is compressed when the answer is computed, in the request that
 * everyone else waits for; on an 850 KB JSON answer level 1 takes ~7 ms
 * against ~16 ms for level 6, for a body ~23% larger (178 KB vs 144 KB). */
static char *gzip_body(const char *data, size_t len, size_t *out_len) {
  if (len < 1024) return NULL;
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
  size_t cap = deflateBound(&z, len);
  char *out = malloc(cap);
  if (!out) {
    deflateEnd(&z);
    return NULL;
  }
  z.next_in = (Bytef *)data;
  z.avail_in = (uInt)len;
  z.next_out = (Bytef *)out;
  z.avail_out = (uInt)cap;
  int rc = deflate(&z, Z_FINISH);
  *out_len = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END || *out_len >= len) {
    free(out);
    return NULL;
  }
  return out;
}

static int accepts_gzip(req *r) {
  const char *ae = req_header(r, "Accept-Encoding");
  return ae && strstr(ae, "gzip") != NULL;
}

#define CACHE_FLIGHTS 8

static struct {
  pthread_mutex_t lock;
  pthread_cond_t landed;
  cache_entry slot[CACHE_SLOTS];
  size_t bytes;
  uint64_t clock;
  /* Keys being computed right now: a second request for the same answer
   * waits for the first instead of computing it again (a cold dashboard is
   * half a second of work; 32 of them at once would be 16). */
  char *flight[CACHE_FLIGHTS];
} rcache = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, {{0}}, 0, 0, {0}};

/* Takes the key's flight and returns 1, or waits until the request that
 * holds it lands and returns 0 (then look the cache up again). */
static int cache_take_flight(const char *key) {
  pthread_mutex_lock(&rcache.lock);
  for (;;) {
    int busy = 0, free_slot = -1;
    for (int i = 0; i < CACHE_FLIGHTS; i++) {
      if (rcache.flight[i] && strcmp(rcache.flight[i], key) == 0) busy = 1;
      if (!rcache.flight[i] && free_slot < 0) free_slot = i;
    }
    if (busy) {
      pthread_cond_wait(&rcache.landed, &rcache.lock);
      pthread_mutex_unlock(&rcache.lock);
      return 0;
    }
    if (free_slot >= 0) rcache.flight[free_slot] = strdup(key);
    pthread_mutex_unlock(&rcache.lock);
    return 1; /* no free slot: compute without coordination */
  }
}

static void cache_land_flight(const char *key) {
  pthread_mutex_lock(&rcache.lock);
  for (int i = 0; i < CACHE_FLIGHTS; i++)
    if (rcache.flight[i] && strcmp(rcache.flight[i], key) == 0) {
      free(rcache.flight[i]);
      rcache.flight[i] = NULL;
    }
  pthread_cond_broadcast(&rcache.landed);
  pthread_mutex_unlock(&rcache.lock);
}

typedef struct key_builder {
  strbuf sb;
} key_builder;

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v) {
  (void)kind;
  key_builder *kb = cls;
  sb_addf(&kb->sb, "&%s=%s", k, v ? v : "");
  return MHD_YES;
}

static char *cache_key(req *r) {
  key_builder kb;
  sb_init(&kb.sb, 8192);
  sb_addf(&kb.sb, "%lld|%s?", (long long)r->user.id, r->path);
  if (r->conn) MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &kb);
  if (kb.sb.overflow) {
    sb_release(&kb.sb);
    return NULL;
  }
  return sb_detach(&kb.sb, NULL);
}

static void cache_drop(cache_entry *e) {
  rcache.bytes -= e->len + e->gz_len;
  free(e->key);
  free(e->body);
  free(e->gz);
  memset(e, 0, sizeof *e);
}

/* Replies from the cache and returns 1, or returns 0 on a miss. */
static int cache_lookup(req *r, const char *key, int64_t version, int32_t day) {
  int hit = 0, gz = 0;
  int want_gz = accepts_gzip(r);
  pthread_mutex_lock(&rcache.lock);
  for (int i = 0; i < CACHE_SLOTS; i++) {
    cache_entry *e = &rcache.slot[i];
    if (!e->key || strcmp(e->key, key) != 0) continue;
    /* An answer made from data at least as new as this request's version
     * serves it: it contains every change audited before the request came
     * (a request that waited for another's computation takes its answer
     * even when a change came in between; see run_handler). */
    if (e->version >= version && e->day == day) {
      gz = want_gz && e->gz;
      if (gz) reply_bytes(r, 200, e->type, e->gz, e->gz_len);
      else reply_bytes(r, 200, e->type, e->body, e->len);
      e->used = ++rcache.clock;
      hit = 1;
    } else if (e->version < version || e->day != day) {
      cache_drop(e);
    }
    break;
  }
  pthread_mutex_unlock(&rcache.lock);
  if (hit) reply_header(r, "X-Cache", "hit");
  if (gz) reply_header(r, "Content-Encoding", "gzip");
  if (hit) reply_header(r, "Vary", "Accept-Encoding");
  return hit;
}

static void cache_store(req *r, char *key, int64_t version, int32_t day) {
  /* Only plain bodies are kept: an answer with its own headers (ETag,
   * Content-Disposition) is never cached. */
  if (r->status != 200 || !r->out || r->nheaders > 0 || r->out_len > CACHE_BYTES / 4) {
    free(key);
    return;
  }
  size_t gz_len = 0;
  char *gz = gzip_body(r->out, r->out_len, &gz_len); /* outside the lock: it takes a while */
  pthread_mutex_lock(&rcache.lock);
  cache_entry *victim = &rcache.slot[0];
  for (int i = 0; i < CACHE_SLOTS; i++) {
    cache_entry *e = &rcache.slot[i];
    if (e->key && strcmp(e->key, key) == 0) {
      victim = e;
      break;
    }
    if (!e->key || e->used < victim->used) victim = e;
  }
  if (victim->key) cache_drop(victim);
  while (rcache.bytes + r->out_len + gz_len > CACHE_BYTES) { /* evict the least recently used */
    cache_entry *old = NULL;
    for (int i = 0; i < CACHE_SLOTS; i++)
      if (rcache.slot[i].key && (!old || rcache.slot[i].used < old->used)) old = &rcache.slot[i];
    if (!old) break;
    cache_drop(old);
  }
  victim->body = malloc(r->out_len);
  if (victim->body) {
    memcpy(victim->body, r->out, r->out_len);
    victim->key = key;
    key = NULL;
    victim->len = r->out_len;
    victim->gz = gz;
    victim->gz_len = gz ? gz_len : 0;
    gz = NULL;
    victim->type = r->out_type;
    victim->version = version;
    victim->day = day;
    victim->used = ++rcache.clock;
    rcache.bytes += r->out_len + victim->gz_len;
  }
  pthread_mutex_unlock(&rcache.lock);
  free(gz);
  free(key);
}

static void cache_clear(void) {
  pthread_mutex_lock(&rcache.lock);
  for (int i = 0; i < CACHE_SLOTS; i++)
    if (rcache.slot[i].key) cache_drop(&rcache.slot[i]);
  pthread_mutex_unlock(&rcache.lock);
}

/* PostgreSQL hands out audit ids from a sequence when a row is inserted,
 * not when its transaction commits: a writer still in flight may commit an
 * id below the version just read, and an answer made now would then be
 * stored under a version that does not contain that change.  So on
 * PostgreSQL an answer is stored only when no other transaction of this
 * database holds a transaction id (has written) after the version was
 * read; it is still served.  SQLite commits one writer at a time, in id
 * order, so the question does not arise there. */
static int pg_writer_in_flight(db *d) {
  return db_int10(d, 1,
                  "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL "
                  "AND pid <> pg_backend_pid()") != 0;
}

/* ---- list totals ----
 * The exact COUNT(*) of a list, kept per (route's domains, day, SQL,
 * arguments) under the data version the response cache read for this
 * request, and only when that cache could have stored its answer (on
 * PostgreSQL no writer in flight): the count is valid exactly as long as a
 * cached answer containing it would be.  Pages 2, 3, … of a list (each its
 * own URL, so each a response cache miss) then count it once, and every
 * total stays exact — the UI's pager needs the real number of pages. */

#define TOTAL_SLOTS 256

static struct {
  pthread_mutex_t lock;
  struct {
    char *key;
    uint64_t hash;
    int64_t version, total;
    int32_t day;
    unsigned long used;
  } slot[TOTAL_SLOTS];
  unsigned long clock;
} totals = {.lock = PTHREAD_MUTEX_INITIALIZER};

static char *total_key(const req *r, int32_t day, const char *sql, int n, const db_val *args) {
  strbuf k;
  sb_init(&k, 0);
  sb_addf(&k, "%u|%ld|%s", r->data_version_domains, (long)day, sql);
  for (int i = 0; i < n; i++) {
    switch (args[i].type) {
    case DBV_INT: sb_addf(&k, "|i%lld", (long long)args[i].i); break;
    case DBV_REAL: sb_addf(&k, "|r%.17g", args[i].d); break;
    case DBV_TEXT: sb_addf(&k, "|t%zu:%s", strlen(args[i].s), args[i].s); break;
    case DBV_BLOB: sb_addf(&k, "|b%zu:", args[i].n); sb_add(&k, args[i].s, args[i].n); break;
    default: sb_adds(&k, "|n"); break;
    }
  }
  if (k.overflow) { /* a truncated key could name another list */
    sb_release(&k);
    return NULL;
  }
  return sb_detach(&k, NULL);
}

static uint64_t total_hash(const char *s) {
  uint64_t h = 1469598103934665603ULL; /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

int64_t list_total(req *r, const char *sql, int n, const db_val *args) {
  if (!r->data_version_domains) return db_int1v(r->db, -1, sql, n, args);
  int32_t day = clock_today();
  char *key = total_key(r, day, sql, n, args);
  if (!key) return db_int1v(r->db, -1, sql, n, args);
  uint64_t h = total_hash(key);
  int64_t total = -1;
  pthread_mutex_lock(&totals.lock);
  for (int i = 0; i < TOTAL_SLOTS; i++) {
    if (totals.slot[i].key && totals.slot[i].hash == h && totals.slot[i].version == r->data_version &&
        totals.slot[i].day == day && strcmp(totals.slot[i].key, key) == 0) {
      total = totals.slot[i].total;
      totals.slot[i].used = ++totals.clock;
      break;
    }
  }
  pthread_mutex_unlock(&totals.lock);
  if (total >= 0) {
    free(key);
    return total;
  }
  total = db_int1v(r->db, -1, sql, n, args);
  if (total < 0) {
    free(key);
    return total;
  }
  pthread_mutex_lock(&totals.lock);
  int victim = 0;
  for (int i = 0; i < TOTAL_SLOTS; i++) {
    if (totals.slot[i].key && totals.slot[i].hash == h && strcmp(totals.slot[i].key, key) == 0) {
      victim = i; /* the same list under an older version */
      break;
    }
    if (!totals.slot[i].key || totals.slot[i].used < totals.slot[victim].used) victim = i;
  }
  free(totals.slot[victim].key);
  totals.slot[victim].key = key;
  totals.slot[victim].hash = h;
  totals.slot[victim].version = r->data_version;
  totals.slot[victim].day = day;
  totals.slot[victim].total = total;
  totals.slot[victim].used = ++totals.clock;
  pthread_mutex_unlock(&totals.lock);
  return total;
}

/* ---- the data version ----
 * Every audit entry belongs to data domains (data_domains_of: its entity,
 * DOM_* in http.h); the version of a route is the newest audit id among
 * the entries of the domains it shows (route.cacheable, plus DOM_ACCESS),
 * so a progress report corrected every 100 ms does not renew the land
 * ledger or the financing figures.
 * The versions are kept in process, per domain, for the audit entries read
 * so far, and each request brings them forward by reading only the entries
 * above `floor` (usually none: one probe of the primary key), classifying
 * each in C, in one statement, so one snapshot.  The entries come from the
 * database, so a second instance's writes count like this one's.
 * `floor` is an id at or below which every entry that will ever exist has
 * been read.  SQLite commits writers one at a time and its audit ids
 * (AUTOINCREMENT) grow with every commit: the newest id read is the floor.
 * PostgreSQL hands out ids before commit, so a missing id may still appear:
 * there the floor moves up to the newest id read only when no transaction
 * held a transaction id in that statement's snapshot (xmin = xmax), else to
 * the end of the unbroken run of ids above it; entries above the floor are
 * read again (counted once: a domain's version is a maximum).  An entry
 * that commits late under an id below a version already read is the reason
 * PostgreSQL answers are stored only with no writer in flight (run_handler).
 * The first read (and a log that shrank: another file copied over this
 * one, which also empties the cache) starts every domain at the newest id,
 * without reading the log (data_version_start). */

typedef struct entity_domains {
  /* cppcheck-suppress unusedStructMember ; compared by entity_cmp through bsearch */
  const char *entity;
  unsigned domains;
} entity_domains;

/* Sorted by entity (bsearch).  A write that changes another domain's rows
 * under its own entity names both: an approval issued completes its node,
 * a dispatch decision moves a node or raises a problem, a household handed over or a hard case
 * settled finishes the acquisition node, a node's change moves its
 * project's dates and lights. */
static const entity_domains entity_table[] = {
    {"accountability", DOM_ACCOUNTABILITY},
    {"accountability_flag", DOM_ACCOUNTABILITY},
    {"accountability_settings", DOM_ACCESS},
    {"agenda_item", DOM_TASKS},
    {"approval", DOM_APPROVALS | DOM_NODES},
    {"approval_agreement", DOM_APPROVALS},
    {"approval_item", DOM_APPROVALS},
    {"attachment", DOM_ATTACHMENTS},
    {"attraction_target", DOM_ATTRACTION},
    {"baseline", DOM_NODES | DOM_PROJECTS},
    {"board_post", DOM_ENTERPRISES},
    {"board_response", DOM_ENTERPRISES},
    {"calendar", DOM_ACCESS},
    {"calendar_day", DOM_ACCESS},
    {"database", DOM_EVERY},
    {"decision", DOM_TASKS | DOM_NODES | DOM_PROBLEMS},
    {"demo", DOM_EVERY},
    {"demo_finance", DOM_EVERY},
    {"demo_problems", DOM_EVERY},
    {"demo_projects", DOM_EVERY},
    {"demo_tasks", DOM_EVERY},
    {"dict_item", DOM_ACCESS},
    {"enterprise", DOM_ENTERPRISES},
    {"enterprise_request", DOM_REQUESTS},
    {"fin_contact", DOM_FINANCE},
    {"fin_credit", DOM_FINANCE},
    {"fin_loan", DOM_FINANCE},
    {"fin_need", DOM_FINANCE},
    {"fin_subsidy", DOM_FINANCE},
    {"fin_subsidy_rule", DOM_FINANCE},
    {"fin_whitelist", DOM_FINANCE},
    {"fund_application", DOM_FINANCE},
    {"fund_target", DOM_FINANCE},
    {"land_disclosure", DOM_LAND},
    {"land_hard_case", DOM_LAND | DOM_NODES},
    {"land_household", DOM_LAND | DOM_NODES},
    {"land_item", DOM_LAND},
    {"land_payment", DOM_LAND},
    {"land_staff", DOM_LAND},
    {"lead", DOM_ATTRACTION},
    {"lead_meeting", DOM_ATTRACTION},
    {"meeting", DOM_TASKS},
    {"node", DOM_NODES | DOM_PROJECTS},
    {"node_template", DOM_NODES},
    {"open311_key", DOM_UNSHOWN},
    {"policy", DOM_ENTERPRISES},
    {"policy_grant", DOM_ENTERPRISES},
    {"policy_grants", DOM_ENTERPRISES},
    {"problem", DOM_PROBLEMS},
    {"problem_category", DOM_ACCESS},
    {"project", DOM_PROJECTS | DOM_NODES},
    {"project_category", DOM_ACCESS},
    {"project_field", DOM_ACCESS},
    {"project_rollups", DOM_UNSHOWN}, /* the daily refresh: no answer of a day changes */
    {"projects", DOM_PROJECTS | DOM_NODES},
    {"qa_category", DOM_ACCESS},
    {"question", DOM_QUESTIONS},
    {"report", DOM_REPORTS},
    {"report_settings", DOM_ACCESS},
    {"report_totals", DOM_REPORTS},
    {"schema", DOM_EVERY},
    {"session", DOM_UNSHOWN},
    {"setting", DOM_ACCESS},
    {"settings", DOM_ACCESS},
    {"task", DOM_TASKS},
    {"token", DOM_UNSHOWN},
    {"unit", DOM_ACCESS},
    {"user", DOM_ACCESS},
    {"webhook", DOM_UNSHOWN},
    {"year_targets", DOM_REPORTS},
};

static int entity_cmp(const void *key, const void *elem) {
  return strcmp((const char *)key, ((const entity_domains *)elem)->entity);
}

unsigned data_domains_of(const char *action, const char *entity) {
  static const char *const unchanged[] = {"login", "logout", "login_failed", "lock", "read"};
  if (action)
    for (size_t i = 0; i < sizeof unchanged / sizeof *unchanged; i++)
      if (strcmp(action, unchanged[i]) == 0) return 0;
  if (!entity) return DOM_EVERY;
  const entity_domains *e =
      bsearch(entity, entity_table, sizeof entity_table / sizeof *entity_table, sizeof *entity_table, entity_cmp);
  return e ? e->domains : DOM_EVERY;
}

const char *data_domain_name(unsigned bit) {
  static const char *const names[DOM_COUNT] = {"projects", "nodes",     "reports",    "problems",    "tasks",   "accountability",
                                               "land",     "approvals", "attraction", "enterprises", "requests", "finance",
                                               "questions", "attachments", "access",  "unshown"};
  for (int i = 0; i < DOM_COUNT; i++)
    if (bit == 1u << i) return names[i];
  return NULL;
}

static struct {
  pthread_mutex_t lock;
  int64_t floor;          /* every entry at or below it has been read; 0: none yet */
  int64_t v[DOM_COUNT];   /* per domain, the newest id of its entries read */
} dver = {.lock = PTHREAD_MUTEX_INITIALIZER};

static int64_t domains_max(const int64_t *v, unsigned domains) {
  int64_t m = 0;
  for (int i = 0; i < DOM_COUNT; i++)
    if ((domains & (1u << i)) && v[i] > m) m = v[i];
  return m;
}

/* The newest audit id of all, every domain starting there (the first read,
 * or after the log shrank): -1 when it cannot be read.  On PostgreSQL an
 * entry below it may still be in flight; it is never counted, and need not
 * be: no answer is stored before this read (the cache is empty or cleared),
 * and one stored after it is stored only with no writer in flight, so it
 * was computed after that entry committed. */
static int64_t data_version_start(db *d) {
  db_stmt *st = db_query0(d, "SELECT COALESCE(MAX(id), 0) FROM audit_log");
  if (!st || db_step(st) != DB_ROW) {
    db_done(st);
    return -1;
  }
  int64_t top = db_int(st, 0);
  db_done(st);
  if (top > 0) {
    pthread_mutex_lock(&dver.lock);
    if (!dver.floor) {
      dver.floor = top;
      for (int i = 0; i < DOM_COUNT; i++) dver.v[i] = top;
    }
    pthread_mutex_unlock(&dver.lock);
  }
  return top;
}

/* The data version of the given domains (DOM_ACCESS always counts); 0 for
 * an empty log, -1 when it cannot be read. */
static int64_t data_version(db *d, unsigned domains) {
  domains |= DOM_ACCESS;
  int pg = db_dialect(d) == DB_PG;
  int64_t v[DOM_COUNT];
  pthread_mutex_lock(&dver.lock);
  int64_t floor = dver.floor;
  memcpy(v, dver.v, sizeof v);
  pthread_mutex_unlock(&dver.lock);
  if (!floor) return data_version_start(d);
  /* id >= floor: the row at `floor` itself tells that the log did not shrink */
  db_stmt *st = db_query(d,
                         pg ? "SELECT a.id, a.action, a.entity, s.quiet FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) = "
                              "pg_snapshot_xmax(pg_current_snapshot()) AS quiet) s LEFT JOIN audit_log a ON a.id >= ? "
                              "ORDER BY a.id"
                            : "SELECT id, action, entity, 1 FROM audit_log WHERE id >= ? ORDER BY id",
                         DBI(floor));
  if (!st) return -1;
  int rc, first = 1, shrunk = 0, quiet = 1;
  int64_t top = floor, run = floor; /* run: the end of the unbroken ids from floor */
  while ((rc = db_step(st)) == DB_ROW) {
    quiet = (int)db_int(st, 3);
    if (db_isnull(st, 0)) { /* PostgreSQL's empty range: only the snapshot's row */
      shrunk = 1;
      break;
    }
    int64_t id = db_int(st, 0);
    if (first && id != floor) {
      shrunk = 1;
      break;
    }
    first = 0;
    if (id == run + 1) run = id;
    if (id > top) top = id;
    if (id == floor) continue;
    unsigned dm = data_domains_of(db_text(st, 1), db_text(st, 2));
    for (int i = 0; i < DOM_COUNT; i++)
      if ((dm & (1u << i)) && id > v[i]) v[i] = id;
  }
  db_done(st);
  if (rc == DB_ERROR) return -1;
  if (shrunk || first) { /* the entry at the floor is gone: read afresh */
    pthread_mutex_lock(&dver.lock);
    int reset = dver.floor == floor;
    if (reset) dver.floor = 0;
    pthread_mutex_unlock(&dver.lock);
    /* answers kept under the old log's ids could outrank the new ones */
    if (reset) cache_clear();
    return data_version_start(d);
  }
  int64_t settled = !pg || quiet ? top : run;
  pthread_mutex_lock(&dver.lock);
  for (int i = 0; i < DOM_COUNT; i++)
    if (v[i] > dver.v[i]) dver.v[i] = v[i];
  if (settled > dver.floor && dver.floor) dver.floor = settled;
  int64_t version = domains_max(dver.v, domains);
  pthread_mutex_unlock(&dver.lock);
  /* not below what this read saw itself (another thread may have reset) */
  int64_t mine = domains_max(v, domains);
  return mine > version ? mine : version;
}

static void run_handler(req *r, const route *rt) {
  char *key = NULL;
  int nostore = 0;
  int64_t version = 0;
  int32_t day = 0;
  if (rt->cacheable && strcmp(r->method, "GET") == 0 && !req_arg(r, "format")) {
    version = data_version(r->db, rt->cacheable);
    if (version >= 0) key = cache_key(r); /* an unreadable version: answer uncached */
    day = clock_today();
    int64_t asked = version; /* the version when the request came */
    while (key && version >= 0) {
      if (cache_lookup(r, key, asked, day)) {
        free(key);
        return;
      }
      if (cache_take_flight(key)) break;
      /* The computation waited for has landed.  If its answer is older
       * than this request (a change came in meanwhile), this request looks
       * again and computes if no one else has begun to: it computes under
       * the newest version, so that the requests that waited alongside it
       * take its answer instead of each computing again in turn (with a
       * write every 100 ms and a two-second dashboard, they did). */
      int64_t now_version = data_version(r->db, rt->cacheable);
      if (now_version > version) version = now_version;
    }
    if (key && db_dialect(r->db) == DB_PG && pg_writer_in_flight(r->db)) nostore = 1;
    if (key && !nostore) {
      r->data_version = version;
      r->data_version_domains = rt->cacheable;
    }
  }
  rt->fn(r);
  if (key) {
    char *flying = strdup(key);
    if (!nostore) cache_store(r, key, version, day);
    if (flying) cache_land_flight(flying);
    free(flying);
  }
}

void route_dispatch(req *r) {
  int known;
  const route *rt = find_route(r, &known);
  if (!rt) {
    if (known)
      reply_problem(r, 405, "方法不允许 / Method not allowed",
                    arena_printf(&r->a, "%s 不支持 %s / %s does not support %s", r->path, r->method, r->path, r->method));
    else
      reply_problem(r, 404, "未找到 / Not found", arena_printf(&r->a, "没有接口 %s / No endpoint %s", r->path, r->path));
    return;
  }
  r->db = db_acquire();
  /* Health is public and the same for everybody: whatever credentials come
   * along are not looked at, as when the I/O thread answers it. */
  if (strcmp(r->path, HEALTH_PATH) != 0 && auth_resolve(r) != 0) goto done; /* it replied (e.g. revoked token) */
  /* Login CSRF and cross-site writes: a browser's request from another
   * site never changes anything here, logged in or not (a Bearer token is
   * not something another site's page can send). */
  if (is_unsafe(r->method) && !r->user.via_token && is_cross_site(r)) {
    reply_problem(r, 403, "拒绝跨站请求 / Cross-site request refused",
                  "来自其他网站页面的修改请求（含登录）一律拒绝，请直接在本系统页面操作 / A change (including a login) "
                  "sent by another site's page is refused; use this system's own pages");
    goto done;
  }
  if (rt->roles != ROLES_NONE) {
    if (!r->user.id) {
      reply_problem(r, 401, "未登录 / Not logged in", "请先登录 / Please log in first");
      goto done;
    }
    if ((r->user.roles & rt->roles) == 0) {
      reply_forbidden(r, "您的角色不能进行此操作", "your role may not do this");
      goto done;
    }
    if (is_unsafe(r->method) && !r->user.via_token && !auth_csrf_ok(r)) {
      reply_problem(r, 403, "缺少或错误的CSRF令牌 / CSRF token missing or wrong",
                    "修改类请求须带 X-CSRF-Token 请求头 / Send the X-CSRF-Token header with every change");
      goto done;
    }
  }
  run_handler(r, rt);
  if (!r->status)
    reply_problem(r, 500, "内部错误 / Internal error", "处理程序未作答 / The handler gave no answer");
done:
  cal_release(r->cal);
  r->cal = NULL;
  db_release(r->db);
  r->db = NULL;
}

/* ---- the MHD side ---- */

/* One request on a connection, from its headers to its answer. */
enum { JOB_READING, JOB_QUEUED, JOB_DONE };
typedef struct conn_ctx {
  strbuf body;
  size_t limit;
  int too_big;
  size_t dropped; /* body bytes read and thrown away after too_big */
  int admitted;   /* counted in work.pending */
  int state;      /* JOB_*: the request is handed to a worker while QUEUED */
  double t0;
  req r; /* the request being answered (valid once QUEUED) */
  struct MHD_Connection *conn;
  int fd;                /* the client's socket, to see whether it is gone */
  int is_write;          /* queued in the write lane (an unsafe method) */
  struct conn_ctx *next; /* in the work queue */
} conn_ctx;

/* ---- connection admission: shed the idle and the slow, not the busy ----
 *
 * Every open connection has a conn_state (MHD's socket context) in one
 * list.  It is in one of three phases:
 *   AWAITING  no complete request headers yet (just opened, or between
 *             keep-alive requests).  The headers must be complete within
 *             header_timeout of opening (idle_timeout after the previous
 *             request ended): a client trickling a header line every few
 *             seconds ("slowloris") is closed at that deadline.
 *   BODY      headers read, body arriving: complete within body_timeout.
 *   HANDLING  the request is being answered: no deadline of ours (MHD's
 *             idle timeout still ends a peer that stops reading).
 * The reaper thread closes a connection past its deadline with
 * shutdown(2) on its socket; MHD then sees the end of the stream and
 * cleans up as for any closed peer (the socket stays MHD's to close, and
 * the state is freed only in MHD's close notification, under the lock, so
 * shutdown never hits a reused descriptor).
 *
 * When a new connection would exceed --max-connections, the connection
 * that has been AWAITING longest (for at least IDLE_GRACE_MS, so the
 * microsecond gap between a busy client's requests does not count) is
 * closed to make room; only when there is none is the new connection
 * marked and answered 503 + Retry-After on every request.  One address
 * may hold at most --max-per-ip connections (the reverse proxy on
 * 127.0.0.1/::1, whose X-Real-IP is trusted, is exempt): more are closed
 * as they open. */

#define IDLE_GRACE_MS 1000.0
#define IDLE_TIMEOUT_S 30 /* keep-alive: MHD closes a connection silent this long */

enum { CS_AWAITING, CS_BODY, CS_HANDLING };

typedef struct conn_state {
  struct conn_state *prev, *next;
  int fd;
  int phase;
  double since, due; /* monotonic ms; due 0: no deadline */
  int closing;       /* shut down by us; gone once MHD notices */
  int shed;          /* admitted over the limit: 503 on every request */
  char ip[INET6_ADDRSTRLEN];
} conn_state;

static struct {
  int quiet;
  int max_connections, max_per_ip;
  double header_ms, body_ms, idle_ms;
  pthread_mutex_t lock;
  conn_state *head;
  int live; /* open and not closing */
  struct MHD_Daemon *daemon;
} srv = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void conn_ip(struct MHD_Connection *c, char buf[INET6_ADDRSTRLEN]) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  snprintf(buf, INET6_ADDRSTRLEN, "?");
  if (ci && ci->client_addr) {
    if (ci->client_addr->sa_family == AF_INET)
      inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, buf, INET6_ADDRSTRLEN);
    else if (ci->client_addr->sa_family == AF_INET6)
      inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, buf, INET6_ADDRSTRLEN);
  }
}

static int is_local_proxy(const char *ip) { return strcmp(ip, "127.0.0.1") == 0 || strcmp(ip, "::1") == 0; }

/* Under srv.lock. */
static void conn_close(conn_state *cs, const char *why) {
  if (cs->closing) return;
  cs->closing = 1;
  srv.live--;
  shutdown(cs->fd, SHUT_RDWR);
  if (!srv.quiet) fprintf(stderr, "{\"level\":\"info\",\"msg\":\"connection closed\",\"why\":\"%s\",\"ip\":\"%s\"}\n", why, cs->ip);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx, enum MHD_ConnectionNotificationCode code) {
  (void)cls;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    conn_state *cs = calloc(1, sizeof *cs);
    *socket_ctx = cs;
    if (!cs) return;
    const union MHD_ConnectionInfo *fi = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    cs->fd = fi ? fi->connect_fd : -1;
    conn_ip(c, cs->ip);
    double now = now_ms();
    cs->phase = CS_AWAITING;
    cs->since = now;
    cs->due = now + srv.header_ms;
    pthread_mutex_lock(&srv.lock);
    cs->next = srv.head;
    if (srv.head) srv.head->prev = cs;
    srv.head = cs;
    srv.live++;
    int same_ip = 0;
    if (srv.max_per_ip && !is_local_proxy(cs->ip))
      for (conn_state *o = srv.head; o; o = o->next)
        same_ip += !o->closing && strcmp(o->ip, cs->ip) == 0;
    if (same_ip > srv.max_per_ip) {
      conn_close(cs, "per-ip limit");
    } else if (srv.max_connections && srv.live > srv.max_connections) {
      conn_state *idle = NULL;
      for (conn_state *o = srv.head; o; o = o->next)
        if (o != cs && !o->closing && o->phase == CS_AWAITING && now - o->since >= IDLE_GRACE_MS &&
            (!idle || o->since < idle->since))
          idle = o;
      if (idle) conn_close(idle, "idle, to make room");
      else cs->shed = 1;
    }
    pthread_mutex_unlock(&srv.lock);
  } else {
    conn_state *cs = *socket_ctx;
    *socket_ctx = NULL;
    if (!cs) return;
    pthread_mutex_lock(&srv.lock);
    if (cs->prev) cs->prev->next = cs->next;
    else srv.head = cs->next;
    if (cs->next) cs->next->prev = cs->prev;
    if (!cs->closing) srv.live--;
    pthread_mutex_unlock(&srv.lock);
    free(cs);
  }
}

static conn_state *conn_of(struct MHD_Connection *c) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return ci ? ci->socket_context : NULL;
}

static void conn_phase(struct MHD_Connection *c, int phase, double timeout_ms) {
  conn_state *cs = conn_of(c);
  if (!cs) return;
  double now = now_ms();
  pthread_mutex_lock(&srv.lock);
  cs->phase = phase;
  cs->since = now;
  cs->due = timeout_ms > 0 ? now + timeout_ms : 0;
  pthread_mutex_unlock(&srv.lock);
}

static int connection_is_shed(struct MHD_Connection *c) {
  conn_state *cs = conn_of(c);
  return !cs || cs->shed;
}

static const char *client_ip(struct MHD_Connection *c, arena *a) {
  char buf[INET6_ADDRSTRLEN];
  conn_ip(c, buf);
  /* Behind a reverse proxy on the same machine, trust its X-Real-IP. */
  const char *real = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP");
  if (real && is_local_proxy(buf)) return arena_strdup(a, real);
  return arena_strdup(a, buf);
}

static volatile sig_atomic_t stop_requested;

/* Closes the connections past their deadline, four times a second. */
static void *reaper(void *arg) {
  (void)arg;
  while (!stop_requested) {
    double now = now_ms();
    pthread_mutex_lock(&srv.lock);
    for (conn_state *cs = srv.head; cs; cs = cs->next)
      if (!cs->closing && cs->due && now > cs->due)
        conn_close(cs, cs->phase == CS_BODY ? "body timeout" : "header timeout");
    pthread_mutex_unlock(&srv.lock);
    usleep(250000);
  }
  return NULL;
}

/* The headers every answer carries, first. */
static void common_headers(struct MHD_Response *resp, const char *type) {
  if (type) MHD_add_response_header(resp, "Content-Type", type);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
}

static enum MHD_Result send_reply(struct MHD_Connection *c, req *r) {
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(r->out_len, r->out ? r->out : (void *)"", r->out ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
  r->out = NULL;
  common_headers(resp, r->out_type);
  int has_cache = 0;
  for (int i = 0; i < r->nheaders; i++) {
    MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
    if (strcasecmp(r->headers[i].name, "Cache-Control") == 0) has_cache = 1;
  }
  if (!has_cache) MHD_add_response_header(resp, "Cache-Control", "no-store");
  enum MHD_Result ret = MHD_queue_response(c, r->status, resp);
  MHD_destroy_response(resp);
  return ret;
}

static void access_log(const req *r, double ms) {
  if (srv.quiet) return;
  fprintf(stderr,
          "{\"method\":\"%s\",\"path\":\"%s\",\"status\":%u,\"ms\":%.2f,\"user\":%lld,\"ip\":\"%s\"}\n",
          r->method, r->path, r->status, ms, (long long)r->user.id, r->ip ? r->ip : "");
}

/* ---- /health from the I/O thread ----
 * While health's last database check is fresh (core.c reuses it for a
 * second), its answer needs neither the database nor a worker: the I/O
 * thread sends it at once, from one response kept for that body (MHD
 * counts its uses, so every connection may queue it), with the headers of
 * any answer.  It is still admitted like any request (over --max-pending
 * it is refused 503 first), so shedding holds, and logged like any other.
 * It does not read credentials: health is public and says nothing about
 * who asks.  Only the I/O thread touches hfast. */
static struct {
  char body[192];
  size_t len;
  struct MHD_Response *resp;
} hfast;

static int health_fast(struct MHD_Connection *c, double t0, enum MHD_Result *ret) {
  char body[sizeof hfast.body];
  size_t len = health_recent(body, sizeof body);
  if (!len) return 0;
  if (!hfast.resp || len != hfast.len || memcmp(body, hfast.body, len) != 0) {
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_COPY);
    if (!resp) return 0;
    common_headers(resp, "application/json; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (hfast.resp) MHD_destroy_response(hfast.resp);
    hfast.resp = resp;
    memcpy(hfast.body, body, len);
    hfast.len = len;
  }
  *ret = MHD_queue_response(c, 200, hfast.resp);
  if (!srv.quiet) {
    req r = {0};
    arena_init(&r.a);
    r.method = "GET";
    r.path = HEALTH_PATH;
    r.status = 200;
    r.ip = client_ip(c, &r.a);
    access_log(&r, now_ms() - t0);
    arena_release(&r.a);
  }
  return 1;
}

/* Paths served by the route table: the API, and the Open311 GeoReport v2
 * API (open311.c) at the path civic apps expect; the rest is the web UI. */
static int is_routed(const char *url) { return strncmp(url, "/api/", 5) == 0 || strncmp(url, "/open311/", 9) == 0; }

/* ---- the work queue: admitted requests are bounded ----
 *
 * A request is admitted when its headers are in, and counts as pending
 * until its answer is queued: while its body arrives, while it waits for a
 * worker and while a worker handles it.  At most --max-pending requests are
 * pending; the next one is answered 503 + Retry-After at once, from the
 * I/O thread, without reading its body, so latency stays bounded by the
 * queue's length instead of growing with the number of clients (issue 13,
 * finding 13: 512 connections of uncached lists took over 2 s).  The I/O
 * thread suspends a connection whose request is complete and puts it in
 * the queue; a worker handles it and resumes the connection, and the I/O
 * thread sends the answer.  Behind nginx, which buffers whole requests,
 * the arriving-body part is a moment.
 *
 * Two lanes (issue 21, the mixed load): changes (POST, PUT, PATCH, DELETE)
 * queue in the write lane, reads in the read lane.  Every worker takes a
 * waiting change before any read, and one more worker (the write worker,
 * with its own database connection) takes only changes.  So a correction
 * never waits behind 32 queued reads, nor for a worker to come free from a
 * half-second recomputation of a dashboard (or from waiting for one, in the
 * response cache's single flight): it waits only for SQLite's write lock
 * and its WAL sync.  Measured on the province copy with one PATCH every
 * 100 ms beside wrk -c32 reads: PATCH p99 went from seconds to tens of ms.
 *
 * A read whose client has gone (closed its connection: a browser that
 * navigated away, nginx passing on a client's abort, a load generator that
 * stopped) before a worker took it is not computed: MHD notices a closed
 * connection only once it is resumed, so without this every abandoned read
 * still cost a worker its full time and held its pending place, and the
 * next clients were refused 503 until the backlog had been computed for no
 * one (the bench's mixed rows after the dashboard: thousands of 503s).  It
 * is logged with status 499 (nginx's "client closed request").  A change is
 * always carried out: its client may only have stopped waiting. */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t ready;       /* a read or a change was queued */
  pthread_cond_t write_ready; /* a change was queued (the write worker) */
  conn_ctx *head, *tail;      /* the read lane */
  conn_ctx *whead, *wtail;    /* the write lane */
  int pending, max_pending;
  int wpending; /* of which changes */
  int closing;  /* shutting down: workers drain the queue and stop */
} work = {.lock = PTHREAD_MUTEX_INITIALIZER, .ready = PTHREAD_COND_INITIALIZER, .write_ready = PTHREAD_COND_INITIALIZER};

static int client_gone(int fd);

/* Under work.lock, from the I/O thread when the bound is reached: takes the
 * queued reads whose clients have gone off the read lane and frees their
 * places at once, so that a backlog left by clients that went away does not
 * refuse the clients that are there.  Returns them, linked by next, answered
 * (499, to no one); the caller resumes them once the lock is released. */
static conn_ctx *work_purge_gone(void) {
  conn_ctx *gone = NULL;
  for (conn_ctx **p = &work.head, *prev = NULL; *p;) {
    conn_ctx *cx = *p;
    if (!client_gone(cx->fd)) {
      prev = cx;
      p = &cx->next;
      continue;
    }
    *p = cx->next;
    if (work.tail == cx) work.tail = prev;
    work.pending--;
    cx->admitted = 0; /* its place is given back here, not when MHD closes it */
    reply_problem(&cx->r, 499, "客户端已断开 / Client closed request",
                  "请求未处理：客户端已关闭连接 / Not handled: the client closed the connection");
    cx->state = JOB_DONE;
    cx->next = gone;
    gone = cx;
  }
  return gone;
}

/* Admits a request whose headers are in, or returns 0 (answer 503).  Reads
 * are admitted while fewer than --max-pending requests of any kind are
 * pending; changes have a bound of their own (--max-pending changes), so
 * that a flood of reads never refuses a correction, while the changes
 * pending still count against the reads. */
static int work_admit(int is_write) {
  pthread_mutex_lock(&work.lock);
  int ok = 0;
  conn_ctx *gone = NULL;
  if (!work.closing && is_write) {
    ok = work.wpending < work.max_pending;
    work.wpending += ok;
  } else if (!work.closing) {
    if (work.pending >= work.max_pending) gone = work_purge_gone();
    ok = work.pending < work.max_pending;
  }
  work.pending += ok;
  pthread_mutex_unlock(&work.lock);
  while (gone) { /* cx is the I/O thread's again once resumed */
    conn_ctx *next = gone->next;
    MHD_resume_connection(gone->conn);
    gone = next;
  }
  return ok;
}

static void work_leave(int is_write) {
  pthread_mutex_lock(&work.lock);
  work.pending--;
  work.wpending -= is_write != 0;
  pthread_mutex_unlock(&work.lock);
}

/* Suspends the connection and queues its request in its lane; 0 when
 * shutting down. */
static int work_push(conn_ctx *cx) {
  const union MHD_ConnectionInfo *fi = MHD_get_connection_info(cx->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
  cx->fd = fi ? fi->connect_fd : -1;
  pthread_mutex_lock(&work.lock);
  int ok = !work.closing;
  if (ok) {
    /* Suspended before a worker can see it, so the worker's resume always
     * finds it suspended. */
    MHD_suspend_connection(cx->conn);
    cx->state = JOB_QUEUED;
    cx->next = NULL;
    conn_ctx **head = cx->is_write ? &work.whead : &work.head, **tail = cx->is_write ? &work.wtail : &work.tail;
    if (*tail) (*tail)->next = cx;
    else *head = cx;
    *tail = cx;
    pthread_cond_signal(&work.ready);
    if (cx->is_write) pthread_cond_signal(&work.write_ready);
  }
  pthread_mutex_unlock(&work.lock);
  return ok;
}

/* Under work.lock: the first change waiting, else (unless writes_only) the
 * first read, taken off its lane; NULL when none. */
static conn_ctx *work_take(int writes_only) {
  conn_ctx *cx = work.whead;
  if (cx) {
    work.whead = cx->next;
    if (!work.whead) work.wtail = NULL;
  } else if (!writes_only && (cx = work.head) != NULL) {
    work.head = cx->next;
    if (!work.head) work.tail = NULL;
  }
  /* The wake-up that announced this job may have gone to a worker of the
   * other kind: pass one on while jobs are left. */
  if (cx && work.whead) pthread_cond_signal(&work.write_ready);
  if (cx && (work.whead || work.head)) pthread_cond_signal(&work.ready);
  return cx;
}

/* 1 when the client closed its connection (or it broke): its request
 * would be answered to no one.  Bytes waiting (a pipelined next request)
 * mean it is still there. */
static int client_gone(int fd) {
  if (fd < 0) return 0;
  char b;
  ssize_t n = recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return 1;
  return n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
}

/* A worker: arg NULL for the general ones, non-NULL for the write lane's. */
// cppcheck-suppress constParameter ; a pthread start routine's signature
static void *worker(void *arg) {
  int writes_only = arg != NULL;
  for (;;) {
    pthread_mutex_lock(&work.lock);
    conn_ctx *cx;
    while (!(cx = work_take(writes_only)) && !work.closing)
      pthread_cond_wait(writes_only ? &work.write_ready : &work.ready, &work.lock);
    pthread_mutex_unlock(&work.lock);
    if (!cx) return NULL; /* closing, and nothing left */
    if (!cx->is_write && client_gone(cx->fd))
      reply_problem(&cx->r, 499, "客户端已断开 / Client closed request",
                    "请求未处理：客户端已关闭连接 / Not handled: the client closed the connection");
    else
      route_dispatch(&cx->r);
    access_log(&cx->r, now_ms() - cx->t0);
    struct MHD_Connection *c = cx->conn;
    cx->state = JOB_DONE;
    MHD_resume_connection(c); /* cx is the I/O thread's again from here */
  }
}

/* The answer that refuses a request: over the bound, or shutting down. */
static void reply_overloaded(req *r) {
  reply_problem(r, 503, "系统繁忙 / Overloaded",
                "请求过多，请稍后重试 / Too many requests are waiting; please retry shortly");
  reply_header(r, "Retry-After", "1");
}

static void req_free(req *r) {
  json_decref(r->errors);
  json_decref(r->body_json);
  free(r->out);
  arena_release(&r->a);
  memset(r, 0, sizeof *r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls) {
  (void)cls;
  (void)version;
  conn_ctx *cx = *con_cls;
  if (!cx) {
    cx = calloc(1, sizeof *cx);
    if (!cx) return MHD_NO;
    *con_cls = cx;
    cx->conn = c;
    cx->is_write = is_unsafe(method);
    if (!connection_is_shed(c) && !work_admit(cx->is_write)) {
      /* Over the bound: refuse now, before reading a body. */
      conn_phase(c, CS_HANDLING, 0);
      req r = {0};
      arena_init(&r.a);
      r.conn = c;
      r.method = method;
      r.path = url;
      r.ip = client_ip(c, &r.a);
      reply_overloaded(&r);
      reply_header(&r, "Connection", "close");
      access_log(&r, 0);
      enum MHD_Result ret = send_reply(c, &r);
      req_free(&r);
      return ret;
    }
    cx->admitted = !connection_is_shed(c);
    conn_phase(c, CS_BODY, srv.body_ms);
    cx->limit = is_routed(url) ? route_max_body(method, url) : DEFAULT_MAX_BODY;
    sb_init(&cx->body, cx->limit + 1);
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    /* Announced as too big: still read (and drop) a body of sane size, so
     * the client gets its 413 instead of a connection reset mid-upload. */
    if (cl && strtoull(cl, NULL, 10) > cx->limit) cx->too_big = 1;
    if (!cx->too_big || (cl && strtoull(cl, NULL, 10) <= 64 * DEFAULT_MAX_BODY)) return MHD_YES;
  }
  if (cx->state == JOB_DONE) {
    /* A worker answered it (and resumed the connection): send. */
    enum MHD_Result ret = send_reply(c, &cx->r);
    req_free(&cx->r);
    return ret;
  }
  if (cx->state == JOB_QUEUED) return MHD_YES; /* not expected: suspended */
  if (*upload_size) {
    if (!cx->too_big) sb_add(&cx->body, upload, *upload_size);
    if (cx->body.overflow || cx->body.len > cx->limit) cx->too_big = 1;
    cx->dropped += cx->too_big ? *upload_size : 0;
    *upload_size = 0;
    if (cx->dropped <= 64 * DEFAULT_MAX_BODY) return MHD_YES;
  }
  *upload_size = 0;
  conn_phase(c, CS_HANDLING, 0);

  cx->t0 = srv.quiet ? 0 : now_ms();
  if (!cx->too_big && cx->admitted && strcmp(url, HEALTH_PATH) == 0 && strcmp(method, "GET") == 0) {
    enum MHD_Result ret;
    if (health_fast(c, cx->t0, &ret)) return ret;
  }
  req *r = &cx->r;
  arena_init(&r->a);
  r->conn = c;
  r->method = method;
  r->path = url;
  r->ip = client_ip(c, &r->a);
  if (cx->too_big) {
    reply_problem(r, 413, "请求体过大 / Request body too large",
                  arena_printf(&r->a, "请求体不得超过 %zu 字节 / The body may not exceed %zu bytes", cx->limit, cx->limit));
  } else if (connection_is_shed(c)) {
    /* Shed load early and cheaply instead of queueing without bound. */
    reply_problem(r, 503, "系统繁忙 / Overloaded", "请稍后重试 / Please retry shortly");
    reply_header(r, "Retry-After", "1");
    reply_header(r, "Connection", "close");
  } else {
    r->body = cx->body.buf;
    r->body_len = cx->body.len;
    if (!is_routed(url)) static_serve(r);
    else if (work_push(cx)) return MHD_YES; /* a worker answers it */
    else reply_overloaded(r);
  }
  access_log(r, now_ms() - cx->t0);
  enum MHD_Result ret = send_reply(c, r);
  req_free(r);
  return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)toe;
  conn_ctx *cx = *con_cls;
  if (cx) {
    if (cx->admitted) work_leave(cx->is_write);
    req_free(&cx->r);
    sb_release(&cx->body);
    free(cx);
  }
  *con_cls = NULL;
  conn_phase(c, CS_AWAITING, srv.idle_ms);
}

/* Lets the workers drain the queue, then joins and frees them. */
static void work_stop(pthread_t *workers, int n) {
  pthread_mutex_lock(&work.lock);
  work.closing = 1;
  pthread_cond_broadcast(&work.ready);
  pthread_cond_broadcast(&work.write_ready);
  pthread_mutex_unlock(&work.lock);
  for (int i = 0; i < n; i++) pthread_join(workers[i], NULL);
  free(workers);
}

static void *ticker(void *arg) {
  (void)arg;
  while (!stop_requested) {
    for (int i = 0; i < nmodules && !stop_requested; i++) {
      if (!modules[i]->tick) continue;
      db *d = db_acquire();
      modules[i]->tick(d);
      db_release(d);
    }
    /* Large answers (a province's battle map) grow malloc's arenas; give
     * the freed memory back so the resident size stays near what is used. */
    malloc_trim(0);
    for (int s = 0; s < 10 && !stop_requested; s++) usleep(100000);
  }
  return NULL;
}
static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa) {
  const char *colon = strrchr(listen, ':');
  if (!colon) return -1;
  char host[64];
  size_t hl = (size_t)(colon - listen);
  if (hl >= sizeof host) return -1;
  memcpy(host, listen, hl);
  host[hl] = 0;
  char *end;
  long port = strtol(colon + 1, &end, 10);
  if (*end || port < 0 || port > 65535) return -1;
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, hl ? host : "0.0.0.0", &sa->sin_addr) != 1) return -1;
  return 0;
}

int server_run(const server_opts *o) {
  struct sockaddr_in sa;
  if (parse_listen(o->listen, &sa) != 0) {
    fprintf(stderr, "guatu: --listen wants HOST:PORT (e.g. 127.0.0.1:8080), not '%s'\n", o->listen);
    return 2;
  }
  char err[512];
  int threads = o->threads > 0 ? o->threads : 4;
  /* a connection per worker, the write worker's and the ticker's */
  if (db_pool_open(o->db_url, threads + 2, err, sizeof err) != DB_OK) {
    fprintf(stderr, "guatu: %s\n", err);
    return 1;
  }
  srv.quiet = o->quiet;
  srv.max_connections = o->max_connections > 0 ? o->max_connections : 256;
  srv.max_per_ip = o->max_per_ip >= 0 ? o->max_per_ip : 64;
  srv.header_ms = 1000.0 * (o->header_timeout > 0 ? o->header_timeout : 10);
  srv.body_ms = 1000.0 * (o->body_timeout > 0 ? o->body_timeout : 120);
  srv.idle_ms = 1000.0 * IDLE_TIMEOUT_S;
  work.max_pending = o->max_pending > 0 ? o->max_pending : 16 * threads;
  work.closing = 0;
  pthread_t *workers = calloc((size_t)threads + 1, sizeof *workers);
  int nworkers = 0;
  while (workers && nworkers < threads && pthread_create(&workers[nworkers], NULL, worker, NULL) == 0) nworkers++;
  /* the write lane's own worker (any non-NULL argument) */
  int writer = nworkers > 0 && pthread_create(&workers[nworkers], NULL, worker, (void *)&work) == 0;
  nworkers += writer;
  if (nworkers == 0) {
    fprintf(stderr, "guatu: cannot start worker threads\n");
    free(workers);
    db_pool_close();
    return 1;
  }
  srv.daemon = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL, on_request, NULL,
      MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
      MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL, MHD_OPTION_CONNECTION_LIMIT,
      (unsigned)(srv.max_connections * 4), MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S, MHD_OPTION_LISTEN_BACKLOG_SIZE,
      1024u, MHD_OPTION_END);
  if (!srv.daemon) {
    fprintf(stderr, "guatu: cannot listen on %s (in use?)\n", o->listen);
    work_stop(workers, nworkers);
    db_pool_close();
    return 1;
  }
  const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv.daemon, MHD_DAEMON_INFO_BIND_PORT);
  fprintf(stderr, "{\"level\":\"info\",\"msg\":\"guatu serving\",\"listen\":\"%s\",\"port\":%u,\"threads\":%d,\"max_pending\":%d,\"write_worker\":%s}\n",
          o->listen, di ? di->port : 0, nworkers - writer, work.max_pending, writer ? "true" : "false");
  struct sigaction act = {0};
  act.sa_handler = on_signal;
  sigaction(SIGINT, &act, NULL);
  sigaction(SIGTERM, &act, NULL);
  signal(SIGPIPE, SIG_IGN);
  pthread_t tick_thread, reap_thread;
  int ticking = pthread_create(&tick_thread, NULL, ticker, NULL) == 0;
  int reaping = pthread_create(&reap_thread, NULL, reaper, NULL) == 0;
  while (!stop_requested) pause();
  if (reaping) pthread_join(reap_thread, NULL);
  /* The workers answer what is queued (resuming those connections) before
   * MHD stops: it must not be stopped with a connection suspended. */
  work_stop(workers, nworkers);
  MHD_stop_daemon(srv.daemon);
  if (hfast.resp) MHD_destroy_response(hfast.resp);
  hfast.resp = NULL;
  if (ticking) pthread_join(tick_thread, NULL);
  cache_clear();
  db_pool_close();
  return 0;
}
