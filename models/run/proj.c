/*
 * models/run/proj.c - a proposal as a rule sees it (models/rules/rule.h):
 * what the world drew for it and what the run has made of it so far.
 *
 * Planned times: gp_proj_length and gp_proj_end are what rules plan with.
 * In a programme run they are exact (the world's duration; the start plus
 * the time held); in a replayed trace they are the trace's estimates
 * (gp_wprop.estimate), and projects end when they really do, at or before
 * them.
 */
#include "models/run/run_int.h"

int32_t gp_proj_id(const gp_proj *p) { return p->id; }
int32_t gp_proj_request(const gp_proj *p) { return p->w->units; }
int32_t gp_proj_units(const gp_proj *p) { return p->units; }
double gp_proj_score(const gp_proj *p) { return p->w->score; }
int gp_proj_sector(const gp_proj *p) { return p->w->sector; }
int32_t gp_proj_org(const gp_proj *p) { return p->w->org; }
int gp_proj_origin(const gp_proj *p) { return p->w->origin; }
int gp_proj_capital(const gp_proj *p) { return p->w->capital; }
int gp_proj_gpu_type(const gp_proj *p) { return p->w->gpu_type; }
double gp_proj_length(const gp_proj *p) { return proj_length(p); }
double gp_proj_end(const gp_proj *p) { return proj_end(p); }
int32_t gp_proj_working(const gp_proj *p) { return p->units - p->failed; }
int gp_proj_accepted(const gp_proj *p) { return p->accepted; }
gp_proj *gp_proj_next(const gp_proj *p) { return proj_linked(p, p->qnext); }

void gp_proj_accept(gp_proj *p, int32_t units) {
  p->accepted = 1;
  p->units = units;
}
