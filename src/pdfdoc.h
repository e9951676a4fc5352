/*
 * pdfdoc.h — a small A4 document writer for reports that go to print
 * (调度周报 and the like): a title block, headings, paragraphs, tables whose
 * header row repeats on every page they run over, simple grouped bar
 * charts drawn with cairo, and on every page a footer with the issuing
 * line, the date and "第 X 页 / 共 Y 页".  Text is set with pango in Noto
 * CJK, so Chinese wraps correctly.  pdf_table() at the end is the one-table
 * list printer built on it.
 *
 * Build the document block by block, then pdfdoc_render() lays it out
 * twice — once to count the pages, once to write them.
 */
#ifndef GUATU_PDFDOC_H
#define GUATU_PDFDOC_H

#include <stddef.h>

typedef struct pdfdoc pdfdoc;

/* footer: the left-hand footer text (issuer · date), may be NULL. */
pdfdoc *pdfdoc_new(const char *title, const char *footer);
void pdfdoc_free(pdfdoc *d);
/* Turns the pages to A4 landscape, for wide tables.  Call it before adding
 * any block: a table's column widths are fixed when it is added. */
void pdfdoc_landscape(pdfdoc *d);

/* The big title with an optional subtitle line under it. */
void pdfdoc_title(pdfdoc *d, const char *title, const char *subtitle);
/* A section heading; it never ends a page alone. */
void pdfdoc_heading(pdfdoc *d, const char *text);
/* A paragraph; lines break by pango, a blank line separates paragraphs. */
void pdfdoc_paragraph(pdfdoc *d, const char *text);
/* A table: heads[ncols], cells[nrows*ncols] row-major (NULL = empty);
 * widths[ncols] are relative (NULL: equal); right[ncols] non-zero right-
 * aligns a column (numbers), may be NULL.  With no rows `empty` is shown. */
void pdfdoc_table(pdfdoc *d, int ncols, const char *const *heads, const double *widths, const int *right, int nrows,
                  const char *const *cells, const char *empty);
/* Grouped bars: n categories × nseries values (values[i*nseries+s]). */
void pdfdoc_bars(pdfdoc *d, const char *title, int n, const char *const *labels, int nseries,
                 const char *const *series, const double *values);
void pdfdoc_page_break(pdfdoc *d);

/* The PDF (malloc'd, free() it) and its length, or NULL. */
unsigned char *pdfdoc_render(pdfdoc *d, size_t *len);

/* The lists the district prints and files: an A4 page (landscape when the
 * table is wide) with a title, a generation line and a table that wraps
 * long cells and continues over pages.  Shared: any module that needs a
 * printable list uses it rather than writing its own.
 * heads: ncols labels; cells: nrows*ncols texts, row-major (NULL prints
 * empty).  Returns a malloc'd buffer (free() it) and its length in *len, or
 * NULL on failure. */
unsigned char *pdf_table(const char *title, int ncols, const char *const *heads, int nrows, const char *const *cells,
                         size_t *len);

#endif
