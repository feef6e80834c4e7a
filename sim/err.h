/*
 * sim/err.h - error context shared by every gpuplan module.
 *
 * Functions that can fail return an int status (0 = ok, -1 = failed) and, on
 * failure, leave a one-line message and a sysexits-style code in a gp_err
 * owned by the caller.  Library code never prints and never exits: only main
 * decides what to do with an error.  The first error set wins; later calls to
 * GP_ERR on an already-set context are ignored, so the innermost, most
 * precise message is the one the user sees.
 */
#ifndef GP_ERR_H
#define GP_ERR_H

#include <stddef.h>

/* Exit codes (sysexits.h values, spelled out so that every platform agrees). */
enum {
  GP_EX_OK = 0,
  GP_EX_USAGE = 64,       /* bad command line */
  GP_EX_DATAERR = 65,     /* bad scenario, trace or data file */
  GP_EX_NOINPUT = 66,     /* input file missing or unreadable */
  GP_EX_UNAVAILABLE = 69, /* a needed program (gnuplot) is missing */
  GP_EX_SOFTWARE = 70,    /* internal error: a bug in gpuplan */
  GP_EX_OSERR = 71,       /* out of memory, cannot spawn */
  GP_EX_CANTCREAT = 73,   /* cannot create an output file */
  GP_EX_IOERR = 74,       /* error while writing or reading */
  GP_EX_SIGNAL = 128      /* + signal number: stopped by a signal (130 SIGINT, 143 SIGTERM) */
};

typedef struct gp_err {
  int code;           /* 0 = no error; otherwise one of GP_EX_* */
  const char *src;    /* C source file that raised it (for debugging) */
  int src_line;       /* line in that file */
  char msg[1024];     /* one line, no trailing newline */
} gp_err;

void gp_err_clear(gp_err *e);
/* Set E (unless already set) and return -1. */
int gp_err_set(gp_err *e, const char *src, int line, int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Set an error and evaluate to -1, so that `return GP_ERR(e, ...);` reads well. */
#define GP_ERR(e, code, ...) gp_err_set((e), __FILE__, __LINE__, (code), __VA_ARGS__)

/* Out-of-memory is common enough to have its own spelling. */
#define GP_ERR_NOMEM(e) GP_ERR((e), GP_EX_OSERR, "out of memory")

#endif /* GP_ERR_H */
