/*
 * approval.h — the approval agency area (审批代办 / 拿地即开工): the
 * catalogue of approval items (事项库), each project's record of every item
 * it needs with its state and dates, the agency agreement (代办协议), the
 * statistics in working days and the overdue round that turns late items
 * into problems.
 *
 * The first half is pure logic (approval_rules.c, unit-tested in
 * tests/unit/test_approval_rules.c): the item state machine with its
 * guards, durations in working days, the figures of the statistics and the
 * critical path through prerequisites.  The second half is what the other
 * files of the area (approval_items.c, approval_records.c,
 * approval_stats.c, approval_demo.c) and other areas (dispatch agenda, gen)
 * may call.
 *
 * States: preparing → submitted → accepted → issued; a return (with its
 * reason) sends a submitted or accepted item back to preparing.  The
 * duration of an item counts the working days from its first submission to
 * its issue, returns included.
 */
#ifndef GUATU_APPROVAL_H
#define GUATU_APPROVAL_H

#include <stdint.h>

#include <jansson.h>

#include "calendar.h"
#include "db.h"
#include "http.h"

/* ---- the state machine (pure) ---- */

enum { AP_PREPARING = 0, AP_SUBMITTED, AP_ACCEPTED, AP_ISSUED };
enum { AE_SUBMIT = 0, AE_ACCEPT, AE_ISSUE, AE_RETURN };

extern const char *const approval_states[];    /* preparing submitted accepted issued, NULL */
extern const char *const approval_states_zh[]; /* 准备中 已提交 已受理 已办结 */
extern const char *const approval_event_types[]; /* submit accept issue return, NULL */

/* No previous event (a day no record can have). */
#define APPROVAL_NO_DAY INT32_MIN

typedef struct approval_step {
  int state;             /* AP_* now */
  int event;             /* AE_* */
  int32_t date;          /* the event's date */
  int32_t today;
  int32_t last_on;       /* the previous event's date, APPROVAL_NO_DAY when none */
  int has_reason;        /* a non-empty reason was given */
  int missing_prereqs;   /* submit: prerequisites not issued on or before `date` */
} approval_step;

/* Outcomes of approval_next: AR_OK, or why the event is refused.  The
 * first three are field errors (422), the last two conflicts (409). */
enum { AR_OK = 0, AR_FUTURE, AR_BEFORE_PREVIOUS, AR_NO_REASON, AR_WRONG_STATE, AR_PREREQ };

/* Applies the transition table and its guards; on AR_OK sets *next (AP_*).
 * Guards in order: the date is not after today, not before the previous
 * event, a return has a reason, the event is allowed in the state, and a
 * submission has every prerequisite issued. */
int approval_next(const approval_step *s, int *next);
/* The bilingual reason for an outcome: Chinese and English. */
const char *approval_why_zh(int outcome);
const char *approval_why_en(int outcome);
/* The field an outcome's error belongs to ("date", "reason", "type"). */
const char *approval_why_field(int outcome);

/* ---- durations (pure) ---- */

/* Working days from submission to issue (counting from the next working
 * day after `submitted`, as calendar_working_days_between), or -1 when
 * either day is APPROVAL_NO_DAY. */
int approval_working_days(const calendar *cal, int32_t submitted, int32_t issued);
/* The promised issue date: `promised` working days after the submission. */
int32_t approval_due(const calendar *cal, int32_t submitted, int promised);
/* 1 when a submitted item not yet issued is past its promised date today. */
int approval_overdue(const calendar *cal, int state, int32_t submitted, int promised, int32_t today);

/* ---- statistics (pure) ---- */

/* Per item or department: issued records, the sum of their working days,
 * of their statutory limits, and how many were within the promise. */
typedef struct approval_tally {
  int64_t count, sum_days, sum_statutory, within;
} approval_tally;
void approval_tally_add(approval_tally *t, int days, int statutory, int promised);
/* The mean in working days rounded to two decimals (0 when count is 0). */
double approval_mean(int64_t sum, int64_t count);
/* The median of n values (sorted in place); 0 when n is 0. */
double approval_median(int *days, int n);
/* within / count as "97.67"; "0.00" when count is 0. */
void approval_within_rate(const approval_tally *t, char buf[32]);
/* Time saved against the statutory limits: (Σstatutory − Σdays) / Σstatutory
 * as "60.00"; negative when slower than the law allows. */
void approval_saved_rate(const approval_tally *t, char buf[32]);

/* ---- the critical path (pure) ---- */

/* Items 0..n-1 with durations dur[i] ≥ 0 and prerequisite edges
 * edges[k] = {item, prerequisite}.  The longest chain of durations through
 * prerequisites: marks its items in on_path[i] (1/0) and returns its total,
 * or -1 when the prerequisites form a cycle (on_path all 0).  n ≤ 256. */
int approval_critical_path(int n, const int *dur, int nedges, const int (*edges)[2], int *on_path);

/* ---- shared by the files of the area ---- */

/* Who reads approvals: everyone at work (not the public, not banks). */
#define APPROVAL_READERS (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT | ROLE_ENTERPRISE)

/* A catalogue item with its prerequisites (prereq_ids, prereq_names), or NULL. */
json_t *approval_item_json(db *d, int64_t id);
/* Inserts a catalogue item (no prerequisites, no audit); its id or 0. */
int64_t approval_item_insert(db *d, const char *code, const char *name, int64_t unit_id, int statutory, int promised,
                             const char *group, const char *node_kind, int sort_order, const char *at);
/* A project's record of an item as the API shows it: the contract fields
 * (state, submitted_on, issued_on, working_days, statutory_days,
 * promised_days) and the item, project and department; with its timeline
 * when asked.  NULL when absent.  The caller checks scope. */
json_t *approval_json(db *d, const calendar *cal, int32_t today, int64_t id, int with_events);
/* Gives the project's open battle-map nodes of `node_kind` the actual date
 * `issued_on` (an approval node takes its date from the issued item). */
int approval_sync_node(db *d, int64_t project_id, const char *node_kind, const char *issued_on, const char *at);

/* ---- for the other areas ---- */

/* Raises a problem (category 审批, assigned to the issuing department) for
 * every submitted item not issued past its promised date as of `today`
 * that has none yet, each claimed with a conditional UPDATE in its own
 * transaction when own_tx (the tick; safe in several processes), else in
 * the caller's.  Returns how many were raised, -1 on a database error
 * without own_tx. */
int approvals_raise_overdue(db *d, int32_t today, int own_tx);

#endif
