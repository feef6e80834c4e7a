/*
 * models/run/run.c - the run's public entry points (run.h): one
 * policy-replication through a runner of its own, the shape of a run's time
 * series, freeing a run's output, what a lean run leaves out.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/run/run.h"
#include "models/run/run_int.h"

int gp_run_lean_omits(size_t offset) { return gp_tail_field(offset); }

size_t gp_run_nsamples(const gp_scenario *s) {
  return (size_t)floor(s->end / s->sample_every + 1e-9) + 1;
}

size_t gp_run_nseries(const gp_scenario *s) {
  return GP_NTS + (size_t)GP_NTTS * (size_t)s->ntranches;
}

int gp_run_policy(const gp_scenario *s, const gp_world *w, int policy, int detail,
                  gp_run_out *out, gp_err *err) {
  gp_runner *r = gp_runner_new(s);
  if (!r) {
    memset(out, 0, sizeof *out);
    return GP_ERR_NOMEM(err);
  }
  int rc = gp_runner_play(r, w, policy, detail, out, err);
  gp_runner_free(r);
  return rc;
}

void gp_run_out_free(gp_run_out *out) {
  if (!out) return;
  free(out->props);
  free(out->ts);
  free(out->calls);
  free(out->promised);
  out->props = NULL;
  out->promised = NULL;
  out->ts = NULL;
  out->calls = NULL;
}
