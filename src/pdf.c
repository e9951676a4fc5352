/*
 * pdf.c — see pdf.h.  The one-table list is a pdfdoc (pdfdoc.h) with a
 * title block and one table, so there is one copy of the page, font and
 * table code.  What is particular to a list is chosen here: landscape pages
 * when the table is wide, and column widths that follow the longest text of
 * each column (bounded so one long column cannot squeeze the others to
 * nothing).
 */
#include "clock.h"
#include "pdf.h"

/* cairo and fontconfig keep process-wide caches (fonts, glyphs, the
 * configuration) that they free only at an explicit reset no server can
 * call safely while other threads run; tell LeakSanitizer they are not
 * leaks of ours. */
#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libcairo.so\nleak:libfontconfig.so\n"; }
#endif

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pdfdoc.h"

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
  time_t now = (time_t)(clock_now() + 8L * 3600); /* China time */
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
