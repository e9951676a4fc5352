/*
 * arena.c — see arena.h.  Blocks are chained; big allocations get a block
 * of their own so one large body does not waste a standard block.
 */
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 16384

struct arena_block {
  arena_block *next;
  size_t used, size;
  _Alignas(16) unsigned char data[];
};

void arena_init(arena *a) { a->head = NULL; }

void arena_release(arena *a) {
  for (arena_block *b = a->head, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  a->head = NULL;
}

void *arena_alloc(arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  arena_block *b = a->head;
  if (!b || b->size - b->used < n) {
    size_t size = n > ARENA_BLOCK / 2 ? n : ARENA_BLOCK;
    arena_block *nb = malloc(sizeof *nb + size);
    if (!nb) abort();
    nb->used = 0;
    nb->size = size;
    if (size == n && b) { /* keep the current block as the one to fill */
      nb->next = b->next;
      b->next = nb;
      memset(nb->data, 0, n);
      nb->used = n;
      return nb->data;
    }
    nb->next = b;
    a->head = b = nb;
  }
  void *p = b->data + b->used;
  b->used += n;
  memset(p, 0, n);
  return p;
}

char *arena_strndup(arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

void *arena_grow(arena *a, const void *old, size_t n, size_t *cap, size_t size) {
  *cap = *cap ? *cap * 2 : 16;
  void *p = arena_alloc(a, *cap * size);
  if (n) memcpy(p, old, n * size);
  return p;
}

char *arena_strdup(arena *a, const char *s) { return s ? arena_strndup(a, s, strlen(s)) : NULL; }

char *arena_printf(arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): va_start just above
  va_end(ap);
  char *p = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
  if (n > 0) {
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  return p;
}

void sb_init(strbuf *sb, size_t cap) {
  memset(sb, 0, sizeof *sb);
  sb->cap = cap;
}

void sb_release(strbuf *sb) {
  free(sb->buf);
  sb_init(sb, sb->cap);
}

static int sb_grow(strbuf *sb, size_t extra) {
  size_t cap = sb->cap ? sb->cap : (size_t)64 << 20;
  if (sb->overflow || sb->len + extra + 1 > cap) {
    sb->overflow = 1;
    return -1;
  }
  if (sb->len + extra + 1 <= sb->alloc) return 0;
  size_t want = sb->alloc ? sb->alloc * 2 : 256;
  while (want < sb->len + extra + 1) want *= 2;
  if (want > cap) want = cap;
  char *p = realloc(sb->buf, want);
  if (!p) abort();
  sb->buf = p;
  sb->alloc = want;
  return 0;
}

void sb_add(strbuf *sb, const char *s, size_t n) {
  if (sb_grow(sb, n)) return;
  memcpy(sb->buf + sb->len, s, n);
  sb->len += n;
  sb->buf[sb->len] = 0;
}

void sb_adds(strbuf *sb, const char *s) { sb_add(sb, s, strlen(s)); }

void sb_vaddf(strbuf *sb, const char *fmt, va_list ap) {
  va_list measure;
  va_copy(measure, ap);
  int n = vsnprintf(NULL, 0, fmt, measure); // NOLINT(clang-analyzer-valist.Uninitialized): va_copy just above
  va_end(measure);
  if (n > 0 && !sb_grow(sb, (size_t)n)) {
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
  }
}

void sb_addf(strbuf *sb, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_vaddf(sb, fmt, ap);
  va_end(ap);
}

const char *sb_str(strbuf *sb) { return sb->buf ? sb->buf : ""; }

char *sb_detach(strbuf *sb, size_t *len) {
  char *p = sb->buf;
  if (!p) {
    p = malloc(1);
    if (!p) abort();
    *p = 0;
  }
  if (len) *len = sb->len;
  sb_init(sb, sb->cap);
  return p;
}

void sb_add_json_string(strbuf *sb, const char *s) {
  sb_add(sb, "\"", 1);
  const char *run = s;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    sb_add(sb, run, (size_t)(s - run));
    run = s + 1;
    switch (c) {
    case '"': sb_adds(sb, "\\\""); break;
    case '\\': sb_adds(sb, "\\\\"); break;
    case '\b': sb_adds(sb, "\\b"); break;
    case '\f': sb_adds(sb, "\\f"); break;
    case '\n': sb_adds(sb, "\\n"); break;
    case '\r': sb_adds(sb, "\\r"); break;
    case '\t': sb_adds(sb, "\\t"); break;
    default: sb_addf(sb, "\\u%04X", c); break;
    }
  }
  sb_add(sb, run, (size_t)(s - run));
  sb_add(sb, "\"", 1);
}
