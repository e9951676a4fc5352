/*
 * main.c — the guatu binary: dispatches to subcommands.  The commands that
 * belong to no module (init, serve, demo, backup, calendar, routes, version) live
 * here; modules register their own in their files.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auth.h"
#include "calendar_db.h"
#include "cli.h"
#include "http.h"
#include "migrate.h"
#include "version.h"

/* ---- init ---- */

static const char init_usage[] = "guatu init --db FILE|postgres://…   create the database or upgrade its schema";
static int cmd_init(int argc, char **argv) {
  if (cli_wants_help(argc, argv)) return printf("%s\n", init_usage), 0;
  const char *url = cli_opt(argc, argv, "--db");
  if (!url) return fprintf(stderr, "usage: %s\n", init_usage), 2;
  char err[1024];
  db *d = db_open(url, err, sizeof err);
  if (!d) return fprintf(stderr, "guatu init: %s\n", err), 1;
  int before = migrate_current(d);
  if (migrate_run(d, stdout, err, sizeof err) != 0) {
    fprintf(stderr, "guatu init: %s\n", err);
    db_close(d);
    return 1;
  }
  printf("schema version %d (was %d)\n", migrate_current(d), before);
  db_close(d);
  return 0;
}
static const command init_cmd = {"init", init_usage, cmd_init};
COMMAND_REGISTER(init_cmd)

/* ---- serve ---- */

static const char serve_usage[] =
    "guatu serve --db FILE|postgres://… [--listen 127.0.0.1:8080] [--threads N] [--max-connections N]\n"
    "            [--max-per-ip N (64; 0 = no limit)] [--header-timeout SECONDS (10)] [--body-timeout SECONDS (120)]\n"
    "            [--max-pending N (16 per thread; or GUATU_MAX_PENDING)] [--quiet]";
static int cmd_serve(int argc, char **argv) {
  if (cli_wants_help(argc, argv)) return printf("%s\n", serve_usage), 0;
  db *d = cli_open_db(argc, argv, serve_usage);
  if (!d) return 1;
  db_close(d);
  server_opts o = {0};
  o.db_url = cli_opt(argc, argv, "--db");
  if (!o.db_url) o.db_url = getenv("GUATU_DB");
  o.listen = cli_opt(argc, argv, "--listen");
  if (!o.listen) o.listen = "127.0.0.1:8080";
  long threads, max_conns, per_ip, header_s, body_s, pending;
  /* The bound on waiting requests: the flag, else GUATU_MAX_PENDING, else
   * 16 per worker thread (0). */
  const char *env_pending = getenv("GUATU_MAX_PENDING");
  char *end = NULL;
  long pending_default = env_pending && *env_pending ? strtol(env_pending, &end, 10) : 0;
  if (end && (*end || pending_default < 0 || pending_default > 1000000)) {
    fprintf(stderr, "guatu: GUATU_MAX_PENDING wants a number from 1 to 1000000, not '%s'\n", env_pending);
    return 2;
  }
  if (cli_int(argc, argv, "--threads", 4, 1, 256, &threads) != 0 ||
      cli_int(argc, argv, "--max-connections", 256, 1, 100000, &max_conns) != 0 ||
      cli_int(argc, argv, "--max-per-ip", 64, 0, 100000, &per_ip) != 0 ||
      cli_int(argc, argv, "--header-timeout", 10, 1, 3600, &header_s) != 0 ||
      cli_int(argc, argv, "--body-timeout", 120, 1, 86400, &body_s) != 0 ||
      cli_int(argc, argv, "--max-pending", pending_default, 0, 1000000, &pending) != 0)
    return 2;
  o.max_per_ip = (int)per_ip;
  o.header_timeout = (int)header_s;
  o.body_timeout = (int)body_s;
  o.threads = (int)threads;
  o.max_connections = (int)max_conns;
  o.max_pending = (int)pending;
  o.quiet = cli_flag(argc, argv, "--quiet");
  return server_run(&o);
}
static const command serve_cmd = {"serve", serve_usage, cmd_serve};
COMMAND_REGISTER(serve_cmd)

/* ---- demo ---- */

static const char demo_usage[] = "guatu demo --db FILE|postgres://…   load the demo district (荷塘区) into an empty database";
static int cmd_demo(int argc, char **argv) {
  if (cli_wants_help(argc, argv)) return printf("%s\n", demo_usage), 0;
  db *d = cli_open_db(argc, argv, demo_usage);
  if (!d) return 1;
  if (db_int10(d, 0, "SELECT COUNT(*) FROM units") > 0) {
    fprintf(stderr, "guatu demo: the database already has data; use a new file\n");
    db_close(d);
    return 1;
  }
  int rc = db_begin(d);
  for (int i = 0; rc == DB_OK && i < module_count(); i++) {
    const module *m = module_at(i);
    if (m->demo && m->demo(d, stderr) != 0) {
      fprintf(stderr, "guatu demo: module %s failed: %s\n", m->name, db_errmsg(d));
      rc = DB_ERROR;
    }
  }
  if (rc == DB_OK) rc = db_commit(d);
  else db_rollback(d);
  db_close(d);
  if (rc != DB_OK) return 1;
  printf("demo district 荷塘区 loaded. logins (login / password / role):\n"
         "  admin   / admin123   管理员 administrator\n"
         "  office  / office123  区发改局项目办 project office\n"
         "  leader  / leader123  区领导 leader\n"
         "  jinshan / unit123    金山街道 unit staff\n"
         "  sany    / unit123    三一指挥部 unit staff\n"
         "  huaju   / ent12345   湖南华巨新材料 enterprise\n"
         "  bank    / bank1234   株洲农商银行 bank\n");
  return 0;
}
static const command demo_cmd = {"demo", demo_usage, cmd_demo};
COMMAND_REGISTER(demo_cmd)

/* ---- backup ---- */

static const char backup_usage[] = "guatu backup --db FILE --to FILE   consistent online copy, safe while serving";
static int cmd_backup(int argc, char **argv) {
  if (cli_wants_help(argc, argv)) return printf("%s\n", backup_usage), 0;
  const char *to = cli_opt(argc, argv, "--to");
  if (!to) return fprintf(stderr, "usage: %s\n", backup_usage), 2;
  struct stat st;
  if (stat(to, &st) == 0) return fprintf(stderr, "guatu backup: %s exists; refusing to overwrite\n", to), 1;
  db *d = cli_open_db(argc, argv, backup_usage);
  if (!d) return 1;
  char err[1024];
  int rc = db_backup_to(d, to, err, sizeof err);
  db_close(d);
  if (rc != DB_OK) return fprintf(stderr, "guatu backup: %s\n", err), 1;
  printf("backup written to %s\n", to);
  return 0;
}
static const command backup_cmd = {"backup", backup_usage, cmd_backup};
COMMAND_REGISTER(backup_cmd)

/* ---- calendar ---- */

static const char calendar_usage[] =
    "guatu calendar import FILE --db DB        load holidays/make-up days (lines: YYYY-MM-DD holiday|workday|normal [name])\n"
    "guatu calendar list --year YYYY --db DB   print a year's holidays and make-up days\n"
    "guatu calendar add --from YYYY-MM-DD --days N --db DB\n"
    "guatu calendar between --from YYYY-MM-DD --to YYYY-MM-DD --db DB";

static int print_day(int32_t day, int kind, const char *name, void *ctx) {
  const int *year = ctx;
  int y, m, dd;
  date_to_ymd(day, &y, &m, &dd);
  if (y != *year) return 0;
  char buf[11];
  date_format(day, buf);
  printf("%s %s %s\n", buf, kind == CAL_HOLIDAY ? "holiday" : kind == CAL_WORKDAY ? "workday" : "normal", name ? name : "");
  return 0;
}

typedef struct import_ctx {
  db *d;
  int rc, n;
} import_ctx;

static int store_day(int32_t day, int kind, const char *name, void *ctx) {
  import_ctx *ic = ctx;
  char buf[11];
  date_format(day, buf);
  if (ic->rc == DB_OK)
    ic->rc = cal_store_day(ic->d, buf, kind == CAL_HOLIDAY ? "holiday" : kind == CAL_WORKDAY ? "workday" : "normal", name);
  ic->n++;
  return 0;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  strbuf sb = STRBUF_INIT;
  char buf[8192];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) sb_add(&sb, buf, n);
  fclose(f);
  return sb_detach(&sb, len);
}

static int cmd_calendar(int argc, char **argv) {
  if (cli_wants_help(argc, argv) || argc < 2) return printf("%s\n", calendar_usage), argc < 2 ? 2 : 0;
  const char *sub = argv[1];
  db *d = cli_open_db(argc, argv, calendar_usage);
  if (!d) return 1;
  const calendar *cal = cal_acquire(d);
  int rc = 0;
  if (strcmp(sub, "import") == 0 && argc > 2) {
    size_t len;
    char *text = read_file(argv[2], &len);
    if (!text) {
      fprintf(stderr, "guatu calendar import: cannot read %s\n", argv[2]);
      rc = 1;
    } else {
      /* Parse the file alone first: a bad line imports nothing. */
      calendar *from_file = calendar_new();
      char err[256];
      if (calendar_load_text(from_file, text, err, sizeof err) != 0) {
        fprintf(stderr, "guatu calendar import: %s: %s (nothing imported)\n", argv[2], err);
        rc = 1;
      } else {
        import_ctx ic = {d, db_begin(d), 0};
        calendar_foreach_override(from_file, store_day, &ic);
        json_t *after = json_pack("{s:s, s:i}", "file", argv[2], "days", ic.n);
        rc = cli_commit(d, "calendar import", ic.rc, "import", "calendar", 0, NULL, after);
        if (!rc) printf("imported %d days from %s\n", ic.n, argv[2]);
      }
      calendar_free(from_file);
      free(text);
    }
  } else if (strcmp(sub, "list") == 0 && cli_opt(argc, argv, "--year")) {
    long year;
    if (cli_int(argc, argv, "--year", 0, 1900, 2200, &year) != 0) {
      rc = 2;
    } else {
      int y = (int)year;
      calendar_foreach_override(cal, print_day, &y);
    }
  } else if (strcmp(sub, "add") == 0) {
    int32_t from;
    const char *f = cli_opt(argc, argv, "--from");
    long n = 0;
    if (!f || !cli_opt(argc, argv, "--days") || date_parse(f, &from) != 0 ||
        cli_int(argc, argv, "--days", 0, -3660, 3660, &n) != 0) {
      fprintf(stderr, "usage: %s\n", calendar_usage);
      rc = 2;
    } else {
      char out[11];
      date_format(calendar_add_working_days(cal, from, (int)n), out);
      printf("%s\n", out);
    }
  } else if (strcmp(sub, "between") == 0) {
    int32_t a, b;
    const char *f = cli_opt(argc, argv, "--from"), *t = cli_opt(argc, argv, "--to");
    if (!f || !t || date_parse(f, &a) != 0 || date_parse(t, &b) != 0) {
      fprintf(stderr, "usage: %s\n", calendar_usage);
      rc = 2;
    } else {
      printf("%d\n", calendar_working_days_between(cal, a, b));
    }
  } else {
    fprintf(stderr, "usage: %s\n", calendar_usage);
    rc = 2;
  }
  cal_release(cal);
  db_close(d);
  return rc;
}
static const command calendar_cmd = {"calendar", calendar_usage, cmd_calendar};
COMMAND_REGISTER(calendar_cmd)

/* ---- routes ---- */

static const char routes_usage[] =
    "guatu routes   list every API route: method, path, roles, handler, source file (e.g. guatu routes | grep reports)";

static const char *route_roles(arena *a, unsigned roles) {
  return roles == ROLES_NONE ? "public" : roles == ROLES_ANY ? "any" : roles_format(a, roles);
}

/* In dispatch order (the first route that matches a request answers it). */
static int cmd_routes(int argc, char **argv) {
  if (cli_wants_help(argc, argv)) return printf("%s\n", routes_usage), 0;
  if (argc > 1) return fprintf(stderr, "usage: %s\n", routes_usage), 2;
  arena a;
  arena_init(&a);
  int w[4] = {0};
  for (int pass = 0; pass < 2; pass++)
    for (int m = 0; m < module_count(); m++)
      for (const route *rt = module_at(m)->routes; rt && rt->method; rt++) {
        const char *col[4] = {rt->method, rt->pattern, route_roles(&a, rt->roles), rt->fn_name ? rt->fn_name : "?"};
        if (pass == 0) {
          for (int i = 0; i < 4; i++)
            if ((int)strlen(col[i]) > w[i]) w[i] = (int)strlen(col[i]);
        } else {
          printf("%-*s  %-*s  %-*s  %-*s  %s\n", w[0], col[0], w[1], col[1], w[2], col[2], w[3], col[3],
                 rt->file ? rt->file : "?");
        }
      }
  arena_release(&a);
  return 0;
}
static const command routes_cmd = {"routes", routes_usage, cmd_routes};
COMMAND_REGISTER(routes_cmd)

/* ---- version ---- */

static int cmd_version(int argc, char **argv) {
  (void)argc;
  (void)argv;
  printf("guatu %s (schema %d)\n", GUATU_VERSION, migrate_latest());
  return 0;
}
static const command version_cmd = {"version", "guatu version", cmd_version};
COMMAND_REGISTER(version_cmd)

static void usage(FILE *f) {
  int ncommands = command_count();
  fprintf(f, "guatu %s — 挂图作战 重点项目管理平台 / key-project platform\n\ncommands:\n", GUATU_VERSION);
  for (int i = 0; i < ncommands; i++) {
    fputs("  ", f);
    for (const char *p = command_at(i)->usage; *p; p++) fputs(*p == '\n' ? "\n  " : (char[]){*p, 0}, f);
    fputc('\n', f);
  }
  fprintf(f, "\nevery command answers --help; options may come before or after the arguments\n");
}

int main(int argc, char **argv) {
  if (sodium_init() < 0) {
    fprintf(stderr, "guatu: libsodium failed to initialise\n");
    return 1;
  }
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  for (int i = 0; i < command_count(); i++)
    if (strcmp(command_at(i)->name, argv[1]) == 0) {
      cli_permute(argc - 1, argv + 1);
      return command_at(i)->run(argc - 1, argv + 1);
    }
  fprintf(stderr, "guatu: unknown command '%s'\n\n", argv[1]);
  usage(stderr);
  return 2;
}
