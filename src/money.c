/*
 * money.c — parsing and formatting of exact money amounts (int64 fen).
 * See money.h for the accepted input forms.  Everything here is integer
 * arithmetic with explicit overflow checks; the only floating point is the
 * boundary conversion money_from_double, which refuses inexact values.
 */
#include "money.h"

#include <float.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Magnitudes are accumulated unsigned and only then given a sign; the
 * limit is MONEY_MAX_FEN for both signs. */
#define MONEY_MAX_MAGNITUDE ((uint64_t)INT64_MAX)

static int is_blank(char c) { return c == ' ' || c == '\t'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* value = value * 10 + digit, refusing to exceed MONEY_MAX_MAGNITUDE. */
static int push_digit(uint64_t *value, int digit) {
  if (*value > (MONEY_MAX_MAGNITUDE - (uint64_t)digit) / 10) return -1;
  *value = *value * 10 + (uint64_t)digit;
  return 0;
}

/* Recognises the unit at s (after the number) and returns how many decimal
 * places of fen it implies (元 = 2, 万 = 6, 亿 = 10), storing the unit's
 * length in *len; -1 when s does not start with a unit. */
static int unit_exponent(const char *s, size_t *len) {
  static const struct {
    const char *text;
    int exponent;
  } units[] = {
      /* Longest first, so 万元 is not read as 万 followed by junk. */
      {"万元", 6}, {"亿元", 10}, {"万", 6}, {"亿", 10}, {"元", 2},
  };
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    size_t n = strlen(units[i].text);
    if (strncmp(s, units[i].text, n) == 0) {
      *len = n;
      return units[i].exponent;
    }
  }
  return -1;
}

int money_parse(const char *s, int64_t *fen) {
  if (s == NULL || fen == NULL) return -1;
  while (is_blank(*s)) s++;
  int negative = 0;
  if (*s == '-') {
    negative = 1;
    s++;
  }

  /* Integer part, with optional thousands separators that must group
   * exactly three digits, so "1,23" (a likely typo) is not silently 123. */
  uint64_t integer_part = 0;
  int digits_in_group = 0, groups = 0, int_digits = 0;
  for (;; s++) {
    if (is_digit(*s)) {
      if (push_digit(&integer_part, *s - '0') != 0) return -2;
      digits_in_group++;
      int_digits++;
    } else if (*s == ',') {
      if (digits_in_group == 0 || (groups > 0 && digits_in_group != 3) ||
          (groups == 0 && digits_in_group > 3))
        return -1;
      groups++;
      digits_in_group = 0;
    } else {
      break;
    }
  }
  if (int_digits == 0) return -1;
  if (groups > 0 && digits_in_group != 3) return -1;

  /* Fraction digits are kept as text for now: how many may be non-zero
   * depends on the unit, which comes after them. */
  const char *fraction = NULL;
  size_t fraction_len = 0;
  if (*s == '.') {
    s++;
    fraction = s;
    while (is_digit(*s)) s++;
    fraction_len = (size_t)(s - fraction);
    if (fraction_len == 0) return -1;
  }

  while (is_blank(*s)) s++;
  int exponent = 2; /* bare numbers are yuan */
  if (*s != '\0') {
    size_t unit_len = 0;
    exponent = unit_exponent(s, &unit_len);
    if (exponent < 0) return -1;
    s += unit_len;
    while (is_blank(*s)) s++;
    if (*s != '\0') return -1;
  }

  /* fen = integer_part * 10^exponent + fraction scaled to the same place. */
  uint64_t magnitude = integer_part;
  for (int i = 0; i < exponent; i++) {
    int digit = (size_t)i < fraction_len ? fraction[i] - '0' : 0;
    if (push_digit(&magnitude, digit) != 0) return -2;
  }
  for (size_t i = (size_t)exponent; i < fraction_len; i++)
    if (fraction[i] != '0') return -1; /* finer than one fen */
  if (magnitude > (uint64_t)MONEY_MAX_FEN) return -2;

  *fen = negative ? -(int64_t)magnitude : (int64_t)magnitude;
  return 0;
}

/* |v| without the undefined behaviour of negating INT64_MIN. */
static uint64_t magnitude_of(int64_t v) {
  return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* Writes the magnitude `hundredths` (in units of 0.01 of the display unit)
 * as "[-]I.FF". */
static void format_hundredths(int negative, uint64_t hundredths, char buf[32]) {
  snprintf(buf, 32, "%s%" PRIu64 ".%02" PRIu64, (negative && hundredths != 0) ? "-" : "",
           hundredths / 100, hundredths % 100);
}

/* Divides the magnitude of fen by `divisor`, rounding half away from zero,
 * and formats the result as hundredths of the display unit. */
static void format_scaled(int64_t fen, uint64_t divisor, char buf[32]) {
  uint64_t m = magnitude_of(fen);
  /* Comparing the remainder avoids the overflow of m + divisor / 2. */
  uint64_t q = m / divisor, r = m % divisor;
  if (r >= divisor - r) q++;
  format_hundredths(fen < 0, q, buf);
}

void money_format_yuan(int64_t fen, char buf[32]) {
  format_hundredths(fen < 0, magnitude_of(fen), buf);
}

void money_format_wan(int64_t fen, char buf[32]) {
  /* 0.01 万元 = 100 yuan = 10^4 fen */
  format_scaled(fen, 10000u, buf);
}

void money_format_yi(int64_t fen, char buf[32]) {
  /* 0.01 亿元 = 10^6 yuan = 10^8 fen */
  format_scaled(fen, 100000000u, buf);
}

int money_from_double(double yuan, int64_t *fen) {
  if (fen == NULL) return -1;
  if (yuan != yuan) return -1; /* NaN */
  if (!(yuan >= -(double)MONEY_MAX_YUAN && yuan <= (double)MONEY_MAX_YUAN)) return -2;
  double cents = yuan * 100.0; /* |cents| <= 1e15 < 2^53: integers are exact */
  /* Truncation then a remainder test, rather than adding 0.5, which
   * itself rounds for values near 2^52. */
  int64_t whole = (int64_t)cents;
  double rest = cents - (double)whole; /* exact: the fractional part */
  if (rest >= 0.5) {
    whole++;
  } else if (rest <= -0.5) {
    whole--;
  }
  double off = cents - (double)whole;
  if (off < 0) off = -off;
  double magnitude = cents < 0 ? -cents : cents;
  double tolerance = magnitude * 4 * DBL_EPSILON;
  if (tolerance < 1e-6) tolerance = 1e-6;
  if (off > tolerance) return -1;
  *fen = whole;
  return 0;
}

int64_t money_add(int64_t a, int64_t b) {
  int64_t s;
  if (__builtin_add_overflow(a, b, &s)) return b < 0 ? -INT64_MAX : INT64_MAX;
  return s == INT64_MIN ? -INT64_MAX : s;
}
