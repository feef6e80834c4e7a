/*
 * cli/run.c - `gpuplan run`: a scenario's plan through the experiment, into
 * one HDF5 file, with progress and a summary table.
 *
 * The options become a gp_plan_spec (what to run) and gp_experiment_opts
 * (how); everything else is models/experiment/'s.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "models/experiment/design.h"
#include "models/experiment/experiment.h"
#include "models/experiment/plan.h"
#include "sim/par.h"

const char gp_cmd_run_usage[] =
    "usage: gpuplan run [SCENARIO] [-o FILE.h5] [--reps N] [--seed S] [--policy NAME,...]\n"
    "                   [--threads K] [--detail K] [--set PATH=VALUE]... [--sweep SPEC]...\n"
    "                   [--precision R [--max-reps N]] [--uncertain [--design sobol|lhs]]\n"
    "                   [--wide] [--quiet]\n"
    "\n"
    "Run every policy of SCENARIO (default: the built-in 2026-2028 baseline) for every\n"
    "replication, write one HDF5 file and print a summary table per policy.\n"
    "\n"
    "  -o, --output FILE   result file (default: out/NAME.h5, NAME the scenario's name);\n"
    "                      written to a temporary file and renamed when complete\n"
    "  --reps N            replications (default: the scenario's \"replications\")\n"
    "  --seed S            base random seed (default: the scenario's \"seed\")\n"
    "  --policy A,B        run only these of the scenario's policies\n"
    "  --threads K         worker threads (default: all cores); results do not depend on K\n"
    "  --detail K          keep per-proposal rows and time series for the first K\n"
    "                      replications only (default: the scenario's\n"
    "                      output.detail_replications, else 10; -1: all); statistics\n"
    "                      always use all replications\n"
    "  --set PATH=VALUE    change one scenario value before validation, e.g.\n"
    "                      --set end=2030-12-31 (VALUE: JSON if all of it is, else a string)\n"
    "  --sweep PATH=FROM:TO:STEP, PATH=V1,V2,... or PATH=[JSON, ...]\n"
    "                      run a grid of values (with the scenario's \"sweep\" block, if any);\n"
    "                      each point goes to /points/K in the file\n"
    "  --precision R       add replications, in batches of the first run's size, until the\n"
    "                      95% half-width of mean_days_to_gpu, acceptance_rate and\n"
    "                      utilization is below R x their mean (e.g. 0.02), or --max-reps\n"
    "  --max-reps N        cap for --precision (default 1000); only with --precision\n"
    "  --uncertain         two levels: each replication draws the scenario's \"uncertain\"\n"
    "                      values once (--design: sobol, the default, or lhs; lhs cannot\n"
    "                      grow with --precision) and plays every policy on that world;\n"
    "                      the values go to /uncertain\n"
    "  --wide              the summary table one line per metric, every policy on it,\n"
    "                      however wide (default: within 100 columns, the policies in\n"
    "                      blocks, a name longer than a column as #P, listed above)\n"
    "  -q, --quiet         no progress and no summary table\n"
    "\n"
    "Progress goes to stderr when it is a terminal (also under `run | tee log`); with\n"
    "--precision it shows the worst precision reached so far and the cap.\n"
    "\n"
    "SIGINT or SIGTERM stops the run within a second and writes the replications\n"
    "finished so far, marked complete = false; a second signal stops at once.\n";

/* Codes of the options without a short form. */
enum { OPT_REPS = 256, OPT_SEED, OPT_POLICY, OPT_THREADS, OPT_DETAIL, OPT_SET, OPT_SWEEP,
       OPT_PRECISION, OPT_MAX_REPS, OPT_UNCERTAIN, OPT_DESIGN, OPT_WIDE };

static const struct option options[] = {
    {"output", required_argument, NULL, 'o'},
    {"quiet", no_argument, NULL, 'q'},
    {"reps", required_argument, NULL, OPT_REPS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"policy", required_argument, NULL, OPT_POLICY},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"detail", required_argument, NULL, OPT_DETAIL},
    {"set", required_argument, NULL, OPT_SET},
    {"sweep", required_argument, NULL, OPT_SWEEP},
    {"precision", required_argument, NULL, OPT_PRECISION},
    {"max-reps", required_argument, NULL, OPT_MAX_REPS},
    {"uncertain", no_argument, NULL, OPT_UNCERTAIN},
    {"design", required_argument, NULL, OPT_DESIGN},
    {"wide", no_argument, NULL, OPT_WIDE},
    {NULL, 0, NULL, 0},
};

/* What the command line asked for. */
typedef struct run_args {
  gp_plan_spec spec;
  const char *out;         /* NULL = out/NAME.h5 */
  long long threads;       /* 0 = all cores */
  long long max_reps;
  double precision;        /* 0 = none */
  int max_reps_given;      /* --max-reps was given: it needs --precision */
  int quiet;
  int wide;                /* --wide: the summary one line per metric */
  int uncertain;           /* --uncertain: a two-level plan (models/experiment/design.h) */
  int design;              /* its gp_design_kind; -1 = not given (sobol) */
  const char **sets;       /* --set values, in order (argc slots) */
  const char **sweeps;     /* --sweep values, in order (argc slots) */
} run_args;

/* Fill A from ARGV; 0, or an exit status after the message. */
static int parse(int argc, char **argv, run_args *a) {
  int c, nsets = 0, nsweeps = 0;
  while ((c = gp_cli_getopt("run", argc, argv, "o:q", options)) != -1) {
    switch (c) {
    case 'o': a->out = optarg; break;
    case 'q': a->quiet = 1; break;
    case OPT_WIDE: a->wide = 1; break;
    case OPT_REPS:
      if (gp_cli_int("run", "--reps", optarg, 1, 1000000, &a->spec.ov.reps)) return GP_EX_USAGE;
      break;
    case OPT_SEED:
      if (gp_cli_int("run", "--seed", optarg, 0, (long long)1 << 53, &a->spec.ov.seed))
        return GP_EX_USAGE;
      break;
    case OPT_DETAIL:
      if (gp_cli_int("run", "--detail", optarg, -1, 100000000, &a->spec.ov.detail))
        return GP_EX_USAGE;
      break;
    case OPT_THREADS:
      if (gp_cli_int("run", "--threads", optarg, 1, 4096, &a->threads)) return GP_EX_USAGE;
      break;
    case OPT_MAX_REPS:
      if (gp_cli_int("run", "--max-reps", optarg, 2, 1000000, &a->max_reps)) return GP_EX_USAGE;
      a->max_reps_given = 1;
      break;
    case OPT_PRECISION:
      if (gp_cli_fraction("run", "--precision", optarg, &a->precision)) return GP_EX_USAGE;
      break;
    case OPT_POLICY: a->spec.policies = optarg; break;
    case OPT_UNCERTAIN: a->uncertain = 1; break;
    case OPT_DESIGN:
      for (a->design = 0; gp_design_kind_names[a->design]; a->design++)
        if (strcmp(optarg, gp_design_kind_names[a->design]) == 0) break;
      if (!gp_design_kind_names[a->design])
        return gp_cli_usage_error("run", "--design: expected sobol or lhs, found \"%s\"", optarg);
      break;
    case OPT_SET: a->sets[nsets++] = optarg; break;
    case OPT_SWEEP: a->sweeps[nsweeps++] = optarg; break;
    default: return GP_EX_USAGE;
    }
  }
  if (a->design >= 0 && !a->uncertain)
    return gp_cli_usage_error("run", "--design: only with --uncertain");
  /* A cap without a target would be silently ignored. */
  if (a->max_reps_given && !(a->precision > 0))
    return gp_cli_usage_error("run", "--max-reps caps --precision, which is not given");
  if (optind < argc) a->spec.path = argv[optind];
  if (optind + 1 < argc)
    return gp_cli_usage_error("run", "one scenario at a time (also got %s)", argv[optind + 1]);
  a->spec.ov.sets = a->sets;
  a->spec.ov.nsets = nsets;
  a->spec.sweeps = a->sweeps;
  a->spec.nsweeps = nsweeps;
  return 0;
}

/* One updating line on a terminal: replications done, rate, and time left
 * or, with a precision target, the precision reached and the cap. */
static void show_progress(void *ctx, const gp_workers_status *s) {
  (void)ctx;
  double rate = s->seconds > 0 ? s->done / s->seconds : 0;
  double left = rate > 0 ? (s->total - s->done) / rate : 0;
  fprintf(stderr, "\r  replications %d/%d  %.1f/s", s->done, s->total, rate);
  if (s->target > 0 && isnan(s->precision))
    fprintf(stderr, "  precision: known after the first batch (target %.4g, cap %d)", s->target,
            s->cap);
  else if (s->target > 0)
    fprintf(stderr, "  worst precision %.4f (target %.4g, cap %d)", s->precision, s->target,
            s->cap);
  else
    fprintf(stderr, "  %.0f s left", left);
  fputs("   ", stderr);
  if (s->final) fputc('\n', stderr);
  fflush(stderr);
}

/* The default result file out/NAME.h5 into BUF (out/ created if missing). */
static int default_output(const gp_plan *plan, char *buf, size_t size) {
  if (mkdir("out", 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "out: cannot create directory: %s\n", strerror(errno));
    return GP_EX_CANTCREAT;
  }
  snprintf(buf, size, "out/%s.h5", plan->base->name);
  return 0;
}

int gp_cmd_run(int argc, char **argv) {
  run_args a = {{NULL, GP_OVERRIDES_NONE, NULL, 0, NULL}, NULL, 0, 1000, 0, 0, 0, 0, 0, -1, NULL, NULL};
  a.sets = calloc((size_t)argc, sizeof *a.sets);
  a.sweeps = calloc((size_t)argc, sizeof *a.sweeps);
  gp_plan *plan = NULL;
  char defpath[600];
  gp_err err;
  gp_err_clear(&err);
  int rc;
  if (!a.sets || !a.sweeps) {
    GP_ERR_NOMEM(&err);
    rc = gp_cli_fail(&err);
  } else {
    rc = parse(argc, argv, &a);
  }
  if (!rc && !(plan = a.uncertain ? gp_design_plan(&a.spec, a.design < 0 ? GP_DESIGN_SOBOL
                                                                          : (gp_design_kind)a.design,
                                                   &err)
                                  : gp_plan_load(&a.spec, &err)))
    rc = gp_cli_fail(&err);
  if (!rc && !a.out) {
    rc = default_output(plan, defpath, sizeof defpath);
    a.out = defpath;
  }
  if (!rc) {
    /* Progress goes to stderr whenever it is a terminal, whatever stdout
     * is (issue 17, item 8: `run | tee log` showed none, as this asked
     * stdout to be one too); one process only (each rank sees only its own
     * share). */
    int progress = !a.quiet && isatty(2) && gp_par_size() == 1;
    gp_experiment_opts o = {a.out,
                            (int)a.threads,
                            a.precision,
                            (int)a.max_reps,
                            a.quiet ? NULL : stdout,
                            progress ? show_progress : NULL,
                            NULL,
                            a.wide};
    if (gp_experiment_run(plan, &o, &err)) rc = gp_cli_fail(&err);
  }
  gp_plan_free(plan);
  free(a.sets);
  free(a.sweeps);
  return rc;
}
