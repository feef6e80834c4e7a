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
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

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
        "Exit status: 0 ok, 64 usage, 65 bad scenario or data, 66 input missing,\n"
        "69 gnuplot missing, 73 cannot create output, 74 I/O error.\n"
        "Formats: scenarios/README.md (input), docs/output.md (results).\n",
        f);
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
      fputs(c->usage, stdout);
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
    fputs(c->usage, stdout);
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
