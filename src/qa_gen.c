/*
 * qa_gen.c — the online questions of the benchmark dataset (`guatu gen`,
 * gen.c calls qa_gen once the units exist): in every county (the root at
 * district scale) the eight categories, coded "<county id>-<code>" since
 * service codes are unique in one database, each routed to the county's
 * department of that name (or its first one), and `per_county` questions
 * asked over the 180 days before `today`: the older ones closed with a
 * rating, the recent ones pending, open, accepted, replied or overdue, a
 * few rejected — so that the moderation queue, the inboxes, the public
 * list and Open311 have a realistic mix.  Deterministic for a seed.
 */
#include <stdio.h>
#include <string.h>

#include "escalation.h"
#include "qa.h"

static const struct {
  const char *code, *name, *dept;
  int deadline;
} gen_cats[] = {
    {"road", "道路交通", "交通运输局", 5},        {"city", "市容环卫", "城市管理和综合执法局", 3},
    {"environment", "生态环境", "生态环境局", 5}, {"housing", "住房物业", "住房和城乡建设局", 7},
    {"employment", "就业社保", "人力资源和社会保障局", 5}, {"market", "市场监管", "市场监督管理局", 5},
    {"business", "营商环境", "行政审批服务局", 5}, {"project", "重点项目", "发展和改革局", 5},
};
#define NCATS ((int)(sizeof gen_cats / sizeof gen_cats[0]))

static const char *const topics[] = {"路灯不亮", "道路破损", "噪声扰民", "垃圾清运不及时", "电梯故障", "工资拖欠", "社保转移",
                                     "食品安全", "办事流程咨询", "施工扬尘", "占道经营", "停车难", "物业收费", "污水外溢"};

/* A small deterministic generator (splitmix64). */
static uint64_t mix(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

int qa_gen(db *d, int32_t today, uint64_t seed, int per_county, const char *stamp) {
  /* the counties: districts under the root, or the root alone */
  int64_t counties[256];
  int nc = 0;
  db_stmt *st = db_query0(d, "SELECT id FROM units WHERE kind = 'district' AND parent_id IS NOT NULL ORDER BY id LIMIT 256");
  while (st && db_step(st) == DB_ROW) counties[nc++] = db_int(st, 0);
  db_done(st);
  if (!nc) {
    st = db_query0(d, "SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1");
    while (st && db_step(st) == DB_ROW) counties[nc++] = db_int(st, 0);
    db_done(st);
  }
  const calendar *cal = calendar_new_builtin();
  if (!cal) return -1;
  uint64_t s = seed ^ 0x51A0;
  int rc = DB_OK;
  char day[11], due[11], rep[11];
  for (int c = 0; rc == DB_OK && c < nc; c++) {
    int64_t cat[NCATS], unit[NCATS];
    for (int k = 0; rc == DB_OK && k < NCATS; k++) {
      char like[64], code[48];
      snprintf(like, sizeof like, "%%%s", gen_cats[k].dept);
      unit[k] = db_int1(d, 0, "SELECT id FROM units WHERE parent_id = ? AND kind = 'department' AND name LIKE ? ORDER BY id LIMIT 1",
                        DBI(counties[c]), DBT(like));
      if (!unit[k])
        unit[k] = db_int1(d, counties[c], "SELECT id FROM units WHERE parent_id = ? AND kind = 'department' ORDER BY id LIMIT 1",
                          DBI(counties[c]));
      snprintf(code, sizeof code, "%lld-%s", (long long)counties[c], gen_cats[k].code);
      st = db_query(d,
                    "INSERT INTO qa_categories (code, name, unit_id, deadline_days, sort_order, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    DBT(code), DBT(gen_cats[k].name), DBI(unit[k]), DBI(gen_cats[k].deadline), DBI(k * 10), DBT(stamp), DBT(stamp));
      cat[k] = st && db_step(st) == DB_ROW ? db_int(st, 0) : 0;
      db_done(st);
      if (!cat[k]) rc = db_errcode(d);
    }
    for (int i = 0; rc == DB_OK && i < per_county; i++) {
      uint64_t r = mix(&s);
      int k = (int)(r % NCATS), age = (int)((r >> 8) % 180), topic = (int)((r >> 20) % (sizeof topics / sizeof topics[0]));
      int32_t asked = today - age, opened = calendar_add_working_days(cal, asked, 1);
      if (opened > today) opened = today;
      int32_t dued = calendar_add_working_days(cal, opened, gen_cats[k].deadline);
      int late = (r >> 40) % 10 == 0; /* one in ten replied late, or still waiting past the deadline */
      int32_t replied = calendar_add_working_days(cal, opened, late ? gen_cats[k].deadline + 3 : (int)((r >> 44) % 4));
      const char *state;
      if ((r >> 32) % 25 == 0) state = "rejected";
      else if (age <= 1) state = "pending";
      else if (replied > today) state = (r >> 36) % 2 ? "open" : "accepted";
      else if (age < 10) state = "replied";
      else state = "closed";
      int moderated = strcmp(state, "pending") != 0 && strcmp(state, "rejected") != 0;
      /* overdue ones at the level reached, so that the tick has nothing to raise on the dataset's today */
      int level = (!strcmp(state, "open") || !strcmp(state, "accepted")) ? problem_escalation_level(cal, opened, gen_cats[k].deadline, today, 0) : 0;
      int has_reply = moderated && (!strcmp(state, "replied") || !strcmp(state, "closed"));
      date_format(asked, day);
      date_format(dued, due);
      date_format(replied, rep);
      unsigned char rnd[6];
      for (int b = 0; b < 6; b++) rnd[b] = (unsigned char)(mix(&s) >> 16);
      char code[24], title[96], text[256], at[32], rat[32];
      qa_tracking_code(asked, rnd, code, sizeof code);
      snprintf(title, sizeof title, "%s问题反映", topics[topic]);
      snprintf(text, sizeof text, "我家附近%s的情况持续了一段时间，希望有关部门尽快核实处理。（编号%d）", topics[topic], i + 1);
      snprintf(at, sizeof at, "%sT%02d:%02d:00.000Z", day, (int)((r >> 48) % 12), (int)((r >> 52) % 60));
      snprintf(rat, sizeof rat, "%sT08:00:00.000Z", rep);
      st = db_query(d,
                    "INSERT INTO questions (tracking_code, category_id, unit_id, title, body, public_body, phone, state, published, "
                    "moderation_note, asked_on, opened_on, opened_at, deadline_days, due_date, reply, replied_on, replied_at, rating, "
                    "closed_at, created_at, updated_at, escalation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    DBT(code), DBI(cat[k]), DBI(unit[k]), DBT(title), DBT(text), moderated ? DBT(text) : DBNULL,
                    DBT("13800000000"), DBT(state), DBI(moderated), strcmp(state, "rejected") ? DBNULL : DBT("内容重复"), DBT(day),
                    moderated ? DBT(day) : DBNULL, moderated ? DBT(at) : DBNULL, moderated ? DBI(gen_cats[k].deadline) : DBNULL,
                    moderated ? DBT(due) : DBNULL, has_reply ? DBT("您好！已核实处理，感谢您的反映。") : DBNULL,
                    has_reply ? DBT(rep) : DBNULL, has_reply ? DBT(rat) : DBNULL,
                    !strcmp(state, "closed") ? DBI(3 + (int)((r >> 56) % 3)) : DBNULL, !strcmp(state, "closed") ? DBT(rat) : DBNULL,
                    DBT(at), DBT(has_reply ? rat : at), DBI(level));
      rc = st && db_step(st) == DB_DONE ? DB_OK : db_errcode(d);
      db_done(st);
    }
  }
  calendar_free((calendar *)cal);
  return rc == DB_OK ? 0 : -1;
}
