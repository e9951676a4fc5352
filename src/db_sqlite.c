/*
 * db_sqlite.c — the embedded engine behind db.h.
 *
 * Durability with group commit (docs/architecture.md, "Group commit"): the
 * file runs in WAL mode with synchronous=NORMAL, so a COMMIT appends its
 * frames to the -wal file without an fsync, and then the committing thread
 * waits at the file's WAL barrier (below) until one fdatasync of the -wal,
 * started after its frames were written, has returned.  Writers that commit
 * while a sync runs share the next one, so 32 concurrent writers pay for a
 * few syncs, not 32, and a write is still acknowledged only once it would
 * survive kill -9 or power loss.  GUATU_GROUP_COMMIT=0 falls back to
 * synchronous=FULL (SQLite syncs inside each COMMIT, holding the lock).
 * Writers take the lock at BEGIN (IMMEDIATE) and wait up to 10 s for it,
 * which keeps concurrent writers from failing half-way.
 */
#include "db_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int map_rc(int rc) {
  switch (rc & 0xff) {
  case SQLITE_OK: return DB_OK;
  case SQLITE_ROW: return DB_ROW;
  case SQLITE_DONE: return DB_DONE;
  case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
  case SQLITE_BUSY:
  case SQLITE_LOCKED: return DB_BUSY;
  default: return DB_ERROR;
  }
}

/* Records a failure `rc` of the connection with its message and returns its
 * db.h code; for DB_CONSTRAINT also which kind (from the extended code).  A
 * trigger's RAISE(ABORT) reaches SQLite's callers as a constraint, but it is
 * the schema refusing (the append-only audit log), as RAISE EXCEPTION is on
 * PostgreSQL: DB_ERROR on both. */
static int sq_fail(db *d, const char *sql, int rc, const char *msg) {
  db_set_error(d, sql, msg);
  int ext = sqlite3_extended_errcode(d->conn), code = map_rc(rc);
  if (code == DB_CONSTRAINT && ext == SQLITE_CONSTRAINT_TRIGGER) code = DB_ERROR;
  if (code == DB_CONSTRAINT)
    d->constraint = ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY ? DBC_UNIQUE
                    : ext == SQLITE_CONSTRAINT_FOREIGNKEY                                 ? DBC_FOREIGN_KEY
                                                                                          : DBC_OTHER;
  d->errcode = code;
  return code;
}

/* ---- group commit: the WAL durability barrier ----
 *
 * One per database file and process.  `committed` counts the commits that
 * have reached the barrier (their frames are in the -wal file: write(2)
 * returned before the count was taken); `synced` is the highest count that
 * a finished fdatasync covers.  A committer takes the next count and waits
 * until synced reaches it.  When no sync is running, the waiter becomes the
 * leader: it notes the current count, syncs with the lock released, then
 * publishes that count and wakes everyone.  Commits counted during a sync
 * wait for the next one, since their frames may have missed it. */
typedef struct wal_barrier {
  char *path; /* the -wal file */
  int fd;     /* opened once by path; fdatasync on any fd syncs the inode */
  pthread_mutex_t lock;
  pthread_cond_t synced_cond;
  uint64_t committed, synced;
  uint64_t syncs; /* fdatasyncs done */
  int syncing;
  int failed; /* errno of a failed sync: sticky, nothing is called durable after it */
  struct wal_barrier *next;
} wal_barrier;

static struct {
  pthread_mutex_t lock;
  wal_barrier *list;
} barriers = {PTHREAD_MUTEX_INITIALIZER, NULL};

/* The barrier of the -wal file `path`, created on first use; lives until the
 * process ends (one per database file opened). */
static wal_barrier *barrier_for(const char *path) {
  pthread_mutex_lock(&barriers.lock);
  wal_barrier *b = barriers.list;
  while (b && strcmp(b->path, path) != 0) b = b->next;
  if (!b && (b = calloc(1, sizeof *b)) != NULL) {
    b->path = strdup(path);
    if (!b->path) {
      free(b);
      b = NULL;
    } else {
      b->fd = -1;
      pthread_mutex_init(&b->lock, NULL);
      pthread_cond_init(&b->synced_cond, NULL);
      b->next = barriers.list;
      barriers.list = b;
    }
  }
  pthread_mutex_unlock(&barriers.lock);
  return b;
}

/* Syncs the -wal file; only the leader calls it, so b->fd is its own.  The
 * descriptor is reopened if the path now names another file (SQLite deletes
 * the -wal when the last connection of every process closes). */
static int barrier_sync(wal_barrier *b) {
  struct stat at_path, open_one;
  if (b->fd >= 0 && (stat(b->path, &at_path) != 0 || fstat(b->fd, &open_one) != 0 ||
                     at_path.st_ino != open_one.st_ino || at_path.st_dev != open_one.st_dev)) {
    close(b->fd);
    b->fd = -1;
  }
  if (b->fd < 0) b->fd = open(b->path, O_RDONLY | O_CLOEXEC);
  if (b->fd < 0) return errno ? errno : EIO;
  return fdatasync(b->fd) == 0 ? 0 : (errno ? errno : EIO);
}

/* Returns 0 once a sync started after this call has covered the caller's
 * commit, or the errno of a failed sync. */
static int barrier_wait(wal_barrier *b) {
  pthread_mutex_lock(&b->lock);
  uint64_t mine = ++b->committed;
  while (b->synced < mine && !b->failed) {
    if (b->syncing) {
      pthread_cond_wait(&b->synced_cond, &b->lock);
      continue;
    }
    b->syncing = 1;
    uint64_t upto = b->committed;
    pthread_mutex_unlock(&b->lock);
    int err = barrier_sync(b);
    pthread_mutex_lock(&b->lock);
    b->syncing = 0;
    b->syncs++;
    if (err)
      b->failed = err;
    else
      b->synced = upto;
    pthread_cond_broadcast(&b->synced_cond);
  }
  int failed = b->failed;
  pthread_mutex_unlock(&b->lock);
  return failed;
}

void db_group_commit_stats(uint64_t *commits, uint64_t *syncs) {
  *commits = *syncs = 0;
  pthread_mutex_lock(&barriers.lock);
  for (wal_barrier *b = barriers.list; b; b = b->next) {
    pthread_mutex_lock(&b->lock);
    *commits += b->committed;
    *syncs += b->syncs;
    pthread_mutex_unlock(&b->lock);
  }
  pthread_mutex_unlock(&barriers.lock);
}

/* SQLite calls this after every commit that appended frames to the WAL,
 * with the write lock already released.  It replaces the built-in
 * auto-checkpoint hook, so it checkpoints as that one would (PASSIVE, at
 * 1000 pages); in synchronous=NORMAL a checkpoint syncs the WAL before it
 * copies pages back and the database file before the WAL is reused. */
static int on_wal_commit(void *arg, sqlite3 *h, const char *dbname, int pages) {
  db *d = arg;
  d->wal_written = 1;
  if (pages >= 1000) sqlite3_wal_checkpoint(h, dbname);
  return SQLITE_OK;
}

/* Called as any write transaction commits (before it does), even one that
 * changed nothing; the WAL hook then tells whether it wrote frames. */
static int on_commit(void *arg) {
  db *d = arg;
  d->commit_seen = 1;
  return 0;
}

static int sq_durable(db *d) {
  if (!d->barrier || !(d->wal_written || d->commit_seen)) return DB_OK;
  if (!d->wal_written) {
    /* A commit finished by sqlite3_reset (an autocommit statement not
     * stepped to its end) runs the WAL hook only at the next statement
     * that completes: complete one. */
    sqlite3_exec(d->conn, "SELECT 1", NULL, NULL, NULL);
  }
  int wrote = d->wal_written;
  d->wal_written = d->commit_seen = 0;
  if (!wrote) return DB_OK;
  int err = barrier_wait(d->barrier);
  if (err) {
    char msg[256];
    snprintf(msg, sizeof msg, "the commit could not be made durable: fdatasync of the WAL failed (%s)", strerror(err));
    db_set_error(d, NULL, msg);
    return DB_ERROR;
  }
  return DB_OK;
}

/* Collects the first column of a PRAGMA's answer. */
static int first_column(void *out, int n, char **vals, char **names) {
  (void)names;
  if (n > 0 && vals[0]) snprintf(out, 16, "%s", vals[0]);
  return 0;
}

static int group_commit_enabled(void) {
  const char *e = getenv("GUATU_GROUP_COMMIT");
  return !(e && strcmp(e, "0") == 0);
}

static int sq_open(db *d, const char *url, char *err, size_t errlen) {
  sqlite3 *h = NULL;
  int rc = sqlite3_open_v2(url, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    snprintf(err, errlen, "cannot open %s: %s", url, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
    sqlite3_close(h);
    return DB_ERROR;
  }
  sqlite3_busy_timeout(h, 10000);
  char *msg = NULL, mode[16] = "";
  rc = sqlite3_exec(h, "PRAGMA journal_mode=WAL", first_column, mode, &msg);
  /* Group commit needs a WAL on disk (an in-memory database has none). */
  const char *file = rc == SQLITE_OK ? sqlite3_db_filename(h, "main") : NULL;
  int group = rc == SQLITE_OK && strcmp(mode, "wal") == 0 && file && *file && group_commit_enabled();
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(h,
                      group ? "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                              "PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;"
                            : "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                              "PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;",
                      NULL, NULL, &msg);
  if (rc == SQLITE_OK && group) {
    d->barrier = barrier_for(sqlite3_filename_wal(file));
    if (!d->barrier) rc = sqlite3_exec(h, "PRAGMA synchronous=FULL", NULL, NULL, &msg);
  }
  if (rc != SQLITE_OK) {
    snprintf(err, errlen, "cannot set up %s: %s", url, msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    sqlite3_close(h);
    return DB_ERROR;
  }
  if (d->barrier) {
    sqlite3_commit_hook(h, on_commit, d);
    sqlite3_wal_hook(h, on_wal_commit, d);
  }
  d->conn = h;
  return DB_OK;
}

static void sq_close(db *d) { sqlite3_close_v2(d->conn); }

static int sq_prepare(db_stmt *st) {
  sqlite3_stmt *h = NULL;
  int rc = sqlite3_prepare_v3(st->owner->conn, st->sql, -1, st->cached ? SQLITE_PREPARE_PERSISTENT : 0, &h, NULL);
  if (rc != SQLITE_OK) return sq_fail(st->owner, st->sql, rc, sqlite3_errmsg(st->owner->conn));
  st->handle = h;
  return DB_OK;
}

static int sq_bind(db_stmt *st, int n, const db_val *args) {
  sqlite3_stmt *h = st->handle;
  if (n != sqlite3_bind_parameter_count(h)) {
    db_set_error(st->owner, st->sql, "wrong number of parameters");
    return DB_ERROR;
  }
  for (int i = 0; i < n; i++) {
    int rc;
    switch (args[i].type) {
    case DBV_INT: rc = sqlite3_bind_int64(h, i + 1, args[i].i); break;
    case DBV_TEXT: rc = sqlite3_bind_text(h, i + 1, args[i].s, -1, SQLITE_TRANSIENT); break;
    case DBV_REAL: rc = sqlite3_bind_double(h, i + 1, args[i].d); break;
    case DBV_BLOB: rc = sqlite3_bind_blob64(h, i + 1, args[i].s, args[i].n, SQLITE_TRANSIENT); break;
    default: rc = sqlite3_bind_null(h, i + 1); break;
    }
    if (rc != SQLITE_OK) {
      db_set_error(st->owner, st->sql, sqlite3_errmsg(st->owner->conn));
      return DB_ERROR;
    }
  }
  return DB_OK;
}

static int sq_step(db_stmt *st) {
  int rc = sqlite3_step(st->handle);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) return map_rc(rc);
  return sq_fail(st->owner, st->sql, rc, sqlite3_errmsg(st->owner->conn));
}

static void sq_reset(db_stmt *st) {
  sqlite3_reset(st->handle);
  sqlite3_clear_bindings(st->handle);
}

static void sq_finalize(db_stmt *st) { sqlite3_finalize(st->handle); }
static int sq_columns(const db_stmt *st) { return sqlite3_column_count(st->handle); }
static const char *sq_colname(const db_stmt *st, int i) { return sqlite3_column_name(st->handle, i); }
static int sq_isnull(const db_stmt *st, int i) { return sqlite3_column_type(st->handle, i) == SQLITE_NULL; }
static int sq_coltype(const db_stmt *st, int i) {
  switch (sqlite3_column_type(st->handle, i)) {
  case SQLITE_INTEGER: return DBV_INT;
  case SQLITE_FLOAT: return DBV_REAL;
  case SQLITE_BLOB: return DBV_BLOB;
  case SQLITE_NULL: return DBV_NULL;
  default: return DBV_TEXT;
  }
}
static int64_t sq_integer(const db_stmt *st, int i) { return sqlite3_column_int64(st->handle, i); }
static const char *sq_text(const db_stmt *st, int i) {
  return (const char *)sqlite3_column_text(st->handle, i);
}
static const void *sq_blob(db_stmt *st, int i, size_t *len) {
  const void *p = sqlite3_column_blob(st->handle, i);
  *len = (size_t)sqlite3_column_bytes(st->handle, i);
  return p;
}

static int sq_script(db *d, const char *sql) {
  char *msg = NULL;
  int rc = sqlite3_exec(d->conn, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK) {
    rc = sq_fail(d, NULL, rc, msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return rc;
  }
  return DB_OK;
}

static int64_t sq_changes(db *d) { return sqlite3_changes64(d->conn); }

static int sq_begin(db *d) { return db_exec0(d, "BEGIN IMMEDIATE"); }

static int sq_backup(db *d, const char *path, char *err, size_t errlen) {
  sqlite3 *dst = NULL;
  if (sqlite3_open(path, &dst) != SQLITE_OK) {
    snprintf(err, errlen, "cannot create %s: %s", path, sqlite3_errmsg(dst));
    sqlite3_close(dst);
    return DB_ERROR;
  }
  /* One step copies everything under a read transaction: a consistent
   * snapshot even while the server keeps writing (WAL readers don't block). */
  sqlite3_backup *b = sqlite3_backup_init(dst, "main", d->conn, "main");
  int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
  if (b) sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(dst));
    sqlite3_close(dst);
    return DB_ERROR;
  }
  sqlite3_close(dst);
  return DB_OK;
}

const db_driver db_sqlite_driver = {
    sq_open, sq_close, sq_prepare, sq_bind, sq_step, sq_reset, sq_finalize, sq_columns, sq_colname,
    sq_isnull, sq_coltype, sq_integer, sq_text, sq_blob, sq_script, sq_changes, sq_begin, sq_backup, sq_durable,
};
