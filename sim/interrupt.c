/* sim/interrupt.c - the process-wide stop flag (see interrupt.h). */
#include "sim/interrupt.h"

volatile sig_atomic_t gp_interrupted = 0;
