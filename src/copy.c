/*
 * copy.c — `guatu copy --from FILE.db --to postgres://…`: moves a district's
 * SQLite database into a shared PostgreSQL, or merges several districts
 * into one city database.
 *
 * Every table is copied in foreign-key order.  Ids are shifted by the
 * target table's current maximum, and every foreign key (found with
 * PRAGMA foreign_key_list, so new modules need no code here) is shifted by
 * its parent table's offset; units.path and audit_log.entity_id are
 * rewritten the same way.  A unit whose name already exists in the target
 * gets the source district's name appended, so each district's units stay
 * separate.  At the end, row counts and a checksum of every copied row are
 * compared between source and target.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cli.h"
#include "clock.h"
#include "rollups.h"
#include "http.h"
#include "db_driver.h"
#include "migrate.h"

#define MAX_TABLES 128
#define MAX_COLS 64

typedef struct table_info {
  char name[64];
  int ncols;
  char cols[MAX_COLS][64];
  int fk_table[MAX_COLS]; /* index into tables[], or -1 */
  int has_id;             /* an integer "id" primary key */
  int64_t offset;
  int done;
  int64_t rows;
  unsigned char sum[32];
} table_info;

static table_info tables[MAX_TABLES];
static int ntables;

static int find_table(const char *name) {
  for (int i = 0; i < ntables; i++)
    if (strcmp(tables[i].name, name) == 0) return i;
  return -1;
}

/* Code tables keyed by their code (字典 items): merged like settings, the
 * target's rows win and new codes get the target's own ids (nothing refers
 * to these ids: projects store the code). */
static int keyed_by_code(const char *table) { return strcmp(table, "dict_items") == 0; }

static int load_schema(db *src) {
  /* Sessions and login counters are not moved: people log in again on the
   * shared server. */
  db_stmt *st = db_query0(src, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                               "AND name NOT IN ('schema_migrations', 'sessions', 'login_throttle', 'group_rollups') ORDER BY name");
  if (!st) return -1;
  while (db_step(st) == DB_ROW && ntables < MAX_TABLES) snprintf(tables[ntables++].name, 64, "%s", db_text(st, 0));
  db_done(st);
  for (int t = 0; t < ntables; t++) {
    table_info *ti = &tables[t];
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT name, pk, type FROM pragma_table_info('%.63s') ORDER BY cid", ti->name);
    st = db_query0(src, sql);
    while (st && db_step(st) == DB_ROW && ti->ncols < MAX_COLS) {
      if (keyed_by_code(ti->name) && strcmp(db_text(st, 0), "id") == 0) continue;
      snprintf(ti->cols[ti->ncols], 64, "%s", db_text(st, 0));
      ti->fk_table[ti->ncols] = -1;
      if (strcmp(db_text(st, 0), "id") == 0 && db_int(st, 1) == 1) ti->has_id = 1;
      ti->ncols++;
    }
    db_done(st);
  }
  for (int t = 0; t < ntables; t++) {
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT \"from\", \"table\" FROM pragma_foreign_key_list('%.63s')", tables[t].name);
    db_stmt *fk = db_query0(src, sql);
    while (fk && db_step(fk) == DB_ROW) {
      int parent = find_table(db_text(fk, 1));
      for (int c = 0; c < tables[t].ncols; c++)
        if (strcmp(tables[t].cols[c], db_text(fk, 0)) == 0) tables[t].fk_table[c] = parent;
    }
    db_done(fk);
  }
  return 0;
}

/* The table an audit entry's entity names ("project" → projects). */
static int entity_table(const char *entity) {
  char plural[80];
  snprintf(plural, sizeof plural, "%ss", entity ? entity : "");
  return find_table(plural);
}

static int64_t shifted(int table, int64_t id) { return table >= 0 ? id + tables[table].offset : id; }

/* Rewrites "/1/7/12/" with the units offset. */
static char *shift_path(arena *a, const char *path, int64_t offset) {
  strbuf sb = STRBUF_INIT;
  const char *p = path;
  while (*p) {
    if (*p == '/') {
      sb_add(&sb, "/", 1);
      p++;
      continue;
    }
    char *end;
    long long v = strtoll(p, &end, 10);
    if (end == p) break;
    sb_addf(&sb, "%lld", v + (long long)offset);
    p = end;
  }
  char *s = arena_strdup(a, sb_str(&sb));
  sb_release(&sb);
  return s;
}

static void hash_value(crypto_generichash_state *h, const db_val *v) {
  unsigned char tag = (unsigned char)v->type;
  crypto_generichash_update(h, &tag, 1);
  char num[48];
  switch (v->type) {
  case DBV_INT: snprintf(num, sizeof num, "%lld", (long long)v->i); crypto_generichash_update(h, (const unsigned char *)num, strlen(num)); break;
  case DBV_REAL: snprintf(num, sizeof num, "%.6f", v->d); crypto_generichash_update(h, (const unsigned char *)num, strlen(num)); break;
  case DBV_TEXT: crypto_generichash_update(h, (const unsigned char *)v->s, strlen(v->s)); break;
  case DBV_BLOB: crypto_generichash_update(h, (const unsigned char *)v->s, v->n); break;
  default: break;
  }
}

/* Reads one row of `ti` from st into vals, shifting ids; the hash covers
 * the shifted values so source and target checksums are comparable. */
static void read_row(db_stmt *st, table_info *ti, db_val *vals, arena *a, int units_t, const char *suffix,
                     crypto_generichash_state *h) {
  int entity_col = -1, entity_t = -1;
  for (int c = 0; c < ti->ncols; c++)
    if (strcmp(ti->cols[c], "entity") == 0) entity_col = c;
  if (entity_col >= 0 && !db_isnull(st, entity_col)) entity_t = entity_table(db_text(st, entity_col));
  for (int c = 0; c < ti->ncols; c++) {
    int type = db_coltype(st, c);
    db_val v = DBNULL;
    if (type == DBV_INT) {
      int64_t x = db_int(st, c);
      if (strcmp(ti->cols[c], "id") == 0 && ti->has_id) x += ti->offset;
      else if (ti->fk_table[c] >= 0) x = shifted(ti->fk_table[c], x);
      else if (strcmp(ti->cols[c], "entity_id") == 0) x = shifted(entity_t, x);
      v = DBI(x);
    } else if (type == DBV_REAL) {
      v = DBR(db_real(st, c));
    } else if (type == DBV_BLOB) {
      size_t n;
      const void *p = db_blob(st, c, &n);
      void *copy = arena_alloc(a, n ? n : 1);
      if (n) memcpy(copy, p, n);
      v = DBB(copy, n);
    } else if (type == DBV_TEXT) {
      const char *s = db_text(st, c);
      if (units_t >= 0 && ti == &tables[units_t] && strcmp(ti->cols[c], "path") == 0)
        s = shift_path(a, s, ti->offset);
      else if (suffix && ti == &tables[units_t] && strcmp(ti->cols[c], "name") == 0)
        s = arena_printf(a, "%s%s", s, suffix);
      else
        s = arena_strdup(a, s);
      v = DBT(s);
    }
    vals[c] = v;
    if (h) hash_value(h, &v);
  }
}

static const struct {
  const char *table, *column, *format;
  const char *also; /* a second column of the unique key, or NULL */
} renames[] = {
    {"units", "name", "%s（%s）", NULL},
    {"users", "login", "%s@%s", NULL},
    {"projects", "code", "%s-%s", NULL},
    {"node_templates", "name", "%s（%s）", "category"},
    {"project_fields", "label", "%s（%s）", NULL},
    {"questions", "tracking_code", "%s-%s", NULL}, /* qa_tracking_code_ok takes the suffix */
};

/* Numbered rows whose number is unique within a key (a month's published
 * accountability lists: version 1, 2, …): a number taken in the target
 * (another district published the same month) continues after the
 * target's highest. */
static const struct {
  const char *table, *column, *key;
} renumbers[] = {
    {"accountability_versions", "version", "month"},
};

static int copy_table(db *src, db *dst, table_info *ti, int units_t, const char *district, int *renamed) {
  arena a;
  arena_init(&a);
  strbuf sel = STRBUF_INIT, ins = STRBUF_INIT;
  sb_adds(&sel, "SELECT ");
  sb_addf(&ins, "INSERT INTO %s (", ti->name);
  for (int c = 0; c < ti->ncols; c++) {
    sb_addf(&sel, "%s\"%s\"", c ? ", " : "", ti->cols[c]);
    sb_addf(&ins, "%s\"%s\"", c ? ", " : "", ti->cols[c]);
  }
  sb_addf(&sel, " FROM %s%s", ti->name, ti->has_id ? " ORDER BY id" : "");
  sb_adds(&ins, ") VALUES (");
  for (int c = 0; c < ti->ncols; c++) sb_adds(&ins, c ? ", ?" : "?");
  sb_adds(&ins, ")");
  if (!ti->has_id)
    sb_adds(&ins, " ON CONFLICT DO NOTHING"); /* keyed rows (settings, code tables): the target's win */

  crypto_generichash_state h;
  crypto_generichash_init(&h, NULL, 0, 32);
  db_stmt *st = db_query0(src, sb_str(&sel));
  int rc = st ? DB_OK : DB_ERROR;
  db_val vals[MAX_COLS];
  while (rc == DB_OK && db_step(st) == DB_ROW) {
    read_row(st, ti, vals, &a, units_t, NULL, NULL);
    /* A unit name, login or project code taken in the target (another
     * district) gets the district's name appended, and is reported. */
    for (size_t k = 0; k < sizeof renames / sizeof *renames; k++) {
      if (strcmp(ti->name, renames[k].table) != 0) continue;
      for (int c = 0; c < ti->ncols; c++) {
        if (strcmp(ti->cols[c], renames[k].column) != 0 || vals[c].type != DBV_TEXT) continue;
        char sql[200];
        db_val key[2] = {vals[c], DBNULL};
        int nkey = 1;
        for (int a2 = 0; renames[k].also && a2 < ti->ncols; a2++)
          if (strcmp(ti->cols[a2], renames[k].also) == 0) key[nkey++] = vals[a2];
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE %s = ?%s%s%s", renames[k].table, renames[k].column,
                 nkey > 1 ? " AND " : "", nkey > 1 ? renames[k].also : "", nkey > 1 ? " = ?" : "");
        if (db_int1v(dst, 0, sql, nkey, key) == 0) continue;
        const char *renamed_to = arena_printf(&a, renames[k].format, vals[c].s, district);
        printf("  renamed %s.%s %s → %s\n", renames[k].table, renames[k].column, vals[c].s, renamed_to);
        vals[c] = DBT(renamed_to);
        (*renamed)++;
      }
    }
    for (size_t k = 0; k < sizeof renumbers / sizeof *renumbers; k++) {
      if (strcmp(ti->name, renumbers[k].table) != 0) continue;
      int nc = -1, kc = -1;
      for (int c = 0; c < ti->ncols; c++) {
        if (strcmp(ti->cols[c], renumbers[k].column) == 0) nc = c;
        if (strcmp(ti->cols[c], renumbers[k].key) == 0) kc = c;
      }
      if (nc < 0 || kc < 0 || vals[nc].type != DBV_INT) continue;
      char sql[200];
      snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE %s = ? AND %s = ?", renumbers[k].table, renumbers[k].key,
               renumbers[k].column);
      db_val key[2] = {vals[kc], vals[nc]};
      if (db_int1v(dst, 0, sql, 2, key) == 0) continue;
      snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(%s), 0) + 1 FROM %s WHERE %s = ?", renumbers[k].column,
               renumbers[k].table, renumbers[k].key);
      int64_t next = db_int1v(dst, 0, sql, 1, key);
      printf("  renumbered %s.%s %lld → %lld\n", renumbers[k].table, renumbers[k].column, (long long)vals[nc].i,
             (long long)next);
      vals[nc] = DBI(next);
      (*renamed)++;
    }
    for (int c = 0; c < ti->ncols; c++) hash_value(&h, &vals[c]);
    rc = db_execv(dst, sb_str(&ins), ti->ncols, vals);
    if (rc == DB_OK) ti->rows++;
    if (ti->rows % 4096 == 0) {
      arena_release(&a);
      arena_init(&a);
    }
  }
  db_done(st);
  crypto_generichash_final(&h, ti->sum, 32);
  if (rc == DB_OK && ti->has_id && db_dialect(dst) == DB_PG) {
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT setval(pg_get_serial_sequence('%.63s', 'id'), COALESCE((SELECT MAX(id) FROM %.63s), 0) + 1, false)",
             ti->name, ti->name);
    rc = db_exec0(dst, sql);
  }
  sb_release(&sel);
  sb_release(&ins);
  arena_release(&a);
  return rc;
}

/* Recomputes count and checksum over the copied id range of the target. */
static int verify_table(db *dst, table_info *ti, int64_t first_id, int64_t last_id) {
  strbuf sel = STRBUF_INIT;
  sb_adds(&sel, "SELECT ");
  for (int c = 0; c < ti->ncols; c++) sb_addf(&sel, "%s\"%s\"", c ? ", " : "", ti->cols[c]);
  sb_addf(&sel, " FROM %s", ti->name);
  if (ti->has_id) sb_adds(&sel, " WHERE id >= ? AND id <= ? ORDER BY id");
  db_stmt *st = ti->has_id ? db_query(dst, sb_str(&sel), DBI(first_id), DBI(last_id)) : db_query0(dst, sb_str(&sel));
  sb_release(&sel);
  if (!st) return -1;
  if (!ti->has_id) { /* keyed tables merge with the target's rows: count only what exists */
    int64_t n = 0;
    while (db_step(st) == DB_ROW) n++;
    db_done(st);
    return n >= ti->rows ? 0 : -1;
  }
  crypto_generichash_state h;
  crypto_generichash_init(&h, NULL, 0, 32);
  int64_t n = 0;
  arena a;
  arena_init(&a);
  while (db_step(st) == DB_ROW) {
    for (int c = 0; c < ti->ncols; c++) {
      db_val v = DBNULL;
      int type = db_coltype(st, c);
      if (type == DBV_INT) v = DBI(db_int(st, c));
      else if (type == DBV_REAL) v = DBR(db_real(st, c));
      else if (type == DBV_TEXT) v = DBT(arena_strdup(&a, db_text(st, c)));
      else if (type == DBV_BLOB) {
        size_t len;
        const void *p = db_blob(st, c, &len);
        void *copy = arena_alloc(&a, len ? len : 1);
        if (len) memcpy(copy, p, len);
        v = DBB(copy, len);
      }
      hash_value(&h, &v);
    }
    n++;
  }
  db_done(st);
  arena_release(&a);
  unsigned char sum[32];
  crypto_generichash_final(&h, sum, 32);
  return n == ti->rows && memcmp(sum, ti->sum, 32) == 0 ? 0 : -1;
}

static const char copy_usage[] =
    "guatu copy --from FILE.db --to postgres://…|FILE.db   move (or merge) a district's database into a shared one";

static int cmd_copy(int argc, char **argv) {
  if (cli_wants_help(argc, argv)) return printf("%s\n", copy_usage), 0;
  const char *from = cli_opt(argc, argv, "--from"), *to = cli_opt(argc, argv, "--to");
  if (!from || !to) return fprintf(stderr, "usage: %s\n", copy_usage), 2;
  char err[1024];
  db *src = db_open(from, err, sizeof err);
  if (!src || db_dialect(src) != DB_SQLITE) {
    fprintf(stderr, "guatu copy: --from must be a SQLite file: %s\n", src ? "" : err);
    db_close(src);
    return 1;
  }
  db *dst = db_open(to, err, sizeof err);
  if (!dst) {
    fprintf(stderr, "guatu copy: %s\n", err);
    db_close(src);
    return 1;
  }
  int rc = 1;
  if (migrate_run(src, NULL, err, sizeof err) != 0 || migrate_run(dst, NULL, err, sizeof err) != 0) {
    fprintf(stderr, "guatu copy: %s\n", err);
    goto out;
  }
  if (load_schema(src) != 0) {
    fprintf(stderr, "guatu copy: cannot read the source schema: %s\n", db_errmsg(src));
    goto out;
  }
  int units_t = find_table("units");
  char district[128] = "district";
  db_stmt *root = db_query0(src, "SELECT name FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1");
  if (root && db_step(root) == DB_ROW) snprintf(district, sizeof district, "%s", db_text(root, 0));
  db_done(root);
  int64_t first[MAX_TABLES] = {0}, last[MAX_TABLES] = {0};
  for (int t = 0; t < ntables; t++) {
    table_info *ti = &tables[t];
    if (!ti->has_id) continue;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(id), 0) FROM %.63s", ti->name);
    ti->offset = db_int10(dst, 0, sql);
    snprintf(sql, sizeof sql, "SELECT COALESCE(MIN(id), 0) FROM %.63s", ti->name);
    first[t] = db_int10(src, 0, sql) + ti->offset;
    snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(id), 0) FROM %.63s", ti->name);
    int64_t src_max = db_int10(src, 0, sql);
    last[t] = src_max + ti->offset;
    /* an empty source table copies nothing: an empty range to verify, not
     * the target's own last row (id = offset) */
    if (src_max == 0) first[t] = 1, last[t] = 0;
  }
  if (db_begin(dst) != DB_OK) {
    fprintf(stderr, "guatu copy: %s\n", db_errmsg(dst));
    goto out;
  }
  /* Foreign-key order: a table goes once every parent it names is done. */
  int renamed = 0, copied = 0, progress = 1, failed = 0;
  while (copied < ntables && progress && !failed) {
    progress = 0;
    for (int t = 0; t < ntables && !failed; t++) {
      table_info *ti = &tables[t];
      if (ti->done) continue;
      int ready = 1;
      for (int c = 0; c < ti->ncols; c++)
        if (ti->fk_table[c] >= 0 && ti->fk_table[c] != t && !tables[ti->fk_table[c]].done) ready = 0;
      if (!ready) continue;
      if (copy_table(src, dst, ti, units_t, district, &renamed) != DB_OK) {
        fprintf(stderr, "guatu copy: table %s: %s\n", ti->name, db_errmsg(dst));
        failed = 1;
        break;
      }
      ti->done = 1;
      copied++;
      progress = 1;
      printf("  %-28s %10lld rows%s\n", ti->name, (long long)ti->rows, ti->offset ? " (ids shifted)" : "");
    }
  }
  if (failed || copied < ntables) {
    if (!failed) fprintf(stderr, "guatu copy: circular foreign keys; nothing copied\n");
    db_rollback(dst);
    goto out;
  }
  for (int t = 0; t < ntables; t++)
    if (verify_table(dst, &tables[t], first[t], last[t]) != 0) {
      fprintf(stderr, "guatu copy: verification failed for %s (count or checksum differs); nothing copied\n", tables[t].name);
      db_rollback(dst);
      goto out;
    }
  /* the group roll-ups sum both districts' units: rebuilt, not copied */
  if (rollup_groups_rebuild(dst, clock_today()) != DB_OK) {
    fprintf(stderr, "guatu copy: group roll-ups: %s; nothing copied\n", db_errmsg(dst));
    db_rollback(dst);
    goto out;
  }
  {
    json_t *after = json_pack("{s:s, s:i, s:i}", "from", from, "tables", ntables, "units_renamed", renamed);
    char *text = json_dumps(after, JSON_COMPACT);
    arena a;
    arena_init(&a);
    int arc = db_exec(dst, "INSERT INTO audit_log (at, user_login, ip, action, entity, after_json) VALUES (?, ?, ?, ?, ?, ?)",
                      DBT(now_rfc3339(&a)), DBT("cli"), DBT("local"), DBT("copy"), DBT("database"), DBT(text));
    arena_release(&a);
    free(text);
    json_decref(after);
    if (arc != DB_OK || db_commit(dst) != DB_OK) {
      fprintf(stderr, "guatu copy: %s\n", db_errmsg(dst));
      db_rollback(dst);
      goto out;
    }
  }
  printf("copied %d tables from %s; counts and checksums verified%s\n", ntables, from,
         renamed ? "; names that clashed were renamed as listed" : "");
  rc = 0;
out:
  db_close(src);
  db_close(dst);
  return rc;
}

static const command copy_cmd = {"copy", copy_usage, cmd_copy};
COMMAND_REGISTER(copy_cmd)
