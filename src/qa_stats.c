/*
 * qa_stats.c — per-department statistics of citizens' questions: how many
 * were routed to each department in a period, how many it replied to and
 * how many of those within the deadline (the on-time rate), the mean hours
 * from routing to reply, the askers' mean satisfaction and how many wait
 * past their deadline now.  The office and leaders see every department, a
 * department itself and its sub-units.  Also as a spreadsheet.
 *
 * GET /api/v1/qa-stats?from&to&format    (days the questions were routed, default this year)
 */
#include <math.h>
#include <string.h>

#include "auth.h"
#include "clock.h"
#include "http.h"
#include "qa.h"

typedef struct dept {
  int64_t unit_id;
  const char *name;
  int64_t count, replied, on_time, rated, rating_sum, overdue;
  double hours_sum;
} dept;

/* a / b × 100 with two decimals; 0 when b is 0 */
static double pct(int64_t a, int64_t b) { return b ? round((double)a * 10000.0 / (double)b) / 100.0 : 0; }
static double mean2(double sum, int64_t n) { return n ? round(sum * 100.0 / (double)n) / 100.0 : 0; }

/* GET /api/v1/qa-stats?from&to */
static void qa_stats(req *r) {
  const char *from = qdate(r, "from"), *to = qdate(r, "to");
  if (has_errors(r)) return reply_invalid(r);
  char today[11], jan1[11];
  int32_t t = clock_today();
  int y, m, d;
  date_to_ymd(t, &y, &m, &d);
  date_format(t, today);
  date_format(date_from_ymd(y, 1, 1), jan1);
  if (!from) from = jan1;
  if (!to) to = today;
  if (strcmp(from, to) > 0) {
    field_error(r, "to", "结束日期不能早于开始日期", "the end may not be before the start");
    return reply_invalid(r);
  }
  strbuf w = STRBUF_INIT;
  db_val args[8];
  int n = 0;
  args[n++] = DBT(from);
  args[n++] = DBT(to);
  sb_adds(&w, "WHERE q.opened_on >= ? AND q.opened_on <= ?");
  scope_filter(r, "q.unit_id", &w, args, &n);
  db_stmt *st = db_prepare(r->db,
                           arena_printf(&r->a,
                                        "SELECT q.unit_id, u.name, q.state, q.due_date, q.replied_on, q.opened_at, q.replied_at, "
                                        "q.rating FROM questions q JOIN units u ON u.id = q.unit_id %s ORDER BY u.name, q.unit_id",
                                        sb_str(&w)),
                           n, args);
  sb_release(&w);
  size_t cap = 64;
  int nd = 0;
  dept *v = arena_alloc(&r->a, sizeof *v * cap);
  while (st && db_step(st) == DB_ROW) {
    int64_t unit = db_int(st, 0);
    if (!nd || v[nd - 1].unit_id != unit) {
      if ((size_t)nd == cap) v = arena_grow(&r->a, v, (size_t)nd, &cap, sizeof *v);
      memset(&v[nd], 0, sizeof v[nd]);
      v[nd].unit_id = unit;
      v[nd].name = arena_strdup(&r->a, db_text(st, 1));
      nd++;
    }
    dept *e = &v[nd - 1];
    e->count++;
    int state = qa_index(qa_states, db_text(st, 2));
    const char *due = db_text(st, 3), *replied = db_text(st, 4);
    if (replied) {
      e->replied++;
      if (due && strcmp(replied, due) <= 0) e->on_time++;
      double h = qa_hours_between(db_text(st, 5), db_text(st, 6));
      if (h >= 0) e->hours_sum += h;
    } else if (qa_awaits_reply(state) && due && strcmp(due, today) < 0) {
      e->overdue++;
    }
    if (!db_isnull(st, 7)) {
      e->rated++;
      e->rating_sum += db_int(st, 7);
    }
  }
  int ok = st != NULL;
  db_done(st);
  if (!ok) return reply_db_error(r, db_errcode(r->db));
  json_t *items = json_array();
  dept all = {.name = "合计"};
  for (int i = 0; i < nd; i++) {
    dept *e = &v[i];
    all.count += e->count, all.replied += e->replied, all.on_time += e->on_time, all.rated += e->rated;
    all.rating_sum += e->rating_sum, all.overdue += e->overdue, all.hours_sum += e->hours_sum;
    json_array_append_new(items, json_pack("{s:I, s:s, s:I, s:I, s:I, s:f, s:f, s:I, s:f, s:I}", "unit_id", (json_int_t)e->unit_id,
                                           "unit_name", e->name, "count", (json_int_t)e->count, "replied", (json_int_t)e->replied,
                                           "on_time", (json_int_t)e->on_time, "on_time_rate", pct(e->on_time, e->replied),
                                           "mean_hours", mean2(e->hours_sum, e->replied), "rated", (json_int_t)e->rated,
                                           "satisfaction", mean2((double)e->rating_sum, e->rated), "overdue", (json_int_t)e->overdue));
  }
  const char *format = req_arg(r, "format");
  if (format && *format) {
    page pg = {1, 500, 0};
    return reply_list(r, items, nd, &pg);
  }
  json_t *total = json_pack("{s:I, s:I, s:I, s:f, s:f, s:I, s:f, s:I}", "count", (json_int_t)all.count, "replied",
                            (json_int_t)all.replied, "on_time", (json_int_t)all.on_time, "on_time_rate", pct(all.on_time, all.replied),
                            "mean_hours", mean2(all.hours_sum, all.replied), "rated", (json_int_t)all.rated, "satisfaction",
                            mean2((double)all.rating_sum, all.rated), "overdue", (json_int_t)all.overdue);
  reply_json(r, 200, json_pack("{s:s, s:s, s:o, s:o}", "from", from, "to", to, "items", items, "total", total));
}

static const route stats_routes[] = {
    ROUTE("GET", "/api/v1/qa-stats", qa_stats, QA_STAFF, "问政统计（各部门）/ Question statistics by department", 0, DOM_QUESTIONS),
    {0},
};

static const module qa_stats_module = {"qa_stats", 75, stats_routes, NULL, NULL, NULL};
MODULE_REGISTER(qa_stats_module)
