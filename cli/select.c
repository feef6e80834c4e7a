/*
 * cli/select.c - `gpuplan select`: the best of the scenario's policies on
 * one summary metric by Kim and Nelson's fully sequential procedure, with
 * progress, its eliminations and cost on stdout, and the /select file.
 *
 * The options become a gp_plan (the scenario, --set, --seed, --policy) and
 * a gp_select_spec; the procedure, the file and the lines are
 * models/experiment/'s (select.h, selectout.h).  All or nothing: an
 * interrupt writes nothing.  Reaching --max-reps with several policies
 * still in is no error but no guarantee either: the file is written
 * (guaranteed = 0) and the exit status is 75, never 0.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "models/experiment/plan.h"
#include "models/experiment/select.h"
#include "models/experiment/selectout.h"
#include "models/experiment/writer.h"
#include "models/results/metrics.h"
#include "sim/par.h"

/* The selection was made without its guarantee (sysexits' EX_TEMPFAIL:
 * try again, with a larger cap). */
#define SELECT_EX_NOT_GUARANTEED 75

const char gp_cmd_select_usage[] =
    "usage: gpuplan select [SCENARIO] --metric M --minimize|--maximize --delta D\n"
    "                      [--pcs P] [--policy A,B,...] [--n0 N] [--max-reps N]\n"
    "                      [--threads T] [--seed S] [--set PATH=VALUE]... [-o FILE.h5]\n"
    "                      [--quiet]\n"
    "\n"
    "Which of SCENARIO's policies (default: the built-in baseline's) is best on one\n"
    "summary metric, by Kim and Nelson's (2001) fully sequential procedure under common\n"
    "random numbers: a first stage of n0 replications of every policy, then one\n"
    "replication at a time of the policies still in, each dropped as soon as another\n"
    "is clearly better, until one remains.  When the best is at least D better than\n"
    "every other, it is the one selected with probability at least P.\n"
    "\n"
    "  --metric M          a summary metric (the catalogue's names, as in run's table)\n"
    "  --minimize          smaller is better (one of --minimize and --maximize)\n"
    "  --maximize          larger is better\n"
    "  --delta D           indifference zone, in the metric's unit (> 0): a difference\n"
    "                      worth detecting\n"
    "  --pcs P             probability of correct selection (default 0.95)\n"
    "  --policy A,B        choose among these of the scenario's policies only\n"
    "  --n0 N              first-stage replications (default 10, at least 2)\n"
    "  --max-reps N        cap on a policy's replications (default 1000); reaching it\n"
    "                      with several policies still in names the best mean so far,\n"
    "                      without the guarantee (exit status 75)\n"
    "  --threads T         worker threads (default: all cores); results do not depend\n"
    "                      on T\n"
    "  --seed S            base random seed (default: the scenario's \"seed\")\n"
    "  --set PATH=VALUE    change one scenario value before validation\n"
    "  -o, --output FILE   result file (default: out/NAME-select.h5, NAME the scenario's\n"
    "                      name)\n"
    "  -q, --quiet         no progress and no lines\n"
    "\n"
    "SIGINT or SIGTERM stops it with nothing written (exit 130 / 143).\n";

enum { OPT_METRIC = 256, OPT_MIN, OPT_MAX, OPT_DELTA, OPT_PCS, OPT_POLICY, OPT_N0, OPT_MAXREPS,
       OPT_THREADS, OPT_SEED, OPT_SET };

static const struct option options[] = {
    {"output", required_argument, NULL, 'o'},
    {"quiet", no_argument, NULL, 'q'},
    {"metric", required_argument, NULL, OPT_METRIC},
    {"minimize", no_argument, NULL, OPT_MIN},
    {"maximize", no_argument, NULL, OPT_MAX},
    {"delta", required_argument, NULL, OPT_DELTA},
    {"pcs", required_argument, NULL, OPT_PCS},
    {"policy", required_argument, NULL, OPT_POLICY},
    {"n0", required_argument, NULL, OPT_N0},
    {"max-reps", required_argument, NULL, OPT_MAXREPS},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"set", required_argument, NULL, OPT_SET},
    {NULL, 0, NULL, 0},
};

typedef struct select_args {
  gp_plan_spec plan;
  gp_select_spec spec;
  const char **sets;  /* --set values (argc slots) */
  const char *out;    /* NULL = out/NAME-select.h5 */
  int metric;         /* -1 = not given */
  int direction;      /* 0 = not given; 1 minimise; 2 maximise */
  int threads;        /* 0 = all cores */
  int quiet;
} select_args;

static int parse(int argc, char **argv, select_args *a) {
  int c, nsets = 0;
  long long v;
  char *end;
  while ((c = gp_cli_getopt("select", argc, argv, "o:q", options)) != -1) {
    switch (c) {
    case 'o': a->out = optarg; break;
    case 'q': a->quiet = 1; break;
    case OPT_METRIC:
      if ((a->metric = gp_stat_index(optarg)) < 0) {
        char what[256];
        snprintf(what, sizeof what, "--metric: no summary metric \"%s\"", optarg);
        return gp_cli_metric_error("select", what);
      }
      break;
    case OPT_MIN:
    case OPT_MAX:
      if (a->direction && a->direction != (c == OPT_MIN ? 1 : 2))
        return gp_cli_usage_error("select", "--minimize and --maximize: one of them, not both");
      a->direction = c == OPT_MIN ? 1 : 2;
      break;
    case OPT_DELTA:
      a->spec.delta = strtod(optarg, &end);
      if (end == optarg || *end || !(a->spec.delta > 0) || !isfinite(a->spec.delta))
        return gp_cli_usage_error("select", "--delta: expected a number > 0, found \"%s\"",
                                  optarg);
      break;
    case OPT_PCS:
      if (gp_cli_fraction("select", "--pcs", optarg, &a->spec.pcs)) return GP_EX_USAGE;
      break;
    case OPT_POLICY: a->plan.policies = optarg; break;
    case OPT_N0:
      if (gp_cli_int("select", "--n0", optarg, 2, 100000, &v)) return GP_EX_USAGE;
      a->spec.n0 = (int)v;
      break;
    case OPT_MAXREPS:
      if (gp_cli_int("select", "--max-reps", optarg, 2, 10000000, &v)) return GP_EX_USAGE;
      a->spec.max_reps = (int)v;
      break;
    case OPT_THREADS:
      if (gp_cli_int("select", "--threads", optarg, 1, 4096, &v)) return GP_EX_USAGE;
      a->threads = (int)v;
      break;
    case OPT_SEED:
      if (gp_cli_int("select", "--seed", optarg, 0, (long long)1 << 53, &a->plan.ov.seed))
        return GP_EX_USAGE;
      break;
    case OPT_SET: a->sets[nsets++] = optarg; break;
    default: return GP_EX_USAGE;
    }
  }
  a->plan.ov.sets = a->sets;
  a->plan.ov.nsets = nsets;
  if (optind < argc) a->plan.path = argv[optind];
  if (optind + 1 < argc)
    return gp_cli_usage_error("select", "one scenario at a time (also got %s)", argv[optind + 1]);
  if (a->metric < 0) return gp_cli_usage_error("select", "--metric: which metric to select on");
  if (!a->direction)
    return gp_cli_usage_error("select", "--minimize or --maximize: which way is better");
  if (!(a->spec.delta > 0))
    return gp_cli_usage_error("select", "--delta: the indifference zone, in the metric's unit");
  int n0 = a->spec.n0 ? a->spec.n0 : GP_SELECT_N0;
  if (a->spec.max_reps && a->spec.max_reps < n0)
    return gp_cli_usage_error("select", "--max-reps %d is below the first stage --n0 %d",
                              a->spec.max_reps, n0);
  a->spec.maximize = a->direction == 2;
  return 0;
}

/* One updating line on a terminal: replications, policies still in, cost,
 * policy-replications a second. */
static void show_progress(void *ctx, int reps, int survivors, int k, long long cost,
                          double seconds) {
  (void)ctx;
  fprintf(stderr, "\r  replication %d  policies still in %d/%d  cost %lld  %.1f replications/s   ",
          reps, survivors, k, cost, seconds > 0 ? (double)cost / seconds : 0);
  fflush(stderr);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int gp_cmd_select(int argc, char **argv) {
  select_args a;
  memset(&a, 0, sizeof a);
  gp_overrides none = GP_OVERRIDES_NONE;
  a.plan.ov = none;
  a.plan.ov.detail = 0;
  a.metric = -1;
  gp_stat_count();
  gp_err err;
  gp_err_clear(&err);
  a.sets = calloc((size_t)argc, sizeof *a.sets);
  if (!a.sets) {
    GP_ERR_NOMEM(&err);
    return gp_cli_fail(&err);
  }
  int rc = parse(argc, argv, &a);
  gp_plan *plan = NULL;
  if (!rc && !(plan = gp_plan_load(&a.plan, &err))) rc = gp_cli_fail(&err);
  if (!rc && gp_plan_swept(plan))
    rc = gp_cli_usage_error("select", "the scenario has a \"sweep\": select runs one scenario");
  if (!rc && plan->points[0].s->npolicies < 2)
    rc = gp_cli_usage_error("select", "%d policy: select needs at least 2 (see --policy)",
                            plan->points[0].s->npolicies);
  char defpath[600];
  if (!rc && !a.out) {
    if (snprintf(defpath, sizeof defpath, "out/%s-select.h5", plan->base->name) >=
        (int)sizeof defpath)
      rc = gp_cli_usage_error("select", "the scenario's name is too long for a file name");
    a.out = defpath;
  }
  /* The output can be written (out/ made when missing), before any work. */
  if (!rc && gp_par_rank() == 0 && gp_writer_check(a.out, a.plan.path, &err))
    rc = gp_cli_fail(&err);
  rc = gp_par_bcast(rc);
  gp_select_result res;
  memset(&res, 0, sizeof res);
  if (!rc) {
    int threads = a.threads > 0 ? a.threads : gp_par_cores();
    /* A batch per stage for every worker: the result does not depend on it. */
    a.spec.batch = threads * gp_par_size();
    int progress = !a.quiet && isatty(2) && gp_par_rank() == 0;
    a.spec.progress = progress ? show_progress : NULL;
    double t0 = now();
    if (gp_select_plan(plan, a.metric, threads, &a.spec, &res, &err)) rc = gp_cli_fail_whole(&err);
    if (progress) fputc('\n', stderr);
    gp_selectout o = {plan, a.metric, &a.spec, &res, now() - t0};
    if (!rc && gp_par_rank() == 0) {
      if (gp_selectout_write(a.out, &o, &err)) rc = gp_cli_fail_whole(&err);
      else if (!a.quiet) gp_selectout_summary(stdout, &o, a.out);
      if (!rc && !res.guaranteed) {
        if (a.quiet)
          fprintf(stderr, "gpuplan select: not guaranteed: the cap of %d replications was reached "
                          "with several policies still in\n",
                  res.max_reps);
        rc = SELECT_EX_NOT_GUARANTEED;
      }
    }
    rc = gp_par_bcast(rc);
  }
  if (!rc && fflush(stdout) != 0) rc = GP_EX_IOERR;
  gp_select_result_free(&res);
  gp_plan_free(plan);
  free(a.sets);
  return rc;
}
