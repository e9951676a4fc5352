/*
 * qa_rules.c — the pure rules of online questions (qa.h): the transition
 * table of a question with its guards, the moderation patterns (personal
 * data and spam in the text), redaction and masking, tracking codes and
 * the ISO 8601 times Open311 shows.  No database, no clock: unit-tested in
 * tests/unit/test_qa_rules.c.  From open on, a question's workflow is the
 * shared closed loop of loop.h; moderation is this file's own prelude.
 */
#include <stdio.h>
#include <string.h>

#include "loop.h"
#include "qa.h"

const char *const qa_states[] = {"pending", "rejected", "open", "accepted", "in_progress", "replied", "closed", "reopened", NULL};
const char *const qa_actions[] = {"approve", "reject", "accept", "reply", "close", "rate", "reopen", "comment", NULL};

int qa_index(const char *const *names, const char *s) {
  for (int i = 0; s && names[i]; i++)
    if (strcmp(names[i], s) == 0) return i;
  return -1;
}

/* A question's state from open on is loop.h's state of the same name. */
static loop_state to_loop(int state) { return state >= QS_OPEN && state < QS_COUNT ? loop_state_parse(qa_states[state]) : LOOP_BAD_STATE; }

const char *qa_state_zh(int state) {
  if (state == QS_PENDING) return "待审核";
  if (state == QS_REJECTED) return "未通过";
  return loop_state_zh(to_loop(state));
}

/* ---- the workflow: moderation, then the shared loop ---- */

int qa_next(const qa_step *s, int *next) {
  if (s->action == QA_APPROVE || s->action == QA_REJECT) {
    if (!(s->actor & QACT_OFFICE)) return QR_ACTOR;
    if (s->state != QS_PENDING) return QR_WRONG_STATE;
    if (s->action == QA_REJECT && !s->has_text) return QR_NO_TEXT;
    *next = s->action == QA_APPROVE ? QS_OPEN : QS_REJECTED;
    return QR_OK;
  }
  static const loop_action map[QA_ACTION_COUNT] = {
      [QA_APPROVE] = LOOP_BAD_ACTION, [QA_REJECT] = LOOP_BAD_ACTION, [QA_ACCEPT] = LOOP_ACCEPT, [QA_REPLY] = LOOP_REPLY,
      [QA_CLOSE] = LOOP_CLOSE,        [QA_RATE] = LOOP_RATE,         [QA_REOPEN] = LOOP_REOPEN, [QA_COMMENT] = LOOP_COMMENT,
  };
  if (s->action < 0 || s->action >= QA_ACTION_COUNT) return QR_WRONG_STATE;
  unsigned actors = 0;
  if (s->actor & QACT_OFFICE) actors |= LOOP_OFFICE | LOOP_HANDLER;
  if (s->actor & QACT_HANDLER) actors |= LOOP_HANDLER;
  if (s->actor & QACT_ASKER) actors |= LOOP_RAISER;
  loop_state from = to_loop(s->state), to = LOOP_BAD_STATE;
  /* before moderation, or rejected, the loop has not begun: no actor may act in it */
  loop_verdict v = loop_step(from < 0 ? LOOP_OPEN : from, map[s->action], actors, s->rated, &to);
  if (v == LOOP_NOT_ACTOR) return QR_ACTOR;
  if (from < 0 || v == LOOP_WRONG_STATE) return QR_WRONG_STATE;
  if (v == LOOP_ALREADY_RATED) return QR_RATED;
  if ((s->action == QA_REPLY || s->action == QA_REOPEN || s->action == QA_COMMENT) && !s->has_text) return QR_NO_TEXT;
  if (s->action == QA_RATE && (s->rating < 1 || s->rating > 5)) return QR_RATING;
  *next = qa_index(qa_states, loop_state_name(to));
  return QR_OK;
}

const char *qa_why_zh(int outcome) {
  switch (outcome) {
  case QR_WRONG_STATE: return "问政当前状态不允许此操作";
  case QR_ACTOR: return "无权进行此操作";
  case QR_NO_TEXT: return "须填写内容（答复、理由或说明）";
  case QR_RATING: return "满意度应为1到5的整数";
  case QR_RATED: return "已经评价过了";
  default: return "";
  }
}

const char *qa_why_en(int outcome) {
  switch (outcome) {
  case QR_WRONG_STATE: return "the question's state does not allow this action";
  case QR_ACTOR: return "you may not take this action";
  case QR_NO_TEXT: return "a text is required (the reply, the reason or why)";
  case QR_RATING: return "the rating must be an integer from 1 to 5";
  case QR_RATED: return "it has been rated already";
  default: return "";
  }
}

const char *qa_why_field(int outcome) {
  switch (outcome) {
  case QR_NO_TEXT: return "note";
  case QR_RATING: return "rating";
  default: return "action";
  }
}

int qa_awaits_reply(int state) {
  return state == QS_OPEN || state == QS_ACCEPTED || state == QS_IN_PROGRESS || state == QS_REOPENED;
}

const char *qa_open311_status(int state) { return state == QS_CLOSED || state == QS_REJECTED ? "closed" : "open"; }

/* ---- moderation ---- */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* A run of digits and hyphens starting at s (a digit): its length, the
 * digits in it and whether a hyphen is in it.  An 18th character X/x after
 * 17 digits belongs to the run (an ID number's check character). */
static size_t digit_run(const char *s, int *digits, int *hyphen) {
  size_t i = 0;
  *digits = 0;
  *hyphen = 0;
  while (is_digit(s[i]) || (s[i] == '-' && is_digit(s[i + 1]) && i > 0)) {
    if (s[i] == '-') *hyphen = 1;
    else (*digits)++;
    i++;
  }
  if (*digits == 17 && !*hyphen && (s[i] == 'X' || s[i] == 'x')) {
    (*digits)++;
    i++;
  }
  return i;
}

enum { RUN_NONE = 0, RUN_ID, RUN_MOBILE, RUN_LANDLINE };

static int classify(const char *s, size_t len, int digits, int hyphen) {
  if (!hyphen && len == 18 && digits == 18) return RUN_ID;
  if (!hyphen && len == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9') return RUN_MOBILE;
  if (s[0] == '0' && digits >= 10 && digits <= 12) return RUN_LANDLINE;
  if (hyphen && digits >= 7 && digits <= 12) return RUN_LANDLINE;
  return RUN_NONE;
}

static const char *const spam_words[] = {"代开发票", "加微信", "加我微信", "刷单", "博彩", "贷款无抵押", "网贷", "兼职日结",
                                         "优惠券", "点击链接", "彩票", "色情", NULL};

/* The byte length of the UTF-8 character at s (1 for a bad byte). */
static size_t utf8_len(const unsigned char *s) {
  if (*s < 0x80) return 1;
  if ((*s & 0xE0) == 0xC0 && s[1]) return 2;
  if ((*s & 0xF0) == 0xE0 && s[1] && s[2]) return 3;
  if ((*s & 0xF8) == 0xF0 && s[1] && s[2] && s[3]) return 4;
  return 1;
}

unsigned qa_moderate(const char *text) {
  unsigned f = 0;
  if (!text) return 0;
  for (const char *p = text; *p;) {
    if (is_digit(*p) && (p == text || !is_digit(p[-1]))) {
      int digits, hyphen;
      size_t len = digit_run(p, &digits, &hyphen);
      int k = classify(p, len, digits, hyphen);
      if (k == RUN_ID) f |= QF_ID_NUMBER;
      else if (k) f |= QF_PHONE;
      p += len;
      continue;
    }
    p++;
  }
  if (strstr(text, "http://") || strstr(text, "https://") || strstr(text, "www.") || strstr(text, "WWW.")) f |= QF_LINK;
  for (int i = 0; spam_words[i]; i++)
    if (strstr(text, spam_words[i])) f |= QF_SPAM_WORDS;
  const unsigned char *u = (const unsigned char *)text;
  while (*u) {
    size_t n = utf8_len(u);
    int same = 1;
    const unsigned char *v = u + n;
    while (same < 8 && *v && memcmp(u, v, n) == 0 && utf8_len(v) == n) {
      same++;
      v += n;
    }
    if (same >= 8) {
      f |= QF_REPEATED;
      break;
    }
    u = v > u + n ? v : u + n;
  }
  return f;
}

void qa_flags_format(unsigned flags, char *buf, size_t n) {
  static const char *const names[] = {"id_number", "phone", "link", "spam_words", "repeated"};
  size_t used = 0;
  if (n) buf[0] = 0;
  for (int i = 0; i < 5; i++)
    if (flags & (1u << i)) {
      int w = snprintf(buf + used, n > used ? n - used : 0, "%s%s", used ? "," : "", names[i]);
      if (w > 0) used += (size_t)w;
    }
}

char *qa_redact(arena *a, const char *text) {
  size_t len = text ? strlen(text) : 0;
  char *out = arena_alloc(a, len + 1);
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    if (is_digit(text[i]) && (i == 0 || !is_digit(text[i - 1]))) {
      int digits, hyphen;
      size_t run = digit_run(text + i, &digits, &hyphen);
      int k = classify(text + i, run, digits, hyphen);
      for (size_t j = 0; j < run; j++) {
        char c = text[i + j];
        int keep = 1;
        if (k == RUN_ID) keep = j < 6 || j >= 14;
        else if (k == RUN_MOBILE) keep = j < 3 || j >= 7;
        else if (k == RUN_LANDLINE) {
          /* the area code (up to the hyphen, or 4 digits) and the last 4 digits */
          const char *hy = memchr(text + i, '-', run);
          size_t area = hy ? (size_t)(hy - (text + i)) + 1 : 4;
          keep = j < area || j + 4 >= run;
        }
        out[o++] = keep || c == '-' ? c : '*';
      }
      i += run;
      continue;
    }
    out[o++] = text[i++];
  }
  out[o] = 0;
  return out;
}

void qa_mask_phone(const char *s, char *buf, size_t n) {
  size_t len = s ? strlen(s) : 0;
  if (len == 11) snprintf(buf, n, "%.3s****%s", s, s + 7);
  else if (len > 4) snprintf(buf, n, "****%s", s + len - 4);
  else if (len) snprintf(buf, n, "****");
  else snprintf(buf, n, "%s", "");
}

int qa_phone_ok(const char *s) {
  size_t n = strlen(s), digits = 0;
  for (size_t i = 0; i < n; i++) {
    if (is_digit(s[i])) digits++;
    else if (s[i] != '-') return 0;
  }
  if (n == 11 && s[0] == '1') return s[1] >= '3' && s[1] <= '9';
  return digits >= 7 && digits <= 12 && s[0] == '0';
}

/* ---- tracking codes ---- */

static const char code_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; /* 32: no 0 O 1 I */

void qa_tracking_code(int32_t day, const unsigned char rnd[6], char *buf, size_t n) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  char tail[7];
  for (int i = 0; i < 6; i++) tail[i] = code_alphabet[rnd[i] & 31];
  tail[6] = 0;
  snprintf(buf, n, "Q%04d%02d%02d-%s", y % 10000, m % 100, d % 100, tail);
}

int qa_tracking_code_ok(const char *s) {
  /* 16 characters, or more after a '-' when guatu copy renamed a clashing code */
  size_t n = s ? strlen(s) : 0;
  if (n < 16 || n > 80 || (n > 16 && s[16] != '-') || s[0] != 'Q' || s[9] != '-') return 0;
  for (int i = 1; i < 9; i++)
    if (!is_digit(s[i])) return 0;
  for (int i = 10; i < 16; i++)
    if (!strchr(code_alphabet, s[i])) return 0;
  return 1;
}

/* ---- times ---- */

/* n digits at s as a number, or -1. */
static int num(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!is_digit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

static int64_t floordiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

int64_t qa_iso8601_parse(const char *s) {
  if (!s) return -1;
  size_t len = strlen(s);
  if (len < 10 || s[4] != '-' || s[7] != '-') return -1;
  int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31) return -1;
  int32_t day = date_from_ymd(y, mo, d);
  int dy, dm, dd;
  date_to_ymd(day, &dy, &dm, &dd);
  if (dy != y || dm != mo || dd != d) return -1;
  int h = 0, mi = 0, se = 0, off = 8 * 60; /* a bare date or time without offset is China time */
  const char *p = s + 10;
  if (*p == 'T' || *p == ' ') {
    if (strlen(p) < 6 || p[3] != ':') return -1;
    h = num(p + 1, 2);
    mi = num(p + 4, 2);
    p += 6;
    if (*p == ':') {
      se = num(p + 1, 2);
      p += 3;
      if (*p == '.')
        for (p++; is_digit(*p);) p++;
    }
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) return -1;
    if (*p == 'Z') {
      off = 0;
      p++;
    } else if (*p == '+' || *p == '-') {
      int sign = *p == '-' ? -1 : 1;
      int oh = num(p + 1, 2), om;
      if (oh < 0) return -1;
      p += 3;
      if (*p == ':') p++;
      om = num(p, 2);
      if (om < 0 || oh > 14 || om > 59) return -1;
      p += 2;
      off = sign * (oh * 60 + om);
    }
  }
  if (*p) return -1;
  return (int64_t)day * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + se - (int64_t)off * 60;
}

const char *qa_iso8601_cst(arena *a, const char *utc) {
  if (!utc || strlen(utc) < 20 || utc[strlen(utc) - 1] != 'Z') return NULL;
  int64_t t = qa_iso8601_parse(utc);
  if (t < 0) return NULL;
  t += 8LL * 3600;
  int64_t day = floordiv(t, 86400), sec = t - day * 86400;
  int y, m, d;
  date_to_ymd((int32_t)day, &y, &m, &d);
  return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y, m, d, (int)(sec / 3600), (int)(sec / 60 % 60),
                      (int)(sec % 60));
}

double qa_hours_between(const char *a, const char *b) {
  int64_t x = qa_iso8601_parse(a), y = qa_iso8601_parse(b);
  if (x < 0 || y < 0) return -1;
  return (double)(y - x) / 3600.0;
}
