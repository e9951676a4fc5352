/*
 * escalation.h — the deadline and escalation rule of a problem (问题交办),
 * kept pure so it can be unit-tested across holidays and make-up days.
 *
 *   due date      = raised + deadline working days (counting from the next
 *                   working day, as PRODUCT.md says)
 *   level 1       today > due date and not closed → the project's lead leader
 *   level 2       today > raised + 2 × deadline working days → the HQ commander
 */
#ifndef GUATU_ESCALATION_H
#define GUATU_ESCALATION_H

#include <stdint.h>

#include "calendar.h"

enum { ESC_NONE = 0, ESC_LEADER = 1, ESC_COMMANDER = 2 };

/* The due date of a problem raised on `raised` with `deadline_days`. */
int32_t problem_due_date(const calendar *cal, int32_t raised, int deadline_days);
/* The last day before escalation to the commander (overdue by twice the
 * deadline is the day after it). */
int32_t problem_escalate2_date(const calendar *cal, int32_t raised, int deadline_days);
/* The level a problem has reached on `today` (0 when closed). */
int problem_escalation_level(const calendar *cal, int32_t raised, int deadline_days, int32_t today, int closed);
/* Working days overdue on `today` (0 when not overdue). */
int problem_days_overdue(const calendar *cal, int32_t due, int32_t today);

#endif
