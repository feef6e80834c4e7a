/*
 * models/experiment/delivery.h - the roadmap as planned beside the roadmap
 * as delivered: GPUs under agreement at a date from the tranches' first-online
 * times alone (planned: no slip, no ramp; delivered: slips drawn, over the
 * ramp), the date the target is first reached with no cap at the simulated
 * end, and the gap at the target date attributed by tranche.
 *
 * Invariant: for every tranche, at the target date T,
 *     planned_at_target = delivered + late + ramping     (under agreement at T)
 *     gpus = planned_at_target + ended                   (planned online by T)
 * so that target - delivered = never_planned + ended + late + ramping, with
 * never_planned = target - sum of the GPUs planned online by T (negative
 * when the plan has more than the target before agreements end).  A slip is
 * never negative: a tranche online by T was planned online by T.
 */
#ifndef GP_DELIVERY_H
#define GP_DELIVERY_H

#include "models/scenario/scenario.h"

/* GPUs (all shares) under agreement at time T when tranche i first comes
 * online at ONLINE[i] (NULL: as planned, s->tranches[i].online), over its
 * ramp when RAMPS, all at once otherwise; none from its agreement's end on. */
double gp_delivery_installed(const gp_scenario *s, const double *online, int ramps, double t);

/* The first time GPUs under agreement reach s->target_gpus, as
 * gp_delivery_installed counts them, with no cap at the simulated end; -1
 * when never (no target, or the tranches never add up to it at once). */
double gp_delivery_reached(const gp_scenario *s, const double *online, int ramps);

/* The most GPUs ever under agreement at once, as gp_delivery_installed
 * counts them (at one of the batch times). */
double gp_delivery_peak(const gp_scenario *s, const double *online, int ramps);

/* Where the GPUs of tranche I stand at the target date s->target_date. */
typedef struct gp_delivery_gap {
  double gpus;              /* GPUs built, all shares */
  double planned_at_target; /* GPUs under agreement at the date as planned: GPUS or 0 */
  double ended;             /* GPUS when planned online by the date but its agreement ended by then */
  double late;              /* GPUS when planned by the date, still under agreement, first online
                             * after it (slipped past the date) */
  double ramping;           /* online by the date, still ramping up: GPUs not yet online */
} gp_delivery_gap;

/* Tranche I's gap at the target date when it first comes online at ONLINE_I
 * (slip drawn), over its ramp. */
void gp_delivery_tranche(const gp_scenario *s, int i, double online_i, gp_delivery_gap *g);

#endif /* GP_DELIVERY_H */
