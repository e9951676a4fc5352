/*
 * pdf.c — see pdf.h.  Column widths follow the longest text of each column
 * (bounded so one long column cannot squeeze the others to nothing); rows
 * are laid out with pango so Chinese text wraps at character boundaries.
 */
#include "pdf.h"

/* cairo and fontconfig keep process-wide caches (fonts, glyphs, the
 * configuration) that they free only at an explicit reset no server can
 * call safely while other threads run; tell LeakSanitizer they are not
 * leaks of ours. */
#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libcairo.so\nleak:libfontconfig.so\n"; }
#endif

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct membuf {
  unsigned char *p;
  size_t len, cap;
  int failed;
} membuf;

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int length) {
  membuf *m = closure;
  if (m->len + length > m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 65536;
    while (cap < m->len + length) cap *= 2;
    unsigned char *np = realloc(m->p, cap);
    if (!np) {
      m->failed = 1;
      return CAIRO_STATUS_WRITE_ERROR;
    }
    m->p = np;
    m->cap = cap;
  }
  memcpy(m->p + m->len, data, length);
  m->len += length;
  return CAIRO_STATUS_SUCCESS;
}

/* Each document gets its own font map and context (freed at the end, so
 * nothing of pango outlives a request in a server thread). */
static PangoLayout *text_layout(PangoContext *ctx, const char *text, const char *font, double width) {
  PangoLayout *l = pango_layout_new(ctx);
  PangoFontDescription *fd = pango_font_description_from_string(font);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  if (width > 0) {
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_text(l, text ? text : "", -1);
  return l;
}

static double layout_height(PangoLayout *l) {
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)h / PANGO_SCALE;
}

static size_t text_chars(const char *s) {
  size_t n = 0;
  for (; s && *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80 ? (((unsigned char)*s >= 0xE0) ? 2 : 1) : 0;
  return n; /* CJK counts double: it is twice as wide */
}

unsigned char *pdf_table(const char *title, int ncols, const char *const *heads, int nrows, const char *const *cells,
                         size_t *len) {
  if (ncols <= 0) return NULL;
  int landscape = ncols > 5;
  double pw = landscape ? 841.89 : 595.28, ph = landscape ? 595.28 : 841.89;
  double margin = 36, usable = pw - 2 * margin, pad = 3;
  membuf m = {0};
  cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_cb, &m, pw, ph);
  cairo_t *cr = cairo_create(s);
  PangoFontMap *fm = pango_cairo_font_map_new();
  PangoContext *ctx = pango_font_map_create_context(fm);
  pango_cairo_update_context(cr, ctx);
  const char *font = "Noto Sans CJK SC 8", *bold = "Noto Sans CJK SC Bold 8";

  /* widths: proportional to the longest text, each between 4% and 45% */
  double *w = calloc((size_t)ncols, sizeof *w), total = 0;
  for (int c = 0; c < ncols; c++) {
    size_t mx = text_chars(heads[c]);
    for (int r = 0; r < nrows && r < 500; r++) {
      size_t t = text_chars(cells[(size_t)r * ncols + c]);
      if (t > mx) mx = t;
    }
    w[c] = (double)(mx < 6 ? 6 : mx > 80 ? 80 : mx);
    total += w[c];
  }
  for (int c = 0; c < ncols; c++) {
    w[c] = w[c] / total;
    if (w[c] < 0.06) w[c] = 0.06;
    if (w[c] > 0.45) w[c] = 0.45;
  }
  total = 0;
  for (int c = 0; c < ncols; c++) total += w[c];
  for (int c = 0; c < ncols; c++) w[c] = w[c] / total * usable;

  char stamp[64];
  time_t now = time(NULL) + (time_t)8 * 3600; /* China time */
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(stamp, sizeof stamp, "生成时间 %Y-%m-%d %H:%M", &tm);

  int page = 0, r = 0;
  while (r < nrows || page == 0) {
    page++;
    double y = margin;
    PangoLayout *l = text_layout(ctx, title, "Noto Sans CJK SC Bold 14", usable);
    cairo_move_to(cr, margin, y);
    pango_cairo_show_layout(cr, l);
    y += layout_height(l) + 4;
    g_object_unref(l);
    char sub[128];
    snprintf(sub, sizeof sub, "%s　第%d页　共%d行", stamp, page, nrows);
    l = text_layout(ctx, sub, "Noto Sans CJK SC 7", usable);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    cairo_move_to(cr, margin, y);
    pango_cairo_show_layout(cr, l);
    cairo_set_source_rgb(cr, 0, 0, 0);
    y += layout_height(l) + 8;
    g_object_unref(l);
    /* the header row, repeated on each page */
    for (int hdr = 1, row = -1; row < nrows; row++) {
      if (!hdr && row < r) continue;
      const char *const *texts = hdr ? heads : cells + (size_t)row * ncols;
      double rh = 0;
      PangoLayout **ls = calloc((size_t)ncols, sizeof *ls);
      for (int c = 0; c < ncols; c++) {
        ls[c] = text_layout(ctx, texts[c], hdr ? bold : font, w[c] - 2 * pad);
        double h = layout_height(ls[c]);
        if (h > rh) rh = h;
      }
      rh += 2 * pad;
      int fits = y + rh <= ph - margin;
      if (fits || (hdr == 0 && y < margin + 80)) { /* a huge row goes on a page of its own */
        double x = margin;
        if (hdr) {
          cairo_set_source_rgb(cr, 0.9, 0.93, 0.97);
          cairo_rectangle(cr, margin, y, usable, rh);
          cairo_fill(cr);
          cairo_set_source_rgb(cr, 0, 0, 0);
        }
        for (int c = 0; c < ncols; c++) {
          cairo_set_line_width(cr, 0.5);
          cairo_rectangle(cr, x, y, w[c], rh);
          cairo_stroke(cr);
          cairo_move_to(cr, x + pad, y + pad);
          pango_cairo_show_layout(cr, ls[c]);
          x += w[c];
        }
        y += rh;
        if (!hdr) r = row + 1;
      }
      for (int c = 0; c < ncols; c++) g_object_unref(ls[c]);
      free(ls);
      if (!fits && !hdr) break;
      if (hdr) {
        hdr = 0;
        row = r - 1;
      }
    }
    cairo_show_page(cr);
    if (nrows == 0) break;
  }
  free(w);
  g_object_unref(ctx);
  g_object_unref(fm);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  int bad = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || m.failed;
  cairo_surface_destroy(s);
  if (bad) {
    free(m.p);
    return NULL;
  }
  *len = m.len;
  return m.p;
}
