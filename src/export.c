/*
 * export.c — see export.h.  libxlsxwriter 1.1.4 (Debian 12) writes only to
 * files, so the reply goes through a private temporary file.
 */
#include "export.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

int export_columns(arena *a, const char *spec, json_t *items, export_col **out) {
  int n = 0, cap = 16;
  export_col *cols = arena_alloc(a, sizeof *cols * (size_t)cap);
  if (spec && *spec) {
    char *copy = arena_strdup(a, spec), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok && n < cap * 8; tok = strtok_r(NULL, ",", &save)) {
      if (n == cap) {
        export_col *bigger = arena_alloc(a, sizeof *cols * (size_t)cap * 2);
        memcpy(bigger, cols, sizeof *cols * (size_t)cap);
        cols = bigger;
        cap *= 2;
      }
      char *colon = strchr(tok, ':');
      if (colon) *colon = 0;
      cols[n].key = tok;
      cols[n].label = colon && colon[1] ? colon + 1 : tok;
      n++;
    }
  } else if (json_array_size(items) > 0) {
    const char *key;
    json_t *v;
    json_object_foreach(json_array_get(items, 0), key, v) {
      (void)v;
      if (n == cap) break;
      cols[n].key = cols[n].label = arena_strdup(a, key);
      n++;
    }
  }
  *out = cols;
  return n;
}

char *export_cell_text(arena *a, json_t *v) {
  if (!v || json_is_null(v)) return arena_strdup(a, "");
  if (json_is_string(v)) return arena_strdup(a, json_string_value(v));
  if (json_is_integer(v)) return arena_printf(a, "%lld", (long long)json_integer_value(v));
  if (json_is_real(v)) return arena_printf(a, "%.2f", json_real_value(v));
  if (json_is_true(v)) return arena_strdup(a, "是");
  if (json_is_false(v)) return arena_strdup(a, "否");
  if (json_is_array(v)) {
    strbuf sb = STRBUF_INIT;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
      if (i) sb_adds(&sb, "、");
      sb_adds(&sb, export_cell_text(a, e));
    }
    char *s = arena_strdup(a, sb_str(&sb));
    sb_release(&sb);
    return s;
  }
  char *dump = json_dumps(v, JSON_COMPACT);
  char *s = arena_strdup(a, dump ? dump : "");
  free(dump);
  return s;
}

/* A plain decimal number ("-12.50", "366000000.00"): a number, not text
 * a spreadsheet could take for a formula. */
static int is_plain_number(const char *s) {
  if (*s == '-') s++;
  if (*s < '0' || *s > '9') return 0;
  while (*s >= '0' && *s <= '9') s++;
  if (*s == '.') {
    s++;
    if (*s < '0' || *s > '9') return 0;
    while (*s >= '0' && *s <= '9') s++;
  }
  return *s == 0;
}

/* Formula injection (OWASP "CSV injection"): a text cell that starts with
 * = + - @ or a tab or carriage return is run as a formula by Excel and WPS
 * (=HYPERLINK(...), =cmd|...) once opened or edited; such text gets a
 * leading single quote, which spreadsheets show as text.  Numbers (money,
 * rates, counts), also when they arrive as strings, are left alone. */
const char *export_safe_text(arena *a, const char *s) {
  if (!s || !*s || !strchr("=+-@\t\r", *s) || is_plain_number(s)) return s;
  return arena_printf(a, "'%s", s);
}

int export_write_text(struct lxw_worksheet *ws, uint32_t row, uint16_t col, const char *s, struct lxw_format *f) {
  arena a;
  arena_init(&a);
  int e = (int) worksheet_write_string(ws, row, col, export_safe_text(&a, s ? s : ""), f);
  arena_release(&a);
  return e;
}

int export_xlsx_file(const char *path, const char *sheet, json_t *items, const export_col *cols, int ncols) {
  lxw_workbook *wb = workbook_new(path);
  if (!wb) return -1;
  lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
  lxw_format *head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_bg_color(head, 0xDDEBF7);
  format_set_border(head, LXW_BORDER_THIN);
  arena a;
  arena_init(&a);
  for (int c = 0; c < ncols; c++) {
    worksheet_write_string(ws, 0, (lxw_col_t)c, export_safe_text(&a, cols[c].label), head);
    worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, 16, NULL);
  }
  size_t i;
  json_t *item;
  json_array_foreach(items, i, item) {
    for (int c = 0; c < ncols; c++) {
      json_t *v = json_object_get(item, cols[c].key);
      lxw_row_t row = (lxw_row_t)(i + 1);
      if (json_is_integer(v))
        worksheet_write_number(ws, row, (lxw_col_t)c, (double)json_integer_value(v), NULL);
      else
        worksheet_write_string(ws, row, (lxw_col_t)c, export_safe_text(&a, export_cell_text(&a, v)), NULL);
    }
    if (i % 1024 == 1023) { /* keep the arena small on big exports */
      arena_release(&a);
      arena_init(&a);
    }
  }
  worksheet_freeze_panes(ws, 1, 0);
  arena_release(&a);
  return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

static void csv_cell(strbuf *sb, const char *s) {
  sb_adds(sb, "\"");
  for (; *s; s++) {
    if (*s == '"') sb_adds(sb, "\"\"");
    else sb_add(sb, s, 1);
  }
  sb_adds(sb, "\"");
}

void export_reply(req *r, json_t *items, const char *columns, const char *format) {
  export_col *cols;
  int n = export_columns(&r->a, columns, items, &cols);
  if (strcmp(format, "csv") == 0) {
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "\xEF\xBB\xBF"); /* BOM: Excel in China opens UTF-8 CSV correctly only with it */
    for (int c = 0; c < n; c++) {
      if (c) sb_adds(&sb, ",");
      csv_cell(&sb, export_safe_text(&r->a, cols[c].label));
    }
    sb_adds(&sb, "\r\n");
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
      for (int c = 0; c < n; c++) {
        if (c) sb_adds(&sb, ",");
        csv_cell(&sb, export_safe_text(&r->a, export_cell_text(&r->a, json_object_get(item, cols[c].key))));
      }
      sb_adds(&sb, "\r\n");
    }
    reply_bytes(r, 200, "text/csv; charset=utf-8", sb_str(&sb), sb.len);
    reply_header(r, "Content-Disposition", "attachment; filename=\"export.csv\"");
    sb_release(&sb);
    return;
  }
  char path[] = "/tmp/guatu-export-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) {
    reply_problem(r, 500, "导出失败 / Export failed", "无法创建临时文件 / Cannot create a temporary file");
    return;
  }
  close(fd);
  if (export_xlsx_file(path, "导出", items, cols, n) != 0) {
    unlink(path);
    reply_problem(r, 500, "导出失败 / Export failed", "无法写入XLSX / Cannot write the XLSX file");
    return;
  }
  FILE *f = fopen(path, "rb");
  struct stat stt;
  if (!f || fstat(fileno(f), &stt) != 0) {
    if (f) fclose(f);
    unlink(path);
    reply_problem(r, 500, "导出失败 / Export failed", NULL);
    return;
  }
  char *data = malloc((size_t)stt.st_size + 1);
  size_t got = data ? fread(data, 1, (size_t)stt.st_size, f) : 0;
  fclose(f);
  unlink(path);
  reply_bytes(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data, got);
  free(data);
  reply_header(r, "Content-Disposition", "attachment; filename=\"export.xlsx\"");
}
