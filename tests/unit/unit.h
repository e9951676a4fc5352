/*
 * unit.h — a deliberately tiny unit-test harness shared by the tests in
 * tests/unit.  Each test binary is one .c file that includes this header,
 * defines test functions and ends with UNIT_MAIN(test_a, test_b, ...).
 *
 * Failed checks are reported on stderr as "file:line: ..." as they happen
 * and do not stop the run, so one bad table row does not hide the others.
 * The last line on stdout is always "N passed, M failed", and the exit
 * status is non-zero when anything failed, which is all a Makefile or CI
 * step needs to look at.
 */
#ifndef GUATU_TESTS_UNIT_H
#define GUATU_TESTS_UNIT_H

#include <stdio.h>
#include <string.h>

/* Not every test file uses every helper. */
#define UNIT_MAYBE_UNUSED __attribute__((unused))

static int unit_passed_count;
static int unit_failed_count;
/* The command line, for tests that take an optional path argument. */
static int unit_argc;
static char **unit_argv;

UNIT_MAYBE_UNUSED static void unit_record(int ok, const char *file, int line, const char *what) {
  if (ok) {
    unit_passed_count++;
    return;
  }
  unit_failed_count++;
  fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
}

UNIT_MAYBE_UNUSED static void unit_record_int(long long got, long long want, const char *file, int line,
                            const char *got_expr, const char *want_expr) {
  if (got == want) {
    unit_passed_count++;
    return;
  }
  unit_failed_count++;
  fprintf(stderr, "%s:%d: %s == %s: got %lld, want %lld\n", file, line, got_expr, want_expr, got,
          want);
}

UNIT_MAYBE_UNUSED static void unit_record_str(const char *got, const char *want, const char *file, int line,
                            const char *got_expr, const char *want_expr) {
  int same = (got == NULL || want == NULL) ? got == want : strcmp(got, want) == 0;
  if (same) {
    unit_passed_count++;
    return;
  }
  unit_failed_count++;
  fprintf(stderr, "%s:%d: %s == %s: got %s%s%s, want %s%s%s\n", file, line, got_expr, want_expr,
          got ? "\"" : "", got ? got : "NULL", got ? "\"" : "", want ? "\"" : "",
          want ? want : "NULL", want ? "\"" : "");
}

#define CHECK(cond) unit_record((cond) != 0, __FILE__, __LINE__, #cond)
#define CHECK_EQ_INT(got, want) \
  unit_record_int((long long)(got), (long long)(want), __FILE__, __LINE__, #got, #want)
#define CHECK_EQ_STR(got, want) unit_record_str((got), (want), __FILE__, __LINE__, #got, #want)

/* For table-driven tests: CHECKs inside a loop all report the loop's line,
 * so say which row failed as well. */
#define CHECK_ROW(cond, row_fmt, ...)                                                  \
  do {                                                                                 \
    if (cond) {                                                                        \
      unit_passed_count++;                                                             \
    } else {                                                                           \
      unit_failed_count++;                                                             \
      fprintf(stderr, "%s:%d: check failed: %s; " row_fmt "\n", __FILE__, __LINE__, #cond, \
              __VA_ARGS__);                                                            \
    }                                                                                  \
  } while (0)

static int unit_report(void) {
  printf("%d passed, %d failed\n", unit_passed_count, unit_failed_count);
  return unit_failed_count ? 1 : 0;
}

#define UNIT_MAIN(...)                                                        \
  int main(int argc, char **argv) {                                           \
    static void (*const unit_tests[])(void) = {__VA_ARGS__};                  \
    unit_argc = argc;                                                         \
    unit_argv = argv;                                                         \
    for (size_t i = 0; i < sizeof unit_tests / sizeof unit_tests[0]; i++) {   \
      unit_tests[i]();                                                        \
      fflush(stderr);                                                         \
    }                                                                         \
    return unit_report();                                                     \
  }

#endif
