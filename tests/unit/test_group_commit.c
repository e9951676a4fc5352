/*
 * test_group_commit.c — SQLite group commit (src/db_sqlite.c, the WAL
 * barrier): every commit that wrote waits for a sync, commits that wrote
 * nothing do not, concurrent writers all land, and GUATU_GROUP_COMMIT=0
 * leaves the barrier out.
 */
#include "db.h"
#include "unit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/guatu-unit-gc-XXXXXX";
static char path[64];

static db *open_db(void) {
  char err[256];
  db *d = db_open(path, err, sizeof err);
  if (!d) fprintf(stderr, "open: %s\n", err);
  return d;
}

static uint64_t commits(void) {
  uint64_t c, s;
  db_group_commit_stats(&c, &s);
  return c;
}

static void test_commits_that_write_wait_for_a_sync_and_others_do_not(void) {
  db *d = open_db();
  CHECK(d != NULL);
  if (!d) return;
  CHECK_EQ_INT(db_exec0(d, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, k TEXT)"), DB_OK);
  uint64_t c0 = commits();
  CHECK_EQ_INT(db_begin(d), DB_OK);
  CHECK_EQ_INT(db_exec(d, "INSERT INTO t (k) VALUES (?)", DBT("tx")), DB_OK);
  CHECK_EQ_INT(db_commit(d), DB_OK);
  CHECK_EQ_INT((long long)(commits() - c0), 1); /* a transaction: one wait, at COMMIT */
  CHECK_EQ_INT(db_exec(d, "INSERT INTO t (k) VALUES (?)", DBT("auto")), DB_OK);
  CHECK_EQ_INT((long long)(commits() - c0), 2); /* an autocommit write waits too */
  db_stmt *st = db_query(d, "INSERT INTO t (k) VALUES (?) RETURNING id", DBT("returning"));
  CHECK(st && db_step(st) == DB_ROW);
  db_done(st); /* left before its end: the commit completes in reset */
  CHECK_EQ_INT((long long)(commits() - c0), 3);
  CHECK_EQ_INT(db_exec(d, "UPDATE t SET k = 'x' WHERE id < 0"), DB_OK);
  CHECK_EQ_INT(db_int10(d, -1, "SELECT COUNT(*) FROM t WHERE k = 'x'"), 0);
  CHECK_EQ_INT((long long)(commits() - c0), 3); /* nothing written: no sync to wait for */
  CHECK_EQ_INT(db_begin(d), DB_OK);
  CHECK_EQ_INT(db_exec(d, "INSERT INTO t (k) VALUES (?)", DBT("rolled back")), DB_OK);
  CHECK_EQ_INT(db_rollback(d), DB_OK);
  CHECK_EQ_INT((long long)(commits() - c0), 3);
  uint64_t c, s;
  db_group_commit_stats(&c, &s);
  CHECK(s >= 1 && s <= c);
  db_close(d);
}

enum { WRITERS = 8, EACH = 40 };

static void *writer(void *arg) {
  db *d = arg;
  for (int i = 0; i < EACH; i++) {
    if (db_begin(d) != DB_OK) continue;
    db_exec(d, "INSERT INTO t (k) VALUES (?)", DBT("concurrent"));
    db_commit(d);
  }
  return NULL;
}

static void test_concurrent_writers_all_land_and_share_syncs(void) {
  db *conns[WRITERS];
  pthread_t th[WRITERS];
  for (int i = 0; i < WRITERS; i++) conns[i] = open_db();
  uint64_t c0, s0, c1, s1;
  db_group_commit_stats(&c0, &s0);
  for (int i = 0; i < WRITERS; i++) pthread_create(&th[i], NULL, writer, conns[i]);
  for (int i = 0; i < WRITERS; i++) pthread_join(th[i], NULL);
  db_group_commit_stats(&c1, &s1);
  CHECK_EQ_INT(db_int10(conns[0], -1, "SELECT COUNT(*) FROM t WHERE k = 'concurrent'"), WRITERS * EACH);
  CHECK_EQ_INT((long long)(c1 - c0), WRITERS * EACH);
  CHECK(s1 - s0 >= 1 && s1 - s0 <= c1 - c0);
  printf("group commit: %llu commits, %llu fdatasyncs\n", (unsigned long long)(c1 - c0), (unsigned long long)(s1 - s0));
  for (int i = 0; i < WRITERS; i++) db_close(conns[i]);
}

static void test_switched_off_no_barrier(void) {
  setenv("GUATU_GROUP_COMMIT", "0", 1);
  db *d = open_db();
  uint64_t c0 = commits();
  CHECK_EQ_INT(db_exec(d, "INSERT INTO t (k) VALUES (?)", DBT("full")), DB_OK);
  CHECK_EQ_INT((long long)(commits() - c0), 0);
  CHECK_EQ_INT(db_int10(d, -1, "PRAGMA synchronous"), 2); /* FULL */
  db_close(d);
  unsetenv("GUATU_GROUP_COMMIT");
  d = open_db();
  CHECK_EQ_INT(db_int10(d, -1, "PRAGMA synchronous"), 1); /* NORMAL, with the barrier */
  db_close(d);
}

static void setup(void) {
  if (!mkdtemp(dir)) abort();
  snprintf(path, sizeof path, "%s/gc.db", dir);
}

static void teardown(void) {
  char p[96];
  const char *suffix[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(p, sizeof p, "%s%s", path, suffix[i]);
    unlink(p);
  }
  rmdir(dir);
}

static void test_all(void) {
  setup();
  test_commits_that_write_wait_for_a_sync_and_others_do_not();
  test_concurrent_writers_all_land_and_share_syncs();
  test_switched_off_no_barrier();
  teardown();
}

UNIT_MAIN(test_all)
