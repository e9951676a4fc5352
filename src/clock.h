/*
 * clock.h — the one clock.  Every "today" and "now" in guatu comes from
 * here, so that a pinned date moves every module at once (lights, late
 * flags, deadlines, escalation, rankings, weekly reports, the demo).
 *
 *   GUATU_TODAY=YYYY-MM-DD          pins the date; the time of day still runs
 *   GUATU_CLOCK_START=<wall ms>     with GUATU_TODAY: the pinned day's clock
 *                                   reads 08:00 at that instant and runs on
 *                                   (never wrapping to the same day's 00:00);
 *                                   the test harnesses set it once per file
 *   GUATU_NOW=YYYY-MM-DDTHH:MM:SS   pins the instant (China time, UTC+8)
 *
 * Unset, both follow the system clock in China time (UTC+8 all year, no
 * DST, independent of the process's TZ).  Monotonic durations (timeouts,
 * request timing) are not "now" and keep using CLOCK_MONOTONIC.
 */
#ifndef GUATU_CLOCK_H
#define GUATU_CLOCK_H

#include <stdint.h>

/* Today in China as days since 1970-01-01 (see calendar.h). */
int32_t clock_today(void);
/* Now as milliseconds since the Unix epoch (UTC). */
int64_t clock_now_ms(void);
/* Now as seconds since the Unix epoch (UTC). */
int64_t clock_now(void);

#endif
