/*
 * attachments.c — generic attachments (photos, documents) of any entity;
 * the C API is in attachments.h.  Images are decoded here (stb_image for
 * JPEG/PNG, libwebp for WebP) both to prove they are what their magic bytes
 * claim and to make a JPEG thumbnail, so a phone's 6 MB photo is shown in
 * lists as a 20 KB picture.
 *
 * GET    /api/v1/attachments/{id}         the file (scope of its entity)
 * GET    /api/v1/attachments/{id}/thumb   the JPEG thumbnail (images only)
 * DELETE /api/v1/attachments/{id}         removes it (write scope of its entity)
 */
#include "attachments.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>
#include <webp/decode.h>

#include "auth.h"

/* ---- entity registry ---- */

static const attach_entity *entities[16];
static int nentities;

void attach_entity_add(const attach_entity *e) {
  if (nentities < (int)(sizeof entities / sizeof *entities)) entities[nentities++] = e;
}

static const attach_entity *entity_find(const char *name) {
  for (int i = 0; i < nentities; i++)
    if (strcmp(entities[i]->entity, name) == 0) return entities[i];
  return NULL;
}

/* ---- type and images ---- */

const char *attach_sniff(const void *data, size_t len) {
  const unsigned char *p = data;
  if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) return "image/jpeg";
  if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) return "image/png";
  if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) return "image/webp";
  if (len >= 5 && memcmp(p, "%PDF-", 5) == 0) return "application/pdf";
  if (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) return "application/zip";
  return NULL;
}

static int is_image(const char *mime) { return strncmp(mime, "image/", 6) == 0; }

/* A decoded picture is capped so that a tiny file claiming 60000×60000
 * pixels cannot make the server allocate gigabytes. */
#define MAX_PIXELS ((size_t)50 * 1000 * 1000)
/* A decompression bomb: a 140 KB PNG of 7000×7000 blank pixels (49 MP,
 * under the cap) decodes to 196 MB of RGBA and cost 1.7 s (issue 13).  A
 * real photo decodes to 10–50 times its file size, a screenshot to a few
 * hundred times; only a picture of (nearly) nothing reaches a thousand.
 * Pictures decoding to more than BOMB_MIN_BYTES must stay under
 * BOMB_RATIO times their file size, judged from the header alone. */
#define BOMB_RATIO 1000
#define BOMB_MIN_BYTES ((size_t)64 << 20)

/* Decodes run at most one per core at a time (the rest wait their turn),
 * so N uploads cost N cores' worth of CPU and at most that many decoded
 * pictures in memory, never N of each. */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t freed;
  int running, limit;
} decoders = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};

static void decode_slot_take(void) {
  pthread_mutex_lock(&decoders.lock);
  if (!decoders.limit) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    decoders.limit = n > 0 && n < 256 ? (int)n : 2;
  }
  while (decoders.running >= decoders.limit) pthread_cond_wait(&decoders.freed, &decoders.lock);
  decoders.running++;
  pthread_mutex_unlock(&decoders.lock);
}

static void decode_slot_give(void) {
  pthread_mutex_lock(&decoders.lock);
  decoders.running--;
  pthread_cond_signal(&decoders.freed);
  pthread_mutex_unlock(&decoders.lock);
}

typedef struct outbuf {
  unsigned char *p;
  size_t n, cap;
  int fail;
} outbuf;

static void out_write(void *ctx, void *data, int size) {
  outbuf *o = ctx;
  if (o->fail || size <= 0) return;
  if (o->n + (size_t)size > o->cap) {
    size_t cap = o->cap ? o->cap * 2 : 32768;
    while (cap < o->n + (size_t)size) cap *= 2;
    unsigned char *np = realloc(o->p, cap);
    if (!np) {
      o->fail = 1;
      return;
    }
    o->p = np;
    o->cap = cap;
  }
  memcpy(o->p + o->n, data, (size_t)size);
  o->n += (size_t)size;
}

/* Why a picture is refused from its header alone, before any pixel is
 * decoded; NULL when it may be decoded. */
static const char *header_refusal(size_t w, size_t h, size_t len) {
  if (w * h > MAX_PIXELS)
    return "图片像素过多（不超过5000万像素） / The image has too many pixels (at most 50 megapixels)";
  if (w * h * 4 > BOMB_MIN_BYTES && w * h * 4 / BOMB_RATIO > len)
    return "图片解压后的体积是文件的一千多倍（疑似“解压炸弹”），不予读取 / The image would decode to over a "
           "thousand times its file size (a decompression bomb) and is refused";
  return NULL;
}

/* Decodes an image to RGBA; NULL when it is not a decodable picture or
 * its header is refused (*refusal then says why). */
static unsigned char *decode_rgba(const char *mime, const void *data, size_t len, int *w, int *h, int *webp,
                                  const char **refusal) {
  *webp = strcmp(mime, "image/webp") == 0;
  *refusal = NULL;
  if (len > (size_t)INT32_MAX) return NULL;
  int comp;
  int known = *webp ? WebPGetInfo(data, len, w, h) : stbi_info_from_memory(data, (int)len, w, h, &comp);
  if (!known || *w <= 0 || *h <= 0) return NULL;
  if ((*refusal = header_refusal((size_t)*w, (size_t)*h, len))) return NULL;
  return *webp ? WebPDecodeRGBA(data, len, w, h) : stbi_load_from_memory(data, (int)len, w, h, &comp, 4);
}

static void free_rgba(unsigned char *px, int webp) {
  if (webp) WebPFree(px);
  else stbi_image_free(px);
}

/* The JPEG thumbnail of RGBA pixels, transparent parts on white.  Returns
 * a malloc'd buffer (caller frees) or NULL. */
static unsigned char *make_thumb(const unsigned char *rgba, int w, int h, size_t *outlen) {
  int tw = w, th = h;
  if (w > ATTACH_THUMB_PX || h > ATTACH_THUMB_PX) {
    if (w >= h) {
      tw = ATTACH_THUMB_PX;
      th = (int)((int64_t)h * ATTACH_THUMB_PX / w);
    } else {
      th = ATTACH_THUMB_PX;
      tw = (int)((int64_t)w * ATTACH_THUMB_PX / h);
    }
    if (tw < 1) tw = 1;
    if (th < 1) th = 1;
  }
  unsigned char *small = malloc((size_t)tw * (size_t)th * 4);
  unsigned char *rgb = malloc((size_t)tw * (size_t)th * 3);
  outbuf o = {0};
  if (small && rgb && stbir_resize_uint8(rgba, w, h, 0, small, tw, th, 0, 4)) {
    for (size_t i = 0; i < (size_t)tw * (size_t)th; i++) {
      unsigned a = small[i * 4 + 3];
      for (int c = 0; c < 3; c++) rgb[i * 3 + c] = (unsigned char)((small[i * 4 + c] * a + 255u * (255u - a)) / 255u);
    }
    if (!stbi_write_jpg_to_func(out_write, &o, tw, th, 3, rgb, 80) || o.fail) {
      free(o.p);
      o.p = NULL;
    }
  }
  free(small);
  free(rgb);
  *outlen = o.n;
  return o.p;
}

/* ---- storing ---- */

/* What the row needs besides the bytes: the type and, for an image, its
 * size and thumbnail (malloc'd; the caller frees it). */
typedef struct prepared {
  const char *mime;
  int w, h;
  unsigned char *thumb;
  size_t thumb_len;
} prepared;

/* Checks the type and decodes an image into its thumbnail: the slow part
 * (seconds for 50 megapixels), which needs no database.  0, or -1 with
 * *why and *status (415, 422) set. */
static int prepare(int kind, const void *data, size_t len, prepared *p, const char **why, unsigned *status) {
  *p = (prepared){attach_sniff(data, len), 0, 0, NULL, 0};
  const char *mime = p->mime;
  if (!mime || (kind == ATTACH_PHOTO && !is_image(mime))) {
    *status = 415;
    *why = kind == ATTACH_PHOTO ? "只接受 JPEG、PNG 或 WebP 图片（按文件内容判断） / Only JPEG, PNG or WebP images are accepted (judged by the content)"
                                : "只接受图片、PDF 或 Office 文档 / Only images, PDF or Office documents are accepted";
    return -1;
  }
  if (is_image(mime)) {
    int webp;
    const char *refusal;
    /* One slot from the decode to the freeing of the pixels. */
    decode_slot_take();
    unsigned char *px = decode_rgba(mime, data, len, &p->w, &p->h, &webp, &refusal);
    if (px) {
      p->thumb = make_thumb(px, p->w, p->h, &p->thumb_len);
      free_rgba(px, webp);
    }
    decode_slot_give();
    if (!px) {
      *status = 422;
      *why = refusal ? refusal : "图片已损坏，无法读取 / The image is damaged and cannot be read";
      return -1;
    }
  }
  return 0;
}

/* Writes the row (inside the caller's transaction): the new id, or 0 with
 * *why and *status (500) set. */
static int64_t insert(db *d, const char *entity, int64_t entity_id, int kind, const char *name, const void *data,
                      size_t len, const prepared *p, int64_t user_id, const char *at, const char **why, unsigned *status) {
  int64_t id = 0;
  db_stmt *st = db_query(d,
                         "INSERT INTO attachments (entity, entity_id, kind, name, mime, size, width, height, data, thumb, "
                         "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         DBT(entity), DBI(entity_id), DBT(kind == ATTACH_PHOTO ? "photo" : "document"), DBT(name),
                         DBT(p->mime), DBI((int64_t)len), p->w ? DBI(p->w) : DBNULL, p->h ? DBI(p->h) : DBNULL,
                         DBB(data, len), p->thumb ? DBB(p->thumb, p->thumb_len) : DBNULL,
                         user_id ? DBI(user_id) : DBNULL, DBT(at));
  if (st && db_step(st) == DB_ROW) id = db_int(st, 0);
  db_done(st);
  if (!id) {
    *status = 500;
    *why = "保存附件失败 / Could not store the attachment";
  }
  return id;
}

int64_t attach_store(db *d, const char *entity, int64_t entity_id, int kind, const char *name, const void *data,
                     size_t len, int64_t user_id, const char *at, const char **why, unsigned *status) {
  prepared p;
  if (prepare(kind, data, len, &p, why, status) != 0) return 0;
  int64_t id = insert(d, entity, entity_id, kind, name, data, len, &p, user_id, at, why, status);
  free(p.thumb);
  return id;
}

#define ATTACH_COLS "id, entity, entity_id, kind, name, mime, size, width, height, created_at"

static json_t *attach_row_json(db_stmt *st) {
  json_t *o = db_row_json(st);
  int64_t id = db_int(st, 0);
  char buf[64];
  snprintf(buf, sizeof buf, "/api/v1/attachments/%lld", (long long)id);
  json_object_set_new(o, "url", json_string(buf));
  if (!db_isnull(st, 7)) {
    snprintf(buf, sizeof buf, "/api/v1/attachments/%lld/thumb", (long long)id);
    json_object_set_new(o, "thumb_url", json_string(buf));
  } else {
    json_object_set_new(o, "thumb_url", json_null());
  }
  return o;
}

json_t *attach_list_json(db *d, const char *entity, int64_t entity_id) {
  json_t *a = json_array();
  db_stmt *st = db_query(d, "SELECT " ATTACH_COLS " FROM attachments WHERE entity = ? AND entity_id = ? ORDER BY id",
                         DBT(entity), DBI(entity_id));
  while (st && db_step(st) == DB_ROW) json_array_append_new(a, attach_row_json(st));
  db_done(st);
  return a;
}

int attach_delete_all(db *d, const char *entity, int64_t entity_id) {
  return db_exec(d, "DELETE FROM attachments WHERE entity = ? AND entity_id = ?", DBT(entity), DBI(entity_id));
}

void attach_upload(req *r, const char *entity, int64_t entity_id, int kind) {
  if (r->body_len == 0) {
    field_error(r, "body", "请上传文件内容", "the request body must be the file");
    return reply_invalid(r);
  }
  if (r->body_len > ATTACH_MAX_BYTES) {
    reply_problem(r, 413, "文件过大 / File too large", "附件不得超过 8 MiB / An attachment may not exceed 8 MiB");
    return;
  }
  const char *name = req_header(r, "X-File-Name");
  if (name && strlen(name) > 200) name = arena_strndup(&r->a, name, 200);
  const char *why = NULL;
  unsigned status = 0;
  const char *now = now_rfc3339(&r->a);
  /* Decode and make the thumbnail first: the transaction holds the
   * process's write lock (db.c), which every other write waits for. */
  prepared p;
  if (prepare(kind, r->body, r->body_len, &p, &why, &status) != 0) {
    reply_problem(r, status, status == 415 ? "不支持的文件类型 / Unsupported media type" : "文件无法读取 / Unreadable file", why);
    return;
  }
  int rc = db_begin(r->db);
  if (rc != DB_OK) {
    free(p.thumb);
    return reply_db_error(r, rc);
  }
  int64_t id = insert(r->db, entity, entity_id, kind, name, r->body, r->body_len, &p, r->user.id, now, &why, &status);
  free(p.thumb);
  if (!id) return commit_reply(r, db_errcode(r->db), NULL, NULL, 201);
  db_stmt *st = db_query(r->db, "SELECT " ATTACH_COLS " FROM attachments WHERE id = ?", DBI(id));
  json_t *o = st && db_step(st) == DB_ROW ? attach_row_json(st) : NULL;
  db_done(st);
  rc = o ? audit_log(r, "create", "attachment", id, NULL, o) : db_errcode(r->db);
  commit_reply(r, rc, NULL, o, 201);
}

/* ---- handlers ---- */

/* Loads entity and entity_id of attachment {id} and checks read or write
 * scope through the entity's registered checker; replies 404/403 itself. */
static int attach_check(req *r, int64_t id, int write, int64_t *entity_id, const char **entity) {
  db_stmt *st = db_query(r->db, "SELECT entity, entity_id FROM attachments WHERE id = ?", DBI(id));
  if (!st || db_step(st) != DB_ROW) {
    db_done(st);
    reply_not_found(r, "附件", "attachment");
    return 0;
  }
  *entity = arena_strdup(&r->a, db_text(st, 0));
  *entity_id = db_int(st, 1);
  db_done(st);
  const attach_entity *e = entity_find(*entity);
  int ok = e && (write ? e->can_write(r, *entity_id) : e->can_read(r, *entity_id));
  if (!ok) {
    /* Unreadable is reported as absent, so ids do not leak what exists. */
    if (!write || !(e && e->can_read(r, *entity_id))) reply_not_found(r, "附件", "attachment");
    else reply_forbidden(r, "无权删除该附件", "you may not delete this attachment");
    return 0;
  }
  return 1;
}

static void serve(req *r, int thumb) {
  int64_t id = req_id(r, 0), eid;
  const char *entity;
  if (!id || !attach_check(r, id, 0, &eid, &entity)) return;
  db_stmt *st = db_query(r->db, thumb ? "SELECT thumb, 'image/jpeg', name FROM attachments WHERE id = ?"
                                      : "SELECT data, mime, name FROM attachments WHERE id = ?",
                         DBI(id));
  if (!st || db_step(st) != DB_ROW) {
    db_done(st);
    return reply_db_error(r, db_errcode(r->db));
  }
  if (db_isnull(st, 0)) {
    db_done(st);
    return reply_not_found(r, "缩略图", "thumbnail");
  }
  size_t len = 0;
  const void *p = db_blob(st, 0, &len);
  const char *mime = arena_strdup(&r->a, db_text(st, 1));
  reply_bytes(r, 200, mime, p, len);
  db_done(st);
  /* Attachments never change once stored: let browsers keep them. */
  reply_header(r, "Cache-Control", "private, max-age=86400, immutable");
  reply_header(r, "X-Content-Type-Options", "nosniff");
}

/* GET /api/v1/attachments/{id} */
static void attachment_get(req *r) { serve(r, 0); }
/* GET /api/v1/attachments/{id}/thumb */
static void attachment_thumb(req *r) { serve(r, 1); }

/* DELETE /api/v1/attachments/{id} */
static void attachment_delete(req *r) {
  int64_t id = req_id(r, 0), eid;
  const char *entity;
  if (!id || !attach_check(r, id, 1, &eid, &entity)) return;
  db_stmt *st = db_query(r->db, "SELECT " ATTACH_COLS " FROM attachments WHERE id = ?", DBI(id));
  json_t *before = st && db_step(st) == DB_ROW ? attach_row_json(st) : NULL;
  db_done(st);
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM attachments WHERE id = ?", DBI(id));
  if (rc == DB_OK) rc = audit_log(r, "delete", "attachment", id, before, NULL);
  commit_reply(r, rc, before, NULL, 204);
}

static const route attach_routes[] = {
    ROUTE("GET", "/api/v1/attachments/{id}", attachment_get, ROLES_ANY, "附件 / An attachment's file", 0),
    ROUTE("GET", "/api/v1/attachments/{id}/thumb", attachment_thumb, ROLES_ANY, "附件缩略图 / An image's thumbnail", 0),
    ROUTE("DELETE", "/api/v1/attachments/{id}", attachment_delete, ROLES_ANY, "删除附件 / Delete an attachment", 0),
    {0},
};
static const module attachments_module = {"attachments", 15, attach_routes, NULL, NULL, NULL};
MODULE_REGISTER(attachments_module)
