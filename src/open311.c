/*
 * open311.c — the Open311 GeoReport v2 API (wiki.open311.org/GeoReport_v2)
 * over the online questions, so that civic apps (FixMyStreet, SeeClickFix…)
 * can plug in.  Services are the question categories; a service request is
 * a question, its service_request_id the tracking code; `status` is open or
 * closed, `agency_responsible` the department, `status_notes` the published
 * reply.  Every answer is JSON or XML after the path's extension, with the
 * spec's element names; errors are the spec's list of {code, description}
 * with the same HTTP status.  Times are ISO 8601 in China time with their
 * offset.  Posting needs an API key the administrator issued (qa_keys.c),
 * limited per hour; reading needs none.  Requests are moderated before
 * their text is shown, as on the public pages; phones are never shown.
 *
 * GET  /open311/v2/discovery.{json|xml}
 * GET  /open311/v2/services.{json|xml}
 * GET  /open311/v2/services/{service_code}.{json|xml}
 * GET  /open311/v2/requests.{json|xml}?service_request_id&service_code&start_date&end_date&status
 * GET  /open311/v2/requests/{service_request_id}.{json|xml}
 * POST /open311/v2/requests.{json|xml}  form: api_key, service_code, lat+long | address_string | address_id,
 *      description, phone?, media_url?, attribute[code]…, email/first_name/last_name/device_id/account_id (ignored)
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "clock.h"
#include "http.h"
#include "qa.h"

/* ---- output: JSON or XML from the same value ---- */

static int wants_xml(const char *path) {
  size_t n = strlen(path);
  return n > 4 && strcmp(path + n - 4, ".xml") == 0;
}

/* The element name of one item of a list named `list`. */
static const char *singular(const char *list) {
  static const char *const pairs[] = {"services", "service",    "service_requests", "request", "errors", "error",
                                      "endpoints", "endpoint",  "formats",          "format",  "attributes", "attribute",
                                      "values",   "value",      NULL};
  for (int i = 0; pairs[i]; i += 2)
    if (strcmp(pairs[i], list) == 0) return pairs[i + 1];
  return "item";
}

static void xml_text(strbuf *sb, const char *s) {
  for (; *s; s++) switch (*s) {
    case '<': sb_adds(sb, "&lt;"); break;
    case '>': sb_adds(sb, "&gt;"); break;
    case '&': sb_adds(sb, "&amp;"); break;
    case '"': sb_adds(sb, "&quot;"); break;
    case '\'': sb_adds(sb, "&apos;"); break;
    default:
      if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t') sb_add(sb, s, 1);
    }
}

static void xml_value(strbuf *sb, const char *name, json_t *v) {
  sb_addf(sb, "<%s>", name);
  if (json_is_object(v)) {
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x) xml_value(sb, k, x);
  } else if (json_is_array(v)) {
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) xml_value(sb, singular(name), x);
  } else if (json_is_string(v)) {
    xml_text(sb, json_string_value(v));
  } else if (json_is_integer(v)) {
    sb_addf(sb, "%lld", (long long)json_integer_value(v));
  } else if (json_is_real(v)) {
    sb_addf(sb, "%.8g", json_real_value(v));
  } else if (json_is_boolean(v)) {
    sb_adds(sb, json_is_true(v) ? "true" : "false");
  }
  sb_addf(sb, "</%s>", name);
}

/* Replies `v` (stolen) as JSON or, for a .xml path, as XML under `root`. */
static void o311_reply(req *r, unsigned status, const char *root, json_t *v) {
  if (wants_xml(r->path)) {
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    xml_value(&sb, root, v);
    reply_bytes(r, status, "text/xml; charset=utf-8", sb_str(&sb), sb.len);
    sb_release(&sb);
  } else {
    char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10));
    reply_bytes(r, status, "application/json; charset=utf-8", s ? s : "[]", s ? strlen(s) : 2);
    free(s);
  }
  json_decref(v);
}

/* The spec's error list: [{code, description}], the HTTP status the same. */
static void o311_error(req *r, unsigned code, const char *description) {
  o311_reply(r, code, "errors", json_pack("[{s:i, s:s}]", "code", (int)code, "description", description));
}

/* The path parameter without its extension, or NULL (after a 404) when
 * the extension is neither .json nor .xml. */
static const char *param_base(req *r) {
  const char *p = r->params[0];
  size_t n = strlen(p);
  if (n > 5 && strcmp(p + n - 5, ".json") == 0) return arena_printf(&r->a, "%.*s", (int)(n - 5), p);
  if (n > 4 && strcmp(p + n - 4, ".xml") == 0) return arena_printf(&r->a, "%.*s", (int)(n - 4), p);
  o311_error(r, 404, "format must be .json or .xml / 格式须为.json或.xml");
  return NULL;
}

/* ---- discovery and services ---- */

/* GET /open311/v2/discovery.{json|xml} */
static void o311_discovery(req *r) {
  const char *host = req_header(r, "Host");
  const char *url = arena_printf(&r->a, "http://%s/open311/v2/", host ? host : "localhost");
  json_t *ep = json_pack("{s:s, s:s, s:s, s:s, s:[s,s]}", "specification", "http://wiki.open311.org/GeoReport_v2", "url",
                         url, "changeset", "2026-11-01T00:00:00+08:00", "type", "production", "formats", "text/xml",
                         "application/json");
  o311_reply(r, 200, "discovery",
             json_pack("{s:s, s:s, s:s, s:[o]}", "changeset", "2026-11-01T00:00:00+08:00", "contact",
                       "项目办 / The key-project office", "key_service", "向区项目办申请API密钥 / Ask the key-project office for an API key",
                       "endpoints", ep));
}

/* GET /open311/v2/services.{json|xml} */
static void o311_services(req *r) {
  db_stmt *st = db_query0(r->db,
                          "SELECT code, name, description, grp, keywords, attributes FROM qa_categories WHERE active = 1 "
                          "ORDER BY sort_order, id");
  json_t *list = json_array();
  while (st && db_step(st) == DB_ROW)
    json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "service_code", db_text(st, 0), "service_name",
                                          db_text(st, 1), "description", db_text(st, 2), "metadata", !db_isnull(st, 5),
                                          "type", "realtime", "keywords", db_text(st, 4), "group", db_text(st, 3)));
  if (!st) {
    json_decref(list);
    return o311_error(r, 500, "database error");
  }
  db_done(st);
  o311_reply(r, 200, "services", list);
}

/* GET /open311/v2/services/{service_code}.{json|xml} — the service
 * definition: its attributes (empty for a service without metadata). */
static void o311_service_definition(req *r) {
  const char *code = param_base(r);
  if (!code) return;
  db_stmt *st = db_query(r->db, "SELECT attributes FROM qa_categories WHERE code = ? AND active = 1 ORDER BY id LIMIT 1", DBT(code));
  int found = st && db_step(st) == DB_ROW;
  json_t *attrs = found && !db_isnull(st, 0) ? json_loads(db_text(st, 0), 0, NULL) : NULL;
  db_done(st);
  if (!found) return o311_error(r, 404, "service_code not found / 没有这个服务代码");
  json_t *out = json_array();
  size_t i;
  json_t *a;
  json_array_foreach(attrs, i, a) {
    const char *dt = json_string_value(json_object_get(a, "datatype"));
    json_t *vals = json_array(), *vv;
    size_t k;
    json_array_foreach(json_object_get(a, "values"), k, vv)
        json_array_append_new(vals, json_pack("{s:O, s:O}", "key", json_object_get(vv, "key"), "name", json_object_get(vv, "name")));
    json_array_append_new(out, json_pack("{s:b, s:s, s:s, s:b, s:s, s:i, s:O, s:o}", "variable", 1, "code",
                                         json_string_value(json_object_get(a, "code")), "datatype", dt, "required",
                                         json_is_true(json_object_get(a, "required")), "datatype_description", "",
                                         "order", (int)i + 1, "description", json_object_get(a, "description"), "values", vals));
  }
  json_decref(attrs);
  o311_reply(r, 200, "service_definition", json_pack("{s:s, s:o}", "service_code", code, "attributes", out));
}

/* ---- requests ---- */

#define REQ_SELECT                                                                                                 \
  "SELECT q.tracking_code, q.state, q.published, q.reply, q.moderation_note, c.name, c.code, q.public_body, "      \
  "u.name, q.created_at, q.updated_at, q.due_date, q.address, q.address_id, q.lat, q.lng, q.media_url "           \
  "FROM questions q JOIN qa_categories c ON c.id = q.category_id JOIN units u ON u.id = q.unit_id "

/* The fields of a service request in the spec's order: a string, null or a
 * number (lat, long). */
enum { O311_NFIELDS = 17 };
static const char *const o311_keys[O311_NFIELDS] = {
    "service_request_id", "status",   "status_notes",       "service_name",   "service_code",      "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address",
    "address_id",         "zipcode",  "lat",                "long",           "media_url"};
typedef struct {
  const char *s; /* NULL: null, unless is_real */
  int is_real;
  double d;
} o311_val;

/* One row of REQ_SELECT as a service request's fields.  An unpublished
 * question shows where it stands but not its text or place. */
static void request_fields(req *r, db_stmt *st, o311_val *v) {
  int state = qa_index(qa_states, db_text(st, 1));
  int published = db_int(st, 2) == 1 && state != QS_REJECTED;
  const char *due = db_text(st, 11);
  memset(v, 0, sizeof(o311_val) * O311_NFIELDS);
  v[0].s = db_text(st, 0);
  v[1].s = qa_open311_status(state);
  v[2].s = state == QS_REJECTED ? db_text(st, 4) : published ? db_text(st, 3) : NULL;
  v[3].s = db_text(st, 5);
  v[4].s = db_text(st, 6);
  v[5].s = published ? db_text(st, 7) : NULL;
  v[6].s = db_text(st, 8);
  v[7].s = state == QS_PENDING ? "审核后公开 / published after moderation" : NULL;
  v[8].s = qa_iso8601_cst(&r->a, db_text(st, 9));
  v[9].s = qa_iso8601_cst(&r->a, db_text(st, 10));
  v[10].s = due ? arena_printf(&r->a, "%sT23:59:59+08:00", due) : NULL;
  v[11].s = published ? db_text(st, 12) : NULL;
  v[12].s = published ? db_text(st, 13) : NULL;
  /* 13: zipcode, always null */
  for (int k = 0; k < 2; k++) {
    v[14 + k].is_real = published && !db_isnull(st, 14 + k);
    if (v[14 + k].is_real) v[14 + k].d = db_real(st, 14 + k);
  }
  v[16].s = published ? db_text(st, 16) : NULL;
}

static json_t *request_json(req *r, db_stmt *st) {
  o311_val v[O311_NFIELDS];
  request_fields(r, st, v);
  json_t *o = json_object();
  for (int k = 0; k < O311_NFIELDS; k++)
    json_object_set_new(o, o311_keys[k], v[k].is_real ? json_real(v[k].d) : v[k].s ? json_string(v[k].s) : json_null());
  return o;
}

/* One service request written straight into the answer: what
 * json_dumps(request_json(…), JSON_COMPACT | JSON_REAL_PRECISION(10))
 * gives, without building a thousand objects to dump them. */
static void request_text(req *r, db_stmt *st, strbuf *sb) {
  o311_val v[O311_NFIELDS];
  request_fields(r, st, v);
  for (int k = 0; k < O311_NFIELDS; k++) {
    sb_adds(sb, k ? ",\"" : "{\"");
    sb_adds(sb, o311_keys[k]);
    sb_adds(sb, "\":");
    if (v[k].is_real) {
      json_t *x = json_real(v[k].d);
      char *t = json_dumps(x, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(10));
      sb_adds(sb, t ? t : "null");
      free(t);
      json_decref(x);
    } else if (v[k].s) {
      sb_add_json_string(sb, v[k].s);
    } else {
      sb_adds(sb, "null");
    }
  }
  sb_add(sb, "}", 1);
}

/* GET /open311/v2/requests/{service_request_id}.{json|xml} — a list of one. */
static void o311_request_get(req *r) {
  const char *id = param_base(r);
  if (!id) return;
  db_stmt *st = qa_tracking_code_ok(id) ? db_query(r->db, REQ_SELECT "WHERE q.tracking_code = ?", DBT(id)) : NULL;
  json_t *o = st && db_step(st) == DB_ROW ? request_json(r, st) : NULL;
  db_done(st);
  if (!o) return o311_error(r, 404, "service_request_id not found / 没有这个问政编号");
  o311_reply(r, 200, "service_requests", json_pack("[o]", o));
}

/* Unix seconds as RFC 3339 UTC, as the times are stored. */
static const char *utc_of(req *r, int64_t secs) { return time_rfc3339(&r->a, secs * 1000); }

/* GET /open311/v2/requests.{json|xml} — the published requests, newest
 * first: by service_request_id (a comma list, which overrides the other
 * filters), else service_code, status (open, closed or both) and
 * requested_datetime from start_date to end_date (ISO 8601), by default the
 * last 90 days, at most 90 days wide; at most 1000 results. */
static void o311_requests(req *r) {
  strbuf w = STRBUF_INIT;
  db_val args[64];
  int n = 0;
  sb_adds(&w, "WHERE q.published = 1 AND q.state <> 'rejected'");
  const char *ids = req_arg(r, "service_request_id");
  if (ids && *ids) {
    sb_adds(&w, " AND q.tracking_code IN (");
    const char *p = ids;
    while (*p && n < 50) {
      const char *comma = strchr(p, ',');
      size_t len = comma ? (size_t)(comma - p) : strlen(p);
      sb_adds(&w, n ? ", ?" : "?");
      args[n++] = DBT(arena_printf(&r->a, "%.*s", (int)len, p));
      p += len + (comma ? 1 : 0);
    }
    sb_adds(&w, ")");
  } else {
    const char *code = req_arg(r, "service_code"), *status = req_arg(r, "status");
    const char *start = req_arg(r, "start_date"), *end = req_arg(r, "end_date");
    int64_t t0 = start ? qa_iso8601_parse(start) : 0, t1 = end ? qa_iso8601_parse(end) : clock_now();
    if (start && t0 < 0) return sb_release(&w), o311_error(r, 400, "start_date must be an ISO 8601 time / start_date须为ISO 8601时间");
    if (end && t1 < 0) return sb_release(&w), o311_error(r, 400, "end_date must be an ISO 8601 time / end_date须为ISO 8601时间");
    if (!start) t0 = t1 - 90 * 86400LL;
    if (t1 < t0) return sb_release(&w), o311_error(r, 400, "end_date is before start_date / end_date早于start_date");
    if (t1 - t0 > 90 * 86400LL) return sb_release(&w), o311_error(r, 400, "the date range may not span more than 90 days / 时间范围不得超过90天");
    db_where_text(&w, args, &n, " AND q.created_at >= ?", utc_of(r, t0));
    /* stored times carry milliseconds: the end is exclusive of the next second */
    db_where_text(&w, args, &n, " AND q.created_at < ?", utc_of(r, t1 + 1));
    if (code && *code) db_where_text(&w, args, &n, " AND c.code = ?", code);
    if (status && *status) {
      int open = strstr(status, "open") != NULL, closed = strstr(status, "closed") != NULL;
      if (!open && !closed) return sb_release(&w), o311_error(r, 400, "status must be open or closed / status须为open或closed");
      if (open && !closed) sb_adds(&w, " AND q.state NOT IN ('closed', 'rejected')");
      if (closed && !open) sb_adds(&w, " AND q.state = 'closed'");
    }
  }
  args[n++] = DBI(1000);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, REQ_SELECT "%s ORDER BY q.created_at DESC, q.id DESC LIMIT ?", sb_str(&w)), n, args);
  sb_release(&w);
  if (!wants_xml(r->path)) {
    strbuf out = STRBUF_INIT;
    sb_add(&out, "[", 1);
    int rc = DB_DONE, rows = 0;
    while (st && (rc = db_step(st)) == DB_ROW) {
      if (rows++) sb_add(&out, ",", 1);
      request_text(r, st, &out);
    }
    db_done(st);
    sb_add(&out, "]", 1);
    if (st && rc == DB_DONE) reply_bytes(r, 200, "application/json; charset=utf-8", sb_str(&out), out.len);
    else o311_error(r, 500, "database error");
    sb_release(&out);
    return;
  }
  json_t *list = json_array();
  while (st && db_step(st) == DB_ROW) json_array_append_new(list, request_json(r, st));
  int ok = st != NULL;
  db_done(st);
  if (!ok) {
    json_decref(list);
    return o311_error(r, 500, "database error");
  }
  o311_reply(r, 200, "service_requests", list);
}

/* ---- posting ---- */

typedef struct form_kv {
  const char *k, *v;
} form_kv;

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes n bytes of a form component (+ is a space, %XX a byte). */
static char *form_decode(arena *a, const char *s, size_t n) {
  char *out = arena_alloc(a, n + 1);
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '+') out[o++] = ' ';
    else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else out[o++] = s[i];
  }
  out[o] = 0;
  return out;
}

/* Parses an application/x-www-form-urlencoded body; at most `cap` pairs. */
static int form_parse(req *r, form_kv *kv, int cap) {
  int n = 0;
  const char *p = r->body ? r->body : "";
  const char *end = p + r->body_len;
  while (p < end && n < cap) {
    const char *amp = memchr(p, '&', (size_t)(end - p));
    const char *stop = amp ? amp : end;
    if (stop > p) { /* skips empty pairs ("a=1&&b=2") */
      size_t len = (size_t)(stop - p);
      const char *eq = memchr(p, '=', len);
      kv[n].k = form_decode(&r->a, p, eq ? (size_t)(eq - p) : len);
      kv[n].v = eq ? form_decode(&r->a, eq + 1, len - (size_t)(eq - p) - 1) : "";
      n++;
    }
    p = stop + 1;
  }
  return n;
}

static const char *form_get(const form_kv *kv, int n, const char *k) {
  for (int i = 0; i < n; i++)
    if (strcmp(kv[i].k, k) == 0) return kv[i].v;
  return NULL;
}

/* The first UTF-8 characters of s, at most `max` of them, as a title. */
static const char *title_of(arena *a, const char *s, int max) {
  const unsigned char *u = (const unsigned char *)s;
  int chars = 0;
  size_t i = 0;
  while (u[i] && chars < max) {
    size_t l = u[i] < 0x80 ? 1 : (u[i] & 0xE0) == 0xC0 ? 2 : (u[i] & 0xF0) == 0xE0 ? 3 : 4;
    for (size_t k = 1; k < l; k++)
      if (!u[i + k]) l = k;
    i += l;
    chars++;
  }
  return arena_printf(a, "%.*s%s", (int)i, s, u[i] ? "…" : "");
}

static int parse_coord(const char *s, double min, double max, double *out) {
  char *end;
  double v = strtod(s, &end);
  if (end == s || *end || v < min || v > max) return 0;
  *out = v;
  return 1;
}

/* POST /open311/v2/requests.{json|xml} */
static void o311_request_post(req *r) {
  const char *ctype = req_header(r, "Content-Type");
  if (ctype && !strstr(ctype, "application/x-www-form-urlencoded"))
    return o311_error(r, 400, "the body must be application/x-www-form-urlencoded / 请求体须为表单编码");
  form_kv kv[64];
  int n = form_parse(r, kv, 64);
  const char *key = form_get(kv, n, "api_key");
  if (!key || !*key) return o311_error(r, 403, "api_key missing: ask the administrator for one / 缺少api_key，请向管理员申请");
  char hash[65];
  auth_secret_hash(key, hash);
  db_stmt *st = db_query(r->db, "SELECT id, rate_per_hour FROM open311_keys WHERE key_hash = ? AND revoked_at IS NULL", DBT(hash));
  int64_t key_id = 0, rate = 0;
  if (st && db_step(st) == DB_ROW) {
    key_id = db_int(st, 0);
    rate = db_int(st, 1);
  }
  db_done(st);
  if (!key_id) return o311_error(r, 403, "invalid or revoked api_key / api_key无效或已吊销");
  qa_new q = {.source = "open311", .api_key_id = key_id};
  q.category_code = form_get(kv, n, "service_code");
  if (!q.category_code || !*q.category_code) return o311_error(r, 400, "service_code is required / 缺少service_code");
  st = db_query(r->db, "SELECT attributes FROM qa_categories WHERE code = ? AND active = 1 ORDER BY id LIMIT 1", DBT(q.category_code));
  int found = st && db_step(st) == DB_ROW;
  json_t *defs = found && !db_isnull(st, 0) ? json_loads(db_text(st, 0), 0, NULL) : NULL;
  db_done(st);
  if (!found) return o311_error(r, 400, "invalid service_code: see services.json / service_code无效");
  const char *lat = form_get(kv, n, "lat"), *lng = form_get(kv, n, "long");
  q.address = form_get(kv, n, "address_string");
  q.address_id = form_get(kv, n, "address_id");
  if (q.address && !*q.address) q.address = NULL;
  if (q.address_id && !*q.address_id) q.address_id = NULL;
  const char *bad = NULL;
  if ((lat && *lat) || (lng && *lng)) {
    if (!lat || !lng || !parse_coord(lat, -90, 90, &q.lat) || !parse_coord(lng, -180, 180, &q.lng))
      bad = "lat and long must both be given as decimal degrees / lat和long须同时给出（十进制度）";
    q.has_location = 1;
  } else if (!q.address && !q.address_id) {
    bad = "a location is required: lat and long, address_string or address_id / 须给出位置：lat与long、address_string或address_id";
  }
  q.body = form_get(kv, n, "description");
  if (!bad && (!q.body || strlen(q.body) < 10))
    bad = "description is required (at least 4 Chinese characters) / 须填写问题描述（至少4个汉字）";
  if (!bad && strlen(q.body) > 4000) bad = "description is too long (at most 4000 bytes) / 描述过长";
  q.phone = form_get(kv, n, "phone");
  if (q.phone && !*q.phone) q.phone = NULL;
  if (!bad && q.phone && !qa_phone_ok(q.phone)) bad = "phone must be an 11-digit mobile or a landline with area code / 电话格式不正确";
  q.media_url = form_get(kv, n, "media_url");
  if (q.media_url && !*q.media_url) q.media_url = NULL;
  if (!bad && q.media_url && strncmp(q.media_url, "https://", 8) != 0 && strncmp(q.media_url, "http://", 7) != 0)
    bad = "media_url must be an http(s) URL / media_url须为http(s)链接";
  if (!bad && ((q.address && strlen(q.address) > 200) || (q.address_id && strlen(q.address_id) > 64)))
    bad = "address_string or address_id is too long / 地址过长";
  /* attribute[code]=value against the service definition */
  json_t *vals = json_object();
  size_t i;
  json_t *def;
  json_array_foreach(defs, i, def) {
    const char *code = json_string_value(json_object_get(def, "code"));
    const char *v = form_get(kv, n, arena_printf(&r->a, "attribute[%s]", code));
    if (v && *v) {
      json_t *allowed = json_object_get(def, "values"), *x;
      size_t k;
      int ok = json_array_size(allowed) == 0;
      json_array_foreach(allowed, k, x) ok |= strcmp(json_string_value(json_object_get(x, "key")), v) == 0;
      if (!ok && !bad) bad = arena_printf(&r->a, "attribute[%s] has no value %s / 属性取值无效", code, v);
      json_object_set_new(vals, code, json_string(v));
    } else if (json_is_true(json_object_get(def, "required")) && !bad) {
      bad = arena_printf(&r->a, "attribute[%s] is required / 缺少必填属性", code);
    }
  }
  json_decref(defs);
  if (json_object_size(vals)) {
    char *s = json_dumps(vals, JSON_COMPACT);
    q.attributes = s ? arena_strdup(&r->a, s) : NULL;
    free(s);
  }
  json_decref(vals);
  if (bad) return o311_error(r, 400, bad);
  if (qa_recent_count(r->db, &r->a, NULL, key_id) >= rate) {
    reply_header(r, "Retry-After", "3600");
    return o311_error(r, 429, arena_printf(&r->a, "this api_key may post %lld requests an hour / 该密钥每小时最多提交%lld条",
                                           (long long)rate, (long long)rate));
  }
  q.title = title_of(&r->a, q.body, 20);
  char code[24];
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  int64_t id = qa_insert(r->db, &r->a, &q, code, sizeof code);
  rc = id ? DB_OK : db_errcode(r->db);
  if (rc == DB_OK) {
    json_t *what = json_pack("{s:I, s:s, s:s, s:s, s:I}", "id", (json_int_t)id, "tracking_code", code, "category",
                             q.category_code, "source", "open311", "api_key_id", (json_int_t)key_id);
    rc = audit_log(r, "create", "question", id, NULL, what);
    json_decref(what);
  }
  if (rc == DB_OK)
    o311_reply(r, 200, "service_requests",
               json_pack("[{s:s, s:s, s:n}]", "service_request_id", code, "service_notice",
                         "审核后公开，由承办部门在规定工作日内答复 / Published after moderation; the department replies within its "
                         "deadline in working days",
                         "account_id"));
  commit_reply(r, rc, NULL, NULL, 0);
}

static const route open311_routes[] = {
    ROUTE("GET", "/open311/v2/discovery.json", o311_discovery, ROLES_NONE, "Open311 发现 / Open311 discovery", 0),
    ROUTE("GET", "/open311/v2/discovery.xml", o311_discovery, ROLES_NONE, "Open311 发现（XML）/ Open311 discovery (XML)", 0),
    ROUTE("GET", "/open311/v2/services.json", o311_services, ROLES_NONE, "Open311 服务列表 / Open311 services", 0),
    ROUTE("GET", "/open311/v2/services.xml", o311_services, ROLES_NONE, "Open311 服务列表（XML）/ Open311 services (XML)", 0),
    ROUTE("GET", "/open311/v2/services/{code}", o311_service_definition, ROLES_NONE, "Open311 服务定义 / Open311 service definition", 0),
    ROUTE("GET", "/open311/v2/requests.json", o311_requests, ROLES_NONE, "Open311 请求列表 / Open311 service requests", 0),
    ROUTE("GET", "/open311/v2/requests.xml", o311_requests, ROLES_NONE, "Open311 请求列表（XML）/ Open311 service requests (XML)", 0),
    ROUTE("POST", "/open311/v2/requests.json", o311_request_post, ROLES_NONE, "Open311 提交请求 / Open311 post a request", 16384),
    ROUTE("POST", "/open311/v2/requests.xml", o311_request_post, ROLES_NONE, "Open311 提交请求（XML）/ Open311 post a request (XML)", 16384),
    ROUTE("GET", "/open311/v2/requests/{id}", o311_request_get, ROLES_NONE, "Open311 单个请求 / Open311 one service request", 0),
    {0},
};

static const module open311_module = {"open311", 73, open311_routes, NULL, NULL, NULL};
MODULE_REGISTER(open311_module)
