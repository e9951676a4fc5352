/*
 * db.c — the engine-neutral half of the database layer: the connection pool,
 * the per-connection statement cache, and the small helpers modules use.
 * See db.h for the rules modules follow to keep their SQL portable.
 */
#include "db_driver.h"
#include "arena.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
  pthread_mutex_t lock;
  pthread_cond_t freed;
  db **all;
  db **idle;
  int size, nidle;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, 0};

static int is_pg_url(const char *url) {
  return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

void db_set_error(db *d, const char *sql, const char *reason) {
  if (sql)
    snprintf(d->err, sizeof d->err, "%s [SQL: %.600s]", reason ? reason : "error", sql);
  else
    snprintf(d->err, sizeof d->err, "%s", reason ? reason : "error");
  d->errcode = DB_ERROR;
  d->constraint = DBC_OTHER;
}

db *db_open(const char *url, char *err, size_t errlen) {
  db *d = calloc(1, sizeof *d);
  if (!d) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  d->dialect = is_pg_url(url) ? DB_PG : DB_SQLITE;
  d->drv = d->dialect == DB_PG ? &db_pg_driver : &db_sqlite_driver;
  if (d->drv->open(d, url, err, errlen) != DB_OK) {
    free(d);
    return NULL;
  }
  return d;
}

static void stmt_destroy(db_stmt *st) {
  if (st->handle) st->owner->drv->finalize(st);
  free(st->sql);
  st->sql = NULL;
  st->handle = NULL;
}

void db_close(db *d) {
  if (!d) return;
  for (int i = 0; i < DB_CACHE_SLOTS; i++)
    if (d->cache[i].sql) stmt_destroy(&d->cache[i]);
  d->drv->close(d);
  free(d);
}

int db_pool_open(const char *url, int size, char *err, size_t errlen) {
  pool.all = calloc((size_t)size, sizeof(db *));
  pool.idle = calloc((size_t)size, sizeof(db *));
  if (!pool.all || !pool.idle) {
    snprintf(err, errlen, "out of memory");
    return DB_ERROR;
  }
  for (int i = 0; i < size; i++) {
    pool.all[i] = db_open(url, err, errlen);
    if (!pool.all[i]) {
      pool.size = i;
      db_pool_close();
      return DB_ERROR;
    }
    /* A server connection never waits on one statement for more than a
     * minute: a runaway query gives its connection back (with an error)
     * instead of holding one of the few pooled connections indefinitely.
     * The CLI's own connections (gen, import, migrate) have no limit. */
    if (pool.all[i]->dialect == DB_PG && db_exec0(pool.all[i], "SET statement_timeout = '60s'") != DB_OK) {
      snprintf(err, errlen, "%s", db_errmsg(pool.all[i]));
      pool.size = i + 1;
      db_pool_close();
      return DB_ERROR;
    }
    pool.idle[i] = pool.all[i];
  }
  pool.size = pool.nidle = size;
  return DB_OK;
}

void db_pool_close(void) {
  for (int i = 0; i < pool.size; i++) db_close(pool.all[i]);
  free(pool.all);
  free(pool.idle);
  pool.all = pool.idle = NULL;
  pool.size = pool.nidle = 0;
}

db *db_acquire(void) {
  pthread_mutex_lock(&pool.lock);
  while (pool.nidle == 0) pthread_cond_wait(&pool.freed, &pool.lock);
  db *d = pool.idle[--pool.nidle];
  pthread_mutex_unlock(&pool.lock);
  d->errcode = DB_OK; /* a failure of an earlier request is no answer for this one */
  d->err[0] = 0;
  return d;
}

void db_release(db *d) {
  if (!d) return;
  if (d->in_tx) db_rollback(d); /* a handler that forgot: never leak a lock */
  pthread_mutex_lock(&pool.lock);
  pool.idle[pool.nidle++] = d;
  pthread_cond_signal(&pool.freed);
  pthread_mutex_unlock(&pool.lock);
}

enum db_dialect db_dialect(const db *d) { return d->dialect; }
const char *db_errmsg(const db *d) { return d->err; }
int db_errcode(const db *d) { return d->errcode == DB_CONSTRAINT || d->errcode == DB_BUSY ? d->errcode : DB_ERROR; }
int db_constraint_kind(const db *d) { return d->errcode == DB_CONSTRAINT ? d->constraint : DBC_OTHER; }

static uint64_t hash_sql(const char *s) {
  uint64_t h = 1469598103934665603ULL; /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

/* The cache holds prepared statements keyed by their SQL text, because
 * preparing is most of the cost of a small query.  A statement already in
 * use (the same query nested in itself) gets an uncached twin. */
db_stmt *db_prepare(db *d, const char *sql, int n, const db_val *args) {
  uint64_t h = hash_sql(sql);
  db_stmt *st = NULL;
  unsigned slot = (unsigned)(h % DB_CACHE_SLOTS);
  db_stmt *c = &d->cache[slot];
  if (c->sql && c->hash == h && !c->in_use && strcmp(c->sql, sql) == 0) {
    st = c;
  } else if (!c->in_use) {
    if (c->sql) stmt_destroy(c);
    memset(c, 0, sizeof *c);
    c->owner = d;
    c->hash = h;
    c->cached = 1;
    c->sql = strdup(sql);
    if (!c->sql || d->drv->prepare(c) != DB_OK) {
      free(c->sql);
      c->sql = NULL;
      return NULL;
    }
    st = c;
  } else {
    st = calloc(1, sizeof *st);
    if (!st) return NULL;
    st->owner = d;
    st->hash = h;
    st->sql = strdup(sql);
    if (!st->sql || d->drv->prepare(st) != DB_OK) {
      free(st->sql);
      free(st);
      return NULL;
    }
  }
  st->in_use = 1;
  if (d->drv->bind(st, n, args) != DB_OK) {
    db_done(st);
    return NULL;
  }
  return st;
}

/* A commit outside an explicit transaction (an autocommit statement, or
 * COMMIT in db_commit) is acknowledged only once it is durable: with SQLite
 * group commit that is a wait at the WAL barrier (db_sqlite.c), after the
 * write lock is released. */
static int durable(db *d) { return d->drv->durable && !d->in_tx ? d->drv->durable(d) : DB_OK; }

int db_step(db_stmt *st) {
  int rc = st->owner->drv->step(st);
  if (rc == DB_DONE && durable(st->owner) != DB_OK) return DB_ERROR;
  return rc;
}
int db_columns(const db_stmt *st) { return st->owner->drv->columns(st); }
const char *db_colname(const db_stmt *st, int i) { return st->owner->drv->colname(st, i); }
int db_isnull(const db_stmt *st, int i) { return st->owner->drv->isnull(st, i); }
const char *db_text(const db_stmt *st, int i) { return st->owner->drv->text(st, i); }
const void *db_blob(const db_stmt *st, int i, size_t *len) {
  return st->owner->drv->blob((db_stmt *)st, i, len);
}

int db_coltype(const db_stmt *st, int i) { return st->owner->drv->coltype(st, i); }
int64_t db_int(const db_stmt *st, int i) { return st->owner->drv->integer(st, i); }

double db_real(const db_stmt *st, int i) {
  const char *t = db_text(st, i);
  return t ? strtod(t, NULL) : 0.0;
}

void db_done(db_stmt *st) {
  if (!st) return;
  st->owner->drv->reset(st);
  /* An autocommit statement left before its end commits here; a failed
   * sync is sticky, so the next write reports it. */
  durable(st->owner);
  st->in_use = 0;
  if (!st->cached) {
    stmt_destroy(st);
    free(st);
  }
}

int db_execv(db *d, const char *sql, int n, const db_val *args) {
  db_stmt *st = db_prepare(d, sql, n, args);
  if (!st) return DB_ERROR;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int db_script(db *d, const char *sql) {
  int rc = d->drv->script(d, sql);
  int drc = durable(d);
  return rc == DB_OK ? drc : rc;
}

int64_t db_int1v(db *d, int64_t dflt, const char *sql, int n, const db_val *args) {
  db_stmt *st = db_prepare(d, sql, n, args);
  if (!st) return dflt;
  int64_t v = dflt;
  if (db_step(st) == DB_ROW && !db_isnull(st, 0)) v = db_int(st, 0);
  db_done(st);
  return v;
}

int64_t db_changes(db *d) { return d->drv->changes(d); }

void db_where_text(strbuf *sql, db_val *args, int *n, const char *cond, const char *v) {
  if (!v || !*v) return;
  sb_adds(sql, cond);
  args[(*n)++] = DBT(v);
}

void db_where_int(strbuf *sql, db_val *args, int *n, const char *cond, int64_t v) {
  if (!v) return;
  sb_adds(sql, cond);
  args[(*n)++] = DBI(v);
}

/* SQLite lets one writer in at a time and makes the others retry with
 * growing sleeps, which starves unlucky writers (a p99 of seconds under 32
 * concurrent writers).  Writers of this process queue on a mutex instead;
 * other processes are still kept apart by SQLite's own lock. */
/* A ticket lock: writers go in the order they arrived (a plain mutex lets
 * the thread that just committed take it again and starve the others). */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t turn;
  unsigned long next, serving;
} sqlite_writer = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};

static void take_write_lock(db *d) {
  pthread_mutex_lock(&sqlite_writer.lock);
  unsigned long ticket = sqlite_writer.next++;
  while (ticket != sqlite_writer.serving) pthread_cond_wait(&sqlite_writer.turn, &sqlite_writer.lock);
  pthread_mutex_unlock(&sqlite_writer.lock);
  d->holds_write_lock = 1;
}

static void release_write_lock(db *d) {
  if (!d->holds_write_lock) return;
  d->holds_write_lock = 0;
  pthread_mutex_lock(&sqlite_writer.lock);
  sqlite_writer.serving++;
  pthread_cond_broadcast(&sqlite_writer.turn);
  pthread_mutex_unlock(&sqlite_writer.lock);
}

int db_begin(db *d) {
  if (d->dialect == DB_SQLITE && !d->holds_write_lock) take_write_lock(d);
  int rc = d->drv->begin(d);
  if (rc == DB_OK) {
    d->in_tx = 1;
    d->errcode = DB_OK; /* db_errcode and db_errmsg speak of this transaction from here */
    d->err[0] = 0;
  } else {
    release_write_lock(d);
  }
  return rc;
}

int db_commit(db *d) {
  int rc = db_exec0(d, "COMMIT");
  /* The analyzer supposes a cache slot (inside *d) could be freed by
   * db_done; slots are marked cached and never are. */
  if (rc == DB_OK) {
    d->in_tx = 0; // NOLINT(clang-analyzer-unix.Malloc)
    /* The next writer goes in while this one waits for its sync: that is
     * what lets writers arriving together share one. */
    release_write_lock(d);
    rc = durable(d);
  }
  return rc;
}

int db_rollback(db *d) {
  d->in_tx = 0;
  int rc = db_exec0(d, "ROLLBACK");
  release_write_lock(d);
  return rc;
}

int db_in_transaction(const db *d) { return d->in_tx; }

int db_backup_to(db *d, const char *path, char *err, size_t errlen) {
  return d->drv->backup(d, path, err, errlen);
}
