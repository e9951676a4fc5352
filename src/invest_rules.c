/*
 * invest_rules.c — the pure rules of investment attraction (招商引资): the
 * lead's stage machine as a transition table with its guards, the stage a
 * signed lead shows from its project, whether a contract's promised start
 * was kept (履约), the rates as two-decimal strings and the days of a year
 * or quarter.  No database, no clock: unit-tested in
 * tests/unit/test_invest_rules.c.
 */
#include <stdio.h>

#include "calendar.h"
#include "invest.h"

const char *const invest_stages[] = {"lead",       "negotiation", "prereview",  "decision", "signed",
                                     "registered", "started",     "production", "lost",     NULL};
const char *const invest_stages_zh[] = {"线索", "洽谈", "预审", "决策", "签约", "注册", "开工", "投产", "流失", NULL};
const char *const invest_classes[] = {"fortune500", "china500", "private500", "none", NULL};
const char *const invest_classes_zh[] = {"世界500强", "中国500强", "中国民营企业500强", "无", NULL};
const char *const invest_meeting_kinds[] = {"negotiation", "prereview", "decision", NULL};
const char *const invest_meeting_kinds_zh[] = {"洽谈", "预审会", "决策会", NULL};

/* What each move needs.  Rows: from; columns: to.  M_* codes: */
enum {
  M_NO = 0,     /* not allowed: skip, or out of a closed stage */
  M_FWD,        /* one step forward */
  M_BACK,       /* back before signing: needs a reason */
  M_LOSE,       /* lost: needs a reason */
  M_SIGN,       /* only through the sign action */
  M_PROJECT,    /* follows the project's stage */
};

#define N IS_LOST + 1
static const unsigned char table[N][N] = {
    /*               lead    negot   prerev  decis   signed  regist  started    product    lost */
    /* lead */      {M_NO,   M_FWD,  M_NO,   M_NO,   M_NO,   M_NO,   M_PROJECT, M_PROJECT, M_LOSE},
    /* negotiation*/{M_BACK, M_NO,   M_FWD,  M_NO,   M_NO,   M_NO,   M_PROJECT, M_PROJECT, M_LOSE},
    /* prereview */ {M_BACK, M_BACK, M_NO,   M_FWD,  M_NO,   M_NO,   M_PROJECT, M_PROJECT, M_LOSE},
    /* decision */  {M_BACK, M_BACK, M_BACK, M_NO,   M_SIGN, M_NO,   M_PROJECT, M_PROJECT, M_LOSE},
    /* signed */    {M_NO,   M_NO,   M_NO,   M_NO,   M_NO,   M_FWD,  M_PROJECT, M_PROJECT, M_NO},
    /* registered */{M_NO,   M_NO,   M_NO,   M_NO,   M_NO,   M_NO,   M_PROJECT, M_PROJECT, M_NO},
    /* started */   {M_NO,   M_NO,   M_NO,   M_NO,   M_NO,   M_NO,   M_NO,      M_PROJECT, M_NO},
    /* production */{M_NO,   M_NO,   M_NO,   M_NO,   M_NO,   M_NO,   M_NO,      M_NO,      M_NO},
    /* lost */      {M_NO,   M_NO,   M_NO,   M_NO,   M_NO,   M_NO,   M_NO,      M_NO,      M_NO},
};

int invest_next(int from, int to, int has_reason, int via) {
  if (from < 0 || from >= N || to < 0 || to >= N) return IR_SKIP;
  if (from == to) return IR_SAME;
  if (from == IS_LOST || from == IS_PRODUCTION) return IR_CLOSED;
  switch (table[from][to]) {
  case M_FWD:
    return via == IV_STAGE ? IR_OK : IR_SKIP;
  case M_BACK:
  case M_LOSE:
    if (via != IV_STAGE) return IR_SKIP;
    return has_reason ? IR_OK : IR_NO_REASON;
  case M_SIGN:
    return via == IV_SIGN ? IR_OK : IR_NEEDS_SIGN;
  case M_PROJECT:
    return IR_FOLLOWS_PROJECT;
  default:
    if (to == IS_SIGNED && via == IV_SIGN) return from > IS_SIGNED ? IR_SAME : IR_NOT_DECIDED;
    if (to == IS_LOST) return IR_CLOSED; /* a signed lead is a project: it is not lost */
    return IR_SKIP;
  }
}

const char *invest_why_zh(int outcome) {
  switch (outcome) {
  case IR_OK: return "";
  case IR_NO_REASON: return "流失或退回须填写原因";
  case IR_SAME: return "线索已处于该阶段";
  case IR_SKIP: return "阶段只能逐级推进，不能跳过";
  case IR_CLOSED: return "线索已流失或已签约，不能再改变";
  case IR_NEEDS_SIGN: return "签约须通过签约操作填写合同条款";
  case IR_FOLLOWS_PROJECT: return "开工、投产随项目的实际阶段";
  case IR_NOT_DECIDED: return "决策通过后才能签约";
  default: return "不允许的操作";
  }
}

const char *invest_why_en(int outcome) {
  switch (outcome) {
  case IR_OK: return "";
  case IR_NO_REASON: return "losing a lead or going back needs a reason";
  case IR_SAME: return "the lead is already at that stage";
  case IR_SKIP: return "stages move one step at a time; none may be skipped";
  case IR_CLOSED: return "the lead is lost or signed and can no longer move there";
  case IR_NEEDS_SIGN: return "signing goes through the sign action with the contract terms";
  case IR_FOLLOWS_PROJECT: return "started and production follow the project's real stage";
  case IR_NOT_DECIDED: return "a lead is signed only after the decision";
  default: return "not allowed";
  }
}

int invest_effective_stage(int stored, int project_stage) {
  if (stored != IS_SIGNED && stored != IS_REGISTERED) return stored;
  if (project_stage == 4) return IS_PRODUCTION;               /* production */
  if (project_stage == 2 || project_stage == 3) return IS_STARTED; /* construction, completed */
  return stored;
}

int invest_fulfilment(int32_t promised, int32_t started, int32_t today) {
  if (promised == INVEST_NO_DAY) return FU_NOT_DUE;
  if (started != INVEST_NO_DAY && started <= promised) return FU_KEPT;
  if (promised < today) return FU_LATE;
  return FU_NOT_DUE;
}

int invest_rate(int64_t part, int64_t whole, char buf[32]) {
  if (whole <= 0) {
    snprintf(buf, 32, "0.00");
    return -1;
  }
  /* hundredths of a percent, half up, in integers */
  int64_t h = (part * 20000 + whole) / (2 * whole);
  snprintf(buf, 32, "%lld.%02lld", (long long)(h / 100), (long long)(h % 100));
  return 0;
}

void invest_period(int year, int quarter, int32_t *from, int32_t *to) {
  if (quarter < 1 || quarter > 4) {
    *from = date_from_ymd(year, 1, 1);
    *to = date_from_ymd(year, 12, 31);
    return;
  }
  *from = date_from_ymd(year, quarter * 3 - 2, 1);
  *to = date_from_ymd(quarter == 4 ? year + 1 : year, quarter == 4 ? 1 : quarter * 3 + 1, 1) - 1;
}
