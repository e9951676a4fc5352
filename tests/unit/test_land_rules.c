/*
 * test_land_rules.c — unit tests for src/land_rules.c: every move of the
 * household state machine, allowed and refused, with the sentence that names
 * what is missing; the GB 11643 check digit; masking; outline areas.
 */
#include <stdint.h>
#include <string.h>

#include "../../src/land.h"
#include "unit.h"

static char zh[256], en[256];

static int check(int state, int houses, int n, const land_item_view *items, int to) {
  land_hh_view h = {state, houses, n, items};
  zh[0] = en[0] = 0;
  return land_transition_check(&h, to, zh, en, sizeof zh);
}

static void test_order(void) {
  land_item_view ok[] = {{1, "land", 1, 100000, 100000}};
  /* one step forward at a time */
  CHECK_EQ_INT(check(LS_SURVEYED, 1, 1, ok, LS_VALUED), LAND_OK);
  CHECK_EQ_INT(check(LS_VALUED, 1, 1, ok, LS_SIGNED), LAND_OK);
  CHECK_EQ_INT(check(LS_SIGNED, 1, 1, ok, LS_DEMOLISHED), LAND_OK);
  CHECK_EQ_INT(check(LS_DEMOLISHED, 1, 1, ok, LS_HANDED_OVER), LAND_OK);
  /* skipping or going back is refused with 409 */
  CHECK_EQ_INT(check(LS_SURVEYED, 1, 1, ok, LS_SIGNED), LAND_ORDER);
  CHECK(strstr(zh, "未评估不能签约") != NULL);
  CHECK_EQ_INT(check(LS_VALUED, 1, 1, ok, LS_DEMOLISHED), LAND_ORDER);
  CHECK(strstr(zh, "未签约不能倒房") != NULL);
  CHECK(strstr(en, "only after signing") != NULL);
  CHECK_EQ_INT(check(LS_SURVEYED, 1, 1, ok, LS_DEMOLISHED), LAND_ORDER);
  CHECK_EQ_INT(check(LS_VALUED, 1, 1, ok, LS_HANDED_OVER), LAND_ORDER);
  CHECK(strstr(zh, "未签约不能交地") != NULL);
  CHECK_EQ_INT(check(LS_HANDED_OVER, 1, 1, ok, LS_SIGNED), LAND_ORDER);
  CHECK_EQ_INT(check(LS_SIGNED, 1, 1, ok, LS_SIGNED), LAND_ORDER);
  CHECK_EQ_INT(check(LS_SIGNED, 1, 1, ok, 99), LAND_ORDER);
  /* houses must come down before the land is handed over; a bare parcel skips demolition */
  CHECK_EQ_INT(check(LS_SIGNED, 2, 1, ok, LS_HANDED_OVER), LAND_ORDER);
  CHECK(strstr(zh, "房屋2栋") != NULL);
  CHECK_EQ_INT(check(LS_SIGNED, 0, 1, ok, LS_HANDED_OVER), LAND_OK);
}

static void test_guards(void) {
  /* valuing and signing need at least one item */
  CHECK_EQ_INT(check(LS_SURVEYED, 1, 0, NULL, LS_VALUED), LAND_MISSING);
  CHECK(strstr(zh, "尚未录入任何补偿项") != NULL);
  CHECK_EQ_INT(check(LS_VALUED, 1, 0, NULL, LS_SIGNED), LAND_MISSING);
  /* signing needs every amount, and names the item without one */
  land_item_view part[] = {{7, "land", 1, 500000, 0}, {8, "crops", 0, 0, 0}};
  CHECK_EQ_INT(check(LS_VALUED, 1, 2, part, LS_SIGNED), LAND_MISSING);
  CHECK(strstr(zh, "青苗补偿") != NULL && strstr(zh, "#8") != NULL);
  CHECK(strstr(en, "crops (#8) has no amount") != NULL);
  /* handing over needs every item paid in full, and names the amount owed */
  land_item_view owed[] = {{7, "land", 1, 500000, 500000}, {9, "graves", 1, 1234567, 1000000}};
  CHECK_EQ_INT(check(LS_DEMOLISHED, 1, 2, owed, LS_HANDED_OVER), LAND_MISSING);
  CHECK(strstr(zh, "坟墓迁移") != NULL && strstr(zh, "尚欠2345.67元") != NULL);
  CHECK(strstr(en, "still owes 2345.67 yuan") != NULL);
  land_item_view paid[] = {{7, "land", 1, 500000, 500000}, {9, "graves", 1, 1234567, 1234567}};
  CHECK_EQ_INT(check(LS_DEMOLISHED, 1, 2, paid, LS_HANDED_OVER), LAND_OK);
  /* an item without an amount owes nothing known: still refused */
  land_item_view none[] = {{3, "other", 0, 0, 0}};
  CHECK_EQ_INT(check(LS_SIGNED, 0, 1, none, LS_HANDED_OVER), LAND_MISSING);
}

static void test_id_numbers(void) {
  CHECK(land_id_valid("430203198001011235"));
  CHECK(land_id_valid("11010519491231002X"));
  CHECK(land_id_valid("11010519491231002x"));
  CHECK(!land_id_valid("430203198001011234")); /* wrong check digit */
  CHECK(!land_id_valid("430203199002291237")); /* 1990-02-29 does not exist */
  CHECK(!land_id_valid("43020319800101123"));  /* 17 characters */
  CHECK(!land_id_valid("43020319800101123A"));
  CHECK(!land_id_valid("4302031980010112355"));
  CHECK(!land_id_valid(""));
  CHECK(!land_id_valid(NULL));
}

static void test_masking(void) {
  char b[64];
  land_mask_id("430203198001011235", b, sizeof b);
  CHECK_EQ_STR(b, "430203********1235");
  land_mask_id("", b, sizeof b);
  CHECK_EQ_STR(b, "");
  land_mask_id("12345", b, sizeof b);
  CHECK_EQ_STR(b, "****");
  land_mask_phone("13807331234", b, sizeof b);
  CHECK_EQ_STR(b, "138****1234");
  land_mask_phone("07312345678", b, sizeof b);
  CHECK_EQ_STR(b, "073****5678");
  land_mask_phone("28765432", b, sizeof b);
  CHECK_EQ_STR(b, "****5432");
  land_mask_phone(NULL, b, sizeof b);
  CHECK_EQ_STR(b, "");
}

static void test_outline(void) {
  /* a square 0.001° × 0.001° at the equator: ≈ 111.2 m × 111.2 m ≈ 12364 m² */
  const char *sq = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[0.001,0],[0.001,0.001],[0,0.001],[0,0]]]}";
  double a = land_geojson_area_m2(sq);
  CHECK(a > 12300 && a < 12420);
  const char *feat = "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":"
                     "[[[[0,0],[0.001,0],[0.001,0.001],[0,0.001],[0,0]]],[[[1,0],[1.001,0],[1.001,0.001],[1,0.001],[1,0]]]]}}";
  double b = land_geojson_area_m2(feat);
  CHECK(b > 2 * 12300 && b < 2 * 12420);
  CHECK(land_geojson_area_m2("{\"type\":\"Point\",\"coordinates\":[0,0]}") < 0);
  CHECK(land_geojson_area_m2("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1]]]}") < 0);
  CHECK(land_geojson_area_m2("not json") < 0);
  /* 12364 m² ≈ 18.55 亩: recorded 18.55 matches, 20.00 is over 5 % off */
  CHECK(!land_area_mismatch(a, 1855));
  CHECK(land_area_mismatch(a, 2000));
  CHECK(land_area_mismatch(a, 0));
}

UNIT_MAIN(test_order, test_guards, test_id_numbers, test_masking, test_outline)
