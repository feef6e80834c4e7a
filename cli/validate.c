/*
 * cli/validate.c - `gpuplan validate`: load scenario files and say whether
 * they are good, without running them.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "models/experiment/budget.h"
#include "models/experiment/calibrate.h"
#include "models/scenario/scenario.h"
#include "sim/escape.h"
#include "sim/interrupt.h"

const char gp_cmd_validate_usage[] =
    "usage: gpuplan validate SCENARIO...\n"
    "\n"
    "Check scenario files without running them.  Prints \"FILE: ok\" per good file;\n"
    "for a bad one, the one line FILE:LINE:COL: json.path: expected ..., found ...\n";

static const struct option options[] = {{NULL, 0, NULL, 0}};

static const char *plural(int n, const char *one, const char *many) { return n == 1 ? one : many; }

int gp_cmd_validate(int argc, char **argv) {
  if (gp_cli_getopt("validate", argc, argv, "", options) != -1) return GP_EX_USAGE;
  if (optind >= argc) return gp_cli_usage_error("validate", "expected at least one scenario file");
  int rc = 0;
  for (int i = optind; i < argc; i++) {
    gp_err err;
    gp_err_clear(&err);
    if (gp_interrupted) { /* SIGINT or SIGTERM: stop between two files */
      GP_ERR(&err, GP_EX_SIGNAL + gp_interrupted, "interrupted by signal %d",
             (int)gp_interrupted);
      return gp_cli_fail(&err);
    }
    gp_scenario *s = gp_scenario_load(argv[i], NULL, &err);
    /* A scenario too big for this machine is no good either (as `run` checks). */
    if (s && (gp_budget_check(s, 1, gp_budget_machine_bytes(), &err) ||
              gp_calibrate_check(s, &err))) { /* calibration metrics: the calls row's */
      gp_scenario_free(s);
      s = NULL;
    }
    if (!s) {
      int r = gp_cli_fail(&err);
      if (!rc) rc = r; /* the first failure's status */
      continue;
    }
    /* The file's name and the scenario's may hold control characters: escaped. */
    gp_escape_fputs(argv[i], stdout);
    fputs(": ok (\"", stdout);
    gp_escape_fputs(s->name, stdout);
    printf("\": %d tranche%s, %d call%s, %d stream%s, %d designation%s, %d polic%s, "
           "%d replication%s)\n",
           s->ntranches, plural(s->ntranches, "", "s"), s->ncalls,
           plural(s->ncalls, "", "s"), s->nstreams, plural(s->nstreams, "", "s"), s->ndesignated,
           plural(s->ndesignated, "", "s"), s->npolicies, plural(s->npolicies, "y", "ies"),
           s->replications, plural(s->replications, "", "s"));
    gp_scenario_free(s);
  }
  return rc;
}
