/*
 * models/experiment/ranks.c - gathering replications on rank 0 (see ranks.h).
 *
 * Invariant: rank 0 and the sender walk the replications of a batch in the
 * same order and agree on every message's size from the scenario alone, so
 * no message says how long the next one is except the proposal count of a
 * detailed run.
 */
#include "models/experiment/ranks.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/par.h"

enum { TAG_STATUS = 1, TAG_ROWS, TAG_DETAIL };

typedef struct rep_status {
  int32_t failed;
  int32_t code;
  char msg[sizeof(((gp_err *)0)->msg)];
} rep_status;

/* Send replication REP of ST to rank 0.  ERR is this rank's first failure
 * (code 0: none), sent as the reason when REP did not finish here. */
static int send_rep(gp_store *st, int rep, const gp_err *err) {
  size_t no = st->norigins, ns = gp_run_nseries(st->s) * st->nsamples;
  rep_status msg;
  memset(&msg, 0, sizeof msg);
  msg.failed = !st->rep_ok[rep];
  if (msg.failed) {
    msg.code = err->code ? err->code : GP_EX_SOFTWARE;
    snprintf(msg.msg, sizeof msg.msg, "rank %d: %.900s", gp_par_rank(),
             err->code ? err->msg : "not run");
  }
  if (gp_par_send(&msg, sizeof msg, 0, TAG_STATUS)) return -1;
  if (msg.failed) return 0;
  for (int p = 0; p < st->npol; p++) {
    if (gp_par_send(gp_store_summary(st, p, rep), sizeof(gp_summary_row), 0, TAG_ROWS) ||
        (no && gp_par_send(gp_store_calls(st, p, rep), no * sizeof(gp_call_row), 0, TAG_ROWS)))
      return -1;
  }
  if (gp_par_send(&st->roadmap[rep], sizeof st->roadmap[rep], 0, TAG_ROWS)) return -1;
  if (gp_par_send(gp_store_online(st, rep), (size_t)st->s->ntranches * sizeof *st->online, 0,
                  TAG_ROWS))
    return -1;
  for (int p = 0; rep < st->detail_cap && p < st->npol; p++) {
    gp_run_out *o = gp_store_detail(st, p, rep);
    uint64_t n = o->nprops;
    if (gp_par_send(&n, sizeof n, 0, TAG_DETAIL) ||
        (n && gp_par_send(o->props, n * sizeof *o->props, 0, TAG_DETAIL)) ||
        gp_par_send(o->ts, ns * sizeof *o->ts, 0, TAG_DETAIL))
      return -1;
    gp_run_out_free(o); /* rank 0 has it now */
  }
  return 0;
}

static int lost(gp_err *err, int from) {
  return GP_ERR(err, GP_EX_SOFTWARE, "MPI: lost contact with rank %d", from);
}

static int recv_rep(gp_store *st, int rep, int from, gp_err *err) {
  size_t no = st->norigins, ns = gp_run_nseries(st->s) * st->nsamples;
  rep_status msg;
  if (gp_par_recv(&msg, sizeof msg, from, TAG_STATUS)) return lost(err, from);
  if (msg.failed) {
    msg.msg[sizeof msg.msg - 1] = '\0';
    return GP_ERR(err, msg.code, "%s", msg.msg);
  }
  for (int p = 0; p < st->npol; p++) {
    if (gp_par_recv(gp_store_summary(st, p, rep), sizeof(gp_summary_row), from, TAG_ROWS) ||
        (no && gp_par_recv(gp_store_calls(st, p, rep), no * sizeof(gp_call_row), from, TAG_ROWS)))
      return lost(err, from);
  }
  if (gp_par_recv(&st->roadmap[rep], sizeof st->roadmap[rep], from, TAG_ROWS)) return lost(err, from);
  if (gp_par_recv(gp_store_online(st, rep), (size_t)st->s->ntranches * sizeof *st->online, from,
                  TAG_ROWS))
    return lost(err, from);
  for (int p = 0; rep < st->detail_cap && p < st->npol; p++) {
    gp_run_out *o = gp_store_detail(st, p, rep);
    uint64_t n;
    memset(o, 0, sizeof *o);
    if (gp_par_recv(&n, sizeof n, from, TAG_DETAIL)) return lost(err, from);
    o->nprops = (size_t)n;
    o->nsamples = st->nsamples;
    o->props = malloc((n ? n : 1) * sizeof *o->props);
    o->ts = malloc((ns ? ns : 1) * sizeof *o->ts);
    if (!o->props || !o->ts) return GP_ERR_NOMEM(err);
    if ((n && gp_par_recv(o->props, n * sizeof *o->props, from, TAG_DETAIL)) ||
        gp_par_recv(o->ts, ns * sizeof *o->ts, from, TAG_DETAIL))
      return lost(err, from);
  }
  st->rep_ok[rep] = 1;
  return 0;
}

int gp_ranks_gather(gp_store *st, int from, int to, int *failed, gp_err *err) {
  int rank = gp_par_rank(), size = gp_par_size();
  if (size == 1) return *failed ? -1 : 0;
  int bad = 0;
  for (int rep = from; rep < to; rep++) {
    int owner = rep % size;
    if (owner == 0) continue;
    if (rank == owner) bad |= send_rep(st, rep, err) != 0;
    else if (rank == 0 && !bad) {
      gp_err e;
      gp_err_clear(&e);
      if (recv_rep(st, rep, owner, &e)) {
        bad = 1;
        if (!*failed) *err = e;
        *failed = 1;
      }
    }
  }
  /* Then everybody learns whether the batch failed. */
  return gp_par_max(*failed || bad) ? -1 : 0;
}
