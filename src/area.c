/*
 * area.c — parsing, formatting and m² conversion of land areas kept as
 * int64 hundredths of a 亩.  Integer arithmetic only; see area.h.
 */
#include "area.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int is_blank(char c) { return c == ' ' || c == '\t'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int push_digit(int64_t *value, int digit) {
  if (*value > (INT64_MAX - digit) / 10) return -1;
  *value = *value * 10 + digit;
  return 0;
}

int area_parse(const char *s, int64_t *hmu) {
  if (s == NULL || hmu == NULL) return -1;
  while (is_blank(*s)) s++;
  int64_t value = 0;
  int int_digits = 0;
  for (; is_digit(*s); s++, int_digits++)
    if (push_digit(&value, *s - '0') != 0) return -1;
  if (int_digits == 0) return -1;

  int frac_digits = 0;
  if (*s == '.') {
    s++;
    for (; is_digit(*s); s++, frac_digits++) {
      /* A third decimal is a precision the data model cannot hold, and
       * silently rounding a surveyed figure would falsify it. */
      if (frac_digits == 2) return -1;
      if (push_digit(&value, *s - '0') != 0) return -1;
    }
    if (frac_digits == 0) return -1;
  }
  for (; frac_digits < 2; frac_digits++)
    if (push_digit(&value, 0) != 0) return -1;

  while (is_blank(*s)) s++;
  static const char mu[] = "亩";
  if (strncmp(s, mu, sizeof mu - 1) == 0) s += sizeof mu - 1;
  while (is_blank(*s)) s++;
  if (*s != '\0') return -1;
  *hmu = value;
  return 0;
}

void area_format(int64_t hmu, char buf[32]) {
  uint64_t m = hmu < 0 ? (uint64_t)0 - (uint64_t)hmu : (uint64_t)hmu;
  snprintf(buf, 32, "%s%" PRIu64 ".%02" PRIu64, hmu < 0 ? "-" : "", m / 100, m % 100);
}

int64_t area_hmu_from_m2(int64_t m2) {
  /* hmu = m2 * 3 / 20.  Splitting m2 = 20q + r keeps every intermediate
   * small: 3q is exact (|q| <= INT64_MAX/20) and 3r < 60. */
  int64_t q = m2 / 20, r = m2 % 20; /* r has the sign of m2 */
  int64_t rest = r * 3;             /* |rest| < 60, in twentieths of a hundredth */
  int64_t rounded = rest >= 0 ? (rest + 10) / 20 : -((-rest + 10) / 20);
  return q * 3 + rounded;
}

int64_t area_m2_from_hmu(int64_t hmu) {
  /* m2 = hmu * 20 / 3 = 20q + 20r/3 with hmu = 3q + r; 20r/3 is 0, 6.67 or
   * 13.33, so it rounds to 0, 7 or 13. */
  static const int64_t third_rounded[3] = {0, 7, 13};
  int64_t q = hmu / 3, r = hmu % 3;
  int64_t rest = r >= 0 ? third_rounded[r] : -third_rounded[-r];
  if (q > (INT64_MAX - 13) / 20) return INT64_MAX;
  if (q < (INT64_MIN + 13) / 20) return INT64_MIN;
  return q * 20 + rest;
}
