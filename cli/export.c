/*
 * cli/export.c - `gpuplan export`: a result file as CSV files
 * (analysis/export.h), and the list of what was written.
 */
#include <stdio.h>
#include <string.h>

#include "analysis/export.h"
#include "cli/cli.h"
#include "sim/escape.h"

const char gp_cmd_export_usage[] =
    "usage: gpuplan export FILE.h5 -d DIR [--point K|LABEL]\n"
    "\n"
    "Write the tables of a result file as CSV files for spreadsheets and gnuplot:\n"
    "summary.csv, stats.csv, compare.csv, calls.csv, proposals.csv, timeseries.csv,\n"
    "roadmap.csv, roadmap_tranches.csv, scenario.json (the scenario as run) and\n"
    "csv-metadata.json (each column's unit and meaning, W3C CSVW).  Dates are ISO\n"
    "(YYYY-MM-DD), empty for never; numbers use '.'; an empty cell is NaN.  Columns:\n"
    "docs/output.md.\n"
    "DIR is created if missing (its parent must exist).  Files are written to\n"
    "temporary names and renamed once all are complete: DIR never holds half an export.\n"
    "\n"
    "  -d, --dir DIR   where to write the files (required)\n"
    "  --point K       point K (from 0) of a parameter sweep, or its label as run\n"
    "                  prints it (review.reviewers=80); default 0.  A file without a\n"
    "                  sweep has only point 0 (another K: exit 64)\n"
    "\n"
    "Text cells that begin with =, +, -, @, a tab or a CR get a leading ' (a\n"
    "spreadsheet would take them for formulas); numbers are left alone.\n";

enum { OPT_POINT = 256 };

static const struct option options[] = {
    {"dir", required_argument, NULL, 'd'},
    {"point", required_argument, NULL, OPT_POINT},
    {NULL, 0, NULL, 0},
};

/* 1 for a file of rows (the CSV tables), 0 for the others (scenario.json). */
static int has_rows(const char *name) {
  size_t n = strlen(name);
  return n > 4 && strcmp(name + n - 4, ".csv") == 0;
}

int gp_cmd_export(int argc, char **argv) {
  const char *dir = NULL;
  const char *point_arg = NULL;
  int point = -1, c;
  while ((c = gp_cli_getopt("export", argc, argv, "d:", options)) != -1) {
    switch (c) {
    case 'd': dir = optarg; break;
    case OPT_POINT: point_arg = optarg; break;
    default: return GP_EX_USAGE;
    }
  }
  if (optind >= argc) return gp_cli_usage_error("export", "expected a result file");
  if (optind + 1 < argc)
    return gp_cli_usage_error("export", "one file at a time (also got %s)", argv[optind + 1]);
  if (!dir || !dir[0]) return gp_cli_usage_error("export", "expected -d DIR");
  int rc = gp_cli_out_dir(dir, 0); /* checked before the file is read */
  if (!rc) rc = gp_cli_point("export", argv[optind], point_arg, &point);
  if (rc) return rc;
  gp_err err;
  gp_err_clear(&err);
  long rows[GP_EXPORT_NFILES];
  if (gp_export_csv(argv[optind], dir, point, rows, &err) != 0) return gp_cli_fail_whole(&err);
  size_t dl = strlen(dir);
  const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";
  for (int k = 0; k < GP_EXPORT_NFILES; k++) {
    gp_escape_fputs(dir, stdout);
    printf("%s%s", sep, gp_export_files[k]);
    if (has_rows(gp_export_files[k])) printf(": %ld row%s", rows[k], rows[k] == 1 ? "" : "s");
    putchar('\n');
  }
  return 0;
}
