/*
 * area.h — exact land areas as int64 hundredths of a 亩 (mu).
 *
 * Land figures in the district's reports carry two decimals of 亩
 * (3110.6亩, 4191.26亩) and must add up exactly, so they are kept as
 * integer hundredths.  1 亩 = 2000/3 m², so conversions to and from square
 * metres round explicitly.  All functions are pure and thread-safe.
 */
#ifndef GUATU_AREA_H
#define GUATU_AREA_H

#include <stdint.h>

/* Parses a non-negative area in 亩 into hundredths of 亩.  Returns 0 on
 * success, -1 on bad form (leaving *hmu unchanged).
 * Accepted: optional ASCII spaces/tabs around everything, digits, an
 * optional '.' followed by one or two digits, then optional spaces and an
 * optional "亩": "4191.26", "4191.26亩", "40", "3110.6 亩".
 * Rejected: more than two decimals (even "1.230"), signs, thousands
 * separators, empty input, junk, values beyond int64. */
int area_parse(const char *s, int64_t *hmu);

/* Formats hundredths of 亩 with exactly two decimals: 419126 -> "4191.26".
 * Negative values (differences) get a leading '-'. */
void area_format(int64_t hmu, char buf[32]);

/* Square metres to hundredths of 亩 (1 亩 = 2000/3 m²), rounded half away
 * from zero (half up for the non-negative areas callers pass). */
int64_t area_hmu_from_m2(int64_t m2);

/* Hundredths of 亩 to whole square metres, rounded to nearest (a tie cannot
 * occur: the exact value is always a multiple of 1/3 m²).  Saturates at the
 * int64 limits instead of overflowing. */
int64_t area_m2_from_hmu(int64_t hmu);

#endif
