/*
 * export.h — lists as spreadsheets: any JSON list of objects written as XLSX
 * (libxlsxwriter) or CSV, with the columns and labels the user chose.
 */
#ifndef GUATU_EXPORT_H
#define GUATU_EXPORT_H

#include <jansson.h>
#include <stdint.h>

#include "http.h"

/* How a column's values are written: as they come (text, JSON numbers as
 * numbers), or money (yuan strings) as numbers in 万元 / 亿元 / 元, an area
 * in 亩 as a number, or a date as text. */
typedef enum export_fmt { EXPORT_AS_IS, EXPORT_WAN, EXPORT_YI, EXPORT_YUAN, EXPORT_NUM } export_fmt;

/* One column: the JSON key ("a.b" reaches into an object when the item has
 * no key "a.b"), the header label and the format. */
typedef struct export_col {
  const char *key, *label;
  export_fmt fmt;
} export_col;

/* Parses "key:标签:fmt,key2:标签2" (labels and formats optional; fmt is
 * wan|yi|yuan|money|mu|num — money is written in 万元, as the lists show it);
 * with NULL/empty spec the keys of the first item are used.  Returns the
 * count. */
int export_columns(arena *a, const char *spec, json_t *items, export_col **out);
/* Writes rows to an XLSX file; 0 on success. */
int export_xlsx_file(const char *path, const char *sheet, json_t *items, const export_col *cols, int ncols);
/* Text for a spreadsheet cell with formula injection neutralised: a text
 * starting with = + - @ tab or CR (not a plain number) gets a leading '. */
const char *export_safe_text(arena *a, const char *s);
/* worksheet_write_string through export_safe_text: every text cell of
 * user data in an XLSX goes through this. */
struct lxw_worksheet;
struct lxw_format;
int export_write_text(struct lxw_worksheet *ws, uint32_t row, uint16_t col, const char *s, struct lxw_format *f);
/* Replies with the items as an attachment (format "xlsx" or "csv"), named
 * after the request's `filename` (else 导出) and today: 项目库-2026-11-18.xlsx. */
void export_reply(req *r, json_t *items, const char *columns, const char *format);
/* The cell text for a JSON value: arrays joined with "、", objects as JSON. */
char *export_cell_text(arena *a, json_t *v);

#endif
