/*
 * cli/compare.c - `gpuplan compare`: the paired comparison of a result
 * file's policies (analysis/compare.h), printed to stdout.
 */
#include <stdio.h>

#include "analysis/compare.h"
#include "cli/cli.h"

const char gp_cmd_compare_usage[] =
    "usage: gpuplan compare FILE.h5 [--baseline POLICY] [--policy A,B,...] [--all]\n"
    "                       [--point K|LABEL] [--unadjusted] [--wide]\n"
    "\n"
    "Print each policy's mean and 95% confidence half-width per summary metric, and\n"
    "the paired difference of every other policy against the baseline (default: the\n"
    "first policy) with its interval; * marks an interval that excludes 0.\n"
    "Every policy of a replication saw the same world, so the differences are paired.\n"
    "The differences shown are judged as one family by Holm's method (5% familywise),\n"
    "and each metric with a better direction gets Hsu's multiple comparison with the\n"
    "best: which policy is best, and how far from it each other one may be.\n"
    "\n"
    "  --baseline P   compare against policy P\n"
    "  --policy A,B   only these policies (and the baseline): in the table, in Holm's\n"
    "                 family and in the best per metric\n"
    "  --all          every summary metric, not only the key ones\n"
    "  --point K      sweep point K (default 0) of a file written with a sweep, or the\n"
    "                 point's label as run prints it, e.g. review.reviewers=80\n"
    "  --unadjusted   each difference with its own 95% interval, as /compare stores it\n"
    "  --wide         one line per metric, every policy on it, however wide (default:\n"
    "                 within 100 columns, the policies in blocks under the metric\n"
    "                 column, a name longer than 16 columns as #P, listed above)\n"
    "\n"
    "The first line says what the file is: the scenario, the run's --set overrides,\n"
    "the sweep point and the seed.\n";

enum { OPT_BASELINE = 256, OPT_ALL, OPT_POINT, OPT_UNADJUSTED, OPT_POLICY, OPT_WIDE };

static const struct option options[] = {
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"all", no_argument, NULL, OPT_ALL},
    {"point", required_argument, NULL, OPT_POINT},
    {"unadjusted", no_argument, NULL, OPT_UNADJUSTED},
    {"policy", required_argument, NULL, OPT_POLICY},
    {"wide", no_argument, NULL, OPT_WIDE},
    {NULL, 0, NULL, 0},
};

int gp_cmd_compare(int argc, char **argv) {
  gp_compare_opts o = {NULL, 0, -1, 0, NULL, 0};
  const char *point = NULL;
  int c;
  while ((c = gp_cli_getopt("compare", argc, argv, "", options)) != -1) {
    switch (c) {
    case OPT_BASELINE: o.baseline = optarg; break;
    case OPT_ALL: o.all = 1; break;
    case OPT_UNADJUSTED: o.unadjusted = 1; break;
    case OPT_POINT: point = optarg; break;
    case OPT_POLICY: o.policies = optarg; break;
    case OPT_WIDE: o.wide = 1; break;
    default: return GP_EX_USAGE;
    }
  }
  if (optind >= argc) return gp_cli_usage_error("compare", "expected a result file");
  if (optind + 1 < argc)
    return gp_cli_usage_error("compare", "one file at a time (also got %s)", argv[optind + 1]);
  int rc = gp_cli_point("compare", argv[optind], point, &o.point);
  if (rc) return rc;
  gp_err err;
  gp_err_clear(&err);
  return gp_compare_print(stdout, argv[optind], &o, &err) == 0 ? 0 : gp_cli_fail(&err);
}
