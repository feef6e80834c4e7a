/*
 * models/experiment/sizeout.c - the /size file and the console report of
 * `gpuplan size` (see sizeout.h; docs/output.md).
 *
 * Invariant: the file is written from the gp_size alone (no clock, no
 * thread count), so it is byte-identical under any number of threads or
 * MPI ranks; the evaluations' rows are in the order they were made.
 */
#include "models/experiment/sizeout.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/experiment/writer.h"
#include "models/results/h5out.h"
#include "models/results/metrics.h"
#include "sim/escape.h"

typedef struct eval_row {
  double value;
  int32_t reps;
  double mean, lo, hi;
  int32_t meets;
} eval_row;

static const char *direction_name(int d) {
  return d < 0 ? "decreasing" : d > 0 ? "increasing" : "flat";
}

static int write_group(gp_h5out *h, const gp_size *r, gp_err *err) {
  const gp_size_answer *a = &r->answer;
  const gp_size_search *sp = &r->search;
  const char *g = "/size", *unit = gp_stat_field(r->metric)->unit;
  const gp_field f[] = {
      GP_FIELD(eval_row, value, GP_F_DOUBLE, "the knob's", "the knob's value"),
      GP_FIELD(eval_row, reps, GP_F_INT32, "", "replications 0..reps-1 (the same worlds at "
                                                "every value)"),
      GP_FIELD(eval_row, mean, GP_F_DOUBLE, unit, "the metric's mean over the replications"),
      GP_FIELD(eval_row, lo, GP_F_DOUBLE, unit,
               "mean - t s / sqrt(reps): the one-sided lower bound at the confidence"),
      GP_FIELD(eval_row, hi, GP_F_DOUBLE, unit,
               "mean + t s / sqrt(reps): the one-sided upper bound at the confidence"),
      GP_FIELD(eval_row, meets, GP_F_INT32, "",
               "1: the bound on the target's side meets it (hi <= X for <=, lo >= X for >=)"),
  };
  gp_table_desc d = {"evaluations", sizeof(eval_row), f, (int)(sizeof f / sizeof f[0])};
  eval_row *rows = calloc((size_t)(a->nevals ? a->nevals : 1), sizeof *rows);
  if (!rows) return GP_ERR_NOMEM(err);
  for (int i = 0; i < a->nevals; i++) {
    const gp_size_eval *e = &a->evals[i];
    rows[i] = (eval_row){e->value, e->reps, e->mean, e->lo, e->hi, e->meets};
  }
  int rc = gp_h5out_group(h, g, err) ||
           gp_h5out_attr_string(h, g, "status", gp_size_status_names[a->status], err) ||
           gp_h5out_attr_double(h, g, "answer", a->answer, err) ||
           gp_h5out_attr_double(h, g, "neighbour", a->neighbour, err) ||
           gp_h5out_attr_string(h, g, "knob", r->knob, err) ||
           gp_h5out_attr_double(h, g, "knob_value", r->knob_value, err) ||
           gp_h5out_attr_double(h, g, "range_lo", sp->lo, err) ||
           gp_h5out_attr_double(h, g, "range_hi", sp->hi, err) ||
           gp_h5out_attr_int(h, g, "integer", sp->integer, err) ||
           gp_h5out_attr_double(h, g, "tol", a->tol, err) ||
           gp_h5out_attr_string(h, g, "metric", gp_stat_metric_names[r->metric], err) ||
           gp_h5out_attr_string(h, g, "op", gp_size_op_names[sp->op], err) ||
           gp_h5out_attr_double(h, g, "target", sp->target, err) ||
           gp_h5out_attr_double(h, g, "confidence", sp->confidence, err) ||
           gp_h5out_attr_int(h, g, "reps", sp->reps, err) ||
           gp_h5out_attr_int(h, g, "confirm_reps", a->confirm_reps, err) ||
           gp_h5out_attr_string(h, g, "direction", direction_name(a->direction), err) ||
           gp_h5out_attr_string(h, g, "toward", a->toward_hi ? "hi" : "lo", err) ||
           gp_h5out_attr_string(h, g, "policy", r->policy, err) ||
           gp_h5out_attr_int(h, g, "rebisected", a->rebisected, err) ||
           gp_h5out_attr_string(h, g, "warning", a->warning, err) ||
           gp_h5out_table(h, "/size/evaluations", &d, rows, (size_t)a->nevals, err);
  free(rows);
  return rc ? -1 : 0;
}

int gp_sizeout_write(const char *path, const gp_size *r, gp_err *err) {
  gp_h5out *h = gp_h5out_create(path, err);
  if (!h) return -1;
  if (gp_writer_root(h, r->plan, r->search.reps, 0, 1, r->search.reps, err) ||
      write_group(h, r, err)) {
    gp_h5out_abort(h);
    return -1;
  }
  return gp_h5out_commit(h, err);
}

/* "KNOB = V: METRIC MEAN, C bounds [LO, HI], N replications". */
static void eval_line(FILE *f, const gp_size *r, const gp_size_eval *e) {
  fputs("  ", f);
  gp_escape_fputs(r->knob, f);
  fprintf(f, " = %.10g: mean %.6g, %g%% bounds [%.6g, %.6g], %d replications: %s\n", e->value,
          e->mean, 100 * r->search.confidence, e->lo, e->hi, e->reps,
          e->meets ? "meets the target" : "does not meet it");
}

void gp_sizeout_summary(FILE *f, const gp_size *r, const char *path) {
  const gp_size_answer *a = &r->answer;
  const gp_size_search *sp = &r->search;
  const char *metric = gp_stat_metric_names[r->metric];
  fputs("size: ", f);
  gp_escape_fputs(r->knob, f);
  const char *unit = gp_stat_field(r->metric)->unit;
  fprintf(f, " in [%.10g, %.10g]%s (%.10g in the scenario); target %s %s %.10g (%s%s) with "
             "confidence %g; policy ",
          sp->lo, sp->hi, sp->integer ? ", whole values" : "", r->knob_value, metric,
          gp_size_op_names[sp->op], sp->target, strcmp(unit, "1") == 0 ? "a fraction" : "in ",
          strcmp(unit, "1") == 0 ? "" : unit, sp->confidence);
  gp_escape_fputs(r->policy, f);
  fprintf(f, "%s; seed %llu\n", r->policy_given ? "" : " (the scenario's first; --policy to choose)",
          (unsigned long long)r->seed);
  fprintf(f, "%s is %s from %.10g to %.10g (%d replications): the %s value that meets the target\n",
          metric, direction_name(a->direction), sp->lo, sp->hi, sp->reps,
          a->toward_hi ? "smallest" : "largest");
  if (a->status == GP_SIZE_FOUND) {
    fputs("\nanswer: ", f);
    gp_escape_fputs(r->knob, f);
    fprintf(f, " = %.10g\n", a->answer);
    eval_line(f, r, &a->evals[a->answer_row]);
    eval_line(f, r, &a->evals[a->neighbour_row]);
    if (a->rebisected)
      fprintf(f, "(the confirmation with %d replications disagreed with the bisection with %d: "
                 "searched again at %d)\n",
              a->confirm_reps, sp->reps, a->confirm_reps);
  } else {
    const gp_size_eval *e = &a->evals[a->edge_row];
    fprintf(f, "\nno answer in the range: %s at ",
            a->status == GP_SIZE_ALREADY_MET ? "already met" : "not met even");
    gp_escape_fputs(r->knob, f);
    fprintf(f, " = %.10g (%s)\n", e->value,
            e->value == sp->lo ? "LO" : "HI");
    eval_line(f, r, e);
  }
  fprintf(f, "\nevaluations, in order (%d; %lld policy-replications in %.1f s):\n", a->nevals,
          r->policy_reps, r->seconds);
  for (int i = 0; i < a->nevals; i++) eval_line(f, r, &a->evals[i]);
  if (a->warning[0]) fprintf(f, "\nwarning: %s\n", a->warning);
  if (path) {
    fputs("\nwritten to ", f);
    gp_escape_fputs(path, f);
    fputc('\n', f);
  }
}
