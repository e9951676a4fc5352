/*
 * pdfdoc.c — see pdfdoc.h.  Blocks are kept (strings copied into an arena)
 * and laid out at render time; the layout pass is run twice so the footer
 * can say how many pages there are.  The one-table list (pdf_table) is at
 * the end.
 */
#include "pdfdoc.h"

#include <cairo-pdf.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "clock.h"

/* cairo and fontconfig keep process-wide caches (fonts, glyphs, the
 * configuration) that they free only at an explicit reset no server can
 * call safely while other threads run; tell LeakSanitizer they are not
 * leaks of ours. */
#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libcairo.so\nleak:libfontconfig.so\n"; }
#endif

/* A4 */
#define A4_SHORT 595.28
#define A4_LONG 841.89
#define MARGIN_X 50.0
#define MARGIN_TOP 52.0
#define MARGIN_BOTTOM 64.0
#define FONT "Noto Sans CJK SC"

enum { B_TITLE, B_HEADING, B_PARA, B_TABLE, B_BARS, B_BREAK };

typedef struct block {
  int type;
  const char *text, *sub, *empty;
  int ncols, nrows, nseries;
  const char **heads, **cells, **series;
  double *widths, *values;
  int *right;
} block;

struct pdfdoc {
  arena a;
  const char *title, *footer;
  double pw, ph; /* page size: A4 portrait unless pdfdoc_landscape() */
  block *b;
  int n, cap;
  /* render state */
  cairo_t *cr;
  double y;
  int page, pages;
  int measuring; /* the counting pass: lay out, draw no text */
};

static const char *sdup(pdfdoc *d, const char *s) { return arena_strdup(&d->a, s ? s : ""); }

static block *push(pdfdoc *d, int type) {
  if (d->n == d->cap) {
    int cap = d->cap ? d->cap * 2 : 32;
    block *nb = arena_alloc(&d->a, sizeof *nb * (size_t)cap);
    if (d->n) memcpy(nb, d->b, sizeof *nb * (size_t)d->n);
    d->b = nb;
    d->cap = cap;
  }
  block *b = &d->b[d->n++];
  memset(b, 0, sizeof *b);
  b->type = type;
  return b;
}

pdfdoc *pdfdoc_new(const char *title, const char *footer) {
  pdfdoc *d = calloc(1, sizeof *d);
  if (!d) return NULL;
  arena_init(&d->a);
  d->pw = A4_SHORT;
  d->ph = A4_LONG;
  d->title = sdup(d, title);
  d->footer = sdup(d, footer);
  return d;
}

void pdfdoc_landscape(pdfdoc *d) {
  d->pw = A4_LONG;
  d->ph = A4_SHORT;
}

void pdfdoc_free(pdfdoc *d) {
  if (!d) return;
  arena_release(&d->a);
  free(d);
}

void pdfdoc_title(pdfdoc *d, const char *title, const char *subtitle) {
  block *b = push(d, B_TITLE);
  b->text = sdup(d, title);
  b->sub = subtitle ? sdup(d, subtitle) : NULL;
}
void pdfdoc_heading(pdfdoc *d, const char *text) { push(d, B_HEADING)->text = sdup(d, text); }
void pdfdoc_paragraph(pdfdoc *d, const char *text) { push(d, B_PARA)->text = sdup(d, text); }
void pdfdoc_page_break(pdfdoc *d) { push(d, B_BREAK); }

void pdfdoc_table(pdfdoc *d, int ncols, const char *const *heads, const double *widths, const int *right, int nrows,
                  const char *const *cells, const char *empty) {
  block *b = push(d, B_TABLE);
  b->ncols = ncols;
  b->nrows = nrows;
  b->heads = arena_alloc(&d->a, sizeof(char *) * (size_t)ncols);
  b->widths = arena_alloc(&d->a, sizeof(double) * (size_t)ncols);
  b->right = arena_alloc(&d->a, sizeof(int) * (size_t)ncols);
  double sum = 0;
  for (int c = 0; c < ncols; c++) {
    b->heads[c] = sdup(d, heads[c]);
    b->widths[c] = widths && widths[c] > 0 ? widths[c] : 1;
    b->right[c] = right ? right[c] : 0;
    sum += b->widths[c];
  }
  for (int c = 0; c < ncols; c++) b->widths[c] = b->widths[c] / sum * (d->pw - 2 * MARGIN_X);
  b->cells = arena_alloc(&d->a, sizeof(char *) * (size_t)(nrows * ncols + 1));
  for (int i = 0; i < nrows * ncols; i++) b->cells[i] = sdup(d, cells[i]);
  b->empty = sdup(d, empty ? empty : "（无）");
}

void pdfdoc_bars(pdfdoc *d, const char *title, int n, const char *const *labels, int nseries,
                 const char *const *series, const double *values) {
  block *b = push(d, B_BARS);
  b->text = sdup(d, title);
  b->nrows = n;
  b->nseries = nseries;
  b->heads = arena_alloc(&d->a, sizeof(char *) * (size_t)(n + 1));
  for (int i = 0; i < n; i++) b->heads[i] = sdup(d, labels[i]);
  b->series = arena_alloc(&d->a, sizeof(char *) * (size_t)(nseries + 1));
  for (int s = 0; s < nseries; s++) b->series[s] = sdup(d, series[s]);
  b->values = arena_alloc(&d->a, sizeof(double) * (size_t)(n * nseries + 1));
  memcpy(b->values, values, sizeof(double) * (size_t)(n * nseries));
}

/* ---- layout ---- */

static PangoLayout *lay(cairo_t *cr, const char *text, double size, int bold, double width, int align_right) {
  PangoLayout *l = pango_cairo_create_layout(cr);
  PangoFontDescription *fd = pango_font_description_new();
  pango_font_description_set_family(fd, FONT);
  pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
  pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  if (width > 0) {
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  }
  if (align_right) pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
  pango_layout_set_text(l, text ? text : "", -1);
  return l;
}

static double lay_h(PangoLayout *l) {
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)h / PANGO_SCALE;
}
static double lay_w(PangoLayout *l) {
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)w / PANGO_SCALE;
}

/* Shows the text, except in the pass that only counts the pages: laid
 * out, text takes its place all the same, and not showing it spares the
 * glyphs and the font subset of a document that is thrown away. */
static void draw(pdfdoc *d, PangoLayout *l, double x, double y) {
  if (d->measuring) return;
  cairo_move_to(d->cr, x, y);
  pango_cairo_show_layout(d->cr, l);
}

static void footer(pdfdoc *d) {
  cairo_t *cr = d->cr;
  double fy = d->ph - MARGIN_BOTTOM + 24;
  cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
  cairo_set_line_width(cr, 0.5);
  cairo_move_to(cr, MARGIN_X, fy - 6);
  cairo_line_to(cr, d->pw - MARGIN_X, fy - 6);
  cairo_stroke(cr);
  cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
  PangoLayout *l = lay(cr, d->footer, 8, 0, 0, 0);
  draw(d, l, MARGIN_X, fy);
  g_object_unref(l);
  char buf[64];
  snprintf(buf, sizeof buf, "第 %d 页 / 共 %d 页", d->page, d->pages > 0 ? d->pages : d->page);
  l = lay(cr, buf, 8, 0, 0, 0);
  draw(d, l, d->pw - MARGIN_X - lay_w(l), fy);
  g_object_unref(l);
  if (d->page > 1) {
    /* a running head on continuation pages */
    l = lay(cr, d->title, 8, 0, 0, 0);
    draw(d, l, MARGIN_X, MARGIN_TOP - 26);
    g_object_unref(l);
    cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
    cairo_move_to(cr, MARGIN_X, MARGIN_TOP - 12);
    cairo_line_to(cr, d->pw - MARGIN_X, MARGIN_TOP - 12);
    cairo_stroke(cr);
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
}

static void new_page(pdfdoc *d) {
  footer(d);
  cairo_show_page(d->cr);
  d->page++;
  d->y = MARGIN_TOP;
}

static int fits(pdfdoc *d, double h) { return d->y + h <= d->ph - MARGIN_BOTTOM; }
static void need(pdfdoc *d, double h) {
  if (!fits(d, h) && d->y > MARGIN_TOP) new_page(d);
}

/* Lays out the cells of a row (ls[c], the caller frees them) and returns
 * its height; the same layouts are then drawn, each cell laid out once. */
static double row_layouts(cairo_t *cr, const block *b, const char *const *row, int head, PangoLayout **ls) {
  double h = 0;
  for (int c = 0; c < b->ncols; c++) {
    ls[c] = lay(cr, row[c], head ? 9 : 8.5, head, b->widths[c] - 8, !head && b->right[c]);
    double lh = lay_h(ls[c]);
    if (lh > h) h = lh;
  }
  return h + 8;
}

static void free_layouts(PangoLayout **ls, int n) {
  for (int c = 0; c < n; c++) g_object_unref(ls[c]);
}

static void table_row(pdfdoc *d, const block *b, const char *const *row, PangoLayout **ls, double h, int head, int zebra) {
  cairo_t *cr = d->cr;
  double x = MARGIN_X;
  if (head)
    cairo_set_source_rgb(cr, 0.85, 0.90, 0.96);
  else if (zebra)
    cairo_set_source_rgb(cr, 0.97, 0.97, 0.97);
  else
    cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, MARGIN_X, d->y, d->pw - 2 * MARGIN_X, h);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0.55, 0.60, 0.68);
  cairo_set_line_width(cr, 0.5);
  for (int c = 0; c < b->ncols; c++) {
    cairo_rectangle(cr, x, d->y, b->widths[c], h);
    cairo_stroke(cr);
    x += b->widths[c];
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  x = MARGIN_X;
  for (int c = 0; c < b->ncols; c++) {
    /* red for 红灯 / 超期 cells makes the warnings stand out on paper */
    if (!head && row[c] && (strstr(row[c], "红灯") || strstr(row[c], "已超期"))) cairo_set_source_rgb(cr, 0.78, 0.1, 0.1);
    else if (!head && row[c] && strstr(row[c], "黄灯")) cairo_set_source_rgb(cr, 0.7, 0.45, 0.0);
    draw(d, ls[c], x + 4, d->y + 4);
    cairo_set_source_rgb(cr, 0, 0, 0);
    x += b->widths[c];
  }
  d->y += h;
}

static void render_table(pdfdoc *d, const block *b) {
  cairo_t *cr = d->cr;
  /* the header's layouts (drawn again on each new page), then a row's */
  PangoLayout **hl = calloc((size_t)b->ncols * 2, sizeof *hl);
  if (!hl) abort();
  PangoLayout **rl = hl + b->ncols;
  double hh = row_layouts(cr, b, b->heads, 1, hl);
  if (b->nrows == 0) {
    need(d, hh + 22);
    table_row(d, b, b->heads, hl, hh, 1, 0);
    free_layouts(hl, b->ncols);
    free(hl);
    PangoLayout *l = lay(cr, b->empty, 9, 0, 0, 0);
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    draw(d, l, MARGIN_X + 4, d->y + 4);
    cairo_set_source_rgb(cr, 0, 0, 0);
    g_object_unref(l);
    d->y += 22 + 10;
    return;
  }
  double h = row_layouts(cr, b, b->cells, 0, rl);
  need(d, hh + h);
  table_row(d, b, b->heads, hl, hh, 1, 0);
  for (int r = 0; r < b->nrows; r++) {
    const char *const *row = b->cells + (size_t)r * (size_t)b->ncols;
    if (r > 0) h = row_layouts(cr, b, row, 0, rl);
    if (!fits(d, h)) {
      new_page(d);
      table_row(d, b, b->heads, hl, hh, 1, 0); /* the header again on the new page */
    }
    table_row(d, b, row, rl, h, 0, r % 2);
    free_layouts(rl, b->ncols);
  }
  free_layouts(hl, b->ncols);
  free(hl);
  d->y += 12;
}

static void fmt_value(double v, char *buf, size_t n) {
  if (v == (double)(long long)v)
    snprintf(buf, n, "%lld", (long long)v);
  else
    snprintf(buf, n, "%.2f", v);
}

static void render_bars(pdfdoc *d, const block *b) {
  static const double colors[][3] = {{0.20, 0.45, 0.75}, {0.85, 0.30, 0.25}, {0.95, 0.65, 0.15}, {0.30, 0.65, 0.35}};
  cairo_t *cr = d->cr;
  const double H = 230, plot_h = 150, left = MARGIN_X + 30, width = d->pw - 2 * MARGIN_X - 40;
  need(d, H);
  PangoLayout *l = lay(cr, b->text, 10, 1, 0, 0);
  draw(d, l, MARGIN_X, d->y);
  double top = d->y + lay_h(l) + 8;
  g_object_unref(l);
  double max = 0;
  for (int i = 0; i < b->nrows * b->nseries; i++)
    if (b->values[i] > max) max = b->values[i];
  /* a round axis maximum: 1, 2, 5 × 10^k */
  double step = 1;
  if (max > 0) {
    double raw = max / 5, mag = pow(10, floor(log10(raw))), norm = raw / mag;
    step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  }
  double axis = step * ceil(max / step);
  if (axis <= 0) axis = step;
  double base = top + plot_h;
  cairo_set_line_width(cr, 0.4);
  int ticks = (int)(axis / step + 0.5);
  for (int k = 0; k <= ticks; k++) {
    double v = k * step, yy = base - v / axis * plot_h;
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
    cairo_move_to(cr, left, yy);
    cairo_line_to(cr, left + width, yy);
    cairo_stroke(cr);
    char buf[32];
    fmt_value(v, buf, sizeof buf);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    l = lay(cr, buf, 7, 0, 0, 0);
    draw(d, l, left - 4 - lay_w(l), yy - lay_h(l) / 2);
    g_object_unref(l);
  }
  int n = b->nrows > 0 ? b->nrows : 1;
  double slot = width / n, bw = slot * 0.7 / (b->nseries > 0 ? b->nseries : 1);
  for (int i = 0; i < b->nrows; i++) {
    double x0 = left + i * slot + slot * 0.15;
    for (int s = 0; s < b->nseries; s++) {
      double v = b->values[i * b->nseries + s];
      double h = v / axis * plot_h;
      const double *c = colors[s % 4];
      cairo_set_source_rgb(cr, c[0], c[1], c[2]);
      cairo_rectangle(cr, x0 + s * bw, base - h, bw - 1, h);
      cairo_fill(cr);
      if (v > 0) {
        char buf[32];
        fmt_value(v, buf, sizeof buf);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        l = lay(cr, buf, 6.5, 0, 0, 0);
        draw(d, l, x0 + s * bw + (bw - lay_w(l)) / 2, base - h - lay_h(l));
        g_object_unref(l);
      }
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    l = lay(cr, b->heads[i], 7, 0, slot - 2, 0);
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    draw(d, l, left + i * slot + 1, base + 3);
    g_object_unref(l);
  }
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  cairo_set_line_width(cr, 0.8);
  cairo_move_to(cr, left, top);
  cairo_line_to(cr, left, base);
  cairo_line_to(cr, left + width, base);
  cairo_stroke(cr);
  /* legend */
  double lx = left, ly = base + 40;
  for (int s = 0; s < b->nseries; s++) {
    const double *c = colors[s % 4];
    cairo_set_source_rgb(cr, c[0], c[1], c[2]);
    cairo_rectangle(cr, lx, ly + 2, 10, 8);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    l = lay(cr, b->series[s], 8, 0, 0, 0);
    draw(d, l, lx + 14, ly);
    lx += 24 + lay_w(l);
    g_object_unref(l);
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  d->y = ly + 24;
}

static void layout_all(pdfdoc *d) {
  cairo_t *cr = d->cr;
  d->page = 1;
  d->y = MARGIN_TOP;
  for (int i = 0; i < d->n; i++) {
    const block *b = &d->b[i];
    PangoLayout *l;
    switch (b->type) {
    case B_TITLE:
      l = lay(cr, b->text, 20, 1, d->pw - 2 * MARGIN_X, 0);
      pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
      cairo_set_source_rgb(cr, 0.70, 0.08, 0.08);
      draw(d, l, MARGIN_X, d->y + 10);
      d->y += 10 + lay_h(l) + 6;
      g_object_unref(l);
      if (b->sub) {
        l = lay(cr, b->sub, 10.5, 0, d->pw - 2 * MARGIN_X, 0);
        pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        draw(d, l, MARGIN_X, d->y);
        d->y += lay_h(l) + 6;
        g_object_unref(l);
      }
      /* the red rule of an official document (红头) */
      cairo_set_source_rgb(cr, 0.78, 0.1, 0.1);
      cairo_set_line_width(cr, 1.6);
      cairo_move_to(cr, MARGIN_X, d->y + 4);
      cairo_line_to(cr, d->pw - MARGIN_X, d->y + 4);
      cairo_stroke(cr);
      cairo_set_source_rgb(cr, 0, 0, 0);
      d->y += 18;
      break;
    case B_HEADING:
      l = lay(cr, b->text, 13, 1, d->pw - 2 * MARGIN_X - 10, 0);
      /* keep a heading with at least a few lines of what follows */
      need(d, lay_h(l) + 70);
      cairo_set_source_rgb(cr, 0.70, 0.08, 0.08);
      cairo_rectangle(cr, MARGIN_X, d->y + 3, 4, lay_h(l) - 4);
      cairo_fill(cr);
      cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
      draw(d, l, MARGIN_X + 10, d->y);
      cairo_set_source_rgb(cr, 0, 0, 0);
      d->y += lay_h(l) + 8;
      g_object_unref(l);
      break;
    case B_PARA: {
      l = lay(cr, b->text, 10.5, 0, d->pw - 2 * MARGIN_X, 0);
      pango_layout_set_spacing(l, 4 * PANGO_SCALE);
      pango_layout_set_indent(l, 21 * PANGO_SCALE); /* 首行缩进两字 */
      double h = lay_h(l);
      if (!fits(d, h) && h < d->ph / 2) need(d, h);
      draw(d, l, MARGIN_X, d->y);
      d->y += h + 10;
      g_object_unref(l);
      break;
    }
    case B_TABLE:
      render_table(d, b);
      break;
    case B_BARS:
      render_bars(d, b);
      break;
    case B_BREAK:
      if (d->y > MARGIN_TOP) new_page(d);
      break;
    }
  }
  footer(d);
  cairo_show_page(cr);
}

typedef struct membuf {
  unsigned char *p;
  size_t len, cap;
  int failed, discard;
} membuf;

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int length) {
  membuf *m = closure;
  if (m->discard) return CAIRO_STATUS_SUCCESS;
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

unsigned char *pdfdoc_render(pdfdoc *d, size_t *len) {
  membuf m = {0};
  for (int pass = 0; pass < 2; pass++) {
    m.discard = pass == 0;
    d->measuring = pass == 0;
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_cb, &m, d->pw, d->ph);
    if (pass == 1) {
      cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
      cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "guatu 挂图作战平台");
    }
    d->cr = cairo_create(s);
    layout_all(d);
    cairo_destroy(d->cr);
    d->cr = NULL;
    cairo_surface_finish(s);
    int bad = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    if (bad || m.failed) {
      free(m.p);
      return NULL;
    }
    d->pages = d->page;
  }
  *len = m.len;
  return m.p;
}

/* ---- the one-table list ----
 * A pdfdoc with a title block and one table, so there is one copy of the
 * page, font and table code.  What is particular to a list is chosen here:
 * landscape pages when the table is wide, and column widths that follow
 * the longest text of each column (bounded so one long column cannot
 * squeeze the others to nothing). */

static size_t text_chars(const char *s) {
  size_t n = 0;
  for (; s && *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80 ? (((unsigned char)*s >= 0xE0) ? 2 : 1) : 0;
  return n; /* CJK counts double: it is twice as wide */
}

unsigned char *pdf_table(const char *title, int ncols, const char *const *heads, int nrows, const char *const *cells,
                         size_t *len) {
  if (ncols <= 0) return NULL;
  /* widths: proportional to the longest text, each between 6% and 45%
   * (pdfdoc scales the relative widths to the page) */
  double *w = calloc((size_t)ncols, sizeof *w), total = 0;
  if (!w) return NULL;
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

  char stamp[64], sub[128];
  time_t now = (time_t)(clock_now() + (int64_t)8 * 3600); /* China time */
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(stamp, sizeof stamp, "生成时间 %Y-%m-%d %H:%M", &tm);
  snprintf(sub, sizeof sub, "%s　共%d行", stamp, nrows);

  unsigned char *out = NULL;
  pdfdoc *d = pdfdoc_new(title, stamp);
  if (d) {
    if (ncols > 5) pdfdoc_landscape(d);
    pdfdoc_title(d, title, sub);
    pdfdoc_table(d, ncols, heads, w, NULL, nrows, cells, NULL);
    out = pdfdoc_render(d, len);
    pdfdoc_free(d);
  }
  free(w);
  return out;
}
