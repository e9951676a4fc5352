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

/* Puts the positional arguments of a command's argv (after argv[0]) first,
 * in their order, and the options after them, each with its value, so that
 * a command reads argv[1], argv[2] … whether the user wrote its options
 * before, between or after them (`guatu import projects --db DB FILE`).
 * Called once by main() before a command runs.  An option is an argument
 * starting with '-' (a lone "-" is positional); it takes the next argument
 * as its value unless it is written --name=value or is one of the flags
 * listed in cli.c (--help, -h, --quiet, --dry-run …). */
void cli_permute(int argc, char **argv);

/* The value after --name in argv (NULL if absent); `--name=value` works too. */
const char *cli_opt(int argc, char **argv, const char *name);
/* Whether the flag --name is in argv.  The flag must be listed in cli.c's
 * cli_flags (which cli_permute needs to know it takes no value): asking for
 * an unlisted one aborts, so a new flag cannot be forgotten there. */
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
