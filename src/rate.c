/*
 * rate.c — two-decimal percentages from integer ratios.
 *
 * num * 10000 overflows int64 for money totals above ~9.2e14 fen, and
 * cur - prev can overflow too, so the arithmetic is done in 128-bit
 * integers (a GCC/Clang extension, available on every target we build).
 */
#include "rate.h"

#include <stdio.h>

typedef unsigned __int128 u128;
typedef __int128 i128;

static u128 magnitude128(i128 v) { return v < 0 ? (u128)0 - (u128)v : (u128)v; }

/* Formats hundredths of a percent given as magnitude plus sign.  printf has
 * no 128-bit conversion, so the integer part is written by hand. */
static void format_hundredths128(int negative, u128 hundredths, char buf[32]) {
  char digits[48];
  size_t n = 0;
  u128 whole = hundredths / 100;
  unsigned frac = (unsigned)(hundredths % 100);
  do {
    digits[n++] = (char)('0' + (int)(whole % 10));
    whole /= 10;
  } while (whole != 0);
  /* Largest possible value: |INT64_MIN| * 2 * 10000 has 24 digits, which
   * with sign, point, two decimals and NUL still fits in 32 bytes. */
  size_t pos = 0;
  if (negative && hundredths != 0) buf[pos++] = '-';
  while (n > 0) buf[pos++] = digits[--n];
  snprintf(buf + pos, 32 - pos, ".%02u", frac);
}

/* num/den as hundredths of a percent, rounded half away from zero. */
static void format_ratio128(i128 num, i128 den, char buf[32]) {
  int negative = (num < 0) != (den < 0);
  u128 n = magnitude128(num) * 10000u, d = magnitude128(den);
  u128 q = n / d, r = n % d;
  if (r >= d - r) q++;
  format_hundredths128(negative, q, buf);
}

void rate_format(int64_t num, int64_t den, char buf[32]) {
  if (den == 0) {
    snprintf(buf, 32, "0.00");
    return;
  }
  format_ratio128(num, den, buf);
}

void growth_format(int64_t cur, int64_t prev, char buf[32]) {
  if (prev == 0) {
    buf[0] = '\0';
    return;
  }
  i128 change = (i128)cur - (i128)prev;
  i128 base = prev < 0 ? -(i128)prev : (i128)prev;
  format_ratio128(change, base, buf);
}
