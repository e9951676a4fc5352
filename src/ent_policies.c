/*
 * ent_policies.c — the policy library (政策库) and 免申即享: each policy
 * with its issuer, document number, validity, benefit and full text, and
 * its eligibility as machine-checkable conditions over the registry
 * (ent_rules.c).  guatu lists for each policy the enterprises that qualify
 * (eligible, or needs_application when the registry cannot decide) and for
 * each enterprise the policies in force it qualifies for; both are computed
 * when asked, so when figures change the lists change.  The office
 * confirms a list and records the benefit granted to each enterprise
 * (policy_grants).
 *
 * GET   /api/v1/policies?q&in_force&page&per_page&sort&format
 * GET   /api/v1/policies/{id}
 * POST  /api/v1/policies {title,issuer,doc_no,valid_from,valid_to,benefit,body,conditions}
 * PATCH /api/v1/policies/{id} {…the same…, version}
 * POST  /api/v1/policies/preview {conditions}               the qualifying list of unsaved conditions
 * GET   /api/v1/policies/{id}/eligible?status&page&per_page&format
 * POST  /api/v1/policies/{id}/confirm                       grants 'confirmed' to every eligible enterprise
 * PUT   /api/v1/policies/{id}/grants/{enterprise_id} {status,amount,granted_on,note}
 * GET   /api/v1/enterprises/{id}/policies                   the policies in force it qualifies for
 */
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "clock.h"
#include "ent.h"
#include "http.h"

#define MAX_CONDS 32

#define POLICY_SELECT                                                                                               \
  "SELECT p.id, p.title, p.issuer, p.doc_no, p.valid_from, p.valid_to, p.benefit, p.body, p.conditions AS conditions__j, " \
  "p.version, p.created_at, p.updated_at, "                                                                       \
  "(SELECT COUNT(*) FROM policy_grants g WHERE g.policy_id = p.id) AS grants, "                                   \
  "(SELECT COALESCE(SUM(g.amount), 0) FROM policy_grants g WHERE g.policy_id = p.id) AS granted_amount__m "        \
  "FROM policies p "

static const char *today_text(req *r) {
  char buf[11];
  date_format(clock_today(), buf);
  return arena_strdup(&r->a, buf);
}

static void finish(json_t *o, const char *today) {
  const char *from = json_string_value(json_object_get(o, "valid_from"));
  const char *to = json_string_value(json_object_get(o, "valid_to"));
  json_object_set_new(o, "in_force", json_boolean(from && to && strcmp(from, today) <= 0 && strcmp(today, to) <= 0));
}

static json_t *policy_json(req *r, int64_t id) {
  db_stmt *st = db_query(r->db, POLICY_SELECT "WHERE p.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (o) finish(o, today_text(r));
  return o;
}

static void etag(req *r, json_t *o) {
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
}

/* GET /api/v1/policies?q&in_force&page&per_page&sort&format */
static void policies_list(req *r) {
  static const char *const sorts[] = {"title", "p.title", "valid_from", "p.valid_from", "valid_to", "p.valid_to",
                                      "updated_at", "p.updated_at", NULL};
  page pg;
  req_page(r, &pg);
  const char *q = req_arg(r, "q");
  int64_t in_force = qint(r, "in_force", 0, 1, -1);
  const char *order = req_sort(r, sorts, "p.valid_from DESC, p.id DESC");
  if (has_errors(r)) return reply_invalid(r);
  const char *today = today_text(r);
  strbuf w = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  sb_adds(&w, "WHERE 1 = 1");
  if (q && *q) {
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    sb_adds(&w, " AND (p.title LIKE ? OR p.issuer LIKE ? OR p.doc_no LIKE ?)");
    args[n++] = DBT(like);
    args[n++] = DBT(like);
    args[n++] = DBT(like);
  }
  if (in_force == 1) {
    sb_adds(&w, " AND p.valid_from <= ? AND p.valid_to >= ?");
    args[n++] = DBT(today);
    args[n++] = DBT(today);
  } else if (in_force == 0) {
    sb_adds(&w, " AND (p.valid_from > ? OR p.valid_to < ?)");
    args[n++] = DBT(today);
    args[n++] = DBT(today);
  }
  const char *where = arena_strdup(&r->a, sb_str(&w));
  sb_release(&w);
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) FROM policies p %s", where), n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, POLICY_SELECT "%s ORDER BY %s LIMIT ? OFFSET ?", where, order), n, args);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    finish(it, today);
    json_object_del(it, "body");
  }
  reply_list(r, items, total, &pg);
}

/* GET /api/v1/policies/{id} */
static void policy_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *o = policy_json(r, id);
  if (!o) return reply_not_found(r, "政策", "policy");
  etag(r, o);
  reply_json(r, 200, o);
}

/* ---- input ---- */

typedef struct policy_in {
  const char *title, *issuer, *doc_no, *valid_from, *valid_to, *benefit, *body;
  ent_cond conds[MAX_CONDS];
  int nconds, has_conds;
} policy_in;

static const char *const policy_fields[] = {"title", "issuer", "doc_no", "valid_from", "valid_to", "benefit", "body",
                                            "conditions", "version", NULL};

/* Reads `conditions` with errors on conditions[i].part. */
static int read_conds(req *r, json_t *in, ent_cond *c, int *n) {
  json_t *v = json_object_get(in, "conditions");
  if (!v) return 0;
  ent_cond_err err;
  if (ent_conds_read(v, c, MAX_CONDS, n, &err) == 0) {
    /* a town must be a town */
    for (int i = 0; i < *n; i++)
      for (int k = 0; c[i].field == EC_TOWN && k < c[i].n; k++)
        if (db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ? AND kind = 'town'", DBI(c[i].nums[k])) != 1) {
          field_error(r, arena_printf(&r->a, "conditions[%d].value", i), "应为街道或乡镇的单位编号", "must be the id of a town or street");
          return -1;
        }
    return 1;
  }
  const char *f = err.index < 0 ? "conditions"
                  : err.part    ? arena_printf(&r->a, "conditions[%d].%s", err.index, err.part)
                                : arena_printf(&r->a, "conditions[%d]", err.index);
  field_error(r, f, err.zh, err.en);
  return -1;
}

static void opt_text(req *r, json_t *in, const char *field, size_t max, const char **out) {
  int s = jstr(r, in, field, 0, max, out);
  if (s == JV_NULL || (s == JV_SET && !**out)) *out = NULL;
}

static void read_policy(req *r, json_t *in, int creating, policy_in *p) {
  if (jstr(r, in, "title", creating, 200, &p->title) == JV_SET && !*p->title) field_error(r, "title", "不能为空", "must not be empty");
  jdate(r, in, "valid_from", creating, &p->valid_from);
  jdate(r, in, "valid_to", creating, &p->valid_to);
  opt_text(r, in, "issuer", 100, &p->issuer);
  opt_text(r, in, "doc_no", 100, &p->doc_no);
  opt_text(r, in, "benefit", 2000, &p->benefit);
  opt_text(r, in, "body", 200000, &p->body);
  p->has_conds = read_conds(r, in, p->conds, &p->nconds) == 1;
  if (creating && !json_object_get(in, "conditions")) field_error(r, "conditions", "必填", "required");
  if (p->valid_from && p->valid_to && strcmp(p->valid_from, p->valid_to) > 0)
    field_error(r, "valid_to", "有效期止不能早于起", "the end of validity cannot be before its start");
}

static char *conds_text(const policy_in *p) {
  json_t *j = ent_conds_json(p->conds, p->nconds);
  char *s = json_dumps(j, JSON_COMPACT);
  json_decref(j);
  return s;
}

/* POST /api/v1/policies — office and administrator. */
static void policy_post(req *r) {
  json_t *in = req_json(r, policy_fields);
  if (!in) return;
  policy_in p = {0};
  read_policy(r, in, 1, &p);
  if (has_errors(r)) return reply_invalid(r);
  const char *now = now_rfc3339(&r->a);
  char *ct = conds_text(&p);
  const char *conds = arena_strdup(&r->a, ct);
  free(ct);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO policies (title, issuer, doc_no, valid_from, valid_to, benefit, body, conditions, created_at, "
                         "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBT(p.title), DBT(p.issuer), DBT(p.doc_no), DBT(p.valid_from), DBT(p.valid_to), DBT(p.benefit),
                         DBT(p.body), DBT(conds), DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  if (!id) rc = db_errcode(r->db);
  json_t *after = rc == DB_OK ? policy_json(r, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "create", "policy", id, NULL, after) : db_errcode(r->db);
  if (after) etag(r, after);
  commit_reply(r, rc, NULL, after, 201);
}

/* PATCH /api/v1/policies/{id} — office and administrator. */
static void policy_patch(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, policy_fields);
  if (!in) return;
  json_t *before = policy_json(r, id);
  if (!before) return reply_not_found(r, "政策", "policy");
  policy_in p = {0};
  p.title = json_string_value(json_object_get(before, "title"));
  p.issuer = json_string_value(json_object_get(before, "issuer"));
  p.doc_no = json_string_value(json_object_get(before, "doc_no"));
  p.valid_from = json_string_value(json_object_get(before, "valid_from"));
  p.valid_to = json_string_value(json_object_get(before, "valid_to"));
  p.benefit = json_string_value(json_object_get(before, "benefit"));
  p.body = json_string_value(json_object_get(before, "body"));
  read_policy(r, in, 0, &p);
  int64_t version = req_version(r, in);
  if (has_errors(r)) {
    json_decref(before);
    return reply_invalid(r);
  }
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  const char *conds = NULL;
  if (p.has_conds) {
    char *ct = conds_text(&p);
    conds = arena_strdup(&r->a, ct);
    free(ct);
  } else {
    char *ct = json_dumps(json_object_get(before, "conditions"), JSON_COMPACT);
    conds = arena_strdup(&r->a, ct ? ct : "[]");
    free(ct);
  }
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "UPDATE policies SET title = ?, issuer = ?, doc_no = ?, valid_from = ?, valid_to = ?, benefit = ?, body = ?, "
                 "conditions = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                 DBT(p.title), DBT(p.issuer), DBT(p.doc_no), DBT(p.valid_from), DBT(p.valid_to), DBT(p.benefit), DBT(p.body),
                 DBT(conds), DBT(now), DBI(id), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict",
                         "该政策已被他人修改，请刷新后重试 / The policy was changed by someone else; reload and retry");
  }
  json_t *after = rc == DB_OK ? policy_json(r, id) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "policy", id, before, after) : db_errcode(r->db);
  if (after) etag(r, after);
  commit_reply(r, rc, before, after, 200);
}

/* ---- eligibility ---- */

typedef struct elig_ctx {
  const ent_cond *c;
  int n;
  json_t *items;
  int want; /* 0: eligible and needs_application; else only that status */
  int64_t eligible, needs;
} elig_ctx;

static void elig_one(void *ctx, int64_t id, const char *name, const ent_facts *f) {
  elig_ctx *x = ctx;
  int s = ent_eligibility(x->c, x->n, f);
  if (s == ENT_NO) return;
  if (s == ENT_YES) x->eligible++;
  else x->needs++;
  if (x->want && x->want != s) return;
  json_array_append_new(x->items, json_pack("{s:I, s:s, s:s}", "enterprise_id", (json_int_t)id, "name", name, "status",
                                            ent_status_names[s]));
}

/* The conditions stored with a policy, read back (they were checked). */
static int stored_conds(req *r, int64_t id, ent_cond *c, int *n, json_t **keep) {
  db_stmt *st = db_query(r->db, "SELECT conditions FROM policies WHERE id = ?", DBI(id));
  int found = st && db_step(st) == DB_ROW;
  *keep = found ? json_loads(db_text(st, 0), 0, NULL) : NULL;
  db_done(st);
  if (!found) return 0;
  ent_cond_err err;
  if (!*keep || ent_conds_read(*keep, c, MAX_CONDS, n, &err) != 0) *n = 0;
  return 1;
}

/* Pages the computed list: items, total and counts by status. */
static void reply_eligible(req *r, elig_ctx *x, const page *pg) {
  json_t *all = x->items;
  int64_t total = (int64_t)json_array_size(all);
  const char *format = req_arg(r, "format");
  if (format) return reply_list(r, all, total, pg);
  json_t *items = json_array();
  for (int64_t i = pg->offset; i < total && i < pg->offset + pg->per_page; i++) json_array_append(items, json_array_get(all, (size_t)i));
  json_decref(all);
  json_t *o = json_pack("{s:o, s:I, s:I, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "page", (json_int_t)pg->page,
                        "per_page", (json_int_t)pg->per_page, "eligible", (json_int_t)x->eligible, "needs_application",
                        (json_int_t)x->needs);
  reply_json(r, 200, o);
}

static const char *const status_values[] = {"eligible", "needs_application", NULL};

/* GET /api/v1/policies/{id}/eligible?status&page&per_page&format — the
 * enterprises in the caller's scope that qualify, by name; each with its
 * grant when the office has recorded one. */
static void policy_eligible(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  page pg;
  req_page(r, &pg);
  const char *status = qenum(r, "status", status_values);
  if (has_errors(r)) return reply_invalid(r);
  ent_cond c[MAX_CONDS];
  int n = 0;
  json_t *keep;
  if (!stored_conds(r, id, c, &n, &keep)) return reply_not_found(r, "政策", "policy");
  elig_ctx x = {c, n, json_array(), status ? (strcmp(status, "eligible") == 0 ? ENT_YES : ENT_UNKNOWN) : 0, 0, 0};
  int rc = ent_facts_each(r, r->db, 0, elig_one, &x);
  json_decref(keep);
  if (rc < 0) {
    json_decref(x.items);
    return reply_db_error(r, db_errcode(r->db));
  }
  /* the grants recorded, for the listed enterprises */
  db_stmt *st = db_query(r->db, "SELECT enterprise_id, status, amount AS amount__m, granted_on, note FROM policy_grants WHERE policy_id = ?",
                         DBI(id));
  json_t *grants = json_object();
  while (st && db_step(st) == DB_ROW) {
    json_t *g = db_row_json(st);
    json_object_set_new(grants, arena_printf(&r->a, "%lld", (long long)json_integer_value(json_object_get(g, "enterprise_id"))), g);
  }
  db_done(st);
  size_t i;
  json_t *it;
  json_array_foreach(x.items, i, it) {
    json_t *g = json_object_get(grants, arena_printf(&r->a, "%lld", (long long)json_integer_value(json_object_get(it, "enterprise_id"))));
    json_object_set_new(it, "grant_status", g ? json_incref(json_object_get(g, "status")) : json_null());
    json_object_set_new(it, "granted_amount", g ? json_incref(json_object_get(g, "amount")) : json_null());
  }
  json_decref(grants);
  reply_eligible(r, &x, &pg);
}

/* POST /api/v1/policies/preview {conditions} — the list unsaved conditions
 * would give, for the editor's live preview (first page). */
static void policy_preview(req *r) {
  static const char *const fields[] = {"conditions", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  ent_cond c[MAX_CONDS];
  int n = 0;
  if (!json_object_get(in, "conditions")) field_error(r, "conditions", "必填", "required");
  else read_conds(r, in, c, &n);
  if (has_errors(r)) return reply_invalid(r);
  page pg;
  req_page(r, &pg);
  elig_ctx x = {c, n, json_array(), 0, 0, 0};
  if (ent_facts_each(r, r->db, 0, elig_one, &x) < 0) {
    json_decref(x.items);
    return reply_db_error(r, db_errcode(r->db));
  }
  reply_eligible(r, &x, &pg);
}

/* POST /api/v1/policies/{id}/confirm — the office confirms the list: every
 * enterprise eligible now without a grant gets one, status confirmed.
 * Answers {confirmed: how many were added}. */
static void policy_confirm(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  ent_cond c[MAX_CONDS];
  int n = 0;
  json_t *keep;
  if (!stored_conds(r, id, c, &n, &keep)) return reply_not_found(r, "政策", "policy");
  elig_ctx x = {c, n, json_array(), ENT_YES, 0, 0};
  int rc = ent_facts_each(NULL, r->db, 0, elig_one, &x) < 0 ? db_errcode(r->db) : DB_OK;
  json_decref(keep);
  const char *now = now_rfc3339(&r->a);
  int64_t added = 0;
  if (rc == DB_OK) rc = db_begin(r->db);
  size_t i;
  json_t *it;
  json_t *ids = json_array();
  json_array_foreach(x.items, i, it) {
    if (rc != DB_OK) break;
    int64_t eid = json_integer_value(json_object_get(it, "enterprise_id"));
    if (db_int1(r->db, 0, "SELECT 1 FROM policy_grants WHERE policy_id = ? AND enterprise_id = ?", DBI(id), DBI(eid)) == 1) continue;
    rc = db_exec(r->db,
                 "INSERT INTO policy_grants (policy_id, enterprise_id, status, created_at, updated_at) VALUES (?, ?, 'confirmed', ?, ?)",
                 DBI(id), DBI(eid), DBT(now), DBT(now));
    added++;
    json_array_append_new(ids, json_integer(eid));
  }
  json_decref(x.items);
  json_t *after = json_pack("{s:I, s:o}", "confirmed", (json_int_t)added, "enterprise_ids", ids);
  if (rc == DB_OK) rc = audit_log(r, "update", "policy_grants", id, NULL, after);
  commit_reply(r, rc, NULL, after, 200);
}

static const char *const grant_status[] = {"confirmed", "granted", NULL};

/* PUT /api/v1/policies/{id}/grants/{enterprise_id} {status, amount, granted_on, note}
 * — records (or changes) the benefit granted to one enterprise. */
static void grant_put(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  int64_t eid = req_id(r, 1);
  if (!eid) return;
  static const char *const fields[] = {"status", "amount", "granted_on", "note", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  if (db_int1(r->db, 0, "SELECT 1 FROM policies WHERE id = ?", DBI(id)) != 1) return reply_not_found(r, "政策", "policy");
  if (db_int1(r->db, 0, "SELECT 1 FROM enterprises WHERE id = ?", DBI(eid)) != 1) return reply_not_found(r, "企业", "enterprise");
  const char *status = NULL, *on = NULL, *note = NULL;
  int64_t amount = -1;
  jenum(r, in, "status", 1, grant_status, &status);
  int as = jmoney(r, in, "amount", 0, &amount);
  int ds = jdate(r, in, "granted_on", 0, &on);
  opt_text(r, in, "note", 500, &note);
  if (status && strcmp(status, "granted") == 0) {
    if (as != JV_SET) field_error(r, "amount", "兑现时须填写金额", "a granted benefit needs its amount");
    if (ds != JV_SET) field_error(r, "granted_on", "兑现时须填写日期", "a granted benefit needs its date");
  }
  if (has_errors(r)) return reply_invalid(r);
  const char *now = now_rfc3339(&r->a);
  db_stmt *st = db_query(r->db, "SELECT status, amount AS amount__m, granted_on, note FROM policy_grants WHERE policy_id = ? AND enterprise_id = ?",
                         DBI(id), DBI(eid));
  json_t *before = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db, "DELETE FROM policy_grants WHERE policy_id = ? AND enterprise_id = ?", DBI(id), DBI(eid));
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "INSERT INTO policy_grants (policy_id, enterprise_id, status, amount, granted_on, note, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 DBI(id), DBI(eid), DBT(status), amount >= 0 ? DBI(amount) : DBNULL, DBT(on), DBT(note), DBT(now), DBT(now));
  json_t *after = NULL;
  if (rc == DB_OK) {
    st = db_query(r->db,
                  "SELECT policy_id, enterprise_id, status, amount AS amount__m, granted_on, note FROM policy_grants "
                  "WHERE policy_id = ? AND enterprise_id = ?",
                  DBI(id), DBI(eid));
    after = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    rc = after ? audit_log(r, before ? "update" : "create", "policy_grant", id, before, after) : db_errcode(r->db);
  }
  commit_reply(r, rc, before, after, 200);
}

/* ---- an enterprise's policies ---- */

/* GET /api/v1/enterprises/{id}/policies — the policies in force it
 * qualifies for, each with status and the grant recorded. */
static void ent_policies(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  if (!ent_can_read(r, id)) return reply_not_found(r, "企业", "enterprise");
  /* the enterprise's facts, once */
  struct {
    ent_facts f;
    char chain[128];
    int found;
  } me = {0};
  db_stmt *st = db_query(r->db,
                         "SELECT e.flags, f.revenue, f.tax, f.employees, e.chain, e.town_unit_id FROM enterprises e "
                         "LEFT JOIN enterprise_figures f ON f.enterprise_id = e.id AND f.year = "
                         "(SELECT MAX(g.year) FROM enterprise_figures g WHERE g.enterprise_id = e.id) WHERE e.id = ?",
                         DBI(id));
  if (st && db_step(st) == DB_ROW) {
    me.found = 1;
    me.f.flags = ent_flags_parse(db_text(st, 0));
    me.f.revenue = db_isnull(st, 1) ? -1 : db_int(st, 1);
    me.f.tax = db_isnull(st, 2) ? -1 : db_int(st, 2);
    me.f.employees = db_isnull(st, 3) ? -1 : db_int(st, 3);
    if (!db_isnull(st, 4)) {
      snprintf(me.chain, sizeof me.chain, "%s", db_text(st, 4));
      me.f.chain = me.chain;
    }
    me.f.town_unit_id = db_isnull(st, 5) ? 0 : db_int(st, 5);
  }
  db_done(st);
  if (!me.found) return reply_db_error(r, db_errcode(r->db));
  const char *today = today_text(r);
  st = db_query(r->db,
                "SELECT p.id, p.title, p.issuer, p.doc_no, p.valid_from, p.valid_to, p.benefit, p.conditions, g.status, g.amount AS amount__m "
                "FROM policies p LEFT JOIN policy_grants g ON g.policy_id = p.id AND g.enterprise_id = ? "
                "WHERE p.valid_from <= ? AND p.valid_to >= ? ORDER BY p.valid_to, p.id",
                DBI(id), DBT(today), DBT(today));
  json_t *items = json_array();
  while (st && db_step(st) == DB_ROW) {
    json_t *cj = json_loads(db_text(st, 7), 0, NULL);
    ent_cond c[MAX_CONDS];
    int n = 0;
    ent_cond_err err;
    int s = cj && ent_conds_read(cj, c, MAX_CONDS, &n, &err) == 0 ? ent_eligibility(c, n, &me.f) : ENT_NO;
    json_decref(cj);
    if (s == ENT_NO) continue;
    json_t *o = json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:s, s:s?, s:s, s:s?}", "policy_id", (json_int_t)db_int(st, 0), "title",
                          db_text(st, 1), "issuer", db_text(st, 2), "doc_no", db_text(st, 3), "valid_from", db_text(st, 4),
                          "valid_to", db_text(st, 5), "benefit", db_text(st, 6), "status", ent_status_names[s], "grant_status",
                          db_text(st, 8));
    json_object_set_new(o, "granted_amount", db_isnull(st, 9) ? json_null() : json_money(db_int(st, 9)));
    json_array_append_new(items, o);
  }
  db_done(st);
  page pg = {1, 500, 0};
  reply_list(r, items, (int64_t)json_array_size(items), &pg);
}

static const route policy_routes[] = {
    ROUTE("GET", "/api/v1/policies", policies_list, ENT_READERS, "政策库 / Policy library", 0),
    ROUTE("POST", "/api/v1/policies/preview", policy_preview, ROLE_ADMIN | ROLE_OFFICE, "政策条件预览 / Preview who qualifies", 0),
    ROUTE("GET", "/api/v1/policies/{id}", policy_get, ENT_READERS, "政策详情 / One policy", 0),
    ROUTE("POST", "/api/v1/policies", policy_post, ROLE_ADMIN | ROLE_OFFICE, "新增政策 / Add a policy", 0),
    ROUTE("PATCH", "/api/v1/policies/{id}", policy_patch, ROLE_ADMIN | ROLE_OFFICE, "修改政策 / Change a policy", 0),
    ROUTE("GET", "/api/v1/policies/{id}/eligible", policy_eligible, ENT_READERS, "免申即享名单 / Enterprises that qualify", 0),
    ROUTE("POST", "/api/v1/policies/{id}/confirm", policy_confirm, ROLE_ADMIN | ROLE_OFFICE, "确认名单 / Confirm the list", 0),
    ROUTE("PUT", "/api/v1/policies/{id}/grants/{enterprise_id}", grant_put, ROLE_ADMIN | ROLE_OFFICE, "兑现记录 / Record a benefit granted", 0),
    ROUTE("GET", "/api/v1/enterprises/{id}/policies", ent_policies, ENT_READERS, "企业可享政策 / Policies an enterprise qualifies for", 0),
    {0},
};

static const module ent_policies_module = {"ent_policies", 71, policy_routes, NULL, NULL, NULL};
MODULE_REGISTER(ent_policies_module)
