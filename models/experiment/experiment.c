/*
 * models/experiment/experiment.c - run a plan, write its file, print its
 * summary (see experiment.h).
 *
 * Invariant: points run in turn, replications of a point in parallel; the
 * file is written once, by rank 0, after the last point (or the interrupt),
 * so a failed run leaves any earlier file of the same name untouched.
 */
#include "models/experiment/experiment.h"

#include <stdlib.h>

#include "models/experiment/budget.h"
#include "models/experiment/console.h"
#include "models/experiment/design.h"
#include "models/experiment/store.h"
#include "models/experiment/writer.h"
#include "sim/interrupt.h"
#include "sim/par.h"

/* "up to " when ST's replications were to stop at a precision target, at
 * most cap_reps; "" for a fixed number. */
static const char *up_to(const gp_store *st) {
  return st->cap_reps > st->s->replications ? "up to " : "";
}

/* After an interrupt: keep, in each point, the replications 0..k-1 that all
 * finished, and the points up to the first with none; write them marked
 * incomplete.  The message gives the counts the file stores (issue 16, item
 * 6: "wrote 54 of 4 replications" after a precision run's extra batches).
 * Returns the error that ends the run (always set). */
static int write_interrupted(const gp_plan *plan, gp_store *stores, int requested,
                             const gp_experiment_opts *o, gp_err *err) {
  int written = 0, signo = (int)gp_interrupted;
  for (int k = 0; k < plan->npoints; k++) {
    if (gp_store_keep_complete(&stores[k]) == 0) break;
    written = k + 1;
  }
  if (written == 0)
    return GP_ERR(err, GP_EX_SIGNAL + signo,
                  "interrupted by signal %d before any replication finished; nothing written",
                  signo);
  if (gp_par_rank() != 0) return 0;
  if (gp_writer_write(o->out_path, plan, stores, written, 0, requested, err)) return -1;
  const gp_store *last = &stores[written - 1];
  if (!gp_plan_swept(plan))
    return GP_ERR(err, GP_EX_SIGNAL + signo,
                  "interrupted by signal %d: wrote %d of %s%d replications to %s (complete = false)",
                  signo, last->nreps, up_to(last), requested, o->out_path);
  return GP_ERR(err, GP_EX_SIGNAL + signo,
                "interrupted by signal %d: wrote %d of %d sweep points, the last with %d of %s%d "
                "replications, to %s (complete = false)",
                signo, written, plan->npoints, last->nreps, up_to(last), last->cap_reps, o->out_path);
}

int gp_experiment_run(const gp_plan *plan, const gp_experiment_opts *o, gp_err *err) {
  int npts = plan->npoints, inited = 0, rc = 0;
  if (npts < 1) return GP_ERR(err, GP_EX_SOFTWARE, "experiment: a plan without points");
  /* Found now, not after the run: the file can be written, and the plan
   * fits on these threads with as many replications as a precision target
   * may add (the plan checked one thread, and its own replications).  Rank
   * 0 writes and holds every result: it decides, every rank stops with it. */
  int bad = gp_par_rank() == 0 &&
                    (gp_writer_check(o->out_path, plan->input, err) ||
                     gp_budget_check_plan(plan, o->threads, o->precision > 0 ? o->max_reps : 0,
                                          gp_budget_machine_bytes(), err))
                ? err->code
                : 0;
  if ((bad = gp_par_bcast(bad)) != 0)
    return err->code ? -1 : GP_ERR(err, bad, "rank 0 refused the run (%s)", o->out_path);
  gp_workers *w = gp_workers_new(o->threads, o->progress, o->progress_ctx, err);
  gp_store *stores = w ? calloc((size_t)npts, sizeof *stores) : NULL;
  if (!w) rc = -1;
  else if (!stores) rc = GP_ERR_NOMEM(err);
  for (int k = 0; k < npts && !rc; k++) {
    const gp_scenario *s = plan->points[k].s;
    int first = s->replications;
    int cap = o->precision > 0 && o->max_reps > first ? o->max_reps : first;
    if (gp_store_init(&stores[k], s, cap, err)) {
      rc = -1;
      break;
    }
    inited = k + 1;
    if ((stores[k].design = plan->points[k].design) &&
        gp_design_reserve(plan->points[k].design, cap, err)) {
      rc = -1;
      break;
    }
    gp_workers_expect(w, first);
  }
  for (int k = 0; k < npts && !rc && !gp_interrupted; k++)
    rc = gp_workers_run(w, &stores[k], o->precision, err);
  if (!rc) gp_workers_finish(w);
  if (!rc && o->precision > 0 && o->summary && gp_par_rank() == 0)
    gp_console_precision(o->summary, stores, npts, o->precision);
  /* The most any point asked for (all alike but in a sweep of "replications"). */
  int requested = 0;
  for (int k = 0; k < inited; k++)
    if (stores[k].cap_reps > requested) requested = stores[k].cap_reps;
  if (!rc && gp_interrupted) {
    rc = write_interrupted(plan, stores, requested, o, err);
  } else if (!rc && gp_par_rank() == 0) {
    /* Only rank 0 writes and reports; the others are done. */
    rc = gp_writer_write(o->out_path, plan, stores, npts, 1, requested, err);
    if (!rc && o->summary)
      rc = gp_console_summary(o->summary, plan, stores, o->out_path, gp_workers_seconds(w),
                              o->wide, err);
  }
  for (int k = 0; k < inited; k++) gp_store_free(&stores[k]);
  free(stores);
  gp_workers_free(w);
  return rc;
}
