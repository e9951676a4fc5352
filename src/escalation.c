/*
 * escalation.c — see escalation.h.  Dates only; no database, no clock.
 */
#include "escalation.h"

int32_t problem_due_date(const calendar *cal, int32_t raised, int deadline_days) {
  return calendar_add_working_days(cal, raised, deadline_days);
}

int32_t problem_escalate2_date(const calendar *cal, int32_t raised, int deadline_days) {
  /* Counted once from the raise day, as the rule is worded; since a due
   * date is always a working day this equals due + deadline_days. */
  return calendar_add_working_days(cal, raised, 2 * deadline_days);
}

int problem_escalation_level(const calendar *cal, int32_t raised, int deadline_days, int32_t today, int closed) {
  if (closed) return ESC_NONE;
  if (today > problem_escalate2_date(cal, raised, deadline_days)) return ESC_COMMANDER;
  if (today > problem_due_date(cal, raised, deadline_days)) return ESC_LEADER;
  return ESC_NONE;
}

int problem_days_overdue(const calendar *cal, int32_t due, int32_t today) {
  if (today <= due) return 0;
  return calendar_working_days_between(cal, due, today);
}
