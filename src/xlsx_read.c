/*
 * xlsx_read.c — see xlsx_read.h.  libzip opens the workbook from memory,
 * expat walks each XML part once; element names are compared without
 * their namespace prefix because some writers emit "x:row".
 */
#include "xlsx_read.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* realloc that treats out-of-memory as fatal, as the request arena does */
static void *grow(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!q) abort();
  return q;
}

static void set_err(char *err, size_t errlen, const char *msg) {
  if (err && errlen) snprintf(err, errlen, "%s", msg);
}

static const char *local_name(const char *n) {
  const char *c = strrchr(n, ':');
  return c ? c + 1 : n;
}

static const char *attr(const char **atts, const char *name) {
  for (int i = 0; atts[i]; i += 2)
    if (strcmp(local_name(atts[i]), name) == 0 || strcmp(atts[i], name) == 0) return atts[i + 1];
  return NULL;
}

/* Reads one part of the zip; NULL when absent or too large. */
static char *zip_part(zip_t *z, const char *name, size_t *len) {
  zip_stat_t st;
  if (zip_stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || st.size > XLSX_MAX_PART) return NULL;
  zip_file_t *f = zip_fopen(z, name, 0);
  if (!f) return NULL;
  char *buf = malloc(st.size + 1);
  zip_int64_t got = buf ? zip_fread(f, buf, st.size) : -1;
  zip_fclose(f);
  if (got < 0 || (zip_uint64_t)got != st.size) {
    free(buf);
    return NULL;
  }
  buf[got] = 0;
  *len = (size_t)got;
  return buf;
}

/* ---- a growable text ---- */
typedef struct text {
  char *s;
  size_t n, cap;
} text;
static void text_add(text *t, const char *s, size_t n) {
  if (t->n + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 64;
    while (cap < t->n + n + 1) cap *= 2;
    t->s = grow(t->s, cap);
    t->cap = cap;
  }
  memcpy(t->s + t->n, s, n);
  t->n += n;
  t->s[t->n] = 0;
}
static char *text_take(text *t) {
  char *s = t->s ? t->s : strdup("");
  memset(t, 0, sizeof *t);
  return s;
}

/* ---- shared strings ---- */
typedef struct sst {
  char **items;
  int n, cap;
  text cur;
  int in_si, in_t, in_rph;
  int overflow;
} sst;

static void sst_start(void *ud, const char *name, const char **atts) {
  (void)atts;
  sst *s = ud;
  const char *n = local_name(name);
  if (strcmp(n, "si") == 0) s->in_si = 1;
  else if (strcmp(n, "rPh") == 0) s->in_rph = 1; /* phonetic guide: not part of the text */
  else if (strcmp(n, "t") == 0 && s->in_si && !s->in_rph) s->in_t = 1;
}
static void sst_end(void *ud, const char *name) {
  sst *s = ud;
  const char *n = local_name(name);
  if (strcmp(n, "t") == 0) s->in_t = 0;
  else if (strcmp(n, "rPh") == 0) s->in_rph = 0;
  else if (strcmp(n, "si") == 0) {
    s->in_si = 0;
    if (s->n == s->cap) {
      if (s->cap >= 4 * XLSX_MAX_ROWS * 8) {
        s->overflow = 1;
        free(text_take(&s->cur));
        return;
      }
      s->cap = s->cap ? s->cap * 2 : 256;
      s->items = grow(s->items, sizeof *s->items * (size_t)s->cap);
    }
    s->items[s->n++] = text_take(&s->cur);
  }
}
static void sst_chars(void *ud, const char *c, int len) {
  sst *s = ud;
  if (s->in_t) text_add(&s->cur, c, (size_t)len);
}

/* ---- the sheet ---- */
typedef struct sheet_ctx {
  xlsx_sheet *sh;
  const sst *strings;
  int row, col, next_col;
  char type[16];
  text val;
  int in_v, in_is_t, in_cell;
  int error;
  int cap_rows;
  size_t cell_bytes; /* decoded so far, against XLSX_MAX_CELL_BYTES */
} sheet_ctx;

/* A non-negative decimal, or -1 (also for junk and overflow). */
static long num(const char *s) {
  char *end;
  long v = strtol(s, &end, 10);
  return end == s || *end || v < 0 ? -1 : v;
}

/* "BC12" → column 54 (0-based) and row 12; -1 on junk. */
static int parse_ref(const char *ref, int *col, int *row) {
  int c = 0, i = 0;
  /* Stop as soon as the column is past the limit: a long run of letters
   * ("AAAA…A1") would overflow int. */
  while (ref[i] >= 'A' && ref[i] <= 'Z') {
    c = c * 26 + (ref[i++] - 'A' + 1);
    if (c > XLSX_MAX_COLS) return -1;
  }
  if (i == 0) return -1;
  *col = c - 1;
  if (row) *row = (int)(num(ref + i) > XLSX_MAX_ROWS ? -1 : num(ref + i));
  return 0;
}

static void put_cell(sheet_ctx *x, int row, int col, char *value) {
  if (row < 1 || row > XLSX_MAX_ROWS || col < 0 || col >= XLSX_MAX_COLS) {
    x->error = 1;
    free(value);
    return;
  }
  xlsx_sheet *sh = x->sh;
  if (row > x->cap_rows) {
    int cap = x->cap_rows ? x->cap_rows : 64;
    while (cap < row) cap *= 2;
    sh->rows = grow(sh->rows, sizeof *sh->rows * (size_t)cap);
    memset(sh->rows + x->cap_rows, 0, sizeof *sh->rows * (size_t)(cap - x->cap_rows));
    x->cap_rows = cap;
  }
  if (row > sh->nrows) sh->nrows = row;
  xlsx_row *r = &sh->rows[row - 1];
  if (col >= r->ncells) {
    r->cells = grow(r->cells, sizeof *r->cells * (size_t)(col + 1));
    memset(r->cells + r->ncells, 0, sizeof *r->cells * (size_t)(col + 1 - r->ncells));
    r->ncells = col + 1;
  }
  free(r->cells[col]);
  r->cells[col] = value;
}

static void sh_start(void *ud, const char *name, const char **atts) {
  sheet_ctx *x = ud;
  const char *n = local_name(name);
  if (strcmp(n, "row") == 0) {
    const char *r = attr(atts, "r");
    long rn = r ? num(r) : x->row + 1;
    x->row = rn > XLSX_MAX_ROWS ? -1 : (int)rn;
    x->next_col = 0;
  } else if (strcmp(n, "c") == 0) {
    const char *r = attr(atts, "r"), *t = attr(atts, "t");
    int col = x->next_col, row = x->row;
    if (r && parse_ref(r, &col, &row) != 0) x->error = 1;
    if (r && row > 0) x->row = row;
    x->col = col;
    x->next_col = col + 1;
    snprintf(x->type, sizeof x->type, "%s", t ? t : "n");
    x->in_cell = 1;
    free(text_take(&x->val));
  } else if (strcmp(n, "v") == 0 && x->in_cell) {
    x->in_v = 1;
  } else if (strcmp(n, "t") == 0 && x->in_cell) {
    x->in_is_t = 1;
  }
}

static void sh_end(void *ud, const char *name) {
  sheet_ctx *x = ud;
  const char *n = local_name(name);
  if (strcmp(n, "v") == 0) x->in_v = 0;
  else if (strcmp(n, "t") == 0) x->in_is_t = 0;
  else if (strcmp(n, "c") == 0 && x->in_cell) {
    x->in_cell = 0;
    char *v = text_take(&x->val);
    if (strcmp(x->type, "s") == 0) {
      long i = num(v);
      free(v);
      if (i < 0 || i >= x->strings->n) {
        x->error = 1;
        return;
      }
      /* count before copying: the copies are what a bomb multiplies */
      x->cell_bytes += strlen(x->strings->items[i]);
      if (x->cell_bytes > XLSX_MAX_CELL_BYTES) {
        x->error = 1;
        return;
      }
      v = strdup(x->strings->items[i]);
    } else {
      x->cell_bytes += strlen(v);
      if (x->cell_bytes > XLSX_MAX_CELL_BYTES) {
        x->error = 1;
        free(v);
        return;
      }
    }
    if (!*v) {
      free(v);
      return;
    }
    put_cell(x, x->row, x->col, v);
  }
}

static void sh_chars(void *ud, const char *c, int len) {
  sheet_ctx *x = ud;
  if (x->in_v || x->in_is_t) text_add(&x->val, c, (size_t)len);
}

static int parse_xml(const char *data, size_t len, void *ud, XML_StartElementHandler s, XML_EndElementHandler e,
                     XML_CharacterDataHandler c) {
  XML_Parser p = XML_ParserCreate("UTF-8");
  if (!p) return -1;
  XML_SetUserData(p, ud);
  XML_SetElementHandler(p, s, e);
  if (c) XML_SetCharacterDataHandler(p, c);
  int ok = XML_Parse(p, data, (int)len, 1) == XML_STATUS_OK;
  XML_ParserFree(p);
  return ok ? 0 : -1;
}

/* ---- which part is the first sheet ---- */
typedef struct first_sheet {
  char rid[128];
  char target[512];
} first_sheet;

static void wb_start(void *ud, const char *name, const char **atts) {
  first_sheet *f = ud;
  if (strcmp(local_name(name), "sheet") == 0 && !f->rid[0]) {
    const char *id = attr(atts, "id");
    if (id) snprintf(f->rid, sizeof f->rid, "%s", id);
  }
}
static void rel_start(void *ud, const char *name, const char **atts) {
  first_sheet *f = ud;
  if (strcmp(local_name(name), "Relationship") == 0 && !f->target[0]) {
    const char *id = attr(atts, "Id"), *t = attr(atts, "Target");
    if (id && t && strcmp(id, f->rid) == 0) {
      if (t[0] == '/') snprintf(f->target, sizeof f->target, "%s", t + 1);
      else snprintf(f->target, sizeof f->target, "xl/%s", t);
    }
  }
}
static void no_end(void *ud, const char *name) {
  (void)ud;
  (void)name;
}

xlsx_sheet *xlsx_read_buffer(const void *data, size_t len, char *err, size_t errlen) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
  zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
  zip_error_fini(&ze);
  if (!z) {
    if (src) zip_source_free(src);
    set_err(err, errlen, "不是有效的XLSX文件 / not a valid XLSX file");
    return NULL;
  }
  first_sheet fs = {{0}, {0}};
  size_t n;
  char *part = zip_part(z, "xl/workbook.xml", &n);
  if (part) parse_xml(part, n, &fs, wb_start, no_end, NULL);
  free(part);
  part = fs.rid[0] ? zip_part(z, "xl/_rels/workbook.xml.rels", &n) : NULL;
  if (part) parse_xml(part, n, &fs, rel_start, no_end, NULL);
  free(part);
  const char *sheet_name = fs.target[0] ? fs.target : "xl/worksheets/sheet1.xml";

  sst strings = {0};
  part = zip_part(z, "xl/sharedStrings.xml", &n);
  int rc = 0;
  if (part) rc = parse_xml(part, n, &strings, sst_start, sst_end, sst_chars);
  free(part);
  xlsx_sheet *sh = calloc(1, sizeof *sh);
  sheet_ctx x = {.sh = sh, .strings = &strings};
  part = rc == 0 && !strings.overflow ? zip_part(z, sheet_name, &n) : NULL;
  if (!part) {
    set_err(err, errlen, "XLSX中找不到工作表或文件过大 / no readable worksheet in the XLSX file");
    rc = -1;
  } else if (parse_xml(part, n, &x, sh_start, sh_end, sh_chars) != 0 || x.error) {
    set_err(err, errlen, "工作表内容无法解析或超出大小限制 / the worksheet is malformed or too large");
    rc = -1;
  }
  free(part);
  free(text_take(&x.val));
  free(text_take(&strings.cur));
  for (int i = 0; i < strings.n; i++) free(strings.items[i]);
  free(strings.items);
  zip_discard(z); /* read-only: nothing to write back; frees the source too */
  if (rc != 0) {
    xlsx_free(sh);
    return NULL;
  }
  return sh;
}

xlsx_sheet *csv_read_buffer(const char *data, size_t len, char *err, size_t errlen) {
  xlsx_sheet *sh = calloc(1, sizeof *sh);
  sheet_ctx x = {.sh = sh};
  size_t i = 0;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
  int row = 1, col = 0;
  text cell = {0};
  int quoted = 0, any = 0;
  for (; i <= len; i++) {
    char ch = i < len ? data[i] : '\n';
    if (quoted) {
      if (i == len) {
        set_err(err, errlen, "CSV引号未闭合 / unterminated quote in the CSV");
        free(text_take(&cell));
        xlsx_free(sh);
        return NULL;
      }
      if (ch == '"' && i + 1 < len && data[i + 1] == '"') {
        text_add(&cell, "\"", 1);
        i++;
      } else if (ch == '"') {
        quoted = 0;
      } else {
        text_add(&cell, &ch, 1);
      }
      continue;
    }
    if (ch == '"' && cell.n == 0) {
      quoted = 1;
      any = 1;
    } else if (ch == ',' || ch == '\n' || ch == '\r') {
      char *v = text_take(&cell);
      if (*v) put_cell(&x, row, col, v);
      else free(v);
      if (x.error) break;
      if (ch == ',') {
        col++;
        any = 1;
      } else {
        if (ch == '\r' && i + 1 < len && data[i + 1] == '\n') i++;
        if (any || col > 0) row++;
        col = 0;
        any = 0;
        if (i >= len) break;
      }
    } else {
      text_add(&cell, &ch, 1);
      any = 1;
    }
  }
  free(text_take(&cell));
  if (x.error) {
    set_err(err, errlen, "CSV超出大小限制 / the CSV is too large");
    xlsx_free(sh);
    return NULL;
  }
  return sh;
}

const char *xlsx_cell(const xlsx_sheet *s, int row, int col) {
  if (!s || row < 0 || row >= s->nrows || col < 0 || col >= s->rows[row].ncells) return "";
  const char *v = s->rows[row].cells[col];
  return v ? v : "";
}

void xlsx_free(xlsx_sheet *s) {
  if (!s) return;
  for (int i = 0; i < s->nrows; i++) {
    for (int c = 0; c < s->rows[i].ncells; c++) free(s->rows[i].cells[c]);
    free(s->rows[i].cells);
  }
  free(s->rows);
  free(s);
}
