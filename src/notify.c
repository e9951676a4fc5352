/*
 * notify.c — in-app notifications and outgoing webhooks (see notify.h).
 *
 * GET    /api/v1/notifications?unread=1&page&per_page   my notifications, newest first
 * GET    /api/v1/notifications/unread-count             {"count":N} (the bell)
 * POST   /api/v1/notifications/{id}/read                mark one read
 * POST   /api/v1/notifications/read-all                 mark all read → {"count":N}
 * GET    /api/v1/webhooks?unit                          admin
 * POST   /api/v1/webhooks {unit_id,kind,url,enabled,name}  admin
 * PATCH  /api/v1/webhooks/{id} {kind,url,enabled,name,version}  admin
 * DELETE /api/v1/webhooks/{id}                          admin
 * POST   /api/v1/webhooks/{id}/test                     admin: queue a test message
 * GET    /api/v1/webhooks/{id}/deliveries               admin: the delivery log with attempts
 *
 * Delivery: the tick picks due rows, claims each with a conditional UPDATE
 * (state pending → sending, or a stale claim whose sender died), posts with
 * libcurl under short timeouts outside any transaction, then records the
 * attempt and schedules the retry.  A robot answers HTTP 200 with
 * {"errcode":N} on errors, so a non-zero errcode counts as a failure.
 *
 * SSRF: a webhook posts from inside the district's network, so it may not
 * reach loopback, link-local (cloud metadata), private or other internal
 * addresses unless the administrator lists the URL's host in the setting
 * webhook_allow_hosts (GET/PUT /api/v1/settings/webhooks).  The address is
 * checked as curl opens the socket, after DNS, so a name that resolves (or
 * rebinds) to such an address is refused too.  Only the status code and
 * the robot's errcode are kept from an answer, never its text.
 * GET    /api/v1/settings/webhooks {allow_hosts:[…]}    admin
 * PUT    /api/v1/settings/webhooks {allow_hosts:[…]}    admin
 */
#include "clock.h"
#include "notify.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <strings.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "http.h"

/* ---- time ---- */

static int64_t now_ms(void) { return clock_now_ms(); }

static void fmt_ms(int64_t ms, char out[32]) {
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
           tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100, (int)(ms % 1000));
}

/* The retry schedule in multiples of the first delay: 5 s, 30 s, 2 min,
 * 10 min, 1 h.  After the last retry fails the delivery is failed. */
static const int backoff_steps[] = {1, 6, 24, 120, 720};
#define MAX_ATTEMPTS 6

static int64_t backoff_base_ms(void) {
  const char *e = getenv("GUATU_WEBHOOK_BACKOFF_MS");
  long v = e ? strtol(e, NULL, 10) : 0;
  return v > 0 && v <= 3600000 ? v : 5000;
}

/* ---- writing notifications ---- */

int notify_user(db *d, int64_t user_id, const notice *n) {
  char at[32];
  fmt_ms(now_ms(), at);
  return db_exec(d,
                 "INSERT INTO notifications (user_id, kind, title, body, link, entity, entity_id, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 DBI(user_id), DBT(n->kind), DBT(n->title), DBT(n->body), DBT(n->link), DBT(n->entity),
                 n->entity_id ? DBI(n->entity_id) : DBNULL, DBT(at));
}

int notify_unit_users(db *d, int64_t unit_id, const notice *n, int64_t except_user) {
  char at[32];
  fmt_ms(now_ms(), at);
  return db_exec(d,
                 "INSERT INTO notifications (user_id, kind, title, body, link, entity, entity_id, created_at) "
                 "SELECT id, ?, ?, ?, ?, ?, ?, ? FROM users WHERE unit_id = ? AND disabled = 0 AND id <> ?",
                 DBT(n->kind), DBT(n->title), DBT(n->body), DBT(n->link), DBT(n->entity),
                 n->entity_id ? DBI(n->entity_id) : DBNULL, DBT(at), DBI(unit_id), DBI(except_user));
}

/* Markdown text for the robots: a heading, the body, the link. */
static void robot_text(strbuf *sb, const char *title, const char *body, const char *link) {
  sb_addf(sb, "### %s\n", title);
  if (body && *body) sb_addf(sb, "%s\n", body);
  if (link && *link) sb_addf(sb, "> 挂图作战平台：%s\n", link);
}

char *webhook_payload(const char *kind, const char *title, const char *body, const char *link) {
  strbuf sb = STRBUF_INIT;
  robot_text(&sb, title, body, link);
  json_t *o;
  if (strcmp(kind, "dingtalk") == 0)
    o = json_pack("{s:s, s:{s:s, s:s}}", "msgtype", "markdown", "markdown", "title", title, "text", sb_str(&sb));
  else
    o = json_pack("{s:s, s:{s:s}}", "msgtype", "markdown", "markdown", "content", sb_str(&sb));
  sb_release(&sb);
  char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  return s;
}

int notify_webhooks(db *d, int64_t unit_id, const notice *n) {
  db_stmt *st = db_query(d, "SELECT id, kind FROM webhooks WHERE unit_id = ? AND enabled = 1 ORDER BY id", DBI(unit_id));
  if (!st) return DB_ERROR;
  int64_t ids[32];
  char kinds[32][16];
  int cnt = 0, rc;
  while ((rc = db_step(st)) == DB_ROW && cnt < 32) {
    ids[cnt] = db_int(st, 0);
    snprintf(kinds[cnt], sizeof kinds[cnt], "%s", db_text(st, 1));
    cnt++;
  }
  db_done(st);
  if (rc != DB_ROW && rc != DB_DONE) return rc;
  char at[32];
  fmt_ms(now_ms(), at);
  for (int i = 0; i < cnt; i++) {
    char *payload = webhook_payload(kinds[i], n->title, n->body, n->link);
    if (!payload) return DB_ERROR;
    rc = db_exec(d,
                 "INSERT INTO webhook_deliveries (webhook_id, kind, title, payload, state, attempts, next_at, created_at, "
                 "updated_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
                 DBI(ids[i]), DBT(n->kind), DBT(n->title), DBT(payload), DBT(at), DBT(at), DBT(at));
    free(payload);
    if (rc != DB_OK) return rc;
  }
  return DB_OK;
}

int notify_unit(db *d, int64_t unit_id, const notice *n, int64_t except_user) {
  int rc = notify_unit_users(d, unit_id, n, except_user);
  return rc == DB_OK ? notify_webhooks(d, unit_id, n) : rc;
}

/* ---- delivery ---- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

static size_t collect(void *data, size_t size, size_t nmemb, void *ctx) {
  strbuf *sb = ctx;
  size_t n = size * nmemb;
  if (sb->len < 4096) sb_add(sb, data, n < 4096 ? n : 4096);
  return n;
}

/* ---- where a webhook may post ---- */

/* 1 for an address inside a private, loopback, link-local, shared,
 * multicast or reserved range (IPv4, and IPv6 with IPv4 mapped into it). */
static int addr_internal(const struct sockaddr *sa) {
  if (sa->sa_family == AF_INET) {
#define IN4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
    static const struct {
      uint32_t net;
      int bits;
    } nets[] = {
        {IN4(0, 0, 0, 0), 8},     {IN4(10, 0, 0, 0), 8},    {IN4(100, 64, 0, 0), 10}, {IN4(127, 0, 0, 0), 8},
        {IN4(169, 254, 0, 0), 16}, {IN4(172, 16, 0, 0), 12}, {IN4(192, 0, 0, 0), 24},  {IN4(192, 168, 0, 0), 16},
        {IN4(198, 18, 0, 0), 15},  {IN4(224, 0, 0, 0), 3}, /* multicast, reserved, broadcast */
    };
#undef IN4
    uint32_t a = ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr);
    for (size_t i = 0; i < sizeof nets / sizeof *nets; i++)
      if ((a & (~0u << (32 - nets[i].bits))) == nets[i].net) return 1;
    return 0;
  }
  if (sa->sa_family == AF_INET6) {
    const unsigned char *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(b, mapped, 12) == 0) {
      struct sockaddr_in v4 = {0};
      v4.sin_family = AF_INET;
      memcpy(&v4.sin_addr, b + 12, 4);
      return addr_internal((const struct sockaddr *)&v4);
    }
    static const unsigned char zero[15] = {0};
    if (memcmp(b, zero, 15) == 0) return 1;                    /* :: and ::1 */
    return (b[0] & 0xfe) == 0xfc ||                             /* fc00::/7 unique local */
           (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||           /* fe80::/10 link-local */
           b[0] == 0xff;                                        /* multicast */
  }
  return 1;
}

/* The host of an http(s) URL, lower-cased, into out; 0, or -1. */
static int url_host(const char *url, char *out, size_t outlen) {
  CURLU *u = curl_url();
  char *host = NULL;
  int ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK && curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK;
  if (ok) {
    const char *h = host;
    size_t n = strlen(h);
    if (n >= 2 && h[0] == '[' && h[n - 1] == ']') h++, n -= 2; /* [::1] */
    if (n >= outlen) ok = 0;
    for (size_t i = 0; ok && i < n; i++) out[i] = (char)(h[i] >= 'A' && h[i] <= 'Z' ? h[i] + 32 : h[i]);
    if (ok) out[n] = 0;
  }
  curl_free(host);
  curl_url_cleanup(u);
  return ok ? 0 : -1;
}

/* 1 when the administrator lets webhooks post to this host even though
 * it is internal (webhook_allow_hosts: a JSON array of host names). */
static int host_allowed(db *d, const char *host) {
  db_stmt *st = db_query(d, "SELECT value FROM settings WHERE key = 'webhook_allow_hosts'");
  json_t *list = st && db_step(st) == DB_ROW ? json_loads(db_text(st, 0), 0, NULL) : NULL;
  db_done(st);
  int ok = 0;
  size_t i;
  json_t *h;
  json_array_foreach(list, i, h) if (json_is_string(h) && strcasecmp(json_string_value(h), host) == 0) ok = 1;
  json_decref(list);
  return ok;
}

/* A literal internal address or a name that is internal by definition. */
static int host_literal_internal(const char *host) {
  struct sockaddr_in v4 = {0};
  struct sockaddr_in6 v6 = {0};
  if (inet_pton(AF_INET, host, &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    return addr_internal((const struct sockaddr *)&v4);
  }
  if (inet_pton(AF_INET6, host, &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    return addr_internal((const struct sockaddr *)&v6);
  }
  size_t n = strlen(host);
  return strcmp(host, "localhost") == 0 || (n > 10 && strcmp(host + n - 10, ".localhost") == 0) ||
         (n > 6 && strcmp(host + n - 6, ".local") == 0) || (n > 9 && strcmp(host + n - 9, ".internal") == 0);
}

typedef struct sock_guard {
  int allow_internal;
  int refused;
} sock_guard;

/* curl is about to connect to `address` (after DNS): refuse internal ones. */
static curl_socket_t open_guarded(void *ctx, curlsocktype purpose, struct curl_sockaddr *address) {
  sock_guard *g = ctx;
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  if (!g->allow_internal && addr_internal(&address->addr)) {
    g->refused = 1;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

/* Posts once.  Returns 1 on success; sets *status (0 without an HTTP
 * answer) and err (a short reason) otherwise.  Nothing of the answer's
 * body is kept (a webhook must not become a way to read internal pages). */
static int post_once(const char *url, const char *payload, int allow_internal, long *status, char *err, size_t errlen) {
  pthread_once(&curl_once, curl_init_once);
  CURL *c = curl_easy_init();
  if (!c) {
    snprintf(err, errlen, "curl_easy_init failed");
    return 0;
  }
  strbuf resp = STRBUF_INIT;
  char cerr[CURL_ERROR_SIZE] = "";
  sock_guard guard = {allow_internal, 0};
  struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for DNS timeouts */
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*"); /* the check is of the address actually connected to */
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_guarded);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &guard);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "guatu-webhook/1");
  CURLcode cc = curl_easy_perform(c);
  *status = 0;
  int ok = 0;
  if (guard.refused) {
    snprintf(err, errlen, "refused: the address is internal (loopback, private or link-local); an administrator may allow the host");
  } else if (cc != CURLE_OK) {
    snprintf(err, errlen, "%s", curl_easy_strerror(cc));
  } else {
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    if (*status < 200 || *status > 299) {
      snprintf(err, errlen, "HTTP %ld", *status);
    } else {
      /* WeCom and DingTalk say "errcode":0 when they took the message. */
      json_t *j = json_loads(sb_str(&resp), 0, NULL);
      json_t *ec = j ? json_object_get(j, "errcode") : NULL;
      json_int_t code = json_is_integer(ec) ? json_integer_value(ec) : 0;
      if (code != 0) snprintf(err, errlen, "errcode %lld", (long long)code);
      else ok = 1;
      json_decref(j);
    }
  }
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  sb_release(&resp);
  return ok;
}

/* Sends one claimed delivery and records the outcome. */
static void deliver(db *d, int64_t id) {
  db_stmt *st = db_query(d,
                         "SELECT w.url, w.enabled, x.payload, x.attempts FROM webhook_deliveries x "
                         "JOIN webhooks w ON w.id = x.webhook_id WHERE x.id = ?",
                         DBI(id));
  if (!st || db_step(st) != DB_ROW) {
    db_done(st);
    return;
  }
  char *url = strdup(db_text(st, 0));
  int enabled = (int)db_int(st, 1);
  char *payload = strdup(db_text(st, 2));
  int attempt = (int)db_int(st, 3);
  db_done(st);
  if (!url || !payload) {
    free(url);
    free(payload);
    return;
  }
  long status = 0;
  char err[300] = "";
  int64_t t0 = now_ms();
  int ok = 0;
  char host[256];
  int allow_internal = url_host(url, host, sizeof host) == 0 && host_allowed(d, host);
  if (enabled)
    ok = post_once(url, payload, allow_internal, &status, err, sizeof err);
  else
    snprintf(err, sizeof err, "webhook disabled");
  int64_t t1 = now_ms();
  char at[32], next[32];
  fmt_ms(t1, at);
  const char *state = "delivered";
  if (!ok) {
    if (!enabled || attempt >= MAX_ATTEMPTS) {
      state = "failed";
      fmt_ms(t1, next);
    } else {
      state = "pending";
      fmt_ms(t1 + backoff_base_ms() * backoff_steps[attempt - 1 < 0 ? 0 : attempt - 1], next);
    }
  } else {
    fmt_ms(t1, next);
  }
  /* Without a transaction the attempt is not recorded; the claim runs out
   * and the delivery is tried again. */
  int rc = db_begin(d);
  if (rc == DB_OK)
    rc = db_exec(d, "INSERT INTO webhook_attempts (delivery_id, attempt, at, http_status, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)",
                 DBI(id), DBI(attempt), DBT(at), status ? DBI(status) : DBNULL, DBT(ok ? NULL : err), DBI(t1 - t0));
  if (rc == DB_OK)
    rc = db_exec(d,
                 "UPDATE webhook_deliveries SET state = ?, next_at = ?, claimed_until = NULL, last_status = ?, "
                 "last_error = ?, delivered_at = ?, updated_at = ? WHERE id = ?",
                 DBT(state), DBT(next), status ? DBI(status) : DBNULL, DBT(ok ? NULL : err), DBT(ok ? at : NULL),
                 DBT(at), DBI(id));
  if (rc == DB_OK) rc = db_commit(d);
  if (rc != DB_OK && db_in_transaction(d)) db_rollback(d);
  free(url);
  free(payload);
}

static void notify_tick(db *d) {
  char now[32], until[32];
  int64_t t = now_ms();
  fmt_ms(t, now);
  /* A claim outlives the longest attempt (5 s) with margin; after that a
   * process that died mid-send lets another one retry. */
  fmt_ms(t + 60000, until);
  db_stmt *st = db_query(d,
                         "SELECT id FROM webhook_deliveries WHERE (state = 'pending' AND next_at <= ?) "
                         "OR (state = 'sending' AND claimed_until < ?) ORDER BY next_at, id LIMIT 10",
                         DBT(now), DBT(now));
  if (!st) return;
  int64_t ids[10];
  int n = 0;
  while (n < 10 && db_step(st) == DB_ROW) ids[n++] = db_int(st, 0);
  db_done(st);
  for (int i = 0; i < n; i++) {
    int rc = db_exec(d,
                     "UPDATE webhook_deliveries SET state = 'sending', attempts = attempts + 1, claimed_until = ?, "
                     "updated_at = ? WHERE id = ? AND ((state = 'pending' AND next_at <= ?) OR "
                     "(state = 'sending' AND claimed_until < ?))",
                     DBT(until), DBT(now), DBI(ids[i]), DBT(now), DBT(now));
    if (rc == DB_OK && db_changes(d) == 1) deliver(d, ids[i]);
  }
}

/* ---- notification endpoints ---- */

/* GET /api/v1/notifications?unread=1&page&per_page */
static void notifications_list(req *r) {
  page p;
  req_page(r, &p);
  int64_t unread = qint(r, "unread", 0, 1, 0);
  if (has_errors(r)) return reply_invalid(r);
  const char *w = unread ? "WHERE user_id = ? AND read_at IS NULL" : "WHERE user_id = ?";
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) FROM notifications %s", w), 1,
                           (db_val[]){DBI(r->user.id)});
  db_stmt *st = db_query(r->db,
                         arena_printf(&r->a,
                                      "SELECT id, kind, title, body, link, entity, entity_id, read_at, "
                                      "CASE WHEN read_at IS NULL THEN 0 ELSE 1 END AS read__b, created_at "
                                      "FROM notifications %s ORDER BY id DESC LIMIT ? OFFSET ?",
                                      w),
                         DBI(r->user.id), DBI(p.per_page), DBI(p.offset));
  reply_rows(r, st, total, &p);
}

/* GET /api/v1/notifications/unread-count */
static void notifications_unread(req *r) {
  int64_t n = db_int1(r->db, -1, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", DBI(r->user.id));
  if (n < 0) return reply_db_error(r, db_errcode(r->db));
  reply_json(r, 200, json_pack("{s:I}", "count", (json_int_t)n));
}

/* POST /api/v1/notifications/{id}/read — only one's own; another's is 404. */
static void notification_read(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  int64_t owner = db_int1(r->db, 0, "SELECT user_id FROM notifications WHERE id = ?", DBI(id));
  if (owner != r->user.id) return reply_not_found(r, "通知", "notification");
  int rc = db_exec(r->db, "UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL",
                   DBT(now_rfc3339(&r->a)), DBI(id));
  if (rc != DB_OK) return reply_db_error(r, rc);
  reply_no_content(r);
}

/* POST /api/v1/notifications/read-all */
static void notifications_read_all(req *r) {
  int rc = db_exec(r->db, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                   DBT(now_rfc3339(&r->a)), DBI(r->user.id));
  if (rc != DB_OK) return reply_db_error(r, rc);
  reply_json(r, 200, json_pack("{s:I}", "count", (json_int_t)db_changes(r->db)));
}

/* ---- webhook endpoints (admin) ---- */

static const char *const hook_kinds[] = {"wecom", "dingtalk", NULL};

#define HOOK_SELECT                                                                                               \
  "SELECT w.id, w.unit_id, u.name AS unit_name, w.kind, w.url, w.enabled AS enabled__b, w.name, w.version, "     \
  "w.created_at, w.updated_at, "                                                                                 \
  "(SELECT COUNT(*) FROM webhook_deliveries x WHERE x.webhook_id = w.id AND x.state = 'delivered') AS delivered, " \
  "(SELECT COUNT(*) FROM webhook_deliveries x WHERE x.webhook_id = w.id AND x.state = 'failed') AS failed, "       \
  "(SELECT COUNT(*) FROM webhook_deliveries x WHERE x.webhook_id = w.id AND x.state IN ('pending','sending')) AS pending " \
  "FROM webhooks w JOIN units u ON u.id = w.unit_id "

static json_t *hook_load(db *d, int64_t id) {
  db_stmt *st = db_query(d, HOOK_SELECT "WHERE w.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  return o;
}

/* GET /api/v1/webhooks?unit&page&per_page */
static void hooks_list(req *r) {
  page p;
  req_page(r, &p);
  int64_t unit = qint(r, "unit", 1, INT64_MAX, 0);
  if (has_errors(r)) return reply_invalid(r);
  const char *w = unit ? "WHERE w.unit_id = ?" : "WHERE 1 = 1";
  db_val args[3];
  int n = 0;
  if (unit) args[n++] = DBI(unit);
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) FROM webhooks w %s", w), n, args);
  args[n++] = DBI(p.per_page);
  args[n++] = DBI(p.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, HOOK_SELECT "%s ORDER BY u.name, w.id LIMIT ? OFFSET ?", w), n, args);
  reply_rows(r, st, total, &p);
}

static int url_ok(const char *u) {
  return (strncmp(u, "http://", 7) == 0 && u[7]) || (strncmp(u, "https://", 8) == 0 && u[8]);
}

/* A URL naming an internal address outright is refused when it is set;
 * one whose name resolves to such an address is refused when posting. */
static void url_check(req *r, const char *url) {
  char host[256];
  if (!url_ok(url) || url_host(url, host, sizeof host) != 0) {
    field_error(r, "url", "须为 http:// 或 https:// 开头的地址", "must be an http:// or https:// URL");
    return;
  }
  if (host_literal_internal(host) && !host_allowed(r->db, host))
    field_error(r, "url", "不能推送到本机、内网或链路本地地址；确需如此请管理员在推送设置中允许该主机",
                "may not point at loopback, private or link-local addresses; an administrator may allow the host in the "
                "webhook settings");
}

/* POST /api/v1/webhooks {unit_id, kind, url, enabled, name} */
static void hook_create(req *r) {
  static const char *const fields[] = {"unit_id", "kind", "url", "enabled", "name", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  int64_t unit_id = 0;
  const char *kind = NULL, *url = NULL, *name = NULL;
  int enabled = 1;
  if (jint(r, in, "unit_id", 1, 1, INT64_MAX, &unit_id) == JV_SET &&
      !db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ?", DBI(unit_id)))
    field_error(r, "unit_id", "单位不存在", "no such unit");
  jenum(r, in, "kind", 1, hook_kinds, &kind);
  if (jstr(r, in, "url", 1, 1000, &url) == JV_SET) url_check(r, url);
  jbool(r, in, "enabled", 0, &enabled);
  jstr(r, in, "name", 0, 100, &name);
  if (has_errors(r)) return reply_invalid(r);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO webhooks (unit_id, kind, url, enabled, name, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBI(unit_id), DBT(kind), DBT(url), DBI(enabled ? 1 : 0), DBT(name), DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  json_t *after = id ? hook_load(r->db, id) : NULL;
  rc = id && after ? audit_log(r, "create", "webhook", id, NULL, after) : db_errcode(r->db);
  commit_reply(r, rc, NULL, after, 201);
}

/* PATCH /api/v1/webhooks/{id} {kind, url, enabled, name, version} */
static void hook_update(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  static const char *const fields[] = {"kind", "url", "enabled", "name", "version", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  const char *kind = NULL, *url = NULL, *name = NULL;
  int enabled = 0;
  int64_t version = 0;
  int has_kind = jenum(r, in, "kind", 0, hook_kinds, &kind) == JV_SET;
  int has_url = jstr(r, in, "url", 0, 1000, &url) == JV_SET;
  if (has_url) url_check(r, url);
  int has_enabled = jbool(r, in, "enabled", 0, &enabled) == JV_SET;
  int name_state = jstr(r, in, "name", 0, 100, &name);
  version = req_version(r, in);
  if (has_errors(r)) return reply_invalid(r);
  json_t *before = hook_load(r->db, id);
  if (!before) return reply_not_found(r, "推送地址", "webhook");
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "UPDATE webhooks SET kind = ?, url = ?, enabled = ?, name = ?, version = version + 1, updated_at = ? "
                 "WHERE id = ? AND version = ?",
                 DBT(has_kind ? kind : json_string_value(json_object_get(before, "kind"))),
                 DBT(has_url ? url : json_string_value(json_object_get(before, "url"))),
                 DBI(has_enabled ? enabled : json_is_true(json_object_get(before, "enabled"))),
                 DBT(name_state == JV_SET ? name : name_state == JV_NULL ? NULL : json_string_value(json_object_get(before, "name"))),
                 DBT(now_rfc3339(&r->a)), DBI(id), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict", "该推送地址已被他人修改，请刷新后重试 / The webhook was changed by someone else; reload and retry");
  }
  json_t *after = rc == DB_OK ? hook_load(r->db, id) : NULL;
  if (rc == DB_OK) rc = audit_log(r, "update", "webhook", id, before, after);
  commit_reply(r, rc, before, after, 200);
}

/* DELETE /api/v1/webhooks/{id} — its delivery log goes with it. */
static void hook_delete(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *before = hook_load(r->db, id);
  if (!before) return reply_not_found(r, "推送地址", "webhook");
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db, "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE webhook_id = ?)", DBI(id));
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM webhook_deliveries WHERE webhook_id = ?", DBI(id));
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM webhooks WHERE id = ?", DBI(id));
  if (rc == DB_OK) rc = audit_log(r, "delete", "webhook", id, before, NULL);
  commit_reply(r, rc, before, NULL, 204);
}

/* POST /api/v1/webhooks/{id}/test — queues one message to this webhook only. */
static void hook_test(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *h = hook_load(r->db, id);
  if (!h) return reply_not_found(r, "推送地址", "webhook");
  const char *kind = arena_strdup(&r->a, json_string_value(json_object_get(h, "kind")));
  const char *unit = arena_strdup(&r->a, json_string_value(json_object_get(h, "unit_name")));
  json_decref(h);
  const char *title = arena_printf(&r->a, "测试消息：%s", unit);
  char *payload = webhook_payload(kind, title, "这是一条来自挂图作战平台的测试消息。", NULL);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) {
    free(payload);
    return reply_db_error(r, rc);
  }
  db_stmt *st = db_query(r->db,
                         "INSERT INTO webhook_deliveries (webhook_id, kind, title, payload, state, attempts, next_at, "
                         "created_at, updated_at) VALUES (?, 'test', ?, ?, 'pending', 0, ?, ?, ?) RETURNING id",
                         DBI(id), DBT(title), DBT(payload), DBT(now), DBT(now), DBT(now));
  free(payload);
  int64_t did = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  rc = did ? audit_log(r, "test", "webhook", id, NULL, NULL) : db_errcode(r->db);
  commit_reply(r, rc, NULL, json_pack("{s:I, s:s}", "delivery_id", (json_int_t)did, "state", "pending"), 202);
}

/* GET /api/v1/webhooks/{id}/deliveries?state&page&per_page — newest first,
 * each with its attempts. */
static void hook_deliveries(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  page p;
  req_page(r, &p);
  static const char *const states[] = {"pending", "sending", "delivered", "failed", NULL};
  const char *state = qenum(r, "state", states);
  if (has_errors(r)) return reply_invalid(r);
  if (!db_int1(r->db, 0, "SELECT 1 FROM webhooks WHERE id = ?", DBI(id))) return reply_not_found(r, "推送地址", "webhook");
  const char *w = state ? "WHERE webhook_id = ? AND state = ?" : "WHERE webhook_id = ?";
  db_val args[4];
  int n = 0;
  args[n++] = DBI(id);
  if (state) args[n++] = DBT(state);
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) FROM webhook_deliveries %s", w), n, args);
  args[n++] = DBI(p.per_page);
  args[n++] = DBI(p.offset);
  db_stmt *st = db_prepare(r->db,
                           arena_printf(&r->a,
                                        "SELECT id, kind, title, payload AS payload__j, state, attempts, next_at, last_status, "
                                        "last_error, delivered_at, created_at FROM webhook_deliveries %s "
                                        "ORDER BY id DESC LIMIT ? OFFSET ?",
                                        w),
                           n, args);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    json_t *log = json_array();
    db_stmt *a = db_query(r->db,
                          "SELECT attempt, at, http_status, error, duration_ms FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt",
                          DBI(json_integer_value(json_object_get(it, "id"))));
    while (a && db_step(a) == DB_ROW) json_array_append_new(log, db_row_json(a));
    db_done(a);
    json_object_set_new(it, "log", log);
  }
  reply_list(r, items, total, &p);
}

/* GET /api/v1/settings/webhooks */
static void hook_settings_get(req *r) {
  db_stmt *st = db_query(r->db, "SELECT value FROM settings WHERE key = 'webhook_allow_hosts'");
  json_t *list = st && db_step(st) == DB_ROW ? json_loads(db_text(st, 0), 0, NULL) : NULL;
  db_done(st);
  if (!json_is_array(list)) {
    json_decref(list);
    list = json_array();
  }
  reply_json(r, 200, json_pack("{s:o}", "allow_hosts", list));
}

/* PUT /api/v1/settings/webhooks {allow_hosts: ["wecom.internal.gov.cn", "10.0.0.5"]} — hosts webhooks may
 * post to although they are internal.  Empty by default. */
static void hook_settings_put(req *r) {
  static const char *const fields[] = {"allow_hosts", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  json_t *v = json_object_get(in, "allow_hosts");
  json_t *list = json_array();
  if (!json_is_array(v) || json_array_size(v) > 50) {
    field_error(r, "allow_hosts", "应为主机名数组（至多50个）", "must be an array of at most 50 host names");
  } else {
    size_t i;
    json_t *h;
    json_array_foreach(v, i, h) {
      const char *s = json_is_string(h) ? json_string_value(h) : NULL;
      size_t n = s ? strlen(s) : 0;
      int ok = n > 0 && n < 254;
      for (size_t k = 0; ok && k < n; k++)
        ok = (s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= '0' && s[k] <= '9') || s[k] == '.' ||
             s[k] == '-' || s[k] == ':';
      if (!ok) {
        field_error(r, "allow_hosts", "每项应为主机名或IP地址（不含端口和协议）", "each entry must be a host name or IP address (no scheme or port)");
        break;
      }
      json_array_append_new(list, json_string(s));
    }
  }
  if (has_errors(r)) {
    json_decref(list);
    return reply_invalid(r);
  }
  db_stmt *st = db_query(r->db, "SELECT value FROM settings WHERE key = 'webhook_allow_hosts'");
  json_t *old = st && db_step(st) == DB_ROW ? json_loads(db_text(st, 0), 0, NULL) : NULL;
  db_done(st);
  json_t *before = json_pack("{s:o}", "allow_hosts", json_is_array(old) ? json_incref(old) : json_array());
  json_decref(old);
  char *text = json_dumps(list, JSON_COMPACT);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "INSERT INTO settings (key, value) VALUES ('webhook_allow_hosts', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 DBT(text));
  free(text);
  json_t *after = json_pack("{s:o}", "allow_hosts", list);
  if (rc == DB_OK) rc = audit_log(r, "update", "setting", 0, before, after);
  commit_reply(r, rc, before, after, 200);
}

static const route notify_routes[] = {
    ROUTE("GET", "/api/v1/notifications", notifications_list, ROLES_ANY, "我的通知 / My notifications", 0),
    ROUTE("GET", "/api/v1/notifications/unread-count", notifications_unread, ROLES_ANY, "未读通知数 / Unread count", 0),
    ROUTE("POST", "/api/v1/notifications/read-all", notifications_read_all, ROLES_ANY, "全部标为已读 / Mark all read", 0),
    ROUTE("POST", "/api/v1/notifications/{id}/read", notification_read, ROLES_ANY, "标为已读 / Mark read", 0),
    ROUTE("GET", "/api/v1/webhooks", hooks_list, ROLE_ADMIN, "推送地址列表 / Webhooks", 0),
    ROUTE("POST", "/api/v1/webhooks", hook_create, ROLE_ADMIN, "新增推送地址 / Add a webhook", 0),
    ROUTE("PATCH", "/api/v1/webhooks/{id}", hook_update, ROLE_ADMIN, "修改推送地址 / Change a webhook", 0),
    ROUTE("DELETE", "/api/v1/webhooks/{id}", hook_delete, ROLE_ADMIN, "删除推送地址 / Delete a webhook", 0),
    ROUTE("POST", "/api/v1/webhooks/{id}/test", hook_test, ROLE_ADMIN, "发送测试消息 / Send a test message", 0),
    ROUTE("GET", "/api/v1/webhooks/{id}/deliveries", hook_deliveries, ROLE_ADMIN, "推送记录 / Delivery log", 0),
    ROUTE("GET", "/api/v1/settings/webhooks", hook_settings_get, ROLE_ADMIN, "推送设置（允许的内网主机） / Webhook settings (internal hosts allowed)", 0),
    ROUTE("PUT", "/api/v1/settings/webhooks", hook_settings_put, ROLE_ADMIN, "修改推送设置 / Change the webhook settings", 0),
    {0},
};

static const module notify_module = {"notify", 45, notify_routes, NULL, NULL, notify_tick};
MODULE_REGISTER(notify_module)
