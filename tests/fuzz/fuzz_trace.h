/*
 * tests/fuzz/fuzz_trace.h - the contract of models/replay/swf.h, checked on every
 * result of a fuzzed trace reader (header-only: each fuzz target is one
 * program).  Aborts, with the offending job, when a promise is broken.
 */
#ifndef GP_FUZZ_TRACE_H
#define GP_FUZZ_TRACE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/replay/swf.h"

#define FUZZ_TRACE_NAME "fuzz.trace"

static void fuzz_trace_broken(const char *who, const char *what, const gp_trace *t, size_t j,
                              const gp_err *err) {
  fprintf(stderr, "%s: %s", who, what);
  if (t && j < t->njobs) {
    const gp_trace_job *b = &t->jobs[j];
    fprintf(stderr,
            " (job %zu: id %lld line %d procs %d status %d submit %g runtime %g estimate %g)", j,
            (long long)b->id, (int)b->line, (int)b->procs, (int)b->status, b->submit, b->runtime,
            b->estimate);
  }
  if (err && err->code) fprintf(stderr, " [code %d: %s]", err->code, err->msg);
  fputc('\n', stderr);
  abort();
}

static void fuzz_trace_check(const char *who, const gp_trace *t, const gp_err *err,
                             gp_trace_format format) {
  if (!t) {
    if (err->code != GP_EX_DATAERR && err->code != GP_EX_OSERR)
      fuzz_trace_broken(who, "unexpected error code", NULL, 0, err);
    if (strchr(err->msg, '\n'))
      fuzz_trace_broken(who, "message of more than one line", NULL, 0, err);
    if (err->code == GP_EX_DATAERR &&
        strncmp(err->msg, FUZZ_TRACE_NAME ":", sizeof FUZZ_TRACE_NAME) != 0)
      fuzz_trace_broken(who, "message without the file name", NULL, 0, err);
    return;
  }
  if (err->code) fuzz_trace_broken(who, "accepted with an error set", t, SIZE_MAX, err);
  if (t->format != format) fuzz_trace_broken(who, "wrong format", t, SIZE_MAX, NULL);
  if (t->njobs && !t->jobs) fuzz_trace_broken(who, "jobs missing", t, SIZE_MAX, NULL);
  if (format == GP_TRACE_CSV && (t->max_procs != -1 || t->max_nodes != -1))
    fuzz_trace_broken(who, "CSV with header sizes", t, SIZE_MAX, NULL);
  if (t->max_procs < -1 || t->max_nodes < -1)
    fuzz_trace_broken(who, "negative header size", t, SIZE_MAX, NULL);
  for (size_t j = 0; j < t->njobs; j++) {
    const gp_trace_job *b = &t->jobs[j];
    if (!isfinite(b->submit) || !(b->submit >= 0)) fuzz_trace_broken(who, "bad submit", t, j, NULL);
    if (j > 0 && b->submit < t->jobs[j - 1].submit)
      fuzz_trace_broken(who, "submit decreases", t, j, NULL);
    if (j > 0 && b->line <= t->jobs[j - 1].line)
      fuzz_trace_broken(who, "lines out of order", t, j, NULL);
    if (b->line < 1) fuzz_trace_broken(who, "bad line", t, j, NULL);
    if (!isfinite(b->runtime) || (b->runtime < 0 && b->runtime != -1))
      fuzz_trace_broken(who, "bad runtime", t, j, NULL);
    if (!isfinite(b->estimate) || (b->estimate < 0 && b->estimate != -1))
      fuzz_trace_broken(who, "bad estimate", t, j, NULL);
    if (b->procs < -1) fuzz_trace_broken(who, "bad procs", t, j, NULL);
    if (b->status < -1 || b->status > 5) fuzz_trace_broken(who, "bad status", t, j, NULL);
    if (format == GP_TRACE_CSV && b->status != -1)
      fuzz_trace_broken(who, "CSV row with a status", t, j, NULL);
  }
}

#endif /* GP_FUZZ_TRACE_H */
