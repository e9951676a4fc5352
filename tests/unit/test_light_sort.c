/*
 * test_light_sort.c — two requests sorting the project list by light at
 * the same time each get their own order (GET /api/v1/public/projects,
 * sort=light and sort=-light, on the demo district).
 *
 * On the server the two requests run on two threads and the damage needs
 * one to sort while the other is inside its sort, a window of microseconds
 * that a test over HTTP hits only by luck.  Here it is made certain: this
 * program defines qsort and qsort_r itself (the program's definitions win
 * over the C library's for every object linked into it), and while the
 * first request sorts, a whole second request sorting the other way runs
 * before the first one's sort goes on, which is the worst interleaving two
 * threads can produce.  The requests go through the real pipeline
 * (route_dispatch); their query strings come from a stand-in for
 * libmicrohttpd's MHD_lookup_connection_value, so no socket is needed.
 */
#include <dlfcn.h>
#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/db.h"
#include "../../src/http.h"
#include "../../src/migrate.h"
#include "unit.h"

/* ---- the query string of a request without a connection ---- */

typedef struct fake_query {
  const char *sort, *per_page;
} fake_query;

const char *MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind, const char *key) {
  const fake_query *q = (const fake_query *)(void *)connection;
  if (!q || kind != MHD_GET_ARGUMENT_KIND) return NULL;
  if (strcmp(key, "sort") == 0) return q->sort;
  if (strcmp(key, "per_page") == 0) return q->per_page;
  return NULL;
}

/* The ids of the list, in order, as a JSON array (caller frees), or NULL. */
static json_t *list_ids(const char *sort) {
  fake_query q = {sort, "500"};
  req r = {0};
  arena_init(&r.a);
  r.method = "GET";
  r.path = "/api/v1/public/projects";
  r.ip = "127.0.0.1";
  r.conn = &q;
  route_dispatch(&r);
  json_t *ids = NULL;
  json_t *o = r.status == 200 ? json_loadb(r.out, r.out_len, 0, NULL) : NULL;
  if (o) {
    ids = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(o, "items"), i, item) json_array_append(ids, json_object_get(item, "id"));
  } else {
    fprintf(stderr, "GET %s?sort=%s: %u %.*s\n", r.path, sort, r.status, (int)r.out_len, r.out ? r.out : "");
  }
  json_decref(o);
  free(r.out);
  json_decref(r.errors);
  json_decref(r.body_json);
  arena_release(&r.a);
  return ids;
}

/* ---- sorts that let another request run first ---- */

static int interleave;         /* 1: every sort first runs the other request */
static json_t *other_ids;      /* what that request answered (the last time) */
static int other_runs;

static void run_the_other_request(void) {
  if (!interleave) return;
  interleave = 0; /* its own sorts run plainly */
  json_decref(other_ids);
  other_ids = list_ids("-light");
  other_runs++;
  interleave = 1;
}

typedef void (*qsort_fn)(void *, size_t, size_t, int (*)(const void *, const void *));
typedef void (*qsort_r_fn)(void *, size_t, size_t, int (*)(const void *, const void *, void *), void *);

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  static qsort_fn real;
  if (!real) real = (qsort_fn)dlsym(RTLD_NEXT, "qsort");
  run_the_other_request();
  real(base, n, size, cmp);
}

void qsort_r(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *, void *), void *arg) {
  static qsort_r_fn real;
  if (!real) real = (qsort_r_fn)dlsym(RTLD_NEXT, "qsort_r");
  run_the_other_request();
  real(base, n, size, cmp, arg);
}

/* ---- the test ---- */

/* What `guatu demo --db path` does (the command itself lives in main.c). */
static int load_demo(const char *path) {
  char err[256];
  db *d = db_open(path, err, sizeof err);
  if (!d || migrate_run(d, NULL, err, sizeof err) != 0) {
    fprintf(stderr, "%s: %s\n", path, err);
    db_close(d);
    return -1;
  }
  FILE *quiet = fopen("/dev/null", "w");
  int rc = db_begin(d);
  for (int i = 0; rc == DB_OK && i < module_count(); i++)
    if (module_at(i)->demo && module_at(i)->demo(d, quiet) != 0) rc = DB_ERROR;
  if (rc == DB_OK) rc = db_commit(d);
  else db_rollback(d);
  if (quiet) fclose(quiet);
  db_close(d);
  return rc == DB_OK ? 0 : -1;
}

static void test_sorts_do_not_disturb_each_other(void) {
  char dir[] = "/tmp/guatu-unit-sort-XXXXXX";
  if (!mkdtemp(dir)) {
    CHECK(!"mkdtemp");
    return;
  }
  setenv("GUATU_TODAY", "2026-11-18", 0); /* the day the API suites assume (tests/api/lib.mjs) */
  char path[64], err[256];
  snprintf(path, sizeof path, "%s/demo.db", dir);
  CHECK_EQ_INT(load_demo(path), 0);
  CHECK_EQ_INT(db_pool_open(path, 3, err, sizeof err), DB_OK);

  /* The orders, asked one at a time. */
  json_t *up = list_ids("light"), *down = list_ids("-light");
  CHECK(up && down && json_array_size(up) > 50 && json_array_size(up) == json_array_size(down));
  CHECK(!json_equal(up, down)); /* the demo has projects of every light */

  /* Ascending, while the descending request runs in the middle of each sort. */
  interleave = 1;
  json_t *got = list_ids("light");
  interleave = 0;
  CHECK(other_runs > 0);
  CHECK(json_equal(other_ids, down));
  CHECK(json_equal(got, up));
  if (got && up && !json_equal(got, up)) {
    char *g = json_dumps(got, JSON_COMPACT), *w = json_dumps(up, JSON_COMPACT);
    fprintf(stderr, "ascending ids while another request sorted descending:\n got  %s\n want %s\n", g, w);
    free(g);
    free(w);
  }
  json_decref(got);
  json_decref(other_ids);
  json_decref(up);
  json_decref(down);
  db_pool_close();
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK_EQ_INT(system(cmd), 0);
}

UNIT_MAIN(test_sorts_do_not_disturb_each_other)
