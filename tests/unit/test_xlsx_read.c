/*
 * test_xlsx_read.c — reading XLSX (src/xlsx_read.c): a workbook written by
 * libxlsxwriter through export.c (what `guatu export` produces), a
 * hand-made one with inline strings, a phonetic run, namespace prefixes, a
 * second sheet and cells without references, and files that must fail
 * cleanly; and the CSV reader's quoting rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "../../src/export.h"
#include "../../src/xlsx_read.h"
#include "unit.h"

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  *len = 0;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  *len = fread(buf, 1, (size_t)n, f);
  fclose(f);
  return buf;
}

static void test_roundtrip_libxlsxwriter(void) {
  char path[] = "/tmp/guatu-unit-xlsx-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  json_t *items = json_loads("[{\"code\":\"HT-1\",\"name\":\"三一智慧钢铁城\",\"n\":42,\"total\":\"10000000000.00\",\"tags\":[\"省市重点\",\"集中开工\"]},"
                             "{\"code\":\"HT-2\",\"name\":\"含\\\"引号\\\"与<尖括号>&\",\"n\":-7,\"total\":\"\",\"tags\":[]}]",
                             0, NULL);
  export_col cols[] = {{"code", "项目编号"}, {"name", "项目名称"}, {"n", "数"}, {"total", "总投资"}, {"tags", "标签"}};
  CHECK_EQ_INT(export_xlsx_file(path, "项目库", items, cols, 5), 0);
  size_t len = 0;
  char *data = slurp(path, &len);
  char err[256] = "";
  xlsx_sheet *s = xlsx_read_buffer(data, len, err, sizeof err);
  CHECK(s != NULL);
  if (s) {
    CHECK_EQ_INT(s->nrows, 3);
    CHECK_EQ_STR(xlsx_cell(s, 0, 0), "项目编号");
    CHECK_EQ_STR(xlsx_cell(s, 0, 4), "标签");
    CHECK_EQ_STR(xlsx_cell(s, 1, 1), "三一智慧钢铁城");
    CHECK_EQ_STR(xlsx_cell(s, 1, 2), "42");
    CHECK_EQ_STR(xlsx_cell(s, 1, 3), "10000000000.00");
    CHECK_EQ_STR(xlsx_cell(s, 1, 4), "省市重点、集中开工");
    CHECK_EQ_STR(xlsx_cell(s, 2, 1), "含\"引号\"与<尖括号>&");
    CHECK_EQ_STR(xlsx_cell(s, 2, 2), "-7");
    CHECK_EQ_STR(xlsx_cell(s, 2, 3), ""); /* empty cell */
    CHECK_EQ_STR(xlsx_cell(s, 9, 9), ""); /* outside the sheet */
    CHECK_EQ_STR(xlsx_cell(s, -1, 0), "");
  }
  xlsx_free(s);
  free(data);
  json_decref(items);
  unlink(path);
}

static char *make_zip(const char *const *names, const char *const *texts, int n, size_t *len) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_source_keep(src);
  zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
  for (int i = 0; i < n; i++) {
    zip_source_t *f = zip_source_buffer(z, texts[i], strlen(texts[i]), 0);
    zip_file_add(z, names[i], f, ZIP_FL_ENC_UTF_8);
  }
  zip_close(z);
  zip_source_open(src);
  zip_source_seek(src, 0, SEEK_END);
  zip_int64_t size = zip_source_tell(src);
  zip_source_seek(src, 0, SEEK_SET);
  char *buf = malloc((size_t)size);
  zip_source_read(src, buf, (zip_uint64_t)size);
  zip_source_close(src);
  zip_source_free(src);
  zip_error_fini(&ze);
  *len = (size_t)size;
  return buf;
}

static void test_handmade(void) {
  static const char *const names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
                                      "xl/worksheets/sheet1.xml", "xl/worksheets/first.xml"};
  static const char *const texts[] = {
      "<x:workbook xmlns:x=\"m\" xmlns:r=\"rel\"><x:sheets><x:sheet name=\"甲\" sheetId=\"2\" r:id=\"rId2\"/>"
      "<x:sheet name=\"乙\" sheetId=\"1\" r:id=\"rId1\"/></x:sheets></x:workbook>",
      "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
      "<Relationship Id=\"rId2\" Target=\"/xl/worksheets/first.xml\"/></Relationships>",
      "<sst><si><t>项目编号</t></si><si><r><t>三一</t></r><r><t>钢铁城</t></r><rPh><t>さんいち</t></rPh></si><si><t xml:space=\"preserve\"> 空格 </t></si></sst>",
      "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>错误的表</t></is></c></row></sheetData></worksheet>",
      "<x:worksheet xmlns:x=\"m\"><x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c><x:c t=\"s\"><x:v>1</x:v></x:c></x:row>"
      "<x:row r=\"3\"><x:c r=\"C3\" t=\"inlineStr\"><x:is><x:t>内联&amp;文字</x:t></x:is></x:c><x:c r=\"D3\"><x:v>1.5E-3</x:v></x:c>"
      "<x:c r=\"AB3\" t=\"b\"><x:v>1</x:v></x:c><x:c r=\"E3\" t=\"s\"><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>",
  };
  size_t len;
  char *data = make_zip(names, texts, 5, &len);
  char err[256] = "";
  xlsx_sheet *s = xlsx_read_buffer(data, len, err, sizeof err);
  CHECK(s != NULL);
  if (s) {
    CHECK_EQ_INT(s->nrows, 3);
    CHECK_EQ_STR(xlsx_cell(s, 0, 0), "项目编号");   /* the first sheet of the workbook, not sheet1.xml */
    CHECK_EQ_STR(xlsx_cell(s, 0, 1), "三一钢铁城"); /* rich text runs joined, phonetic guide dropped; no r= */
    CHECK_EQ_STR(xlsx_cell(s, 1, 0), "");           /* a missing row */
    CHECK_EQ_STR(xlsx_cell(s, 2, 2), "内联&文字");
    CHECK_EQ_STR(xlsx_cell(s, 2, 3), "1.5E-3");
    CHECK_EQ_STR(xlsx_cell(s, 2, 27), "1");
    CHECK_EQ_STR(xlsx_cell(s, 2, 4), " 空格 ");
  }
  xlsx_free(s);
  free(data);

  /* a shared-string index out of range, and no worksheet at all */
  static const char *const bad_names[] = {"xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"};
  static const char *const bad_texts[] = {"<sst><si><t>a</t></si></sst>",
                                          "<worksheet><sheetData><row><c t=\"s\"><v>5</v></c></row></sheetData></worksheet>"};
  data = make_zip(bad_names, bad_texts, 2, &len);
  CHECK(xlsx_read_buffer(data, len, err, sizeof err) == NULL);
  free(data);
  data = make_zip(bad_names, bad_texts, 1, &len);
  CHECK(xlsx_read_buffer(data, len, err, sizeof err) == NULL);
  CHECK(strstr(err, "worksheet") != NULL);
  free(data);
  /* malformed XML, a column beyond the limit */
  static const char *const junk_texts[] = {"<sst>", "<worksheet><sheetData><row><c r=\"ZZZZ1\"><v>1</v></c></row></sheetData></worksheet>"};
  data = make_zip(bad_names, junk_texts, 2, &len);
  CHECK(xlsx_read_buffer(data, len, err, sizeof err) == NULL);
  free(data);
  static const char *const wide[] = {"xl/worksheets/sheet1.xml"};
  static const char *const wide_text[] = {"<worksheet><sheetData><row><c r=\"ZZZZ1\"><v>1</v></c></row></sheetData></worksheet>"};
  data = make_zip(wide, wide_text, 1, &len);
  CHECK(xlsx_read_buffer(data, len, err, sizeof err) == NULL);
  free(data);
  /* issue 13: a reference with a long run of column letters overflowed the
   * int column number (UBSan: signed integer overflow in parse_ref) */
  static const char *const letters_text[] = {
      "<worksheet><sheetData><row><c r=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1\"><v>1</v></c>"
      "</row></sheetData></worksheet>"};
  data = make_zip(wide, letters_text, 1, &len);
  CHECK(xlsx_read_buffer(data, len, err, sizeof err) == NULL);
  free(data);
  static const char *const row_text[] = {
      "<worksheet><sheetData><row><c r=\"A99999999999999999999999\"><v>1</v></c></row></sheetData></worksheet>"};
  data = make_zip(wide, row_text, 1, &len);
  xlsx_free(xlsx_read_buffer(data, len, err, sizeof err)); /* refused or the row dropped; no overflow either way */
  free(data);
  /* issue 13: a shared-string bomb, one 1 MB string referenced by 100 cells
   * (100 MB decoded from a small file), is refused */
  {
    size_t big = (size_t)1 << 20;
    strbuf sst = STRBUF_INIT, ws = STRBUF_INIT;
    sb_adds(&sst, "<sst><si><t>");
    for (size_t k = 0; k < big / 16; k++) sb_adds(&sst, "项目项目项目项");
    sb_adds(&sst, "</t></si></sst>");
    sb_adds(&ws, "<worksheet><sheetData>");
    for (int k = 1; k <= 100; k++) sb_addf(&ws, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>0</v></c></row>", k, k);
    sb_adds(&ws, "</sheetData></worksheet>");
    const char *bomb_texts[] = {sb_str(&sst), sb_str(&ws)};
    data = make_zip(bad_names, bomb_texts, 2, &len);
    CHECK(xlsx_read_buffer(data, len, err, sizeof err) == NULL);
    free(data);
    /* ten references are fine */
    sb_release(&ws);
    sb_adds(&ws, "<worksheet><sheetData>");
    for (int k = 1; k <= 10; k++) sb_addf(&ws, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>0</v></c></row>", k, k);
    sb_adds(&ws, "</sheetData></worksheet>");
    const char *ok_texts[] = {sb_str(&sst), sb_str(&ws)};
    data = make_zip(bad_names, ok_texts, 2, &len);
    xlsx_sheet *okk = xlsx_read_buffer(data, len, err, sizeof err);
    CHECK(okk != NULL && okk->nrows == 10);
    xlsx_free(okk);
    free(data);
    sb_release(&sst);
    sb_release(&ws);
  }
  /* not a zip */
  CHECK(xlsx_read_buffer("PK\3\4 not really", 16, err, sizeof err) == NULL);
  CHECK(strstr(err, "XLSX") != NULL);
  CHECK(xlsx_read_buffer("", 0, err, sizeof err) == NULL);
}

static void test_csv(void) {
  static const char text[] = "\xEF\xBB\xBF\"项目编号\",名称,\"总投资\"\r\n"
                             "HT-1,\"含,逗号\",\"5亿\"\r\n"
                             "\r\n"
                             "HT-2,\"两行\n文字\",\"说\"\"好\"\"\"\n"
                             "HT-3,,末尾";
  char err[128];
  xlsx_sheet *s = csv_read_buffer(text, sizeof text - 1, err, sizeof err);
  CHECK(s != NULL);
  if (s) {
    CHECK_EQ_STR(xlsx_cell(s, 0, 0), "项目编号");
    CHECK_EQ_STR(xlsx_cell(s, 0, 1), "名称");
    CHECK_EQ_STR(xlsx_cell(s, 1, 1), "含,逗号");
    CHECK_EQ_STR(xlsx_cell(s, 1, 2), "5亿");
    CHECK_EQ_STR(xlsx_cell(s, 2, 1), "两行\n文字"); /* the blank line is skipped */
    CHECK_EQ_STR(xlsx_cell(s, 2, 2), "说\"好\"");
    CHECK_EQ_STR(xlsx_cell(s, 3, 0), "HT-3");
    CHECK_EQ_STR(xlsx_cell(s, 3, 1), "");
    CHECK_EQ_STR(xlsx_cell(s, 3, 2), "末尾");
    CHECK_EQ_INT(s->nrows, 4);
  }
  xlsx_free(s);
  CHECK(csv_read_buffer("a,\"open", 7, err, sizeof err) == NULL);
  s = csv_read_buffer("", 0, err, sizeof err);
  CHECK(s != NULL && s->nrows == 0);
  xlsx_free(s);
}

UNIT_MAIN(test_roundtrip_libxlsxwriter, test_handmade, test_csv)
