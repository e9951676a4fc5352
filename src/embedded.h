/*
 * embedded.h — files compiled into the binary by tools/embed.c: "sql/…"
 * (migrations, "sql/pg/…" for PostgreSQL variants) and "web/…" (the built UI).
 * The table is generated (build/embedded_files.c); embedded.c looks it up.
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
/* The file named "sql/0001_core.sql", "web/index.html" …, or NULL. */
const embedded_file *embedded_find(const char *name);

#endif
