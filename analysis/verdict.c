/* analysis/verdict.c - what a paired difference says (see verdict.h). */
#include "analysis/verdict.h"

#include <math.h>
#include <stddef.h>

const char *const gp_verdict_names[] = {"na", "same", "ns", "up", "down"};

gp_verdict gp_verdict_of(const gp_stat_row *r) {
  if (!r || r->n == 0 || !isfinite(r->mean)) return GP_V_NA;
  if (r->mean == 0 && r->sd == 0) return GP_V_SAME;
  if (!isfinite(r->half_width)) return GP_V_NA;
  if (r->lo > 0) return GP_V_UP;
  if (r->hi < 0) return GP_V_DOWN;
  return GP_V_NS;
}

int gp_verdict_better(gp_verdict v, gp_better b) {
  int sign = v == GP_V_UP ? 1 : v == GP_V_DOWN ? -1 : 0;
  return sign * (int)b;
}
