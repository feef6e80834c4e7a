/*
 * cli/discover.c - `gpuplan discover`: scenario discovery (PRIM) on a
 * two-level result file (analysis/discover.h), printed to stdout; the
 * peeling trajectory as CSV with --csv.
 */
#include <stdio.h>
#include <stdlib.h>

#include "analysis/discover.h"
#include "cli/cli.h"
#include "sim/escape.h"

const char gp_cmd_discover_usage[] =
    "usage: gpuplan discover FILE.h5 [--policy P] [--when 'METRIC>X' ...] [--alpha A]\n"
    "                        [--min-mass M] [--csv FILE] [--point K|LABEL]\n"
    "\n"
    "Scenario discovery on a two-level result file (`gpuplan run --uncertain`): the\n"
    "box of uncertain values in which a condition holds more often than elsewhere\n"
    "(PRIM, Friedman and Fisher 1999), over the values each replication drew. Prints\n"
    "the condition's base rate, the chosen box (each restricted factor with its\n"
    "bounds in its own unit; the others left out and counted), its coverage (share\n"
    "of the cases inside it), density (share of its replications where the\n"
    "condition holds) and mass (share of all replications in it), and the peeling\n"
    "trajectory. The factors of a group were drawn together and are peeled as one.\n"
    "\n"
    "  --policy P      the policy whose replications count (default: the first)\n"
    "  --when COND     METRIC>X, METRIC<X, METRIC>=X or METRIC<=X, METRIC a summary\n"
    "                  metric (docs/output.md); several: all of them hold.\n"
    "                  Default: gap_to_target>0, the target is missed by its date\n"
    "  --alpha A       share of the box's replications one peel removes (default 0.05)\n"
    "  --min-mass M    smallest share of the replications a box may hold (default 0.05)\n"
    "  --csv FILE      write the peeling trajectory as CSV\n"
    "  --point K       sweep point K (default 0) of a file written with a sweep, or the\n"
    "                  point's label as run prints it, e.g. review.reviewers=80\n"
    "\n"
    "Exit status: 0 ok (also when the condition holds in no replication, or in all:\n"
    "there is no box to find, and it says so), 64 usage, 65 not a two-level run or\n"
    "fewer than 10 replications with a value, 66 no such file, 73 cannot write --csv.\n";

enum { OPT_POLICY = 256, OPT_WHEN, OPT_ALPHA, OPT_MIN_MASS, OPT_CSV, OPT_POINT };

static const struct option options[] = {
    {"policy", required_argument, NULL, OPT_POLICY},
    {"when", required_argument, NULL, OPT_WHEN},
    {"alpha", required_argument, NULL, OPT_ALPHA},
    {"min-mass", required_argument, NULL, OPT_MIN_MASS},
    {"csv", required_argument, NULL, OPT_CSV},
    {"point", required_argument, NULL, OPT_POINT},
    {NULL, 0, NULL, 0},
};

#define MAX_WHEN 16

int gp_cmd_discover(int argc, char **argv) {
  gp_discover_cond when[MAX_WHEN];
  gp_discover_opts o = {NULL, when, 0, 0, 0};
  const char *csv = NULL;
  const char *point_arg = NULL;
  int point = -1, c;
  gp_err err;
  gp_err_clear(&err);
  while ((c = gp_cli_getopt("discover", argc, argv, "", options)) != -1) {
    switch (c) {
    case OPT_POLICY: o.policy = optarg; break;
    case OPT_CSV: csv = optarg; break;
    case OPT_WHEN:
      if (o.nwhen == MAX_WHEN)
        return gp_cli_usage_error("discover", "--when: at most %d conditions", MAX_WHEN);
      if (gp_discover_parse(optarg, &when[o.nwhen], &err)) {
        if (when[o.nwhen].k >= 0) return gp_cli_usage_error("discover", "%s", err.msg);
        return gp_cli_metric_error("discover", err.msg);
      }
      o.nwhen++;
      break;
    case OPT_ALPHA:
      if (gp_cli_fraction("discover", "--alpha", optarg, &o.alpha)) return GP_EX_USAGE;
      if (o.alpha >= 0.5)
        return gp_cli_usage_error("discover", "--alpha: expected a fraction below 0.5, found \"%s\"",
                                  optarg);
      break;
    case OPT_MIN_MASS:
      if (gp_cli_fraction("discover", "--min-mass", optarg, &o.min_mass)) return GP_EX_USAGE;
      break;
    case OPT_POINT:
      point_arg = optarg;
      break;
    default: return GP_EX_USAGE;
    }
  }
  if (optind >= argc) return gp_cli_usage_error("discover", "expected a result file");
  if (optind + 1 < argc)
    return gp_cli_usage_error("discover", "one file at a time (also got %s)", argv[optind + 1]);
  int prc = gp_cli_point("discover", argv[optind], point_arg, &point);
  if (prc) return prc;
  if (csv && gp_cli_same_file(csv, argv[optind]))
    return gp_cli_usage_error("discover", "--csv %s: that is the result file", csv);
  if (csv && gp_cli_out_file(csv)) return GP_EX_CANTCREAT;
  gp_reader *r = gp_reader_open(argv[optind], point, &err);
  if (!r) return gp_cli_fail(&err);
  gp_discover d;
  int rc = gp_discover_run(r, &o, &d, &err) || gp_discover_print(stdout, r, &d, &err) ||
           (csv && gp_discover_csv(csv, &d, &err));
  gp_discover_free(&d);
  gp_reader_close(r);
  return rc ? gp_cli_fail(&err) : 0;
}
