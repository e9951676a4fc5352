/*
 * test_attach_upload.c — an upload decodes its image and makes the
 * thumbnail before it opens its write transaction (attach_upload in
 * attachments.c), so a 50-megapixel photo being decoded does not hold the
 * process's SQLite writer lock (db.c) and the other writes go on.
 *
 * This program defines the image functions attachments.c calls
 * (stbi_info_from_memory, stbi_load_from_memory, stbir_resize_uint8); the
 * program's definitions win over libstb's for every object linked into
 * it.  Each one looks whether the uploading connection is inside a
 * transaction at that moment and, when it is not, has another thread run
 * a small write on another connection to its commit (which could not
 * finish while the upload held the writer lock) before doing the real
 * work.  No clock is read: "during the decode" is "inside the decoder".
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>

#include "../../src/attachments.h"
#include "../../src/db.h"
#include "../../src/migrate.h"
#include "unit.h"

static db *upload_db; /* the uploading request's connection */
static db *other_db;  /* another request's connection */
static int image_calls, calls_in_tx, other_writes;

static void *other_write(void *arg) {
  const char *key = arg;
  int rc = db_begin(other_db);
  if (rc == DB_OK)
    rc = db_exec(other_db, "INSERT INTO settings (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 DBT(key));
  if (rc == DB_OK) rc = db_commit(other_db);
  else db_rollback(other_db);
  if (rc == DB_OK) other_writes++;
  return NULL;
}

/* Called at the start of every image function. */
static void meanwhile(const char *fn) {
  image_calls++;
  if (db_in_transaction(upload_db)) {
    calls_in_tx++;
    fprintf(stderr, "%s runs inside the upload's write transaction\n", fn);
    return; /* another writer would wait for the whole decode: do not hang the test */
  }
  pthread_t t;
  if (pthread_create(&t, NULL, other_write, (void *)fn) == 0) pthread_join(t, NULL);
}

static void *real_fn(const char *name) {
  void *f = dlsym(RTLD_NEXT, name);
  if (!f) {
    fprintf(stderr, "dlsym %s: %s\n", name, dlerror());
    abort();
  }
  return f;
}

int stbi_info_from_memory(stbi_uc const *buffer, int len, int *x, int *y, int *comp) {
  static int (*real)(stbi_uc const *, int, int *, int *, int *);
  if (!real) real = (int (*)(stbi_uc const *, int, int *, int *, int *))real_fn("stbi_info_from_memory");
  meanwhile("stbi_info_from_memory");
  return real(buffer, len, x, y, comp);
}

stbi_uc *stbi_load_from_memory(stbi_uc const *buffer, int len, int *x, int *y, int *channels_in_file,
                               int desired_channels) {
  static stbi_uc *(*real)(stbi_uc const *, int, int *, int *, int *, int);
  if (!real) real = (stbi_uc * (*)(stbi_uc const *, int, int *, int *, int *, int)) real_fn("stbi_load_from_memory");
  meanwhile("stbi_load_from_memory");
  return real(buffer, len, x, y, channels_in_file, desired_channels);
}

int stbir_resize_uint8(const unsigned char *input_pixels, int input_w, int input_h, int input_stride_in_bytes,
                       unsigned char *output_pixels, int output_w, int output_h, int output_stride_in_bytes,
                       int num_channels) {
  static int (*real)(const unsigned char *, int, int, int, unsigned char *, int, int, int, int);
  if (!real)
    real = (int (*)(const unsigned char *, int, int, int, unsigned char *, int, int, int, int))real_fn("stbir_resize_uint8");
  meanwhile("stbir_resize_uint8");
  return real(input_pixels, input_w, input_h, input_stride_in_bytes, output_pixels, output_w, output_h,
              output_stride_in_bytes, num_channels);
}

/* ---- helpers ---- */

typedef struct bytes {
  unsigned char *p;
  size_t n;
} bytes;

static void collect(void *ctx, void *data, int size) {
  bytes *b = ctx;
  unsigned char *np = realloc(b->p, b->n + (size_t)size);
  if (!np) abort();
  memcpy(np + b->n, data, (size_t)size);
  b->p = np;
  b->n += (size_t)size;
}

/* A w×h PNG (bigger than a thumbnail, so one is made). */
static bytes make_png(int w, int h) {
  unsigned char *px = malloc((size_t)w * (size_t)h * 3);
  for (size_t i = 0; i < (size_t)w * (size_t)h * 3; i++) px[i] = (unsigned char)(i * 7);
  bytes b = {0};
  stbi_write_png_to_func(collect, &b, w, h, 3, px, w * 3);
  free(px);
  return b;
}

/* Uploads the bytes as a photo of report 1; returns the status, and says
 * why when it is not `want`. */
static unsigned upload(const void *data, size_t len, unsigned want) {
  req r = {0};
  arena_init(&r.a);
  r.db = upload_db;
  r.method = "POST";
  r.path = "/api/v1/reports/1/photos";
  r.ip = "127.0.0.1";
  r.user.login = "unit-test";
  r.body = (char *)data;
  r.body_len = len;
  attach_upload(&r, "report", 1, ATTACH_PHOTO);
  unsigned status = r.status;
  if (status != want) fprintf(stderr, "upload: %u %.*s\n", status, (int)r.out_len, r.out ? r.out : "");
  free(r.out);
  json_decref(r.errors);
  json_decref(r.body_json);
  arena_release(&r.a);
  return status;
}

static int64_t count(const char *sql) { return db_int1v(upload_db, -1, sql, 0, NULL); }

/* ---- tests ---- */

static char dir[] = "/tmp/guatu-unit-attach-XXXXXX";

static void setup(void) {
  char path[64], err[256];
  if (!mkdtemp(dir)) abort();
  snprintf(path, sizeof path, "%s/t.db", dir);
  upload_db = db_open(path, err, sizeof err);
  if (!upload_db || migrate_run(upload_db, NULL, err, sizeof err) != 0) {
    fprintf(stderr, "%s: %s\n", path, err);
    abort();
  }
  other_db = db_open(path, err, sizeof err);
  if (!other_db) abort();
}

static void test_image_decoded_outside_the_transaction(void) {
  setup();
  bytes png = make_png(800, 600);
  image_calls = calls_in_tx = other_writes = 0;
  CHECK_EQ_INT(upload(png.p, png.n, 201), 201);
  CHECK_EQ_INT(image_calls, 3); /* info, decode, thumbnail */
  CHECK_EQ_INT(calls_in_tx, 0);
  CHECK_EQ_INT(other_writes, 3); /* another request wrote while the image was decoded */
  CHECK_EQ_INT(count("SELECT COUNT(*) FROM settings WHERE key LIKE 'stbi%'"), 3);
  CHECK_EQ_INT(count("SELECT COUNT(*) FROM attachments WHERE width = 800 AND height = 600 AND thumb IS NOT NULL"), 1);
  CHECK_EQ_INT(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'attachment' AND action = 'create'"), 1);
  free(png.p);
}

static void test_bad_image_refused_before_any_write(void) {
  unsigned char junk[64] = "\x89PNG\r\n\x1a\n";
  memset(junk + 8, 0x5a, sizeof junk - 8);
  int64_t attachments = count("SELECT COUNT(*) FROM attachments"), audits = count("SELECT COUNT(*) FROM audit_log");
  image_calls = calls_in_tx = other_writes = 0;
  CHECK_EQ_INT(upload(junk, sizeof junk, 422), 422);
  CHECK_EQ_INT(image_calls, 1);
  CHECK_EQ_INT(calls_in_tx, 0);
  CHECK(!db_in_transaction(upload_db));
  CHECK_EQ_INT(count("SELECT COUNT(*) FROM attachments"), attachments);
  CHECK_EQ_INT(count("SELECT COUNT(*) FROM audit_log"), audits);
  /* not an image at all: refused by its magic bytes, nothing decoded */
  image_calls = 0;
  CHECK_EQ_INT(upload("plain text", 10, 415), 415);
  CHECK_EQ_INT(image_calls, 0);
  CHECK(!db_in_transaction(upload_db));
  db_close(other_db);
  db_close(upload_db);
  char cmd[96];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK_EQ_INT(system(cmd), 0);
}

UNIT_MAIN(test_image_decoded_outside_the_transaction, test_bad_image_refused_before_any_write)
