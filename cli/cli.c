/*
 * cli/cli.c - what the commands share (see cli.h): usage errors, options
 * through getopt_long, numbers, printing a gp_err.
 *
 * Invariant: getopt_long never prints (opterr = 0); every message about
 * the command line is one line "gpuplan CMD: ..." followed by the hint.
 * Every message printed here is escaped (sim/escape.h): a name from an
 * input file or the command line cannot put control characters on the
 * terminal.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/reader.h"
#include "models/results/metrics.h"
#include "models/experiment/sweep.h"
#include "sim/escape.h"
#include "sim/par.h"

int gp_cli_usage_error(const char *cmd, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  /* The message may quote the command line: escaped like every other. */
  fprintf(stderr, "gpuplan %s: ", cmd);
  gp_escape_fputs(buf, stderr);
  fprintf(stderr, "\nTry 'gpuplan %s --help'.\n", cmd);
  return GP_EX_USAGE;
}

int gp_cli_metric_error(const char *cmd, const char *what) {
  fprintf(stderr, "gpuplan %s: ", cmd);
  gp_escape_fputs(what, stderr);
  fputs("; the summary metrics:\n", stderr);
  size_t col = 0;
  int n = gp_stat_count();
  for (int k = 0; k < n; k++) {
    const char *name = gp_stat_field(k)->name;
    size_t len = strlen(name) + (k + 1 < n ? 1 : 0);
    if (col && col + 1 + len > 78) fputc('\n', stderr), col = 0;
    fputs(col ? " " : "  ", stderr);
    fputs(name, stderr);
    if (k + 1 < n) fputc(',', stderr);
    col += (col ? 1 : 2) + len;
  }
  fprintf(stderr, "\nTry 'gpuplan %s --help'.\n", cmd);
  return GP_EX_USAGE;
}

/* A long option's text as typed, without "=VALUE". */
static int typed_len(const char *arg) {
  const char *eq = strchr(arg, '=');
  return eq ? (int)(eq - arg) : (int)strlen(arg);
}

/* The message for an unknown or ambiguous long option ARG ("--xyz"). */
static void bad_long(const char *cmd, const char *arg, const struct option *longopts) {
  const char *name = arg + 2;
  int n = typed_len(name), matches = 0;
  char list[256] = "";
  size_t used = 0;
  for (const struct option *o = longopts; o && o->name; o++)
    if (strncmp(o->name, name, (size_t)n) == 0 && used < sizeof list) {
      used += (size_t)snprintf(list + used, sizeof list - used, "%s--%s", matches ? ", " : "",
                               o->name);
      matches++;
    }
  if (matches > 1)
    gp_cli_usage_error(cmd, "ambiguous option --%.*s (%s)", n, name, list);
  else
    gp_cli_usage_error(cmd, "unknown option --%.*s", n, name);
}

int gp_cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
                  const struct option *longopts) {
  char opts[64];
  snprintf(opts, sizeof opts, ":%s", shortopts);
  opterr = 0;
  int c = getopt_long(argc, argv, opts, longopts, NULL);
  if (c != ':' && c != '?') return c;
  /* A long option is always its whole element, which getopt has passed
   * (optind - 1); a short one may sit inside a cluster ("-qz"): name it by
   * its letter. */
  const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
  int is_long = strncmp(arg, "--", 2) == 0 && arg[2];
  if (c == ':') {
    if (is_long) gp_cli_usage_error(cmd, "%.*s needs a value", typed_len(arg), arg);
    else gp_cli_usage_error(cmd, "-%c needs a value", optopt);
  } else if (optopt == 0) {
    bad_long(cmd, arg, longopts);
  } else if (is_long && (optopt > 255 || strchr(shortopts, optopt))) {
    gp_cli_usage_error(cmd, "%.*s takes no value", typed_len(arg), arg);
  } else {
    gp_cli_usage_error(cmd, "unknown option -%c", optopt);
  }
  return GP_CLI_BAD_OPTION;
}

int gp_cli_int(const char *cmd, const char *opt, const char *s, long long min, long long max,
               long long *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end || v < min || v > max) {
    gp_cli_usage_error(cmd, "%s: expected an integer in [%lld, %lld], found \"%s\"", opt, min, max,
                       s);
    return -1;
  }
  *out = v;
  return 0;
}

int gp_cli_fraction(const char *cmd, const char *opt, const char *s, double *out) {
  char *end;
  double v = strtod(s, &end);
  if (end == s || *end || !(v > 0 && v < 1)) {
    gp_cli_usage_error(cmd, "%s: expected a fraction in (0, 1), found \"%s\"", opt, s);
    return -1;
  }
  *out = v;
  return 0;
}

int gp_cli_point(const char *cmd, const char *file, const char *s, int *out) {
  *out = -1;
  if (!s) return 0;
  /* A label always holds "path=": anything without '=' is an index. */
  if (!strchr(s, '=')) {
    long long k;
    if (gp_cli_int(cmd, "--point", s, 0, GP_SWEEP_MAX_POINTS - 1, &k)) return GP_EX_USAGE;
    *out = (int)k;
    return 0;
  }
  gp_err err;
  gp_err_clear(&err);
  return gp_reader_find_point(file, s, out, &err) ? gp_cli_fail(&err) : 0;
}

int gp_cli_fail(const gp_err *err) {
  if (gp_par_rank() == 0) {
    gp_escape_fputs(err->msg, stderr);
    fputc('\n', stderr);
  }
  return err->code ? err->code : GP_EX_SOFTWARE;
}

int gp_cli_fail_whole(const gp_err *err) {
  if (err->code <= GP_EX_SIGNAL) return gp_cli_fail(err);
  gp_err e;
  gp_err_clear(&e);
  GP_ERR(&e, err->code, "interrupted by signal %d; nothing written", err->code - GP_EX_SIGNAL);
  return gp_cli_fail(&e);
}
