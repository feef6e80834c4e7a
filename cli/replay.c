/*
 * cli/replay.c - `gpuplan replay`: a job trace replayed on one cluster
 * under fcfs, EASY or conservative backfilling (models/replay/replay.h);
 * the figures on stdout, the jobs in an HDF5 file with -o.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "models/replay/replay.h"
#include "sim/escape.h"

const char gp_cmd_replay_usage[] =
    "usage: gpuplan replay TRACE --policy fcfs|easy|conservative [--gpus N]\n"
    "                      [--gpus-per-node K] [-o FILE.h5] [-q]\n"
    "       gpuplan replay --jobs-csv FILE --policy RULE --gpus N [...]\n"
    "\n"
    "Replay a job trace on one cluster of N GPUs under a scheduling rule and print\n"
    "jobs replayed and skipped, mean wait, mean bounded slowdown, utilization and\n"
    "makespan.  TRACE is a Standard Workload Format file (.swf or .swf.gz), or a CSV\n"
    "list of jobs when its name ends in .csv (docs/replay.md).\n"
    "\n"
    "  --policy RULE        fcfs (strict submission order), easy (EASY backfilling)\n"
    "                       or conservative (conservative backfilling)\n"
    "  --gpus N             GPUs in the cluster (default: the SWF header's MaxProcs,\n"
    "                       else MaxNodes); jobs asking more are skipped\n"
    "  --gpus-per-node K    round each job up to whole nodes of K GPUs (N must be a\n"
    "                       multiple of K; default 1)\n"
    "  --jobs-csv FILE      read FILE as a CSV list of jobs (columns id, submit,\n"
    "                       runtime, estimate, gpus; header row required)\n"
    "  -o, --output FILE    write one row per job and the figures to an HDF5 file\n"
    "  -q, --quiet          no progress line (shown on a terminal, on stderr, while\n"
    "                       a replay takes more than a second)\n";

enum { OPT_POLICY = 256, OPT_GPUS, OPT_GPUS_PER_NODE, OPT_JOBS_CSV };

static const struct option options[] = {
    {"policy", required_argument, NULL, OPT_POLICY},
    {"gpus", required_argument, NULL, OPT_GPUS},
    {"gpus-per-node", required_argument, NULL, OPT_GPUS_PER_NODE},
    {"jobs-csv", required_argument, NULL, OPT_JOBS_CSV},
    {"output", required_argument, NULL, 'o'},
    {"quiet", no_argument, NULL, 'q'},
    {NULL, 0, NULL, 0},
};

/* What the command line asked for. */
typedef struct replay_args {
  const char *trace, *csv, *out, *policy;
  long long gpus;     /* 0 = from the trace's header */
  long long per_node;
  int quiet;
} replay_args;

static int parse(int argc, char **argv, replay_args *a) {
  int c;
  while ((c = gp_cli_getopt("replay", argc, argv, "o:q", options)) != -1) {
    switch (c) {
    case OPT_GPUS:
      if (gp_cli_int("replay", "--gpus", optarg, 1, INT32_MAX, &a->gpus)) return GP_EX_USAGE;
      break;
    case OPT_GPUS_PER_NODE:
      if (gp_cli_int("replay", "--gpus-per-node", optarg, 1, INT32_MAX, &a->per_node))
        return GP_EX_USAGE;
      break;
    case OPT_POLICY: a->policy = optarg; break;
    case OPT_JOBS_CSV: a->csv = optarg; break;
    case 'q': a->quiet = 1; break;
    case 'o':
      a->out = optarg;
      if (!a->out[0]) return gp_cli_usage_error("replay", "-o: empty file name");
      break;
    default: return GP_EX_USAGE;
    }
  }
  if (optind < argc) a->trace = argv[optind];
  if (optind + 1 < argc)
    return gp_cli_usage_error("replay", "one trace at a time (also got %s)", argv[optind + 1]);
  if (a->trace && a->csv) return gp_cli_usage_error("replay", "give TRACE or --jobs-csv FILE, not both");
  if (!a->trace && !a->csv)
    return gp_cli_usage_error("replay", "expected a trace file (or --jobs-csv FILE)");
  if (!a->policy)
    return gp_cli_usage_error("replay", "--policy is required: fcfs, easy or conservative");
  return 0;
}

/* The cluster of the options, or else of trace T's header, into O. */
static int cluster(const replay_args *a, const gp_trace *t, gp_replay_opts *o) {
  long long gpus = a->gpus;
  const char *from = "--gpus";
  if (gpus == 0) {
    gpus = t->max_procs > 0 ? t->max_procs : t->max_nodes;
    from = t->max_procs > 0 ? "MaxProcs" : "MaxNodes";
  }
  if (gpus <= 0)
    return gp_cli_usage_error("replay", "%s: %s; give --gpus N", t->name,
                              t->format == GP_TRACE_CSV ? "a CSV list gives no cluster size"
                                                        : "the header gives no MaxProcs or MaxNodes");
  if (gpus % a->per_node != 0)
    return gp_cli_usage_error(
        "replay", "--gpus-per-node %lld: %lld GPUs (%s) are not a whole number of %lld-GPU nodes",
        a->per_node, gpus, from, a->per_node);
  o->gpus = (int)gpus;
  o->gpus_per_node = (int)a->per_node;
  return 0;
}

/* The figures, with every line escaped (sim/escape.h): the trace's name may
 * hold control characters.  0, or -1 with ERR set (out of memory). */
static int print_escaped(const gp_trace *t, const gp_replay_opts *o, const gp_replay_result *r,
                         gp_err *err) {
  char *buf = NULL;
  size_t size = 0;
  FILE *m = open_memstream(&buf, &size);
  if (!m) return GP_ERR_NOMEM(err);
  gp_replay_print(m, t, o, r);
  int rc = fclose(m) == 0 ? 0 : GP_ERR_NOMEM(err);
  if (!rc) gp_escape_lines(buf, stdout);
  free(buf);
  return rc;
}

/* The progress line: jobs started (of the trace's, skipped ones included)
 * and the trace's time, at most twice a second, from the first second on. */
typedef struct progress {
  struct timespec t0;
  double last;  /* seconds since t0 of the last line; < 0 = none yet */
  size_t jobs;  /* jobs replayed */
} progress;

static double since(const progress *p) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - p->t0.tv_sec) + 1e-9 * (double)(t.tv_nsec - p->t0.tv_nsec);
}

static void show_progress(void *ctx, double now, size_t started) {
  progress *p = ctx;
  double s = since(p);
  if (s < 1 || (p->last >= 0 && s - p->last < 0.5)) return;
  p->last = s;
  fprintf(stderr, "\r  started %zu of the trace's %zu jobs, at trace time %.0f s; %.0f s so far   ",
          started, p->jobs, now, s);
  fflush(stderr);
}

int gp_cmd_replay(int argc, char **argv) {
  replay_args a = {NULL, NULL, NULL, NULL, 0, 1, 0};
  int rc = parse(argc, argv, &a);
  if (rc) return rc;
  gp_replay_opts o = {0, 1, GP_REPLAY_NRULES, NULL, NULL};
  for (int k = 0; k < GP_REPLAY_NRULES; k++)
    if (strcmp(a.policy, gp_replay_rule_names[k]) == 0) o.rule = (gp_replay_rule)k;
  if (o.rule == GP_REPLAY_NRULES)
    return gp_cli_usage_error("replay", "--policy: expected fcfs, easy or conservative, found \"%s\"",
                              a.policy);
  /* Where the result file goes is checked before the trace is read. */
  const char *in = a.csv ? a.csv : a.trace;
  if (a.out && gp_cli_same_file(in, a.out))
    return gp_cli_usage_error("replay", "-o %s would overwrite the trace", a.out);
  if (a.out && (rc = gp_cli_out_file(a.out)) != 0) return rc;
  gp_err err;
  gp_err_clear(&err);
  gp_trace *t = a.csv ? gp_jobs_csv_read(a.csv, &err) : gp_trace_read(a.trace, &err);
  if (!t) return gp_cli_fail_whole(&err);
  gp_replay_result r;
  memset(&r, 0, sizeof r);
  rc = cluster(&a, t, &o);
  progress pg = {{0, 0}, -1, t->njobs};
  if (!a.quiet && isatty(2)) {
    clock_gettime(CLOCK_MONOTONIC, &pg.t0);
    o.progress = show_progress;
    o.progress_ctx = &pg;
  }
  if (!rc && gp_replay_run(t, &o, &r, &err) != 0) rc = gp_cli_fail_whole(&err);
  if (pg.last >= 0) fputc('\n', stderr); /* after the progress line */
  /* The file first, then the figures: a closed pipe on stdout (SIGPIPE)
   * cannot cost the file. */
  if (!rc && a.out && gp_replay_write(a.out, t, &o, &r, &err) != 0) rc = gp_cli_fail_whole(&err);
  if (!rc && print_escaped(t, &o, &r, &err) != 0) rc = gp_cli_fail(&err);
  gp_replay_result_free(&r);
  gp_trace_free(t);
  return rc;
}
