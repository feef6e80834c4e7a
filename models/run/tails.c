/*
 * models/run/tails.c - the tail and equity metrics of a run's summary row
 * (issue 19): quantiles of the days to a decision and to GPUs, overall and
 * by sector; the worst-served sector's days to GPUs; how GPU-hours granted
 * spread over organisations (Gini, Herfindahl-Hirschman); the capital
 * region's share of GPUs granted.  docs/output.md defines each.  And each
 * demand source's p50 and p90 of days to a decision (/policies/P/calls).
 *
 * Quantiles are gsl_stats_quantile_from_sorted_data's (linear between order
 * statistics: position f (n - 1) of the sorted sample) over the proposals of
 * the measured window that were decided (started); NaN when there is none.
 * A proposal never decided (never started) is not in the sample: the
 * quantiles are of those that got there, as mean_days_to_decision
 * (mean_days_to_gpu) is.
 *
 * Invariant: a run's scratch (run->tail, run->tailx) is only read after it
 * was filled here, so nothing depends on what an earlier run left in it;
 * every value is a function of the run's records alone: records are sorted
 * by (value, index) with gp_sort_keyed (sim/sort.h), a total order.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include <gsl/gsl_statistics_double.h>

#include "models/run/run_int.h"
#include "sim/sort.h"
#include "sim/vec.h"

/* The quantiles, and where each whole sits in the row (its five parts by
 * sector follow it, in GP_SECTOR_* order). */
static const double tail_q[3] = {0.5, 0.9, 0.99};
#define S gp_summary_row
static const size_t decision_at[3] = {offsetof(S, p50_days_to_decision),
                                      offsetof(S, p90_days_to_decision),
                                      offsetof(S, p99_days_to_decision)};
static const size_t gpu_at[3] = {offsetof(S, p50_days_to_gpu), offsetof(S, p90_days_to_gpu),
                                 offsetof(S, p99_days_to_gpu)};
/* The single fields gp_tail_fill computes besides the quantiles. */
static const size_t single_at[4] = {offsetof(S, worst_sector_days_to_gpu),
                                    offsetof(S, capital_share_gpus_granted),
                                    offsetof(S, gini_gpu_hours_by_org),
                                    offsetof(S, hhi_gpu_hours_by_org)};
/* A whole and its five parts are six consecutive doubles. */
#define PARTS_FOLLOW(m) (offsetof(S, m##_national) == offsetof(S, m) + GP_NSECTORS * sizeof(double))
_Static_assert(PARTS_FOLLOW(p50_days_to_decision) && PARTS_FOLLOW(p90_days_to_decision) &&
                   PARTS_FOLLOW(p99_days_to_decision) && PARTS_FOLLOW(p50_days_to_gpu) &&
                   PARTS_FOLLOW(p90_days_to_gpu) && PARTS_FOLLOW(p99_days_to_gpu) &&
                   GP_NSECTORS == 5,
               "a quantile's parts by sector follow it, one double each, in sector order");
#undef PARTS_FOLLOW
#undef S

/* Where gp_tail_fill writes, field K of NTAIL: the 6 quantiles' wholes and
 * their 5 parts by sector (at[j] + i doubles, i = 0..5), then the single
 * fields. */
enum { NPARTS = 1 + GP_NSECTORS, NTAIL = 6 * NPARTS + 4 };
static size_t tail_at(int k) {
  if (k >= 6 * NPARTS) return single_at[k - 6 * NPARTS];
  int j = k / NPARTS, i = k % NPARTS;
  return (j < 3 ? decision_at[j] : gpu_at[j - 3]) + (size_t)i * sizeof(double);
}

int gp_tail_field(size_t offset) {
  for (int k = 0; k < NTAIL; k++)
    if (tail_at(k) == offset) return 1;
  return 0;
}

void gp_tail_lean(gp_summary_row *r) {
  for (int k = 0; k < NTAIL; k++) *(double *)((char *)r + tail_at(k)) = NAN;
}

static double quantile(const double *sorted, size_t n, double q) {
  return n ? gsl_stats_quantile_from_sorted_data(sorted, 1, n, q) : NAN;
}

/* The quantiles of the N samples A, sorted by (value, tie), overall and per
 * sector, into R at AT[]; X holds 2 N doubles.  A sample's tie's 3 low bits
 * are its sector (ties ascend with the proposal's index, so records added
 * in proposal order are sorted by gp_sort_keyed's radix path), so that its
 * sector is read without going back to the proposal. */
_Static_assert(GP_NSECTORS <= 8, "a sector fits in the 3 low bits of a tie");

static void quantiles(const gp_keyed *a, double *x, size_t n, gp_summary_row *r,
                      const size_t at[3]) {
  /* The sorted sample, then each sector's in its own run, still sorted. */
  size_t count[GP_NSECTORS] = {0}, start[GP_NSECTORS], fill[GP_NSECTORS], before = n;
  for (size_t i = 0; i < n; i++) {
    x[i] = a[i].key;
    count[a[i].tie & 7]++;
  }
  for (int k = 0; k < GP_NSECTORS; before += count[k], k++) start[k] = fill[k] = before;
  for (size_t i = 0; i < n; i++) x[fill[a[i].tie & 7]++] = a[i].key;
  for (int j = 0; j < 3; j++) {
    double *whole = (double *)((char *)r + at[j]);
    whole[0] = quantile(x, n, tail_q[j]);
    for (int k = 0; k < GP_NSECTORS; k++)
      whole[1 + k] = quantile(x + start[k], count[k], tail_q[j]);
  }
}

/* A decided proposal's tie: its index, whether it was submitted in the
 * measured window, its origin (an int16_t >= 0), its sector; the index in
 * the high bits, so that ties ascend in proposal order. */
enum { TIE_SECTOR_BITS = 3, TIE_ORIGIN_BITS = 16, TIE_WINDOW_BIT = TIE_SECTOR_BITS + TIE_ORIGIN_BITS,
       TIE_INDEX_SHIFT = TIE_WINDOW_BIT + 1 };
#define TIE_ORIGIN(t) ((size_t)((t) >> TIE_SECTOR_BITS) & 0xffff)

/* Each source's decided proposals, in the order of days to decision, are
 * dealt out to their sources' runs of X (so each run is sorted), then each
 * run gives its p50 and p90 into CALLS: of every decided proposal of the
 * source (the calls rows' count, whatever the window).  A holds the N
 * decided proposals sorted. */
static int calls_quantiles(const gp_run *run, const gp_keyed *a, double *x, size_t n,
                           gp_call_row *calls) {
  size_t no = (size_t)gp_scenario_norigins(run->s);
  size_t *fill = malloc(2 * (no ? no : 1) * sizeof *fill), *count = fill + no;
  if (!fill) return -1;
  for (size_t o = 0; o < no; o++) count[o] = 0;
  for (size_t i = 0; i < n; i++) count[TIE_ORIGIN(a[i].tie)]++;
  for (size_t o = 0, before = 0; o < no; before += count[o], o++) fill[o] = before;
  for (size_t i = 0; i < n; i++) x[fill[TIE_ORIGIN(a[i].tie)]++] = a[i].key;
  for (size_t o = 0; o < no; o++) {
    const double *sorted = x + fill[o] - count[o];
    calls[o].p50_days_to_decision = quantile(sorted, count[o], 0.5);
    calls[o].p90_days_to_decision = quantile(sorted, count[o], 0.9);
  }
  free(fill);
  return 0;
}

int gp_tail_fill(gp_run *run, gp_summary_row *r, gp_call_row *calls) {
  const gp_world *w = run->w;
  double from = run->from;
  size_t np = run->nprojs; /* the world's proposals and its returning candidates */
  if (GP_VEC_RESERVE(run->tail, run->captail, 2 * np, 256) ||
      GP_VEC_RESERVE(run->tailx, run->captailx, 2 * np, 256))
    return -1;
  gp_keyed *a = run->tail, *tmp = run->tail + np;
  double *x = run->tailx;

  /* Days to a decision: one sort of every decided proposal serves the
   * sources' quantiles (all of them) and the summary's (those of the
   * window: a subsequence of a sorted sequence is sorted). */
  size_t n = 0;
  for (size_t i = 0; i < np; i++) {
    gp_proj *p = &run->projs[i];
    if (proj_absent(run, p) || p->decided < 0) continue;
    int64_t tie = (int64_t)i << TIE_INDEX_SHIFT |
                  (int64_t)(p->w->submitted >= from) << TIE_WINDOW_BIT |
                  (int64_t)p->w->origin << TIE_SECTOR_BITS | p->w->sector;
    a[n++] = (gp_keyed){p->decided - p->w->submitted, tie, NULL};
  }
  gp_sort_keyed(a, tmp, n);
  if (calls_quantiles(run, a, x, n, calls) != 0) return -1;
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (a[i].tie >> TIE_WINDOW_BIT & 1) a[m++] = a[i];
  quantiles(a, x, m, r, decision_at);

  /* Days to GPUs; the sectors' mean days to GPUs. */
  double sum[GP_NSECTORS] = {0};
  int started[GP_NSECTORS] = {0};
  n = 0;
  for (size_t i = 0; i < np; i++) {
    gp_proj *p = &run->projs[i];
    if (proj_absent(run, p) || p->w->submitted < from || p->started < 0) continue;
    a[n++] = (gp_keyed){p->started - p->w->submitted, (int64_t)i * 8 + p->w->sector, NULL};
    sum[p->w->sector] += p->started - p->w->submitted;
    started[p->w->sector]++;
  }
  gp_sort_keyed(a, tmp, n);
  quantiles(a, x, n, r, gpu_at);
  r->worst_sector_days_to_gpu = NAN;
  for (int k = 0; k < GP_NSECTORS; k++) {
    double mean = started[k] ? sum[k] / started[k] : NAN;
    if (started[k] && !(mean <= r->worst_sector_days_to_gpu)) r->worst_sector_days_to_gpu = mean;
  }

  /* GPUs granted, to the capital region among them; each proposal's
   * GPU-hours granted, counted as gpu_hours_granted counts them, at X[i]
   * (-1 outside the window), so that the sums by organisation below read a
   * double a proposal in the organisations' order rather than its records
   * (on a world of a million proposals those reads missed the cache). */
  double gpus = 0, capital = 0, *hours = x;
  for (size_t i = 0; i < np; i++) {
    gp_proj *p = &run->projs[i];
    if (proj_absent(run, p) || p->w->submitted < from) {
      hours[i] = -1;
      continue;
    }
    int got = p->decided >= 0 && p->accepted;
    double granted = got ? (double)p->awarded * proj_unit_gpus(run, p) : 0;
    hours[i] = granted * p->w->duration * 24;
    if (!got) continue;
    gpus += granted;
    if (p->w->capital) capital += granted;
  }
  r->capital_share_gpus_granted = gpus > 0 ? capital / gpus : NAN;

  /* GPU-hours granted per organisation that applied in the window (0 for
   * one granted nothing), added up in proposal order, in order of
   * organisation (the world's grouping: models/world/orgs.h). */
  double *org = x + np, total = 0;
  size_t norg = 0;
  int applied = 0; /* the current organisation has a proposal in the window */
  for (size_t k = 0; k < np; k++) { /* the grouping covers the candidates too */
    uint32_t place = w->orgs.by_org[k];
    if (place & GP_ORGS_FIRST) applied = 0;
    double h = hours[place & ~GP_ORGS_FIRST];
    if (h < 0) continue;
    if (!applied) org[norg++] = 0;
    applied = 1;
    org[norg - 1] += h;
  }
  /* Only the totals above 0 are sorted: the zeros come first in the order
   * and add nothing to either sum (a term +-0 leaves a sum that starts at +0
   * as it is), so the positive ones sit at ranks zeros + 1 on. */
  size_t npos = 0;
  for (size_t i = 0; i < norg; i++) {
    if (org[i] > 0) a[npos++] = (gp_keyed){org[i], (int64_t)i, NULL};
    total += org[i];
  }
  size_t zeros = norg - npos;
  r->gini_gpu_hours_by_org = r->hhi_gpu_hours_by_org = NAN;
  if (total > 0) {
    /* G = sum_i (2i - n - 1) x_(i) / (n sum x), i = 1..n over the totals
     * in increasing order; HHI = sum (x / sum x)^2. */
    gp_sort_keyed(a, tmp, npos);
    double g = 0, h = 0;
    for (size_t i = 0; i < npos; i++) {
      g += (2.0 * (double)(zeros + i + 1) - (double)norg - 1) * a[i].key;
      h += (a[i].key / total) * (a[i].key / total);
    }
    r->gini_gpu_hours_by_org = g / ((double)norg * total);
    r->hhi_gpu_hours_by_org = h;
  }
  return 0;
}
