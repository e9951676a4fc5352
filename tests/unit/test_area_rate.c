/*
 * test_area_rate.c — unit tests for src/area.c (亩 parsing, formatting and
 * m² conversion) and src/rate.c (two-decimal percentages and growth rates).
 */
#include <stdint.h>

#include "../../src/area.h"
#include "../../src/rate.h"
#include "unit.h"

static void test_area_parse(void) {
  static const struct {
    const char *text;
    int64_t hmu;
  } good[] = {
      {"4191.26", 419126},
      {"4191.26亩", 419126},
      {"3110.6亩", 311060},
      {"3110.6 亩", 311060},
      {"40", 4000},
      {"  40  ", 4000},
      {"\t40亩 ", 4000},
      {"0", 0},
      {"0.01", 1},
      {"0.1", 10},
      {"007.50", 750},
      {"92233720368547758.07", INT64_MAX},
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    int64_t hmu = -1;
    CHECK_ROW(area_parse(good[i].text, &hmu) == 0 && hmu == good[i].hmu,
              "area_parse(\"%s\") -> %lld want %lld", good[i].text, (long long)hmu,
              (long long)good[i].hmu);
  }
  static const char *const bad[] = {
      "",       " ",         "亩",        "4191.261", "4191.260", "1.234亩", ".5",
      "5.",     "5..1",      "-5",        "+5",       "1,234",    "abc",     "40亩亩",
      "40 亩 亩", "40 m2",     "40平方米",  "1e3",      "4 0",      "40亩x",   "92233720368547758.08",
      "１２",    "4191.26\n",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int64_t hmu = 99;
    int rc = area_parse(bad[i], &hmu);
    CHECK_ROW(rc == -1 && hmu == 99, "area_parse(\"%s\") should fail, got rc %d", bad[i], rc);
  }
  int64_t hmu = 0;
  CHECK_EQ_INT(area_parse(NULL, &hmu), -1);
  CHECK_EQ_INT(area_parse("1", NULL), -1);
}

static void test_area_format(void) {
  static const struct {
    int64_t hmu;
    const char *text;
  } rows[] = {
      {419126, "4191.26"}, {311060, "3110.60"}, {4000, "40.00"},         {0, "0.00"},
      {1, "0.01"},         {-1, "-0.01"},       {-419126, "-4191.26"},   {100, "1.00"},
      {INT64_MAX, "92233720368547758.07"},      {INT64_MIN, "-92233720368547758.08"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    char buf[32];
    area_format(rows[i].hmu, buf);
    CHECK_ROW(strcmp(buf, rows[i].text) == 0, "area_format(%lld) = \"%s\"",
              (long long)rows[i].hmu, buf);
  }
}

static void test_area_m2(void) {
  /* 1 亩 = 2000/3 m² = 666.67 m²; 1 hundredth of 亩 = 6.67 m². */
  static const struct {
    int64_t m2, hmu;
  } to_hmu[] = {
      {0, 0},         {1, 0},          /* 0.15 hundredths */
      {3, 0},                          /* 0.45 */
      {4, 1},                          /* 0.60 */
      {10, 2},                         /* 1.50: half up */
      {2000, 300},                     /* exactly 3 亩 */
      {667, 100},                      /* 100.05 hundredths */
      {666, 100},                      /* 99.9 */
      {28400, 4260},                   /* 2.84万平方米 = 42.6 亩 */
      {2794173, 419126},               /* 419125.95 -> 4191.26 亩 */
      {-10, -2},                       /* symmetric for differences */
      {-4, -1},
      {INT64_MAX, INT64_MAX / 20 * 3 + 1}, /* r = 7 -> 21/20 rounds to 1 */
  };
  for (size_t i = 0; i < sizeof to_hmu / sizeof to_hmu[0]; i++) {
    int64_t got = area_hmu_from_m2(to_hmu[i].m2);
    CHECK_ROW(got == to_hmu[i].hmu, "area_hmu_from_m2(%lld) = %lld want %lld",
              (long long)to_hmu[i].m2, (long long)got, (long long)to_hmu[i].hmu);
  }
  static const struct {
    int64_t hmu, m2;
  } to_m2[] = {
      {0, 0},       {1, 7},        /* 6.67 */
      {2, 13},                     /* 13.33 */
      {3, 20},      {100, 667},    /* 666.67 */
      {300, 2000},  {419126, 2794173}, /* 2794173.33 */
      {-1, -7},     {-100, -667},
      {INT64_MAX, INT64_MAX},      /* saturates */
      {INT64_MIN, INT64_MIN},
  };
  for (size_t i = 0; i < sizeof to_m2 / sizeof to_m2[0]; i++) {
    int64_t got = area_m2_from_hmu(to_m2[i].hmu);
    CHECK_ROW(got == to_m2[i].m2, "area_m2_from_hmu(%lld) = %lld want %lld",
              (long long)to_m2[i].hmu, (long long)got, (long long)to_m2[i].m2);
  }
  /* Against the exact rational formulas over a range of values. */
  int bad = 0;
  for (int64_t m2 = -100000; m2 <= 100000; m2++) {
    /* hmu = m2 * 3 / 20, half away from zero: compare doubled values. */
    int64_t got = area_hmu_from_m2(m2);
    int64_t twice_exact_x20 = 2 * m2 * 3; /* 40 * exact */
    int64_t lo = got * 40 - 20, hi = got * 40 + 20;
    int in_range = m2 >= 0 ? (twice_exact_x20 >= lo && twice_exact_x20 < hi)
                           : (twice_exact_x20 > lo && twice_exact_x20 <= hi);
    if (!in_range) bad++;
    int64_t back = area_m2_from_hmu(m2); /* here m2 is used as a hundredths value */
    int64_t exact_x3 = m2 * 20;           /* 3 * exact m² */
    if (!(back * 3 - exact_x3 <= 1 && exact_x3 - back * 3 <= 1)) bad++;
  }
  CHECK_EQ_INT(bad, 0);
}

static void test_rate(void) {
  static const struct {
    int64_t num, den;
    const char *text;
  } rows[] = {
      {419126, 429126, "97.67"},
      {118, 120, "98.33"},
      {1, 3, "33.33"},
      {2, 3, "66.67"},
      {1, 8, "12.50"},
      {1, 16, "6.25"},     /* 6.25 exactly */
      {1, 32, "3.13"},     /* 3.125: half up */
      {1, 1600, "0.06"},   /* 0.0625 */
      {1, 20000, "0.01"},  /* 0.005: half up */
      {1, 20001, "0.00"},
      {0, 5, "0.00"},
      {5, 0, "0.00"},
      {0, 0, "0.00"},
      {120, 120, "100.00"},
      {300, 100, "300.00"},
      {-7, 200, "-3.50"},
      {7, -200, "-3.50"},
      {-7, -200, "3.50"},
      {-1, 32, "-3.13"},   /* half away from zero */
      {-1, 20001, "0.00"}, /* no "-0.00" */
      {INT64_MAX, INT64_MAX, "100.00"},
      {INT64_MIN, INT64_MIN, "100.00"},
      {INT64_MAX, 1, "922337203685477580700.00"},
      {INT64_MIN, 1, "-922337203685477580800.00"},
      {INT64_MIN, -1, "922337203685477580800.00"},
      {1, INT64_MAX, "0.00"},
      {INT64_C(1000000000000000), INT64_C(3000000000000000), "33.33"}, /* num*10000 > int64 */
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    char buf[32];
    rate_format(rows[i].num, rows[i].den, buf);
    CHECK_ROW(strcmp(buf, rows[i].text) == 0, "rate_format(%lld, %lld) = \"%s\" want \"%s\"",
              (long long)rows[i].num, (long long)rows[i].den, buf, rows[i].text);
  }
}

static void test_growth(void) {
  static const struct {
    int64_t cur, prev;
    const char *text;
  } rows[] = {
      {105, 100, "5.00"},
      {965, 1000, "-3.50"},
      {100, 100, "0.00"},
      {0, 100, "-100.00"},
      {300, 100, "200.00"},
      {1, 3, "-66.67"},
      {5, 0, ""},
      {0, 0, ""},
      {-50, -100, "50.00"}, /* a loss halved is growth */
      {-150, -100, "-50.00"},
      {INT64_MAX, INT64_MIN, "200.00"},
      {INT64_MIN, INT64_MAX, "-200.00"},
      {INT64_MAX, -1, "922337203685477580800.00"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    char buf[32] = "sentinel";
    growth_format(rows[i].cur, rows[i].prev, buf);
    CHECK_ROW(strcmp(buf, rows[i].text) == 0, "growth_format(%lld, %lld) = \"%s\" want \"%s\"",
              (long long)rows[i].cur, (long long)rows[i].prev, buf, rows[i].text);
  }
}

UNIT_MAIN(test_area_parse, test_area_format, test_area_m2, test_rate, test_growth)
