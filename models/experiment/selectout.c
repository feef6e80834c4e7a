/*
 * models/experiment/selectout.c - the /select file and the console lines of
 * `gpuplan select` (see selectout.h; docs/output.md).
 *
 * Invariant: the file is written from the plan, the spec and the result
 * alone (no clock, no thread count, no batch: not even the values drawn
 * past an elimination), so it is byte-identical under any number of
 * threads or MPI ranks.
 */
#include "models/experiment/selectout.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/experiment/writer.h"
#include "models/results/h5out.h"
#include "models/results/metrics.h"
#include "sim/escape.h"

typedef struct elim_row {
  int8_t policy;
  int32_t eliminated_at;
  double mean;
  int8_t best;
  double best_mean;
} elim_row;

/* The eliminations table: one row per policy, in the result's order. */
static int write_table(gp_h5out *h, const gp_selectout *o, const char *const *pols,
                       const char *const *best, gp_err *err) {
  const gp_select_result *res = o->res;
  const char *unit = gp_stat_field(o->metric)->unit;
  int k = res->k;
  const gp_field f[] = {
      GP_FIELD_ENUM(elim_row, policy, pols, k, "the policy (names: attribute policies)"),
      GP_FIELD(elim_row, eliminated_at, GP_F_INT32, "replications",
               "its replications when eliminated; the selected: the final count; -1 = never "
               "eliminated, still in at the cap"),
      GP_FIELD(elim_row, mean, GP_F_DOUBLE, unit, "its mean of the metric then"),
      GP_FIELD_ENUM(elim_row, best, best, k + 1,
                    "the best other policy still in then (by mean); none = no other"),
      GP_FIELD(elim_row, best_mean, GP_F_DOUBLE, unit, "that policy's mean then; NaN = none"),
  };
  gp_table_desc d = {"eliminations", sizeof(elim_row), f, (int)(sizeof f / sizeof f[0])};
  elim_row *rows = calloc((size_t)k, sizeof *rows);
  if (!rows) return GP_ERR_NOMEM(err);
  for (int j = 0; j < k; j++) {
    const gp_select_row *x = &res->rows[j];
    rows[j] = (elim_row){(int8_t)x->system, (int32_t)x->at, x->mean,
                         (int8_t)(x->best >= 0 ? x->best : k), x->best_mean};
  }
  int rc = gp_h5out_table(h, "/select/eliminations", &d, rows, (size_t)k, err);
  free(rows);
  return rc;
}

static int write_group(gp_h5out *h, const gp_selectout *o, gp_err *err) {
  const gp_select_result *res = o->res;
  const gp_scenario *s = o->plan->points[0].s;
  int k = res->k;
  const char **pols = malloc((size_t)(k + 1) * sizeof *pols);
  if (!pols) return GP_ERR_NOMEM(err);
  for (int p = 0; p < k; p++) pols[p] = s->policies[p].name;
  pols[k] = "none";
  const char *g = "/select";
  int rc = gp_h5out_group(h, g, err) ||
           gp_h5out_attr_string(h, g, "procedure", "Kim and Nelson (2001), KN", err) ||
           gp_h5out_attr_string(h, g, "selected", pols[res->selected], err) ||
           gp_h5out_attr_int(h, g, "guaranteed", res->guaranteed, err) ||
           gp_h5out_attr_string(h, g, "metric", gp_stat_metric_names[o->metric], err) ||
           gp_h5out_attr_string(h, g, "unit", gp_stat_field(o->metric)->unit, err) ||
           gp_h5out_attr_string(h, g, "direction", o->spec->maximize ? "maximize" : "minimize",
                                err) ||
           gp_h5out_attr_double(h, g, "delta", o->spec->delta, err) ||
           gp_h5out_attr_double(h, g, "pcs", res->pcs, err) ||
           gp_h5out_attr_int(h, g, "n0", res->n0, err) ||
           gp_h5out_attr_double(h, g, "eta", res->eta, err) ||
           gp_h5out_attr_double(h, g, "h2", res->h2, err) ||
           gp_h5out_attr_int(h, g, "max_reps", res->max_reps, err) ||
           gp_h5out_attr_int(h, g, "reps", res->reps, err) ||
           gp_h5out_attr_int(h, g, "reps_total", res->cost, err) ||
           gp_h5out_attr_strings(h, g, "policies", pols, (size_t)k, err) ||
           write_table(h, o, pols, pols, err);
  free(pols);
  return rc ? -1 : 0;
}

int gp_selectout_write(const char *path, const gp_selectout *o, gp_err *err) {
  if (o->res->k > 127)
    return GP_ERR(err, GP_EX_USAGE, "select: %d policies: at most 127 fit the file's enum",
                  o->res->k);
  gp_h5out *h = gp_h5out_create(path, err);
  if (!h) return -1;
  if (gp_writer_root(h, o->plan, o->res->reps, 0, 1, o->res->reps, err) ||
      write_group(h, o, err)) {
    gp_h5out_abort(h);
    return -1;
  }
  return gp_h5out_commit(h, err);
}

static void put_name(FILE *f, const char *name, int width) {
  char esc[200];
  gp_escape(esc, sizeof esc, name);
  fprintf(f, "%-*s", width, esc);
}

void gp_selectout_summary(FILE *f, const gp_selectout *o, const char *path) {
  const gp_select_result *res = o->res;
  const gp_scenario *s = o->plan->points[0].s;
  const char *unit = gp_stat_field(o->metric)->unit;
  int k = res->k;
  fprintf(f, "Kim-Nelson selection of the %s %s among %d policies: indifference zone %g %s, "
             "PCS >= %g\n",
          o->spec->maximize ? "largest" : "smallest", gp_stat_metric_names[o->metric], k,
          o->spec->delta, unit, res->pcs);
  fprintf(f, "  first stage n0 = %d, eta = %.4g, h2 = %.4g, cap %d replications\n\n", res->n0,
          res->eta, res->h2, res->max_reps);
  fprintf(f, "  %-20s %12s %14s   %s\n", "policy", "replications", "mean", "best other then (mean)");
  for (int j = 0; j < k; j++) {
    const gp_select_row *x = &res->rows[j];
    fputs("  ", f);
    put_name(f, s->policies[x->system].name, 20);
    if (x->at >= 0) fprintf(f, " %12d", x->at);
    else fprintf(f, " %12s", "cap");
    fprintf(f, " %14.4g   ", x->mean);
    if (x->best >= 0) {
      put_name(f, s->policies[x->best].name, 0);
      fprintf(f, " (%.4g)", x->best_mean);
    } else {
      fputs("-", f);
    }
    fputs(x->system == res->selected ? "   selected\n"
          : x->at >= 0               ? "   eliminated\n"
                                     : "   still in at the cap\n",
          f);
  }
  fputs("\nselected: ", f);
  gp_escape_fputs(s->policies[res->selected].name, f);
  fprintf(f, ": %s %.4g %s over %d replications\n", gp_stat_metric_names[o->metric],
          res->rows[k - 1].mean, unit, res->reps);
  if (!res->guaranteed)
    fprintf(f,
            "NOT GUARANTEED: the cap of %d replications was reached with several policies "
            "still in;\n  the best mean so far is named, without the PCS guarantee (raise "
            "--max-reps or --delta)\n",
            res->max_reps);
  fprintf(f, "cost: %lld policy-replications (%d x %d = %lld without eliminations), %.1f s\n",
          res->cost, k, res->reps, (long long)k * res->reps, o->seconds);
  if (path) {
    fputs("written to ", f);
    gp_escape_fputs(path, f);
    fputc('\n', f);
  }
}
