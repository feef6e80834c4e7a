/*
 * tests/fuzz/fuzz_reader.c - libFuzzer target for the result reader: the
 * HDF5 input of compare, export, plot and report (analysis/reader.c over
 * models/results/h5in.c and h5heap.c).
 *
 * Each input is written to a private file (HDF5 opens files by name), opened
 * with gp_reader_open, and everything the four commands read is read: the
 * statistics, every policy's summary, calls (and their names), proposals
 * (whole, and the columns the charts use), statistics as stored, time
 * series and their units, the pairs of /compare, the roadmap and its risk.
 * When all of that reads, `compare` and `export` run on it too (compare
 * into /dev/null, export into a private directory, emptied after each input).
 *
 * Besides the sanitizers' findings, a hang (libFuzzer's -timeout) and an
 * allocation beyond -malloc_limit_mb, it aborts when the reader breaks its
 * contract (models/results/h5in.h, analysis/reader.h): a refusal carries
 * code 65 and a message that starts with the file's name (or is 71, out of
 * memory); an accepted file has at least one policy.
 * Seeds: small result files run.sh writes with gpuplan from
 * tests/fuzz/reader-seed.json, and the reproducers tests/fuzz/crashes/reader-*.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/compare.h"
#include "analysis/export.h"
#include "analysis/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char file[128], outdir[128];
static FILE *devnull;

static void setup(void) {
  const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
  if (!tmp) tmp = "/tmp";
  snprintf(file, sizeof file, "%s/fuzz_reader-%ld.h5", tmp, (long)getpid());
  snprintf(outdir, sizeof outdir, "%s/fuzz_reader-%ld-csv", tmp, (long)getpid());
  devnull = fopen("/dev/null", "w");
  if (!devnull) abort();
}

static void cleanup(void) {
  unlink(file);
  DIR *d = opendir(outdir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      char p[512];
      if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
        continue;
      snprintf(p, sizeof p, "%s/%s", outdir, e->d_name);
      unlink(p);
    }
    closedir(d);
  }
  rmdir(outdir);
}

/* A refusal must be the reader's: data error or out of memory, named. */
static int check_err(const char *what, gp_err *err) {
  int named = strncmp(err->msg, file, strlen(file)) == 0;
  if (!(err->code == GP_EX_DATAERR && named) && err->code != GP_EX_OSERR) {
    fprintf(stderr, "fuzz_reader: %s: code %d, message \"%s\"\n", what, err->code, err->msg);
    abort();
  }
  gp_err_clear(err);
  return 1;
}

/* Everything compare, export, plot and report read of policy P; the
 * number of refusals. */
static int read_policy(gp_reader *r, size_t p, gp_err *err) {
  int bad = 0;
  size_t n = 0;
  void *rows = gp_reader_table(r, p, "summary", &gp_summary_desc, &n, err);
  if (!rows) bad += check_err("summary", err);
  free(rows);
  if (!(rows = gp_reader_table(r, p, "calls", &gp_call_desc, &n, err)))
    bad += check_err("calls", err);
  free(rows);
  char **names = gp_reader_call_names(r, p, &n, err);
  if (!names) bad += check_err("call names", err);
  gp_h5in_free_names(names, n);
  gp_table_desc desc;
  gp_field fields[GP_PROPOSAL_NFIELDS];
  if (gp_reader_proposal_desc(r, &desc, fields, err) == 0) {
    if (!(rows = gp_reader_table(r, p, "proposals", &desc, &n, err)))
      bad += check_err("proposals", err);
    free(rows);
  } else {
    bad += check_err("proposal description", err);
  }
  if (!(rows = gp_reader_starts(r, p, &n, err))) bad += check_err("starts", err);
  free(rows);
  gp_stored_stats s;
  if (gp_reader_policy_stats(r, p, &s, err)) bad += check_err("stats", err);
  gp_stored_stats_free(&s);
  gp_reader_series ts;
  if (gp_reader_series_open(r, p, &ts, err)) return bad + check_err("series", err);
  for (size_t i = 0; i < ts.n; i++) {
    char *unit = NULL;
    double *m = gp_reader_series_read(r, p, &ts, i, &unit, err);
    if (!m) bad += check_err("series values", err);
    free(m);
    free(unit);
  }
  gp_reader_series_free(&ts);
  return bad;
}

/* Everything of the file; 1 when all of it was read. */
static int read_all(gp_reader *r, gp_err *err) {
  if (r->np == 0) {
    fprintf(stderr, "fuzz_reader: a file with no policies accepted\n");
    abort();
  }
  int bad = 0;
  for (int paired = 0; paired < 2; paired++) {
    gp_stat_row *st = gp_reader_stats(r, paired, 0, err);
    if (!st) bad += check_err("statistics", err);
    free(st);
  }
  for (size_t p = 0; p < r->np; p++) bad += read_policy(r, p, err);
  size_t n = 0;
  char **pairs = gp_reader_pairs(r, &n, err);
  if (!pairs) bad += check_err("pairs", err);
  for (size_t i = 0; pairs && i < n; i++) {
    gp_stored_stats s;
    if (gp_reader_pair_stats(r, pairs[i], &s, err)) bad += check_err("pair", err);
    gp_stored_stats_free(&s);
  }
  gp_h5in_free_names(pairs, n);
  gp_roadmap_row *road = NULL;
  double risk[6];
  if (gp_reader_roadmap(r, &road, &n, risk, err)) bad += check_err("roadmap", err);
  free(road);
  return bad == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!devnull) setup();
  int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) abort();
  for (size_t done = 0; done < size;) {
    ssize_t k = write(fd, data + done, size - done);
    if (k <= 0) abort();
    done += (size_t)k;
  }
  close(fd);
  gp_err err;
  gp_err_clear(&err);
  gp_reader *r = gp_reader_open(file, -1, &err);
  if (!r) {
    check_err("open", &err);
    cleanup();
    return 0;
  }
  int whole = read_all(r, &err);
  gp_reader_close(r);
  if (!whole) { /* compare and export would only stop where the reader did */
    cleanup();
    return 0;
  }
  gp_compare_opts co = {NULL, 1, -1, 0, NULL, 0};
  if (gp_compare_print(devnull, file, &co, &err)) check_err("compare", &err);
  long rows[GP_EXPORT_NFILES];
  if (gp_export_csv(file, outdir, -1, rows, &err)) check_err("export", &err);
  cleanup();
  return 0;
}
