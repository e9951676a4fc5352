/*
 * db.h — the one database layer every module uses.
 *
 * Two engines sit behind it: an embedded SQLite file (a district on one small
 * machine) and PostgreSQL through libpq (a city or province on a shared
 * server).  Modules write portable SQL with `?` placeholders and never
 * concatenate values into SQL; the PostgreSQL driver rewrites `?` to `$n`.
 * Portable means: INSERT ... RETURNING id, ON CONFLICT ... DO UPDATE,
 * LIMIT ? OFFSET ?, COALESCE, CASE, || and substr — no strftime, no
 * AUTOINCREMENT outside migrations, no `? IS NULL` (PostgreSQL cannot type an
 * untyped NULL parameter: build the WHERE clause from fixed fragments
 * instead).  Booleans are stored as integers 0/1; money as BIGINT fen; dates
 * as TEXT 'YYYY-MM-DD'; times as TEXT RFC 3339 in UTC.
 *
 * Connections come from a fixed-size pool (one per server thread); a handler
 * gets its connection in req->db and never keeps it past the request.
 */
#ifndef GUATU_DB_H
#define GUATU_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_stmt db_stmt;

enum db_dialect { DB_SQLITE = 1, DB_PG = 2 };

/* Return codes shared by every function here. */
enum {
  DB_OK = 0,
  DB_ROW = 100,   /* db_step: a row is ready */
  DB_DONE = 101,  /* db_step: no more rows */
  DB_ERROR = -1,  /* anything else: db_errmsg() says what, with the SQL */
  DB_CONSTRAINT = -2, /* unique / foreign key / check violation */
  DB_BUSY = -3    /* could not get the lock in time (SQLite) / serialization failure (PG) */
};

enum db_val_type { DBV_NULL, DBV_INT, DBV_TEXT, DBV_REAL, DBV_BLOB };
typedef struct db_val {
  enum db_val_type type;
  int64_t i;
  double d;
  const char *s; /* TEXT: NUL-terminated; BLOB: bytes (len in n) */
  size_t n;
} db_val;

/* Argument constructors: db_query(db, sql, DBI(id), DBT(name)).  DBT(NULL)
 * binds SQL NULL. */
#define DBI(x) ((db_val){.type = DBV_INT, .i = (int64_t)(x)})
static inline db_val db_text_val(const char *s) {
  db_val v = {.type = s ? DBV_TEXT : DBV_NULL, .s = s};
  return v;
}
#define DBT(x) db_text_val(x)
#define DBR(x) ((db_val){.type = DBV_REAL, .d = (double)(x)})
#define DBB(p, len) ((db_val){.type = DBV_BLOB, .s = (const char *)(p), .n = (len)})
#define DBNULL ((db_val){.type = DBV_NULL})

/* Opens the pool: `url` is a file path for SQLite or postgres://… (or
 * postgresql://…) for PostgreSQL.  Returns DB_OK or DB_ERROR with err set. */
int db_pool_open(const char *url, int size, char *err, size_t errlen);
void db_pool_close(void);
/* Blocks until a connection is free.  Never NULL once the pool is open. */
db *db_acquire(void);
void db_release(db *d);
/* A single connection outside the pool, for the CLI (caller db_close()s it). */
db *db_open(const char *url, char *err, size_t errlen);
void db_close(db *d);

enum db_dialect db_dialect(const db *d);
const char *db_errmsg(const db *d);
/* The code of the failure db_errmsg describes: DB_CONSTRAINT, DB_BUSY or
 * DB_ERROR (also when nothing failed since the connection was handed out or
 * the transaction began, which clear both).  For a caller that only saw a
 * NULL statement or a 0 id from a helper. */
int db_errcode(const db *d);
/* After DB_CONSTRAINT: which kind of rule was broken. */
enum { DBC_OTHER = 0, DBC_UNIQUE = 1, DBC_FOREIGN_KEY = 2 };
int db_constraint_kind(const db *d);

/* Prepares (from the connection's statement cache) and binds `n` args.
 * Returns NULL on error (db_errmsg says why).  Finish with db_done(). */
db_stmt *db_prepare(db *d, const char *sql, int n, const db_val *args);
#define DB_NARGS(...) ((int)(sizeof((db_val[]){__VA_ARGS__}) / sizeof(db_val)))
#define db_query(d, sql, ...) db_prepare((d), (sql), DB_NARGS(__VA_ARGS__), (db_val[]){__VA_ARGS__})
#define db_query0(d, sql) db_prepare((d), (sql), 0, NULL)

int db_step(db_stmt *st);           /* DB_ROW, DB_DONE or an error code */
int db_columns(const db_stmt *st);
const char *db_colname(const db_stmt *st, int i);
int db_isnull(const db_stmt *st, int i);
/* DBV_INT, DBV_REAL, DBV_TEXT, DBV_BLOB or DBV_NULL for the current row. */
int db_coltype(const db_stmt *st, int i);
int64_t db_int(const db_stmt *st, int i);
double db_real(const db_stmt *st, int i);
/* Valid until the next db_step/db_done; NULL for SQL NULL. */
const char *db_text(const db_stmt *st, int i);
const void *db_blob(const db_stmt *st, int i, size_t *len);
/* Resets the statement and gives it back to the cache. Accepts NULL. */
void db_done(db_stmt *st);

/* Runs a statement that returns no rows (or ignores them). */
int db_execv(db *d, const char *sql, int n, const db_val *args);
#define db_exec(d, sql, ...) db_execv((d), (sql), DB_NARGS(__VA_ARGS__), (db_val[]){__VA_ARGS__})
#define db_exec0(d, sql) db_execv((d), (sql), 0, NULL)
/* Runs several ;-separated statements without parameters (migrations). */
int db_script(db *d, const char *sql);

/* One-value helpers: the first column of the first row, or `dflt` when
 * there is no row or on error. */
int64_t db_int1v(db *d, int64_t dflt, const char *sql, int n, const db_val *args);
#define db_int1(d, dflt, sql, ...) db_int1v((d), (dflt), (sql), DB_NARGS(__VA_ARGS__), (db_val[]){__VA_ARGS__})
#define db_int10(d, dflt, sql) db_int1v((d), (dflt), (sql), 0, NULL)

/* Rows changed by the last INSERT/UPDATE/DELETE on this connection. */
int64_t db_changes(db *d);

/* WHERE clauses from fixed fragments: appends `cond` (" AND col = ?") to
 * sql and binds v as args[(*n)++], only when the filter is given (text:
 * neither NULL nor empty; integer: not 0). */
struct strbuf;
void db_where_text(struct strbuf *sql, db_val *args, int *n, const char *cond, const char *v);
void db_where_int(struct strbuf *sql, db_val *args, int *n, const char *cond, int64_t v);

/* Transactions.  db_begin takes the write lock at once on SQLite (BEGIN
 * IMMEDIATE) so a transaction never fails half-way on a lock upgrade. */
int db_begin(db *d) __attribute__((warn_unused_result));
int db_commit(db *d);
int db_rollback(db *d);
int db_in_transaction(const db *d);

/* SQLite group commit in this process, over every database file: commits
 * that waited at a WAL barrier and the fdatasyncs that covered them (both 0
 * on PostgreSQL or with GUATU_GROUP_COMMIT=0).  For tests and measurements. */
void db_group_commit_stats(uint64_t *commits, uint64_t *syncs);

/* Online, consistent copy of the whole database to a new SQLite file. */
int db_backup_to(db *d, const char *path, char *err, size_t errlen);

#endif
