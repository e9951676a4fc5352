/*
 * test_money.c — unit tests for src/money.c: the accepted and refused
 * spellings of amounts, exact scaling by 万/亿, overflow limits, the three
 * display formats and their rounding, and the JSON-number conversion.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../src/money.h"
#include "unit.h"

static void test_parse_good(void) {
  static const struct {
    const char *text;
    int64_t fen;
  } rows[] = {
      /* the forms in the product brief */
      {"5亿", INT64_C(50000000000)},
      {"3.66亿元", INT64_C(36600000000)},
      {"12453万元", INT64_C(12453000000)},
      {"39.625万元", INT64_C(39625000)},
      {"4156万", INT64_C(4156000000)},
      {"1.2亿", INT64_C(12000000000)},
      {"366000000", INT64_C(36600000000)},
      {"366000000.5", INT64_C(36600000050)},
      {"1,234.56", INT64_C(123456)},
      {"1234.56元", INT64_C(123456)},
      /* spacing, sign, zeros */
      {"  42  ", 4200},
      {"\t42元\t", 4200},
      {"5 亿", INT64_C(50000000000)},
      {"12453 万元 ", INT64_C(12453000000)},
      {"-3.5", -350},
      {"-1.2亿", INT64_C(-12000000000)},
      {"-0", 0},
      {"0", 0},
      {"0.00", 0},
      {"007", 700},
      {"0.01", 1},
      {"0.01元", 1},
      {"1.230元", 123},             /* trailing zero below a fen is harmless */
      {"1.23450000万", 1234500},    /* 12345.0000 yuan */
      {"0.0000000001亿", 1},        /* exactly one fen */
      {"1,234,567", INT64_C(123456700)},
      {"999", 99900},
      {"1,000万元", INT64_C(1000000000)},
      /* the largest amounts accepted: ¥10 trillion (MONEY_MAX_FEN) */
      {"10000000000000", MONEY_MAX_FEN},
      {"-10000000000000.00", -MONEY_MAX_FEN},
      {"100000亿", MONEY_MAX_FEN},
      {"1,000,000,000万元", MONEY_MAX_FEN},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    int64_t fen = -12345;
    int rc = money_parse(rows[i].text, &fen);
    CHECK_ROW(rc == 0, "input \"%s\"", rows[i].text);
    CHECK_ROW(fen == rows[i].fen, "input \"%s\": got %lld want %lld", rows[i].text,
              (long long)fen, (long long)rows[i].fen);
  }
}

static void test_parse_bad(void) {
  static const char *const rows[] = {
      "",
      "   ",
      "-",
      "abc",
      "5亿亿",
      "5万亿",
      "1..2",
      "1.2.3",
      ".5",
      "5.",
      "5.元",
      "+5",
      "--5",
      "- 5",
      "1.234元",
      "1.234",
      "1.2345678万",
      "0.00000000001亿",
      "1,23",
      "1,2345",
      "1234,567",
      ",123",
      "123,",
      "1,,234",
      "1,234,56",
      "5亿 元",
      "5 5",
      "5元元",
      "5 yuan",
      "5块",
      "5千",
      "亿",
      "元",
      "１２３",              /* full-width digits are not accepted */
      "1e5",
      "0x10",
      "10000000000000.01", /* MONEY_MAX_FEN + 1 fen */
      "-10000000000000.01",
      "100000.0000000001亿",
      "92233720368547758",    /* an issue-13 probe: int64 fen, but far above the maximum */
      "184467440737095517",   /* wrapped to 0.84 yuan before the bound */
      "92233720368547758.07", /* INT64_MAX fen */
      "922337203.6854775808亿",
      "99999999999999999999",
      "100000000000亿",
      "5亿\n",
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    int64_t fen = 777;
    int rc = money_parse(rows[i], &fen);
    CHECK_ROW(rc != 0, "input \"%s\" should be refused", rows[i]);
    CHECK_ROW(fen == 777, "input \"%s\" changed the output on failure", rows[i]);
  }
  /* beyond the maximum is told apart from a bad form */
  int64_t fen = 0;
  CHECK_EQ_INT(money_parse("10000000000000.01", &fen), -2);
  CHECK_EQ_INT(money_parse("99999999999999999999", &fen), -2);
  CHECK_EQ_INT(money_parse("5亿亿", &fen), -1);
  CHECK_EQ_INT(money_parse(NULL, &fen), -1);
  CHECK_EQ_INT(money_parse("5", NULL), -1);
}

static void test_format(void) {
  static const struct {
    int64_t fen;
    const char *yuan, *wan, *yi;
  } rows[] = {
      {INT64_C(36600000000), "366000000.00", "36600.00", "3.66"},
      {0, "0.00", "0.00", "0.00"},
      {1, "0.01", "0.00", "0.00"},
      {-1, "-0.01", "0.00", "0.00"}, /* rounds to zero: no "-0.00" */
      {-5, "-0.05", "0.00", "0.00"},
      {123456, "1234.56", "0.12", "0.00"},
      {INT64_C(39625000), "396250.00", "39.63", "0.00"}, /* 39.625万 rounds half up */
      {INT64_C(-39625000), "-396250.00", "-39.63", "0.00"},
      {INT64_C(12453000000), "124530000.00", "12453.00", "1.25"},
      {INT64_C(12500000000), "125000000.00", "12500.00", "1.25"},
      {INT64_C(12550000000), "125500000.00", "12550.00", "1.26"}, /* 1.255亿: half up */
      {INT64_C(-12550000000), "-125500000.00", "-12550.00", "-1.26"},
      {INT64_C(12549999999), "125499999.99", "12550.00", "1.25"},
      {4999, "49.99", "0.00", "0.00"},
      {5000, "50.00", "0.01", "0.00"}, /* 0.005万: half up */
      {-5000, "-50.00", "-0.01", "0.00"},
      {INT64_C(50000000000), "500000000.00", "50000.00", "5.00"},
      {INT64_MAX, "92233720368547758.07", "9223372036854.78", "922337203.69"},
      {INT64_MIN, "-92233720368547758.08", "-9223372036854.78", "-922337203.69"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    char buf[32];
    money_format_yuan(rows[i].fen, buf);
    CHECK_ROW(strcmp(buf, rows[i].yuan) == 0, "yuan(%lld) = \"%s\"", (long long)rows[i].fen, buf);
    money_format_wan(rows[i].fen, buf);
    CHECK_ROW(strcmp(buf, rows[i].wan) == 0, "wan(%lld) = \"%s\"", (long long)rows[i].fen, buf);
    money_format_yi(rows[i].fen, buf);
    CHECK_ROW(strcmp(buf, rows[i].yi) == 0, "yi(%lld) = \"%s\"", (long long)rows[i].fen, buf);
  }
}

/* Whatever money_format_yuan writes, money_parse reads back unchanged. */
static void test_round_trip(void) {
  static const int64_t values[] = {0, 1, -1, 99, 100, 101, 123456789, -987654321,
                                   INT64_C(36600000000), MONEY_MAX_FEN, -MONEY_MAX_FEN};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    char buf[32];
    int64_t back = 0;
    money_format_yuan(values[i], buf);
    CHECK_ROW(money_parse(buf, &back) == 0 && back == values[i], "round trip of %lld via \"%s\"",
              (long long)values[i], buf);
  }
}

static void test_from_double(void) {
  static const struct {
    double yuan;
    int rc;
    int64_t fen;
  } rows[] = {
      {0.0, 0, 0},
      {-0.0, 0, 0},
      {1.0, 0, 100},
      {0.1, 0, 10}, /* 0.1 * 100 = 10.000000000000002 */
      {0.07, 0, 7}, /* 0.07 * 100 = 7.000000000000001 */
      {1234.56, 0, 123456},
      {-3.5, 0, -350},
      {366000000.0, 0, INT64_C(36600000000)},
      {366000000.5, 0, INT64_C(36600000050)},
      {123456789.01, 0, INT64_C(12345678901)},   /* beyond 1e-6 absolute error */
      {9999999999999.0, 0, INT64_C(999999999999900)},
      {8796093022208.25, 0, INT64_C(879609302220825)}, /* 2^43 + 0.25: exact */
      {-9999999999999.0, 0, INT64_C(-999999999999900)},
      {10000000000000.0, 0, MONEY_MAX_FEN},
      {10000000000000.5, -2, 0},
      {92233720368547758.0, -2, 0},
      {0.001, -1, 0},
      {0.005, -1, 0},
      {1.005, -1, 0},   /* 100.49999999999999 fen */
      {1.2345, -1, 0},
      {12345.678, -1, 0},
      {9e13, -2, 0},
      {-9e13, -2, 0},
      {1e300, -2, 0},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    int64_t fen = 4242;
    int rc = money_from_double(rows[i].yuan, &fen);
    CHECK_ROW(rc == rows[i].rc, "from_double(%.17g) rc %d", rows[i].yuan, rc);
    if (rows[i].rc == 0)
      CHECK_ROW(fen == rows[i].fen, "from_double(%.17g) = %lld want %lld", rows[i].yuan,
                (long long)fen, (long long)rows[i].fen);
    else
      CHECK_ROW(fen == 4242, "from_double(%.17g) changed output on failure", rows[i].yuan);
  }
  int64_t fen = 0;
  CHECK_EQ_INT(money_from_double(NAN, &fen), -1);
  CHECK_EQ_INT(money_from_double(INFINITY, &fen), -2);
  CHECK_EQ_INT(money_from_double(-INFINITY, &fen), -2);
  CHECK_EQ_INT(money_from_double(1.0, NULL), -1);

  /* Every whole-fen amount up to 1e13 yuan survives the trip through the
   * double a JSON parser makes of its decimal text. */
  int bad = 0;
  for (int64_t i = 0; i < 200000; i++) {
    int64_t f = (i * INT64_C(7777777777777)) % INT64_C(2000000000000000) - INT64_C(1000000000000000);
    uint64_t m = f < 0 ? (uint64_t)-f : (uint64_t)f;
    char text[40];
    snprintf(text, sizeof text, "%s%llu.%02llu", f < 0 ? "-" : "", (unsigned long long)(m / 100),
             (unsigned long long)(m % 100));
    int64_t back = 0;
    if (money_from_double(strtod(text, NULL), &back) != 0 || back != f) {
      if (bad++ < 5) fprintf(stderr, "from_double(%s) -> %lld\n", text, (long long)back);
    }
  }
  CHECK_EQ_INT(bad, 0);
}

/* Totals never wrap: they stick at ±INT64_MAX. */
static void test_add(void) {
  CHECK(money_add(1, 2) == 3);
  CHECK(money_add(-5, 3) == -2);
  CHECK(money_add(INT64_MAX, 1) == INT64_MAX);
  CHECK(money_add(INT64_MAX - 1, 1) == INT64_MAX);
  CHECK(money_add(-INT64_MAX, -1) == -INT64_MAX);
  CHECK(money_add(INT64_MIN, 0) == -INT64_MAX);
  int64_t t = 0;
  for (int i = 0; i < 20000; i++) t = money_add(t, MONEY_MAX_FEN);
  CHECK(t == INT64_MAX);
}

UNIT_MAIN(test_parse_good, test_parse_bad, test_format, test_round_trip, test_from_double, test_add)
