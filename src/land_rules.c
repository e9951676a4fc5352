/*
 * land_rules.c — the pure rules of land acquisition: the household state
 * machine with the sequence rule's guards, the ID-number check, masking and
 * the area of a parcel outline.  No database, no HTTP: the handlers in
 * land_ledger.c load a household into a land_hh_view and ask here.
 *
 * The transition table: each state names the states it may move to.  A
 * household moves one step forward; a parcel without houses (houses = 0)
 * may go from signed straight to handed_over (nothing to demolish).
 */
#include "land.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "money.h"

const char *const land_states[] = {"surveyed", "valued", "signed", "demolished", "handed_over", NULL};
const char *const land_states_zh[] = {"已调查", "已评估", "已签约", "已倒房", "已交地", NULL};
const char *const land_item_kinds[] = {"land", "crops", "facilities", "graves", "lines", "resettlement", "other", NULL};
const char *const land_item_kinds_zh[] = {"土地费", "青苗补偿", "设施补偿", "坟墓迁移", "杆线迁移", "安置", "其他", NULL};
const char *const land_kinds[] = {"collective", "state", NULL};
const char *const land_kinds_zh[] = {"集体土地", "国有土地", NULL};

int land_code(const char *const *list, const char *s) {
  for (int i = 0; s && list[i]; i++)
    if (strcmp(list[i], s) == 0) return i;
  return -1;
}

const char *land_item_kind_zh(const char *kind) {
  int i = land_code(land_item_kinds, kind);
  return i < 0 ? (kind ? kind : "") : land_item_kinds_zh[i];
}

const char *land_state_zh(const char *state) {
  int i = land_code(land_states, state);
  return i < 0 ? (state ? state : "") : land_states_zh[i];
}

/* allowed[from] is a bit set of the states `from` may move to */
static const unsigned allowed[LS_COUNT] = {
    [LS_SURVEYED] = 1u << LS_VALUED,
    [LS_VALUED] = 1u << LS_SIGNED,
    [LS_SIGNED] = 1u << LS_DEMOLISHED | 1u << LS_HANDED_OVER,
    [LS_DEMOLISHED] = 1u << LS_HANDED_OVER,
    [LS_HANDED_OVER] = 0,
};

int land_transition_check(const land_hh_view *h, int to, char *zh, char *en, size_t n) {
  if (to < 0 || to >= LS_COUNT || h->state < 0 || h->state >= LS_COUNT) {
    snprintf(zh, n, "未知的状态");
    snprintf(en, n, "unknown state");
    return LAND_ORDER;
  }
  if (!(allowed[h->state] & 1u << to)) {
    if (to == LS_DEMOLISHED && h->state < LS_SIGNED) {
      snprintf(zh, n, "未签约不能倒房（当前：%s）", land_states_zh[h->state]);
      snprintf(en, n, "a house may be demolished only after signing (now: %s)", land_states[h->state]);
    } else if (to == LS_HANDED_OVER && h->state == LS_SIGNED) {
      snprintf(zh, n, "该户有房屋%d栋，倒房后方可交地", h->houses);
      snprintf(en, n, "the household has %d house(s): demolish before handing over", h->houses);
    } else if (to == LS_SIGNED && h->state == LS_SURVEYED) {
      snprintf(zh, n, "未评估不能签约（当前：已调查）");
      snprintf(en, n, "a household must be valued before signing (now: surveyed)");
    } else if (to == LS_HANDED_OVER && h->state < LS_SIGNED) {
      snprintf(zh, n, "未签约不能交地（当前：%s）", land_states_zh[h->state]);
      snprintf(en, n, "land may be handed over only after signing (now: %s)", land_states[h->state]);
    } else {
      snprintf(zh, n, "当前状态为%s，不能转为%s", land_states_zh[h->state], land_states_zh[to]);
      snprintf(en, n, "cannot move from %s to %s", land_states[h->state], land_states[to]);
    }
    return LAND_ORDER;
  }
  if (to == LS_HANDED_OVER && h->state == LS_SIGNED && h->houses > 0) {
    snprintf(zh, n, "该户有房屋%d栋，倒房后方可交地", h->houses);
    snprintf(en, n, "the household has %d house(s): demolish before handing over", h->houses);
    return LAND_ORDER;
  }
  if ((to == LS_VALUED || to == LS_SIGNED) && h->nitems == 0) {
    snprintf(zh, n, "尚未录入任何补偿项");
    snprintf(en, n, "no compensation item has been recorded");
    return LAND_MISSING;
  }
  if (to == LS_SIGNED) {
    for (int i = 0; i < h->nitems; i++)
      if (!h->items[i].has_amount) {
        snprintf(zh, n, "补偿项「%s」(#%lld)尚未录入金额，不能签约", land_item_kind_zh(h->items[i].kind),
                 (long long)h->items[i].id);
        snprintf(en, n, "compensation item %s (#%lld) has no amount: cannot sign", h->items[i].kind,
                 (long long)h->items[i].id);
        return LAND_MISSING;
      }
  }
  if (to == LS_HANDED_OVER) {
    for (int i = 0; i < h->nitems; i++) {
      const land_item_view *it = &h->items[i];
      int64_t owed = (it->has_amount ? it->amount : 0) - it->paid;
      if (!it->has_amount || owed > 0) {
        char money[32];
        money_format_yuan(owed > 0 ? owed : 0, money);
        snprintf(zh, n, "补偿项「%s」(#%lld)尚欠%s元未支付，不能交地", land_item_kind_zh(it->kind), (long long)it->id, money);
        snprintf(en, n, "compensation item %s (#%lld) still owes %s yuan: cannot hand over", it->kind, (long long)it->id,
                 money);
        return LAND_MISSING;
      }
    }
  }
  return LAND_OK;
}

/* ---- ID numbers and phones ---- */

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int land_id_valid(const char *s) {
  static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char check[] = "10X98765432";
  if (!s || strlen(s) != 18) return 0;
  int sum = 0;
  for (int i = 0; i < 17; i++) {
    if (s[i] < '0' || s[i] > '9') return 0;
    sum += (s[i] - '0') * w[i];
  }
  char c = s[17] == 'x' ? 'X' : s[17];
  if (c != check[sum % 11]) return 0;
  int y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
  int m = (s[10] - '0') * 10 + (s[11] - '0');
  int d = (s[12] - '0') * 10 + (s[13] - '0');
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || m < 1 || m > 12 || d < 1) return 0;
  if (d > mdays[m - 1] + (m == 2 && leap(y))) return 0;
  return 1;
}

void land_mask_id(const char *s, char *buf, size_t n) {
  size_t len = s ? strlen(s) : 0;
  if (len >= 10) snprintf(buf, n, "%.6s%.*s%s", s, (int)(len - 10), "****************", s + len - 4);
  else if (len) snprintf(buf, n, "****");
  else snprintf(buf, n, "%s", "");
}

void land_mask_phone(const char *s, char *buf, size_t n) {
  size_t len = s ? strlen(s) : 0;
  if (len == 11) snprintf(buf, n, "%.3s****%s", s, s + 7);
  else if (len > 4) snprintf(buf, n, "****%s", s + len - 4);
  else if (len) snprintf(buf, n, "****");
  else snprintf(buf, n, "%s", "");
}

/* ---- outlines ---- */

/* Signed area of one ring on the sphere (m²): the spherical-excess
 * approximation R²/2 · Σ (λ₂ − λ₁)(2 + sin φ₁ + sin φ₂). */
static double ring_area(json_t *ring, int *bad) {
  const double R = 6371008.8, rad = 3.14159265358979323846 / 180.0;
  size_t n = json_is_array(ring) ? json_array_size(ring) : 0;
  if (n < 4) {
    *bad = 1;
    return 0;
  }
  double sum = 0;
  for (size_t i = 0; i < n; i++) {
    json_t *a = json_array_get(ring, i), *b = json_array_get(ring, (i + 1) % n);
    if (!json_is_array(a) || !json_is_array(b) || json_array_size(a) < 2 || json_array_size(b) < 2 ||
        !json_is_number(json_array_get(a, 0)) || !json_is_number(json_array_get(a, 1)) ||
        !json_is_number(json_array_get(b, 0)) || !json_is_number(json_array_get(b, 1))) {
      *bad = 1;
      return 0;
    }
    double l1 = json_number_value(json_array_get(a, 0)), p1 = json_number_value(json_array_get(a, 1));
    double l2 = json_number_value(json_array_get(b, 0)), p2 = json_number_value(json_array_get(b, 1));
    if (fabs(l1) > 180 || fabs(p1) > 90) {
      *bad = 1;
      return 0;
    }
    sum += (l2 - l1) * rad * (2 + sin(p1 * rad) + sin(p2 * rad));
  }
  return fabs(sum * R * R / 2);
}

static double polygon_area(json_t *rings, int *bad) {
  if (!json_is_array(rings) || json_array_size(rings) == 0) {
    *bad = 1;
    return 0;
  }
  double area = ring_area(json_array_get(rings, 0), bad);
  for (size_t i = 1; i < json_array_size(rings); i++) area -= ring_area(json_array_get(rings, i), bad);
  return area;
}

double land_geojson_area_m2(const char *text) {
  json_t *g = text ? json_loads(text, 0, NULL) : NULL;
  if (!g) return -1;
  json_t *geom = g;
  const char *type = json_string_value(json_object_get(g, "type"));
  if (type && strcmp(type, "Feature") == 0) {
    geom = json_object_get(g, "geometry");
    type = json_string_value(json_object_get(geom, "type"));
  }
  json_t *coords = json_object_get(geom, "coordinates");
  int bad = 0;
  double area = -1;
  if (type && strcmp(type, "Polygon") == 0) {
    area = polygon_area(coords, &bad);
  } else if (type && strcmp(type, "MultiPolygon") == 0 && json_is_array(coords) && json_array_size(coords) > 0) {
    area = 0;
    for (size_t i = 0; i < json_array_size(coords); i++) area += polygon_area(json_array_get(coords, i), &bad);
  }
  json_decref(g);
  return bad || area < 0 ? -1 : area;
}

int land_area_mismatch(double outline_m2, int64_t recorded_hmu) {
  double recorded = (double)recorded_hmu / 100.0 * 2000.0 / 3.0;
  if (recorded <= 0) return outline_m2 > 0;
  return fabs(outline_m2 - recorded) / recorded > 0.05;
}
