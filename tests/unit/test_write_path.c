/*
 * test_write_path.c — the one write path (src/api.c commit_reply) and what
 * it stands on: the SQLite driver's codes for a broken rule (db_errcode,
 * db_constraint_kind), reply_db_error deciding by the code and answering
 * bilingually, reply_json without a body, and commit_reply rolling back and
 * dropping the success's headers on failure.  PostgreSQL's codes are covered
 * by tests/api/write_path.test.mjs, which runs on both engines.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/db.h"
#include "../../src/http.h"
#include "unit.h"

static db *d;
static char dir[] = "/tmp/guatu-unit-XXXXXX";
static char path[64];

static void setup(void) {
  char err[256] = "";
  if (!mkdtemp(dir)) return;
  snprintf(path, sizeof path, "%s/t.db", dir);
  d = db_open(path, err, sizeof err);
  CHECK(d != NULL);
  if (!d) return;
  CHECK_EQ_INT(db_script(d,
                         "CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE);"
                         "CREATE TABLE c (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t(id));"
                         "CREATE TABLE log (id INTEGER PRIMARY KEY, x TEXT);"
                         "CREATE TRIGGER log_no_delete BEFORE DELETE ON log BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
                         "INSERT INTO t (id, k) VALUES (1, 'a'); INSERT INTO log (x) VALUES ('x');"),
               DB_OK);
}

static void new_req(req *r) {
  memset(r, 0, sizeof *r);
  arena_init(&r->a);
  r->db = d;
  r->method = "POST";
  r->path = "/test";
}

static void end_req(req *r) {
  free(r->out);
  json_decref(r->errors);
  arena_release(&r->a);
}

/* The reply's body as JSON (NULL if it is none). */
static json_t *body(const req *r) { return r->out ? json_loadb(r->out, r->out_len, 0, NULL) : NULL; }

static int bilingual(const char *s) {
  /* "中文 / English": a non-ASCII part, the separator, then ASCII letters */
  const char *sep = s ? strstr(s, " / ") : NULL;
  return sep && (unsigned char)s[0] >= 0x80 && sep[3] >= 'A' && sep[3] <= 'z';
}

static void test_sqlite_codes(void) {
  if (!d) return;
  CHECK_EQ_INT(db_exec(d, "INSERT INTO t (k) VALUES (?)", DBT("a")), DB_CONSTRAINT);
  CHECK_EQ_INT(db_errcode(d), DB_CONSTRAINT);
  CHECK_EQ_INT(db_constraint_kind(d), DBC_UNIQUE);
  CHECK_EQ_INT(db_exec(d, "INSERT INTO t (id, k) VALUES (1, 'b')"), DB_CONSTRAINT);
  CHECK_EQ_INT(db_constraint_kind(d), DBC_UNIQUE);
  CHECK_EQ_INT(db_exec(d, "INSERT INTO c (t_id) VALUES (?)", DBI(99)), DB_CONSTRAINT);
  CHECK_EQ_INT(db_constraint_kind(d), DBC_FOREIGN_KEY);
  CHECK_EQ_INT(db_exec(d, "INSERT INTO t (k) VALUES (?)", DBNULL), DB_CONSTRAINT);
  CHECK_EQ_INT(db_constraint_kind(d), DBC_OTHER);
  /* the schema refusing through a trigger is no client's conflict */
  CHECK_EQ_INT(db_exec0(d, "DELETE FROM log"), DB_ERROR);
  CHECK_EQ_INT(db_errcode(d), DB_ERROR);
  CHECK(strstr(db_errmsg(d), "append-only") != NULL);
  CHECK(db_query0(d, "SELEC nonsense") == NULL);
  CHECK_EQ_INT(db_errcode(d), DB_ERROR);
  CHECK_EQ_INT(db_constraint_kind(d), DBC_OTHER);
  /* a new transaction forgets the failures before it */
  CHECK_EQ_INT(db_exec(d, "INSERT INTO t (k) VALUES (?)", DBT("a")), DB_CONSTRAINT);
  CHECK_EQ_INT(db_begin(d), DB_OK);
  CHECK_EQ_INT(db_errcode(d), DB_ERROR);
  CHECK_EQ_INT(db_constraint_kind(d), DBC_OTHER);
  CHECK_EQ_INT(db_rollback(d), DB_OK);
}

static void test_reply_db_error_by_code(void) {
  if (!d) return;
  static const struct {
    int rc;
    const char *sql; /* the failure db_errmsg and db_constraint_kind describe */
    unsigned status;
    const char *title;
  } rows[] = {
      {DB_CONSTRAINT, "INSERT INTO t (k) VALUES ('a')", 409, "与已有数据冲突 / Conflict"},
      {DB_CONSTRAINT, "INSERT INTO c (t_id) VALUES (99)", 409, "仍被引用 / Still referenced"},
      {DB_CONSTRAINT, "INSERT INTO t (k) VALUES (NULL)", 409, "与已有数据冲突 / Conflict"},
      {DB_BUSY, NULL, 503, "系统繁忙 / Busy"},
      {DB_ERROR, NULL, 500, "内部错误 / Internal error"},
      /* the code decides, not the words of the message */
      {DB_ERROR, "INSERT INTO t (k) VALUES ('a')", 500, "内部错误 / Internal error"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    if (rows[i].sql) db_exec0(d, rows[i].sql);
    req r;
    new_req(&r);
    reply_db_error(&r, rows[i].rc);
    json_t *b = body(&r);
    const char *title = json_string_value(json_object_get(b, "title"));
    const char *detail = json_string_value(json_object_get(b, "detail"));
    CHECK_ROW(r.status == rows[i].status, "row %zu: status %u", i, r.status);
    CHECK_ROW(title && strcmp(title, rows[i].title) == 0, "row %zu: title %s", i, title ? title : "(none)");
    CHECK_ROW(bilingual(detail), "row %zu: detail %s", i, detail ? detail : "(none)");
    CHECK_ROW(r.out_type && strncmp(r.out_type, "application/problem+json", 24) == 0, "row %zu", i);
    CHECK_ROW(json_integer_value(json_object_get(b, "status")) == rows[i].status, "row %zu", i);
    int retry = r.nheaders == 1 && strcmp(r.headers[0].name, "Retry-After") == 0;
    CHECK_ROW(retry == (rows[i].status == 503), "row %zu: Retry-After only when busy", i);
    json_decref(b);
    end_req(&r);
  }
}

static void test_reply_json_without_body(void) {
  req r;
  new_req(&r);
  reply_header(&r, "ETag", "\"3\"");
  reply_json(&r, 201, NULL);
  CHECK_EQ_INT(r.status, 500);
  CHECK_EQ_INT(r.nheaders, 0);
  CHECK(r.out_type && strncmp(r.out_type, "application/problem+json", 24) == 0);
  json_t *b = body(&r);
  CHECK_EQ_INT(json_integer_value(json_object_get(b, "status")), 500);
  CHECK(bilingual(json_string_value(json_object_get(b, "title"))));
  CHECK(json_is_array(json_object_get(b, "errors")));
  json_decref(b);
  end_req(&r);
}

static int64_t count_t(void) { return db_int10(d, -1, "SELECT COUNT(*) FROM t"); }

static void test_commit_reply(void) {
  if (!d) return;
  int64_t n0 = count_t();
  /* a constraint broken half-way: 409, nothing kept, no ETag on the error */
  req r;
  new_req(&r);
  int rc = db_begin(d);
  if (rc == DB_OK) rc = db_exec(d, "INSERT INTO t (k) VALUES ('new')");
  if (rc == DB_OK) rc = db_exec(d, "INSERT INTO t (k) VALUES ('a')");
  CHECK_EQ_INT(rc, DB_CONSTRAINT);
  reply_header(&r, "ETag", "\"2\"");
  field_error(&r, "k", "字段", "field");
  commit_reply(&r, rc, json_object(), json_object(), 200);
  CHECK_EQ_INT(r.status, 409);
  CHECK_EQ_INT(r.nheaders, 0);
  CHECK(!db_in_transaction(d));
  CHECK_EQ_INT(count_t(), n0);
  json_t *b = body(&r);
  CHECK_EQ_INT(json_array_size(json_object_get(b, "errors")), 0);
  json_decref(b);
  end_req(&r);

  /* the fresh row could not be read: no commit, a 500 */
  new_req(&r);
  rc = db_begin(d);
  if (rc == DB_OK) rc = db_exec(d, "INSERT INTO t (k) VALUES ('lost')");
  commit_reply(&r, rc, NULL, NULL, 201);
  CHECK_EQ_INT(r.status, 500);
  CHECK(!db_in_transaction(d));
  CHECK_EQ_INT(count_t(), n0);
  end_req(&r);

  /* success: committed, the body and the headers set for it */
  new_req(&r);
  rc = db_begin(d);
  if (rc == DB_OK) rc = db_exec(d, "INSERT INTO t (k) VALUES ('kept')");
  reply_header(&r, "ETag", "\"1\"");
  commit_reply(&r, rc, json_object(), json_pack("{s:s}", "k", "kept"), 201);
  CHECK_EQ_INT(r.status, 201);
  CHECK_EQ_INT(r.nheaders, 1);
  CHECK(!db_in_transaction(d));
  CHECK_EQ_INT(count_t(), n0 + 1);
  end_req(&r);

  /* 204: no body; 0: the reply already set stands */
  new_req(&r);
  rc = db_begin(d);
  if (rc == DB_OK) rc = db_exec(d, "DELETE FROM t WHERE k = 'kept'");
  commit_reply(&r, rc, json_object(), NULL, 204);
  CHECK_EQ_INT(r.status, 204);
  CHECK(r.out == NULL);
  CHECK_EQ_INT(count_t(), n0);
  end_req(&r);
  new_req(&r);
  rc = db_begin(d);
  reply_problem(&r, 401, "登录失败 / Login failed", NULL);
  commit_reply(&r, rc, NULL, NULL, 0);
  CHECK_EQ_INT(r.status, 401);
  CHECK(!db_in_transaction(d));
  end_req(&r);
}

static void teardown(void) {
  db_close(d);
  d = NULL;
  if (path[0]) {
    char side[80];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    rmdir(dir);
  }
}

UNIT_MAIN(setup, test_sqlite_codes, test_reply_db_error_by_code, test_reply_json_without_body, test_commit_reply, teardown)
