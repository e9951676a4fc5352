/*
 * arena.h — a memory pool per request (freed in one place when the request
 * ends) and a growable string buffer with a hard cap.
 */
#ifndef GUATU_ARENA_H
#define GUATU_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct arena {
  arena_block *head;
} arena;

void arena_init(arena *a);
/* Frees every allocation made from the arena. */
void arena_release(arena *a);
/* Zeroed memory that lives until arena_release.  Aborts on out-of-memory. */
void *arena_alloc(arena *a, size_t n);
/* An array of `n` elements of `size` bytes that is full (n == *cap) moved
 * to one twice as large (its first n elements copied); returns it. */
void *arena_grow(arena *a, const void *old, size_t n, size_t *cap, size_t size);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A growable buffer; `cap` bounds its size (0 means 64 MiB) so that no input
 * can make it grow without limit. */
typedef struct strbuf {
  char *buf;
  size_t len, alloc, cap;
  int overflow; /* set once an append was refused */
} strbuf;

#define STRBUF_INIT {NULL, 0, 0, 0, 0}
void sb_init(strbuf *sb, size_t cap);
void sb_release(strbuf *sb);
void sb_add(strbuf *sb, const char *s, size_t n);
void sb_adds(strbuf *sb, const char *s);
void sb_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(strbuf *sb, const char *fmt, va_list ap);
/* s as a JSON string, quoted and escaped byte for byte as jansson's
 * compact dump writes it (UTF-8 kept as is, control characters as \u00XX),
 * for answers written straight into the body instead of built as objects. */
void sb_add_json_string(strbuf *sb, const char *s);
/* Hands the buffer over (NUL-terminated, never NULL); the strbuf is reset. */
char *sb_detach(strbuf *sb, size_t *len);
const char *sb_str(strbuf *sb);

#endif
