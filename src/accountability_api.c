/*
 * accountability_api.c — the accountability list (约谈 / 通报 / 问责) of a
 * month with its publication as frozen versions, the office's 问责 flags,
 * the settings of the rule (N, M and the assessment weights), and the
 * public board (亮屏) that shows what was published.  The rule itself lives
 * in accountability.c; this file gathers the figures (rankings.h), applies
 * the rule, words the reasons and stores what is published.
 *
 * GET  /api/v1/accountability?month=YYYY-MM[&version=N][&format=xlsx|csv|pdf]
 * POST /api/v1/accountability/{month}/publish   {note?}        office: freeze as the next version
 * POST /api/v1/accountability/{month}/flags     {unit_id, reason}  office: a 问责 entry
 * DELETE /api/v1/accountability/{month}/flags/{id}              office
 * GET  /api/v1/accountability/settings          the rule's N, M and the assessment weights
 * PUT  /api/v1/accountability/settings          admin
 * GET  /api/v1/public/board?month=               no login: the published list and rankings
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "clock.h"
#include "calendar.h"
#include "rankings.h"
#include "tasks.h"

/* ---- settings ------------------------------------------------------------ */

const char *const factor_names[] = {"investment", "starts", "nodes", "problems", "reports", NULL};
const char *const factor_zh[] = {"投资完成率", "开工竣工完成率", "节点按期率", "问题按期办结率", "填报及时率"};
static const int factor_default[F_N] = {30, 20, 20, 15, 15};

static int64_t setting_int(db *d, const char *key, int64_t dflt) {
  db_stmt *st = db_query(d, "SELECT value FROM settings WHERE key = ?", DBT(key));
  int64_t v = dflt;
  if (st && db_step(st) == DB_ROW && db_text(st, 0)) {
    char *end;
    long long x = strtoll(db_text(st, 0), &end, 10);
    if (*end == 0) v = x;
  }
  db_done(st);
  return v;
}

void settings_load(db *d, acc_settings *s) {
  s->last_n = (int)setting_int(d, "accountability.last_n", 2);
  s->months = (int)setting_int(d, "accountability.months", 2);
  for (int i = 0; i < F_N; i++) {
    char key[64];
    snprintf(key, sizeof key, "assessment.weight.%s", factor_names[i]);
    s->weight[i] = (int)setting_int(d, key, factor_default[i]);
  }
}

json_t *settings_json(const acc_settings *s) {
  json_t *w = json_object();
  for (int i = 0; i < F_N; i++) json_object_set_new(w, factor_names[i], json_integer(s->weight[i]));
  return json_pack("{s:i, s:i, s:o}", "last_n", s->last_n, "months", s->months, "weights", w);
}

/* ---- accountability ----------------------------------------------------------- */

static const char *kind_label(int k) {
  static const char *const labels[] = {"征拆(亩)", "拆房(栋)", "投资(万元)", "项目(个)", "节点(个)"};
  return labels[k];
}

/* The same words in English (reasons_en, issue 20 #7): the kind with its
 * measure, the group, and a figure's number with an English measure. */
static const char *kind_label_en(int k) {
  static const char *const labels[] = {"Land (mu)", "Demolition (buildings)", "Investment (×10k yuan)", "Projects",
                                       "Nodes"};
  return labels[k];
}
static const char *const peer_group_en[] = {"town group", "department group", "HQ group"};
static const char *value_en(arena *a, int k, const char *zh) {
  static const char *const measure[] = {" mu", " buildings", " ×10k yuan", "", " nodes"};
  size_t n = strspn(zh, "0123456789.,-");
  return arena_printf(a, "%.*s%s", (int)n, zh, measure[k]);
}

static const char *ordinal_en(arena *a, int n) {
  const char *sfx = n % 100 >= 11 && n % 100 <= 13 ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
  return arena_printf(a, "%d%s", n, sfx);
}

static void add_entry(json_t *entries, const acc_unit *u, int g, const char *action, json_t *reasons, json_t *reasons_en,
                      json_t *figures) {
  static const char *const zh[] = {"约谈", "通报", "问责"};
  int a = strcmp(action, "interview") == 0 ? 0 : strcmp(action, "circulate") == 0 ? 1 : 2;
  json_array_append_new(entries, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "unit_id", (json_int_t)u->id,
                                           "unit_name", u->name, "group", peer_group_names[g], "action", action,
                                           "action_name", zh[a], "group_name", peer_group_zh[g], "reasons", reasons,
                                           "reasons_en", reasons_en, "figures", figures));
}

/* The list for a month, computed now from the current data. */
static json_t *entries_compute(db *d, arena *a, const roster *ro, const char *month, const acc_settings *s) {
  int m = s->months < 1 ? 1 : s->months;
  month_calc *hist = arena_alloc(a, (size_t)m * sizeof *hist);
  for (int i = 0; i < m; i++) {
    char mm[16];
    acc_month_add(month, i - (m - 1), mm);
    if (month_compute(d, a, ro, mm, &hist[i]) != 0) return NULL;
  }
  const month_calc *cur = &hist[m - 1];
  json_t *entries = json_array();
  int *histv = arena_alloc(a, (size_t)m * sizeof *histv);
  for (int g = 0; g < PG_N; g++) {
    int n = ro->gn[g];
    int *idx = arena_alloc(a, (size_t)(n + 1) * sizeof *idx);
    acc_display_order(cur->u[g], n, -1, idx);
    for (int j = 0; j < n; j++) {
      const acc_unit *u = &cur->u[g][idx[j]];
      /* 约谈: per kind, missed and in the last N */
      json_t *reasons = json_array(), *reasons_en = json_array(), *figures = json_array();
      for (int k = 0; k < TK_N; k++) {
        const acc_kind *c = &u->k[k];
        if (!acc_interview(c, s->last_n)) continue;
        int of = kind_size(cur->u[g], n, k);
        int tied = of - c->rank - c->behind > 0; /* someone else shares the rank */
        char ratio[32], tv[48], av[48];
        acc_bp_format(acc_ratio_bp(c->actual, c->target), ratio);
        acc_value_text(k, c->target, tv);
        acc_value_text(k, c->actual, av);
        json_array_append_new(reasons, json_string(arena_printf(
                                           a, "%s %s任务完成 %s%%（目标%s，完成%s），在%s%d个单位中排第%d名（倒数第%d%s）%s",
                                           month, kind_label(k), ratio, tv, av, peer_group_zh[g], of, c->rank,
                                           c->behind + 1, tied ? "，并列" : "",
                                           c->pending ? arena_printf(a, "；另有%d项已填报、待项目办确认，未计入", c->pending)
                                                      : "")));
        json_array_append_new(reasons_en,
                              json_string(arena_printf(
                                  a, "%s %s: %s%% of the task done (target %s, done %s), ranked %d of %d in the %s (%s%s)%s",
                                  month, kind_label_en(k), ratio, value_en(a, k, tv), value_en(a, k, av), c->rank, of,
                                  peer_group_en[g], c->behind ? arena_printf(a, "%s from last", ordinal_en(a, c->behind + 1)) : "last",
                                  tied ? ", tied" : "",
                                  c->pending ? arena_printf(a, "; %d more reported, not counted until the office confirms", c->pending)
                                             : "")));
        json_array_append_new(figures, json_pack("{s:s, s:s, s:o, s:o, s:s, s:i, s:i, s:i, s:i, s:i}", "month", month,
                                                 "kind", task_kind_names[k], "target", task_figure_json(k, c->target),
                                                 "actual", task_figure_json(k, c->actual), "ratio", ratio, "rank",
                                                 c->rank, "of", of, "from_last", c->behind + 1, "tasks", c->tasks,
                                                 "tasks_completed", c->done));
      }
      if (json_array_size(reasons)) add_entry(entries, u, g, "interview", reasons, reasons_en, figures);
      else {
        json_decref(reasons);
        json_decref(reasons_en);
        json_decref(figures);
      }
      /* 通报: missed each of the last M calendar months */
      for (int i = 0; i < m; i++) {
        const acc_unit *h = &hist[i].u[g][idx[j]];
        histv[i] = h->tasks == 0 ? -1 : h->done < h->tasks ? 1 : 0;
      }
      if (acc_circulate(histv, m, m)) {
        reasons = json_array();
        reasons_en = json_array();
        figures = json_array();
        json_array_append_new(reasons, json_string(arena_printf(a, "连续%d个月未完成月度攻坚任务", m)));
        json_array_append_new(reasons_en, json_string(arena_printf(a, "Monthly tasks missed %d months running", m)));
        for (int i = 0; i < m; i++) {
          const acc_unit *h = &hist[i].u[g][idx[j]];
          char score[32];
          acc_bp_format(h->score_bp, score);
          json_array_append_new(reasons, json_string(arena_printf(a, "%s 攻坚任务%d项，完成%d项，综合完成率%s%%",
                                                                  hist[i].month, h->tasks, h->done, score)));
          json_array_append_new(reasons_en, json_string(arena_printf(a, "%s: %d tasks, %d done, overall %s%%", hist[i].month,
                                                                     h->tasks, h->done, score)));
          json_array_append_new(figures, json_pack("{s:s, s:i, s:i, s:s}", "month", hist[i].month, "tasks", h->tasks,
                                                   "tasks_completed", h->done, "score", score));
        }
        add_entry(entries, u, g, "circulate", reasons, reasons_en, figures);
      }
    }
  }
  /* 问责: flagged by the office */
  db_stmt *st = db_query(d, "SELECT f.id, f.unit_id, f.reason, f.created_at FROM accountability_flags f WHERE f.month = ? ORDER BY f.id",
                         DBT(month));
  while (st && db_step(st) == DB_ROW) {
    const ranked_unit *ru = roster_find(ro, db_int(st, 1));
    if (!ru) continue;
    json_t *found = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e) {
      if (json_integer_value(json_object_get(e, "unit_id")) == ru->id &&
          strcmp(json_string_value(json_object_get(e, "action")), "discipline") == 0)
        found = e;
    }
    if (!found) {
      add_entry(entries, &cur->u[ru->group][ru->idx], ru->group, "discipline", json_array(), json_array(), json_array());
      found = json_array_get(entries, json_array_size(entries) - 1);
    }
    json_array_append_new(json_object_get(found, "reasons"), json_string(db_text(st, 2)));
    /* the office's own words, in the language it wrote them */
    json_array_append_new(json_object_get(found, "reasons_en"), json_string(db_text(st, 2)));
    json_array_append_new(json_object_get(found, "figures"),
                          json_pack("{s:I, s:s}", "flag_id", (json_int_t)db_int(st, 0), "flagged_at", db_text(st, 3)));
  }
  db_done(st);
  return entries;
}

static json_t *versions_json(db *d, const char *month) {
  json_t *arr = json_array();
  db_stmt *st = db_query(d,
                         "SELECT v.version, v.published_at, u.name, v.note FROM accountability_versions v LEFT JOIN users u "
                         "ON u.id = v.published_by WHERE v.month = ? ORDER BY v.version",
                         DBT(month));
  while (st && db_step(st) == DB_ROW)
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s?, s:s?}", "version", (json_int_t)db_int(st, 0), "published_at",
                                         db_text(st, 1), "published_by", db_text(st, 2), "note", db_text(st, 3)));
  db_done(st);
  return arr;
}

/* The stored snapshot of a version (NULL when none). */
static json_t *snapshot_load(db *d, const char *month, int64_t version, json_t **changes) {
  db_stmt *st = version ? db_query(d, "SELECT snapshot_json, changes_json FROM accountability_versions WHERE month = ? AND version = ?",
                                   DBT(month), DBI(version))
                        : db_query(d, "SELECT snapshot_json, changes_json FROM accountability_versions WHERE month = ? "
                                      "ORDER BY version DESC LIMIT 1",
                                   DBT(month));
  json_t *snap = NULL;
  if (st && db_step(st) == DB_ROW) {
    snap = json_loads(db_text(st, 0), 0, NULL);
    if (changes) *changes = db_text(st, 1) ? json_loads(db_text(st, 1), 0, NULL) : NULL;
  }
  db_done(st);
  return snap;
}

static json_t *entries_export_rows(json_t *entries) {
  json_t *rows = json_array();
  size_t i;
  json_t *e;
  json_array_foreach(entries, i, e) {
    json_t *o = json_deep_copy(e);
    json_array_append_new(rows, o);
  }
  return rows;
}

static void accountability_get(req *r) {
  const char *month = qmonth(r, "month");
  int64_t version = qint(r, "version", 1, 1000000, 0);
  if (has_errors(r)) return reply_invalid(r);
  if (!month) month = default_month(r);
  acc_settings s;
  roster ro;
  if (!roster_open(r, &s, &ro)) return;
  json_t *entries, *changes = NULL, *snap = NULL;
  if (version) {
    snap = snapshot_load(r->db, month, version, &changes);
    if (!snap) return reply_not_found(r, "该月的发布版本", "published version of that month");
    entries = json_incref(json_object_get(snap, "entries"));
  } else {
    entries = entries_compute(r->db, &r->a, &ro, month, &s);
    if (!entries) return reply_db_error(r, db_errcode(r->db));
  }
  scope_rows(r, &ro, entries);
  if (req_arg(r, "format")) {
    json_t *rows = entries_export_rows(entries);
    int done = reply_export(r, rows, arena_printf(&r->a, "%s 约谈通报问责名单", month),
                            "unit_name:单位,group_name:组别,action_name:处理,reasons:原因");
    json_decref(rows);
    if (done) {
      json_decref(entries);
      json_decref(snap);
      json_decref(changes);
      return;
    }
  }
  json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:s, s:I}", "month", month, "entries", entries, "versions",
                        versions_json(r->db, month), "settings", version ? json_incref(json_object_get(snap, "settings")) : settings_json(&s),
                        "tie_rule", TIE_RULE, "total", (json_int_t)json_array_size(entries));
  json_object_set(o, "items", entries); /* the list envelope tables read */
  json_object_set_new(o, "version", version ? json_integer(version) : json_null());
  json_object_set_new(o, "state", json_string(version ? "published" : "live"));
  if (version) {
    json_object_set_new(o, "published_at", json_incref(json_object_get(snap, "published_at")));
    json_object_set_new(o, "changes", changes ? changes : json_null());
  }
  json_decref(snap);
  reply_json(r, 200, o);
}

static const char *path_month(req *r) {
  int y, m;
  if (r->nparams < 1 || month_parse(r->params[0], &y, &m) != 0) {
    field_error(r, "month", "月份应为YYYY-MM", "month must be YYYY-MM");
    reply_invalid(r);
    return NULL;
  }
  return r->params[0];
}

static json_t *entry_key_find(json_t *entries, json_t *e) {
  size_t i;
  json_t *x;
  json_array_foreach(entries, i, x) {
    if (json_equal(json_object_get(x, "unit_id"), json_object_get(e, "unit_id")) &&
        json_equal(json_object_get(x, "action"), json_object_get(e, "action")))
      return x;
  }
  return NULL;
}

/* What changed from one published list to the next. */
static json_t *entries_diff(json_t *before, json_t *after) {
  json_t *added = json_array(), *removed = json_array(), *changed = json_array();
  size_t i;
  json_t *e;
  json_array_foreach(after, i, e) {
    json_t *old = entry_key_find(before, e);
    json_t *brief = json_pack("{s:O, s:O, s:O}", "unit_id", json_object_get(e, "unit_id"), "unit_name",
                              json_object_get(e, "unit_name"), "action", json_object_get(e, "action"));
    if (!old) {
      json_object_set(brief, "reasons", json_object_get(e, "reasons"));
      json_array_append_new(added, brief);
    } else if (!json_equal(json_object_get(old, "reasons"), json_object_get(e, "reasons"))) {
      json_object_set(brief, "before", json_object_get(old, "reasons"));
      json_object_set(brief, "after", json_object_get(e, "reasons"));
      json_array_append_new(changed, brief);
    } else {
      json_decref(brief);
    }
  }
  json_array_foreach(before, i, e) {
    if (!entry_key_find(after, e))
      json_array_append_new(removed, json_pack("{s:O, s:O, s:O, s:O}", "unit_id", json_object_get(e, "unit_id"),
                                               "unit_name", json_object_get(e, "unit_name"), "action",
                                               json_object_get(e, "action"), "reasons", json_object_get(e, "reasons")));
  }
  return json_pack("{s:o, s:o, s:o}", "added", added, "removed", removed, "changed", changed);
}

/* Freezes the month's list and rankings as its next version, inside the
 * caller's transaction; the caller writes the audit entry.  On success
 * fills *id, *version, *nentries and *changes (NULL for version 1; the
 * caller owns it) and returns DB_OK. */
static int publish_version(db *d, arena *a, const char *month, const char *note, int64_t user, const char *now,
                           int64_t *id, int64_t *version, json_int_t *nentries, json_t **changes) {
  acc_settings s;
  roster ro;
  *changes = NULL;
  settings_load(d, &s);
  if (roster_load(d, a, &ro) != 0) return db_errcode(d);
  json_t *entries = entries_compute(d, a, &ro, month, &s);
  json_t *groups = rankings_json(d, a, &ro, month, -1, s.last_n, NULL);
  if (!entries || !groups) {
    json_decref(entries);
    json_decref(groups);
    return DB_ERROR;
  }
  *nentries = (json_int_t)json_array_size(entries); /* the snapshot takes entries */
  *version = db_int1(d, 0, "SELECT COALESCE(MAX(version), 0) FROM accountability_versions WHERE month = ?", DBT(month)) + 1;
  if (*version > 1) {
    json_t *prev = snapshot_load(d, month, *version - 1, NULL);
    *changes = entries_diff(prev ? json_object_get(prev, "entries") : NULL, entries);
    json_decref(prev);
  }
  json_t *snap = json_pack("{s:s, s:I, s:s, s:s?, s:o, s:s, s:o, s:o}", "month", month, "version", (json_int_t)*version,
                           "published_at", now, "note", note, "settings", settings_json(&s), "tie_rule", TIE_RULE,
                           "rankings", groups, "entries", entries);
  char *snap_text = json_dumps(snap, JSON_COMPACT);
  char *changes_text = *changes ? json_dumps(*changes, JSON_COMPACT) : NULL;
  db_stmt *st = db_query(d,
                         "INSERT INTO accountability_versions (month, version, snapshot_json, changes_json, note, "
                         "published_by, published_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBT(month), DBI(*version), DBT(snap_text), DBT(changes_text), DBT(note), user ? DBI(user) : DBNULL,
                         DBT(now));
  *id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  free(snap_text);
  free(changes_text);
  json_decref(snap);
  return *id ? DB_OK : db_errcode(d);
}

static void accountability_publish(req *r) {
  static const char *const fields[] = {"note", NULL};
  const char *month = path_month(r);
  if (!month) return;
  json_t *in = r->body_len ? req_json(r, fields) : NULL;
  if (r->body_len && !in) return;
  const char *note = NULL;
  if (in) jstr(r, in, "note", 0, 500, &note);
  if (has_errors(r)) return reply_invalid(r);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  int64_t id = 0, version = 0;
  json_int_t nentries = 0;
  json_t *changes = NULL;
  rc = publish_version(r->db, &r->a, month, note, r->user.id, now, &id, &version, &nentries, &changes);
  json_t *after = json_pack("{s:s, s:I, s:I, s:O?}", "month", month, "version", (json_int_t)version, "entries",
                            nentries, "changes", changes);
  if (rc == DB_OK) rc = audit_log(r, "publish", "accountability", id, NULL, after);
  json_decref(after);
  commit_reply(r, rc, NULL,
               json_pack("{s:s, s:I, s:s, s:I, s:o}", "month", month, "version", (json_int_t)version, "published_at", now,
                         "entries", nentries, "changes", changes ? changes : json_null()),
               201);
}

/* The demo district has last month's list published by the project office,
 * so the public board (亮屏) shows something before anyone publishes. */
static int accountability_demo(db *d, FILE *log) {
  arena a;
  arena_init(&a);
  int y, m, dd;
  date_to_ymd(clock_today(), &y, &m, &dd);
  char this_month[16], last[16];
  snprintf(this_month, sizeof this_month, "%04d-%02d", y % 10000, m % 100);
  acc_month_add(this_month, -1, last);
  int64_t office = db_int1(d, 0, "SELECT id FROM users WHERE login = ?", DBT("office"));
  int64_t id = 0, version = 0;
  json_int_t nentries = 0;
  json_t *changes = NULL;
  int rc = publish_version(d, &a, last, "上月攻坚任务完成情况及约谈、通报名单", office, now_rfc3339(&a), &id, &version,
                           &nentries, &changes);
  json_decref(changes);
  if (rc == DB_OK) {
    json_t *after = json_pack("{s:s, s:I, s:I}", "month", last, "version", (json_int_t)version, "entries", nentries);
    audit_actor who = {0, "demo", "local"};
    rc = audit_write(d, &who, "publish", "accountability", id, NULL, after);
    json_decref(after);
  }
  if (rc == DB_OK && log) fprintf(log, "demo: accountability list of %s published (%d entries)\n", last, (int)nentries);
  arena_release(&a);
  return rc == DB_OK ? 0 : -1;
}

static void flag_create(req *r) {
  static const char *const fields[] = {"unit_id", "reason", NULL};
  const char *month = path_month(r);
  if (!month) return;
  json_t *in = req_json(r, fields);
  if (!in) return;
  int64_t unit_id = 0;
  const char *reason = NULL;
  if (jint(r, in, "unit_id", 1, 1, INT64_MAX, &unit_id) == JV_SET &&
      db_int1(r->db, 0, "SELECT COUNT(*) FROM units WHERE id = ? AND kind IN ('town', 'department', 'hq')", DBI(unit_id)) != 1)
    field_error(r, "unit_id", "单位不存在或不参加排名", "unknown unit, or a unit that is not ranked");
  if (jstr(r, in, "reason", 1, 1000, &reason) == JV_SET && strlen(reason) < 6)
    field_error(r, "reason", "请写明问责原因", "state the reason");
  if (has_errors(r)) return reply_invalid(r);
  const char *now = now_rfc3339(&r->a);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return reply_db_error(r, rc);
  db_stmt *st = db_query(r->db,
                         "INSERT INTO accountability_flags (month, unit_id, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                         DBT(month), DBI(unit_id), DBT(reason), DBI(r->user.id), DBT(now));
  int64_t id = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
  db_done(st);
  json_t *after = json_pack("{s:I, s:s, s:I, s:s, s:s}", "id", (json_int_t)id, "month", month, "unit_id",
                            (json_int_t)unit_id, "reason", reason, "created_at", now);
  rc = id ? audit_log(r, "create", "accountability_flag", id, NULL, after) : db_errcode(r->db);
  commit_reply(r, rc, NULL, after, 201);
}

static void flag_delete(req *r) {
  const char *month = path_month(r);
  if (!month) return;
  int64_t id = req_id(r, 1);
  if (!id) return;
  db_stmt *st = db_query(r->db, "SELECT unit_id, reason FROM accountability_flags WHERE id = ? AND month = ?", DBI(id), DBT(month));
  json_t *before = st && db_step(st) == DB_ROW
                       ? json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)id, "month", month, "unit_id",
                                   (json_int_t)db_int(st, 0), "reason", db_text(st, 1))
                       : NULL;
  db_done(st);
  if (!before) return reply_not_found(r, "问责标记", "flag");
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM accountability_flags WHERE id = ?", DBI(id));
  if (rc == DB_OK) rc = audit_log(r, "delete", "accountability_flag", id, before, NULL);
  commit_reply(r, rc, before, NULL, 204);
}

static void settings_get(req *r) {
  acc_settings s;
  settings_load(r->db, &s);
  json_t *o = settings_json(&s);
  json_object_set_new(o, "tie_rule", json_string(TIE_RULE));
  reply_json(r, 200, o);
}

static void settings_put(req *r) {
  static const char *const fields[] = {"last_n", "months", "weights", NULL};
  json_t *in = req_json(r, fields);
  if (!in) return;
  acc_settings s;
  settings_load(r->db, &s);
  acc_settings before = s;
  int64_t v;
  if (jint(r, in, "last_n", 0, 1, 20, &v) == JV_SET) s.last_n = (int)v;
  if (jint(r, in, "months", 0, 1, 12, &v) == JV_SET) s.months = (int)v;
  json_t *w = json_object_get(in, "weights");
  if (w && !json_is_object(w)) field_error(r, "weights", "应为对象", "must be an object");
  else if (w) {
    const char *key;
    json_t *x;
    int sum = 0;
    json_object_foreach(w, key, x) {
      int f = -1;
      for (int i = 0; factor_names[i]; i++)
        if (strcmp(key, factor_names[i]) == 0) f = i;
      const char *field = arena_printf(&r->a, "weights.%s", key);
      if (f < 0) field_error(r, field, "未知的考核因素", "unknown factor");
      else if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > 100)
        field_error(r, field, "权重应为0到100的整数", "a weight must be an integer 0–100");
      else s.weight[f] = (int)json_integer_value(x);
    }
    for (int i = 0; i < F_N; i++) sum += s.weight[i];
    if (!has_errors(r) && sum <= 0) field_error(r, "weights", "权重之和应大于0", "the weights must not all be 0");
  }
  if (has_errors(r)) return reply_invalid(r);
  int rc = db_begin(r->db);
  static const char *const upsert =
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
  char buf[32];
  snprintf(buf, sizeof buf, "%d", s.last_n);
  if (rc == DB_OK) rc = db_exec(r->db, upsert, DBT("accountability.last_n"), DBT(buf));
  snprintf(buf, sizeof buf, "%d", s.months);
  if (rc == DB_OK) rc = db_exec(r->db, upsert, DBT("accountability.months"), DBT(buf));
  for (int i = 0; rc == DB_OK && i < F_N; i++) {
    snprintf(buf, sizeof buf, "%d", s.weight[i]);
    rc = db_exec(r->db, upsert, DBT(arena_printf(&r->a, "assessment.weight.%s", factor_names[i])), DBT(buf));
  }
  json_t *bj = settings_json(&before), *aj = settings_json(&s);
  if (rc == DB_OK) rc = audit_log(r, "update", "accountability_settings", 0, bj, aj);
  commit_reply(r, rc, bj, aj, 200);
}

/* ---- the public board ------------------------------------------------------- */

static void public_board(req *r) {
  const char *month = qmonth(r, "month");
  if (has_errors(r)) return reply_invalid(r);
  json_t *months = json_array();
  db_stmt *st = db_query0(r->db, "SELECT DISTINCT month FROM accountability_versions ORDER BY month DESC");
  while (st && db_step(st) == DB_ROW) json_array_append_new(months, json_string(db_text(st, 0)));
  db_done(st);
  if (!month && json_array_size(months)) month = arena_strdup(&r->a, json_string_value(json_array_get(months, 0)));
  json_t *snap = month ? snapshot_load(r->db, month, 0, NULL) : NULL;
  json_t *o = json_pack("{s:s?, s:o, s:b}", "month", month, "months", months, "published", snap != NULL);
  if (snap) {
    /* the public sees the published words and figures, nothing else */
    static const char *const keep[] = {"version", "published_at", "tie_rule", "rankings", "entries", "settings"};
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
      json_object_set(o, keep[i], json_object_get(snap, keep[i]));
    json_decref(snap);
  } else {
    json_object_set_new(o, "rankings", json_array());
    json_object_set_new(o, "entries", json_array());
  }
  reply_json(r, 200, o);
}

static const route accountability_routes[] = {
    ROUTE("GET", "/api/v1/accountability", accountability_get, RANKING_READERS,
          "约谈通报问责名单 / The accountability list of a month (month, version)", 0, CACHE_NOT_PROBLEMS),
    ROUTE("GET", "/api/v1/accountability/settings", settings_get, RANKING_READERS, "问责与考核参数 / Rule and weight settings", 0),
    ROUTE("PUT", "/api/v1/accountability/settings", settings_put, ROLE_ADMIN, "修改问责与考核参数 / Change the settings", 0),
    /* Leaders sign off the month's rankings (PRODUCT.md): publishing is the
     * sign-off, by the office or by a leader. */
    ROUTE("POST", "/api/v1/accountability/{month}/publish", accountability_publish, ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER,
          "签发并发布名单（冻结为新版本） / Sign off and publish the list as a frozen version", 0),
    ROUTE("POST", "/api/v1/accountability/{month}/flags", flag_create, ROLE_ADMIN | ROLE_OFFICE,
          "标记问责 / Flag a unit for discipline", 0),
    ROUTE("DELETE", "/api/v1/accountability/{month}/flags/{id}", flag_delete, ROLE_ADMIN | ROLE_OFFICE,
          "撤销问责标记 / Remove a discipline flag", 0),
    ROUTE("GET", "/api/v1/public/board", public_board, ROLES_NONE, "亮屏：已发布的排名与名单 / Public board of published lists", 0, CACHE_ANY),
    {0},
};

static const module accountability_module = {"accountability", 61, accountability_routes, accountability_demo, NULL};
MODULE_REGISTER(accountability_module)
