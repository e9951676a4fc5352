/*
 * xlsx_read.h — reading the first sheet of an XLSX workbook (and CSV) into
 * rows of cell texts, for imports.
 *
 * Debian ships no XLSX-reading C library (libxlsxwriter only writes), so
 * the workbook is read directly: it is a zip (libzip) of XML parts (expat):
 * xl/workbook.xml and its relationships name the first sheet,
 * xl/sharedStrings.xml holds the shared strings.  Cells are returned as
 * text: shared and inline strings as written, numbers as their stored
 * decimal text, booleans as "1"/"0".  Sizes are capped so that a hostile
 * file (zip bomb, million columns) fails cleanly instead of eating memory.
 */
#ifndef GUATU_XLSX_READ_H
#define GUATU_XLSX_READ_H

#include <stddef.h>

typedef struct xlsx_row {
  int ncells;
  char **cells; /* cells[i] is column i (A = 0); NULL when empty */
} xlsx_row;

typedef struct xlsx_sheet {
  int nrows;
  xlsx_row *rows; /* rows[i] is spreadsheet row i + 1 */
} xlsx_sheet;

#define XLSX_MAX_ROWS 100000
#define XLSX_MAX_COLS 512
#define XLSX_MAX_PART (64u << 20) /* uncompressed bytes of one XML part */
/* Decoded bytes of all cells together: a shared string is stored once but
 * copied into every cell that refers to it, so a 1 MB string referenced
 * 100,000 times ("decompression bomb") would otherwise be 100 GB. */
#define XLSX_MAX_CELL_BYTES ((size_t)64 << 20)

/* Parses an XLSX file held in memory.  Returns the sheet, or NULL with a
 * bilingual reason in err. */
xlsx_sheet *xlsx_read_buffer(const void *data, size_t len, char *err, size_t errlen);
/* Parses UTF-8 CSV (RFC 4180 quoting, optional BOM, CRLF or LF). */
xlsx_sheet *csv_read_buffer(const char *data, size_t len, char *err, size_t errlen);
/* The cell text, or "" when the cell is empty or outside the sheet. */
const char *xlsx_cell(const xlsx_sheet *s, int row, int col);
void xlsx_free(xlsx_sheet *s);

#endif
