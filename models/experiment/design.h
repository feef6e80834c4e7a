/*
 * models/experiment/design.h - two-level runs (`gpuplan run --uncertain`):
 * the outer level draws the scenario's "uncertain" values once per
 * replication, the inner level plays every policy on that world.
 *
 * Replication r takes point r of a design on [0, 1)^k, k the factors'
 * coordinates (a group counts once), and maps coordinate dim of a factor
 * through its inverse CDF (models/scenario/uncertain.h):
 *   sobol  GSL's Sobol' sequence (gsl_qrng_sobol, k <= 40) without its
 *          point 0: that point is all zeros, the lower end of every factor
 *          (a normal's -infinity).  GSL's generator never returns it: its
 *          first point is point 1, so replication r takes point r + 1 and
 *          replication 0 the centre (1/2, ..., 1/2), every factor's median.
 *          Point r does not depend on how many there are: --precision may
 *          add replications.  It does not depend on the seed either.
 *   lhs    a Latin hypercube of exactly the planned replications, from a
 *          generator seeded by the scenario's seed alone: one point in each
 *          of n equal slices of every coordinate.  It cannot grow.
 * Replication r's scenario is its point's scenario with those values put in
 * through the --set path and loaded again (a worker does it, frees it after
 * the replication: a thousand replications never hold a thousand
 * scenarios).  Every policy of replication r plays that one world, so
 * comparisons stay paired; a replication's values depend on r alone, so the
 * file is the same under any number of threads or MPI ranks.
 *
 * A design may instead (or as well) draw a calibration's posterior (`run
 * --posterior FILE`, FILE a `gpuplan calibrate --method abc` output):
 * replication r takes one particle of its last generation by its weight,
 * from a uniform of r's own stream (the seed, r, "posterior"): the same
 * particle under every policy, thread count and rank; its values go in at
 * the unknowns' paths, after the factors' when both are drawn.
 *
 * Ownership: a design borrows its point's scenario (the plan owns both)
 * and owns its posterior.
 */
#ifndef GP_DESIGN_H
#define GP_DESIGN_H

#include "models/experiment/calibout.h"
#include "models/experiment/plan.h"
#include "models/scenario/scenario.h"
#include "sim/err.h"

typedef enum gp_design_kind { GP_DESIGN_SOBOL, GP_DESIGN_LHS } gp_design_kind;
/* "sobol", "lhs": indexed by gp_design_kind, NULL-terminated. */
extern const char *const gp_design_kind_names[];
/* The most coordinates gsl_qrng_sobol draws. */
#define GP_DESIGN_SOBOL_MAX_DIMS 40

typedef struct gp_design gp_design;

/* `run`'s plan of SPEC (gp_plan_load) with a design of KIND on every point.
 * A usage error (GP_EX_USAGE) when the scenario has no "uncertain" block,
 * something else sets a factor's value (--set, the sweep, an overlay of the
 * block's file: the draws would silently replace it), or KIND cannot draw
 * its factors (sobol: more than 40 coordinates). */
gp_plan *gp_design_plan(const gp_plan_spec *spec, gp_design_kind kind, gp_err *err);

/* The same when UNCERTAIN, and with POSTERIOR (a calibrate file; NULL =
 * none) drawn on every point.  The posterior is refused (GP_EX_DATAERR, a
 * message naming the file) when it is no abc file (gp_calibout_read), an
 * unknown's path is no number of the point's scenario, or it was fitted on
 * another scenario: another name, or a difference anywhere but at the
 * unknowns' paths, the --set and sweep paths, the run's keys (seed,
 * replications, output), "description", "policies" and the blocks that
 * vary values (the message names the first).  A usage error (GP_EX_USAGE)
 * when --set, the sweep or (UNCERTAIN) a factor writes one of its paths. */
gp_plan *gp_design_plan_posterior(const gp_plan_spec *spec, int uncertain, gp_design_kind kind,
                                  const char *posterior, gp_err *err);

/* POST fits point PT of PL as gp_design_plan_posterior checks it (its
 * paths numbers of the point's scenario that neither the factors, when
 * UNCERTAIN, nor an override write; fitted on the same scenario): 0, or -1
 * with ERR set (also for `gpuplan sensitivity --posterior`). */
int gp_design_posterior_check(const gp_plan *pl, const gp_plan_point *pt, int uncertain,
                              const gp_calibout_posterior *post, gp_err *err);

/* A design of KIND over S's factors for S->replications replications. */
gp_design *gp_design_new(const gp_scenario *s, gp_design_kind kind, gp_err *err);
void gp_design_free(gp_design *d);
gp_design_kind gp_design_kind_of(const gp_design *d);
/* Room for NREPS replications (a precision target's cap); a usage error
 * for a Latin hypercube asked to grow. */
int gp_design_reserve(gp_design *d, int nreps, gp_err *err);
/* The factors' values of replication REP (< the reserved count) into
 * VALUES (one per factor of the scenario, in its order). */
void gp_design_values(const gp_design *d, int rep, double *values);
/* 1 when D draws the factors (--uncertain); the posterior it draws, or NULL. */
int gp_design_has_uncertain(const gp_design *d);
const gp_calibout_posterior *gp_design_posterior(const gp_design *d);
/* With a posterior: the particle replication REP drew (its index, returned)
 * and its values into VALUES (one per path of the posterior). */
int gp_design_posterior_values(const gp_design *d, int rep, double *values);
/* Replication REP's scenario (the caller frees it), or NULL with ERR set
 * (its values clash: the message names the replication and its values).
 * Safe to call from many threads at once. */
gp_scenario *gp_design_scenario(const gp_design *d, int rep, gp_err *err);

#endif /* GP_DESIGN_H */
