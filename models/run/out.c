/*
 * models/run/out.c - what a run reports (gp_run_out): money, the time
 * series sampled every sample_every days, the summary row, one row per
 * demand source and, with detail, one row per proposal.
 *
 * The run keeps -1 for never in its own records (decided, started,
 * finished); the rows it hands out hold NaN for never (docs/output.md,
 * format version 2): never_nan converts where rows are filled, so that no
 * decision of the run reads a NaN.
 *
 * Invariant: a project's GPU-hours (gpuh) count its units inside the
 * measured window [from, end] up to gpuh_since; gp_out_accrue brings them up
 * to date whenever its units change and at the end.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/run/run_int.h"

/* Hours of [a, b) inside the window [from, end]. */
static double window_hours(double a, double b, double from, double end) {
  if (a < from) a = from;
  if (b > end) b = end;
  return b > a ? (b - a) * 24 : 0;
}

static double mean_or_nan(double sum, int n) { return n ? sum / n : NAN; }

/* A time of the run's records (-1 = never) as a row holds it (NaN = never). */
static double never_nan(double t) { return t >= 0 ? t : NAN; }

/* Units call O offers over the GPU types it asks for; NaN for a stream, a
 * designation or a call without a budget for every one of its types. */
static double units_offered(const gp_scenario *s, int o) {
  if (o >= s->ncalls) return NAN;
  double offered = 0;
  for (int k = 0; k < s->calls[o].a.ntypes; k++) {
    long long cap = s->calls[o].capacity[s->calls[o].a.type[k]];
    if (cap < 0) return NAN;
    offered += (double)cap;
  }
  return offered;
}

/* The calls rows: one per demand source. */
static void calls_begin(gp_run *run, gp_run_out *out) {
  int no = gp_scenario_norigins(run->s);
  for (int o = 0; o < no; o++) {
    gp_call_row *c = &out->calls[o];
    memset(c, 0, sizeof *c);
    c->rep = run->w->rep;
    c->call = o;
    c->first_decision = c->last_decision = -1;
  }
}

/* What project P (GPUS requested, GRANTED awarded) adds to its source's
 * row: its request and its fate, and the programme statistics (gpuplan
 * kpi): proposals and acceptances by sector and from the capital region,
 * rejections by the stage that made them.  A rejection's stage follows
 * from the world's pipeline: one never reviewed was turned down at
 * screening; one reviewed, interviewed and not found suitable (pipeline.c:
 * u_interview >= interview_pass) at its interview; every other one by a
 * committee (designations and a trace's jobs are never rejected).  Every
 * proposal that came counts, whatever the window, with the returning
 * applicants that came. */
static void calls_add(const gp_run *run, gp_run_out *out, const gp_proj *p, double gpus,
                      double granted) {
  const gp_wprop *w = p->w;
  gp_call_row *c = &out->calls[w->origin];
  double *proposals = &c->proposals_industry, *accepted = &c->accepted_industry; /* sector order */
  c->proposals++;
  c->units_requested += w->units;
  c->gpus_requested += gpus;
  c->interviewed += w->interview && p->reviewed;
  c->withdrawn += p->outcome == GP_OUT_WITHDRAWN;
  c->returning += p->returning != GP_RET_NEW;
  c->returning_accepted += p->returning != GP_RET_NEW && p->decided >= 0 && p->accepted;
  proposals[w->sector]++;
  c->proposals_capital += w->capital != 0;
  if (p->decided < 0) return;
  if (p->accepted) {
    double *by_sector = &c->gpus_awarded_industry; /* five fields in sector order */
    c->accepted++;
    c->units_awarded += p->awarded;
    c->gpus_awarded += granted;
    by_sector[w->sector] += granted;
    accepted[w->sector]++;
    c->accepted_capital += w->capital != 0;
  } else {
    c->rejected++;
    if (!p->reviewed) c->rejected_screening++;
    else if (w->interview && w->u_interview >= run->s->review.interview_pass)
      c->rejected_interview++;
    else c->rejected_committee++;
  }
  if (c->first_decision < 0 || p->decided < c->first_decision) c->first_decision = p->decided;
  if (p->decided > c->last_decision) c->last_decision = p->decided;
  c->mean_decision += p->decided; /* a sum until calls_end */
}

static void calls_end(gp_run *run, gp_run_out *out) {
  const gp_scenario *s = run->s;
  int no = gp_scenario_norigins(s);
  for (int o = 0; o < no; o++) {
    gp_call_row *c = &out->calls[o];
    int ndec = c->accepted + c->rejected;
    c->mean_decision = ndec ? c->mean_decision / ndec : NAN;
    c->first_decision = never_nan(c->first_decision);
    c->last_decision = never_nan(c->last_decision);
    /* Oversubscription needs a budget for every type the call asks for. */
    c->units_offered = units_offered(s, o);
    c->oversubscription = c->units_offered > 0 ? c->units_requested / c->units_offered : NAN;
  }
}

/* The summary row and, with CALLS, the calls rows (calls_add): one pass
 * over the projects, each row's sums in project order. */
static void summarise(gp_run *run, gp_run_out *out, int calls) {
  const gp_scenario *s = run->s;
  double end = s->end, from = run->from, win = end - from;
  gp_summary_row *r = &out->summary;
  memset(r, 0, sizeof *r);
  r->rep = run->w->rep;
  gp_acc *accs[] = {&run->installed_all, &run->usable, &run->allocated, &run->busy,
                    &run->queue,         &run->backlog, &run->failed};
  for (size_t i = 0; i < sizeof accs / sizeof accs[0]; i++) acc_add(accs[i], end, from, 0);
  int dec = 0, dec_sector[GP_NSECTORS] = {0}, acc_sector[GP_NSECTORS] = {0}, nrej = 0, n_qa = 0;
  double sum_dec = 0, sum_gpu = 0, sum_queue = 0, sum_qa = 0, sum_qr = 0;
  int ret_n = 0, ret_dec = 0, ret_acc = 0; /* returning applicants (issue 21, item 3) */
  if (calls) calls_begin(run, out);
  for (size_t i = 0; i < run->nprojs; i++) {
    const gp_proj *p = &run->projs[i];
    const gp_wprop *w = p->w;
    if (proj_absent(run, p)) continue;
    double ug = proj_unit_gpus(run, p), gpus = (double)w->units * ug, granted = (double)p->awarded * ug;
    if (calls) calls_add(run, out, p, gpus, granted);
    /* Money: GPU-hours held inside the window, at the market price of the
     * GPUs it ran on. */
    if (p->started >= 0) {
      if (p->finished < 0) gp_out_accrue(run, (gp_proj *)p, end);
      int g = s->tranches[p->tranche].gpu_type;
      double cost = p->gpuh * s->gpu_types[g].price_krw_per_hour;
      int o = w->origin;
      double share = o < s->ncalls && s->calls[o].free_of_charge ? 0 : s->self_pay[w->sector];
      r->selfpay_krw += cost * share;
      r->subsidy_krw += cost * (1 - share);
    }
    if (w->submitted < from) continue;
    r->proposals++;
    if (p->returning) {
      ret_n++;
      ret_dec += p->decided >= 0;
      ret_acc += p->decided >= 0 && p->accepted;
      r->renewals_granted += p->returning == GP_RET_RENEWAL && p->decided >= 0 && p->accepted;
    }
    r->gpu_hours_requested += gpus * w->duration * 24;
    r->withdrawn += p->outcome == GP_OUT_WITHDRAWN;
    if (p->decided >= 0) {
      dec++;
      dec_sector[w->sector]++;
      sum_dec += p->decided - w->submitted;
      if (p->accepted) {
        r->accepted++;
        acc_sector[w->sector]++;
        r->gpu_hours_granted += granted * w->duration * 24;
        if (!w->designated) {
          sum_qa += w->quality;
          n_qa++;
        }
      } else {
        nrej++;
        sum_qr += w->quality;
      }
    }
    if (p->started >= 0) {
      r->started++;
      sum_gpu += p->started - w->submitted;
      sum_queue += p->started - p->ready;
    }
  }
  for (int pl = 0; pl < s->npools; pl++) r->waiting_at_end += run->queues[pl].n;
  r->acceptance_rate = mean_or_nan(r->accepted, dec);
  r->gpu_hours_granted_share =
      r->gpu_hours_requested > 0 ? r->gpu_hours_granted / r->gpu_hours_requested : NAN;
  double *rate[GP_NSECTORS] = {&r->acceptance_rate_industry, &r->acceptance_rate_startup,
                               &r->acceptance_rate_academia, &r->acceptance_rate_research,
                               &r->acceptance_rate_national};
  for (int k = 0; k < GP_NSECTORS; k++) *rate[k] = mean_or_nan(acc_sector[k], dec_sector[k]);
  r->mean_days_to_decision = mean_or_nan(sum_dec, dec);
  r->mean_days_to_gpu = mean_or_nan(sum_gpu, r->started);
  r->mean_days_in_queue = mean_or_nan(sum_queue, r->started);
  r->mean_quality_accepted = mean_or_nan(sum_qa, n_qa);
  r->mean_quality_rejected = mean_or_nan(sum_qr, nrej);
  r->mean_usable_gpus = run->usable.area / win;
  r->mean_allocated_gpus = run->allocated.area / win;
  r->mean_busy_gpus = run->busy.area / win;
  r->utilization = run->usable.area > 0 ? run->busy.area / run->usable.area : NAN;
  r->idle_gpu_hours = (run->usable.area - run->busy.area) * 24;
  r->failed_gpu_hours = run->failed.area * 24;
  r->mean_queue_length = run->queue.area / win;
  r->arrivals_per_day = r->proposals / win;
  r->installed_gpus_at_target = s->target_gpus > 0 ? run->at_target : NAN;
  r->installed_h100e_at_target = s->target_gpus > 0 ? run->at_target_h100e : NAN;
  r->gap_to_target = s->target_gpus > 0 ? s->target_gpus - run->at_target : NAN;
  /* issue 21, item 5: energy and its cost */
  r->energy_mwh = r->electricity_cost_krw = NAN;
  if (s->has_power) {
    gp_power_to(run, end);
    r->energy_mwh = run->power.kwh / 1000;
    r->electricity_cost_krw = run->power.krw;
  }
  /* issue 21, item 4: what reclaim (mid-term or calendar) took back */
  r->gpu_hours_reclaimed = run->reclaimed_gpuh;
  /* returning applicants (issue 21, item 3) */
  r->returning_share = mean_or_nan(ret_n, r->proposals);
  r->returning_acceptance_rate = mean_or_nan(ret_acc, ret_dec);
  if (calls) calls_end(run, out);
}

static int fill_detail(gp_run *run, gp_run_out *out) {
  size_t n = 0; /* the world's proposals, then the returning ones that came */
  for (size_t i = 0; i < run->nprojs; i++) n += !proj_absent(run, &run->projs[i]);
  out->props = malloc((n ? n : 1) * sizeof *out->props);
  if (!out->props) return -1;
  out->nprops = n;
  for (size_t i = 0, k = 0; i < run->nprojs; i++) {
    const gp_proj *p = &run->projs[i];
    if (proj_absent(run, p)) continue;
    gp_proposal_row *row = &out->props[k++];
    memset(row, 0, sizeof *row);
    row->rep = run->w->rep;
    row->id = p->id;
    row->call = p->w->origin;
    row->sector = p->w->sector;
    row->gpu_type = p->w->gpu_type;
    row->outcome = p->outcome;
    row->capital = p->w->capital;
    row->org = p->w->org;
    row->servers = p->w->units;
    row->gpus = p->w->units * proj_unit_gpus(run, p);
    row->granted = p->awarded;
    row->months = p->w->duration / GP_DAYS_PER_MONTH;
    row->quality = p->w->quality;
    row->score = p->reviewed ? p->w->score : NAN;
    row->submitted = p->w->submitted;
    row->decided = never_nan(p->decided);
    row->started = never_nan(p->started);
    row->finished = never_nan(p->finished);
    row->returning = p->returning;
    row->previous = proj_previous(run, p);
  }
  return 0;
}

void gp_out_accrue(gp_run *run, gp_proj *p, double now) {
  double gpus = (double)p->units * unit_gpus(run, p->tranche);
  p->gpuh += gpus * window_hours(p->gpuh_since, now, run->from, run->s->end);
  p->held += gpus * (now - p->gpuh_since);
  p->gpuh_since = now;
}

static void ev_target(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  (void)arg;
  gp_run *run = ctx;
  run->at_target = run->installed_all.value;
  run->at_target_h100e = run->installed_h100e;
}

static void ev_sample(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  const gp_scenario *s = run->s;
  size_t k = (size_t)arg, n = run->nsamples;
  double *x = run->samples;
  x[GP_TS_INSTALLED * n + k] = run->installed_all.value;
  x[GP_TS_USABLE * n + k] = run->usable.value;
  x[GP_TS_ALLOCATED * n + k] = run->allocated.value;
  x[GP_TS_BUSY * n + k] = run->busy.value;
  x[GP_TS_QUEUE * n + k] = run->queue.value;
  x[GP_TS_BACKLOG * n + k] = run->backlog.value;
  x[GP_TS_INSTALLED_H100E * n + k] = run->installed_h100e;
  x[GP_TS_USABLE_H100E * n + k] = run->usable_h100e;
  double now = run_now(run);
  x[GP_TS_POWER_MW * n + k] = s->has_power ? run->power.kw / 1000 : NAN;
  x[GP_TS_ENERGY_MWH * n + k] = s->has_power ? gp_power_kwh_at(run, now) / 1000 : NAN;
  for (int t = 0; t < s->ntranches; t++) {
    double *y = x + (GP_NTS + (size_t)t * GP_NTTS) * n;
    y[GP_TTS_INSTALLED * n + k] = (double)run->ts[t].online_all * s->tranches[t].gpus_per_node;
    y[GP_TTS_ALLOCATED * n + k] = (double)run->ts[t].alloc * unit_gpus(run, t);
    y[GP_TTS_BUSY * n + k] = run->ts[t].busy;
  }
  if (k + 1 < n) gp_ev_at(run, (double)(k + 1) * s->sample_every, ev_sample, k + 1);
}


void gp_out_schedule(gp_run *run) {
  const gp_scenario *s = run->s;
  if (s->target_gpus > 0 && s->target_date <= s->end && s->target_date >= 0)
    gp_ev_at(run, s->target_date, ev_target, 0);
  if (run->samples) gp_ev_at(run, 0, ev_sample, 0);
}

int gp_out_fill(gp_run *run, gp_run_out *out, int detail, int lean) {
  summarise(run, out, !lean);
  if (lean) { /* no detail: gp_runner_play refuses it */
    gp_tail_lean(&out->summary);
    return 0;
  }
  if (gp_tail_fill(run, &out->summary, out->calls) != 0) return -1;
  if (!detail) return 0;
  if (fill_detail(run, out) != 0) return -1;
  if (run->w->direct && run->promised_on) {
    size_t n = run->w->n ? run->w->n : 1;
    if (!(out->promised = malloc(n * sizeof *out->promised))) return -1;
    for (size_t i = 0; i < run->w->n; i++) out->promised[i] = never_nan(run->promised[i]);
  }
  out->ts = run->samples;
  out->nsamples = run->nsamples;
  run->samples = NULL;
  return 0;
}
