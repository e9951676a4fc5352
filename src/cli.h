/*
 * cli.h — subcommands of the guatu binary.  Each command file registers
 * itself (COMMAND_REGISTER), so a module adds its commands without touching
 * main.c.  Every command answers --help.
 */
#ifndef GUATU_CLI_H
#define GUATU_CLI_H

#include <jansson.h>
#include <stdio.h>

#include "db.h"

typedef struct command {
  const char *name;      /* "init", "unit", "import" … */
  const char *usage;     /* shown by --help and on a usage error */
  int (*run)(int argc, char **argv); /* argv[0] is the command name */
} command;

void command_add(const command *c);
int command_count(void);
const command *command_at(int i);
#define COMMAND_REGISTER(var)                                                                      \
  __attribute__((constructor)) static void var##_register(void) { command_add(&var); }

/* The value after --name in argv (NULL if absent); `--name=value` works too. */
const char *cli_opt(int argc, char **argv, const char *name);
int cli_flag(int argc, char **argv, const char *name);
/* The integer after --name into *out (dflt when absent); -1 after printing
 * a clear message when it is not an integer in [min, max]. */
int cli_int(int argc, char **argv, const char *name, long dflt, long min, long max, long *out);
int cli_wants_help(int argc, char **argv);
/* Opens the database named by --db (or GUATU_DB) and brings its schema up
 * to date; prints the reason and returns NULL on failure. */
db *cli_open_db(int argc, char **argv, const char *usage);
/* Ends a command's change, begun with db_begin, whose work so far ended
 * with `rc`: writes its audit entry as "cli" (action, entity, id, before,
 * after) and commits; or rolls back and prints "guatu CMD: reason".  Every
 * command that writes ends here: the audit entry is also what makes a
 * running server (any process on the database) drop the cached answers
 * the change made stale.  Releases before/after; returns 0 or 1. */
int cli_commit(db *d, const char *cmd, int rc, const char *action, const char *entity, int64_t id, json_t *before,
               json_t *after);

#endif
