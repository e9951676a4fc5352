/*
 * attachments.h — photos and documents attached to any entity (a progress
 * report's site photos, a problem's evidence…), stored as BLOBs in the
 * attachments table so both stores and every backup carry them.
 *
 * Using it from a module (e.g. problems.c):
 *
 *   // once, at start-up: who may read / add attachments of your entity
 *   static int problem_can_read(req *r, int64_t id)  { ...scope check... }
 *   ATTACH_ENTITY_REGISTER(problem_attach, "problem", problem_can_read, problem_can_write)
 *
 *   // your upload route, with .max_body = ATTACH_MAX_BYTES:
 *   {"POST", "/api/v1/problems/{id}/photos", problem_photo_add, ROLES_..., "…", ATTACH_MAX_BYTES}
 *   static void problem_photo_add(req *r) {
 *     int64_t id = req_id(r, 0);  if (!id) return;
 *     ...check the problem exists and the user may write it...
 *     attach_upload(r, "problem", id, ATTACH_PHOTO);   // replies 201 / 413 / 415 / 422
 *   }
 *
 *   // in your JSON: json_object_set_new(o, "photos", attach_list_json(r->db, "problem", id));
 *
 * GET /api/v1/attachments/{id} and /api/v1/attachments/{id}/thumb (served by
 * attachments.c) look the entity up and ask its registered can_read; DELETE
 * /api/v1/attachments/{id} asks can_write.  The type is decided by the
 * content's magic bytes, never by the Content-Type header or file name.
 */
#ifndef GUATU_ATTACHMENTS_H
#define GUATU_ATTACHMENTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "http.h"

#define ATTACH_MAX_BYTES ((size_t)8 << 20) /* 8 MiB */
#define ATTACH_THUMB_PX 320               /* long side of a thumbnail */

/* What an upload may be: photos (JPEG/PNG/WebP) or documents (photos plus
 * PDF, XLSX, DOCX). */
enum { ATTACH_PHOTO = 1, ATTACH_DOCUMENT = 2 };

/* The MIME type recognised from the first bytes ("image/jpeg", "image/png",
 * "image/webp", "application/pdf", "application/zip" for OOXML), or NULL. */
const char *attach_sniff(const void *data, size_t len);

typedef struct attach_entity {
  const char *entity; /* "report", "problem" … */
  int (*can_read)(req *r, int64_t entity_id);
  int (*can_write)(req *r, int64_t entity_id);
} attach_entity;
void attach_entity_add(const attach_entity *e);
#define ATTACH_ENTITY_REGISTER(var, name, can_read, can_write)                                                   \
  static const attach_entity var = {name, can_read, can_write};                                                 \
  __attribute__((constructor)) static void var##_register(void) { attach_entity_add(&var); }

/* Stores r->body as an attachment of (entity, entity_id): checks the type
 * (415 with a bilingual problem), decodes images and makes the thumbnail
 * (422 when the image cannot be decoded) before any transaction, then
 * writes the row and its audit entry in one transaction and replies 201
 * with the attachment's JSON.
 * The route's max_body should be ATTACH_MAX_BYTES (413 beyond it).  The
 * caller has checked that the entity exists and the user may change it.
 * `name` (optional) comes from the X-File-Name header when NULL. */
void attach_upload(req *r, const char *entity, int64_t entity_id, int kind);

/* Lower level: stores bytes inside the caller's transaction (demo loaders,
 * imports), decoding images there too, so the transaction (and on SQLite
 * the process's write lock) is held for the decode.  Returns the new id,
 * or 0 with *why set to a bilingual reason and *status to 415 or 422 (or
 * 500 for a database error). */
int64_t attach_store(db *d, const char *entity, int64_t entity_id, int kind, const char *name, const void *data,
                     size_t len, int64_t user_id, const char *at, const char **why, unsigned *status);

/* [{id,name,mime,size,width,height,url,thumb_url,created_at}] of an entity. */
json_t *attach_list_json(db *d, const char *entity, int64_t entity_id);
/* Deletes every attachment of an entity (inside the caller's transaction). */
int attach_delete_all(db *d, const char *entity, int64_t entity_id);

#endif
