/*
 * demo_land.c — the demo district's land acquisition ledgers.
 */
#include "land_http.h"

int land_demo(db *d, FILE *log) {
  (void)d;
  (void)log;
  return 0;
}
