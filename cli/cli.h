/*
 * cli/cli.h - what the commands of the gpuplan command line share: the
 * command table's row, option parsing on getopt_long with the CLI's own
 * one-line messages, number parsing, printing a gp_err, exit codes.
 *
 * Exit codes are sysexits (sim/err.h, GP_EX_*): 0 ok, 64 usage, 65 bad
 * scenario or data, 66 input missing, 69 gnuplot missing, 70 internal
 * error, 71 out of memory, 73 cannot create output, 74 I/O error, 128 + N
 * stopped by signal N.  A usage error prints two lines to stderr:
 *     gpuplan CMD: what is wrong
 *     Try 'gpuplan CMD --help'.
 * Every other error is the library's one line (gp_err), as it is.
 */
#ifndef GP_CLI_H
#define GP_CLI_H

#include <getopt.h>

#include "sim/err.h"

/* A row of the command table (cli/main.c). */
typedef struct gp_cli_command {
  const char *name;    /* "run" */
  const char *args;    /* what follows the name in the list of commands: "[SCENARIO]" */
  const char *summary; /* one line for `gpuplan --help` */
  const char *usage;   /* `gpuplan CMD --help` and `gpuplan help CMD` */
  int (*main)(int argc, char **argv); /* ARGV[0] is the name; returns the exit status */
} gp_cli_command;

/* The commands: one file each, cli/NAME.c, with its usage text and its
 * handler.  --help and -h never reach a handler: main prints the usage. */
extern const char gp_cmd_run_usage[];
int gp_cmd_run(int argc, char **argv);
extern const char gp_cmd_validate_usage[];
int gp_cmd_validate(int argc, char **argv);
extern const char gp_cmd_show_usage[];
int gp_cmd_show(int argc, char **argv);
extern const char gp_cmd_diff_usage[];
int gp_cmd_diff(int argc, char **argv);
extern const char gp_cmd_policies_usage[];
int gp_cmd_policies(int argc, char **argv);
extern const char gp_cmd_metrics_usage[];
int gp_cmd_metrics(int argc, char **argv);
extern const char gp_cmd_compare_usage[];
int gp_cmd_compare(int argc, char **argv);
extern const char gp_cmd_export_usage[];
int gp_cmd_export(int argc, char **argv);
extern const char gp_cmd_plot_usage[];
int gp_cmd_plot(int argc, char **argv);
extern const char gp_cmd_report_usage[];
int gp_cmd_report(int argc, char **argv);
extern const char gp_cmd_discover_usage[];
int gp_cmd_discover(int argc, char **argv);
extern const char gp_cmd_replay_usage[];
int gp_cmd_replay(int argc, char **argv);
extern const char gp_cmd_sensitivity_usage[];
int gp_cmd_sensitivity(int argc, char **argv);
extern const char gp_cmd_calibrate_usage[];
int gp_cmd_calibrate(int argc, char **argv);
extern const char gp_cmd_size_usage[];
int gp_cmd_size(int argc, char **argv);
extern const char gp_cmd_kpi_usage[];
int gp_cmd_kpi(int argc, char **argv);
extern const char gp_cmd_select_usage[];
int gp_cmd_select(int argc, char **argv);

/* Print the usage error "gpuplan CMD: MESSAGE" (escaped) and the hint;
 * returns GP_EX_USAGE. */
int gp_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The usage error of a name that is no summary metric: "gpuplan CMD: WHAT;
 * the summary metrics:", the catalogue's names wrapped at 80 columns, the
 * hint; returns GP_EX_USAGE. */
int gp_cli_metric_error(const char *cmd, const char *what);

/* Returned by gp_cli_getopt for a bad option, after the message. */
#define GP_CLI_BAD_OPTION '?'

/* getopt_long over ARGV for command CMD: the next option's code, -1 at the
 * end of the options (optind is then the first operand: GNU permutation
 * moves operands after the options), or GP_CLI_BAD_OPTION after printing
 * the usage error (unknown or ambiguous option, missing value, a value
 * given to an option that takes none).  SHORTOPTS without a leading ':'
 * (it is added).  Before the first call of a command, set optind = 0. */
int gp_cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
                  const struct option *longopts);

/* S as an integer in [MIN, MAX] into *OUT; otherwise the usage error
 * "OPT: expected an integer in [MIN, MAX], found "S"" and -1. */
int gp_cli_int(const char *cmd, const char *opt, const char *s, long long min, long long max,
               long long *out);
/* S as a number strictly between 0 and 1 into *OUT; otherwise the usage
 * error "OPT: expected a fraction in (0, 1), found "S"" and -1. */
int gp_cli_fraction(const char *cmd, const char *opt, const char *s, double *out);
/* --point S of the commands that read a result file, once FILE is known:
 * S an index, an integer in [0, GP_SWEEP_MAX_POINTS) (whether the file has
 * point K is the reader's to say), or a point's label as the file stores it
 * ("review.reviewers=80"; analysis/reader.h, gp_reader_find_point); NULL:
 * the default, -1.  0 with *OUT set, or the exit status after the message
 * (one that lists the file's labels when none matches). */
int gp_cli_point(const char *cmd, const char *file, const char *s, int *out);

/* Where a command will write, checked before it does any work (cli/outpath.c);
 * nothing is left behind.  Each prints the one-line error and returns
 * GP_EX_CANTCREAT, or returns 0.
 * gp_cli_out_file: PATH can be created or replaced: a file name (not "",
 *   not ending in '/'), not a directory, in a directory where a file can be
 *   made.
 * gp_cli_out_dir: PATH is a directory where files can be made, or it can be
 *   made: in its parent (PARENTS = 0), or in the nearest ancestor that
 *   exists (PARENTS = 1, as mkdir -p). */
int gp_cli_out_file(const char *path);
int gp_cli_out_dir(const char *path, int parents);
/* 1 when A and B name the same existing file (through symbolic links). */
int gp_cli_same_file(const char *a, const char *b);

/* Print ERR's message, escaped (sim/escape.h: names from input files may
 * hold control characters), on rank 0 only under MPI (every rank meets the
 * same input error, and rank 0 collects the others' run errors), and return
 * its exit code. */
int gp_cli_fail(const gp_err *err);
/* The same for a command that writes all or nothing (export, plot, report,
 * replay): stopped by a signal, wherever it was (reading, drawing,
 * writing), it says one thing, "interrupted by signal N; nothing written". */
int gp_cli_fail_whole(const gp_err *err);

#endif /* GP_CLI_H */
