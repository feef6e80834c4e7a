/*
 * models/scenario/uncertain.h - the "uncertain" block of a scenario: values
 * a two-level run (`gpuplan run --uncertain`) draws once per replication.
 *
 * A factor (gp_uncertain, scenario.h) names a number the scenario writes,
 * by its --set path, with a random quantity of the format (dist.h), its
 * source or reason, and optionally a group (factors of one group move
 * together: one uniform coordinate drives them all, each through its own
 * inverse CDF).  The loader has checked each factor by loading the rest of
 * the scenario with the factor at both ends of its support and at an
 * inside value (every value, for a discrete one): a value its draws can
 * take is one the loader accepts there, by the loader's own checks.
 * Replication r's scenario is the scenario without the block, with every
 * factor's value put in through the --set path and loaded like any other.
 *
 * Ownership: gp_uncertain_text's text is the caller's (free); a scenario of
 * gp_uncertain_apply too (gp_scenario_free), and it borrows nothing.
 */
#ifndef GP_UNCERTAIN_H
#define GP_UNCERTAIN_H

#include <stddef.h>

#include "models/scenario/scenario.h"
#include "sim/err.h"

/* Most factors a block may have. */
#define GP_UNCERTAIN_MAX 1000

/* F's value at the coordinate U in (0, 1): its distribution's U-quantile. */
double gp_uncertain_value(const gp_uncertain *f, double u);

/* S's resolved scenario as JSON without its "uncertain" and "sweep" blocks
 * (malloc'd, *LEN bytes): what each replication's values are put into. */
char *gp_uncertain_text(const gp_scenario *s, size_t *len, gp_err *err);

/* The scenario TEXT (gp_uncertain_text of S) with factor i of S set to
 * VALUES[i] (S->nuncertain of them), loaded and validated, with the
 * policies S runs, in S's order.  NULL with ERR set: a value of one factor
 * the loader accepts alone can still clash with another's (a uniform's
 * "min" above its "max"). */
gp_scenario *gp_uncertain_apply(const gp_scenario *s, const char *text, size_t len,
                                const double *values, gp_err *err);

/* The number S writes at PATH (--set's syntax: "review.reviewers",
 * "roadmap.tranches[0].nodes") into *VALUE, for a value a procedure varies
 * through gp_uncertain_apply (`gpuplan size --knob`; OPT names the option
 * in messages).  GP_EX_USAGE otherwise, a malformed path or nothing there
 * ("OPT PATH: ...") or the run's own keys, or, at the value's place in its
 * file, a value that is not a number ("FILE:LINE:COL: PATH: expected a
 * number for OPT, found ..."). */
int gp_uncertain_number(const gp_scenario *s, const char *path, const char *opt, double *value,
                        gp_err *err);

/* For the blocks that probe the loader the same way (calibration.c): the
 * tree at ROOT without "uncertain", "calibration" and "sweep", printed
 * compact (malloc'd; NULL out of memory); and the loader's reason in MSG, a
 * probe's error, without the probe's name PROBE, its position or its
 * "--set PATH=VALUE" label: "json.path: expected ..., found ...". */
struct cJSON;
char *gp_uncertain_probe_text(const struct cJSON *root, size_t *len);
const char *gp_uncertain_probe_reason(const char *msg, const char *probe);
/* Load TEXT (gp_uncertain_probe_text's) with PATH set to X, as the probe
 * named PROBE: 0 when the loader accepts it; 1 when it refuses it (E holds
 * its error, GP_EX_DATAERR); -1 on any other failure (E set). */
int gp_uncertain_probe_load(const char *probe, const char *text, size_t len, const char *path,
                            double x, gp_err *e);
/* The node at PATH (--set's syntax) in the tree at ROOT, or NULL; *WHERE as
 * gp_overrides_walk says (1: a malformed path). */
const struct cJSON *gp_uncertain_node(const struct cJSON *root, const char *path, int *where);
/* The number the scenario writes at PATH, the "path" of the entry O (at
 * JSON path P) of a block that varies values (`uncertain`, `calibration`);
 * NULL with a located error when PATH is too long, malformed (EXAMPLE: a
 * path like it), names nothing (VERB: "vary", "fit"), is not a number or is
 * one of the run's keys. */
struct gp_loader;
const struct cJSON *gp_uncertain_path(struct gp_loader *L, const struct cJSON *o, const char *p,
                                      const char *path, const char *example, const char *verb);

#endif /* GP_UNCERTAIN_H */
