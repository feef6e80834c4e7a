/*
 * sim/sim.h - the discrete-event kernel.
 *
 * A gp_sim holds a clock and a pending-event set.  Events fire in order of
 * (time, seq): seq is a per-simulation counter given out at scheduling, so
 * events at equal times fire in the order they were scheduled and every run
 * of the same model is repeatable.  The kernel knows nothing of GPUs or
 * proposals: an event is a callback, a context pointer and a 64-bit argument.
 *
 * Time is a double in the model's unit (gpuplan's models use days since the
 * scenario epoch).  Scheduling at a time before now, or at NaN, is a model
 * bug: the call returns 0, records the error and stops the run, so that
 * gp_sim_run returns -1 with the message in gp_sim_error.
 *
 * Events come from a pool owned by the gp_sim; scheduling allocates only when
 * the pool grows (amortised, never in steady state).  Cancelling is O(log n).
 *
 * Let the caller drive: gp_sim_step fires one event, gp_sim_run_until(t)
 * fires every event with time <= t and leaves the clock at t, gp_sim_run
 * fires until nothing is pending or a callback calls gp_sim_stop.
 */
#ifndef GP_SIM_H
#define GP_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

typedef struct gp_sim gp_sim;

typedef void (*gp_event_fn)(gp_sim *sim, void *ctx, uint64_t arg);

/* Identifies one scheduled event; 0 is never a valid id. */
typedef uint64_t gp_event_id;

/* A new simulation at time 0.  HINT is the expected number of pending events
 * (0 for a default).  Returns NULL when out of memory. */
gp_sim *gp_sim_new(size_t hint);
void gp_sim_free(gp_sim *sim);
/* Make SIM what gp_sim_new made it, keeping its arrays: time 0, nothing
 * pending, nothing fired, no error, not stopped, and the ids it hands out
 * those a fresh kernel would hand out for the same calls.  Pending events
 * are dropped without firing.  A model that runs one replication after
 * another resets its kernel rather than freeing it, so that the arrays are
 * not grown again from nothing each time (issue 22). */
void gp_sim_reset(gp_sim *sim);

double gp_sim_now(const gp_sim *sim);
/* Time of the next pending event, or +INFINITY when none. */
double gp_sim_next_time(const gp_sim *sim);
size_t gp_sim_pending(const gp_sim *sim);
uint64_t gp_sim_fired(const gp_sim *sim);

/* Schedule FN(sim, CTX, ARG) at absolute time T (>= now) or after DT (>= 0).
 * Returns the event's id, or 0 on error (see above). */
gp_event_id gp_sim_at(gp_sim *sim, double t, gp_event_fn fn, void *ctx, uint64_t arg);
gp_event_id gp_sim_after(gp_sim *sim, double dt, gp_event_fn fn, void *ctx, uint64_t arg);

/* Cancel a pending event.  Returns 1 if it was pending and is now cancelled,
 * 0 if it had already fired, been cancelled, or never existed. */
int gp_sim_cancel(gp_sim *sim, gp_event_id id);

/* Fire the next event.  Returns 1 if one fired, 0 if none is pending, the
 * run was stopped, or an error is recorded. */
int gp_sim_step(gp_sim *sim);
/* Fire every event with time <= T, then set the clock to T (if T > now).
 * Returns 0, or -1 if an error was recorded. */
int gp_sim_run_until(gp_sim *sim, double t);
/* Fire events until none is pending or gp_sim_stop is called.  Returns 0, or
 * -1 if an error was recorded. */
int gp_sim_run(gp_sim *sim);
/* Make the current gp_sim_run / gp_sim_run_until return after this event.
 * The next call to either resumes. */
void gp_sim_stop(gp_sim *sim);

/* Record an error from inside a model callback and stop the run.  Returns -1. */
int gp_sim_fail(gp_sim *sim, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The recorded error (code 0 when none). */
const gp_err *gp_sim_error(const gp_sim *sim);

#endif /* GP_SIM_H */
