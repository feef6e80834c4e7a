/*
 * cli/plot.c - `gpuplan plot`: the charts of a result file drawn by gnuplot
 * (analysis/plot.h), one path printed per chart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/plot.h"
#include "cli/cli.h"

const char gp_cmd_plot_usage[] =
    "usage: gpuplan plot FILE.h5 [-d DIR] [--format png|svg|pdf] [--point K|LABEL]\n"
    "\n"
    "Draw the charts of a result file with gnuplot, one file each in DIR:\n"
    "  capacity      installed, government-usable, allocated and busy GPUs over time,\n"
    "                with the roadmap target (the roadmap once when every policy\n"
    "                shares it, else one panel per policy)\n"
    "  queue         projects waiting for GPUs and proposals in review over time\n"
    "  time_to_gpu   distribution of days from submission to GPUs, per sector\n"
    "  acceptance    acceptance rate per sector and policy, 95% confidence intervals\n"
    "  differences   paired differences between policies in key metrics, 95% intervals\n"
    "  h100e         installed H100-equivalents against the roadmap, 5-95% band\n"
    "  drivers       a two-level run's only (run --uncertain): the gap to the target\n"
    "                against the uncertain assumptions that drive it most\n"
    "  tornado       a file of gpuplan sensitivity's only (its one chart): per metric,\n"
    "                Sobol' ST and S1 or Morris' mu* of each factor, 95% intervals\n"
    "Time series come from the detailed replications (run --detail K).\n"
    "\n"
    "  -d, --dir DIR     output directory (default: beside FILE, its name without .h5\n"
    "                    plus -charts: out/baseline.h5 gives out/baseline-charts/)\n"
    "  --format F        png (default), svg or pdf\n"
    "  --point K         point K of a parameter sweep (default 0), or its label as\n"
    "                    run prints it, e.g. review.reviewers=80\n"
    "\n"
    "Every chart is drawn in a private directory inside DIR and moved into DIR once\n"
    "all are drawn: DIR gets all of them or none.\n"
    "\n"
    "Needs gnuplot (" GP_PLOT_INSTALL_HINT "); GPUPLAN_GNUPLOT=PROGRAM runs another one.\n"
    "Prints the path of each chart written.\n";

enum { OPT_FORMAT = 256, OPT_POINT };

static const struct option options[] = {
    {"dir", required_argument, NULL, 'd'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"point", required_argument, NULL, OPT_POINT},
    {NULL, 0, NULL, 0},
};

int gp_cmd_plot(int argc, char **argv) {
  gp_plot_opts o = {NULL, NULL, -1, stdout};
  const char *point = NULL;
  int c;
  while ((c = gp_cli_getopt("plot", argc, argv, "d:", options)) != -1) {
    switch (c) {
    case 'd':
      o.dir = optarg;
      if (!o.dir[0]) return gp_cli_usage_error("plot", "-d: empty directory name");
      break;
    case OPT_FORMAT:
      o.format = optarg;
      if (strcmp(o.format, "png") != 0 && strcmp(o.format, "svg") != 0 &&
          strcmp(o.format, "pdf") != 0)
        return gp_cli_usage_error("plot", "--format %s: expected png, svg or pdf", o.format);
      break;
    case OPT_POINT: point = optarg; break;
    default: return GP_EX_USAGE;
    }
  }
  if (optind >= argc) return gp_cli_usage_error("plot", "expected a result file");
  if (optind + 1 < argc)
    return gp_cli_usage_error("plot", "one result file at a time (also got %s)", argv[optind + 1]);
  gp_err err;
  gp_err_clear(&err);
  char *dir = o.dir ? NULL : gp_plot_default_dir(argv[optind]);
  if (!o.dir && !dir) {
    GP_ERR_NOMEM(&err);
    return gp_cli_fail_whole(&err);
  }
  if (dir) o.dir = dir;
  /* Where the charts go is checked before the file is read. */
  int rc = gp_cli_out_dir(o.dir, 1);
  if (!rc) rc = gp_cli_point("plot", argv[optind], point, &o.point);
  if (!rc && gp_plot_write(argv[optind], &o, &err) != 0) rc = gp_cli_fail_whole(&err);
  free(dir);
  return rc;
}
