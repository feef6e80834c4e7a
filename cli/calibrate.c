/*
 * cli/calibrate.c - `gpuplan calibrate`: fit a scenario's "calibration"
 * unknowns to its published figures (targets), by Nelder-Mead or ABC-SMC,
 * into one HDF5 file, with progress and a summary.
 *
 * The options become a gp_calibrate_spec; the fit, the file and the summary
 * are models/experiment/'s (calibrate.h, calibout.h).  All or nothing: an
 * interrupt writes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "models/experiment/calibout.h"
#include "models/experiment/calibrate.h"
#include "sim/par.h"

const char gp_cmd_calibrate_usage[] =
    "usage: gpuplan calibrate [SCENARIO] [--method nelder-mead|abc] [--policy P] [--reps K]\n"
    "                         [--starts N] [--particles N] [--generations G] [--threads T]\n"
    "                         [--seed S] [--set PATH=VALUE]... [-o FILE.h5] [--quiet]\n"
    "\n"
    "Fit the unknowns of SCENARIO's \"calibration\" block (default: the built-in\n"
    "baseline's) to its targets, the published figures of its calls, streams and\n"
    "designations: each set of values is played for K replications of one policy.\n"
    "\n"
    "  --method M          nelder-mead (a point fit minimising the sum of squared\n"
    "                      standardised residuals, on common random numbers, with a\n"
    "                      95% interval from the local quadratic) or abc (ABC-SMC: a\n"
    "                      posterior sample); default nelder-mead\n"
    "  --policy P          the policy that produced the figures (default: the first)\n"
    "  --reps K            replications per evaluation (default 10; abc: 1)\n"
    "  --starts N          nelder-mead: starts, Sobol' points of the box (default 4)\n"
    "  --particles N       abc: particles per generation (default 200)\n"
    "  --generations G     abc: at most G generations (default 6)\n"
    "  --seed S            random seed (default: the scenario's \"seed\")\n"
    "  --set PATH=VALUE    change one scenario value before validation\n"
    "  --threads T         worker threads (default: all cores); results do not depend on T\n"
    "  -o, --output FILE   result file (default out/calibration.h5)\n"
    "  -q, --quiet         no progress and no summary\n"
    "\n"
    "SIGINT or SIGTERM stops it with nothing written (exit 130 / 143).\n";

enum { OPT_METHOD = 256, OPT_POLICY, OPT_REPS, OPT_STARTS, OPT_PARTICLES, OPT_GENERATIONS,
       OPT_SEED, OPT_SET, OPT_THREADS };

static const struct option options[] = {
    {"output", required_argument, NULL, 'o'},
    {"quiet", no_argument, NULL, 'q'},
    {"method", required_argument, NULL, OPT_METHOD},
    {"policy", required_argument, NULL, OPT_POLICY},
    {"reps", required_argument, NULL, OPT_REPS},
    {"starts", required_argument, NULL, OPT_STARTS},
    {"particles", required_argument, NULL, OPT_PARTICLES},
    {"generations", required_argument, NULL, OPT_GENERATIONS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"set", required_argument, NULL, OPT_SET},
    {"threads", required_argument, NULL, OPT_THREADS},
    {NULL, 0, NULL, 0},
};

typedef struct cal_args {
  gp_calibrate_spec spec;
  const char *out;
  int quiet, given_reps, given_starts, given_abc;
} cal_args;

static int parse(int argc, char **argv, cal_args *a, const char **sets) {
  int c;
  long long v;
  while ((c = gp_cli_getopt("calibrate", argc, argv, "o:q", options)) != -1) {
    switch (c) {
    case 'o': a->out = optarg; break;
    case 'q': a->quiet = 1; break;
    case OPT_METHOD:
      if (strcmp(optarg, "nelder-mead") == 0) a->spec.method = GP_CALIBRATE_NELDER_MEAD;
      else if (strcmp(optarg, "abc") == 0) a->spec.method = GP_CALIBRATE_ABC;
      else
        return gp_cli_usage_error("calibrate", "--method: expected nelder-mead or abc, found \"%s\"",
                                  optarg);
      break;
    case OPT_POLICY:
      if (strchr(optarg, ','))
        return gp_cli_usage_error("calibrate", "--policy: one policy, found \"%s\"", optarg);
      a->spec.policy = optarg;
      break;
    case OPT_REPS:
      if (gp_cli_int("calibrate", "--reps", optarg, 1, 100000, &v)) return GP_EX_USAGE;
      a->spec.reps = (int)v;
      a->given_reps = 1;
      break;
    case OPT_STARTS:
      if (gp_cli_int("calibrate", "--starts", optarg, 1, 1000, &v)) return GP_EX_USAGE;
      a->spec.starts = (int)v;
      a->given_starts = 1;
      break;
    case OPT_PARTICLES:
      if (gp_cli_int("calibrate", "--particles", optarg, 10, 100000, &v)) return GP_EX_USAGE;
      a->spec.particles = (int)v;
      a->given_abc = 1;
      break;
    case OPT_GENERATIONS:
      if (gp_cli_int("calibrate", "--generations", optarg, 1, 100, &v)) return GP_EX_USAGE;
      a->spec.generations = (int)v;
      a->given_abc = 1;
      break;
    case OPT_SEED:
      if (gp_cli_int("calibrate", "--seed", optarg, 0, (long long)1 << 53, &a->spec.seed))
        return GP_EX_USAGE;
      break;
    case OPT_SET: sets[a->spec.nsets++] = optarg; break;
    case OPT_THREADS:
      if (gp_cli_int("calibrate", "--threads", optarg, 1, 4096, &v)) return GP_EX_USAGE;
      a->spec.threads = (int)v;
      break;
    default: return GP_EX_USAGE;
    }
  }
  if (a->spec.method == GP_CALIBRATE_ABC && a->given_starts)
    return gp_cli_usage_error("calibrate", "--starts: only with --method nelder-mead");
  if (a->spec.method == GP_CALIBRATE_NELDER_MEAD && a->given_abc)
    return gp_cli_usage_error("calibrate", "--particles and --generations: only with --method abc");
  if (!a->given_reps && a->spec.method == GP_CALIBRATE_ABC) a->spec.reps = 1;
  if (optind < argc) a->spec.path = argv[optind];
  if (optind + 1 < argc)
    return gp_cli_usage_error("calibrate", "one scenario at a time (also got %s)", argv[optind + 1]);
  return 0;
}

/* One updating line on a terminal: the start or generation, simulations,
 * the best objective so far. */
static void show_progress(void *ctx, int stage, int stages, long long evals, double best,
                          double seconds, int final) {
  const char *what = ctx;
  fprintf(stderr, "\r  %s %d/%d  %lld simulations  best objective %.4g  %.0f s   ", what, stage,
          stages, evals, best, seconds);
  if (final) fputc('\n', stderr);
  fflush(stderr);
}

int gp_cmd_calibrate(int argc, char **argv) {
  cal_args a;
  memset(&a, 0, sizeof a);
  a.spec.seed = -1;
  a.spec.method = GP_CALIBRATE_NELDER_MEAD;
  a.spec.reps = 10;
  a.spec.starts = 4;
  a.spec.particles = 200;
  a.spec.generations = 6;
  const char **sets = malloc((size_t)(argc > 0 ? argc : 1) * sizeof *sets);
  if (!sets) return gp_cli_usage_error("calibrate", "out of memory");
  int rc = parse(argc, argv, &a, sets);
  a.spec.sets = sets;
  if (!rc && !a.out) {
    if (mkdir("out", 0777) != 0 && errno != EEXIST) {
      fprintf(stderr, "out: cannot create directory: %s\n", strerror(errno));
      rc = GP_EX_CANTCREAT;
    }
    a.out = "out/calibration.h5";
  }
  if (!rc && a.spec.path && gp_cli_same_file(a.spec.path, a.out))
    rc = gp_cli_usage_error("calibrate", "%s: would overwrite its scenario", a.out);
  if (!rc && gp_par_rank() == 0) rc = gp_cli_out_file(a.out);
  gp_calibrate *c = NULL;
  gp_err err;
  gp_err_clear(&err);
  if (!rc) {
    int progress = !a.quiet && isatty(2);
    a.spec.progress = progress ? show_progress : NULL;
    a.spec.progress_ctx = a.spec.method == GP_CALIBRATE_ABC ? "generation" : "start";
    if (gp_calibrate_run(&a.spec, &c, &err)) rc = gp_cli_fail_whole(&err);
  }
  if (!rc && c) {
    if (gp_calibout_write(a.out, c, &err)) rc = gp_cli_fail_whole(&err);
    else if (!a.quiet) gp_calibout_summary(stdout, c, a.out);
  }
  gp_calibrate_free(c);
  free(sets);
  return rc;
}
