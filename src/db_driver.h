/*
 * db_driver.h — what an engine must provide to sit behind db.h.
 * Private to db.c, db_sqlite.c and db_pg.c; modules never include it.
 */
#ifndef GUATU_DB_DRIVER_H
#define GUATU_DB_DRIVER_H

#include "db.h"

#define DB_CACHE_SLOTS 192

struct db_stmt {
  db *owner;
  void *handle;     /* sqlite3_stmt* or the prepared statement's name (PG) */
  char *sql;        /* as given (with ? placeholders) */
  uint64_t hash;
  int cached, in_use;
  /* PG: the executed result and the cursor into it */
  void *result;
  int row, nrows, executed;
  int nparams;
  db_val *params;   /* PG binds at execution, so it keeps copies */
  char **param_text;
  unsigned char *blob_buf; /* PG: the last unescaped bytea */
  /* SQLite: the first db_step's outcome is kept for a clear error later */
};

typedef struct db_driver {
  int (*open)(db *d, const char *url, char *err, size_t errlen);
  void (*close)(db *d);
  int (*prepare)(db_stmt *st);                 /* sets st->handle */
  int (*bind)(db_stmt *st, int n, const db_val *args);
  int (*step)(db_stmt *st);
  void (*reset)(db_stmt *st);
  void (*finalize)(db_stmt *st);
  int (*columns)(const db_stmt *st);
  const char *(*colname)(const db_stmt *st, int i);
  int (*isnull)(const db_stmt *st, int i);
  int (*coltype)(const db_stmt *st, int i);
  int64_t (*integer)(const db_stmt *st, int i);
  const char *(*text)(const db_stmt *st, int i);
  const void *(*blob)(db_stmt *st, int i, size_t *len);
  int (*script)(db *d, const char *sql);
  int64_t (*changes)(db *d);
  int (*begin)(db *d);
  int (*backup)(db *d, const char *path, char *err, size_t errlen);
  /* After a commit outside an open transaction (autocommit or COMMIT):
   * returns once what this connection committed is durable (SQLite group
   * commit); NULL when the engine's commit already is (PostgreSQL). */
  int (*durable)(db *d);
} db_driver;

struct db {
  enum db_dialect dialect;
  const db_driver *drv;
  void *conn;            /* sqlite3* or PGconn* */
  void *drv_data;        /* PG: the names of the statements prepared on conn (db_pg.c) */
  int in_tx;
  int holds_write_lock;  /* SQLite: this connection holds the process's writer lock */
  int64_t last_changes;  /* PG: rows touched by the last command */
  unsigned next_name;    /* PG: counter for prepared statement names */
  char err[2048];
  int errcode;           /* the code of the failure in err (DB_OK: none yet) */
  int constraint;        /* DBC_*: the kind of a DB_CONSTRAINT failure */
  db_stmt cache[DB_CACHE_SLOTS];
  unsigned cache_clock;
  /* SQLite group commit (db_sqlite.c): the shared WAL barrier of this
   * database file (NULL: synchronous=FULL, each commit syncs itself), and
   * what the hooks saw since the last barrier: WAL frames written by a
   * commit, or a write transaction committing at all. */
  struct wal_barrier *barrier;
  int wal_written, commit_seen;
};

extern const db_driver db_sqlite_driver;
extern const db_driver db_pg_driver;

/* Records an error message "reason [SQL: …]" on the connection, as a
 * DB_ERROR; a driver that knows better sets errcode and constraint after. */
void db_set_error(db *d, const char *sql, const char *reason);

#endif
