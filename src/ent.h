/*
 * ent.h — enterprise services (企业服务): the registry of enterprises with
 * their 统一社会信用代码 (USCC), flags, yearly figures and service
 * commissioner; their requests 诉求 through the closed loop (loop.h); the
 * policy library whose machine-checkable conditions find the enterprises
 * that qualify (免申即享).
 *
 * The first half is pure logic (ent_rules.c, unit-tested in
 * tests/unit/test_ent_rules.c): the GB 32100-2015 check digit, the flags,
 * and the eligibility engine, three-valued: a condition holds, fails, or
 * cannot be decided from the registry (then the enterprise "needs
 * application" rather than being guessed in or out).  The second half is
 * what the files of the area (ent_registry.c, ent_policies.c,
 * ent_requests.c, ent_demo.c) and other areas (financing, the dispatch
 * agenda, gen) may call.
 *
 * Identity: each enterprise has its own unit (kind 'enterprise',
 * enterprises.unit_id, unique); a user of role enterprise in that unit is
 * the enterprise and sees only its own record.
 */
#ifndef GUATU_ENT_H
#define GUATU_ENT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "calendar.h"
#include "db.h"
#include "http.h"

/* ---- USCC, GB 32100-2015 (pure) ---- */

enum { ENT_USCC_OK = 0, ENT_USCC_LENGTH, ENT_USCC_CHAR, ENT_USCC_CHECK };
/* Normalises `in` (spaces trimmed, lowercase to capitals) into out and
 * checks it: 18 characters of 0-9 and the capitals without I O Z S V, the
 * last the check character of the first 17.  Returns ENT_USCC_*. */
int ent_uscc_check(const char *in, char out[19]);
/* The check character of 17 valid characters, or 0 when one is not valid. */
char ent_uscc_check_char(const char *first17);
/* A valid code for generated data: 9 (an enterprise) 1, the six-digit area,
 * nine characters from n, and the check character. */
void ent_uscc_make(uint64_t n, const char *area6, char out[19]);
const char *ent_uscc_why_zh(int outcome);
const char *ent_uscc_why_en(int outcome);

/* ---- flags (pure) ---- */

enum {
  ENT_F_ABOVE_SCALE = 1u << 0,  /* 规上 */
  ENT_F_HIGH_TECH = 1u << 1,    /* 高新技术企业 */
  ENT_F_TECH_SME = 1u << 2,     /* 科技型中小企业 */
  ENT_F_GAZELLE = 1u << 3,      /* 瞪羚 */
  ENT_F_LITTLE_GIANT = 1u << 4, /* 小巨人 */
  ENT_F_SPECIALIZED = 1u << 5,  /* 专精特新 */
};
extern const char *const ent_flag_names[];    /* above_scale … specialized, NULL */
extern const char *const ent_flag_names_zh[]; /* 规上 … 专精特新 */
/* The bit of one flag name, 0 when unknown. */
unsigned ent_flag_bit(const char *name);
/* "above_scale,high_tech" → bits; unknown names are skipped. */
unsigned ent_flags_parse(const char *csv);
/* Bits → "above_scale,high_tech" in the canonical order (buf ≥ 128). */
void ent_flags_format(unsigned flags, char *buf, size_t n);

/* ---- eligibility (pure) ---- */

enum { EC_FLAGS = 0, EC_REVENUE, EC_TAX, EC_EMPLOYEES, EC_CHAIN, EC_TOWN };
enum { EO_HAS = 0, EO_GE, EO_LE, EO_EQ, EO_IN };
extern const char *const ent_cond_fields[]; /* flags revenue tax employees chain town_unit_id, NULL */
extern const char *const ent_cond_ops[];    /* has >= <= = in, NULL */

#define ENT_COND_MAXV 32
/* One condition: `field op value`.  Numbers (money in fen, employees,
 * unit ids) in nums, texts (chain) in strs, flags as bits in `flags`
 * (has: all of them; in: any of them). */
typedef struct ent_cond {
  int field, op, n;
  int64_t nums[ENT_COND_MAXV];
  const char *strs[ENT_COND_MAXV];
  unsigned flags;
} ent_cond;

/* What the registry knows of an enterprise; unknown figures are -1, an
 * unknown chain NULL, an unknown town 0. */
typedef struct ent_facts {
  unsigned flags;
  int64_t revenue, tax, employees;
  const char *chain;
  int64_t town_unit_id;
} ent_facts;

enum { ENT_NO = 0, ENT_YES = 1, ENT_UNKNOWN = 2 };
/* One condition on one enterprise: ENT_YES, ENT_NO or ENT_UNKNOWN (the
 * fact it needs is not in the registry). */
int ent_cond_eval(const ent_cond *c, const ent_facts *f);
/* All conditions: ENT_NO when one fails, else ENT_UNKNOWN when one cannot
 * be decided ("needs application"), else ENT_YES. */
int ent_eligibility(const ent_cond *c, int n, const ent_facts *f);
/* 1 when `op` applies to `field` (has/in on flags, >= <= = on figures,
 * = in on chain and town). */
int ent_op_allowed(int field, int op);
extern const char *const ent_status_names[]; /* [ENT_NO]=NULL, [ENT_YES]="eligible", [ENT_UNKNOWN]="needs_application" */

/* Reads a JSON conditions array into c[0..max-1]: 0 and *n, or -1 with
 * the index of the bad condition, the field within it ("field", "op",
 * "value") and a bilingual reason.  Money values in any written form
 * (money_parse).  Strings point into `in`.  Pure (jansson only). */
typedef struct ent_cond_err {
  int index;
  const char *part, *zh, *en;
} ent_cond_err;
int ent_conds_read(const json_t *in, ent_cond *c, int max, int *n, ent_cond_err *err);
/* The canonical JSON of conditions (money as "5000000.00"); new ref. */
json_t *ent_conds_json(const ent_cond *c, int n);

/* ---- requests (pure) ---- */

extern const char *const ent_request_categories[];    /* labor financing land approval utilities policy other, NULL */
extern const char *const ent_request_categories_zh[]; /* 用工 融资 用地 审批 水电气 政策 其他 */
/* The default deadline of a category in working days. */
int ent_request_default_days(const char *category);
/* The request events (accept comment reply confirm reopen, NULL) on the
 * closed loop (loop.h): `confirm` is close then rate in one step (only
 * whoever raised it rates, once), the others the loop's own actions.
 * Returns a loop_verdict (LOOP_OK with *to set, LOOP_NOT_ACTOR,
 * LOOP_WRONG_STATE, LOOP_ALREADY_RATED); -1 for an unknown event. */
extern const char *const ent_request_events[];
int ent_request_step(int from, const char *event, unsigned actors, int rated, int *to);

/* ---- shared by the files of the area ---- */

/* Who reads the registry: everyone at work but banks and the public (a
 * unit user sees the enterprises of the towns in their scope, those they
 * serve as commissioner and those whose requests reach their units; an
 * enterprise its own). */
#define ENT_READERS (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT | ROLE_ENTERPRISE)
/* Appends the caller's data scope over enterprises aliased `e` (nothing
 * for those who read everything). */
void ent_scope_sql(req *r, strbuf *sql, db_val *args, int *n);
/* 1 when the caller may read enterprise `id` (the same scope, in SQL). */
int ent_can_read(req *r, int64_t id);
/* 1 when the caller is the enterprise itself (a user of its unit). */
int ent_is_self(req *r, int64_t id);
/* 1 when the caller is the enterprise's service commissioner. */
int ent_is_commissioner(req *r, int64_t id);
/* An enterprise with flags, figures per year and its latest figures;
 * contact name and phone masked unless `full`.  NULL when absent. */
json_t *ent_json(db *d, int64_t id, int full);
/* What the registry knows of every enterprise in the caller's scope (r;
 * NULL: every enterprise) or of one when only_id, for the eligibility
 * engine: calls fn for each with its id and name, by name.  Returns how
 * many, -1 on a database error. */
typedef void (*ent_facts_fn)(void *ctx, int64_t id, const char *name, const ent_facts *f);
int ent_facts_each(req *r, db *d, int64_t only_id, ent_facts_fn fn, void *ctx);

/* A registry record as read from input (ent_registry.c): strings point
 * into the request's JSON; figures per year (-1: not given; remove: the
 * year was null). */
#define ENT_MAX_YEARS 16
typedef struct ent_fig {
  int year, remove;
  int64_t revenue, tax, employees, rd;
} ent_fig;
typedef struct ent_in {
  const char *uscc, *name, *legal_rep, *contact_name, *contact_phone, *address, *industry, *chain;
  int64_t town_unit_id, commissioner_id, unit_id;
  unsigned flags;
  int has_flags;
  ent_fig figs[ENT_MAX_YEARS];
  int nfigs;
  char uscc_buf[19];
} ent_in;
/* Reads and checks the fields of `in` into e with field errors on r;
 * `self` is the record being changed (0 when creating; e then holds
 * nothing), its current values already in e. */
void ent_read(req *r, json_t *in, int64_t self, ent_in *e);
/* Inserts a checked record (its unit created unless e->unit_id) with its
 * figures, in the caller's transaction; the id, or 0 with the error on d. */
int64_t ent_insert(db *d, const ent_in *e, const char *now);

/* ---- for the other areas ---- */

/* `guatu gen` (gen.c): registry records for every enterprise unit, their
 * figures and requests, a dozen policies; inside the caller's transaction.
 * 0 or -1. */
int ent_gen(db *d, uint64_t seed, int32_t today, const calendar *cal, FILE *log);

/* The enterprise whose unit is unit_id, or 0. */
int64_t ent_id_of_unit(db *d, int64_t unit_id);
/* The unit of enterprise ent_id, or 0. */
int64_t ent_unit_of(db *d, int64_t ent_id);
/* A brief JSON of an enterprise {id, uscc, name, unit_id, town} (town: the
 * town's name or null), or NULL when absent.  New reference. */
json_t *ent_brief_json(db *d, int64_t ent_id);

/* Overdue requests for the dispatch agenda on `date` (YYYY-MM-DD): not
 * replied or closed, due before `date`.  Calls fn for each (id, the
 * enterprise's name, the department's name, due date, category zh) in
 * due order, at most `max`; returns how many, -1 on a database error. */
typedef void (*ent_overdue_fn)(void *ctx, int64_t id, const char *ent_name, const char *unit_name, const char *due,
                               const char *category_zh);
int ent_requests_overdue(db *d, const char *date, int max, ent_overdue_fn fn, void *ctx);
/* The escalation tick (ent_escalate.c): escalates the requests overdue on
 * `today` once per level — the timeline event, the notifications (the
 * department and its webhooks, the office; the leaders at level 2) and an
 * audit entry, one transaction per request.  Returns how many changed, -1
 * on a database error. */
int ent_requests_escalate(db *d, int32_t today);
/* Records the level reached on `today` without telling anyone, as if the
 * tick had run (the demo district).  DB_OK or an error code. */
int ent_requests_mark_escalated(db *d, int32_t today);

#endif
