/*
 * pdf.h — a small PDF writer for the lists the district prints and files:
 * an A4 page (landscape when the table is wide) with a title, a generation
 * line and a table that wraps long cells and continues over pages, set in
 * Noto Sans CJK through cairo + pango.  Shared: any module that needs a
 * printable list uses it rather than writing its own.
 */
#ifndef GUATU_PDF_H
#define GUATU_PDF_H

#include <stddef.h>

/* A table as PDF.  heads: ncols labels; cells: nrows*ncols texts, row-major
 * (NULL prints empty).  Returns a malloc'd buffer (free() it) and its length
 * in *len, or NULL on failure. */
unsigned char *pdf_table(const char *title, int ncols, const char *const *heads, int nrows, const char *const *cells,
                         size_t *len);

#endif
