/*
 * analysis/verdict.h - what a paired difference says: up, down, no
 * significant change, identical, or too little data; and whether that is
 * better or worse, by the metric's direction (models/results/table.h).
 *
 * A change is significant exactly when the 95% interval of the mean paired
 * difference excludes 0 (gp_stat_row lo > 0 or hi < 0).
 */
#ifndef GP_VERDICT_H
#define GP_VERDICT_H

#include "models/results/metrics.h"

typedef enum gp_verdict {
  GP_V_NA,   /* no value, or too few replications for an interval */
  GP_V_SAME, /* the same in every replication */
  GP_V_NS,   /* the interval includes 0: no significant change */
  GP_V_UP,   /* the interval is above 0 */
  GP_V_DOWN  /* the interval is below 0 */
} gp_verdict;

/* "na", "same", "ns", "up", "down": the verdict's name, by value. */
extern const char *const gp_verdict_names[];

/* The verdict on the paired difference R (NULL: GP_V_NA). */
gp_verdict gp_verdict_of(const gp_stat_row *r);

/* 1 when verdict V on a metric whose direction is B is an improvement, -1
 * when it is a deterioration, 0 when neither (not significant, or a
 * quantity with no better direction). */
int gp_verdict_better(gp_verdict v, gp_better b);

#endif /* GP_VERDICT_H */
