/*
 * embedded.h — files compiled into the binary by tools/embed.c: "sql/…"
 * (migrations, "sql/pg/…" for PostgreSQL variants) and "web/…" (the built UI).
 */
#ifndef GUATU_EMBEDDED_H
#define GUATU_EMBEDDED_H

#include <stddef.h>

typedef struct embedded_file {
  const char *name;
  const unsigned char *data;
  size_t len;
} embedded_file;

extern const embedded_file embedded_files[]; /* ends with {0} */
const embedded_file *embedded_find(const char *name);

struct req;
/* Serves the web UI (with SPA fallback to index.html). */
void static_serve(struct req *r);

#endif
