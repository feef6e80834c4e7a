/*
 * models/scenario/cluster.c - the scenario of one cluster, for trace replay
 * (see scenario.h: gp_scenario_cluster).
 *
 * Written as a scenario file would be and loaded by the loader, so that
 * every default (review, pricing, RNG keys) is the loader's; then its times
 * are set in the trace's unit, which dates cannot express (a trace of a year
 * spans 3 x 10^7 seconds).  Invariant: the struct is what the loader made of
 * the text below, except end, measure_from, sample_every, the target and the
 * tranche's online and end, set here; /scenario's JSON (gp_scenario_json)
 * describes the text, not those.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/scenario/scenario.h"

gp_scenario *gp_scenario_cluster(int nodes, int gpus_per_node, const char *scheduling, double end,
                                 gp_err *err) {
  char text[1536];
  int n = snprintf(
      text, sizeof text,
      "{\"name\": \"trace\", \"epoch\": \"2000-01-01\", \"end\": \"2000-01-02\","
      " \"replications\": 1,"
      " \"gpu_types\": [{\"name\": \"GPU\"}], \"pools\": [{\"name\": \"cluster\"}],"
      " \"roadmap\": {\"tranches\": [{\"name\": \"cluster\", \"gpu_type\": \"GPU\","
      "   \"pool\": \"cluster\", \"nodes\": %d, \"gpus_per_node\": %d,"
      "   \"online\": \"2000-01-01\"}]},"
      " \"demand\": {\"designated\": [{\"name\": \"jobs\", \"pool\": \"cluster\","
      "   \"gpu_type\": \"GPU\", \"sector\": \"research\", \"servers\": 1,"
      "   \"start\": \"2000-01-01\", \"phases\": [{\"teams\": 0, \"days\": 1}]}]},"
      " \"policies\": [{\"name\": \"%s\", \"selection\": \"fcfs\", \"scheduling\": \"%s\"}],"
      " \"output\": {\"detail_replications\": 1, \"sample_every_days\": 1}}",
      nodes, gpus_per_node, scheduling, scheduling);
  if (n < 0 || (size_t)n >= sizeof text || strpbrk(scheduling, "\"\\"))
    return GP_ERR(err, GP_EX_USAGE, "replay: no scheduling rule \"%.64s\"", scheduling), NULL;
  gp_scenario *s = gp_scenario_parse("<trace replay>", text, (size_t)n, NULL, err);
  if (!s) return NULL;
  s->end = end;
  s->measure_from = 0;
  s->sample_every = end;
  s->target_gpus = 0;
  s->target_date = 0;
  s->tranches[0].online = 0;
  s->tranches[0].end = HUGE_VAL;
  return s;
}
