/*
 * analysis/discover.c - scenario discovery on a two-level result file (see
 * discover.h): the condition's parse, the points (replications x design
 * coordinates), PRIM over them, the bounds in each factor's unit, and what
 * `gpuplan discover` prints and writes.
 *
 * Invariant: a bound printed is a value the factor took (or unrestricted),
 * so that a box reads in the factors' own units whatever the grouping.
 */
#include "analysis/discover.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "analysis/text.h"
#include "models/results/metrics.h"
#include "sim/escape.h"

/* ---- the condition ---- */

int gp_discover_parse(const char *s, gp_discover_cond *c, gp_err *err) {
  memset(c, 0, sizeof *c);
  const char *op = strpbrk(s, "<>");
  if (!op)
    return GP_ERR(err, GP_EX_USAGE,
                  "--when \"%s\": expected METRIC>X, METRIC<X, METRIC>=X or METRIC<=X", s);
  const char *end = op;
  while (end > s && isspace((unsigned char)end[-1])) end--;
  const char *begin = s;
  while (begin < end && isspace((unsigned char)*begin)) begin++;
  char name[64];
  if ((size_t)(end - begin) >= sizeof name || end == begin)
    return GP_ERR(err, GP_EX_USAGE, "--when \"%s\": expected a metric before %c", s, *op);
  memcpy(name, begin, (size_t)(end - begin));
  name[end - begin] = '\0';
  c->op[0] = *op;
  const char *num = op + 1;
  if (*num == '=') c->op[1] = '=', num++;
  char *stop;
  errno = 0;
  c->x = strtod(num, &stop);
  while (isspace((unsigned char)*stop)) stop++;
  if (stop == num || *stop || errno || !isfinite(c->x))
    return GP_ERR(err, GP_EX_USAGE, "--when \"%s\": expected a number after %s", s, c->op);
  if ((c->k = gp_stat_index(name)) < 0)
    return GP_ERR(err, GP_EX_USAGE, "--when \"%s\": unknown metric \"%s\"", s, name);
  return 0;
}

/* Whether C holds of summary row ROW: 1, 0, or -1 when the metric has no
 * value there. */
static int cond_holds(const gp_discover_cond *c, const gp_summary_row *row) {
  double v = gp_field_get(gp_stat_field(c->k), row);
  if (isnan(v)) return -1;
  switch (c->op[0] == '>' ? (c->op[1] ? 0 : 1) : (c->op[1] ? 2 : 3)) {
  case 0: return v >= c->x;
  case 1: return v > c->x;
  case 2: return v <= c->x;
  default: return v < c->x;
  }
}

/* All of D's conditions of replication I under policy P: 1, 0, or -1. */
static int holds(const gp_reader *r, const gp_discover *d, size_t p, size_t i) {
  int all = 1;
  for (size_t w = 0; w < d->nwhen; w++) {
    int h = cond_holds(&d->when[w], &r->pol[p].sum[i]);
    if (h < 0) return -1;
    all = all && h;
  }
  return all;
}

void gp_discover_when_text(const gp_discover *d, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t w = 0; w < d->nwhen && used < size; w++) {
    int n = snprintf(buf + used, size - used, "%s%s %s %g", w ? " and " : "",
                     gp_stat_field(d->when[w].k)->name, d->when[w].op, d->when[w].x);
    if (n < 0) break;
    used += (size_t)n;
  }
}

/* ---- the points ---- */

void gp_discover_free(gp_discover *d) {
  if (!d) return;
  gp_reader_uncertain_free(&d->u);
  free(d->when);
  free(d->dim_factor);
  free(d->factor_dim);
  free(d->rep);
  free(d->x);
  free(d->y);
  free(d->v);
  gp_prim_free(d->prim);
  memset(d, 0, sizeof *d);
}

/* The design's coordinates: one per group (its first factor) and per
 * ungrouped factor, in the factors' order. */
static int coordinates(gp_discover *d, gp_err *err) {
  size_t nf = d->u.nf;
  if (!(d->dim_factor = malloc(nf * sizeof *d->dim_factor)) ||
      !(d->factor_dim = malloc(nf * sizeof *d->factor_dim)))
    return GP_ERR_NOMEM(err);
  d->k = 0;
  for (size_t f = 0; f < nf; f++) {
    size_t j = d->k;
    if (d->u.group[f][0])
      for (size_t g = 0; g < f; g++)
        if (strcmp(d->u.group[g], d->u.group[f]) == 0) {
          j = d->factor_dim[g];
          break;
        }
    d->factor_dim[f] = j;
    if (j == d->k) d->dim_factor[d->k++] = f;
  }
  return 0;
}

int gp_discover_run(gp_reader *r, const gp_discover_opts *o, gp_discover *d, gp_err *err) {
  memset(d, 0, sizeof *d);
  gp_prim_opts po = GP_PRIM_OPTS_DEFAULT;
  if (o->alpha != 0) po.alpha = o->alpha;
  if (o->min_mass != 0) po.min_mass = o->min_mass;
  d->popts = po;
  if (o->policy) {
    int p = gp_reader_policy_index(r, o->policy);
    if (p < 0) return GP_ERR(err, GP_EX_USAGE, "%s: no policy \"%s\"", r->path, o->policy);
    d->pol = (size_t)p;
  }
  size_t nw = o->nwhen ? o->nwhen : 1;
  if (!(d->when = malloc(nw * sizeof *d->when))) return GP_ERR_NOMEM(err);
  d->nwhen = nw;
  if (o->nwhen)
    memcpy(d->when, o->when, nw * sizeof *d->when);
  else if (gp_discover_parse(GP_DISCOVER_DEFAULT_WHEN, d->when, err))
    return -1;
  if (gp_reader_uncertain_read(r, &d->u, err)) return -1;
  if (d->u.nf == 0)
    return GP_ERR(err, GP_EX_DATAERR,
                  "%s: not a two-level run (no /uncertain): run the scenario with --uncertain",
                  r->path);
  if (coordinates(d, err)) return -1;
  size_t nr = r->nreps;
  if (!(d->rep = malloc((nr ? nr : 1) * sizeof *d->rep)) ||
      !(d->x = malloc((nr ? nr : 1) * d->k * sizeof *d->x)) ||
      !(d->y = malloc((nr ? nr : 1) * sizeof *d->y)) ||
      !(d->v = malloc((nr ? nr : 1) * sizeof *d->v)))
    return GP_ERR_NOMEM(err);
  d->same = 1;
  for (size_t i = 0; i < nr; i++) {
    int h = holds(r, d, d->pol, i);
    for (size_t p = 0; p < r->np && d->same; p++)
      if (holds(r, d, p, i) != h) d->same = 0;
    if (h < 0) {
      d->nan++;
      continue;
    }
    for (size_t j = 0; j < d->k; j++) d->x[d->n * d->k + j] = d->u.value[i * d->u.nf + d->dim_factor[j]];
    d->y[d->n] = h;
    d->v[d->n] = gp_field_get(gp_stat_field(d->when[0].k), &r->pol[d->pol].sum[i]);
    d->rep[d->n++] = i;
    d->cases += (size_t)h;
  }
  if (d->n == 0 && d->nan) {
    char when[512];
    gp_discover_when_text(d, when, sizeof when);
    return GP_ERR(err, GP_EX_DATAERR,
                  "%s: %s: no replication has a value of its metrics (gap_to_target needs a "
                  "roadmap target)",
                  r->path, when);
  }
  if (d->n < GP_DISCOVER_MIN_REPS)
    return GP_ERR(err, GP_EX_DATAERR,
                  "%s: %zu replications with a value of the condition's metrics: too few to "
                  "discover anything (at least %d; run with more --reps)",
                  r->path, d->n, GP_DISCOVER_MIN_REPS);
  if (d->cases == 0 || d->cases == d->n) return 0;
  return (d->prim = gp_prim_run(d->x, d->y, d->n, d->k, &po, err)) ? 0 : -1;
}

int gp_discover_bounds(const gp_discover *d, const double *lo, const double *hi, size_t f,
                       double *flo, double *fhi) {
  size_t j = d->factor_dim[f];
  *flo = -INFINITY, *fhi = INFINITY;
  int low = lo[j] > -INFINITY, high = hi[j] < INFINITY;
  if (!low && !high) return 0;
  /* The factor's least value at or above the coordinate's lower bound, and
   * its greatest at or below the upper: monotone in the coordinate. */
  double a = INFINITY, b = -INFINITY;
  for (size_t i = 0; i < d->n; i++) {
    double xj = d->x[i * d->k + j], v = d->u.value[d->rep[i] * d->u.nf + f];
    if (xj >= lo[j] && v < a) a = v;
    if (xj <= hi[j] && v > b) b = v;
  }
  if (low) *flo = a;
  if (high) *fhi = b;
  return 1;
}

size_t gp_discover_top(const gp_discover *d, size_t *out, size_t max) {
  size_t m = 0;
  const gp_prim *p = d->prim;
  /* Coordinates the chosen box restricts, by their first peel. */
  for (size_t s = 1; p && s <= p->chosen && m < max; s++) {
    int j = p->step[s].dim;
    if (j < 0) continue;
    if (p->box_lo[j] == -INFINITY && p->box_hi[j] == INFINITY) continue;
    size_t f = d->dim_factor[j], seen = 0;
    for (size_t q = 0; q < m; q++) seen |= out[q] == f;
    if (!seen) out[m++] = f;
  }
  /* Then by |Spearman| with the metric (ties: the lower coordinate). */
  double *work = malloc(2 * (d->n ? d->n : 1) * sizeof *work);
  double *col = malloc((d->n ? d->n : 1) * sizeof *col);
  while (m < max && work && col) {
    double best = -1;
    size_t bf = 0;
    for (size_t j = 0; j < d->k; j++) {
      size_t f = d->dim_factor[j], seen = 0;
      for (size_t q = 0; q < m; q++) seen |= out[q] == f;
      if (seen) continue;
      for (size_t i = 0; i < d->n; i++) col[i] = d->x[i * d->k + j];
      double rho = d->n > 1 ? gsl_stats_spearman(col, 1, d->v, 1, d->n, work) : 0;
      if (!isfinite(rho)) rho = 0;
      if (fabs(rho) > best) best = fabs(rho), bf = f;
    }
    if (best < 0) break;
    out[m++] = bf;
  }
  free(work);
  free(col);
  return m;
}

/* ---- what discover prints ---- */

static void put_pct(FILE *o, double x) { fprintf(o, "%5.1f%%", 100 * x); }

/* Factor F's bounds in words: ">= a", "<= b" or "a to b". */
static void put_bounds(FILE *o, double a, double b) {
  if (a > -INFINITY && b < INFINITY)
    fprintf(o, "%g to %g", a, b);
  else if (a > -INFINITY)
    fprintf(o, ">= %g", a);
  else
    fprintf(o, "<= %g", b);
}

/* The factor (and bound) step S of the trajectory peeled. */
static void put_peel(FILE *o, const gp_discover *d, size_t s) {
  const gp_prim *p = d->prim;
  const gp_prim_step *st = &p->step[s];
  if (st->dim < 0) {
    fputs("-", o);
    return;
  }
  size_t j = (size_t)st->dim, f = d->dim_factor[j];
  double a, b;
  gp_discover_bounds(d, p->lo + s * p->k, p->hi + s * p->k, f, &a, &b);
  gp_escape_fputs(d->u.path[f], o);
  fputc(' ', o);
  if (st->side < 0)
    fprintf(o, ">= %g", a);
  else
    fprintf(o, "<= %g", b);
}

int gp_discover_print(FILE *o, const gp_reader *r, const gp_discover *d, gp_err *err) {
  char when[512];
  gp_discover_when_text(d, when, sizeof when);
  fputs("policy: ", o);
  gp_escape_fputs(r->pol[d->pol].name, o);
  if (r->np > 1)
    fputs(d->same ? " (the condition holds in the same replications under every policy)"
                  : " (the condition differs between policies: --policy P for another)",
          o);
  fprintf(o, "\ncondition: %s in %zu of %zu replications (base rate %.1f%%)", when, d->cases,
          d->n, 100.0 * (double)d->cases / (double)d->n);
  if (d->nan) fprintf(o, "; %zu left out (no value)", d->nan);
  fprintf(o, "\nfactors: %zu on %zu coordinates of the design", d->u.nf, d->k);
  if (d->k < d->u.nf) fputs(" (the factors of a group move together and are peeled as one)", o);
  fputc('\n', o);
  if (!d->prim) {
    fprintf(o, "the condition holds in %s replication: no box to find\n",
            d->cases ? "every" : "no");
    return 0;
  }
  const gp_prim *p = d->prim;
  size_t nrestr = 0;
  for (size_t j = 0; j < d->k; j++) nrestr += p->box_lo[j] > -INFINITY || p->box_hi[j] < INFINITY;
  int pasted = memcmp(p->box_lo, p->lo + p->chosen * p->k, p->k * sizeof *p->box_lo) ||
               memcmp(p->box_hi, p->hi + p->chosen * p->k, p->k * sizeof *p->box_hi);
  fprintf(o, "\nbox (step %zu of the trajectory%s; PRIM, alpha %g, minimum mass %g):\n", p->chosen,
          pasted ? ", then pasted" : "", d->popts.alpha, d->popts.min_mass);
  if (!nrestr) fputs("  (no factor restricted: no region where the condition is more likely)\n", o);
  for (size_t f = 0; f < d->u.nf; f++) {
    double a, b;
    if (!gp_discover_bounds(d, p->box_lo, p->box_hi, f, &a, &b)) continue;
    fputs("  ", o);
    gp_escape_fputs(d->u.path[f], o);
    fputs("  ", o);
    put_bounds(o, a, b);
    if (d->u.group[f][0]) {
      fputs("  (group ", o);
      gp_escape_fputs(d->u.group[f], o);
      fputc(')', o);
    }
    fputc('\n', o);
  }
  size_t nfree = 0;
  for (size_t f = 0; f < d->u.nf; f++) {
    double a, b;
    nfree += !gp_discover_bounds(d, p->box_lo, p->box_hi, f, &a, &b);
  }
  if (nfree && nrestr) fprintf(o, "  (%zu other factor%s unrestricted)\n", nfree, nfree == 1 ? "" : "s");
  fputs("coverage ", o);
  put_pct(o, p->box.coverage);
  fputs("  density ", o);
  put_pct(o, p->box.density);
  fputs("  mass ", o);
  put_pct(o, p->box.mass);
  fprintf(o, "  (%zu replications in the box)\n", p->box.n_in);
  fputs("\npeeling trajectory (* the chosen box):\n step coverage  density     mass  peeled\n", o);
  for (size_t s = 0; s < p->nsteps; s++) {
    fprintf(o, "%c%4zu  ", s == p->chosen ? '*' : ' ', s);
    put_pct(o, p->step[s].coverage);
    fputs("   ", o);
    put_pct(o, p->step[s].density);
    fputs("   ", o);
    put_pct(o, p->step[s].mass);
    fputs("  ", o);
    put_peel(o, d, s);
    fputc('\n', o);
  }
  return ferror(o) ? GP_ERR(err, GP_EX_IOERR, "standard output: write error") : 0;
}

/* The rows of gp_discover_csv (CTX: the gp_discover). */
static void write_steps(FILE *f, const void *ctx) {
  const gp_discover *d = ctx;
  fputs("step,coverage,density,mass,replications,factor,side,bound,p_value,chosen\n", f);
  const gp_prim *p = d->prim;
  for (size_t s = 0; p && s < p->nsteps; s++) {
    const gp_prim_step *st = &p->step[s];
    fprintf(f, "%zu,", s);
    gp_csv_number(f, st->coverage);
    fputc(',', f);
    gp_csv_number(f, st->density);
    fputc(',', f);
    gp_csv_number(f, st->mass);
    fprintf(f, ",%zu,", st->n_in);
    if (st->dim >= 0) {
      size_t fi = d->dim_factor[st->dim];
      double a, b;
      gp_discover_bounds(d, p->lo + s * p->k, p->hi + s * p->k, fi, &a, &b);
      gp_csv_text(f, d->u.path[fi]);
      fprintf(f, ",%s,", st->side < 0 ? "lower" : "upper");
      gp_csv_number(f, st->side < 0 ? a : b);
      fputc(',', f);
      gp_csv_number(f, st->p_value); /* nothing for NaN */
    } else {
      fputs(",,,", f);
    }
    fprintf(f, ",%d\n", s == p->chosen);
  }
}

int gp_discover_csv(const char *path, const gp_discover *d, gp_err *err) {
  return gp_write_file(path, write_steps, d, err);
}
