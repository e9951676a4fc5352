/*
 * db_sqlite.c — the embedded engine behind db.h.
 *
 * Durability: WAL with synchronous=FULL, so a write acknowledged to a client
 * has been fsync'ed to the WAL and survives kill -9 or power loss.  Writers
 * take the lock at BEGIN (IMMEDIATE) and wait up to 10 s for it, which keeps
 * concurrent writers from failing half-way.
 */
#include "db_driver.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

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

static int sq_open(db *d, const char *url, char *err, size_t errlen) {
  sqlite3 *h = NULL;
  int rc = sqlite3_open_v2(url, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    snprintf(err, errlen, "cannot open %s: %s", url, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
    sqlite3_close(h);
    return DB_ERROR;
  }
  sqlite3_busy_timeout(h, 10000);
  char *msg = NULL;
  rc = sqlite3_exec(h,
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                    "PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;",
                    NULL, NULL, &msg);
  if (rc != SQLITE_OK) {
    snprintf(err, errlen, "cannot set up %s: %s", url, msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    sqlite3_close(h);
    return DB_ERROR;
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
    sq_isnull, sq_coltype, sq_integer, sq_text, sq_blob, sq_script, sq_changes, sq_begin, sq_backup,
};
