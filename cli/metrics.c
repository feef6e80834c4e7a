/*
 * cli/metrics.c - `gpuplan metrics`: the metric catalogue as people and
 * programs meet it, one line per summary metric: its name (the field in
 * the HDF5 file and the CSV column, what --metric takes), its title in the
 * tables of run, compare and the report, the unit of the numbers shown,
 * and which way is better.  The one dictionary between the two vocabularies
 * (issue 17, item 7); every word comes from models/results/metrics.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "models/results/metrics.h"

const char gp_cmd_metrics_usage[] =
    "usage: gpuplan metrics [--run]\n"
    "\n"
    "List the summary metrics: the name a file, a CSV column and --metric use;\n"
    "the title the tables of run, compare and report show; the unit shown (a\n"
    "fraction stored as 0.31 shows as 31 %%); and whether lower or higher is\n"
    "better. In the order of the tables: a breakdown by sector under its whole.\n"
    "\n"
    "  --run   only the metrics run's table shows (compare shows them too; the\n"
    "          rest with compare --all)\n";

static const struct option options[] = {{"run", no_argument, NULL, 'r'}, {NULL, 0, NULL, 0}};

int gp_cmd_metrics(int argc, char **argv) {
  int only_run = 0, c;
  while ((c = gp_cli_getopt("metrics", argc, argv, "", options)) != -1) {
    if (c == 'r') only_run = 1;
    else return GP_EX_USAGE;
  }
  if (optind < argc) return gp_cli_usage_error("metrics", "unexpected argument %s", argv[optind]);
  int order[256];
  if (gp_stat_count() > (int)(sizeof order / sizeof order[0]))
    return fprintf(stderr, "gpuplan metrics: %d metrics, more than this build lists\n",
                   gp_stat_count()),
           GP_EX_SOFTWARE;
  int n = gp_stat_table_order(order, only_run ? GP_SHOW_RUN : 0), wn = 4, wt = 5, wu = 10;
  char title[128];
  for (int i = 0; i < n; i++) {
    const gp_field *f = gp_stat_field(order[i]);
    gp_stat_title(title, sizeof title, order[i]);
    if ((int)strlen(f->name) > wn) wn = (int)strlen(f->name);
    if ((int)strlen(title) > wt) wt = (int)strlen(title);
    if ((int)strlen(f->view->shown) > wu) wu = (int)strlen(f->view->shown);
  }
  printf("%-*s  %-*s  %-*s  %s\n", wn, "name", wt, "title", wu, "unit shown", "better");
  for (int i = 0; i < n; i++) {
    const gp_field *f = gp_stat_field(order[i]);
    const gp_metric_view *v = f->view;
    gp_stat_title(title, sizeof title, order[i]);
    printf("%-*s  %-*s  %-*s  %s\n", wn, f->name, wt, title, wu, v->shown[0] ? v->shown : "-",
           v->better == GP_BETTER_LOWER    ? "lower"
           : v->better == GP_BETTER_HIGHER ? "higher"
                                           : "-");
  }
  return fflush(stdout) == 0 && !ferror(stdout) ? 0 : GP_EX_IOERR;
}
