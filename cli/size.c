/*
 * cli/size.c - `gpuplan size`: the smallest (or largest) value of a
 * scenario number at which a summary metric meets a target with a given
 * confidence, by bisection on common random numbers; one HDF5 file and a
 * report.
 *
 * The options become a gp_size_spec; the procedure, the file and the report
 * are models/experiment/'s (size.h).  Exit 0 with an answer, 1
 * when the range holds none (already met at its near end, or not met even
 * at its far end: said, and the file written); all or nothing on a signal.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "models/experiment/size.h"
#include "models/results/metrics.h"
#include "sim/par.h"

const char gp_cmd_size_usage[] =
    "usage: gpuplan size [SCENARIO] --knob PATH --range LO:HI [--integer]\n"
    "                    --target 'METRIC<=X' [--confidence C] [--reps K] [--confirm N]\n"
    "                    [--tol D] [--policy NAME] [--set PATH=VALUE]... [--seed S]\n"
    "                    [--threads T] [-o FILE.h5] [--quiet]\n"
    "\n"
    "The smallest value of the scenario number PATH (default scenario: the built-in\n"
    "baseline) in [LO, HI] at which METRIC meets the target with confidence C: its\n"
    "one-sided C-level Student-t bound over K replications is on the target's side\n"
    "(upper bound <= X, or lower bound >= X).  When the metric falls as PATH grows and\n"
    "the target is <= (or it grows and the target is >=), the answer is the smallest\n"
    "value that meets it; otherwise the largest: the ends of the range decide, and\n"
    "the report says which.  Bisection with the same seeds at every value (common\n"
    "random numbers), then the answer and its neighbour again with N replications,\n"
    "searching on when they disagree.\n"
    "\n"
    "  --knob PATH         a number the scenario writes, in --set's syntax\n"
    "                      (review.reviewers, roadmap.tranches[0].nodes)\n"
    "  --range LO:HI       the values to search, LO < HI\n"
    "  --integer           whole values only (bisect to adjacent integers)\n"
    "  --target 'M<=X'     a summary metric and its bound, <= or >=\n"
    "  --confidence C      in (0, 1) (default 0.95)\n"
    "  --reps K            replications per candidate (default 10, at least 2)\n"
    "  --confirm N         replications of the confirmation (default 4K)\n"
    "  --tol D             real knobs: bisect to a bracket this wide (default (HI-LO)/100)\n"
    "  --policy NAME       the one policy to run (default: the scenario's first)\n"
    "  --set PATH=VALUE    change another scenario value first (as run's --set)\n"
    "  --seed S            base random seed (default: the scenario's \"seed\")\n"
    "  --threads T         worker threads (default: all cores); results do not depend on T\n"
    "  -o, --output FILE   result file (default out/size.h5)\n"
    "  -q, --quiet         no progress and no report\n";

enum { OPT_KNOB = 256, OPT_RANGE, OPT_INTEGER, OPT_TARGET, OPT_CONF, OPT_REPS, OPT_CONFIRM,
       OPT_TOL, OPT_POLICY, OPT_SET, OPT_SEED, OPT_THREADS };

static const struct option options[] = {
    {"output", required_argument, NULL, 'o'},
    {"quiet", no_argument, NULL, 'q'},
    {"knob", required_argument, NULL, OPT_KNOB},
    {"range", required_argument, NULL, OPT_RANGE},
    {"integer", no_argument, NULL, OPT_INTEGER},
    {"target", required_argument, NULL, OPT_TARGET},
    {"confidence", required_argument, NULL, OPT_CONF},
    {"reps", required_argument, NULL, OPT_REPS},
    {"confirm", required_argument, NULL, OPT_CONFIRM},
    {"tol", required_argument, NULL, OPT_TOL},
    {"policy", required_argument, NULL, OPT_POLICY},
    {"set", required_argument, NULL, OPT_SET},
    {"seed", required_argument, NULL, OPT_SEED},
    {"threads", required_argument, NULL, OPT_THREADS},
    {NULL, 0, NULL, 0},
};

/* S, all of it, as a finite number into *OUT; else -1. */
static int number(const char *s, double *out) {
  char *end;
  errno = 0;
  *out = strtod(s, &end);
  return end == s || *end || errno || !isfinite(*out) ? -1 : 0;
}

/* --range LO:HI. */
static int parse_range(const char *arg, gp_size_search *sp) {
  const char *colon = strchr(arg, ':');
  char lo[64];
  size_t n = colon ? (size_t)(colon - arg) : 0;
  if (!colon || n >= sizeof lo)
    return gp_cli_usage_error("size", "--range: expected LO:HI, found \"%s\"", arg);
  memcpy(lo, arg, n);
  lo[n] = '\0';
  if (number(lo, &sp->lo) || number(colon + 1, &sp->hi))
    return gp_cli_usage_error("size", "--range: expected two numbers LO:HI, found \"%s\"", arg);
  if (!(sp->lo < sp->hi))
    return gp_cli_usage_error("size", "--range: expected LO < HI, found \"%s\"", arg);
  return 0;
}

/* --target METRIC<=X or METRIC>=X. */
static int parse_target(const char *arg, gp_size_search *sp, int *metric) {
  const char *le = strstr(arg, "<="), *ge = strstr(arg, ">="), *op = le ? le : ge;
  if (!op || (le && ge))
    return gp_cli_usage_error("size", "--target: expected METRIC<=X or METRIC>=X, found \"%s\"",
                              arg);
  sp->op = le ? GP_SIZE_LE : GP_SIZE_GE;
  char name[128];
  const char *a = arg, *b = op;
  while (a < b && *a == ' ') a++;
  while (b > a && b[-1] == ' ') b--;
  if ((size_t)(b - a) >= sizeof name || b == a)
    return gp_cli_usage_error("size", "--target: expected a metric's name before %s, found \"%s\"",
                              gp_size_op_names[sp->op], arg);
  memcpy(name, a, (size_t)(b - a));
  name[b - a] = '\0';
  const char *x = op + 2;
  while (*x == ' ') x++;
  if (number(x, &sp->target))
    return gp_cli_usage_error("size", "--target: expected a number after %s, found \"%s\"",
                              gp_size_op_names[sp->op], x);
  if ((*metric = gp_stat_index(name)) < 0) {
    char what[256];
    snprintf(what, sizeof what, "--target: no summary metric \"%s\"", name);
    return gp_cli_metric_error("size", what);
  }
  return 0;
}

typedef struct size_args {
  gp_size_spec spec;
  const char **sets; /* argc slots */
  const char *out;
  int quiet;
  int given_target, given_tol;
} size_args;

static int parse(int argc, char **argv, size_args *a) {
  int c;
  long long v;
  gp_size_search *sp = &a->spec.search;
  while ((c = gp_cli_getopt("size", argc, argv, "o:q", options)) != -1) {
    switch (c) {
    case 'o': a->out = optarg; break;
    case 'q': a->quiet = 1; break;
    case OPT_KNOB: a->spec.knob = optarg; break;
    case OPT_RANGE:
      if (parse_range(optarg, sp)) return GP_EX_USAGE;
      break;
    case OPT_INTEGER: sp->integer = 1; break;
    case OPT_TARGET:
      if (parse_target(optarg, sp, &a->spec.metric)) return GP_EX_USAGE;
      a->given_target = 1;
      break;
    case OPT_CONF:
      if (gp_cli_fraction("size", "--confidence", optarg, &sp->confidence)) return GP_EX_USAGE;
      break;
    case OPT_REPS:
      if (gp_cli_int("size", "--reps", optarg, 2, 1000000, &v)) return GP_EX_USAGE;
      sp->reps = (int)v;
      break;
    case OPT_CONFIRM:
      if (gp_cli_int("size", "--confirm", optarg, 2, 4000000, &v)) return GP_EX_USAGE;
      sp->confirm_reps = (int)v;
      break;
    case OPT_TOL:
      if (number(optarg, &sp->tol) || !(sp->tol > 0))
        return gp_cli_usage_error("size", "--tol: expected a number > 0, found \"%s\"", optarg);
      a->given_tol = 1;
      break;
    case OPT_POLICY: a->spec.policy = optarg; break;
    case OPT_SET: a->sets[a->spec.nsets++] = optarg; break;
    case OPT_SEED:
      if (gp_cli_int("size", "--seed", optarg, 0, (long long)1 << 53, &a->spec.seed))
        return GP_EX_USAGE;
      break;
    case OPT_THREADS:
      if (gp_cli_int("size", "--threads", optarg, 1, 4096, &v)) return GP_EX_USAGE;
      a->spec.threads = (int)v;
      break;
    default: return GP_EX_USAGE;
    }
  }
  if (!a->spec.knob) return gp_cli_usage_error("size", "--knob PATH is required");
  if (!(sp->lo < sp->hi)) return gp_cli_usage_error("size", "--range LO:HI is required");
  if (!a->given_target) return gp_cli_usage_error("size", "--target 'METRIC<=X' is required");
  if (sp->integer && (sp->lo != floor(sp->lo) || sp->hi != floor(sp->hi)))
    return gp_cli_usage_error("size", "--range: with --integer, expected whole numbers, found "
                                      "%.17g:%.17g",
                              sp->lo, sp->hi);
  if (sp->integer && a->given_tol)
    return gp_cli_usage_error("size", "--tol: only without --integer (integers bisect to 1)");
  if (a->given_tol && !(sp->tol < sp->hi - sp->lo))
    return gp_cli_usage_error("size", "--tol: expected less than HI - LO = %g, found %g",
                              sp->hi - sp->lo, sp->tol);
  if (sp->confirm_reps && sp->confirm_reps < sp->reps)
    return gp_cli_usage_error("size", "--confirm: expected at least --reps (%d), found %d",
                              sp->reps, sp->confirm_reps);
  if (optind < argc) a->spec.path = argv[optind];
  if (optind + 1 < argc)
    return gp_cli_usage_error("size", "one scenario at a time (also got %s)", argv[optind + 1]);
  a->spec.sets = a->sets;
  return 0;
}

/* One updating line on a terminal: the candidates of this evaluation. */
static void show_progress(void *ctx, int done, int total, long long reps, double seconds,
                          int final) {
  (void)ctx;
  (void)reps;
  fprintf(stderr, "\r  evaluating: %d/%d candidates, %.1f s   ", done, total, seconds);
  if (final) fputs("\r                                              \r", stderr);
  fflush(stderr);
}

int gp_cmd_size(int argc, char **argv) {
  size_args a;
  memset(&a, 0, sizeof a);
  a.spec.seed = -1;
  a.spec.metric = -1;
  a.spec.search.confidence = 0.95;
  a.spec.search.reps = 10;
  a.spec.search.lo = a.spec.search.hi = NAN;
  gp_stat_count();
  a.sets = calloc((size_t)argc, sizeof *a.sets);
  if (!a.sets) return gp_cli_usage_error("size", "out of memory");
  int rc = parse(argc, argv, &a);
  if (!rc && !a.out) {
    if (mkdir("out", 0777) != 0 && errno != EEXIST) {
      fprintf(stderr, "out: cannot create directory: %s\n", strerror(errno));
      rc = GP_EX_CANTCREAT;
    }
    a.out = "out/size.h5";
  }
  if (!rc && a.spec.path && gp_cli_same_file(a.spec.path, a.out))
    rc = gp_cli_usage_error("size", "%s: would overwrite its scenario", a.out);
  if (!rc && gp_par_rank() == 0) rc = gp_cli_out_file(a.out);
  rc = gp_par_bcast(rc);
  gp_size *r = NULL;
  gp_err err;
  gp_err_clear(&err);
  if (!rc) {
    int progress = !a.quiet && isatty(2) && gp_par_size() == 1;
    a.spec.progress = progress ? show_progress : NULL;
    if (gp_size_run(&a.spec, &r, &err)) rc = gp_cli_fail_whole(&err);
  }
  if (!rc && r && gp_par_rank() == 0) {
    if (gp_size_write(a.out, r, &err)) rc = gp_cli_fail_whole(&err);
    else if (!a.quiet) gp_size_summary(stdout, r, a.out);
  }
  if (!rc && r && r->answer.status != GP_SIZE_FOUND) rc = 1;
  gp_size_free(r);
  free(a.sets);
  return rc;
}
