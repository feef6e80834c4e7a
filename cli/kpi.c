/*
 * cli/kpi.c - `gpuplan kpi`: a result file's programme statistics per
 * demand source (analysis/kpi.h), as text on stdout or as CSV.
 *
 * Invariant: -o writes all or nothing (a temporary name, renamed when
 * complete); nothing is written before every policy asked for was read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/kpi.h"
#include "analysis/reader.h"
#include "cli/cli.h"
#include "sim/interrupt.h"

const char gp_cmd_kpi_usage[] =
    "usage: gpuplan kpi FILE.h5 [--policy P] [-o FILE] [--format csv|text] [--point K|LABEL]\n"
    "\n"
    "The programme statistics per demand source (calls, then streams, then\n"
    "designations), as programmes publish them (PRACE's call statistics, INCITE's\n"
    "requests and awards): proposals, units asked, offered and awarded,\n"
    "oversubscription, success rates by sector and by region, rejections by stage\n"
    "(screening, interview, committee), withdrawals, the p50 and p90 of days from\n"
    "submission to decision, GPUs granted by sector.  Each is the mean over the\n"
    "replications with, where it is random, its 95% interval.  Columns:\n"
    "docs/output.md, \"gpuplan kpi\".\n"
    "\n"
    "  --policy P      policy P only (default: every policy, one after the other)\n"
    "  -o FILE         write to FILE (default: standard output); CSV unless --format text\n"
    "  --format F      csv (one header line; columns x, x_lo, x_hi) or text (aligned,\n"
    "                  in blocks that fit 100 columns); default text on standard output\n"
    "  --point K       sweep point K (default 0) of a file written with a sweep, or the\n"
    "                  point's label as run prints it, e.g. review.reviewers=80\n"
    "\n"
    "A file written before these statistics existed is refused (exit 65), the\n"
    "message naming the missing field and the gpuplan that wrote the file.\n";

enum { OPT_POLICY = 256, OPT_FORMAT, OPT_POINT };

static const struct option options[] = {
    {"policy", required_argument, NULL, OPT_POLICY},
    {"output", required_argument, NULL, 'o'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"point", required_argument, NULL, OPT_POINT},
    {NULL, 0, NULL, 0},
};

#define TEXT_WIDTH 100

/* Read the tables of every policy (or only POLICY) of R into *K, *NK. */
static int read_all(gp_reader *r, const char *policy, gp_kpi **k, size_t *nk, gp_err *err) {
  size_t first = 0, last = r->np;
  if (policy) {
    int p = gp_reader_policy_index(r, policy);
    if (p < 0) {
      char list[512] = "";
      for (size_t i = 0, len = 0; i < r->np && len < sizeof list - 64; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                                r->pol[i].name);
      return GP_ERR(err, GP_EX_USAGE, "%s: no policy \"%s\" (the file has: %s)", r->path, policy,
                    list);
    }
    first = (size_t)p;
    last = first + 1;
  }
  if (!(*k = calloc(last - first, sizeof **k))) return GP_ERR_NOMEM(err);
  for (size_t p = first; p < last; p++, (*nk)++)
    if (gp_kpi_read(r, p, 0, &(*k)[*nk], err) != 0) return -1;
  return 0;
}

int gp_cmd_kpi(int argc, char **argv) {
  const char *policy = NULL, *out = NULL, *format = NULL, *point_arg = NULL;
  int c, point = -1;
  while ((c = gp_cli_getopt("kpi", argc, argv, "o:", options)) != -1) {
    switch (c) {
    case OPT_POLICY: policy = optarg; break;
    case 'o': out = optarg; break;
    case OPT_FORMAT: format = optarg; break;
    case OPT_POINT: point_arg = optarg; break;
    default: return GP_EX_USAGE;
    }
  }
  if (optind >= argc) return gp_cli_usage_error("kpi", "expected a result file");
  if (optind + 1 < argc)
    return gp_cli_usage_error("kpi", "one file at a time (also got %s)", argv[optind + 1]);
  if (format && strcmp(format, "csv") != 0 && strcmp(format, "text") != 0)
    return gp_cli_usage_error("kpi", "--format: expected csv or text, found \"%s\"", format);
  int csv = format ? strcmp(format, "csv") == 0 : out != NULL;
  const char *file = argv[optind];
  if (out && gp_cli_same_file(out, file))
    return gp_cli_usage_error("kpi", "-o %s: that is the result file", out);
  if (out && gp_cli_out_file(out)) return GP_EX_CANTCREAT;
  int rc = gp_cli_point("kpi", file, point_arg, &point);
  if (rc) return rc;
  gp_err err;
  gp_err_clear(&err);
  gp_reader *r = gp_reader_open(file, point, &err);
  if (!r) return gp_cli_fail(&err);
  gp_kpi *k = NULL;
  size_t nk = 0;
  rc = read_all(r, policy, &k, &nk, &err);
  if (!rc && gp_interrupted)
    rc = GP_ERR(&err, GP_EX_SIGNAL + gp_interrupted, "interrupted by signal %d; nothing written",
                (int)gp_interrupted);
  if (!rc) {
    if (out) rc = gp_kpi_file(out, k, nk, csv, TEXT_WIDTH, &err);
    else gp_kpi_write(stdout, k, nk, csv, TEXT_WIDTH);
  }
  for (size_t i = 0; i < nk; i++) gp_kpi_free(&k[i]);
  free(k);
  gp_reader_close(r);
  return rc ? gp_cli_fail(&err) : 0;
}
