/*
 * cli/sensitivity.c - `gpuplan sensitivity`: Sobol indices or Morris
 * screening of a scenario's uncertain factors, into one HDF5 file, with
 * progress and one ranked table per policy.
 *
 * The options become a gp_sensitivity_spec; the design, the runs, the
 * estimates, the file and the tables are models/experiment/'s
 * (sensitivity.h, sensout.h).  All or nothing: an interrupt writes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "models/experiment/sensitivity.h"
#include "models/experiment/sensout.h"
#include "models/results/metrics.h"
#include "sim/par.h"

const char gp_cmd_sensitivity_usage[] =
    "usage: gpuplan sensitivity [SCENARIO] [--method sobol|morris] [--samples N]\n"
    "                           [--trajectories R] [--levels P] [--reps K] [--metric M,...]\n"
    "                           [--policy NAME,...] [--seed S] [--threads T] [-o FILE.h5]\n"
    "                           [--posterior FILE.h5] [--quiet]\n"
    "\n"
    "Which of SCENARIO's \"uncertain\" factors (default: the built-in baseline's) move\n"
    "which summary metrics, for every policy. A factor is a group of the block, or a\n"
    "factor without a group; each design point is the scenario with the factors' values\n"
    "put in, run for K replications with the same seeds at every point.\n"
    "\n"
    "  --method M          sobol (first-order and total indices, Saltelli's design; at\n"
    "                      most 20 factors) or morris (elementary effects); default sobol\n"
    "  --samples N         sobol: base rows, N (factors + 2) points (default 64)\n"
    "  --trajectories R    morris: trajectories, R (factors + 1) points (default 10)\n"
    "  --levels P          morris: grid levels, even (default 4)\n"
    "  --reps K            replications per design point (default 10)\n"
    "  --posterior FILE.h5 the unknowns of FILE.h5 (`gpuplan calibrate --method abc` of\n"
    "                      SCENARIO) are factors too, each with its posterior's weighted\n"
    "                      marginal; the design takes them independent (the posterior's\n"
    "                      correlation is dropped)\n"
    "  --metric M,...      summary metrics (default gap_to_target, mean_days_to_gpu,\n"
    "                      acceptance_rate, utilization, subsidy_krw)\n"
    "  --policy A,B        only these of the scenario's policies\n"
    "  --seed S            base random seed (default: the scenario's \"seed\")\n"
    "  --threads T         worker threads (default: all cores); results do not depend on T\n"
    "  -o, --output FILE   result file (default out/sensitivity.h5)\n"
    "  -q, --quiet         no progress and no tables\n"
    "\n"
    "SIGINT or SIGTERM stops it with nothing written (exit 130 / 143).\n";

enum { OPT_METHOD = 256, OPT_SAMPLES, OPT_TRAJ, OPT_LEVELS, OPT_REPS, OPT_METRIC, OPT_POLICY,
       OPT_SEED, OPT_THREADS, OPT_POSTERIOR };

static const struct option options[] = {
    {"output", required_argument, NULL, 'o'},
    {"quiet", no_argument, NULL, 'q'},
    {"method", required_argument, NULL, OPT_METHOD},
    {"samples", required_argument, NULL, OPT_SAMPLES},
    {"trajectories", required_argument, NULL, OPT_TRAJ},
    {"levels", required_argument, NULL, OPT_LEVELS},
    {"reps", required_argument, NULL, OPT_REPS},
    {"metric", required_argument, NULL, OPT_METRIC},
    {"policy", required_argument, NULL, OPT_POLICY},
    {"seed", required_argument, NULL, OPT_SEED},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"posterior", required_argument, NULL, OPT_POSTERIOR},
    {NULL, 0, NULL, 0},
};

/* --metric's names into METRICS (room for gp_stat_nmetrics); 0 or an exit
 * status after the message. */
static int parse_metrics(const char *arg, int *metrics, int *n) {
  char *copy = strdup(arg);
  if (!copy) return gp_cli_usage_error("sensitivity", "out of memory");
  *n = 0;
  int rc = 0;
  for (char *save = NULL, *t = strtok_r(copy, ",", &save); t && !rc;
       t = strtok_r(NULL, ",", &save)) {
    int k = gp_stat_index(t);
    if (k < 0) {
      char what[256];
      snprintf(what, sizeof what, "--metric: no summary metric \"%s\"", t);
      rc = gp_cli_metric_error("sensitivity", what);
    } else {
      for (int j = 0; j < *n; j++)
        if (metrics[j] == k) rc = gp_cli_usage_error("sensitivity", "--metric: %s twice", t);
      if (!rc && *n < gp_stat_nmetrics) metrics[(*n)++] = k;
    }
  }
  if (!rc && *n == 0) rc = gp_cli_usage_error("sensitivity", "--metric: no metric named");
  free(copy);
  return rc;
}

typedef struct sens_args {
  gp_sensitivity_spec spec;
  const char *out;
  const char *metric_arg; /* NULL = the defaults */
  int quiet;
  int given_samples, given_traj, given_levels;
} sens_args;

static int parse(int argc, char **argv, sens_args *a) {
  int c;
  long long v;
  while ((c = gp_cli_getopt("sensitivity", argc, argv, "o:q", options)) != -1) {
    switch (c) {
    case 'o': a->out = optarg; break;
    case 'q': a->quiet = 1; break;
    case OPT_METHOD:
      if (strcmp(optarg, "sobol") == 0) a->spec.method = GP_SENSITIVITY_SOBOL;
      else if (strcmp(optarg, "morris") == 0) a->spec.method = GP_SENSITIVITY_MORRIS;
      else
        return gp_cli_usage_error("sensitivity", "--method: expected sobol or morris, found \"%s\"",
                                  optarg);
      break;
    case OPT_SAMPLES:
      if (gp_cli_int("sensitivity", "--samples", optarg, 2, 1000000, &v)) return GP_EX_USAGE;
      a->spec.samples = (int)v;
      a->given_samples = 1;
      break;
    case OPT_TRAJ:
      if (gp_cli_int("sensitivity", "--trajectories", optarg, 2, 100000, &v)) return GP_EX_USAGE;
      a->spec.trajectories = (int)v;
      a->given_traj = 1;
      break;
    case OPT_LEVELS:
      if (gp_cli_int("sensitivity", "--levels", optarg, 2, 1000, &v)) return GP_EX_USAGE;
      if (v % 2)
        return gp_cli_usage_error("sensitivity", "--levels: expected an even number, found %lld", v);
      a->spec.levels = (int)v;
      a->given_levels = 1;
      break;
    case OPT_REPS:
      if (gp_cli_int("sensitivity", "--reps", optarg, 2, 1000000, &v)) return GP_EX_USAGE;
      a->spec.reps = (int)v;
      break;
    case OPT_SEED:
      if (gp_cli_int("sensitivity", "--seed", optarg, 0, (long long)1 << 53, &a->spec.seed))
        return GP_EX_USAGE;
      break;
    case OPT_THREADS:
      if (gp_cli_int("sensitivity", "--threads", optarg, 1, 4096, &v)) return GP_EX_USAGE;
      a->spec.threads = (int)v;
      break;
    case OPT_METRIC: a->metric_arg = optarg; break;
    case OPT_POLICY: a->spec.policies = optarg; break;
    case OPT_POSTERIOR: a->spec.posterior = optarg; break;
    default: return GP_EX_USAGE;
    }
  }
  if (a->spec.method == GP_SENSITIVITY_SOBOL && (a->given_traj || a->given_levels))
    return gp_cli_usage_error("sensitivity", "--trajectories and --levels: only with --method morris");
  if (a->spec.method == GP_SENSITIVITY_MORRIS && a->given_samples)
    return gp_cli_usage_error("sensitivity", "--samples: only with --method sobol");
  if (optind < argc) a->spec.path = argv[optind];
  if (optind + 1 < argc)
    return gp_cli_usage_error("sensitivity", "one scenario at a time (also got %s)",
                              argv[optind + 1]);
  return 0;
}

/* One updating line on a terminal: points done, policy-replications a
 * second, time left. */
static void show_progress(void *ctx, int done, int total, long long reps, double seconds,
                          int final) {
  (void)ctx;
  double rate = seconds > 0 ? (double)reps / seconds : 0;
  double left = done > 0 ? seconds * (total - done) / done : 0;
  fprintf(stderr, "\r  design points %d/%d  %.1f replications/s  %.0f s left   ", done, total,
          rate, left);
  if (final) fputc('\n', stderr);
  fflush(stderr);
}

int gp_cmd_sensitivity(int argc, char **argv) {
  sens_args a;
  memset(&a, 0, sizeof a);
  a.spec.seed = -1;
  a.spec.method = GP_SENSITIVITY_SOBOL;
  a.spec.samples = 64;
  a.spec.trajectories = 10;
  a.spec.levels = 4;
  a.spec.reps = 10;
  gp_stat_count();
  int *metrics = malloc((size_t)gp_stat_nmetrics * sizeof *metrics);
  if (!metrics) return gp_cli_usage_error("sensitivity", "out of memory");
  int rc = parse(argc, argv, &a), nm = 0;
  if (!rc && a.metric_arg) rc = parse_metrics(a.metric_arg, metrics, &nm);
  for (int i = 0; !rc && !a.metric_arg && gp_sensitivity_default_metrics[i]; i++) {
    metrics[nm] = gp_stat_index(gp_sensitivity_default_metrics[i]);
    if (metrics[nm++] < 0) {
      gp_err e;
      GP_ERR(&e, GP_EX_SOFTWARE, "sensitivity: the default metric %s is not in the catalogue",
             gp_sensitivity_default_metrics[i]);
      rc = gp_cli_fail(&e);
    }
  }
  a.spec.metrics = metrics;
  a.spec.nmetrics = nm;
  if (!rc && !a.out) {
    if (mkdir("out", 0777) != 0 && errno != EEXIST) {
      fprintf(stderr, "out: cannot create directory: %s\n", strerror(errno));
      rc = GP_EX_CANTCREAT;
    }
    a.out = "out/sensitivity.h5";
  }
  if (!rc && a.spec.path && gp_cli_same_file(a.spec.path, a.out))
    rc = gp_cli_usage_error("sensitivity", "%s: would overwrite its scenario", a.out);
  if (!rc && gp_par_rank() == 0) rc = gp_cli_out_file(a.out);
  rc = gp_par_bcast(rc);
  gp_sensitivity *r = NULL;
  gp_err err;
  gp_err_clear(&err);
  if (!rc) {
    int progress = !a.quiet && isatty(2) && gp_par_size() == 1;
    a.spec.progress = progress ? show_progress : NULL;
    if (gp_sensitivity_run(&a.spec, &r, &err)) rc = gp_cli_fail_whole(&err);
  }
  if (!rc && r) {
    if (gp_sensout_write(a.out, r, &err)) rc = gp_cli_fail_whole(&err);
    else if (!a.quiet) gp_sensout_summary(stdout, r, a.out);
  }
  gp_sensitivity_free(r);
  free(metrics);
  return rc;
}
