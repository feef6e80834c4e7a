/*
 * cli/report.c - `gpuplan report`: one self-contained HTML page about a
 * result file (analysis/report.h); prints the page's path.
 */
#include <stdio.h>
#include <string.h>

#include "analysis/plot.h"
#include "analysis/report.h"
#include "cli/cli.h"

const char gp_cmd_report_usage[] =
    "usage: gpuplan report FILE.h5 [-o REPORT.html] [--point K]\n"
    "\n"
    "Write one self-contained HTML page about a result file, for reading in any\n"
    "browser, offline (no scripts, no external files): the scenario and its\n"
    "assumptions, the run, the roadmap's gap and the risk of missing its target,\n"
    "each policy's key metrics (mean and 95% interval), paired differences against\n"
    "the first policy with verdicts in words (significant when the 95% interval\n"
    "excludes 0), and the charts of `gpuplan plot` as inline SVG.\n"
    "\n"
    "  -o, --output FILE   the page (default: FILE.h5 without .h5, plus .html);\n"
    "                      written to a temporary name beside it, renamed when complete\n"
    "  --point K           point K of a parameter sweep (default 0)\n"
    "\n"
    "Needs gnuplot for the charts (" GP_PLOT_INSTALL_HINT "); GPUPLAN_GNUPLOT=PROGRAM\n"
    "runs another one.  Prints the page's path.  Exit status: 0 ok, 64 usage, 65 not a\n"
    "gpuplan result file, 66 input missing, 69 gnuplot missing, 73 cannot create the\n"
    "page, 74 write error.\n";

enum { OPT_POINT = 256 };

static const struct option options[] = {
    {"output", required_argument, NULL, 'o'},
    {"point", required_argument, NULL, OPT_POINT},
    {NULL, 0, NULL, 0},
};

int gp_cmd_report(int argc, char **argv) {
  gp_report_opts o = {NULL, -1};
  int c;
  while ((c = gp_cli_getopt("report", argc, argv, "o:", options)) != -1) {
    switch (c) {
    case 'o':
      o.out = optarg;
      if (!o.out[0]) return gp_cli_usage_error("report", "-o: empty file name");
      break;
    case OPT_POINT:
      if (gp_cli_point("report", optarg, &o.point)) return GP_EX_USAGE;
      break;
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
  if (gp_report_write(file, &o, &err) != 0) return gp_cli_fail(&err);
  if (o.out) {
    printf("%s\n", o.out);
  } else { /* the default gp_report_write chose */
    size_t n = strlen(file);
    if (n > 3 && strcmp(file + n - 3, ".h5") == 0) n -= 3;
    printf("%.*s.html\n", (int)n, file);
  }
  return 0;
}
