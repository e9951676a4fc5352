/*
 * qa.h — online questions from citizens (网络问政 · 马上就办) and the
 * Open311 GeoReport v2 API over them.
 *
 * A citizen asks (no login): category, title, text, optional location,
 * photo link and contact phone.  Every question is moderated before it is
 * published (pending → open, or rejected): the moderation rules flag
 * personal data in the text (ID numbers, phones) and spam, and can redact
 * the published text.  An open question is routed to its category's
 * department with a deadline in working days; the department replies, the
 * reply is published with the question, the asker rates it (closed) or
 * reopens it.  Overdue questions escalate like problems and go on the
 * dispatch agenda.
 *
 * The first half is pure (qa_rules.c, unit-tested in
 * tests/unit/test_qa_rules.c): the transition table with its guards, the
 * moderation patterns, redaction and masking, tracking codes, Open311
 * times.  The second half is what the area's files (qa_questions.c,
 * qa_public.c, qa_categories.c, qa_stats.c, qa_keys.c, open311.c,
 * qa_demo.c) and other areas (the dispatch agenda) share.
 */
#ifndef GUATU_QA_H
#define GUATU_QA_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "arena.h"
#include "calendar.h"
#include "db.h"
#include "http.h"

/* ---- the workflow (pure) ----
 * Moderation is the question's own prelude (pending → open, or rejected);
 * from open on, a question follows the shared closed loop (loop.h): the
 * department accepts, works (comment), replies; the asker closes it with a
 * rating or reopens it.  The office may act for the department (as the
 * 12345 centre answers directly) and oversees closing and reopening. */

enum {
  QS_PENDING = 0, QS_REJECTED, QS_OPEN, QS_ACCEPTED, QS_IN_PROGRESS, QS_REPLIED, QS_CLOSED, QS_REOPENED, QS_COUNT
};
enum { QA_APPROVE = 0, QA_REJECT, QA_ACCEPT, QA_REPLY, QA_CLOSE, QA_RATE, QA_REOPEN, QA_COMMENT, QA_ACTION_COUNT };
/* Who acts: the project office (moderation, closing), the department the
 * question is routed to, the asker (by the tracking code). */
enum { QACT_OFFICE = 1, QACT_HANDLER = 2, QACT_ASKER = 4 };

/* pending rejected, then loop.h's states: open accepted in_progress replied closed reopened; NULL */
extern const char *const qa_states[];
extern const char *const qa_actions[]; /* approve reject accept reply close rate reopen comment, NULL */
/* The Chinese name of a state (待审核 未通过, then loop_state_zh's). */
const char *qa_state_zh(int state);

/* The index of a name in a NULL-terminated list, or -1. */
int qa_index(const char *const *names, const char *s);

typedef struct qa_step {
  int state;    /* QS_* now */
  int action;   /* QA_* */
  int actor;    /* QACT_* bits */
  int has_text; /* a non-empty note / reply / reason was given */
  int rating;   /* rate: 1..5; 0 when not given */
  int rated;    /* the asker has rated already */
} qa_step;

/* Outcomes of qa_next: QR_OK or why refused.  QR_WRONG_STATE and QR_RATED
 * are conflicts (409), QR_ACTOR a refusal (403), the rest field errors (422). */
enum { QR_OK = 0, QR_WRONG_STATE, QR_ACTOR, QR_NO_TEXT, QR_RATING, QR_RATED };

/* Decides one step; on QR_OK sets *next.  approve/reject: the office, on a
 * pending question (reject with its reason).  The rest: loop_step (loop.h)
 * with the office as LOOP_OFFICE and LOOP_HANDLER, the department as
 * LOOP_HANDLER and the asker as LOOP_RAISER; then reply, reopen and comment
 * need their text and rate a rating of 1 to 5. */
int qa_next(const qa_step *s, int *next);
const char *qa_why_zh(int outcome);
const char *qa_why_en(int outcome);
/* The field an outcome's error belongs to ("note", "rating", "action"). */
const char *qa_why_field(int outcome);
/* 1 when the state waits for the department (open, accepted, in_progress, reopened). */
int qa_awaits_reply(int state);
/* The Open311 status of a state: "closed" for closed and rejected, else "open". */
const char *qa_open311_status(int state);

/* ---- moderation (pure) ---- */

enum {
  QF_ID_NUMBER = 1 << 0, /* an 18-character resident ID number */
  QF_PHONE = 1 << 1,     /* a mobile or landline number */
  QF_LINK = 1 << 2,      /* a web address */
  QF_SPAM_WORDS = 1 << 3,/* advertising words (代开发票, 加微信 …) */
  QF_REPEATED = 1 << 4,  /* one character repeated 8 times or more */
};
/* The findings in a text (QF_* bits). */
unsigned qa_moderate(const char *text);
/* The findings as "id_number,phone" (empty when none), into buf. */
void qa_flags_format(unsigned flags, char *buf, size_t n);
/* A copy of `text` in the arena with ID numbers and phone numbers masked
 * as land does ("430203********1234", "138****5678"). */
char *qa_redact(arena *a, const char *text);
/* "138****5678" (11 digits), "****1234" (longer than 4), "****" otherwise. */
void qa_mask_phone(const char *s, char *buf, size_t n);
/* 1 for an 11-digit mobile (1[3-9]…) or a landline starting with 0 (7–12
 * digits, '-' allowed). */
int qa_phone_ok(const char *s);

/* ---- numbers and times (pure) ---- */

/* "Q20261118-" followed by 6 characters of 32 (no 0/O/1/I) taken from `rnd`
 * (6 random bytes), into buf (≥ 20). */
void qa_tracking_code(int32_t day, const unsigned char rnd[6], char *buf, size_t n);
/* 1 when s has the form of a tracking code (with a "-district" suffix when
 * guatu copy renamed one that clashed). */
int qa_tracking_code_ok(const char *s);
/* RFC 3339 UTC ("2026-11-18T05:06:07.123Z") as ISO 8601 in China time with
 * its offset ("2026-11-18T13:06:07+08:00"); NULL when s is not such a time. */
const char *qa_iso8601_cst(arena *a, const char *utc);
/* ISO 8601 with any offset (or Z, or a bare date) as Unix seconds; -1 when bad. */
int64_t qa_iso8601_parse(const char *s);
/* Whole hours between two RFC 3339 UTC times, as a double (b − a); -1 when bad. */
double qa_hours_between(const char *a, const char *b);

/* ---- shared by the files of the area ---- */

/* Who reads the staff side: everyone at work but enterprises and banks. */
#define QA_STAFF (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT)
/* Anonymous questions accepted from one address per hour. */
#define QA_PER_IP_HOUR 5

/* A question as staff see it (phone masked unless `reveal`), with its
 * events when asked; NULL when absent.  The caller checks scope. */
json_t *qa_question_json(db *d, arena *a, const calendar *cal, int32_t today, int64_t id, int reveal, int with_events);
/* A question as the public sees it: no phone, no address identifier, the
 * published text; by tracking code.  NULL when absent. */
json_t *qa_public_json(db *d, arena *a, const char *code, int owner);

typedef struct qa_new {
  const char *category_code, *title, *body, *address, *address_id, *phone, *media_url, *attributes, *source, *ip;
  int has_location;
  double lat, lng;
  int64_t api_key_id;
} qa_new;
/* Inserts a question (pending, flagged by the moderation rules) with its
 * "ask" event; fills code (≥ 20) and returns the id, or 0 (db_errcode).
 * In the caller's transaction; the caller audits. */
int64_t qa_insert(db *d, arena *a, const qa_new *q, char *code, size_t n);
/* Questions asked from `ip` (or with key `key_id` when ip is NULL) in the
 * last hour. */
int64_t qa_recent_count(db *d, arena *a, const char *ip, int64_t key_id);

/* ---- for the other areas ---- */

typedef struct qa_overdue {
  int64_t id;
  const char *code, *title, *unit, *due_date, *asked_on;
  int level; /* ESC_LEADER / ESC_COMMANDER (escalation.h), 0 when only overdue */
} qa_overdue;
/* Questions waiting for a reply past their due date on `date`, the most
 * escalated and oldest first, at most `cap`.  Returns the count (array in
 * the arena) or -1 on a database error. */
int qa_overdue_questions(db *d, arena *a, const char *date, int cap, qa_overdue **out);

/* Raises the escalation of questions waiting past their due date as of
 * `today` (qa_escalate.c; the module tick): notifies, records the event,
 * audits; each claimed in its own transaction.  How many changed, or -1. */
int qa_escalate(db *d, int32_t today);

/* The benchmark dataset's questions (qa_gen.c, called by `guatu gen`):
 * the categories and `per_county` questions in every county, in the
 * caller's transaction.  0 or -1. */
int qa_gen(db *d, int32_t today, uint64_t seed, int per_county, const char *stamp);

#endif
