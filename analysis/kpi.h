/*
 * analysis/kpi.h - programme statistics per demand source, as programmes
 * publish them in their yearly tables (PRACE's call statistics, INCITE's
 * requests and awards): proposals, units asked, offered and awarded
 * (oversubscription), success rates by sector and region, rejections by
 * stage, days to a decision, GPUs granted by sector.  `gpuplan kpi` prints
 * them (text or CSV); the report's "Programme statistics" shows them.
 *
 * Every figure is computed per replication from /policies/P/calls (one row
 * per replication and source) and summarised over the replications: the
 * mean over those with a value (a rate of a source with no proposals in a
 * replication has none) and, for a random quantity, its 95% Student-t
 * interval.  The budget offered is fixed by the scenario: no interval.
 *
 * Invariants: a figure with no value (no replication had one, or the file
 * predates the field) is NaN and is printed as absent ("n/a" in text, an
 * empty cell in CSV), never as 0; the rows are the file's demand sources in
 * its order (calls, then streams, then designations), each with its kind.
 */
#ifndef GP_KPI_H
#define GP_KPI_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/reader.h"
#include "models/results/results.h"
#include "sim/err.h"

/* A column: how one replication's row of a source gives its value. */
typedef struct gp_kpi_col {
  const char *name;  /* CSV column; a random one is followed by NAME_lo and NAME_hi */
  const char *unit;  /* "1" for a rate or ratio (a fraction, not a percentage) */
  const char *doc;   /* what it is */
  const char *head;  /* its text header, at most 10 columns wide */
  int block;         /* the text block it is shown in (gp_kpi_blocks) */
  int random;        /* 1: a random quantity, shown with its 95% interval */
  int percent;       /* 1: a rate, shown in text as a percentage */
  size_t num, num_less; /* the value: (num - num_less) / (den - den_less), offsets into */
  size_t den, den_less; /* gp_call_row; GP_KPI_NONE: no such term (no division for den) */
} gp_kpi_col;
#define GP_KPI_NONE ((size_t)-1)

extern const gp_kpi_col gp_kpi_cols[];
extern const int gp_kpi_ncols;
/* The text blocks' titles, each naming the published table it follows. */
extern const char *const gp_kpi_blocks[];
extern const int gp_kpi_nblocks;

/* One figure over the replications. */
typedef struct gp_kpi_fig {
  double mean;   /* over the replications with a value; NaN = none had one */
  double lo, hi; /* its 95% interval; NaN when not random or fewer than 2 values */
  size_t n;      /* replications with a value */
} gp_kpi_fig;

/* One demand source. */
typedef struct gp_kpi_row {
  char *name;       /* as in the file (not escaped) */
  const char *kind; /* "call", "stream" or "designation" */
  gp_kpi_fig *fig;  /* gp_kpi_ncols of them */
} gp_kpi_row;

typedef struct gp_kpi {
  char *policy;     /* the policy's name, as in the file */
  size_t nreps;     /* replications */
  gp_kpi_row *rows; /* one per demand source */
  size_t n;
  const char *missing; /* NULL, or the first field the file lacks (gp_kpi_read, LENIENT) */
} gp_kpi;

/* K (zeroed or freed) from NROWS call rows of policy POLICY (any order of
 * replications; each row's `call` an index into NAMES, NNAMES of them: the
 * first NCALLS calls, the next NSTREAMS streams, the rest designations).
 * A row whose `call` is out of range is GP_EX_DATAERR. */
int gp_kpi_from_rows(gp_kpi *k, const char *policy, const gp_call_row *rows, size_t nrows,
                     char *const *names, size_t nnames, size_t ncalls, size_t nstreams,
                     gp_err *err);
/* K from policy POL of the file R.  A file written before the programme
 * statistics existed (its calls rows lack them) is GP_EX_DATAERR, the
 * message naming the first missing field and the gpuplan that wrote it;
 * with LENIENT, it gives K with no rows and K->missing that field. */
int gp_kpi_read(gp_reader *r, size_t pol, int lenient, gp_kpi *k, gp_err *err);
/* The name of the first field of the calls table that gp_kpi needs and
 * ROWS (N of them) lack (NaN in every row, as the reader hands out a field
 * the file does not have), or NULL. */
const char *gp_kpi_missing(const gp_call_row *rows, size_t n);

/* Figure F of column COL as text people read, into BUF: "mean ±half"
 * (a rate as a percentage), rounded to about two significant digits of
 * the half-width; "mean" alone when it has no interval (fixed, or fewer
 * than two replications) or a zero one; "n/a" when it has no value. */
const char *gp_kpi_cell(char *buf, size_t size, int col, const gp_kpi_fig *f);
/* K as text, in blocks that fit WIDTH columns (at least 60; 100 for
 * gpuplan kpi), names escaped. */
void gp_kpi_text(FILE *f, const gp_kpi *k, int width);
/* K as HTML: per text block an <h3> and a <table id="kpi-B"> (B the block),
 * a row per source, each cell gp_kpi_cell's text with data-kpi="COLUMN". */
void gp_kpi_html(FILE *f, const gp_kpi *k);
/* NK tables (one per policy) as CSV: one header line, one line per policy
 * and source (docs/output.md, "gpuplan kpi"). */
void gp_kpi_csv(FILE *f, const gp_kpi *k, size_t nk);
/* NK tables as CSV (CSV = 1) or as text (gp_kpi_text, WIDTH columns). */
void gp_kpi_write(FILE *f, const gp_kpi *k, size_t nk, int csv, int width);
/* gp_kpi_write into PATH, through a temporary name renamed when complete;
 * GP_EX_CANTCREAT or GP_EX_IOERR with nothing left behind. */
int gp_kpi_file(const char *path, const gp_kpi *k, size_t nk, int csv, int width, gp_err *err);
void gp_kpi_free(gp_kpi *k);

#endif /* GP_KPI_H */
