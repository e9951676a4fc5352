/*
 * invest.h — the investment attraction area (招商引资): the pipeline of
 * leads (招商线索) kept by the attraction teams, their meetings and stage
 * history, the contract terms at signing, the project a signing makes in
 * the library, and the statistics with 履约率 and the targets per team.
 *
 * The first half is pure logic (invest_rules.c, unit-tested in
 * tests/unit/test_invest_rules.c): the stage machine with its guards, the
 * stage a signed lead shows from its project's real stage, whether a
 * contract's promised start was kept, and the rates as two-decimal strings.
 * The second half is what the other files of the area (invest_leads.c,
 * invest_sign.c, invest_stats.c, invest_demo.c) share.
 *
 * Stages: lead → negotiation 洽谈 → prereview 预审 → decision 决策 →
 * signed 签约 → registered 注册 → started 开工 → production 投产, or lost
 * (with its reason) from any stage before signing.  Forward one step at a
 * time; back (with a reason) only before signing; signed only through the
 * sign action; started and production follow the project's stage.
 */
#ifndef GUATU_INVEST_H
#define GUATU_INVEST_H

#include <stdint.h>

#include <jansson.h>

#include "http.h"

/* ---- the stage machine (pure) ---- */

enum { IS_LEAD = 0, IS_NEGOTIATION, IS_PREREVIEW, IS_DECISION, IS_SIGNED, IS_REGISTERED, IS_STARTED, IS_PRODUCTION, IS_LOST };

extern const char *const invest_stages[];    /* lead … production lost, NULL */
extern const char *const invest_stages_zh[]; /* 线索 洽谈 预审 决策 签约 注册 开工 投产 流失 */
extern const char *const invest_classes[];   /* fortune500 china500 private500 none, NULL */
extern const char *const invest_classes_zh[];
extern const char *const invest_meeting_kinds[];    /* negotiation prereview decision, NULL */
extern const char *const invest_meeting_kinds_zh[]; /* 洽谈 预审会 决策会 */

/* How a move is asked for: the stage action, the sign action. */
enum { IV_STAGE = 0, IV_SIGN };

/* Outcomes of invest_next: IR_OK, or why the move is refused.  IR_NO_REASON
 * is a field error (422), the others conflicts (409). */
enum { IR_OK = 0, IR_NO_REASON, IR_SAME, IR_SKIP, IR_CLOSED, IR_NEEDS_SIGN, IR_FOLLOWS_PROJECT, IR_NOT_DECIDED };

/* The transition table with its guards, from stage `from` to `to` (IS_*). */
int invest_next(int from, int to, int has_reason, int via);
const char *invest_why_zh(int outcome);
const char *invest_why_en(int outcome);

/* The stage a lead shows: a signed or registered lead whose project is
 * under construction or completed shows started, one whose project is in
 * production shows production.  project_stage: the index in
 * project_stages (reserve preparation construction completed production),
 * -1 without a project. */
int invest_effective_stage(int stored, int project_stage);

/* ---- 履约 (pure) ---- */

#define INVEST_NO_DAY INT32_MIN
enum { FU_NOT_DUE = 0, FU_KEPT, FU_LATE };
/* A contract's promised start against the project's actual start
 * (INVEST_NO_DAY when not started): kept when it started on or before the
 * promise; late when the promise has passed (before today) and it had not
 * started by then; not due otherwise. */
int invest_fulfilment(int32_t promised, int32_t started, int32_t today);
/* part / whole ×100 as "66.67" (half up); 0, or -1 when whole is 0. */
int invest_rate(int64_t part, int64_t whole, char buf[32]);
/* The first and last day of a year (quarter 0) or of its quarter 1..4. */
void invest_period(int year, int quarter, int32_t *from, int32_t *to);

/* ---- shared by the files of the area ---- */

/* Who reads leads: the office, leaders and unit staff (the teams). */
#define INVEST_READERS (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT)

/* " AND …" limiting `leads l` to what the user reads: all for admin,
 * office and leaders, else the leads of teams in the user's unit scope. */
void invest_scope_sql(req *r, strbuf *sql, db_val *args, int *n);
/* 1 when the user may change leads of this team. */
int invest_may_write(req *r, int64_t team_unit_id);
/* One lead as the API shows it, contacts masked unless `full`; with its
 * meetings and history when `detail`.  NULL when absent (no scope check). */
json_t *invest_lead_json(db *d, int64_t id, int full, int detail);
/* The SQL expression of a lead's effective stage over `leads l LEFT JOIN
 * projects p ON p.id = l.project_id`. */
#define INVEST_STAGE_SQL                                                                                         \
  "(CASE WHEN l.stage IN ('signed', 'registered') AND p.stage IN ('construction', 'completed') THEN 'started' " \
  "WHEN l.stage IN ('signed', 'registered') AND p.stage = 'production' THEN 'production' ELSE l.stage END)"
/* The project's actual start: its earliest start node's actual date. */
#define INVEST_STARTED_SQL "(SELECT MIN(n.actual_date) FROM nodes n WHERE n.project_id = l.project_id AND n.kind = 'start')"
/* Replies 404 unless the lead exists and is in the user's read scope;
 * returns its team unit id, or 0 after the reply. */
int64_t invest_lead_open(req *r, int64_t id);
/* The ETag of a JSON object with a version. */
void invest_etag(req *r, json_t *o);

/* ---- for `guatu gen` (invest_gen.c) ---- */

/* Derives the pipeline of a generated dataset from its projects (signed
 * leads for a third of the industrial projects under way, the reserve
 * projects as open or lost leads), in the caller's transaction; 0 or -1. */
int invest_gen(db *d, const char *at);

#endif
