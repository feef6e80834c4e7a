/*
 * cli/main.c - the gpuplan command line: the command table, dispatch,
 * help, version, signals.
 *
 * The command line is the only place that parses options, prints errors
 * and decides exit codes (cli/cli.h lists them); library code reports
 * through gp_err.  Invariant: every command is one row of the table below,
 * and everything that lists, describes or runs commands reads the table.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "cli/cli.h"
#include "models/results/h5out.h"
#include "sim/escape.h"
#include "sim/interrupt.h"
#include "sim/par.h"
#include "sim/version.h"

/* The commands, in the order `gpuplan --help` lists them. */
static const gp_cli_command commands[] = {
    {"run", "[SCENARIO]", "run a scenario (default: the built-in baseline) into one HDF5 file",
     gp_cmd_run_usage, gp_cmd_run},
    {"validate", "FILE...", "check scenario files without running them", gp_cmd_validate_usage,
     gp_cmd_validate},
    {"show", "SCENARIO", "print the resolved scenario (\"extends\" merged, --set applied) as JSON",
     gp_cmd_show_usage, gp_cmd_show},
    {"diff", "A B", "the differences between two resolved scenarios, as --set lines",
     gp_cmd_diff_usage, gp_cmd_diff},
    {"policies", "", "list the allocation rules a scenario can name", gp_cmd_policies_usage,
     gp_cmd_policies},
    {"metrics", "", "list the summary metrics: name, title in the tables, unit, better direction",
     gp_cmd_metrics_usage, gp_cmd_metrics},
    {"compare", "FILE.h5", "paired comparison of the policies in a result file",
     gp_cmd_compare_usage, gp_cmd_compare},
    {"export", "FILE.h5", "CSV files of a result file, for spreadsheets", gp_cmd_export_usage,
     gp_cmd_export},
    {"plot", "FILE.h5", "charts of a result file (needs gnuplot)", gp_cmd_plot_usage, gp_cmd_plot},
    {"report", "FILE.h5",
     "one self-contained HTML page: roadmap risk, policy comparison, verdicts, charts",
     gp_cmd_report_usage, gp_cmd_report},
    {"discover", "FILE.h5",
     "scenario discovery (PRIM): the uncertain values where a condition holds",
     gp_cmd_discover_usage, gp_cmd_discover},
    {"replay", "TRACE", "replay a workload trace (SWF or CSV) under fcfs, easy or conservative",
     gp_cmd_replay_usage, gp_cmd_replay},
    {"sensitivity", "[SCENARIO]",
     "which uncertain factors move which metrics: Sobol indices or Morris screening",
     gp_cmd_sensitivity_usage, gp_cmd_sensitivity},
    {"calibrate", "[SCENARIO]",
     "fit a scenario's calibration unknowns to published figures: a point fit or a posterior",
     gp_cmd_calibrate_usage, gp_cmd_calibrate},
    {"size", "[SCENARIO]", "the smallest value of a scenario number that meets a metric's target",
     gp_cmd_size_usage, gp_cmd_size},
    {"kpi", "FILE.h5", "programme statistics per call, as programmes publish them (text or CSV)",
     gp_cmd_kpi_usage, gp_cmd_kpi},
    {"select", "[SCENARIO]", "the best policy on one metric, with a guarantee: Kim-Nelson selection",
     gp_cmd_select_usage, gp_cmd_select},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* The exit statuses, one table for every command's help (issue 17, item
 * 8: each usage text had its own copy, some none).  A row applies to the
 * commands in `only` (space-separated; NULL: every command; "-": none, the
 * words of `gpuplan --help`); for a status, the first row that applies is
 * the one shown. */
typedef struct exit_row {
  const char *status; /* "0", "130/143" */
  const char *only;   /* NULL = every command */
  const char *what;
} exit_row;

static const exit_row exits[] = {
    {"0", "diff", "the scenarios are the same"},
    {"0", NULL, "ok"},
    {"1", "diff", "the scenarios differ (as diff(1))"},
    {"1", "size", "no answer in [LO, HI]: met at its near end, or not at its far end"},
    {"64", "compare export plot report kpi", "usage: a bad option or value, or no such sweep point"},
    {"64", "run replay", "usage: a bad option or value, or -o names the input"},
    {"64", NULL, "usage: a bad option or value"},
    {"65", "run validate show diff select", "bad scenario: one line FILE:LINE:COL: path: expected ..."},
    {"65", "replay", "bad trace"},
    {"65", "size", "bad scenario (FILE:LINE:COL: path: expected ...), or a metric NaN in a "
                   "replication"},
    {"65", "compare export plot report kpi", "not a gpuplan result file, or a malformed one"},
    {"66", "policies metrics", NULL},
    {"66", NULL, "input missing: a file cannot be read"},
    {"69", "plot report", "gnuplot missing"},
    {"70", NULL, "internal error"},
    {"71", NULL, "out of memory"},
    {"73", "run select", "cannot create the result file (checked before the run)"},
    {"73", "export plot report replay kpi", "cannot create the output (checked before the work)"},
    {"73", "size", "cannot create the result file (checked before the run)"},
    {"74", "run export plot report replay kpi select", "I/O error (a write failed; also standard output)"},
    {"74", "size", "I/O error (a write failed; also standard output)"},
    {"74", NULL, "I/O error: standard output could not be written"},
    {"75", "select", "not guaranteed: --max-reps reached with several policies still in (written)"},
    {"130/143", "run",
     "stopped by SIGINT/SIGTERM; the replications finished are written, complete = false"},
    {"130/143", "export plot report replay kpi select", "stopped by SIGINT/SIGTERM: nothing written"},
    {"130/143", "size", "stopped by SIGINT/SIGTERM: nothing written"},
    {"130/143", NULL, "stopped by SIGINT/SIGTERM"},
    /* The words of `gpuplan --help` for the statuses with no row for all. */
    {"1", "-", "different (diff); no answer in the range (size)"},
    {"65", "-", "bad scenario or data"},
    {"69", "-", "gnuplot missing (plot, report)"},
    {"73", "-", "cannot create output"},
    {"75", "-", "selection not guaranteed (select)"},
};
#define NEXITS (sizeof exits / sizeof exits[0])

/* 1 when row E applies to command CMD (NULL: the list of every command). */
static int applies(const exit_row *e, const char *cmd) {
  if (!e->only) return 1;
  if (!cmd) return 0;
  size_t n = strlen(cmd);
  for (const char *p = e->only; (p = strstr(p, cmd)) != NULL; p += n)
    if ((p == e->only || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
  return 0;
}

/* The exit statuses of command CMD: a row whose status an earlier row that
 * applies has given already is skipped; a row with no text says the status
 * does not apply.  Of the program (CMD NULL): every status once, in the
 * words of its first row for every command or for `gpuplan --help`. */
static void print_exits(FILE *f, const char *cmd) {
  fputs("\nExit status:\n", f);
  for (size_t i = 0; i < NEXITS; i++) {
    int seen = 0;
    for (size_t j = 0; j < i && !seen; j++)
      seen = strcmp(exits[j].status, exits[i].status) == 0 && (!cmd || applies(&exits[j], cmd));
    if (seen) continue;
    const exit_row *e = &exits[i];
    if (!cmd) {
      for (size_t j = i; j < NEXITS; j++)
        if (strcmp(exits[j].status, e->status) == 0 &&
            (!exits[j].only || strcmp(exits[j].only, "-") == 0)) {
          e = &exits[j];
          break;
        }
      fprintf(f, "  %-8s %s\n", e->status, e->what);
    } else if (applies(e, cmd) && e->what) {
      fprintf(f, "  %-8s %s\n", e->status, e->what);
    }
  }
}

static void usage_main(FILE *f) {
  fputs("usage: gpuplan COMMAND [ARGS]\n"
        "\n"
        "Capacity planning for a national GPU allocation programme: a discrete-event\n"
        "simulation of the GPU roadmap, proposal demand, review and allocation rules.\n"
        "\n"
        "commands:\n",
        f);
  for (size_t i = 0; i < NCOMMANDS; i++) {
    char head[64];
    snprintf(head, sizeof head, "%s%s%s", commands[i].name, commands[i].args[0] ? " " : "",
             commands[i].args);
    fprintf(f, "  %-18s %s\n", head, commands[i].summary);
  }
  fputs("\n"
        "  gpuplan COMMAND --help   help on one command\n"
        "  gpuplan help COMMAND     the same\n"
        "  gpuplan --version        print the version\n"
        "\n"
        "Formats: scenarios/README.md (input), docs/output.md (results).\n",
        f);
  print_exits(f, NULL);
}

/* A command's help: its usage text, then its exit statuses. */
static void usage_cmd(FILE *f, const gp_cli_command *c) {
  fputs(c->usage, f);
  print_exits(f, c->name);
}

static const gp_cli_command *find(const char *name) {
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (strcmp(commands[i].name, name) == 0) return &commands[i];
  return NULL;
}

static int unknown_command(const char *name) {
  fputs("gpuplan: unknown command \"", stderr);
  gp_escape_fputs(name, stderr);
  fputs("\"\n", stderr);
  usage_main(stderr);
  return GP_EX_USAGE;
}

/* --help or -h among a command's arguments (before "--") asks for its
 * usage, whatever else is there. */
static int wants_help(int argc, char **argv) {
  for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
  return 0;
}

/* Standard output must have reached its file: a full disk is exit 74. */
static int flush_stdout(const char *cmd) {
  errno = 0;
  int failed = fflush(stdout) != 0;
  if (!failed && !ferror(stdout)) return 0;
  /* errno is the flush's; an earlier failed write left only the flag. */
  fprintf(stderr, "gpuplan %s: standard output: %s\n", cmd,
          failed && errno ? strerror(errno) : "write error");
  return GP_EX_IOERR;
}

static int dispatch(int argc, char **argv) {
  if (argc < 2) {
    usage_main(stderr);
    return GP_EX_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
    if (strcmp(name, "help") == 0 && argc > 2) {
      const gp_cli_command *c = find(argv[2]);
      if (!c) return unknown_command(argv[2]);
      usage_cmd(stdout, c);
      return flush_stdout("help");
    }
    usage_main(stdout);
    return flush_stdout("help");
  }
  if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
#ifdef GP_MPI
    printf("gpuplan %s (MPI)\n", GP_VERSION);
#else
    printf("gpuplan %s\n", GP_VERSION);
#endif
    return flush_stdout("version");
  }
  const gp_cli_command *c = find(name);
  if (!c) return unknown_command(name);
  if (wants_help(argc - 1, argv + 1)) {
    usage_cmd(stdout, c);
    return flush_stdout(c->name);
  }
  optind = 0; /* getopt_long starts afresh on the command's arguments */
  int rc = c->main(argc - 1, argv + 1);
  /* A command that failed after SIGINT or SIGTERM failed because of it (a
   * read or a wait cut short: EINTR): the status says so. */
  int sig = (int)gp_interrupted;
  if (rc && sig && rc < GP_EX_SIGNAL) rc = GP_EX_SIGNAL + sig;
  int out = flush_stdout(c->name);
  return rc ? rc : out;
}

/* The first SIGINT or SIGTERM asks the command to stop: `run` keeps what is
 * done, every other command stops with nothing written (each polls
 * gp_interrupted between steps of its work), exit 128 + N; a second one
 * stops at once. */
static void on_signal(int signo) {
  if (gp_interrupted) {
    signal(signo, SIG_DFL);
    raise(signo);
    return;
  }
  gp_interrupted = signo;
}

static void catch_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

int main(int argc, char **argv) {
  gsl_set_error_handler_off(); /* GSL reports through return codes, never aborts */
  if (gp_par_init(&argc, &argv) != 0) {
    fprintf(stderr, "gpuplan: MPI could not start\n");
    return GP_EX_OSERR;
  }
  catch_signals();
  int rc = dispatch(argc, argv);
  gp_par_finalize();
  if (gp_h5out_poisoned()) { /* see h5out.h: HDF5's exit handlers would crash */
    fflush(NULL);
    _exit(rc);
  }
  return rc;
}
