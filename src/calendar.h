/*
 * calendar.h — dates and the China working-day calendar.
 *
 * Deadlines in the platform are counted in working days: Monday to Friday,
 * minus the statutory holidays (法定节假日), plus the weekend days declared
 * make-up working days (调休上班), as the State Council publishes them each
 * year.  A calendar holds those exceptions ("overrides") on top of the
 * plain Mon–Fri week; 2020–2026 ship built in (calendar_data.c), and an
 * administrator can load later years from a text file every year.
 *
 * Dates are int32 "days since 1970-01-01" (day 0 is a Thursday), which
 * makes date arithmetic plain integer arithmetic.
 *
 * Thread safety: the date functions are pure.  A calendar may be read
 * (every function taking a const calendar *) from many threads at once;
 * changing it (calendar_set, calendar_load_text) needs exclusive access.
 */
#ifndef GUATU_CALENDAR_H
#define GUATU_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

/* ---- Dates ---- */

/* Parses strict "YYYY-MM-DD" (exactly 10 characters, zero-padded, a real
 * date, year 1900–2200).  Returns 0 and sets *day, or -1 leaving it. */
int date_parse(const char *s, int32_t *day);

/* Writes "YYYY-MM-DD".  Days whose year is outside 0000–9999 (far outside
 * anything the platform stores) are written as "????-??-??". */
void date_format(int32_t day, char buf[11]);

/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int date_weekday(int32_t day);

/* Parses strict "YYYY-MM" (year 1900–2200, month 01–12).  Returns 0 and
 * sets *y and *m, or -1 leaving them. */
int month_parse(const char *s, int *y, int *m);

/* Proleptic Gregorian date to day number.  The caller passes a valid date;
 * a day beyond the month's length simply runs on into the next month. */
int32_t date_from_ymd(int y, int m, int d);

/* Day number to year, month (1–12) and day of month (1–31). */
void date_to_ymd(int32_t day, int *y, int *m, int *d);

/* "Today" is not here: it comes from the one clock, clock.h. */

/* ---- Calendar ---- */

/* Override kinds.  CAL_HOLIDAY marks a day off (a weekday made a holiday;
 * also used on weekend days inside a holiday period so they carry the
 * festival's name), CAL_WORKDAY a day worked (a make-up Saturday/Sunday),
 * CAL_NORMAL removes an override. */
enum { CAL_NORMAL = 0, CAL_HOLIDAY = 1, CAL_WORKDAY = 2 };

/* Longest accepted override name in bytes (32 CJK characters). */
#define CALENDAR_NAME_MAX 96

typedef struct calendar calendar;

/* An empty calendar: plain Monday–Friday weeks.  NULL on out-of-memory. */
calendar *calendar_new(void);

/* A calendar holding the built-in holidays and make-up working days for
 * 2020–2026 as published by the General Office of the State Council
 * (国务院办公厅), including the 2020 Spring Festival extension to 2 Feb
 * (国办发明电〔2020〕1号).  NULL on out-of-memory. */
calendar *calendar_new_builtin(void);

/* Frees the calendar; NULL is allowed. */
void calendar_free(calendar *cal);

/* Sets or removes the override for one day.  kind is CAL_HOLIDAY,
 * CAL_WORKDAY or CAL_NORMAL (remove; name ignored).  name may be NULL or
 * "" for none; otherwise it must be valid UTF-8 without control characters
 * and at most CALENDAR_NAME_MAX bytes.  Replaces any existing override.
 * Returns 0, or -1 (bad kind, bad name, out of memory) with the calendar
 * unchanged. */
int calendar_set(calendar *cal, int32_t day, int kind, const char *name);

/* 1 if people work on that day: Monday–Friday that is not a holiday, or a
 * weekend day that is a make-up working day; 0 otherwise. */
int calendar_is_working_day(const calendar *cal, int32_t day);

/* The override's name ("国庆节", "国庆节调休上班"), or NULL when the day
 * has no override or the override has no name.  The pointer stays valid
 * until the calendar is changed or freed. */
const char *calendar_day_name(const calendar *cal, int32_t day);

/* The day that is n working days after `from`, counting from the next
 * working day: n = 1 gives the first working day strictly after `from`,
 * n = 2 the second, and so on; n = 0 gives `from` itself (working day or
 * not); n < 0 counts backwards the same way (n = -1 is the last working day
 * strictly before `from`).  Saturates at the int32 range. */
int32_t calendar_add_working_days(const calendar *cal, int32_t from, int n);

/* The number of working days d with from < d <= to; when to < from, minus
 * the number with to < d <= from.  So for n >= 0,
 * calendar_working_days_between(c, f, calendar_add_working_days(c, f, n)) == n.
 * Saturates at the int range. */
int calendar_working_days_between(const calendar *cal, int32_t from, int32_t to);

/* Applies a calendar file, the format of `guatu calendar import FILE` and
 * of data/calendar/2020-2026.txt:
 *
 *   # comment
 *   YYYY-MM-DD holiday|workday|normal [name]
 *
 * one day per line; fields separated by spaces or tabs; the name is the
 * rest of the line (trimmed); blank lines and lines whose first non-blank
 * character is '#' are ignored; CRLF line ends are accepted.  Each line is
 * applied like calendar_set; a day may appear only once per file.
 * All or nothing: on success returns 0; on the first bad line returns -1,
 * writes "line N: reason" to err (when err != NULL and errlen > 0) and
 * leaves the calendar exactly as it was. */
int calendar_load_text(calendar *cal, const char *text, char *err, size_t errlen);

/* Calls fn for every override in ascending day order, with its kind
 * (CAL_HOLIDAY or CAL_WORKDAY) and name (NULL when none).  Stops early and
 * returns fn's value as soon as fn returns non-zero; returns 0 after the
 * last.  fn must not change the calendar. */
int calendar_foreach_override(const calendar *cal,
                              int (*fn)(int32_t day, int kind, const char *name, void *ctx),
                              void *ctx);

/* ---- Built-in data (defined in calendar_data.c) ---- */

/* One line of the State Council's notice: a holiday period (first..last,
 * weekend days included) or a single make-up working day (first == last). */
typedef struct calendar_period {
  const char *first; /* "YYYY-MM-DD" */
  const char *last;  /* "YYYY-MM-DD", inclusive */
  int kind;          /* CAL_HOLIDAY or CAL_WORKDAY */
  const char *name;
} calendar_period;

extern const calendar_period calendar_builtin_periods[];
extern const size_t calendar_builtin_period_count;

#endif
