/*
 * embedded.c — the files compiled into the binary: the generated table
 * (build/embedded_files.c, written by tools/embed.c) and the lookups the
 * rest of the program uses, migrate.c for sql/… and static.c for web/….
 */
#include "embedded.h"

#include <string.h>

const embedded_file *embedded_find(const char *name) {
  for (const embedded_file *f = embedded_files; f->name; f++)
    if (strcmp(f->name, name) == 0) return f;
  return NULL;
}
