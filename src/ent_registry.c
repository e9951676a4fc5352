/*
 * ent_registry.c — the enterprise registry (企业库): each enterprise with
 * its 统一社会信用代码 (checked by ent_rules.c), name, legal representative,
 * contact, address and town, industry and chain, flags (规上, 高新…), its
 * figures per year and its service commissioner (服务专员).  Registering
 * an enterprise creates its unit (kind 'enterprise', beside the town under
 * the town's district) unless an enterprise unit of the same name without
 * a record exists; the users of that unit are the enterprise.
 *
 * The contact's name and phone are personal data: masked in every answer
 * and export; the office, the commissioner and the enterprise itself may
 * reveal them (?reveal=1), each reveal audited.
 *
 * GET   /api/v1/enterprises?q&town_unit_id&flag&chain&commissioner_id&page&per_page&sort&format
 * GET   /api/v1/enterprises/{id}[?reveal=1]
 * POST  /api/v1/enterprises {uscc,name,town_unit_id,flags,figures,legal_rep,contact_name,contact_phone,address,industry,chain,commissioner_id,unit_id}
 * PATCH /api/v1/enterprises/{id} {…the same…, version}
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "ent.h"
#include "http.h"
#include "identity.h"

/* ---- scope ---- */

void ent_scope_sql(req *r, strbuf *sql, db_val *args, int *n) {
  if (scope_reads_all(r)) return;
  const char *pat = scope_path_pattern(r);
  sb_adds(sql, " AND (e.unit_id IN (SELECT id FROM units WHERE path LIKE ?) OR e.commissioner_id = ?");
  args[(*n)++] = DBT(pat);
  args[(*n)++] = DBI(r->user.id);
  if (has_role(r, ROLE_UNIT)) {
    /* the requests routed to the units in scope, found by their unit's index */
    sb_adds(sql, " OR e.town_unit_id IN (SELECT id FROM units WHERE path LIKE ?) OR e.id IN (SELECT sq.enterprise_id FROM "
                 "enterprise_requests sq WHERE sq.unit_id IN (SELECT id FROM units WHERE path LIKE ?))");
    args[(*n)++] = DBT(pat);
    args[(*n)++] = DBT(pat);
  }
  sb_adds(sql, ")");
}

int ent_can_read(req *r, int64_t id) {
  strbuf sb = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  args[n++] = DBI(id);
  sb_adds(&sb, "SELECT 1 FROM enterprises e WHERE e.id = ?");
  ent_scope_sql(r, &sb, args, &n);
  int ok = db_int1v(r->db, 0, sb_str(&sb), n, args) == 1;
  sb_release(&sb);
  return ok;
}

int ent_is_self(req *r, int64_t id) {
  return has_role(r, ROLE_ENTERPRISE) && r->user.unit_id &&
         db_int1(r->db, 0, "SELECT 1 FROM enterprises WHERE id = ? AND unit_id = ?", DBI(id), DBI(r->user.unit_id)) == 1;
}

int ent_is_commissioner(req *r, int64_t id) {
  return r->user.id &&
         db_int1(r->db, 0, "SELECT 1 FROM enterprises WHERE id = ? AND commissioner_id = ?", DBI(id), DBI(r->user.id)) == 1;
}

/* ---- JSON ---- */

/* The latest year with figures of e, joined as f. */
#define LATEST_JOIN                                                                                                  \
  "LEFT JOIN enterprise_figures f ON f.enterprise_id = e.id AND f.year = "                                          \
  "(SELECT MAX(g.year) FROM enterprise_figures g WHERE g.enterprise_id = e.id) "

#define ENT_SELECT                                                                                                    \
  "SELECT e.id, e.unit_id, e.uscc, e.name, e.legal_rep, e.contact_name, e.contact_phone, e.address, e.town_unit_id, " \
  "t.name AS town, e.industry, e.chain, e.flags, e.commissioner_id, c.name AS commissioner_name, f.year AS latest_year, " \
  "f.revenue AS revenue__m, f.tax AS tax__m, f.employees, f.rd AS rd__m, e.version, e.created_at, e.updated_at "    \
  "FROM enterprises e LEFT JOIN units t ON t.id = e.town_unit_id LEFT JOIN users c ON c.id = e.commissioner_id " LATEST_JOIN

/* "吴**": the first character of a name, the rest starred. */
static json_t *mask_name(const char *s) {
  if (!s || !*s) return json_string(s ? s : "");
  size_t first = 1;
  while (s[first] && (s[first] & 0xC0) == 0x80) first++;
  char buf[64];
  size_t n = first < 8 ? first : 8;
  memcpy(buf, s, n);
  memcpy(buf + n, "**", 3);
  return json_string(buf);
}

/* Flags as names and Chinese names; masks the contact unless full. */
static void finish(json_t *o, int full) {
  unsigned fl = ent_flags_parse(json_string_value(json_object_get(o, "flags")));
  json_t *a = json_array(), *zh = json_array();
  for (int i = 0; ent_flag_names[i]; i++)
    if (fl & (1u << i)) {
      json_array_append_new(a, json_string(ent_flag_names[i]));
      json_array_append_new(zh, json_string(ent_flag_names_zh[i]));
    }
  json_object_set_new(o, "flags", a);
  json_object_set_new(o, "flags_zh", zh);
  if (full) return;
  const char *nm = json_string_value(json_object_get(o, "contact_name"));
  const char *ph = json_string_value(json_object_get(o, "contact_phone"));
  if (nm) json_object_set_new(o, "contact_name", mask_name(nm));
  if (ph) {
    arena a2;
    arena_init(&a2);
    json_object_set_new(o, "contact_phone", json_string(phone_mask(&a2, ph)));
    arena_release(&a2);
  }
}

json_t *ent_json(db *d, int64_t id, int full) {
  db_stmt *st = db_query(d, ENT_SELECT "WHERE e.id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  if (!o) return NULL;
  finish(o, full);
  json_t *figs = json_object();
  st = db_query(d, "SELECT year, revenue AS revenue__m, tax AS tax__m, employees, rd AS rd__m FROM enterprise_figures "
                   "WHERE enterprise_id = ? ORDER BY year",
                DBI(id));
  while (st && db_step(st) == DB_ROW) {
    json_t *row = db_row_json(st);
    char y[16];
    snprintf(y, sizeof y, "%lld", (long long)json_integer_value(json_object_get(row, "year")));
    json_object_del(row, "year");
    json_object_set_new(figs, y, row);
  }
  db_done(st);
  json_object_set_new(o, "figures", figs);
  return o;
}

json_t *ent_brief_json(db *d, int64_t ent_id) {
  db_stmt *st = db_query(d,
                         "SELECT e.id, e.uscc, e.name, e.unit_id, t.name AS town FROM enterprises e "
                         "LEFT JOIN units t ON t.id = e.town_unit_id WHERE e.id = ?",
                         DBI(ent_id));
  json_t *o = st && db_step(st) == DB_ROW ? db_row_json(st) : NULL;
  db_done(st);
  return o;
}

int64_t ent_id_of_unit(db *d, int64_t unit_id) {
  return db_int1(d, 0, "SELECT id FROM enterprises WHERE unit_id = ?", DBI(unit_id));
}
int64_t ent_unit_of(db *d, int64_t ent_id) {
  return db_int1(d, 0, "SELECT unit_id FROM enterprises WHERE id = ?", DBI(ent_id));
}

int ent_facts_each(req *r, db *d, int64_t only_id, ent_facts_fn fn, void *ctx) {
  strbuf sb = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  sb_adds(&sb, "SELECT e.id, e.name, e.flags, f.revenue, f.tax, f.employees, e.chain, e.town_unit_id FROM enterprises e " LATEST_JOIN
               "WHERE 1 = 1");
  if (only_id) db_where_int(&sb, args, &n, " AND e.id = ?", only_id);
  if (r) ent_scope_sql(r, &sb, args, &n);
  sb_adds(&sb, " ORDER BY e.name, e.id");
  db_stmt *st = db_prepare(d, sb_str(&sb), n, args);
  sb_release(&sb);
  if (!st) return -1;
  int rc, count = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    ent_facts f = {ent_flags_parse(db_text(st, 2)),
                   db_isnull(st, 3) ? -1 : db_int(st, 3),
                   db_isnull(st, 4) ? -1 : db_int(st, 4),
                   db_isnull(st, 5) ? -1 : db_int(st, 5),
                   db_isnull(st, 6) ? NULL : db_text(st, 6),
                   db_isnull(st, 7) ? 0 : db_int(st, 7)};
    fn(ctx, db_int(st, 0), db_text(st, 1), &f);
    count++;
  }
  db_done(st);
  return rc == DB_DONE ? count : -1;
}

static void etag(req *r, json_t *o) {
  reply_header(r, "ETag", arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(json_object_get(o, "version"))));
}

/* ---- list ---- */

/* GET /api/v1/enterprises?q&town_unit_id&flag&chain&commissioner_id&page&per_page&sort&format */
static void ents_list(req *r) {
  static const char *const sorts[] = {"name", "e.name", "uscc", "e.uscc", "town", "t.name", "revenue", "f.revenue",
                                      "tax", "f.tax", "employees", "f.employees", "updated_at", "e.updated_at", NULL};
  page pg;
  req_page(r, &pg);
  const char *q = req_arg(r, "q"), *chain = req_arg(r, "chain");
  const char *flag = qenum(r, "flag", ent_flag_names);
  int64_t town = qint(r, "town_unit_id", 1, INT64_MAX, 0), comm = qint(r, "commissioner_id", 1, INT64_MAX, 0);
  const char *order = req_sort(r, sorts, "e.name, e.id");
  if (has_errors(r)) return reply_invalid(r);
  strbuf w = STRBUF_INIT;
  db_val args[16];
  int n = 0;
  ent_scope_sql(r, &w, args, &n);
  if (q && *q) {
    const char *like = arena_printf(&r->a, "%%%s%%", q);
    sb_adds(&w, " AND (e.name LIKE ? OR e.uscc LIKE ? OR e.industry LIKE ?)");
    args[n++] = DBT(like);
    args[n++] = DBT(like);
    args[n++] = DBT(like);
  }
  if (town) db_where_int(&w, args, &n, " AND e.town_unit_id = ?", town);
  if (comm) db_where_int(&w, args, &n, " AND e.commissioner_id = ?", comm);
  if (chain && *chain) db_where_text(&w, args, &n, " AND e.chain = ?", chain);
  if (flag) db_where_text(&w, args, &n, " AND (',' || e.flags || ',') LIKE ?", arena_printf(&r->a, "%%,%s,%%", flag));
  const char *where = sql_where(&r->a, sb_str(&w));
  sb_release(&w);
  int64_t total = db_int1v(r->db, -1, arena_printf(&r->a, "SELECT COUNT(*) FROM enterprises e %s", where), n, args);
  args[n++] = DBI(pg.per_page);
  args[n++] = DBI(pg.offset);
  db_stmt *st = db_prepare(r->db, arena_printf(&r->a, ENT_SELECT "%s ORDER BY %s LIMIT ? OFFSET ?", where, order), n, args);
  json_t *items = db_rows_json(r, st, total);
  if (!items) return;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    finish(it, 0);
    /* a spreadsheet cell per flag list */
    strbuf z = STRBUF_INIT;
    size_t k;
    json_t *x;
    json_array_foreach(json_object_get(it, "flags_zh"), k, x) sb_addf(&z, "%s%s", k ? "、" : "", json_string_value(x));
    json_object_set_new(it, "flags_text", json_string(sb_str(&z)));
    sb_release(&z);
  }
  reply_list(r, items, total, &pg);
}

/* ---- one ---- */

/* GET /api/v1/enterprises/{id}[?reveal=1] — a reveal (the contact unmasked)
 * is for the office, the commissioner and the enterprise itself, and is
 * audited in its own transaction. */
static void ent_get(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  int64_t reveal = qint(r, "reveal", 0, 1, 0);
  if (has_errors(r)) return reply_invalid(r);
  if (!ent_can_read(r, id)) return reply_not_found(r, "企业", "enterprise");
  int may_reveal = scope_writes_all(r) || ent_is_commissioner(r, id) || ent_is_self(r, id);
  if (reveal && !may_reveal)
    return reply_forbidden(r, "只有项目办、服务专员和企业本身可以查看联系人信息", "only the office, the commissioner and the enterprise may reveal the contact");
  json_t *o = ent_json(r->db, id, reveal != 0);
  if (!o) return reply_db_error(r, db_errcode(r->db));
  json_object_set_new(o, "can_reveal", json_boolean(may_reveal));
  json_object_set_new(o, "can_edit", json_boolean(scope_writes_all(r) || ent_is_commissioner(r, id) || ent_is_self(r, id)));
  etag(r, o);
  if (!reveal) return reply_json(r, 200, o);
  json_t *what = json_pack("{s:[s,s]}", "revealed", "contact_name", "contact_phone");
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = audit_log(r, "read", "enterprise", id, NULL, what);
  json_decref(what);
  commit_reply(r, rc, NULL, o, 200);
}

/* ---- input ---- */

static const char *const ent_fields[] = {"uscc", "name", "town_unit_id", "flags", "figures", "legal_rep", "contact_name",
                                         "contact_phone", "address", "industry", "chain", "commissioner_id", "unit_id",
                                         "version", NULL};
/* What an enterprise may change of its own record; a commissioner all but
 * the code, the unit and who the commissioner is. */
static const char *const self_fields[] = {"legal_rep", "contact_name", "contact_phone", "address", "figures", "version", NULL};
static const char *const commissioner_fields[] = {"name", "town_unit_id", "flags", "figures", "legal_rep", "contact_name",
                                                  "contact_phone", "address", "industry", "chain", "version", NULL};

static int in_list(const char *const *list, const char *s) {
  for (int i = 0; list[i]; i++)
    if (strcmp(list[i], s) == 0) return 1;
  return 0;
}

/* One figure of a year: money or a whole number, absent or null as -1. */
static void read_fig(req *r, json_t *o, const char *key, const char *field, int money, int64_t *out) {
  json_t *v = json_object_get(o, key);
  *out = -1;
  if (!v || json_is_null(v)) return;
  if (money) {
    jmoney_value(r, field, v, out);
  } else if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 10000000) {
    field_error(r, field, "应为0到10000000之间的整数", "must be a whole number from 0 to 10000000");
  } else {
    *out = json_integer_value(v);
  }
}

static void read_figures(req *r, json_t *in, ent_in *e) {
  json_t *v = json_object_get(in, "figures");
  if (!v || json_is_null(v)) return;
  if (!json_is_object(v) || json_object_size(v) > ENT_MAX_YEARS) {
    field_error(r, "figures", "应为对象：年份 → {revenue, tax, employees, rd}（最多16年）",
                "must be an object: year → {revenue, tax, employees, rd} (at most 16 years)");
    return;
  }
  const char *year;
  json_t *o;
  json_object_foreach(v, year, o) {
    char *end;
    long y = strtol(year, &end, 10);
    const char *f = arena_printf(&r->a, "figures.%s", year);
    if (*end || end == year || y < 1990 || y > 2100) {
      field_error(r, f, "年份应为1990到2100之间的四位数", "the year must be four digits from 1990 to 2100");
      continue;
    }
    ent_fig *g = &e->figs[e->nfigs++];
    g->year = (int)y;
    if (json_is_null(o)) {
      g->remove = 1;
      continue;
    }
    if (!json_is_object(o)) {
      field_error(r, f, "应为 {revenue, tax, employees, rd}", "must be {revenue, tax, employees, rd}");
      continue;
    }
    const char *k;
    json_t *x;
    json_object_foreach(o, k, x) {
      if (strcmp(k, "revenue") != 0 && strcmp(k, "tax") != 0 && strcmp(k, "employees") != 0 && strcmp(k, "rd") != 0)
        field_error(r, arena_printf(&r->a, "%s.%s", f, k), "未知的指标（可选：revenue、tax、employees、rd）",
                    "unknown figure (one of revenue, tax, employees, rd)");
    }
    read_fig(r, o, "revenue", arena_printf(&r->a, "%s.revenue", f), 1, &g->revenue);
    read_fig(r, o, "tax", arena_printf(&r->a, "%s.tax", f), 1, &g->tax);
    read_fig(r, o, "employees", arena_printf(&r->a, "%s.employees", f), 0, &g->employees);
    read_fig(r, o, "rd", arena_printf(&r->a, "%s.rd", f), 1, &g->rd);
  }
}

static void read_flags(req *r, json_t *in, ent_in *e) {
  json_t *v = json_object_get(in, "flags");
  if (!v) return;
  e->has_flags = 1;
  e->flags = 0;
  if (json_is_null(v)) return;
  size_t i;
  json_t *x;
  if (!json_is_array(v)) {
    field_error(r, "flags", "应为标志数组", "must be an array of flags");
    return;
  }
  json_array_foreach(v, i, x) {
    unsigned b = json_is_string(x) ? ent_flag_bit(json_string_value(x)) : 0;
    if (!b) {
      field_error(r, "flags", "未知的企业标志（可选：above_scale、high_tech、tech_sme、gazelle、little_giant、specialized）",
                  "unknown flag (one of above_scale, high_tech, tech_sme, gazelle, little_giant, specialized)");
      return;
    }
    e->flags |= b;
  }
}

/* Optional text: absent keeps, null or "" clears. */
static void opt_text(req *r, json_t *in, const char *field, size_t max, const char **out) {
  int s = jstr(r, in, field, 0, max, out);
  if (s == JV_NULL || (s == JV_SET && !**out)) *out = NULL;
}

/* Reads and checks the fields; `self` is the record being changed (0 when
 * creating), its current values already in e. */
void ent_read(req *r, json_t *in, int64_t self, ent_in *e) {
  int creating = self == 0;
  const char *code = NULL;
  if (jstr(r, in, "uscc", creating, 40, &code) == JV_SET) {
    int rc = ent_uscc_check(code, e->uscc_buf);
    if (rc != ENT_USCC_OK) {
      field_error(r, "uscc", ent_uscc_why_zh(rc), ent_uscc_why_en(rc));
    } else {
      e->uscc = e->uscc_buf;
      if (db_int1(r->db, 0, "SELECT id FROM enterprises WHERE uscc = ? AND id <> ?", DBT(e->uscc), DBI(self)) > 0)
        field_error(r, "uscc", "该统一社会信用代码已登记", "an enterprise with this code is already registered");
    }
  }
  if (jstr(r, in, "name", creating, 100, &e->name) == JV_SET && !*e->name) field_error(r, "name", "不能为空", "must not be empty");
  if (jint(r, in, "town_unit_id", creating, 1, INT64_MAX, &e->town_unit_id) == JV_SET &&
      db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ? AND kind = 'town'", DBI(e->town_unit_id)) != 1)
    field_error(r, "town_unit_id", "应为街道或乡镇", "must be a town or street");
  int cs = jint(r, in, "commissioner_id", 0, 1, INT64_MAX, &e->commissioner_id);
  if (cs == JV_NULL) e->commissioner_id = 0;
  if (cs == JV_SET && db_int1(r->db, 0, "SELECT 1 FROM users WHERE id = ? AND disabled = 0 AND (roles LIKE '%office%' OR roles LIKE "
                                        "'%unit%' OR roles LIKE '%admin%')",
                              DBI(e->commissioner_id)) != 1)
    field_error(r, "commissioner_id", "服务专员应为在职的机关工作人员", "the commissioner must be an active government user");
  if (creating && jint(r, in, "unit_id", 0, 1, INT64_MAX, &e->unit_id) == JV_SET) {
    if (db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ? AND kind = 'enterprise'", DBI(e->unit_id)) != 1)
      field_error(r, "unit_id", "应为企业类单位", "must be a unit of kind enterprise");
    else if (ent_id_of_unit(r->db, e->unit_id))
      field_error(r, "unit_id", "该单位已登记为其他企业", "this unit is already another enterprise");
  } else if (!creating && json_object_get(in, "unit_id")) {
    field_error(r, "unit_id", "企业的单位不能更改", "an enterprise's unit cannot change");
  }
  opt_text(r, in, "legal_rep", 50, &e->legal_rep);
  opt_text(r, in, "contact_name", 50, &e->contact_name);
  opt_text(r, in, "contact_phone", 20, &e->contact_phone);
  if (e->contact_phone && json_object_get(in, "contact_phone") && !phone_valid(e->contact_phone))
    field_error(r, "contact_phone", "应为11位手机号", "must be an 11-digit mobile number");
  opt_text(r, in, "address", 200, &e->address);
  opt_text(r, in, "industry", 50, &e->industry);
  opt_text(r, in, "chain", 50, &e->chain);
  read_flags(r, in, e);
  read_figures(r, in, e);
  /* a new enterprise's unit is named after it: the name may not belong to another unit */
  if (creating && !e->unit_id && e->name && *e->name) {
    int64_t u = unit_by_name(r->db, e->name);
    if (u && (db_int1(r->db, 0, "SELECT 1 FROM units WHERE id = ? AND kind = 'enterprise'", DBI(u)) != 1 || ent_id_of_unit(r->db, u)))
      field_error(r, "name", "已有同名的单位或企业", "a unit or enterprise of this name exists");
    else
      e->unit_id = u;
  }
}

static int store_figures(db *d, int64_t id, const ent_in *e) {
  int rc = DB_OK;
  for (int i = 0; rc == DB_OK && i < e->nfigs; i++) {
    const ent_fig *g = &e->figs[i];
    rc = db_exec(d, "DELETE FROM enterprise_figures WHERE enterprise_id = ? AND year = ?", DBI(id), DBI(g->year));
    if (rc == DB_OK && !g->remove)
      rc = db_exec(d, "INSERT INTO enterprise_figures (enterprise_id, year, revenue, tax, employees, rd) VALUES (?, ?, ?, ?, ?, ?)",
                   DBI(id), DBI(g->year), g->revenue < 0 ? DBNULL : DBI(g->revenue), g->tax < 0 ? DBNULL : DBI(g->tax),
                   g->employees < 0 ? DBNULL : DBI(g->employees), g->rd < 0 ? DBNULL : DBI(g->rd));
  }
  return rc;
}

/* The parent of a new enterprise's unit: the town's own parent (its
 * district), as the demo district keeps its enterprises. */
static int64_t unit_parent(db *d, int64_t town) {
  int64_t p = db_int1(d, 0, "SELECT parent_id FROM units WHERE id = ?", DBI(town));
  return p ? p : town;
}

int64_t ent_insert(db *d, const ent_in *e, const char *now) {
  char flags[128];
  ent_flags_format(e->flags, flags, sizeof flags);
  int64_t unit = e->unit_id ? e->unit_id : unit_insert(d, e->name, "enterprise", unit_parent(d, e->town_unit_id), now);
  if (!unit) return 0;
  db_stmt *st = db_query(d,
                         "INSERT INTO enterprises (unit_id, uscc, name, legal_rep, contact_name, contact_phone, address, "
                         "town_unit_id, industry, chain, flags, commissioner_id, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBI(unit), DBT(e->uscc), DBT(e->name), DBT(e->legal_rep), DBT(e->contact_name), DBT(e->contact_phone),
                         DBT(e->address), DBI(e->town_unit_id), DBT(e->industry), DBT(e->chain), DBT(flags),
                         e->commissioner_id ? DBI(e->commissioner_id) : DBNULL, DBT(now), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  if (id && store_figures(d, id, e) != DB_OK) return 0;
  return id;
}

/* POST /api/v1/enterprises — office and administrator. */
static void ent_post(req *r) {
  json_t *in = req_json(r, ent_fields);
  if (!in) return;
  ent_in e = {0};
  ent_read(r, in, 0, &e);
  if (has_errors(r)) return reply_invalid(r);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  int64_t id = ent_insert(r->db, &e, now);
  if (!id) rc = db_errcode(r->db);
  json_t *after = rc == DB_OK ? ent_json(r->db, id, 0) : NULL;
  if (rc == DB_OK) rc = after ? audit_log(r, "create", "enterprise", id, NULL, after) : db_errcode(r->db);
  if (after) etag(r, after);
  commit_reply(r, rc, NULL, after, 201);
}

/* PATCH /api/v1/enterprises/{id} — the office all fields; the commissioner
 * all but the code and the commissioner; the enterprise its contact,
 * address, legal representative and figures. */
static void ent_patch(req *r) {
  int64_t id = req_id(r, 0);
  if (!id) return;
  json_t *in = req_json(r, ent_fields);
  if (!in) return;
  if (!ent_can_read(r, id)) return reply_not_found(r, "企业", "enterprise");
  const char *const *allowed = scope_writes_all(r)           ? ent_fields
                               : ent_is_commissioner(r, id) ? commissioner_fields
                               : ent_is_self(r, id)         ? self_fields
                                                            : NULL;
  if (!allowed) return reply_forbidden(r, "无权修改该企业", "you may not change this enterprise");
  const char *key;
  json_t *v;
  json_object_foreach(in, key, v) {
    if (!in_list(allowed, key))
      return reply_forbidden(r, arena_printf(&r->a, "无权修改字段 %s", key), arena_printf(&r->a, "you may not change %s", key));
  }
  /* cur (unmasked) holds the values kept; before (masked) goes to the audit */
  json_t *cur = ent_json(r->db, id, 1), *before = ent_json(r->db, id, 0);
  if (!cur || !before) {
    json_decref(cur);
    json_decref(before);
    return reply_db_error(r, db_errcode(r->db));
  }
  ent_in e = {0};
  e.uscc = json_string_value(json_object_get(cur, "uscc"));
  e.name = json_string_value(json_object_get(cur, "name"));
  e.legal_rep = json_string_value(json_object_get(cur, "legal_rep"));
  e.contact_name = json_string_value(json_object_get(cur, "contact_name"));
  e.contact_phone = json_string_value(json_object_get(cur, "contact_phone"));
  e.address = json_string_value(json_object_get(cur, "address"));
  e.industry = json_string_value(json_object_get(cur, "industry"));
  e.chain = json_string_value(json_object_get(cur, "chain"));
  e.town_unit_id = json_integer_value(json_object_get(cur, "town_unit_id"));
  e.commissioner_id = json_integer_value(json_object_get(cur, "commissioner_id"));
  size_t i;
  json_array_foreach(json_object_get(cur, "flags"), i, v) e.flags |= ent_flag_bit(json_string_value(v));
  ent_read(r, in, id, &e);
  int64_t version = req_version(r, in);
  if (has_errors(r)) {
    json_decref(cur);
    json_decref(before);
    return reply_invalid(r);
  }
  if (!version) version = json_integer_value(json_object_get(before, "version"));
  char flags[128];
  ent_flags_format(e.flags, flags, sizeof flags);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc == DB_OK)
    rc = db_exec(r->db,
                 "UPDATE enterprises SET uscc = ?, name = ?, legal_rep = ?, contact_name = ?, contact_phone = ?, address = ?, "
                 "town_unit_id = ?, industry = ?, chain = ?, flags = ?, commissioner_id = ?, version = version + 1, "
                 "updated_at = ? WHERE id = ? AND version = ?",
                 DBT(e.uscc), DBT(e.name), DBT(e.legal_rep), DBT(e.contact_name), DBT(e.contact_phone), DBT(e.address),
                 e.town_unit_id ? DBI(e.town_unit_id) : DBNULL, DBT(e.industry), DBT(e.chain), DBT(flags),
                 e.commissioner_id ? DBI(e.commissioner_id) : DBNULL, DBT(now), DBI(id), DBI(version));
  if (rc == DB_OK && db_changes(r->db) == 0) {
    db_rollback(r->db);
    json_decref(cur);
    json_decref(before);
    return reply_problem(r, 409, "版本冲突 / Version conflict",
                         "该企业已被他人修改，请刷新后重试 / The enterprise was changed by someone else; reload and retry");
  }
  if (rc == DB_OK) rc = store_figures(r->db, id, &e);
  json_t *after = rc == DB_OK ? ent_json(r->db, id, 0) : NULL;
  /* the audit keeps what changed, personal data masked on both sides */
  if (rc == DB_OK) rc = after ? audit_log(r, "update", "enterprise", id, before, after) : db_errcode(r->db);
  json_decref(cur);
  if (after) etag(r, after);
  commit_reply(r, rc, before, after, 200);
}

static const route ent_routes[] = {
    ROUTE("GET", "/api/v1/enterprises", ents_list, ENT_READERS, "企业库 / Enterprise registry", 0, DOM_ENTERPRISES),
    ROUTE("GET", "/api/v1/enterprises/{id}", ent_get, ENT_READERS, "企业详情 / One enterprise", 0),
    ROUTE("POST", "/api/v1/enterprises", ent_post, ROLE_ADMIN | ROLE_OFFICE, "登记企业 / Register an enterprise", 0),
    ROUTE("PATCH", "/api/v1/enterprises/{id}", ent_patch, ENT_READERS, "修改企业 / Change an enterprise", 0),
    {0},
};

static const module ent_registry_module = {"ent_registry", 70, ent_routes, NULL, NULL, NULL};
MODULE_REGISTER(ent_registry_module)
