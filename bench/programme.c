/*
 * bench/programme.c - a gpuplan scenario through the library, one thread,
 * without HDF5: where the time of a replication goes.
 *
 *     bench/programme NAME SCENARIO [--reps N] [--policy A,B] [--lean] [--set PATH=VALUE]...
 *
 * Loads SCENARIO with the overrides (as `gpuplan run --set` does), then for
 * each replication draws the world (timed; one world redrawn) and plays
 * every policy against it without detail (timed) through one runner, as a worker thread of
 * `gpuplan run` does (the world's review pipeline, node failures and ranking
 * by score, made with the world, count in the world's time).  Prints
 *     NAME-world    proposals/rep   proposals/s   ns/proposal   peak_rss_mib
 *     NAME-run      events/rep      events/s      ns/event      peak_rss_mib
 *     NAME-polrep   policy-reps     policy-reps/s ns/policy-rep peak_rss_mib
 * (the last over world and runs together) and a comment line with the
 * totals.  --lean plays lean runs (gp_runner_set_lean): no tail and equity
 * metrics, as the decision layer's runs when their metrics need none; the
 * comment line says so.
 */
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "models/run/run.h"
#include "models/scenario/scenario.h"

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr,
            "usage: %s NAME SCENARIO [--reps N] [--policy A,B] [--lean] [--set PATH=VALUE]...\n",
            argv[0]);
    return 64;
  }
  const char *name = argv[1], *path = argv[2], *policies = NULL;
  const char **sets = calloc((size_t)argc, sizeof *sets);
  int nsets = 0;
  long long reps = -1;
  int lean = 0;
  for (int i = 3; i < argc; i++) {
    if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
      reps = atoll(argv[++i]);
    else if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc)
      policies = argv[++i];
    else if (strcmp(argv[i], "--lean") == 0)
      lean = 1;
    else if (strcmp(argv[i], "--set") == 0 && i + 1 < argc)
      sets[nsets++] = argv[++i];
    else {
      fprintf(stderr, "%s: unknown argument %s\n", argv[0], argv[i]);
      return 64;
    }
  }
  gp_overrides ov = GP_OVERRIDES_NONE;
  ov.reps = reps;
  ov.detail = 0;
  ov.sets = sets;
  ov.nsets = nsets;
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_load(path, &ov, &err);
  if (!s || (policies && gp_scenario_select_policies(s, policies, &err))) {
    fprintf(stderr, "%s\n", err.msg);
    return err.code ? err.code : 70;
  }
  gp_runner *runner = gp_runner_new(s); /* as a worker of gpuplan run keeps one */
  if (!runner) {
    fprintf(stderr, "%s: out of memory\n", argv[0]);
    return 71;
  }
  gp_runner_set_lean(runner, lean);
  double t_world = 0, t_run = 0, props = 0, events = 0;
  gp_world *w = NULL; /* redrawn for each replication, as a worker does */
  for (int rep = 0; rep < s->replications; rep++) {
    double t0 = bench_now();
    w = gp_world_renew(w, s, rep, &err);
    double t1 = bench_now();
    if (!w) {
      fprintf(stderr, "%s\n", err.msg);
      return err.code ? err.code : 70;
    }
    t_world += t1 - t0;
    props += (double)w->n;
    for (int p = 0; p < s->npolicies; p++) {
      gp_run_out out;
      t0 = bench_now();
      int rc = gp_runner_play(runner, w, p, 0, &out, &err);
      t1 = bench_now();
      if (rc != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return err.code ? err.code : 70;
      }
      t_run += t1 - t0;
      events += (double)out.events;
      gp_run_out_free(&out);
    }
  }
  gp_world_free(w);
  double nrep = s->replications, npr = nrep * s->npolicies;
  char line[256];
  snprintf(line, sizeof line, "%s-world", name);
  bench_line(line, props / nrep, props, t_world);
  snprintf(line, sizeof line, "%s-run", name);
  bench_line(line, events / npr, events, t_run);
  snprintf(line, sizeof line, "%s-polrep", name);
  bench_line(line, npr, npr, t_world + t_run);
  printf("# %s: %d replications x %d policies%s, %.0f proposals and %.0f events per policy-rep, "
         "world %.3f s, runs %.3f s\n",
         name, s->replications, s->npolicies, lean ? " (lean runs)" : "", props / nrep,
         events / npr, t_world, t_run);
  gp_runner_free(runner);
  gp_scenario_free(s);
  free(sets);
  return 0;
}
