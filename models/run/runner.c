/*
 * models/run/runner.c - a runner: one run at a time, its arrays kept from
 * one run to the next (projects, queues, per-tranche lists, event records),
 * and the play loop that merges the run's kernel events with the world's
 * pipeline events, failures and repairs in time order.
 *
 * Invariant: after run_reset the run's state is that of a fresh run of the
 * policy against the world (the arrays' contents as calloc would leave
 * them), so that a runner gives what gp_run_policy gives, bit for bit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/run/run_int.h"
#include "sim/interrupt.h"
#include "sim/rng.h"
#include "sim/vec.h"

struct gp_runner {
  const gp_scenario *s;
  gp_run run;          /* its arrays persist; the rest is reset by run_reset */
  size_t capprojs;
  size_t caprprops;    /* room of run.rprops */
  uint32_t *fail_who;  /* per failure of the world played (capfails): who it hit */
  size_t capfails;
  uint64_t *rank_bits; /* one bit per place of a world's ranking (caprank words), all 0 */
  size_t caprank;
  gp_run_progress_fn *progress; /* told every 64 events; NULL = nobody */
  void *progress_ctx;
  int lean;            /* gp_runner_set_lean */
};

void gp_runner_set_progress(gp_runner *r, gp_run_progress_fn *fn, void *ctx) {
  r->progress = fn;
  r->progress_ctx = ctx;
}

void gp_runner_set_lean(gp_runner *r, int on) { r->lean = on != 0; }

void gp_runner_free(gp_runner *r) {
  if (!r) return;
  gp_run *run = &r->run;
  gp_sim_free(run->sim);
  gsl_rng_free(run->policy_rng);
  for (int t = 0; run->ts && t < r->s->ntranches; t++) {
    free(run->ts[t].running);
    free(run->ts[t].byend);
    gp_sumtree_free(&run->ts[t].work);
  }
  for (int o = 0; run->origins && o < gp_scenario_norigins(r->s); o++) free(run->origins[o].ready);
  free(run->projs);
  free(run->rprops);
  free(run->ts);
  free(run->queues);
  free(run->origins);
  free(run->max_units);
  free(run->first_unit_gpus);
  free(run->samples);
  free(run->promised);
  free(run->wake);
  free(run->wake_at);
  free(run->changes);
  free(run->tailx);
  free(run->tailc);
  free(run->tailo);
  free(r->fail_who);
  free(r->rank_bits);
  free(run->kev);
  gp_fifo_free(&run->reviews);
  gp_fifo_free(&run->interviews);
  free(r);
}

/* A proposal's record.  tails.c's scratch (room for two sort records and
 * two doubles a proposal) is not counted: a run touches it only for the
 * proposals decided or started, which may be few (the estimate is a
 * floor). */
size_t gp_runner_proposal_bytes(void) { return sizeof(gp_proj); }

gp_runner *gp_runner_new(const gp_scenario *s) {
  gp_runner *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  gp_run *run = &r->run;
  int no = gp_scenario_norigins(s);
  r->s = run->s = s;
  run->ts = calloc((size_t)(s->ntranches ? s->ntranches : 1), sizeof *run->ts);
  run->queues = calloc((size_t)(s->npools ? s->npools : 1), sizeof *run->queues);
  run->origins = calloc((size_t)(no ? no : 1), sizeof *run->origins);
  size_t nmax = (size_t)s->npools * (size_t)s->ngpu_types;
  run->max_units = calloc(nmax ? nmax : 1, sizeof *run->max_units);
  run->first_unit_gpus = malloc((nmax ? nmax : 1) * sizeof *run->first_unit_gpus);
  run->policy_rng = gp_rng_alloc();
  run->changes = calloc((size_t)(s->npools ? s->npools : 1), sizeof *run->changes);
  if (!run->ts || !run->queues || !run->origins || !run->max_units || !run->first_unit_gpus ||
      !run->policy_rng || !run->changes) {
    gp_runner_free(r);
    return NULL;
  }
  for (size_t i = 0; i < nmax; i++) run->first_unit_gpus[i] = 0;
  for (int t = 0; t < s->ntranches; t++) {
    const gp_tranche *tr = &s->tranches[t];
    size_t pt = (size_t)tr->pool * (size_t)s->ngpu_types + (size_t)tr->gpu_type;
    int units = tr->gov_nodes * units_per_node(run, t);
    if (units > run->max_units[pt]) run->max_units[pt] = units;
    if (!run->first_unit_gpus[pt]) run->first_unit_gpus[pt] = unit_gpus(run, t);
  }
  for (size_t i = 0; i < nmax; i++)
    if (!run->first_unit_gpus[i]) run->first_unit_gpus[i] = 1;
  return r;
}

/* Everything of R's run as a fresh one for POLICY against W: the arrays
 * kept, their contents as calloc left them in a new run. */
static int run_reset(gp_runner *r, const gp_world *w, int policy, int detail) {
  gp_run *run = &r->run;
  const gp_scenario *s = r->s;
  int no = gp_scenario_norigins(s);
  if (GP_VEC_RESERVE(r->fail_who, r->capfails, w->fails.nfails, 1024)) return -1;
  run->rank_bits = NULL;
  if (w->ranking.made) { /* zeroed as they grow; batches leave them 0 */
    size_t words = w->n / 64 + 1, old = r->caprank;
    if (GP_VEC_RESERVE(r->rank_bits, r->caprank, words, 64)) return -1;
    if (r->caprank > old) memset(r->rank_bits + old, 0, (r->caprank - old) * sizeof *r->rank_bits);
    run->rank_bits = r->rank_bits;
  }
  run->nprojs = w->n + w->nret;
  if (run->nprojs > r->capprojs || !run->projs) {
    /* Every record is written below, so the old ones are not copied (as
     * realloc would); an eighth more room, so that the next worlds, whose
     * sizes vary a little, seldom grow it again. */
    size_t cap = run->nprojs + run->nprojs / 8 + 64;
    free(run->projs);
    r->capprojs = 0;
    if (!(run->projs = malloc(cap * sizeof *run->projs))) return -1;
    r->capprojs = cap;
  }
  if (GP_VEC_RESERVE(run->rprops, r->caprprops, w->nret, 64)) return -1;
  /* The kernel is kept with its arrays, reset to a fresh one's state. */
  if (run->sim) gp_sim_reset(run->sim);
  else run->sim = gp_sim_new(256);
  free(run->samples);
  run->samples = NULL;
  run->nsamples = 0;
  if (detail) {
    run->nsamples = gp_run_nsamples(s);
    run->samples = calloc(gp_run_nseries(s) * run->nsamples, sizeof *run->samples);
  }
  if (!run->sim || (detail && !run->samples)) return -1;
  run->w = w;
  run->pol = &s->policies[policy];
  run->from = s->measure_from;
  run->at_target = run->at_target_h100e = NAN;
  /* Rules that plan with running projects' ends see them in order, and the
   * run defers them while an end is due (capacity.c: gp_cap_schedule). */
  run->byend_kept = !run->pol->scheduling->capacity_only;
  run->rule_state = NULL;
  run->promised_on = run->wake_on = 0;
  memset(run->changes, 0, (size_t)s->npools * sizeof *run->changes);
  gp_ev_reset(run);
  gp_acc *accs[] = {&run->installed_all, &run->usable, &run->allocated, &run->busy,
                    &run->queue,         &run->backlog, &run->failed};
  for (size_t i = 0; i < sizeof accs / sizeof accs[0]; i++) memset(accs[i], 0, sizeof *accs[i]);
  run->installed_h100e = run->usable_h100e = 0;
  memset(&run->power, 0, sizeof run->power);
  run->reclaimed_gpuh = 0;
  run->nstarted = 0;
  run->fail_who = r->fail_who;
  gp_rng_reset(run->policy_rng, s->seed, (uint64_t)w->rep, gp_world_stream(GP_SRC_POLICY, run->pol->key));
  for (int t = 0; t < s->ntranches; t++) {
    gp_tstate *st = &run->ts[t];
    gp_tstate keep = *st;
    memset(st, 0, sizeof *st);
    st->running = keep.running;
    st->byend = keep.byend;
    st->caprunning = keep.caprunning;
    st->work = keep.work;
    gp_sumtree_clear(&st->work);
  }
  memset(run->queues, 0, (size_t)s->npools * sizeof *run->queues);
  for (int o = 0; o < no; o++) {
    gp_origin *og = &run->origins[o];
    og->nready = 0;
    og->pending = og->next_committee = og->committee_scheduled = 0;
    for (int g = 0; g < GP_MAX_GPU_TYPES; g++)
      og->capacity[g] = o < s->ncalls ? s->calls[o].capacity[g]
                        : o < s->ncalls + s->nstreams ? s->streams[o - s->ncalls].capacity[g]
                                                      : -1;
  }
  for (size_t i = 0; i < run->nprojs; i++) { /* candidates (i >= n): absent until they come */
    gp_proj *p = &run->projs[i];
    memset(p, 0, sizeof *p);
    p->w = &w->props[i];
    p->id = (int32_t)i;
    p->tranche = -1;
    p->decided = p->ready = p->started = p->finished = -1;
    p->outcome = GP_OUT_IN_REVIEW;
    p->reviewed = w->direct || !w->pipe_recorded || i >= w->n ? 0 : (int8_t)w->pipe.reviewed[i];
  }
  return 0;
}

int gp_runner_play(gp_runner *r, const gp_world *w, int policy, int detail, gp_run_out *out,
                   gp_err *err) {
  const gp_scenario *s = r->s;
  gp_run *run = &r->run;
  memset(out, 0, sizeof *out);
  if (r->lean && detail)
    return GP_ERR(err, GP_EX_SOFTWARE, "gp_runner_play: a lean runner fills no per-proposal rows");
  int rc = -1, no = gp_scenario_norigins(s);
  out->calls = calloc((size_t)(no ? no : 1), sizeof *out->calls);
  if (!out->calls) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  if (run_reset(r, w, policy, detail) != 0) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  /* The order of scheduling at time 0 fixes the order of same-time events:
   * tranches, then the target probe, then samples, then calendar checks,
   * then proposals (the pipeline's first event: replayed, it was scheduled
   * by -1 after these, cur_h = -1, cur_o = 0; played, it is scheduled
   * here). */
  for (int t = 0; t < s->ntranches; t++) gp_cap_schedule_tranche(run, t);
  gp_out_schedule(run);
  gp_cal_schedule(run);
  if (w->direct) gp_life_jobs(run);
  else if (!w->pipe_recorded) gp_rev_start(run);
  /* Merge the kernel's events with the world's pipeline events, failures
   * and repairs, in time order, up to the end.  The world's failures and
   * repairs are no kernel events: each is played once the kernel has fired
   * everything up to its time (their times are continuous draws, which no
   * other event's time equals).  Nor are the pipeline's events: each is
   * replayed once the kernel has fired everything before its time, and at
   * its time everything scheduled before it (ev_kernel).  The stop flag
   * (sim/interrupt.h) is looked at before every step, so that a signal
   * stops even a long replication at once, whatever the span of its time
   * (days for the programme, seconds for a replayed trace). */
  const gp_moment *mo = w->fails.m;
  const gp_pentry *pe = run->pipe;
  size_t m = 0, nm = w->fails.n;
  const double end = s->end;
  for (unsigned steps = 1;; steps++) {
    if (gp_interrupted) break;
    if (r->progress && steps % 64 == 0)
      r->progress(r->progress_ctx, gp_sim_now(run->sim), run->nstarted);
    double tk = gp_sim_next_time(run->sim), te = pe[run->pipe_next].t,
           tf = m < nm ? mo[m].t : HUGE_VAL;
    if (tk <= te && tk <= tf) {
      if (tk > end || !gp_sim_step(run->sim)) break;
    } else if (te <= tf) {
      if (te > end) break;
      /* Most pipeline events do nothing to the run (a review of three
       * done, a screening passed): they are only counted, as many in a
       * row as come before anything else (nothing changes tk or tf). */
      if (pe[run->pipe_next].eff == pe[run->pipe_next + 1].eff) {
        size_t j = run->pipe_next + 1;
        /* (the closing entry, at infinity, stops the scan before its eff is compared) */
        while (pe[j].t <= end && pe[j].t < tk && pe[j].t <= tf && pe[j].eff == pe[j + 1].eff) j++;
        run->pipe_next = j;
        continue;
      }
      if (gp_sim_run_until(run->sim, te) != 0) break;
      gp_ev_replay(run, run->pipe_next++);
    } else {
      if (tf > end || gp_sim_run_until(run->sim, tf) != 0) break;
      gp_ev_outside(run);
      uint64_t code = mo[m].code;
      if (GP_MOMENT_REPAIR(code)) gp_cap_repair(run, GP_MOMENT_FAILURE(code), GP_MOMENT_TRANCHE(code));
      else gp_cap_fail(run, GP_MOMENT_FAILURE(code), GP_MOMENT_TRANCHE(code), mo[m].u);
      m++;
    }
  }
  if (gp_interrupted) {
    GP_ERR(err, GP_EX_SIGNAL + gp_interrupted, "interrupted");
    goto done;
  }
  if (gp_sim_run_until(run->sim, end) != 0) {
    const gp_err *e = gp_sim_error(run->sim);
    GP_ERR(err, e->code, "replication %d, policy %s: %s", w->rep, run->pol->name, e->msg);
    goto done;
  }
  if (gp_out_fill(run, out, detail, r->lean) != 0) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  /* kernel events, pipeline events, failures and repairs */
  out->events = gp_sim_fired(run->sim) + run->pipe_next + m;
  rc = 0;
done:
  if (rc != 0) gp_run_out_free(out);
  if (run->rule_state && run->pol->scheduling->state_free)
    run->pol->scheduling->state_free(run->rule_state);
  run->rule_state = NULL;
  /* The kernel's pending events point into this run: they are dropped by
   * the next run_reset (gp_sim_reset), never fired. */
  return rc;
}

