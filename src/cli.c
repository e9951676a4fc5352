/*
 * cli.c — the command registry and the small argument helpers commands
 * share (kept out of main.c so unit tests can link every module).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "migrate.h"

static const command *commands[64];
static int ncommands;

int command_count(void) { return ncommands; }
const command *command_at(int i) { return commands[i]; }

void command_add(const command *c) {
  if (ncommands < (int)(sizeof commands / sizeof *commands)) commands[ncommands++] = c;
}

/* The options that take no value; every other option takes one. */
static const char *const cli_flags[] = {"--help", "-h", "--quiet", "--dry-run", "--timings", NULL};

static int is_flag(const char *arg) {
  for (int i = 0; cli_flags[i]; i++)
    if (strcmp(arg, cli_flags[i]) == 0) return 1;
  return 0;
}

static int is_option(const char *arg) { return arg[0] == '-' && arg[1]; }

/* How many arguments the one at argv[i] spans: 2 for an option followed by
 * its value, else 1. */
static int arg_span(int argc, char **argv, int i) {
  const char *a = argv[i];
  return is_option(a) && !is_flag(a) && !strchr(a, '=') && i + 1 < argc ? 2 : 1;
}

void cli_permute(int argc, char **argv) {
  if (argc < 3) return;
  char **sorted = malloc((size_t)argc * sizeof *sorted);
  if (!sorted) abort();
  int n = 0;
  for (int i = 1; i < argc; i += arg_span(argc, argv, i))
    if (!is_option(argv[i])) sorted[n++] = argv[i];
  for (int i = 1; i < argc; i += arg_span(argc, argv, i))
    if (is_option(argv[i]))
      for (int k = 0; k < arg_span(argc, argv, i); k++) sorted[n++] = argv[i + k];
  memcpy(argv + 1, sorted, (size_t)n * sizeof *sorted);
  free(sorted);
}

const char *cli_opt(int argc, char **argv, const char *name) {
  size_t n = strlen(name);
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], name) == 0 && i + 1 < argc) return argv[i + 1];
    if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') return argv[i] + n + 1;
  }
  return NULL;
}

int cli_int(int argc, char **argv, const char *name, long dflt, long min, long max, long *out) {
  const char *s = cli_opt(argc, argv, name);
  if (!s) {
    *out = dflt;
    return 0;
  }
  char *end;
  long v = strtol(s, &end, 10);
  if (!*s || *end || v < min || v > max) {
    fprintf(stderr, "guatu %s: %s wants an integer from %ld to %ld, not '%s'\n", argv[0], name, min, max, s);
    return -1;
  }
  *out = v;
  return 0;
}

int cli_flag(int argc, char **argv, const char *name) {
  if (!is_flag(name)) {
    fprintf(stderr, "guatu: internal error: the flag %s is not listed in cli_flags (src/cli.c)\n", name);
    abort();
  }
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], name) == 0) return 1;
  return 0;
}

int cli_wants_help(int argc, char **argv) { return cli_flag(argc, argv, "--help") || cli_flag(argc, argv, "-h"); }

db *cli_open_db(int argc, char **argv, const char *usage) {
  const char *url = cli_opt(argc, argv, "--db");
  if (!url) url = getenv("GUATU_DB");
  if (!url) {
    fprintf(stderr, "guatu %s: --db FILE|postgres://… is required\nusage: %s\n", argv[0], usage);
    return NULL;
  }
  char err[1024];
  db *d = db_open(url, err, sizeof err);
  if (!d) {
    fprintf(stderr, "guatu %s: %s\n", argv[0], err);
    return NULL;
  }
  if (migrate_run(d, NULL, err, sizeof err) != 0) {
    fprintf(stderr, "guatu %s: %s\n", argv[0], err);
    db_close(d);
    return NULL;
  }
  return d;
}

int cli_commit(db *d, const char *cmd, int rc, const char *action, const char *entity, int64_t id, json_t *before,
               json_t *after) {
  if (rc == DB_OK) rc = audit_write(d, &audit_cli, action, entity, id, before, after);
  if (rc == DB_OK) rc = db_commit(d);
  json_decref(before);
  json_decref(after);
  if (rc != DB_OK) {
    fprintf(stderr, "guatu %s: %s\n", cmd, db_errmsg(d));
    db_rollback(d);
    return 1;
  }
  return 0;
}
