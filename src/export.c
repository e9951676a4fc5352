/*
 * export.c — see export.h.  libxlsxwriter 1.1.4 (Debian 12) writes only to
 * files, so the reply goes through a private temporary file.
 */
#include "export.h"
#include "calendar.h"
#include "clock.h"

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
      char *colon = strchr(tok, ':'), *fmt = NULL;
      if (colon) {
        *colon = 0;
        fmt = strchr(colon + 1, ':');
        if (fmt) *fmt++ = 0;
      }
      cols[n].key = tok;
      cols[n].label = colon && colon[1] ? colon + 1 : tok;
      cols[n].fmt = !fmt                                                  ? EXPORT_AS_IS
                    : !strcmp(fmt, "wan") || !strcmp(fmt, "money")        ? EXPORT_WAN
                    : !strcmp(fmt, "yi")                                  ? EXPORT_YI
                    : !strcmp(fmt, "yuan")                                ? EXPORT_YUAN
                    : !strcmp(fmt, "mu") || !strcmp(fmt, "num")           ? EXPORT_NUM
                                                                          : EXPORT_AS_IS;
      n++;
    }
  } else if (json_array_size(items) > 0) {
    const char *key;
    json_t *v;
    json_object_foreach(json_array_get(items, 0), key, v) {
      (void)v;
      if (n == cap) break;
      cols[n].key = cols[n].label = arena_strdup(a, key);
      cols[n].fmt = EXPORT_AS_IS;
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

/* The item's value for a column: its key, else the path "a.b" into an
 * object ("annual_plan.2026"). */
static json_t *col_value(json_t *item, const char *key) {
  json_t *v = json_object_get(item, key);
  const char *dot = v ? NULL : strchr(key, '.');
  if (!dot) return v;
  char head[128];
  size_t hl = (size_t)(dot - key);
  if (hl >= sizeof head) return NULL;
  memcpy(head, key, hl);
  head[hl] = 0;
  json_t *o = json_object_get(item, head);
  return json_is_object(o) ? col_value(o, dot + 1) : NULL;
}

/* A column's value as a number in its unit; 0 when it has none (text is
 * written as it is). */
static int col_number(const export_col *c, json_t *v, double *out) {
  if (!v || json_is_null(v)) return 0;
  if (c->fmt == EXPORT_WAN || c->fmt == EXPORT_YI || c->fmt == EXPORT_YUAN) {
    int64_t fen;
    const char *zh, *en;
    if (json_money_read(v, &fen, &zh, &en) != 0) return 0;
    *out = (double)fen / (c->fmt == EXPORT_WAN ? 1e6 : c->fmt == EXPORT_YI ? 1e10 : 100.0);
    return 1;
  }
  if (json_is_integer(v)) return *out = (double)json_integer_value(v), 1;
  if (json_is_real(v)) return *out = json_real_value(v), 1;
  if (c->fmt == EXPORT_NUM && json_is_string(v) && is_plain_number(json_string_value(v)))
    return *out = strtod(json_string_value(v), NULL), 1;
  return 0;
}

/* Display width of UTF-8 text in spreadsheet columns: a CJK character is two. */
static double text_width(const char *s) {
  double w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p & 0xC0) == 0x80) continue;
    w += *p >= 0xE0 ? 2.1 : 1.1;
  }
  return w;
}

int export_xlsx_file(const char *path, const char *sheet, json_t *items, const export_col *cols, int ncols) {
  lxw_workbook *wb = workbook_new(path);
  if (!wb) return -1;
  lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
  lxw_format *head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_bg_color(head, 0xDDEBF7);
  format_set_border(head, LXW_BORDER_THIN);
  format_set_text_wrap(head);
  format_set_align(head, LXW_ALIGN_CENTER);
  format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
  lxw_format *money = workbook_add_format(wb);
  format_set_num_format(money, "#,##0.00");
  lxw_format *count = workbook_add_format(wb);
  format_set_num_format(count, "0");
  arena a;
  arena_init(&a);
  double *width = arena_alloc(&a, sizeof *width * (size_t)(ncols ? ncols : 1));
  for (int c = 0; c < ncols; c++) {
    worksheet_write_string(ws, 0, (lxw_col_t)c, export_safe_text(&a, cols[c].label), head);
    width[c] = text_width(cols[c].label);
  }
  arena rows;
  arena_init(&rows);
  size_t i;
  json_t *item;
  json_array_foreach(items, i, item) {
    for (int c = 0; c < ncols; c++) {
      json_t *v = col_value(item, cols[c].key);
      lxw_row_t row = (lxw_row_t)(i + 1);
      double num, w;
      if (col_number(&cols[c], v, &num)) {
        int whole = json_is_integer(v) && cols[c].fmt == EXPORT_AS_IS;
        worksheet_write_number(ws, row, (lxw_col_t)c, num, whole ? count : money);
        w = text_width(arena_printf(&rows, whole ? "%.0f" : "%.2f", num)) * 1.3;
      } else {
        const char *s = export_cell_text(&rows, v);
        worksheet_write_string(ws, row, (lxw_col_t)c, export_safe_text(&rows, s), NULL);
        w = text_width(s);
      }
      if (w > width[c]) width[c] = w;
    }
    if (i % 1024 == 1023) { /* keep the arena small on big exports */
      arena_release(&rows);
      arena_init(&rows);
    }
  }
  arena_release(&rows);
  for (int c = 0; c < ncols; c++)
    worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width[c] + 2 < 8 ? 8 : width[c] + 2 > 60 ? 60 : width[c] + 2, NULL);
  /* a header that stays on screen and on every printed page, A4 landscape,
   * as wide as the page, page numbers at the foot */
  worksheet_freeze_panes(ws, 1, 0);
  if (ncols > 0) worksheet_autofilter(ws, 0, 0, (lxw_row_t)json_array_size(items), (lxw_col_t)(ncols - 1));
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, 9);
  worksheet_repeat_rows(ws, 0, 0);
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
  worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
  arena_release(&a);
  return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

/* attachment; filename="export-2026-11-18.xlsx"; filename*=UTF-8''项目库-2026-11-18.xlsx
 * — the name from ?filename= (letters, digits, CJK, - _ （） kept; else 导出),
 * dated today. */
static const char *export_disposition(req *r, const char *ext) {
  const char *want = req_arg(r, "filename");
  strbuf name = STRBUF_INIT;
  for (const unsigned char *p = (const unsigned char *)(want ? want : ""); *p; p++) {
    if ((*p & 0xC0) != 0x80 && name.len >= 120) break; /* cut between characters, never inside one */
    if (*p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '-' || *p == '_')
      sb_add(&name, (const char *)p, 1);
  }
  char day[11];
  date_format(clock_today(), day);
  const char *base = name.len ? arena_printf(&r->a, "%s-%s.%s", sb_str(&name), day, ext) : arena_printf(&r->a, "导出-%s.%s", day, ext);
  sb_release(&name);
  strbuf enc = STRBUF_INIT;
  for (const unsigned char *p = (const unsigned char *)base; *p; p++) {
    if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '-' || *p == '.' || *p == '_')
      sb_add(&enc, (const char *)p, 1);
    else
      sb_addf(&enc, "%%%02X", *p);
  }
  const char *cd = arena_printf(&r->a, "attachment; filename=\"export-%s.%s\"; filename*=UTF-8''%s", day, ext, sb_str(&enc));
  sb_release(&enc);
  return cd;
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
        json_t *v = col_value(item, cols[c].key);
        double num;
        if (cols[c].fmt != EXPORT_AS_IS && col_number(&cols[c], v, &num)) sb_addf(&sb, "%.2f", num);
        else csv_cell(&sb, export_safe_text(&r->a, export_cell_text(&r->a, v)));
      }
      sb_adds(&sb, "\r\n");
    }
    reply_bytes(r, 200, "text/csv; charset=utf-8", sb_str(&sb), sb.len);
    reply_header(r, "Content-Disposition", export_disposition(r, "csv"));
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
  reply_header(r, "Content-Disposition", export_disposition(r, "xlsx"));
}
