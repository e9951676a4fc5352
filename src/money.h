/*
 * money.h — exact amounts of money as int64 fen (1 yuan = 100 fen).
 *
 * Totals in the platform must match the district's reports to the last
 * digit, so money never passes through floating point: it is parsed from
 * the forms people actually write (5亿, 3.66亿元, 12453万元, 1,234.56 ...)
 * straight into integer fen, and formatted back with integer arithmetic.
 * All functions are pure and thread-safe.
 */
#ifndef GUATU_MONEY_H
#define GUATU_MONEY_H

#include <stdint.h>

/* The largest amount the platform accepts anywhere, in either sign:
 * ¥10 trillion (1e13 yuan, 1e15 fen) — three orders of magnitude above a
 * province's yearly plan, and small enough that 9,000 such amounts still
 * add up inside int64.  Every money input (money_parse, money_from_double
 * and so the JSON reader in api.c) refuses anything larger. */
#define MONEY_MAX_YUAN INT64_C(10000000000000)
#define MONEY_MAX_FEN (MONEY_MAX_YUAN * 100)

/* Parses an amount into fen.  Returns 0 on success, -1 on bad form, -2
 * when the amount is beyond ±MONEY_MAX_FEN.
 *
 * Accepted: optional ASCII spaces/tabs around everything; an optional
 * leading '-' (the parser allows negatives, callers that need a
 * non-negative amount must check); digits, optionally grouped in threes by
 * ',' ("1,234,567"); an optional '.' with at least one digit on both sides;
 * then optional spaces and an optional unit:
 *   (none) or 元  -> yuan
 *   万 or 万元     -> 10^4 yuan
 *   亿 or 亿元     -> 10^8 yuan
 * The scaled value must be a whole number of fen: "1.234元" and
 * "1.2345678万" are rejected ("1.230元" is fine — trailing zeros do not
 * change the value).  Also rejected: empty input, junk ("abc", "5亿亿",
 * "1..2", ".5", "5."), a '+' sign, and anything beyond ±MONEY_MAX_FEN.
 * On failure *fen is left unchanged. */
int money_parse(const char *s, int64_t *fen);

/* Formats fen as yuan with exactly two decimals: 36600000000 -> "366000000.00",
 * -5 -> "-0.05".  Exact; never rounds. */
void money_format_yuan(int64_t fen, char buf[32]);

/* Formats fen as 万元 with two decimals, rounded half away from zero:
 * 36600000000 -> "36600.00", 396250000 -> "396.25".  A value that rounds
 * to zero prints "0.00" (no "-0.00"). */
void money_format_wan(int64_t fen, char buf[32]);

/* Formats fen as 亿元 with two decimals, rounded half away from zero:
 * 36600000000 -> "3.66". */
void money_format_yi(int64_t fen, char buf[32]);

/* Converts a JSON number of yuan to fen.  Returns 0 and sets *fen when
 * |yuan| <= MONEY_MAX_YUAN and yuan*100 is within 1e-6 of an integer; -2
 * when |yuan| is larger (or infinite), -1 otherwise (including NaN),
 * leaving *fen unchanged.
 *
 * Above about 1e7 yuan a double cannot hold a fen amount exactly, so the
 * decimal the client sent ("123456789.01") arrives up to a few units in
 * the last place away from it; the tolerance is widened to four units in
 * the last place of yuan*100 there, so such amounts are not refused.
 * Prefer money_parse on the raw JSON text when it is available. */
int money_from_double(double yuan, int64_t *fen);

/* a + b for totals: never overflows.  Amounts are bounded on input, so a
 * total leaves int64 only from a corrupted row or an absurd count of them;
 * it then sticks at ±INT64_MAX instead of wrapping into garbage. */
int64_t money_add(int64_t a, int64_t b);

#endif
