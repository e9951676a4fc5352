/*
 * fin_rules.c — the pure logic of the financing area: the subsidy
 * application's state machine as a transition table with its guards, the
 * subsidy amount under the administrator's rule (share, cap per enterprise
 * per year, rounded half up to the fen) and rates in hundredths of a
 * percent.  No database, no clock: tests/unit/test_fin_rules.c checks it
 * case by case.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fin.h"
#include "money.h"

const char *const fin_subsidy_states[] = {"applied", "approved", "returned", "paid", NULL};
const char *const fin_subsidy_states_zh[] = {"待审核", "已核准", "已退回", "已拨付", NULL};
const char *const fin_subsidy_events[] = {"approve", "return", "resubmit", "pay", NULL};
const char *const fin_subsidy_kinds[] = {"guarantee", "interest", NULL};
const char *const fin_subsidy_kinds_zh[] = {"担保费补贴", "贷款贴息", NULL};
const char *const fund_kinds[] = {"central_budget", "special_bond", "provincial_fund", "other", NULL};
const char *const fund_kinds_zh[] = {"中央预算内投资", "专项债", "省级专项资金", "其他", NULL};

/* next[state][event]: the state an event leads to, -1 when not allowed. */
static const int next_state[FS_COUNT][FE_COUNT] = {
    /*               approve      return       resubmit    pay */
    /* applied  */ {FS_APPROVED, FS_RETURNED, -1, -1},
    /* approved */ {-1, -1, -1, FS_PAID},
    /* returned */ {-1, -1, FS_APPLIED, -1},
    /* paid     */ {-1, -1, -1, -1},
};

int fin_subsidy_next(const fin_step *s, int *next) {
  if (s->state < 0 || s->state >= FS_COUNT || s->event < 0 || s->event >= FE_COUNT) return FR_WRONG_STATE;
  if (s->date > s->today) return FR_FUTURE;
  if (s->last_on != FIN_NO_DAY && s->date < s->last_on) return FR_BEFORE_PREVIOUS;
  if (s->event == FE_RETURN && !s->has_reason) return FR_NO_REASON;
  int n = next_state[s->state][s->event];
  if (n < 0) return FR_WRONG_STATE;
  if (s->event == FE_APPROVE && (s->amount < 0 || s->amount > s->limit)) return FR_OVER_LIMIT;
  if (s->event == FE_PAY && s->amount != s->limit) return FR_PAY_MISMATCH;
  *next = n;
  return FR_OK;
}

const char *fin_why_zh(int outcome) {
  switch (outcome) {
  case FR_FUTURE: return "日期不能晚于今天";
  case FR_BEFORE_PREVIOUS: return "日期不能早于上一环节的日期";
  case FR_NO_REASON: return "退回须填写理由";
  case FR_WRONG_STATE: return "当前状态不允许此操作";
  case FR_OVER_LIMIT: return "核准金额不能超过按规则计算的补贴额";
  case FR_PAY_MISMATCH: return "拨付金额须等于核准金额";
  default: return "";
  }
}

const char *fin_why_en(int outcome) {
  switch (outcome) {
  case FR_FUTURE: return "cannot be in the future";
  case FR_BEFORE_PREVIOUS: return "cannot be before the previous event";
  case FR_NO_REASON: return "a return needs its reason";
  case FR_WRONG_STATE: return "not allowed in the current state";
  case FR_OVER_LIMIT: return "the approved amount cannot exceed the amount the rule gives";
  case FR_PAY_MISMATCH: return "the payment must equal the approved amount";
  default: return "";
  }
}

const char *fin_why_field(int outcome) {
  switch (outcome) {
  case FR_FUTURE:
  case FR_BEFORE_PREVIOUS: return "date";
  case FR_NO_REASON: return "reason";
  case FR_OVER_LIMIT:
  case FR_PAY_MISMATCH: return "amount";
  default: return "event";
  }
}

int64_t fin_share_round(int64_t base, int share_bp) {
  if (base <= 0 || share_bp <= 0) return 0;
  /* base × share / 10000 split so that no product leaves int64:
   * (base / 10000) × share is whole; the remainder's part is rounded. */
  int64_t whole = base / 10000 * share_bp;
  int64_t rest = base % 10000 * share_bp; /* < 10000 × 10000 */
  return whole + rest / 10000 + (rest % 10000 >= 5000 ? 1 : 0);
}

int64_t fin_subsidy_amount(int64_t base, int share_bp, int64_t cap, int64_t used) {
  int64_t v = fin_share_round(base, share_bp);
  if (cap > 0) {
    int64_t left = cap - (used > 0 ? used : 0);
    if (left < 0) left = 0;
    if (v > left) v = left;
  }
  return v;
}

int fin_rate_parse(const char *s, int max_bp, int *bp) {
  if (!s) return -1;
  while (*s == ' ') s++;
  int64_t v = 0;
  int digits = 0, decimals = -1;
  for (; *s; s++) {
    if (*s >= '0' && *s <= '9') {
      if (decimals >= 0 && ++decimals > 2) return -1;
      if (++digits > 9) return -1;
      v = v * 10 + (*s - '0');
    } else if (*s == '.' && decimals < 0 && digits > 0) {
      decimals = 0;
    } else if (*s == '%' && s[1] == 0) {
      break;
    } else {
      return -1;
    }
  }
  if (!digits || decimals == 0) return -1;
  for (int k = decimals < 0 ? 0 : decimals; k < 2; k++) v *= 10;
  if (v > max_bp) return -1;
  *bp = (int)v;
  return 0;
}

int fin_rate_from_double(double v, int max_bp, int *bp) {
  if (!(v >= 0) || v * 100 > (double)max_bp + 1e-6) return -1;
  double x = v * 100, r = floor(x + 0.5);
  if (fabs(x - r) > 1e-6) return -1;
  *bp = (int)r;
  return 0;
}

void fin_rate_format(int bp, char buf[16]) {
  if (bp < 0) bp = 0;
  snprintf(buf, 16, "%d.%02d", bp / 100, bp % 100);
}
