/*
 * cli/show.c - `gpuplan show`: the resolved scenario (its "extends" chain
 * merged, the --set overrides applied, validated) as JSON on stdout: what a
 * run of it would run and store as /scenario.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "models/scenario/scenario.h"

const char gp_cmd_show_usage[] =
    "usage: gpuplan show SCENARIO [--set PATH=VALUE]...\n"
    "\n"
    "Print the resolved scenario as JSON: its \"extends\" chain merged (scenarios/README.md,\n"
    "\"Overlays\"), then the --set overrides applied, then checked as `validate` and\n"
    "`run` check it.  It is the text a result file stores as /scenario.\n"
    "\n"
    "  --set PATH=VALUE    change one value, as `gpuplan run --set` does\n"
    "\n"
    "A bad scenario is one line FILE:LINE:COL: json.path: expected ..., found ...\n"
    "naming the file (of the chain) that holds the value.\n";

enum { OPT_SET = 256 };

static const struct option options[] = {
    {"set", required_argument, NULL, OPT_SET},
    {NULL, 0, NULL, 0},
};

int gp_cmd_show(int argc, char **argv) {
  const char **sets = calloc((size_t)argc + 1, sizeof *sets);
  if (!sets) {
    fputs("gpuplan show: out of memory\n", stderr);
    return GP_EX_OSERR;
  }
  int c, nsets = 0, rc = 0;
  while (!rc && (c = gp_cli_getopt("show", argc, argv, "", options)) != -1) {
    switch (c) {
    case OPT_SET: sets[nsets++] = optarg; break;
    default: rc = GP_EX_USAGE;
    }
  }
  if (!rc && optind >= argc) rc = gp_cli_usage_error("show", "expected a scenario file");
  if (!rc && optind + 1 < argc)
    rc = gp_cli_usage_error("show", "one scenario at a time (also got %s)", argv[optind + 1]);
  if (rc) {
    free(sets);
    return rc;
  }
  gp_overrides ov = GP_OVERRIDES_NONE;
  ov.sets = sets;
  ov.nsets = nsets;
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_load(argv[optind], &ov, &err);
  free(sets);
  if (!s) return gp_cli_fail(&err);
  char *json = gp_scenario_json(s);
  gp_scenario_free(s);
  if (!json) {
    GP_ERR_NOMEM(&err);
    return gp_cli_fail(&err);
  }
  puts(json);
  free(json);
  return 0;
}
