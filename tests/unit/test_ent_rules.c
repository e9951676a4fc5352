/*
 * test_ent_rules.c — the pure rules of enterprise services
 * (src/ent_rules.c): the GB 32100-2015 check character on real published
 * codes (Huawei, Tencent, Alibaba…) and altered ones, normalisation of
 * lowercase input, the refused letters I O Z S V, the flags, every operator
 * of the eligibility conditions on constructed enterprises, the
 * three-valued outcome ("needs application" when a fact is missing), the
 * reading of conditions with money in any written form, and the request
 * categories' default deadlines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/ent.h"
#include "../../src/loop.h"
#include "unit.h"

static void test_uscc_real_codes_pass(void) {
  static const char *const ok[] = {"914403001922038216", "9144030071526726XG", "91110000600037341L",
                                   "91330100799655058B", "91350100M000100Y43"};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    char out[19];
    CHECK_EQ_INT(ent_uscc_check(ok[i], out), ENT_USCC_OK);
    CHECK_EQ_STR(out, ok[i]);
  }
}

static void test_uscc_lowercase_is_normalised_to_capitals(void) {
  char out[19];
  CHECK_EQ_INT(ent_uscc_check(" 9144030071526726xg ", out), ENT_USCC_OK);
  CHECK_EQ_STR(out, "9144030071526726XG");
  CHECK_EQ_INT(ent_uscc_check("91350100m000100y43", out), ENT_USCC_OK);
  CHECK_EQ_STR(out, "91350100M000100Y43");
}

static void test_uscc_wrong_check_character_is_refused(void) {
  char out[19];
  CHECK_EQ_INT(ent_uscc_check("914403001922038217", out), ENT_USCC_CHECK);
  CHECK_EQ_INT(ent_uscc_check("9144030071526726XH", out), ENT_USCC_CHECK);
  /* two digits swapped */
  CHECK_EQ_INT(ent_uscc_check("914403001922032816", out), ENT_USCC_CHECK);
  CHECK_EQ_INT(ent_uscc_check_char("91440300192203821"), '6');
  CHECK_EQ_INT(ent_uscc_check_char("9144030071526726X"), 'G');
}

static void test_uscc_letters_i_o_z_s_v_and_lengths_are_refused(void) {
  char out[19];
  static const char *const bad[] = {"91440300192203821I", "91440300192203821O", "91440300192203821Z",
                                    "91440300192203821S", "91440300192203821V", "9144030019220382-6"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) CHECK_EQ_INT(ent_uscc_check(bad[i], out), ENT_USCC_CHAR);
  CHECK_EQ_INT(ent_uscc_check("91440300192203821i", out), ENT_USCC_CHAR);
  CHECK_EQ_INT(ent_uscc_check("91440300192203821", out), ENT_USCC_LENGTH);
  CHECK_EQ_INT(ent_uscc_check("9144030019220382166", out), ENT_USCC_LENGTH);
  CHECK_EQ_INT(ent_uscc_check("", out), ENT_USCC_LENGTH);
  CHECK_EQ_INT(ent_uscc_check(NULL, out), ENT_USCC_LENGTH);
  CHECK(ent_uscc_check_char("9144030019220382I") == 0);
}

static void test_flags_round_trip_in_canonical_order(void) {
  unsigned f = ent_flags_parse("specialized,above_scale,bogus,high_tech");
  CHECK_EQ_INT(f, ENT_F_SPECIALIZED | ENT_F_ABOVE_SCALE | ENT_F_HIGH_TECH);
  char buf[128];
  ent_flags_format(f, buf, sizeof buf);
  CHECK_EQ_STR(buf, "above_scale,high_tech,specialized");
  ent_flags_format(0, buf, sizeof buf);
  CHECK_EQ_STR(buf, "");
  CHECK_EQ_INT(ent_flag_bit("little_giant"), ENT_F_LITTLE_GIANT);
  CHECK_EQ_INT(ent_flag_bit("LITTLE_GIANT"), 0);
}

/* Conditions from JSON text, as the API reads them; their strings point
 * into the parsed text, which the previous call's text replaces. */
static json_t *last_text;
static int conds(const char *text, ent_cond *c, ent_cond_err *err) {
  json_error_t je;
  json_decref(last_text);
  last_text = json_loads(text, 0, &je);
  int n = -1;
  if (ent_conds_read(last_text, c, 16, &n, err) != 0) n = -1;
  return n;
}

static int judge(const char *text, const ent_facts *f) {
  ent_cond c[16];
  ent_cond_err err;
  int n = conds(text, c, &err);
  if (n < 0) return -1;
  return ent_eligibility(c, n, f);
}

/* 规上 高新, revenue ¥25,000,000, tax ¥1,200,000, 180 employees, chain 先进硬质材料, town 12 */
static const ent_facts huaju = {ENT_F_ABOVE_SCALE | ENT_F_HIGH_TECH, 2500000000, 120000000, 180, "先进硬质材料", 12};
/* no figures, no chain, no town, no flags */
static const ent_facts blank = {0, -1, -1, -1, NULL, 0};

static void test_has_needs_every_listed_flag(void) {
  CHECK_EQ_INT(judge("[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"high_tech\"}]", &huaju), ENT_YES);
  CHECK_EQ_INT(judge("[{\"field\":\"flags\",\"op\":\"has\",\"value\":[\"high_tech\",\"above_scale\"]}]", &huaju), ENT_YES);
  CHECK_EQ_INT(judge("[{\"field\":\"flags\",\"op\":\"has\",\"value\":[\"high_tech\",\"gazelle\"]}]", &huaju), ENT_NO);
  CHECK_EQ_INT(judge("[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"gazelle\"}]", &huaju), ENT_NO);
  /* flags are always known: an enterprise without flags does not have one */
  CHECK_EQ_INT(judge("[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"gazelle\"}]", &blank), ENT_NO);
}

static void test_in_on_flags_needs_any_of_them(void) {
  CHECK_EQ_INT(judge("[{\"field\":\"flags\",\"op\":\"in\",\"value\":[\"gazelle\",\"high_tech\"]}]", &huaju), ENT_YES);
  CHECK_EQ_INT(judge("[{\"field\":\"flags\",\"op\":\"in\",\"value\":[\"gazelle\",\"little_giant\"]}]", &huaju), ENT_NO);
}

static void test_ge_le_eq_on_money_in_any_written_form(void) {
  CHECK_EQ_INT(judge("[{\"field\":\"revenue\",\"op\":\">=\",\"value\":\"2500万\"}]", &huaju), ENT_YES);
  CHECK_EQ_INT(judge("[{\"field\":\"revenue\",\"op\":\">=\",\"value\":\"2500.01万元\"}]", &huaju), ENT_NO);
  CHECK_EQ_INT(judge("[{\"field\":\"revenue\",\"op\":\"<=\",\"value\":25000000}]", &huaju), ENT_YES);
  CHECK_EQ_INT(judge("[{\"field\":\"revenue\",\"op\":\"<=\",\"value\":24999999.99}]", &huaju), ENT_NO);
  CHECK_EQ_INT(judge("[{\"field\":\"tax\",\"op\":\"=\",\"value\":\"120万\"}]", &huaju), ENT_YES);
  CHECK_EQ_INT(judge("[{\"field\":\"tax\",\"op\":\"=\",\"value\":\"0.012亿\"}]", &huaju), ENT_YES);
  CHECK_EQ_INT(judge("[{\"field\":\"tax\",\"op\":\"=\",\"value\":1200001}]", &huaju), ENT_NO);
}

static void test_employees_chain_and_town(void) {
  CHECK_EQ_INT(judge("[{\"field\":\"employees\",\"op\":\">=\",\"value\":180}]", &huaju), ENT_YES);
  CHECK_EQ_INT(judge("[{\"field\":\"employees\",\"op\":\"<=\",\"value\":179}]", &huaju), ENT_NO);
  CHECK_EQ_INT(judge("[{\"field\":\"employees\",\"op\":\"in\",\"value\":[100,180]}]", &huaju), ENT_YES);
  CHECK_EQ_INT(judge("[{\"field\":\"chain\",\"op\":\"=\",\"value\":\"先进硬质材料\"}]", &huaju), ENT_YES);
  CHECK_EQ_INT(judge("[{\"field\":\"chain\",\"op\":\"in\",\"value\":[\"轨道交通\",\"先进硬质材料\"]}]", &huaju), ENT_YES);
  CHECK_EQ_INT(judge("[{\"field\":\"chain\",\"op\":\"in\",\"value\":[\"轨道交通\",\"航空\"]}]", &huaju), ENT_NO);
  CHECK_EQ_INT(judge("[{\"field\":\"town_unit_id\",\"op\":\"=\",\"value\":12}]", &huaju), ENT_YES);
  CHECK_EQ_INT(judge("[{\"field\":\"town_unit_id\",\"op\":\"in\",\"value\":[3,4]}]", &huaju), ENT_NO);
}

static void test_missing_facts_need_application_unless_another_condition_fails(void) {
  CHECK_EQ_INT(judge("[{\"field\":\"revenue\",\"op\":\">=\",\"value\":1}]", &blank), ENT_UNKNOWN);
  CHECK_EQ_INT(judge("[{\"field\":\"chain\",\"op\":\"=\",\"value\":\"航空\"}]", &blank), ENT_UNKNOWN);
  CHECK_EQ_INT(judge("[{\"field\":\"town_unit_id\",\"op\":\"=\",\"value\":12}]", &blank), ENT_UNKNOWN);
  /* a decided failure wins over an undecided condition, wherever it stands */
  CHECK_EQ_INT(judge("[{\"field\":\"tax\",\"op\":\">=\",\"value\":1},{\"field\":\"flags\",\"op\":\"has\",\"value\":\"gazelle\"}]", &blank), ENT_NO);
  CHECK_EQ_INT(judge("[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"gazelle\"},{\"field\":\"tax\",\"op\":\">=\",\"value\":1}]", &blank), ENT_NO);
  ent_facts partial = huaju;
  partial.employees = -1;
  CHECK_EQ_INT(judge("[{\"field\":\"revenue\",\"op\":\">=\",\"value\":1},{\"field\":\"employees\",\"op\":\">=\",\"value\":1}]", &partial), ENT_UNKNOWN);
  /* no conditions: everyone qualifies */
  CHECK_EQ_INT(judge("[]", &blank), ENT_YES);
}

static void test_bad_conditions_name_the_index_and_part(void) {
  ent_cond c[16];
  ent_cond_err err;
  CHECK_EQ_INT(conds("[{\"field\":\"profit\",\"op\":\">=\",\"value\":1}]", c, &err), -1);
  CHECK_EQ_STR(err.part, "field");
  CHECK_EQ_INT(conds("[{\"field\":\"revenue\",\"op\":\">=\",\"value\":1},{\"field\":\"revenue\",\"op\":\"has\",\"value\":1}]", c, &err), -1);
  CHECK_EQ_INT(err.index, 1);
  CHECK_EQ_STR(err.part, "op");
  CHECK_EQ_INT(conds("[{\"field\":\"revenue\",\"op\":\">=\",\"value\":\"lots\"}]", c, &err), -1);
  CHECK_EQ_STR(err.part, "value");
  CHECK_EQ_INT(conds("[{\"field\":\"flags\",\"op\":\"has\",\"value\":\"unicorn\"}]", c, &err), -1);
  CHECK_EQ_STR(err.part, "value");
  CHECK_EQ_INT(conds("[{\"field\":\"chain\",\"op\":\"in\",\"value\":[]}]", c, &err), -1);
  CHECK_EQ_INT(conds("[{\"field\":\"chain\",\"op\":\"=\"}]", c, &err), -1);
  CHECK_EQ_INT(conds("{}", c, &err), -1);
  CHECK_EQ_INT(err.index, -1);
}

static void test_canonical_json_writes_money_in_yuan(void) {
  ent_cond c[16];
  ent_cond_err err;
  int n = conds("[{\"field\":\"revenue\",\"op\":\">=\",\"value\":\"2000万元\"},{\"field\":\"flags\",\"op\":\"has\",\"value\":\"high_tech\"},"
                "{\"field\":\"chain\",\"op\":\"in\",\"value\":[\"航空\"]}]",
                c, &err);
  CHECK_EQ_INT(n, 3);
  json_t *j = ent_conds_json(c, n);
  char *s = json_dumps(j, JSON_COMPACT);
  CHECK_EQ_STR(s, "[{\"field\":\"revenue\",\"op\":\">=\",\"value\":\"20000000.00\"},{\"field\":\"flags\",\"op\":\"has\","
                  "\"value\":\"high_tech\"},{\"field\":\"chain\",\"op\":\"in\",\"value\":[\"航空\"]}]");
  free(s);
  json_decref(j);
  json_decref(last_text);
  last_text = NULL;
}

static void test_request_categories_have_deadlines(void) {
  CHECK_EQ_INT(ent_request_default_days("utilities"), 3);
  CHECK_EQ_INT(ent_request_default_days("land"), 15);
  CHECK_EQ_INT(ent_request_default_days("nonsense"), 5);
  CHECK_EQ_STR(ent_request_categories_zh[1], "融资");
}

/* The request events on the closed loop: who may do what, and confirm as
 * close + rate in one step. */
static void test_request_events_on_the_loop(void) {
  static const struct {
    int from;
    const char *event;
    unsigned actors;
    int rated, want, to;
  } rows[] = {
      {LOOP_OPEN, "accept", LOOP_HANDLER, 0, LOOP_OK, LOOP_ACCEPTED},
      {LOOP_OPEN, "reply", LOOP_HANDLER, 0, LOOP_OK, LOOP_REPLIED},
      {LOOP_OPEN, "reply", LOOP_RAISER, 0, LOOP_NOT_ACTOR, -1},
      {LOOP_OPEN, "reply", LOOP_OFFICE, 0, LOOP_NOT_ACTOR, -1},
      {LOOP_ACCEPTED, "comment", LOOP_HANDLER, 0, LOOP_OK, LOOP_IN_PROGRESS},
      {LOOP_ACCEPTED, "comment", LOOP_RAISER, 0, LOOP_OK, LOOP_ACCEPTED},
      {LOOP_IN_PROGRESS, "reply", LOOP_HANDLER, 0, LOOP_OK, LOOP_REPLIED},
      {LOOP_REPLIED, "confirm", LOOP_RAISER, 0, LOOP_OK, LOOP_CLOSED},
      /* the office may close a loop but not rate it: confirm is the raiser's */
      {LOOP_REPLIED, "confirm", LOOP_OFFICE, 0, LOOP_NOT_ACTOR, -1},
      {LOOP_REPLIED, "confirm", LOOP_HANDLER, 0, LOOP_NOT_ACTOR, -1},
      {LOOP_OPEN, "confirm", LOOP_RAISER, 0, LOOP_WRONG_STATE, -1},
      {LOOP_CLOSED, "confirm", LOOP_RAISER, 1, LOOP_WRONG_STATE, -1},
      {LOOP_REPLIED, "reopen", LOOP_RAISER, 0, LOOP_OK, LOOP_REOPENED},
      {LOOP_CLOSED, "reopen", LOOP_OFFICE, 1, LOOP_OK, LOOP_REOPENED},
      {LOOP_OPEN, "reopen", LOOP_RAISER, 0, LOOP_WRONG_STATE, -1},
      {LOOP_REOPENED, "reply", LOOP_HANDLER, 0, LOOP_OK, LOOP_REPLIED},
      {LOOP_REOPENED, "accept", LOOP_HANDLER, 0, LOOP_OK, LOOP_ACCEPTED},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    int to = -1;
    int got = ent_request_step(rows[i].from, rows[i].event, rows[i].actors, rows[i].rated, &to);
    CHECK_ROW(got == rows[i].want, "row %zu: %s from %d gave %d", i, rows[i].event, rows[i].from, got);
    if (rows[i].want == LOOP_OK) CHECK_ROW(to == rows[i].to, "row %zu: %s went to %d", i, rows[i].event, to);
  }
  CHECK_EQ_INT(ent_request_step(LOOP_OPEN, "rate", LOOP_RAISER, 0, NULL), -1);
  CHECK_EQ_INT(ent_request_step(LOOP_OPEN, "close", LOOP_OFFICE, 0, NULL), -1);
}

UNIT_MAIN(test_uscc_real_codes_pass, test_uscc_lowercase_is_normalised_to_capitals, test_uscc_wrong_check_character_is_refused,
          test_uscc_letters_i_o_z_s_v_and_lengths_are_refused, test_flags_round_trip_in_canonical_order,
          test_has_needs_every_listed_flag, test_in_on_flags_needs_any_of_them, test_ge_le_eq_on_money_in_any_written_form,
          test_employees_chain_and_town, test_missing_facts_need_application_unless_another_condition_fails,
          test_bad_conditions_name_the_index_and_part, test_canonical_json_writes_money_in_yuan,
          test_request_categories_have_deadlines, test_request_events_on_the_loop)
