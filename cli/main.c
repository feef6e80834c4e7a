/*
 * cli/main.c - the gpuplan command line.
 *
 * The only place that prints errors and decides exit codes (sysexits: 0 ok,
 * 64 usage, 65 bad scenario or data, 66 input missing, 73 cannot create
 * output, 74 I/O error).  Library code reports through gp_err.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "analysis/compare.h"
#include "analysis/export.h"
#include "analysis/plot.h"
#include "analysis/report.h"
#include "models/experiment/experiment.h"
#include "models/results/h5out.h"
#include "models/replay/replay.h"
#include "models/experiment/plan.h"
#include "models/experiment/sweep.h"
#include "models/rules/policy.h"
#include "models/scenario/scenario.h"
#include "sim/interrupt.h"
#include "sim/par.h"
#include "sim/version.h"

static const char usage_main[] =
    "usage: gpuplan COMMAND [ARGS]\n"
    "\n"
    "Capacity planning for a national GPU allocation programme: a discrete-event\n"
    "simulation of the GPU roadmap, proposal demand, review and allocation rules.\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO]     run a scenario (default: the built-in baseline) into one HDF5 file\n"
    "  validate FILE...   check scenario files without running them\n"
    "  policies           list the allocation rules a scenario can name\n"
    "  compare FILE.h5    paired comparison of the policies in a result file\n"
    "  export FILE.h5     CSV files of a result file, for spreadsheets\n"
    "  plot FILE.h5       charts of a result file (needs gnuplot)\n"
    "  report FILE.h5     one self-contained HTML page: roadmap risk, policy comparison, verdicts, charts\n"
    "  replay TRACE       replay a workload trace (SWF or CSV) under fcfs, easy or conservative\n"
    "\n"
    "  gpuplan COMMAND --help   help on one command\n"
    "  gpuplan --version        print the version\n"
    "\n"
    "Exit status: 0 ok, 64 usage, 65 bad scenario or data, 66 input missing,\n"
    "69 gnuplot missing, 73 cannot create output, 74 I/O error.\n"
    "Formats: scenarios/README.md (input), docs/output.md (results).\n";

static const char usage_run[] =
    "usage: gpuplan run [SCENARIO] [-o FILE.h5] [--reps N] [--seed S] [--policy NAME,...]\n"
    "                   [--threads K] [--detail K] [--set PATH=VALUE]... [--sweep SPEC]...\n"
    "                   [--precision R [--max-reps N]] [--quiet]\n"
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
    "                      --set demand.streams[0].rate_per_day=7.6 (VALUE is JSON, or a string)\n"
    "  --sweep PATH=FROM:TO:STEP, --sweep PATH=V1,V2,...\n"
    "                      run a grid of values (with the scenario's \"sweep\" block, if any);\n"
    "                      each point goes to /points/K in the file\n"
    "  --precision R       add replications, in batches of the first run's size, until the\n"
    "                      95%% half-width of mean_days_to_gpu, acceptance_rate and\n"
    "                      utilization is below R x their mean (e.g. 0.02), or --max-reps\n"
    "  --max-reps N        cap for --precision (default 1000)\n"
    "  -q, --quiet         no progress and no summary table\n"
    "\n"
    "SIGINT or SIGTERM stops the run within a second and writes the replications\n"
    "finished so far, marked complete = false (exit 130 / 143); a second signal\n"
    "stops at once.\n";

static const char usage_validate[] =
    "usage: gpuplan validate SCENARIO...\n"
    "\n"
    "Check scenario files without running them.  Prints \"FILE: ok\" per good file;\n"
    "for a bad one, one line FILE:LINE:COL: json.path: expected ..., found ... and\n"
    "exit status 65 (66 when a file cannot be read).\n";

static const char usage_compare[] =
    "usage: gpuplan compare FILE.h5 [--baseline POLICY] [--all] [--point K]\n"
    "\n"
    "Print each policy's mean and 95% confidence half-width per summary metric, and\n"
    "the paired difference of every other policy against the baseline (default: the\n"
    "first policy) with its 95% interval; * marks an interval that excludes 0.\n"
    "Every policy of a replication saw the same world, so the differences are paired.\n"
    "\n"
    "  --baseline P   compare against policy P\n"
    "  --all          every summary metric, not only the key ones\n"
    "  --point K      sweep point K (default 0) of a file written with a sweep\n";

static const char usage_policies[] =
    "usage: gpuplan policies\n"
    "\n"
    "List the selection and scheduling rules a scenario's \"policies\" can name.\n";

static int want_help(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
  return 0;
}

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "gpuplan %s: ", cmd);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\nTry 'gpuplan %s --help'.\n", cmd);
  va_end(ap);
  return GP_EX_USAGE;
}

static int parse_count(const char *cmd, const char *opt, const char *s, long long min, long long max,
                       long long *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end || v < min || v > max) {
    fprintf(stderr, "gpuplan %s: %s: expected an integer in [%lld, %lld], found \"%s\"\n", cmd, opt,
            min, max, s);
    return -1;
  }
  *out = v;
  return 0;
}

/* Print the error (rank 0 only under MPI: every rank meets the same
 * scenario error, and rank 0 collects run errors from the others). */
static int report(const gp_err *err) {
  if (gp_par_rank() == 0) fprintf(stderr, "%s\n", err->msg);
  return err->code ? err->code : GP_EX_SOFTWARE;
}

/* One updating line on a terminal: replications done, rate, time left. */
static void show_progress(void *ctx, int done, int total, double secs, int final) {
  (void)ctx;
  double rate = secs > 0 ? done / secs : 0;
  double left = rate > 0 ? (total - done) / rate : 0;
  fprintf(stderr, "\r  replications %d/%d  %.1f/s  %.0f s left   ", done, total, rate, left);
  if (final) fputc('\n', stderr);
  fflush(stderr);
}

static int cmd_run(int argc, char **argv) {
  if (want_help(argc, argv)) return fputs(usage_run, stdout), 0;
  const char *out = NULL;
  long long threads = 0, max_reps = 1000;
  double precision = 0;
  int quiet = 0;
  gp_plan_spec spec = {NULL, GP_OVERRIDES_NONE, NULL, 0, NULL};
  const char **sets = calloc((size_t)argc, sizeof *sets);
  const char **sweeps = calloc((size_t)argc, sizeof *sweeps);
  gp_plan *plan = NULL;
  int nsets = 0, nsweeps = 0, rc = GP_EX_USAGE;
  gp_err err;
  gp_err_clear(&err);
  if (!sets || !sweeps) {
    rc = GP_EX_OSERR;
    goto done;
  }
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    int takes = strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 || strcmp(a, "--reps") == 0 ||
                strcmp(a, "--seed") == 0 || strcmp(a, "--policy") == 0 ||
                strcmp(a, "--threads") == 0 || strcmp(a, "--detail") == 0 ||
                strcmp(a, "--set") == 0 || strcmp(a, "--sweep") == 0 ||
                strcmp(a, "--precision") == 0 || strcmp(a, "--max-reps") == 0;
    if (takes && !v) {
      usage_error("run", "%s needs a value", a);
      goto done;
    }
    if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) out = v, i++;
    else if (strcmp(a, "--reps") == 0) {
      if (parse_count("run", a, v, 1, 1000000, &spec.ov.reps)) goto done;
      i++;
    } else if (strcmp(a, "--seed") == 0) {
      if (parse_count("run", a, v, 0, (long long)1 << 53, &spec.ov.seed)) goto done;
      i++;
    } else if (strcmp(a, "--detail") == 0) {
      if (parse_count("run", a, v, -1, 100000000, &spec.ov.detail)) goto done;
      i++;
    } else if (strcmp(a, "--threads") == 0) {
      if (parse_count("run", a, v, 1, 4096, &threads)) goto done;
      i++;
    } else if (strcmp(a, "--max-reps") == 0) {
      if (parse_count("run", a, v, 2, 1000000, &max_reps)) goto done;
      i++;
    } else if (strcmp(a, "--precision") == 0) {
      char *end;
      precision = strtod(v, &end);
      if (end == v || *end || !(precision > 0 && precision < 1)) {
        usage_error("run", "--precision: expected a fraction in (0, 1), found \"%s\"", v);
        goto done;
      }
      i++;
    } else if (strcmp(a, "--policy") == 0) spec.policies = v, i++;
    else if (strcmp(a, "--set") == 0) sets[nsets++] = v, i++;
    else if (strcmp(a, "--sweep") == 0) sweeps[nsweeps++] = v, i++;
    else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) quiet = 1;
    else if (a[0] == '-' && a[1]) {
      usage_error("run", "unknown option %s", a);
      goto done;
    } else if (spec.path) {
      usage_error("run", "one scenario at a time (also got %s)", a);
      goto done;
    } else spec.path = a;
  }
  spec.ov.sets = sets;
  spec.ov.nsets = nsets;
  spec.sweeps = sweeps;
  spec.nsweeps = nsweeps;
  plan = gp_plan_load(&spec, &err);
  if (!plan) goto report;
  char defpath[600];
  if (!out) {
    if (mkdir("out", 0777) != 0 && errno != EEXIST) {
      fprintf(stderr, "out: cannot create directory: %s\n", strerror(errno));
      rc = GP_EX_CANTCREAT;
      goto done;
    }
    snprintf(defpath, sizeof defpath, "out/%s.h5", plan->base->name);
    out = defpath;
  }
  /* Progress only when a person is watching: stdout and stderr on a
   * terminal, and one process (ranks would each show their own share). */
  int progress = !quiet && isatty(1) && isatty(2) && gp_par_size() == 1;
  gp_experiment_opts o = {out, (int)threads, precision, (int)max_reps, quiet ? NULL : stdout,
                          progress ? show_progress : NULL, NULL};
  rc = gp_experiment_run(plan, &o, &err) == 0 ? 0 : report(&err);
  goto done;
report:
  rc = report(&err);
done:
  gp_plan_free(plan);
  free(sets);
  free(sweeps);
  return rc;
}

static int cmd_validate(int argc, char **argv) {
  if (want_help(argc, argv)) return fputs(usage_validate, stdout), 0;
  if (argc < 2) return usage_error("validate", "%s", "expected at least one scenario file");
  int rc = 0;
  for (int i = 1; i < argc; i++) {
    gp_err err;
    gp_err_clear(&err);
    gp_scenario *s = gp_scenario_load(argv[i], NULL, &err);
    if (!s) {
      int r = report(&err);
      if (!rc) rc = r;
      continue;
    }
    printf("%s: ok (\"%s\": %d tranche%s, %d call%s, %d stream%s, %d designation%s, %d polic%s, "
           "%d replication%s)\n",
           argv[i], s->name, s->ntranches, s->ntranches == 1 ? "" : "s", s->ncalls,
           s->ncalls == 1 ? "" : "s", s->nstreams, s->nstreams == 1 ? "" : "s", s->ndesignated,
           s->ndesignated == 1 ? "" : "s", s->npolicies, s->npolicies == 1 ? "y" : "ies",
           s->replications, s->replications == 1 ? "" : "s");
    gp_scenario_free(s);
  }
  return rc;
}

static int cmd_compare(int argc, char **argv) {
  if (want_help(argc, argv)) return fputs(usage_compare, stdout), 0;
  const char *file = NULL;
  gp_compare_opts o = {NULL, 0, -1};
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--baseline") == 0) {
      if (i + 1 >= argc) return usage_error("compare", "--baseline needs a policy name");
      o.baseline = argv[++i];
    } else if (strcmp(argv[i], "--all") == 0) {
      o.all = 1;
    } else if (strcmp(argv[i], "--point") == 0) {
      long long k;
      if (i + 1 >= argc) return usage_error("compare", "--point needs a number");
      if (parse_count("compare", "--point", argv[++i], 0, GP_SWEEP_MAX_POINTS, &k)) return GP_EX_USAGE;
      o.point = (int)k;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      return usage_error("compare", "unknown option %s", argv[i]);
    } else if (file) {
      return usage_error("compare", "one file at a time (also got %s)", argv[i]);
    } else {
      file = argv[i];
    }
  }
  if (!file) return usage_error("compare", "%s", "expected a result file");
  gp_err err;
  gp_err_clear(&err);
  return gp_compare_print(stdout, file, &o, &err) == 0 ? 0 : report(&err);
}

static void print_params(const gp_param *p) {
  for (; p && p->name; p++)
    printf("  %14s   %s = %g (%g to %g): %s\n", "", p->name, p->def, p->min, p->max, p->doc);
}

static int cmd_policies(int argc, char **argv) {
  if (want_help(argc, argv)) return fputs(usage_policies, stdout), 0;
  if (argc > 1) return usage_error("policies", "unexpected argument %s", argv[1]);
  printf("selection rules (who is accepted; \"selection\" in a policy):\n");
  for (int i = 0; gp_selection_types[i]; i++) {
    printf("  %-14s %s\n", gp_selection_types[i]->name, gp_selection_types[i]->doc);
    print_params(gp_selection_types[i]->params);
  }
  printf("scheduling rules (when and where accepted projects start; \"scheduling\"):\n");
  for (int i = 0; gp_scheduling_types[i]; i++) {
    printf("  %-14s %s\n", gp_scheduling_types[i]->name, gp_scheduling_types[i]->doc);
    print_params(gp_scheduling_types[i]->params);
  }
  printf("\nParameters go in the policy's \"params\" object, e.g.\n"
         "  {\"name\": \"quota-50-30-20\", \"selection\": \"quota\", \"params\": {\"redistribute\": 0}}\n");
  return 0;
}

static int dispatch(int argc, char **argv);

/* The first SIGINT or SIGTERM asks the run to stop and keep what is done;
 * a second one stops at once. */
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

static int dispatch(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage_main, stderr);
    return GP_EX_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    if (argc > 2 && strcmp(cmd, "help") == 0) {
      char *args[] = {argv[2], "--help", NULL};
      if (strcmp(argv[2], "run") == 0) return cmd_run(2, args);
      if (strcmp(argv[2], "validate") == 0) return cmd_validate(2, args);
      if (strcmp(argv[2], "policies") == 0) return cmd_policies(2, args);
      if (strcmp(argv[2], "compare") == 0) return cmd_compare(2, args);
      if (strcmp(argv[2], "export") == 0) return gp_export_main(2, args);
      if (strcmp(argv[2], "plot") == 0) return gp_plot_main(2, args);
      if (strcmp(argv[2], "report") == 0) return gp_report_main(2, args);
      if (strcmp(argv[2], "replay") == 0) return gp_replay_main(2, args);
    }
    fputs(usage_main, stdout);
    return 0;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
#ifdef GP_MPI
    printf("gpuplan %s (MPI)\n", GP_VERSION);
#else
    printf("gpuplan %s\n", GP_VERSION);
#endif
    return 0;
  }
  if (strcmp(cmd, "run") == 0) return cmd_run(argc - 1, argv + 1);
  if (strcmp(cmd, "validate") == 0) return cmd_validate(argc - 1, argv + 1);
  if (strcmp(cmd, "policies") == 0) return cmd_policies(argc - 1, argv + 1);
  if (strcmp(cmd, "compare") == 0) return cmd_compare(argc - 1, argv + 1);
  if (strcmp(cmd, "export") == 0) return gp_export_main(argc - 1, argv + 1);
  if (strcmp(cmd, "plot") == 0) return gp_plot_main(argc - 1, argv + 1);
  if (strcmp(cmd, "report") == 0) return gp_report_main(argc - 1, argv + 1);
  if (strcmp(cmd, "replay") == 0) return gp_replay_main(argc - 1, argv + 1);
  fprintf(stderr, "gpuplan: unknown command \"%s\"\n", cmd);
  fputs(usage_main, stderr);
  return GP_EX_USAGE;
}
