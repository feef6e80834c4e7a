/*
 * sim/interrupt.h - the process-wide "stop now" flag.
 *
 * A signal handler (installed by the command line, never by the library)
 * stores the signal number here; long-running loops poll it between small
 * slices of work and wind down cleanly, so that results finished so far can
 * still be written.  It is the one piece of global mutable state in gpuplan:
 * signals are process-wide by nature.
 */
#ifndef GP_INTERRUPT_H
#define GP_INTERRUPT_H

#include <signal.h>

/* 0, or the number of the signal that asked the run to stop. */
extern volatile sig_atomic_t gp_interrupted;

#endif /* GP_INTERRUPT_H */
