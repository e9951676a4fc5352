/*
 * rate.h — percentages shown with exactly two decimals, computed with
 * integer arithmetic so the same inputs always print the same digits
 * (4191.26 亩 of 4291.26 done -> "97.67"; 118 of 120 houses -> "98.33").
 * All functions are pure and thread-safe.
 */
#ifndef GUATU_RATE_H
#define GUATU_RATE_H

#include <stdint.h>

/* Writes num/den as a percentage with two decimals and no '%' sign,
 * rounded half away from zero ("四舍五入" applied to the magnitude):
 * 419126/429126 -> "97.67", 118/120 -> "98.33", -7/200 -> "-3.50".
 * den == 0 -> "0.00".  Any int64 inputs are handled exactly, including
 * rates far above 100%. */
void rate_format(int64_t num, int64_t den, char buf[32]);

/* Writes the growth rate (cur - prev) / |prev| as a percentage with two
 * decimals, rounded like rate_format: cur=105, prev=100 -> "5.00";
 * cur=965, prev=1000 -> "-3.50".  Dividing by |prev| keeps the sign
 * meaning "went up" / "went down" even when the base is negative.
 * prev == 0 -> "" (growth from nothing is undefined). */
void growth_format(int64_t cur, int64_t prev, char buf[32]);

#endif
