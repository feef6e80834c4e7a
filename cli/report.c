/*
 * cli/report.c - `gpuplan report`: one self-contained HTML page about a
 * result file (analysis/report.h); prints the page's path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/plot.h"
#include "analysis/report.h"
#include "cli/cli.h"
#include "sim/escape.h"

const char gp_cmd_report_usage[] =
    "usage: gpuplan report FILE.h5 [-o REPORT.html] [--point K|LABEL]\n"
    "\n"
    "Write one self-contained HTML page about a result file, for reading in any\n"
    "browser, offline (no scripts, no external files): the scenario and its\n"
    "assumptions, the run, the roadmap's gap and the risk of missing its target,\n"
    "each policy's key metrics (mean and 95% interval), paired differences against\n"
    "the first policy with verdicts in words (Holm-adjusted over every difference\n"
    "judged: 5% familywise), the best policy per metric (Hsu's multiple comparison\n"
    "with the best), and the charts of `gpuplan plot` as inline SVG.  A two-level\n"
    "run (run --uncertain) adds \"What drives the answer\": the box of uncertain\n"
    "values where the target is missed (as `gpuplan discover` finds it).  A file of\n"
    "`gpuplan sensitivity` gets that section from its indices, and its tornado chart.\n"
    "\n"
    "  -o, --output FILE   the page (default: beside FILE, its name without .h5 plus\n"
    "                      .html: out/baseline.h5 gives out/baseline.html); written to a\n"
    "                      temporary name beside it, renamed when complete\n"
    "  --point K           point K of a parameter sweep (default 0), or its label as\n"
    "                      run prints it, e.g. review.reviewers=80\n"
    "\n"
    "Needs gnuplot for the charts (" GP_PLOT_INSTALL_HINT "); GPUPLAN_GNUPLOT=PROGRAM\n"
    "runs another one.  Prints the page's path.\n";

enum { OPT_POINT = 256 };

static const struct option options[] = {
    {"output", required_argument, NULL, 'o'},
    {"point", required_argument, NULL, OPT_POINT},
    {NULL, 0, NULL, 0},
};

int gp_cmd_report(int argc, char **argv) {
  gp_report_opts o = {NULL, -1};
  const char *point = NULL;
  int c;
  while ((c = gp_cli_getopt("report", argc, argv, "o:", options)) != -1) {
    switch (c) {
    case 'o':
      o.out = optarg;
      if (!o.out[0]) return gp_cli_usage_error("report", "-o: empty file name");
      break;
    case OPT_POINT: point = optarg; break;
    default: return GP_EX_USAGE;
    }
  }
  if (optind >= argc) return gp_cli_usage_error("report", "expected a result file");
  if (optind + 1 < argc)
    return gp_cli_usage_error("report", "one result file at a time (also got %s)",
                              argv[optind + 1]);
  const char *file = argv[optind];
  gp_err err;
  gp_err_clear(&err);
  char *page = o.out ? NULL : gp_report_default_page(file);
  if (!o.out && !page) {
    GP_ERR_NOMEM(&err);
    return gp_cli_fail_whole(&err);
  }
  if (page) o.out = page;
  /* Where the page goes is checked before the file is read. */
  int rc = 0;
  if (gp_cli_same_file(file, o.out)) {
    GP_ERR(&err, GP_EX_USAGE, "%s: the report would overwrite the result file", o.out);
    rc = gp_cli_fail_whole(&err);
  }
  if (!rc) rc = gp_cli_out_file(o.out);
  if (!rc) rc = gp_cli_point("report", file, point, &o.point);
  if (!rc && gp_report_write(file, &o, &err) != 0) rc = gp_cli_fail_whole(&err);
  if (!rc) {
    gp_escape_fputs(o.out, stdout);
    putchar('\n');
  }
  free(page);
  return rc;
}
