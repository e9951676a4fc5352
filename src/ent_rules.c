/*
 * ent_rules.c — the pure rules of enterprise services (ent.h): the
 * GB 32100-2015 check digit of the 统一社会信用代码, the enterprise flags,
 * the eligibility engine of the policy library and the request categories
 * with their default deadlines.  No database, no request: unit-tested in
 * tests/unit/test_ent_rules.c.
 *
 * Eligibility is three-valued.  A condition is decided from the registry
 * when the fact it reads is known (flags always are; figures are those of
 * the latest year with figures, unknown when none or the column is empty;
 * chain and town unknown when not recorded).  An enterprise is eligible
 * when every condition holds, out when one fails, and "needs application"
 * when none fails but one cannot be decided — never guessed either way.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ent.h"
#include "http.h"
#include "loop.h"
#include "money.h"

/* ---- USCC ---- */

/* The 31 characters of GB 32100-2015, in value order (no I O Z S V). */
static const char uscc_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/* The weights of positions 1–17: 3^(i-1) mod 31. */
static const int uscc_weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int uscc_value(char c) {
  const char *p = c ? strchr(uscc_chars, c) : NULL;
  return p ? (int)(p - uscc_chars) : -1;
}

char ent_uscc_check_char(const char *first17) {
  int sum = 0;
  for (int i = 0; i < 17; i++) {
    int v = uscc_value(first17[i]);
    if (v < 0) return 0;
    sum += v * uscc_weights[i];
  }
  int c = 31 - sum % 31;
  return uscc_chars[c == 31 ? 0 : c];
}

int ent_uscc_check(const char *in, char out[19]) {
  out[0] = 0;
  if (!in) return ENT_USCC_LENGTH;
  while (*in == ' ') in++;
  size_t n = strlen(in);
  while (n && in[n - 1] == ' ') n--;
  if (n != 18) return ENT_USCC_LENGTH;
  for (size_t i = 0; i < 18; i++) out[i] = (char)toupper((unsigned char)in[i]);
  out[18] = 0;
  for (int i = 0; i < 18; i++)
    if (uscc_value(out[i]) < 0) return ENT_USCC_CHAR;
  return ent_uscc_check_char(out) == out[17] ? ENT_USCC_OK : ENT_USCC_CHECK;
}

void ent_uscc_make(uint64_t n, const char *area6, char out[19]) {
  memcpy(out, "91", 2);
  memcpy(out + 2, area6, 6);
  uint64_t x = n * 2654435761u + 7u;
  for (int i = 8; i < 17; i++) {
    out[i] = uscc_chars[x % 31];
    x = x / 31 + (uint64_t)i * 97u;
  }
  out[17] = ent_uscc_check_char(out);
  out[18] = 0;
}

const char *ent_uscc_why_zh(int outcome) {
  switch (outcome) {
  case ENT_USCC_LENGTH: return "统一社会信用代码应为18位";
  case ENT_USCC_CHAR: return "统一社会信用代码只能含数字和大写字母（不含I、O、Z、S、V）";
  case ENT_USCC_CHECK: return "统一社会信用代码校验位不正确";
  default: return "";
  }
}
const char *ent_uscc_why_en(int outcome) {
  switch (outcome) {
  case ENT_USCC_LENGTH: return "the unified social credit code has 18 characters";
  case ENT_USCC_CHAR: return "the unified social credit code holds digits and capitals except I, O, Z, S and V";
  case ENT_USCC_CHECK: return "the check character of the unified social credit code is wrong";
  default: return "";
  }
}

/* ---- flags ---- */

const char *const ent_flag_names[] = {"above_scale", "high_tech", "tech_sme", "gazelle", "little_giant", "specialized", NULL};
const char *const ent_flag_names_zh[] = {"规上", "高新技术企业", "科技型中小企业", "瞪羚", "小巨人", "专精特新", NULL};

unsigned ent_flag_bit(const char *name) {
  for (int i = 0; name && ent_flag_names[i]; i++)
    if (strcmp(name, ent_flag_names[i]) == 0) return 1u << i;
  return 0;
}

unsigned ent_flags_parse(const char *csv) {
  unsigned bits = 0;
  while (csv && *csv) {
    const char *e = strchr(csv, ',');
    size_t len = e ? (size_t)(e - csv) : strlen(csv);
    for (int i = 0; ent_flag_names[i]; i++)
      if (strlen(ent_flag_names[i]) == len && strncmp(csv, ent_flag_names[i], len) == 0) bits |= 1u << i;
    csv = e ? e + 1 : NULL;
  }
  return bits;
}

void ent_flags_format(unsigned flags, char *buf, size_t n) {
  size_t at = 0;
  buf[0] = 0;
  for (int i = 0; ent_flag_names[i]; i++) {
    if (!(flags & (1u << i))) continue;
    int w = snprintf(buf + at, n - at, "%s%s", at ? "," : "", ent_flag_names[i]);
    if (w < 0 || (size_t)w >= n - at) break;
    at += (size_t)w;
  }
}

/* ---- eligibility ---- */

const char *const ent_cond_fields[] = {"flags", "revenue", "tax", "employees", "chain", "town_unit_id", NULL};
const char *const ent_cond_ops[] = {"has", ">=", "<=", "=", "in", NULL};
const char *const ent_status_names[] = {NULL, "eligible", "needs_application"};

int ent_op_allowed(int field, int op) {
  switch (field) {
  case EC_FLAGS: return op == EO_HAS || op == EO_IN;
  case EC_REVENUE:
  case EC_TAX:
  case EC_EMPLOYEES: return op == EO_GE || op == EO_LE || op == EO_EQ || op == EO_IN;
  case EC_CHAIN:
  case EC_TOWN: return op == EO_EQ || op == EO_IN;
  default: return 0;
  }
}

static int cmp_num(int op, int64_t have, const ent_cond *c) {
  if (have < 0) return ENT_UNKNOWN;
  switch (op) {
  case EO_GE: return have >= c->nums[0];
  case EO_LE: return have <= c->nums[0];
  case EO_EQ: return have == c->nums[0];
  case EO_IN:
    for (int i = 0; i < c->n; i++)
      if (have == c->nums[i]) return ENT_YES;
    return ENT_NO;
  default: return ENT_NO;
  }
}

int ent_cond_eval(const ent_cond *c, const ent_facts *f) {
  switch (c->field) {
  case EC_FLAGS:
    if (c->op == EO_HAS) return (f->flags & c->flags) == c->flags ? ENT_YES : ENT_NO;
    return (f->flags & c->flags) ? ENT_YES : ENT_NO;
  case EC_REVENUE: return cmp_num(c->op, f->revenue, c);
  case EC_TAX: return cmp_num(c->op, f->tax, c);
  case EC_EMPLOYEES: return cmp_num(c->op, f->employees, c);
  case EC_TOWN: return cmp_num(c->op, f->town_unit_id > 0 ? f->town_unit_id : -1, c);
  case EC_CHAIN:
    if (!f->chain || !*f->chain) return ENT_UNKNOWN;
    for (int i = 0; i < c->n; i++)
      if (c->strs[i] && strcmp(c->strs[i], f->chain) == 0) return ENT_YES;
    return ENT_NO;
  default: return ENT_NO;
  }
}

int ent_eligibility(const ent_cond *c, int n, const ent_facts *f) {
  int unknown = 0;
  for (int i = 0; i < n; i++) {
    int v = ent_cond_eval(&c[i], f);
    if (v == ENT_NO) return ENT_NO;
    if (v == ENT_UNKNOWN) unknown = 1;
  }
  return unknown ? ENT_UNKNOWN : ENT_YES;
}

static int index_of(const char *const *names, const char *s) {
  for (int i = 0; s && names[i]; i++)
    if (strcmp(names[i], s) == 0) return i;
  return -1;
}

static int cond_err(ent_cond_err *err, int index, const char *part, const char *zh, const char *en) {
  err->index = index;
  err->part = part;
  err->zh = zh;
  err->en = en;
  return -1;
}

/* One value of a condition into c at position k. */
static int read_value(const json_t *v, ent_cond *c, int k, const char **zh, const char **en) {
  switch (c->field) {
  case EC_FLAGS: {
    unsigned b = json_is_string(v) ? ent_flag_bit(json_string_value(v)) : 0;
    if (!b) {
      *zh = "未知的企业标志（可选：above_scale、high_tech、tech_sme、gazelle、little_giant、specialized）";
      *en = "unknown flag (one of above_scale, high_tech, tech_sme, gazelle, little_giant, specialized)";
      return -1;
    }
    c->flags |= b;
    return 0;
  }
  case EC_REVENUE:
  case EC_TAX:
    return json_money_read(v, &c->nums[k], zh, en);
  case EC_EMPLOYEES:
  case EC_TOWN:
    if (!json_is_integer(v) || json_integer_value(v) < (c->field == EC_TOWN ? 1 : 0)) {
      *zh = c->field == EC_TOWN ? "应为单位编号" : "应为非负整数";
      *en = c->field == EC_TOWN ? "must be a unit id" : "must be a whole number ≥ 0";
      return -1;
    }
    c->nums[k] = json_integer_value(v);
    return 0;
  case EC_CHAIN:
    if (!json_is_string(v) || !*json_string_value(v)) {
      *zh = "应为产业链名称";
      *en = "must be the name of an industry chain";
      return -1;
    }
    c->strs[k] = json_string_value(v);
    return 0;
  default: return -1;
  }
}

int ent_conds_read(const json_t *in, ent_cond *c, int max, int *n, ent_cond_err *err) {
  *n = 0;
  if (!json_is_array(in)) return cond_err(err, -1, NULL, "应为条件数组", "must be an array of conditions");
  if ((int)json_array_size(in) > max)
    return cond_err(err, -1, NULL, "条件过多", "too many conditions");
  size_t i;
  const json_t *o;
  json_array_foreach(in, i, o) {
    int ix = (int)i;
    ent_cond *x = &c[ix];
    memset(x, 0, sizeof *x);
    if (!json_is_object(o) || json_object_size(o) != 3 || !json_object_get(o, "field") || !json_object_get(o, "op") ||
        !json_object_get(o, "value"))
      return cond_err(err, ix, NULL, "每个条件应为 {field, op, value}", "each condition is {field, op, value}");
    x->field = index_of(ent_cond_fields, json_string_value(json_object_get(o, "field")));
    if (x->field < 0)
      return cond_err(err, ix, "field", "条件字段应为 flags、revenue、tax、employees、chain 或 town_unit_id",
                      "field must be flags, revenue, tax, employees, chain or town_unit_id");
    x->op = index_of(ent_cond_ops, json_string_value(json_object_get(o, "op")));
    if (x->op < 0) return cond_err(err, ix, "op", "运算应为 has、>=、<=、= 或 in", "op must be has, >=, <=, = or in");
    if (!ent_op_allowed(x->field, x->op))
      return cond_err(err, ix, "op", "该字段不能使用此运算", "this op does not apply to the field");
    const json_t *v = json_object_get(o, "value");
    const char *zh = NULL, *en = NULL;
    if (x->op == EO_IN || (x->field == EC_FLAGS && json_is_array(v))) {
      if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > ENT_COND_MAXV)
        return cond_err(err, ix, "value", "应为非空数组（最多32项）", "must be a non-empty array (at most 32 values)");
      size_t k;
      const json_t *e;
      json_array_foreach(v, k, e) {
        if (read_value(e, x, (int)k, &zh, &en) != 0) return cond_err(err, ix, "value", zh, en);
      }
      x->n = (int)json_array_size(v);
    } else {
      if (read_value(v, x, 0, &zh, &en) != 0) return cond_err(err, ix, "value", zh, en);
      x->n = 1;
    }
    (*n)++;
  }
  return 0;
}

static json_t *value_json(const ent_cond *c, int k) {
  switch (c->field) {
  case EC_REVENUE:
  case EC_TAX: return json_money(c->nums[k]);
  case EC_CHAIN: return json_string(c->strs[k]);
  default: return json_integer(c->nums[k]);
  }
}

json_t *ent_conds_json(const ent_cond *c, int n) {
  json_t *a = json_array();
  for (int i = 0; i < n; i++) {
    json_t *v;
    if (c[i].field == EC_FLAGS) {
      json_t *fl = json_array();
      for (int k = 0; ent_flag_names[k]; k++)
        if (c[i].flags & (1u << k)) json_array_append_new(fl, json_string(ent_flag_names[k]));
      if (c[i].op == EO_HAS && json_array_size(fl) == 1) {
        v = json_incref(json_array_get(fl, 0));
        json_decref(fl);
      } else {
        v = fl;
      }
    } else if (c[i].op == EO_IN) {
      v = json_array();
      for (int k = 0; k < c[i].n; k++) json_array_append_new(v, value_json(&c[i], k));
    } else {
      v = value_json(&c[i], 0);
    }
    json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "field", ent_cond_fields[c[i].field], "op", ent_cond_ops[c[i].op], "value", v));
  }
  return a;
}

/* ---- requests ---- */

const char *const ent_request_categories[] = {"labor", "financing", "land", "approval", "utilities", "policy", "other", NULL};
const char *const ent_request_categories_zh[] = {"用工", "融资", "用地", "审批", "水电气", "政策", "其他", NULL};
static const int category_days[] = {5, 10, 15, 5, 3, 5, 5};

int ent_request_default_days(const char *category) {
  int i = index_of(ent_request_categories, category);
  return i < 0 ? 5 : category_days[i];
}

const char *const ent_request_events[] = {"accept", "comment", "reply", "confirm", "reopen", NULL};

int ent_request_step(int from, const char *event, unsigned actors, int rated, int *to) {
  if (index_of(ent_request_events, event) < 0) return -1;
  int confirm = strcmp(event, "confirm") == 0;
  loop_state next = (loop_state)from;
  loop_verdict v = loop_step((loop_state)from, confirm ? LOOP_CLOSE : loop_action_parse(event), actors, rated, &next);
  /* confirm = close, then rate: only whoever raised it rates */
  if (v == LOOP_OK && confirm) v = loop_step(next, LOOP_RATE, actors, rated, NULL);
  if (v == LOOP_OK && to) *to = (int)next;
  return (int)v;
}
