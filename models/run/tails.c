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
 * Invariant: a run's scratch (run->tailx, tailc, tailo) is only read after
 * it was filled here, so nothing depends on what an earlier run left in
 * it; every value is a function of the run's records alone: only the
 * values are sorted (gp_sort_doubles), and a sorted sample is the same
 * whatever order its values came in.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

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

/* A decided proposal's code in the scratch: its origin (an int16_t >= 0),
 * whether it was submitted in the measured window, its sector. */
enum { TAILC_SECTOR_BITS = 3, TAILC_WINDOW_BIT = TAILC_SECTOR_BITS, TAILC_ORIGIN_SHIFT = 4 };
_Static_assert(GP_NSECTORS <= 1 << TAILC_SECTOR_BITS, "a sector fits in its bits of a code");
#define TAILC_SECTOR(c) ((size_t)(c) & ((1u << TAILC_SECTOR_BITS) - 1))
#define TAILC_ORIGIN(c) ((size_t)((c) >> TAILC_ORIGIN_SHIFT))

/* Deal the N values A out to B in runs by group (the group of value i is
 * CODE[i]'s origin, or its sector when BY_SECTOR; COUNT[g] values each, NG
 * groups): the runs in group order, each in A's order, run g from
 * START[g]; FILL is scratch of NG.  A sorted, each run is. */
static void deal(const double *a, const uint32_t *code, size_t n, int by_sector, double *b,
                 size_t ng, const size_t *count, size_t *start, size_t *fill) {
  for (size_t g = 0, before = 0; g < ng; before += count[g], g++) start[g] = fill[g] = before;
  for (size_t i = 0; i < n; i++)
    b[fill[by_sector ? TAILC_SECTOR(code[i]) : TAILC_ORIGIN(code[i])]++] = a[i];
}

/* The quantiles into R at AT[] of the M sorted values A, with their
 * codes CODE (each's sector) and the sectors' counts COUNT: the sample's
 * whole, then each sector's, dealt out to B in sorted runs. */
static void quantiles(const double *a, const uint32_t *code, size_t m, double *b,
                      const size_t *count, gp_summary_row *r, const size_t at[3]) {
  size_t start[GP_NSECTORS], fill[GP_NSECTORS];
  deal(a, code, m, 1, b, GP_NSECTORS, count, start, fill);
  for (int j = 0; j < 3; j++) {
    double *whole = (double *)((char *)r + at[j]);
    whole[0] = quantile(a, m, tail_q[j]);
    for (int k = 0; k < GP_NSECTORS; k++)
      whole[1 + k] = quantile(b + start[k], count[k], tail_q[j]);
  }
}

int gp_tail_fill(gp_run *run, gp_summary_row *r, gp_call_row *calls) {
  const gp_world *w = run->w;
  double from = run->from;
  size_t np = run->nprojs; /* the world's proposals and its returning candidates */
  size_t no = (size_t)gp_scenario_norigins(run->s);
  if (GP_VEC_RESERVE(run->tailx, run->captailx, 2 * np, 256) ||
      GP_VEC_RESERVE(run->tailc, run->captailc, 2 * np, 256) ||
      GP_VEC_RESERVE(run->tailo, run->captailo, 3 * no, 64))
    return -1;
  size_t *ocount = run->tailo, *ostart = ocount + no, *ofill = ostart + no; /* per source */
  double *a = run->tailx, *b = a + np;
  uint32_t *code = run->tailc, *tmpc = code + np;
  size_t count[GP_NSECTORS] = {0};

  /* Days to a decision of every decided proposal, with its source and
   * sector, sorted once: dealt out by source for the calls rows' p50 and
   * p90 (whatever the window); those of the window (a subsequence of a
   * sorted sequence is sorted) for the summary's. */
  size_t n = 0, m = 0;
  for (size_t o = 0; o < no; o++) ocount[o] = 0;
  for (size_t i = 0; i < np; i++) {
    gp_proj *p = &run->projs[i];
    if (proj_absent(run, p) || p->decided < 0) continue;
    int in = p->w->submitted >= from;
    a[n] = p->decided - p->w->submitted;
    code[n++] = (uint32_t)p->w->origin << TAILC_ORIGIN_SHIFT | (uint32_t)in << TAILC_WINDOW_BIT |
                (uint32_t)p->w->sector;
    ocount[p->w->origin]++;
    count[p->w->sector] += (size_t)in;
  }
  gp_sort_doubles(a, code, b, tmpc, n);
  deal(a, code, n, 0, b, no, ocount, ostart, ofill);
  for (size_t o = 0; o < no; o++) {
    calls[o].p50_days_to_decision = quantile(b + ostart[o], ocount[o], 0.5);
    calls[o].p90_days_to_decision = quantile(b + ostart[o], ocount[o], 0.9);
  }
  for (size_t i = 0; i < n; i++) /* the window's, in order */
    if (code[i] >> TAILC_WINDOW_BIT & 1) {
      a[m] = a[i];
      code[m++] = code[i];
    }
  quantiles(a, code, m, b, count, r, decision_at);

  /* Days to GPUs; the sectors' mean days to GPUs. */
  double sum[GP_NSECTORS] = {0};
  n = 0;
  for (int k = 0; k < GP_NSECTORS; k++) count[k] = 0;
  for (size_t i = 0; i < np; i++) {
    gp_proj *p = &run->projs[i];
    if (proj_absent(run, p) || p->w->submitted < from || p->started < 0) continue;
    a[n] = p->started - p->w->submitted;
    code[n++] = (uint32_t)p->w->sector;
    sum[p->w->sector] += p->started - p->w->submitted;
    count[p->w->sector]++;
  }
  gp_sort_doubles(a, code, b, tmpc, n);
  quantiles(a, code, n, b, count, r, gpu_at);
  r->worst_sector_days_to_gpu = NAN;
  for (int k = 0; k < GP_NSECTORS; k++) {
    double mean = count[k] ? sum[k] / (double)count[k] : NAN;
    if (count[k] && !(mean <= r->worst_sector_days_to_gpu)) r->worst_sector_days_to_gpu = mean;
  }

  /* GPUs granted, to the capital region among them; each proposal's
   * GPU-hours granted, counted as gpu_hours_granted counts them, at X[i]
   * (-1 outside the window), so that the sums by organisation below read a
   * double a proposal in the organisations' order rather than its records
   * (on a world of a million proposals those reads missed the cache). */
  double gpus = 0, capital = 0, *hours = a;
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
  double *org = b, total = 0;
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
    if (org[i] > 0) a[npos++] = org[i];
    total += org[i];
  }
  size_t zeros = norg - npos;
  r->gini_gpu_hours_by_org = r->hhi_gpu_hours_by_org = NAN;
  if (total > 0) {
    /* G = sum_i (2i - n - 1) x_(i) / (n sum x), i = 1..n over the totals
     * in increasing order; HHI = sum (x / sum x)^2. */
    gp_sort_doubles(a, NULL, b, NULL, npos);
    double g = 0, h = 0;
    for (size_t i = 0; i < npos; i++) {
      g += (2.0 * (double)(zeros + i + 1) - (double)norg - 1) * a[i];
      h += (a[i] / total) * (a[i] / total);
    }
    r->gini_gpu_hours_by_org = g / ((double)norg * total);
    r->hhi_gpu_hours_by_org = h;
  }
  return 0;
}
