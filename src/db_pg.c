/*
 * db_pg.c — PostgreSQL behind db.h, through libpq.
 *
 * Statements are prepared once per connection (PQprepare) under a generated
 * name, with `?` rewritten to `$n`, and stay prepared for the connection's
 * life: the connection remembers which SQL text has which name, so a
 * statement pushed out of db.c's statement cache is not prepared again (nor
 * DEALLOCATEd) when it comes back — each would be a round trip.  Parameters go untyped, in text form,
 * and PostgreSQL infers each one's type from where it stands in the
 * statement (hence the no-`? IS NULL` rule in db.h).  Results come back in
 * text form, which db.c parses.  Transaction control (BEGIN/COMMIT/…) runs
 * unprepared.
 */
#include "db_driver.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INT8OID 20
#define FLOAT8OID 701
#define BYTEAOID 17

/* What the connection keeps beside libpq's handle: the names of the
 * statements it has prepared, by SQL text (open addressing on db.c's hash). */
#define PG_NAMES 1024 /* a power of two; filled to 3/4 at most */
typedef struct pg_name {
  uint64_t hash;
  char *sql;
  int nparams;
  unsigned id;
} pg_name;
typedef struct pg_conn {
  int used;
  pg_name names[PG_NAMES];
} pg_conn;

#define PGC(d) ((PGconn *)(d)->conn)

static int pg_open(db *d, const char *url, char *err, size_t errlen) {
  pg_conn *pc = calloc(1, sizeof *pc);
  if (!pc) {
    snprintf(err, errlen, "out of memory");
    return DB_ERROR;
  }
  /* One round trip fewer per connection: the session settings travel in
   * the startup packet.  The URL comes last, so what it says wins (an
   * `options` of its own replaces these, hence the SET after).  libpq
   * already turns on TCP_NODELAY for TCP sockets; keepalives notice a
   * PostgreSQL host that went away while a pooled connection sat idle.
   * jit=off: guatu's statements are short index reads, but a query with
   * correlated subqueries over a few thousand rows (the rankings' tasks,
   * costed at 1.6 million) passes jit_above_cost, and PostgreSQL then spent
   * 1.1 s compiling it to run it in 3 ms (the rankings' first answer was
   * 1.2 s per month at province scale, 0.01 s without JIT). */
  const char *keys[] = {"application_name", "options", "keepalives", "keepalives_idle", "connect_timeout", "dbname", NULL};
  const char *vals[] = {"guatu", "-c client_min_messages=warning -c TimeZone=UTC -c jit=off", "1", "60", "10", url, NULL};
  PGconn *c = PQconnectdbParams(keys, vals, 1);
  if (PQstatus(c) != CONNECTION_OK) {
    snprintf(err, errlen, "cannot connect to PostgreSQL: %s", PQerrorMessage(c));
    PQfinish(c);
    free(pc);
    return DB_ERROR;
  }
  if (strstr(url, "options=")) PQclear(PQexec(c, "SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET jit = off"));
  d->conn = c; /* a PGconn*, as gen.c's COPY expects */
  d->drv_data = pc;
  return DB_OK;
}

static void forget_names(pg_conn *pc) {
  for (int i = 0; i < PG_NAMES; i++) free(pc->names[i].sql);
  memset(pc->names, 0, sizeof pc->names);
  pc->used = 0;
}

static pg_name *find_name(pg_conn *pc, uint64_t hash, const char *sql) {
  for (unsigned i = (unsigned)hash & (PG_NAMES - 1);; i = (i + 1) & (PG_NAMES - 1)) {
    pg_name *e = &pc->names[i];
    if (!e->sql || (e->hash == hash && strcmp(e->sql, sql) == 0)) return e;
  }
}

static void pg_close(db *d) {
  pg_conn *pc = d->drv_data;
  PQfinish(d->conn);
  forget_names(pc);
  free(pc);
}

static int map_result(db *d, const char *sql, PGresult *r) {
  ExecStatusType s = PQresultStatus(r);
  if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) return DB_OK;
  const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  db_set_error(d, sql, PQresultErrorMessage(r));
  /* Class 23: integrity constraint violation (23505 unique, 23503 and 23001
   * foreign key, 23514 check, 23502 not null); serialization failure,
   * deadlock and lock_timeout are worth a retry. */
  if (state && strncmp(state, "23", 2) == 0) {
    d->errcode = DB_CONSTRAINT;
    d->constraint = strcmp(state, "23505") == 0                                   ? DBC_UNIQUE
                    : strcmp(state, "23503") == 0 || strcmp(state, "23001") == 0 ? DBC_FOREIGN_KEY
                                                                                  : DBC_OTHER;
  } else if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)) {
    d->errcode = DB_BUSY;
  }
  return d->errcode;
}

static int is_direct(const char *sql) {
  static const char *const words[] = {"BEGIN", "COMMIT", "ROLLBACK", "SET ", "SAVEPOINT", "RELEASE"};
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (strncmp(sql, words[i], strlen(words[i])) == 0) return 1;
  return 0;
}

/* Rewrites ? to $1…$n, leaving question marks inside '…' literals alone. */
static char *rewrite_placeholders(const char *sql, int *count) {
  size_t len = strlen(sql);
  char *out = malloc(len * 4 + 1);
  if (!out) return NULL;
  char *o = out;
  int n = 0, quoted = 0;
  for (const char *p = sql; *p; p++) {
    if (*p == '\'') quoted = !quoted;
    if (*p == '?' && !quoted) o += snprintf(o, 12, "$%d", ++n);
    else *o++ = *p;
  }
  *o = 0;
  *count = n;
  return out;
}

static int pg_prepare(db_stmt *st) {
  db *d = st->owner;
  pg_conn *pc = d->drv_data;
  if (is_direct(st->sql)) {
    st->handle = strdup("");
    st->nparams = 0;
    return st->handle ? DB_OK : DB_ERROR;
  }
  pg_name *e = find_name(pc, st->hash, st->sql);
  if (!e->sql) {
    /* Past 3/4 (an unusual number of distinct texts), a new statement is
     * prepared under a name of its own ("u…") and closed when db.c's cache
     * lets it go, as every statement once was. */
    int keep = pc->used < PG_NAMES / 4 * 3;
    int n = 0;
    char *text = rewrite_placeholders(st->sql, &n);
    char *copy = keep ? strdup(st->sql) : NULL;
    if (!text || (keep && !copy)) {
      free(text);
      free(copy);
      return DB_ERROR;
    }
    unsigned id = ++d->next_name;
    char name[32];
    snprintf(name, sizeof name, "%c%u", keep ? 'g' : 'u', id);
    /* Parameter types are left to inference at prepare time; db_bind sends
     * integers as int8 text, which PostgreSQL casts to the inferred type. */
    PGresult *r = PQprepare(PGC(d), name, text, n, NULL);
    int rc = map_result(d, st->sql, r);
    PQclear(r);
    free(text);
    if (rc != DB_OK) {
      free(copy);
      return rc;
    }
    if (!keep) {
      st->handle = strdup(name);
      st->nparams = n;
      return st->handle ? DB_OK : DB_ERROR;
    }
    *e = (pg_name){st->hash, copy, n, id};
    pc->used++;
  }
  char name[32];
  snprintf(name, sizeof name, "g%u", e->id);
  st->handle = strdup(name);
  st->nparams = e->nparams;
  return st->handle ? DB_OK : DB_ERROR;
}

static void free_params(db_stmt *st) {
  if (st->param_text)
    for (int i = 0; i < st->nparams; i++) free(st->param_text[i]);
  free(st->param_text);
  free(st->params);
  st->param_text = NULL;
  st->params = NULL;
}

static int pg_bind(db_stmt *st, int n, const db_val *args) {
  if (n != st->nparams) {
    db_set_error(st->owner, st->sql, "wrong number of parameters");
    return DB_ERROR;
  }
  free_params(st);
  if (n == 0) return DB_OK;
  st->params = calloc((size_t)n, sizeof(db_val));
  st->param_text = calloc((size_t)n, sizeof(char *));
  if (!st->params || !st->param_text) return DB_ERROR;
  for (int i = 0; i < n; i++) {
    st->params[i] = args[i];
    char num[40];
    switch (args[i].type) {
    case DBV_INT:
      snprintf(num, sizeof num, "%lld", (long long)args[i].i);
      st->param_text[i] = strdup(num);
      break;
    case DBV_REAL:
      snprintf(num, sizeof num, "%.17g", args[i].d);
      st->param_text[i] = strdup(num);
      break;
    case DBV_TEXT: st->param_text[i] = strdup(args[i].s); break;
    case DBV_BLOB:
      st->param_text[i] = malloc(args[i].n ? args[i].n : 1);
      if (st->param_text[i] && args[i].n) memcpy(st->param_text[i], args[i].s, args[i].n);
      break;
    default: continue;
    }
    if (!st->param_text[i]) return DB_ERROR;
  }
  return DB_OK;
}

static int pg_execute(db_stmt *st) {
  db *d = st->owner;
  PGresult *r;
  if (!*(const char *)st->handle) {
    r = PQexec(PGC(d), st->sql);
  } else {
    int n = st->nparams;
    int lengths[n > 0 ? n : 1], formats[n > 0 ? n : 1];
    for (int i = 0; i < n; i++) {
      formats[i] = st->params[i].type == DBV_BLOB;
      lengths[i] = formats[i] ? (int)st->params[i].n : 0;
    }
    r = PQexecPrepared(PGC(d), st->handle, n, (const char *const *)st->param_text, lengths, formats, 0);
  }
  int rc = map_result(d, st->sql, r);
  if (rc != DB_OK) {
    PQclear(r);
    return rc;
  }
  const char *tuples = PQcmdTuples(r);
  d->last_changes = tuples && *tuples ? strtoll(tuples, NULL, 10) : 0;
  st->result = r;
  st->nrows = PQntuples(r);
  st->row = -1;
  st->executed = 1;
  return DB_OK;
}

static int pg_step(db_stmt *st) {
  if (!st->executed) {
    int rc = pg_execute(st);
    if (rc != DB_OK) return rc;
  }
  if (st->row + 1 < st->nrows) {
    st->row++;
    return DB_ROW;
  }
  st->row = st->nrows;
  return DB_DONE;
}

static void pg_reset(db_stmt *st) {
  PQclear(st->result);
  st->result = NULL;
  st->executed = 0;
  st->row = st->nrows = 0;
  free(st->blob_buf);
  st->blob_buf = NULL;
  free_params(st);
}

static void pg_finalize(db_stmt *st) {
  pg_reset(st);
  /* A remembered statement stays prepared (see find_name) until the
   * connection closes; only one prepared past the limit is closed. */
  if (*(const char *)st->handle == 'u') {
    char sql[64];
    snprintf(sql, sizeof sql, "DEALLOCATE %s", (const char *)st->handle);
    PQclear(PQexec(PGC(st->owner), sql));
  }
  free(st->handle);
}

static int pg_columns(const db_stmt *st) { return st->result ? PQnfields(st->result) : 0; }
static const char *pg_colname(const db_stmt *st, int i) { return PQfname(st->result, i); }
static int pg_isnull(const db_stmt *st, int i) { return PQgetisnull(st->result, st->row, i); }
static int pg_coltype(const db_stmt *st, int i) {
  if (PQgetisnull(st->result, st->row, i)) return DBV_NULL;
  switch (PQftype(st->result, i)) {
  case 20: case 21: case 23: return DBV_INT; /* int8, int2, int4 */
  case 700: case FLOAT8OID: return DBV_REAL;
  case BYTEAOID: return DBV_BLOB;
  case 1700: /* numeric: SUM() of bigints is numeric but whole */
    return strchr(PQgetvalue(st->result, st->row, i), '.') ? DBV_REAL : DBV_INT;
  default: return DBV_TEXT;
  }
}
static int64_t pg_integer(const db_stmt *st, int i) {
  if (PQgetisnull(st->result, st->row, i)) return 0;
  return strtoll(PQgetvalue(st->result, st->row, i), NULL, 10);
}
static const char *pg_text(const db_stmt *st, int i) {
  if (PQgetisnull(st->result, st->row, i)) return NULL;
  return PQgetvalue(st->result, st->row, i);
}
static const void *pg_blob(db_stmt *st, int i, size_t *len) {
  *len = 0;
  if (PQgetisnull(st->result, st->row, i)) return NULL;
  free(st->blob_buf);
  st->blob_buf = PQunescapeBytea((const unsigned char *)PQgetvalue(st->result, st->row, i), len);
  return st->blob_buf;
}

static int pg_script(db *d, const char *sql) {
  PGresult *r = PQexec(PGC(d), sql);
  int rc = map_result(d, NULL, r);
  PQclear(r);
  return rc;
}

static int64_t pg_changes(db *d) { return d->last_changes; }
static int pg_begin(db *d) { return db_exec0(d, "BEGIN"); }

static int pg_backup(db *d, const char *path, char *err, size_t errlen) {
  (void)d;
  snprintf(err, errlen,
           "backup of a PostgreSQL database is done with pg_dump (see docs/operations.md), not to %s", path);
  return DB_ERROR;
}

const db_driver db_pg_driver = {
    pg_open, pg_close, pg_prepare, pg_bind, pg_step, pg_reset, pg_finalize, pg_columns, pg_colname,
    pg_isnull, pg_coltype, pg_integer, pg_text, pg_blob, pg_script, pg_changes, pg_begin, pg_backup, NULL,
};
