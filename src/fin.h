/*
 * fin.h — the financing area (银企对接 · 担保费补贴 · 贷款贴息 · 争资引项):
 * enterprises' financing needs with the banks' credit grants and loans,
 * the guarantee-fee and interest subsidies with their review, and the
 * funds-seeking ledger of projects packaged for upper-level money.
 *
 * Every record is keyed to the enterprise's unit (units.kind 'enterprise';
 * the enterprise registry links its records to that unit), banks are units
 * of kind 'bank' with users of role `bank`.
 *
 * The first half is pure (fin_rules.c, unit-tested in
 * tests/unit/test_fin_rules.c): the subsidy state machine with its guards,
 * the subsidy amount under the administrator's rule with its rounding, and
 * rates in hundredths of a percent.  The second half is shared by the
 * files of the area: fin_needs.c (needs, credits, loans, financing
 * statistics), fin_subsidies.c (rules, applications, review, payment),
 * fin_funds.c (fund applications, targets, statistics), fin_demo.c.
 */
#ifndef GUATU_FIN_H
#define GUATU_FIN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "db.h"
#include "http.h"
#include "arena.h"

/* ---- subsidies: the state machine (pure) ---- */

/* applied → approved → paid; applied → returned (with a reason) →
 * applied again when the enterprise resubmits. */
enum { FS_APPLIED = 0, FS_APPROVED, FS_RETURNED, FS_PAID, FS_COUNT };
enum { FE_APPROVE = 0, FE_RETURN, FE_RESUBMIT, FE_PAY, FE_COUNT };
extern const char *const fin_subsidy_states[];    /* applied approved returned paid, NULL */
extern const char *const fin_subsidy_states_zh[]; /* 待审核 已核准 已退回 已拨付 */
extern const char *const fin_subsidy_events[];    /* approve return resubmit pay, NULL */
extern const char *const fin_subsidy_kinds[];     /* guarantee interest, NULL */
extern const char *const fin_subsidy_kinds_zh[];  /* 担保费补贴 贷款贴息 */

#define FIN_NO_DAY INT32_MIN

typedef struct fin_step {
  int state, event;
  int32_t date;      /* the event's date */
  int32_t today;
  int32_t last_on;   /* the previous event's date, FIN_NO_DAY when none */
  int has_reason;    /* a return's reason was given */
  int64_t amount;    /* approve/pay: the amount (fen) */
  int64_t limit;     /* approve: the rule's amount; pay: the approved amount */
} fin_step;

enum { FR_OK = 0, FR_FUTURE, FR_BEFORE_PREVIOUS, FR_NO_REASON, FR_WRONG_STATE, FR_OVER_LIMIT, FR_PAY_MISMATCH };
/* The transition table and its guards, in order: the date is not after
 * today, not before the previous event, a return has its reason, the
 * event is allowed in the state, an approval is at most the rule's amount,
 * a payment is exactly the approved amount.  On FR_OK sets *next. */
int fin_subsidy_next(const fin_step *s, int *next);
const char *fin_why_zh(int outcome);
const char *fin_why_en(int outcome);
const char *fin_why_field(int outcome); /* "date", "reason", "event", "amount" */

/* ---- subsidies: the amount (pure) ---- */

/* The rule: share of the fee or interest in hundredths of a percent
 * (5000 = 50.00 %), and the cap per enterprise per year in fen (0: none).
 * The amount is base × share, rounded half up to the fen (四舍五入 to
 * 0.01 元: 0.5 fen and above goes up), then limited to what is left of the
 * cap after the enterprise's other approved or pending amounts of the
 * year (`used`), never below zero.  Exact for every base up to
 * MONEY_MAX_FEN. */
int64_t fin_subsidy_amount(int64_t base, int share_bp, int64_t cap, int64_t used);
/* base × share_bp / 10000 rounded half up, without the cap. */
int64_t fin_share_round(int64_t base, int share_bp);

/* ---- rates (pure) ---- */

/* A rate in percent with at most two decimals ("3.45", 3.45) as
 * hundredths of a percent, 0 ≤ rate ≤ max_bp.  0 or -1. */
int fin_rate_parse(const char *s, int max_bp, int *bp);
int fin_rate_from_double(double v, int max_bp, int *bp);
/* 345 → "3.45". */
void fin_rate_format(int bp, char buf[16]);

/* ---- shared by the files of the area ---- */

/* Who reads financing: the office, leaders, enterprises and banks. */
#define FIN_READERS (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_ENTERPRISE | ROLE_BANK)
/* Who reads funds seeking: everyone at work but banks and enterprises. */
#define FUND_READERS (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT)

extern const char *const fund_kinds[];    /* central_budget special_bond provincial_fund other, NULL */
extern const char *const fund_kinds_zh[]; /* 中央预算内投资 专项债 省级专项资金 其他 */

/* " AND …" limiting `fin_needs n` to the needs the user may read (a bank:
 * open ones and those it served; an enterprise: its own). */
void fin_need_scope_sql(req *r, strbuf *w, db_val *args, int *n);
/* " AND …" limiting credits or loans `x` (bank_unit_id,
 * enterprise_unit_id) to the user's: a bank its own, an enterprise those
 * on its needs. */
void fin_record_scope_sql(req *r, strbuf *w, db_val *args, int *n);
/* A rate in JSON (number or string) read into *bp with a field error. */
int jrate(req *r, json_t *o, const char *field, int required, int max_bp, int *bp);
/* Adds "rate": "3.45" from the integer column rate_bp of a row. */
void fin_rate_json(json_t *o, const char *bp_key, const char *key);
/* The ETag of an object with "version". */
void fin_etag(req *r, json_t *o);
/* 1 when the unit exists and has this kind. */
int fin_unit_is(db *d, int64_t unit_id, const char *kind);
/* Masks a phone ("138****5678") in place in o[key]. */
void fin_mask_phone(json_t *o, const char *key);

/* For the demo and gen: inserts without audit, returning the id or 0. */
int64_t fin_need_insert(db *d, int64_t ent_unit, int64_t amount, int term, const char *purpose, const char *collateral,
                        int rate_bp, const char *contact, const char *phone, const char *state, const char *at);
int64_t fin_credit_insert(db *d, int64_t need, int64_t bank, int64_t ent, int64_t amount, const char *on, int rate_bp,
                          const char *at);
int64_t fin_loan_insert(db *d, int64_t need, int64_t bank, int64_t ent, int64_t amount, const char *on, int term,
                        int rate_bp, const char *at);

/* The subsidy figures of a year the user may see: {guarantee:{count,
 * applied, approved, paid}, interest:{…}, enterprises} (money strings). */
json_t *fin_subsidy_totals(req *r, int year);
/* Inserts a subsidy rule (demo, gen): DB_OK or an error. */
int fin_rule_set(db *d, const char *kind, int share_bp, int64_t cap, const char *at);
/* Inserts an application in state `state` (demo, gen): its id or 0. */
int64_t fin_subsidy_insert(db *d, const char *kind, int64_t loan, int64_t ent, int year, const char *batch, int64_t base,
                           int share_bp, int64_t applied, const char *applied_on, const char *at);

/* `guatu gen`'s financing part (fin_gen.c): needs, credit, loans,
 * subsidies and fund applications for the generated units and projects,
 * in the caller's transaction.  DB_OK or an error code. */
int fin_gen(db *d, uint64_t seed, int32_t today, const char *stamp);

#endif
