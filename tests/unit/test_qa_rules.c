/*
 * test_qa_rules.c — the pure rules of online questions (src/qa_rules.c):
 * moderation and the shared loop (loop.h) as questions use it, cell by
 * cell with its guards, the moderation
 * patterns on realistic texts, redaction and masking, tracking codes and
 * the Open311 times with their offset.
 */
#include "../../src/qa.h"
#include "unit.h"

/* Every (state, action, actor) cell: the expected next state, or why not.
 * -1 in `next` means refused; `why` then says how. */
typedef struct cell {
  int state, action, actor, next, why;
} cell;

static const cell allowed[] = {
    /* moderation, the question's own prelude: the office only */
    {QS_PENDING, QA_APPROVE, QACT_OFFICE, QS_OPEN, QR_OK},
    {QS_PENDING, QA_REJECT, QACT_OFFICE, QS_REJECTED, QR_OK},
    /* the shared loop: the department, or the office acting for it */
    {QS_OPEN, QA_ACCEPT, QACT_HANDLER, QS_ACCEPTED, QR_OK},
    {QS_OPEN, QA_ACCEPT, QACT_OFFICE, QS_ACCEPTED, QR_OK},
    {QS_OPEN, QA_REPLY, QACT_HANDLER, QS_REPLIED, QR_OK},
    {QS_OPEN, QA_REPLY, QACT_OFFICE, QS_REPLIED, QR_OK},
    {QS_ACCEPTED, QA_COMMENT, QACT_HANDLER, QS_IN_PROGRESS, QR_OK},
    {QS_IN_PROGRESS, QA_REPLY, QACT_HANDLER, QS_REPLIED, QR_OK},
    {QS_IN_PROGRESS, QA_COMMENT, QACT_HANDLER, QS_IN_PROGRESS, QR_OK},
    {QS_OPEN, QA_COMMENT, QACT_ASKER, QS_OPEN, QR_OK},
    /* the asker closes (with a rating) or reopens; the office may too */
    {QS_REPLIED, QA_CLOSE, QACT_ASKER, QS_CLOSED, QR_OK},
    {QS_REPLIED, QA_CLOSE, QACT_OFFICE, QS_CLOSED, QR_OK},
    {QS_CLOSED, QA_RATE, QACT_ASKER, QS_CLOSED, QR_OK},
    {QS_REPLIED, QA_REOPEN, QACT_ASKER, QS_REOPENED, QR_OK},
    {QS_CLOSED, QA_REOPEN, QACT_ASKER, QS_REOPENED, QR_OK},
    {QS_REPLIED, QA_REOPEN, QACT_OFFICE, QS_REOPENED, QR_OK},
    {QS_REOPENED, QA_ACCEPT, QACT_HANDLER, QS_ACCEPTED, QR_OK},
    {QS_REOPENED, QA_REPLY, QACT_HANDLER, QS_REPLIED, QR_OK},
    {QS_REOPENED, QA_COMMENT, QACT_HANDLER, QS_IN_PROGRESS, QR_OK},
};
static const cell refused[] = {
    {QS_PENDING, QA_APPROVE, QACT_HANDLER, -1, QR_ACTOR},     /* a department does not moderate */
    {QS_PENDING, QA_REJECT, QACT_ASKER, -1, QR_ACTOR},
    {QS_OPEN, QA_APPROVE, QACT_OFFICE, -1, QR_WRONG_STATE},   /* moderated once */
    {QS_PENDING, QA_REPLY, QACT_OFFICE, -1, QR_WRONG_STATE},  /* the loop has not begun */
    {QS_REJECTED, QA_REPLY, QACT_HANDLER, -1, QR_WRONG_STATE},
    {QS_REJECTED, QA_REOPEN, QACT_ASKER, -1, QR_WRONG_STATE},
    {QS_OPEN, QA_REPLY, QACT_ASKER, -1, QR_ACTOR},            /* the asker does not answer */
    {QS_REPLIED, QA_CLOSE, QACT_HANDLER, -1, QR_ACTOR},       /* nor does the department close */
    {QS_REPLIED, QA_RATE, QACT_ASKER, -1, QR_WRONG_STATE},    /* rating follows closing */
    {QS_CLOSED, QA_RATE, QACT_OFFICE, -1, QR_ACTOR},          /* only the asker rates */
    {QS_CLOSED, QA_REPLY, QACT_HANDLER, -1, QR_WRONG_STATE},
    {QS_OPEN, QA_CLOSE, QACT_OFFICE, -1, QR_WRONG_STATE},
};

static void test_transition_table_cells(void) {
  for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
    const cell *c = &allowed[i];
    qa_step st = {.state = c->state, .action = c->action, .actor = c->actor, .has_text = 1, .rating = 4};
    int next = -1, rc = qa_next(&st, &next);
    CHECK_ROW(rc == QR_OK && next == c->next, "%s %s by %d → %d (%s)", qa_states[c->state], qa_actions[c->action], c->actor, rc,
              next >= 0 ? qa_states[next] : "-");
  }
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    const cell *c = &refused[i];
    qa_step st = {.state = c->state, .action = c->action, .actor = c->actor, .has_text = 1, .rating = 4};
    int next = -1, rc = qa_next(&st, &next);
    CHECK_ROW(rc == c->why, "%s %s by %d refused as %d, got %d", qa_states[c->state], qa_actions[c->action], c->actor, c->why, rc);
  }
  /* a question is rated once */
  qa_step again = {.state = QS_CLOSED, .action = QA_RATE, .actor = QACT_ASKER, .rating = 5, .rated = 1};
  int next;
  CHECK_EQ_INT(qa_next(&again, &next), QR_RATED);
  /* every state has its Chinese name; from open on, the loop's */
  for (int s = 0; s < QS_COUNT; s++) CHECK_ROW(*qa_state_zh(s), "state %s named", qa_states[s]);
  CHECK_EQ_STR(qa_state_zh(QS_PENDING), "待审核");
  CHECK_EQ_STR(qa_state_zh(QS_OPEN), "待受理");
}

static void test_guards_text_and_rating(void) {
  int next = -1;
  qa_step rej = {.state = QS_PENDING, .action = QA_REJECT, .actor = QACT_OFFICE};
  CHECK_EQ_INT(qa_next(&rej, &next), QR_NO_TEXT);
  CHECK_EQ_STR(qa_why_field(QR_NO_TEXT), "note");
  qa_step reply = {.state = QS_OPEN, .action = QA_REPLY, .actor = QACT_HANDLER};
  CHECK_EQ_INT(qa_next(&reply, &next), QR_NO_TEXT);
  qa_step reopen = {.state = QS_REPLIED, .action = QA_REOPEN, .actor = QACT_ASKER};
  CHECK_EQ_INT(qa_next(&reopen, &next), QR_NO_TEXT);
  qa_step comment = {.state = QS_ACCEPTED, .action = QA_COMMENT, .actor = QACT_HANDLER};
  CHECK_EQ_INT(qa_next(&comment, &next), QR_NO_TEXT);
  for (int r = -1; r <= 6; r++) {
    qa_step rate = {.state = QS_CLOSED, .action = QA_RATE, .actor = QACT_ASKER, .rating = r};
    CHECK_ROW(qa_next(&rate, &next) == (r >= 1 && r <= 5 ? QR_OK : QR_RATING), "rating %d", r);
  }
  CHECK_EQ_STR(qa_why_field(QR_RATING), "rating");
  CHECK(*qa_why_zh(QR_WRONG_STATE) && *qa_why_en(QR_WRONG_STATE) && *qa_why_zh(QR_RATED));
  /* an approval needs no text: moderation may publish as asked */
  qa_step ap = {.state = QS_PENDING, .action = QA_APPROVE, .actor = QACT_OFFICE};
  CHECK_EQ_INT(qa_next(&ap, &next), QR_OK);
}

static void test_open311_status_and_awaiting(void) {
  CHECK_EQ_STR(qa_open311_status(QS_PENDING), "open");
  CHECK_EQ_STR(qa_open311_status(QS_REPLIED), "open");
  CHECK_EQ_STR(qa_open311_status(QS_CLOSED), "closed");
  CHECK_EQ_STR(qa_open311_status(QS_REJECTED), "closed");
  CHECK(qa_awaits_reply(QS_OPEN) && qa_awaits_reply(QS_ACCEPTED) && qa_awaits_reply(QS_IN_PROGRESS) && qa_awaits_reply(QS_REOPENED));
  CHECK(!qa_awaits_reply(QS_PENDING) && !qa_awaits_reply(QS_REPLIED) && !qa_awaits_reply(QS_CLOSED));
  CHECK_EQ_INT(qa_index(qa_states, "reopened"), QS_REOPENED);
  CHECK_EQ_INT(qa_index(qa_actions, "fly"), -1);
}

static void test_moderation_patterns(void) {
  struct {
    const char *text;
    unsigned want;
  } cases[] = {
      {"新华路路灯不亮已经一周了，请尽快修复。", 0},
      {"我的身份证号430203199001011234，社保没到账", QF_ID_NUMBER},
      {"身份证43020319900101123X", QF_ID_NUMBER},
      {"请回电13807331234谢谢", QF_PHONE},
      {"电话0731-28881234", QF_PHONE},
      {"2026年11月18日上午10点，G107国道有坑", 0},
      {"投资12453万元的项目什么时候开工", 0},
      {"详情见 https://example.com/x", QF_LINK},
      {"专业代开发票，加微信", QF_SPAM_WORDS},
      {"啊啊啊啊啊啊啊啊啊", QF_REPEATED},
      {"!!!!!!!", 0},
      {"138073312345 is twelve digits", 0},
      {"户主13907330000，身份证430203199001011234", QF_PHONE | QF_ID_NUMBER},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    CHECK_ROW(qa_moderate(cases[i].text) == cases[i].want, "%s → %u", cases[i].text, qa_moderate(cases[i].text));
  char buf[64];
  qa_flags_format(QF_ID_NUMBER | QF_LINK, buf, sizeof buf);
  CHECK_EQ_STR(buf, "id_number,link");
  qa_flags_format(0, buf, sizeof buf);
  CHECK_EQ_STR(buf, "");
}

static void test_redaction_masks_personal_data_only(void) {
  arena a;
  arena_init(&a);
  CHECK_EQ_STR(qa_redact(&a, "身份证430203199001011234，电话13807331234"), "身份证430203********1234，电话138****1234");
  CHECK_EQ_STR(qa_redact(&a, "座机0731-28881234"), "座机0731-****1234");
  CHECK_EQ_STR(qa_redact(&a, "43020319900101123X"), "430203********123X");
  CHECK_EQ_STR(qa_redact(&a, "2026年投资12453万元"), "2026年投资12453万元");
  CHECK_EQ_STR(qa_redact(&a, ""), "");
  arena_release(&a);
  char buf[32];
  qa_mask_phone("13807331234", buf, sizeof buf);
  CHECK_EQ_STR(buf, "138****1234");
  qa_mask_phone("0731-28881234", buf, sizeof buf);
  CHECK_EQ_STR(buf, "****1234");
  CHECK(qa_phone_ok("13807331234") && qa_phone_ok("0731-28881234"));
  CHECK(!qa_phone_ok("12807331234") && !qa_phone_ok("138abc") && !qa_phone_ok("1380733123"));
}

static void test_tracking_codes(void) {
  char code[32];
  unsigned char rnd[6] = {0, 1, 31, 32, 200, 255};
  int32_t day = date_from_ymd(2026, 11, 18);
  qa_tracking_code(day, rnd, code, sizeof code);
  CHECK_EQ_STR(code, "Q20261118-23Z2AZ");
  CHECK(qa_tracking_code_ok(code));
  CHECK(!qa_tracking_code_ok("Q20261118-23ZAA0"));
  CHECK(qa_tracking_code_ok("Q20261118-23Z2AZ-荷塘区"));
  CHECK(!qa_tracking_code_ok("Q20261118-23Z2AZX"));
  CHECK(!qa_tracking_code_ok("Q20261118_23ZAAZ"));
  CHECK(!qa_tracking_code_ok("1"));
  CHECK(!qa_tracking_code_ok(NULL));
}

static void test_iso8601_times_with_offset(void) {
  arena a;
  arena_init(&a);
  CHECK_EQ_STR(qa_iso8601_cst(&a, "2026-11-18T05:06:07.123Z"), "2026-11-18T13:06:07+08:00");
  CHECK_EQ_STR(qa_iso8601_cst(&a, "2026-12-31T16:30:00.000Z"), "2027-01-01T00:30:00+08:00");
  CHECK(qa_iso8601_cst(&a, "2026-11-18") == NULL);
  CHECK(qa_iso8601_cst(&a, "yesterday") == NULL);
  arena_release(&a);
  int64_t z = qa_iso8601_parse("2026-11-18T05:00:00Z");
  CHECK(z > 0);
  CHECK(qa_iso8601_parse("2026-11-18T13:00:00+08:00") == z);
  CHECK(qa_iso8601_parse("2026-11-18T13:00:00+0800") == z);
  CHECK(qa_iso8601_parse("2026-11-18T00:00:00-05:00") == qa_iso8601_parse("2026-11-18T05:00:00Z"));
  CHECK(qa_iso8601_parse("2026-11-18") == qa_iso8601_parse("2026-11-17T16:00:00Z"));
  CHECK(qa_iso8601_parse("2026-02-30") == -1);
  CHECK(qa_iso8601_parse("2026-11-18T25:00:00Z") == -1);
  CHECK(qa_iso8601_parse("2026-11-18T10:00:00Zjunk") == -1);
  CHECK(qa_hours_between("2026-11-18T01:00:00.000Z", "2026-11-19T04:30:00.000Z") == 27.5);
}

UNIT_MAIN(test_transition_table_cells, test_guards_text_and_rating, test_open311_status_and_awaiting,
          test_moderation_patterns, test_redaction_masks_personal_data_only, test_tracking_codes,
          test_iso8601_times_with_offset)
