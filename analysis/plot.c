/*
 * analysis/plot.c - charts of a result file, drawn by gnuplot (see plot.h).
 *
 * For each chart, gpuplan writes a gnuplot script and its data files into a
 * private directory made with mkdtemp inside the output directory, runs
 * gnuplot there (fork + exec, no shell), and renames the finished chart into
 * the output directory.
 *
 * Invariants:
 *  - Text from the result file (scenario, policy names) enters a script only
 *    through put_strn: a single-quoted gnuplot string, where gnuplot performs
 *    no backquote or macro substitution; quotes are doubled, control
 *    characters and invalid UTF-8 replaced.  Every other token of a script is
 *    a constant of this file or a number, and file names in scripts are
 *    fixed relative names (gnuplot runs inside the private directory), so no
 *    user path reaches gnuplot either.
 *  - gnuplot gives up on a plot command whose every point is undefined, so a
 *    plot command is only written when it has at least one point; otherwise
 *    the panel says in words why it is empty.
 *  - The private directory and everything in it are removed before
 *    gp_plot_write returns, whatever happened.
 */
#include "analysis/plot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "models/results/h5in.h"
#include "analysis/text.h"
#include "models/scenario/date.h"
#include "models/results/results.h"
#include "sim/stats.h"

#define INSTALL_HINT "apt-get install gnuplot-nox"
/* gnuplot's exit status when it lacks the terminal a format needs. */
#define NO_TERMINAL 3

/* What the charts need of a proposal row (read by field name). */
typedef struct prop_row {
  int8_t sector;    /* gp_sector_names */
  double submitted; /* days since epoch */
  double started;   /* days since epoch; -1 = never */
} prop_row;

static const gp_field prop_fields[] = {
    GP_FIELD_ENUM(prop_row, sector, gp_sector_names, GP_NSECTORS, "applicant's sector"),
    GP_FIELD(prop_row, submitted, GP_F_DOUBLE, "days", "submission time, days since epoch"),
    GP_FIELD(prop_row, started, GP_F_DOUBLE, "days", "start on GPUs; -1 = never"),
};
static const gp_table_desc prop_desc = {"proposals", sizeof(prop_row), prop_fields,
                                        (int)(sizeof prop_fields / sizeof prop_fields[0])};

/* One policy's data, as read from the file. */
typedef struct policy {
  char *name;          /* as in the file */
  char *shown;         /* name cut to NAME_CHARS characters, for titles and legends */
  gp_summary_row *sum; /* one row per replication */
  size_t nsum;
  double *time;       /* sample times, days since epoch */
  size_t ns;          /* samples */
  double *ts[GP_NTS]; /* nd x ns, row-major */
  size_t nd;          /* detailed replications */
  prop_row *prop;     /* proposals of the detailed replications */
  size_t nprop;
} policy;

typedef struct plot_ctx {
  gp_h5in *h;
  const char *file;   /* the result file, as given */
  char *base;         /* "" or "/points/K": where the result tree is */
  int point;          /* sweep point shown; -1 without a sweep */
  int npoints;        /* 0 = not a sweep */
  char *label;        /* scenario name, and the point: starts every title */
  long epoch;         /* day number of the epoch (days since 1970-01-01) */
  double target_gpus; /* roadmap target, GPUs; NaN = none */
  double target_t;    /* its date, days since epoch; NaN = none */
  char target_date[16];
  policy *pol;
  size_t np;
  size_t nreps;    /* replications in the summaries */
  double t0, t1;   /* time axis, days since epoch */
  const char *ext; /* "png", "svg" or "pdf" */
  char *dir;       /* output directory */
  char *tmp;       /* private directory inside DIR; NULL until made */
  char *gnuplot;   /* absolute path of the program */
} plot_ctx;

/* Colours: a qualitative palette for policies (no red: red is the roadmap
 * target's), fixed ones for the series. */
static const char *const pol_color[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
                                        "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
#define NPOLCOLOR (sizeof pol_color / sizeof pol_color[0])
#define TARGET_COLOR "#d62728"

/* ---- small helpers ---- */

/* Write S as a gnuplot single-quoted string: no substitution happens inside
 * one; a quote is doubled; control characters (which could end the command)
 * become spaces and invalid UTF-8 '?', so that SVG output stays valid XML.
 * At most MAXCHARS characters (0 = all); a longer text ends in "...". */
static void put_strn(FILE *g, const char *s, size_t maxchars) {
  const unsigned char *p = (const unsigned char *)s;
  fputc('\'', g);
  for (size_t k = 0; *p; k++) {
    if (maxchars && k == maxchars) {
      fputs("...", g);
      break;
    }
    size_t n = gp_utf8_len(p);
    if (n == 0)
      fputc('?', g), p++;
    else if (n > 1)
      fwrite(p, 1, n, g), p += n;
    else if (*p < 0x20 || *p == 0x7f)
      fputc(' ', g), p++;
    else if (*p == '\'')
      fputs("''", g), p++;
    else
      fputc(*p, g), p++;
  }
  fputc('\'', g);
}

static void put_str(FILE *g, const char *s) { put_strn(g, s, 0); }

/* Names in legends are cut to LEGEND_CHARS characters, elsewhere to
 * NAME_CHARS; a title line to TITLE_CHARS. */
#define LEGEND_CHARS 24
#define NAME_CHARS 60
#define TITLE_CHARS 160

/* S cut to MAXCHARS characters, "..." appended when cut; malloc'd. */
static char *cut(const char *s, size_t maxchars) {
  const unsigned char *p = (const unsigned char *)s;
  for (size_t k = 0; *p && k < maxchars; k++) {
    size_t n = gp_utf8_len(p);
    p += n ? n : 1;
  }
  if (!*p) return strdup(s);
  return gp_strf("%.*s...", (int)(p - (const unsigned char *)s), s);
}

/* Characters of S as put_strn counts them. */
static size_t text_chars(const char *s) {
  size_t k = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; k++) {
    size_t n = gp_utf8_len(p);
    p += n ? n : 1;
  }
  return k;
}

/* "set title" and friends: CMD, then LINE1 (and LINE2 under it). */
static void put_title(FILE *g, const char *cmd, const char *line1, const char *line2) {
  fprintf(g, "%s ", cmd);
  put_strn(g, line1, TITLE_CHARS);
  if (line2) {
    fputs(" . \"\\n\" . ", g);
    put_strn(g, line2, TITLE_CHARS);
  }
  fputc('\n', g);
}

/* Seconds since 1970 of simulation time T: gnuplot's time coordinates. */
static double tsec(const plot_ctx *c, double t) { return ((double)c->epoch + t) * 86400.0; }

/* Simulation time T as "YYYY-MM-DDTHH:MM" (the scripts' timefmt). */
static void put_time(FILE *f, const plot_ctx *c, double t) {
  double day = floor(t);
  long min = lround((t - day) * 1440.0);
  if (min >= 1440) day += 1, min = 0;
  char d[32];
  gp_date_format(c->epoch + (long)day, d, sizeof d);
  fprintf(f, "%sT%02ld:%02ld", d, min / 60, min % 60);
}

/* Numbers for data files: NaN as the missing marker the scripts declare. */
static void put_num(FILE *f, double x) {
  if (isfinite(x))
    fprintf(f, " %.10g", x);
  else
    fputs(" NaN", f);
}

/* X rounded to an integer, with thousands separators: "52,000". */
static void fmt_count(char *buf, size_t size, double x) {
  char digits[64];
  snprintf(digits, sizeof digits, "%.0f", fabs(x));
  size_t n = strlen(digits), k = 0;
  if (x <= -0.5 && k + 1 < size) buf[k++] = '-';
  for (size_t i = 0; i < n && k + 1 < size; i++) {
    if (i > 0 && (n - i) % 3 == 0 && k + 2 < size) buf[k++] = ',';
    buf[k++] = digits[i];
  }
  buf[k] = '\0';
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* ---- files in the private directory ---- */

static FILE *tmp_open(plot_ctx *c, const char *name, gp_err *err) {
  char *p = gp_strf("%s/%s", c->tmp, name);
  if (!p) return GP_ERR_NOMEM(err), NULL;
  FILE *f = fopen(p, "w");
  if (!f) GP_ERR(err, GP_EX_IOERR, "%s: cannot write: %s", p, strerror(errno));
  free(p);
  return f;
}

static int tmp_close(plot_ctx *c, FILE *f, const char *name, gp_err *err) {
  int bad = ferror(f);
  int e = errno;
  if (fclose(f) != 0 && !bad) bad = 1, e = errno;
  if (bad) return GP_ERR(err, GP_EX_IOERR, "%s/%s: write error: %s", c->tmp, name, strerror(e));
  return 0;
}

/* Remove the private directory and what is in it (all of it ours). */
static void tmp_remove(plot_ctx *c) {
  if (!c->tmp) return;
  DIR *d = opendir(c->tmp);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      char *p = gp_strf("%s/%s", c->tmp, e->d_name);
      if (p) unlink(p);
      free(p);
    }
    closedir(d);
  }
  rmdir(c->tmp);
}

/* mkdir -p PATH. */
static int make_dirs(const char *path, gp_err *err) {
  char *p = strdup(path);
  if (!p) return GP_ERR_NOMEM(err);
  int rc = 0;
  for (char *s = p + 1;; s++) {
    if (*s != '/' && *s != '\0') continue;
    char c = *s;
    *s = '\0';
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      rc = GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create directory: %s", p, strerror(errno));
      break;
    }
    *s = c;
    if (!c) break;
  }
  struct stat st;
  if (!rc && stat(path, &st) != 0)
    rc = GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create directory: %s", path, strerror(errno));
  else if (!rc && !S_ISDIR(st.st_mode))
    rc = GP_ERR(err, GP_EX_CANTCREAT, "%s: exists and is not a directory", path);
  free(p);
  return rc;
}

/* ---- gnuplot ---- */

static int is_program(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

/* The absolute path of gnuplot into c->gnuplot. */
static int find_gnuplot(plot_ctx *c, gp_err *err) {
  const char *env = getenv("GPUPLAN_GNUPLOT");
  const char *name = env && env[0] ? env : "gnuplot";
  char *found = NULL;
  if (strchr(name, '/')) {
    if (is_program(name) && !(found = strdup(name))) return GP_ERR_NOMEM(err);
  } else {
    const char *path = getenv("PATH");
    if (!path) path = "/usr/bin:/bin";
    for (const char *s = path; !found;) {
      size_t n = strcspn(s, ":");
      char *cand = n ? gp_strf("%.*s/%s", (int)n, s, name) : gp_strf("./%s", name);
      if (!cand) return GP_ERR_NOMEM(err);
      if (is_program(cand))
        found = cand;
      else
        free(cand);
      if (!s[n]) break;
      s += n + 1;
    }
  }
  if (!found) {
    if (env && env[0])
      return GP_ERR(err, GP_EX_UNAVAILABLE,
                    "gnuplot not found: GPUPLAN_GNUPLOT=%s is not a program; install gnuplot "
                    "(" INSTALL_HINT ") or unset GPUPLAN_GNUPLOT",
                    env);
    return GP_ERR(err, GP_EX_UNAVAILABLE,
                  "gnuplot not found on PATH; plot needs it: " INSTALL_HINT);
  }
  /* gnuplot runs in the private directory: the path must not be relative. */
  if (found[0] == '/') {
    c->gnuplot = found;
    return 0;
  }
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd)) {
    free(found);
    return GP_ERR(err, GP_EX_OSERR, "cannot find the current directory: %s", strerror(errno));
  }
  c->gnuplot = gp_strf("%s/%s", cwd, found);
  free(found);
  return c->gnuplot ? 0 : GP_ERR_NOMEM(err);
}

/* The line of gnuplot's log LOG that says what went wrong, into MSG. */
static void log_reason(plot_ctx *c, const char *log, char *msg, size_t size) {
  msg[0] = '\0';
  char *p = gp_strf("%s/%s", c->tmp, log);
  FILE *f = p ? fopen(p, "r") : NULL;
  free(p);
  if (!f) return;
  char line[512];
  int have_located = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    for (char *s = line; *s; s++)
      if ((unsigned char)*s < 0x20) *s = ' ';
    int located = line[0] == '"' && strstr(line, "\" line ") != NULL;
    if (located || (!have_located && line[strspn(line, " ^")] != '\0')) {
      snprintf(msg, size, "%s", line);
      have_located |= located;
    }
  }
  fclose(f);
}

/* Run gnuplot on SCRIPT inside the private directory. */
static int run_gnuplot(plot_ctx *c, const char *chart, gp_err *err) {
  char script[64], log[64];
  snprintf(script, sizeof script, "%s.gp", chart);
  snprintf(log, sizeof log, "%s.log", chart);
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) return GP_ERR(err, GP_EX_OSERR, "cannot start gnuplot: %s", strerror(errno));
  if (pid == 0) {
    /* Child: only async-signal-safe calls until exec. */
    int in = open("/dev/null", O_RDONLY);
    if (chdir(c->tmp) != 0 || in < 0) _exit(126);
    int out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) _exit(126);
    char *const args[] = {"gnuplot", script, NULL};
    execv(c->gnuplot, args);
    _exit(127);
  }
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return GP_ERR(err, GP_EX_OSERR, "gnuplot: %s", strerror(errno));
  if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return 0;
  if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
    return GP_ERR(err, GP_EX_UNAVAILABLE, "%s: cannot run it; reinstall gnuplot: " INSTALL_HINT,
                  c->gnuplot);
  if (WIFEXITED(st) && WEXITSTATUS(st) == 126)
    return GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot run gnuplot there", c->tmp);
  if (WIFEXITED(st) && WEXITSTATUS(st) == NO_TERMINAL)
    return GP_ERR(
        err, GP_EX_UNAVAILABLE,
        "%s cannot write %s (no %scairo terminal); install the full gnuplot: " INSTALL_HINT,
        c->gnuplot, c->ext, c->ext);
  char msg[512];
  log_reason(c, log, msg, sizeof msg);
  if (!msg[0] && WIFEXITED(st))
    snprintf(msg, sizeof msg, "%s exited with status %d and no message", c->gnuplot,
             WEXITSTATUS(st));
  if (WIFSIGNALED(st))
    return GP_ERR(err, GP_EX_SOFTWARE, "gnuplot was killed by signal %d drawing %s", WTERMSIG(st),
                  chart);
  return GP_ERR(err, GP_EX_SOFTWARE, "gnuplot failed drawing %s: %s", chart, msg);
}

/* ---- reading the file ---- */

/* Attribute NAME of the point's group, else of the root.  Absent: NULL, and
 * an error only when REQUIRED. */
static char *attr_string(plot_ctx *c, const char *name, int required, gp_err *err) {
  gp_err scratch;
  gp_err_clear(&scratch);
  char *s = NULL;
  if (c->base[0]) s = gp_h5in_attr_string(c->h, c->base, name, &scratch);
  if (!s) {
    gp_err_clear(&scratch);
    s = gp_h5in_attr_string(c->h, "/", name, required ? err : &scratch);
  }
  if (!s && !required && scratch.code == GP_EX_OSERR) GP_ERR_NOMEM(err);
  return s;
}

static int attr_double(plot_ctx *c, const char *name, double *out) {
  gp_err scratch;
  gp_err_clear(&scratch);
  if (c->base[0] && gp_h5in_attr_double(c->h, c->base, name, out, &scratch) == 0) return 0;
  gp_err_clear(&scratch);
  return gp_h5in_attr_double(c->h, "/", name, out, &scratch);
}

static int load_policy(plot_ctx *c, policy *p, gp_err *err) {
  char *path = gp_strf("%s/policies/%s/summary", c->base, p->name);
  if (!path) return GP_ERR_NOMEM(err);
  p->sum = gp_h5in_table(c->h, path, &gp_summary_desc, &p->nsum, err);
  free(path);
  if (!p->sum) return -1;
  path = gp_strf("%s/policies/%s/proposals", c->base, p->name);
  if (!path) return GP_ERR_NOMEM(err);
  p->prop = gp_h5in_table(c->h, path, &prop_desc, &p->nprop, err);
  free(path);
  if (!p->prop) return -1;
  size_t rows, cols;
  path = gp_strf("%s/policies/%s/timeseries/time", c->base, p->name);
  if (!path) return GP_ERR_NOMEM(err);
  p->time = gp_h5in_matrix(c->h, path, &p->ns, &cols, err);
  free(path);
  if (!p->time) return -1;
  if (cols != 1)
    return GP_ERR(err, GP_EX_DATAERR, "%s: policy %s: timeseries/time is not a vector", c->file,
                  p->name);
  for (int v = 0; v < GP_NTS; v++) {
    path = gp_strf("%s/policies/%s/timeseries/%s", c->base, p->name, gp_ts_names[v]);
    if (!path) return GP_ERR_NOMEM(err);
    p->ts[v] = gp_h5in_matrix(c->h, path, &rows, &cols, err);
    free(path);
    if (!p->ts[v]) return -1;
    if (v == 0) p->nd = rows;
    if (rows != p->nd || (rows && cols != p->ns))
      return GP_ERR(err, GP_EX_DATAERR,
                    "%s: policy %s: timeseries/%s is %zu x %zu, expected %zu x %zu", c->file,
                    p->name, gp_ts_names[v], rows, cols, p->nd, p->ns);
  }
  return 0;
}

static int load(plot_ctx *c, gp_err *err) {
  if (gp_h5in_exists(c->h, "/points")) {
    double n;
    gp_err scratch;
    gp_err_clear(&scratch);
    if (gp_h5in_attr_double(c->h, "/", "points", &n, &scratch) != 0 || !(n >= 1 && n <= 1e6) ||
        n != floor(n))
      return GP_ERR(err, GP_EX_DATAERR,
                    "%s: has /points but no count of points (root attribute points)", c->file);
    c->npoints = (int)n;
    if (c->point < 0) c->point = 0;
    if (c->point >= c->npoints)
      return GP_ERR(err, GP_EX_USAGE, "%s: --point %d: the sweep has points 0 to %d", c->file,
                    c->point, c->npoints - 1);
    c->base = gp_strf("/points/%d", c->point);
  } else {
    if (c->point > 0)
      return GP_ERR(err, GP_EX_USAGE, "%s: --point %d: the file is not a sweep (no points)",
                    c->file, c->point);
    c->point = -1;
    c->base = strdup("");
  }
  if (!c->base) return GP_ERR_NOMEM(err);

  char *scen = attr_string(c, "scenario_name", 1, err);
  if (!scen) return -1;
  char *short_scen = cut(scen, NAME_CHARS);
  free(scen);
  if (!short_scen) return GP_ERR_NOMEM(err);
  c->label = c->npoints ? gp_strf("%s, sweep point %d (0 to %d)", short_scen, c->point, c->npoints - 1)
                        : strdup(short_scen);
  free(short_scen);
  if (!c->label) return GP_ERR_NOMEM(err);
  char *epoch = attr_string(c, "epoch", 1, err);
  if (!epoch) return -1;
  int bad = gp_date_parse(epoch, &c->epoch);
  if (bad)
    GP_ERR(err, GP_EX_DATAERR, "%s: epoch \"%.40s\" is not a YYYY-MM-DD date", c->file, epoch);
  free(epoch);
  if (bad) return -1;
  c->target_gpus = c->target_t = NAN;
  char *tdate = attr_string(c, "target_date", 0, err);
  long tday;
  if (tdate && attr_double(c, "target_gpus", &c->target_gpus) == 0 &&
      gp_date_parse(tdate, &tday) == 0 && isfinite(c->target_gpus)) {
    c->target_t = (double)(tday - c->epoch);
    gp_date_format(tday, c->target_date, sizeof c->target_date);
  } else {
    c->target_gpus = NAN;
  }
  free(tdate);
  if (err->code) return -1;

  char *pp = gp_strf("%s/policies", c->base);
  if (!pp) return GP_ERR_NOMEM(err);
  char **names = gp_h5in_list(c->h, pp, &c->np, err);
  free(pp);
  if (!names) return -1;
  if (c->np == 0) {
    free(names);
    return GP_ERR(err, GP_EX_DATAERR, "%s: no policies in the file", c->file);
  }
  c->pol = calloc(c->np, sizeof *c->pol);
  if (!c->pol) {
    gp_h5in_free_names(names, c->np);
    c->np = 0;
    return GP_ERR_NOMEM(err);
  }
  for (size_t i = 0; i < c->np; i++) c->pol[i].name = names[i];
  free(names); /* the strings now belong to c->pol */
  for (size_t i = 0; i < c->np; i++)
    if (!(c->pol[i].shown = cut(c->pol[i].name, NAME_CHARS))) return GP_ERR_NOMEM(err);
  for (size_t i = 0; i < c->np; i++) {
    policy *p = &c->pol[i];
    if (load_policy(c, p, err)) return -1;
    if (i == 0) c->nreps = p->nsum;
    if (p->nsum != c->nreps)
      return GP_ERR(err, GP_EX_DATAERR, "%s: policy %s has %zu replications, %s has %zu", c->file,
                    p->name, p->nsum, c->pol[0].name, c->nreps);
  }
  /* The time axis: every sample, and the target date. */
  c->t0 = INFINITY, c->t1 = -INFINITY;
  for (size_t i = 0; i < c->np; i++)
    if (c->pol[i].ns) {
      c->t0 = fmin(c->t0, c->pol[i].time[0]);
      c->t1 = fmax(c->t1, c->pol[i].time[c->pol[i].ns - 1]);
    }
  if (!isfinite(c->t0)) c->t0 = 0, c->t1 = 365;
  if (isfinite(c->target_t)) c->t0 = fmin(c->t0, c->target_t), c->t1 = fmax(c->t1, c->target_t);
  if (c->t1 <= c->t0) c->t1 = c->t0 + 30;
  return 0;
}

static void policies_free(plot_ctx *c) {
  for (size_t i = 0; i < c->np; i++) {
    policy *p = &c->pol[i];
    free(p->name);
    free(p->shown);
    free(p->sum);
    free(p->time);
    for (int v = 0; v < GP_NTS; v++) free(p->ts[v]);
    free(p->prop);
  }
  free(c->pol);
}

/* ---- script pieces ---- */

/* Terminal, output and the settings every chart shares; W x H pixels. */
static void preamble(const plot_ctx *c, FILE *g, const char *chart, int w, int h) {
  fprintf(g, "# gpuplan plot: %s\n", chart);
  if (strcmp(c->ext, "png") == 0)
    fprintf(g,
            "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
            "  set terminal pngcairo size %d,%d noenhanced font 'sans,10'\n"
            "} else {\n"
            "  set terminal png truecolor size %d,%d noenhanced\n"
            "}\n",
            w, h, w, h);
  else if (strcmp(c->ext, "svg") == 0)
    fprintf(g, "set terminal svg size %d,%d noenhanced font 'sans,11' background '#ffffff'\n", w,
            h);
  else
    fprintf(g,
            "if (strstrt(GPVAL_TERMINALS, 'pdfcairo') == 0) {\n"
            "  print 'this gnuplot has no pdfcairo terminal'\n"
            "  exit status %d\n"
            "}\n"
            "set terminal pdfcairo size %.2fin,%.2fin noenhanced font 'sans,12'\n",
            NO_TERMINAL, w / 100.0, h / 100.0);
  fprintf(g, "set output '%s.%s'\n", chart, c->ext);
  fputs("set encoding utf8\n"
        "set datafile missing 'NaN'\n"
        "set grid back lt 1 lw 1 lc rgb '#e4e4e4'\n"
        "set style fill transparent solid 0.2 noborder\n"
        "set key box lc rgb '#bbbbbb' opaque\n",
        g);
}

/* A date axis over the run, ticks on month boundaries, as many as fit a
 * plot WIDTH pixels wide. */
static void time_axis(const plot_ctx *c, FILE *g, int width) {
  double span = c->t1 - c->t0;
  double lo = c->t0, hi = c->t1 + 0.02 * span;
  fputs("set xdata time\n"
        "set timefmt '%Y-%m-%dT%H:%M'\n"
        "set format x '%Y-%m'\n"
        "set xlabel 'date (year-month)'\n",
        g);
  fprintf(g, "set xrange [%.0f:%.0f]\n", tsec(c, lo), tsec(c, hi));
  char d[32];
  int y, m, dd;
  gp_date_format(c->epoch + (long)floor(lo), d, sizeof d);
  if (sscanf(d, "%d-%d-%d", &y, &m, &dd) != 3) return;
  long months = (long)(span / 30.44) + 1;
  static const int steps[] = {1, 2, 3, 6, 12, 24, 60, 120, 240};
  int step = 240;
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
    if (months / steps[i] < width / 65) {
      step = steps[i];
      break;
    }
  long k = (long)y * 12 + (m - 1);
  if (dd > 1) k++;
  k = (k + step - 1) / step * step;
  fputs("set xtics (", g);
  for (int first = 1;; k += step) {
    snprintf(d, sizeof d, "%04ld-%02ld-01", k / 12, k % 12 + 1);
    long day;
    if (gp_date_parse(d, &day) != 0 || (double)(day - c->epoch) > hi) break;
    fprintf(g, "%s%.0f", first ? "" : ", ", (double)day * 86400.0);
    first = 0;
  }
  fputs(")\n", g);
}

/* An empty panel that says why. */
static void message_panel(FILE *g, const char *title, const char *msg) {
  put_title(g, "set title", title, NULL);
  fputs("unset xdata\nunset key\nunset border\nunset tics\nunset xlabel\nunset ylabel\n"
        "unset arrow\nunset label\nset xrange [0:1]\nset yrange [0:1]\n",
        g);
  fputs("set label 1 ", g);
  put_str(g, msg);
  fputs(" at graph 0.5, graph 0.5 center\nplot -1 notitle\n", g);
}

/* The vertical line and label of the roadmap target date. */
static void target_date_marker(const plot_ctx *c, FILE *g) {
  if (!isfinite(c->target_gpus)) return;
  double x = tsec(c, c->target_t);
  fprintf(g, "set arrow 1 from %.0f, graph 0 to %.0f, graph 1 nohead dt 3 lw 1.5 lc rgb '%s'\n", x,
          x, TARGET_COLOR);
  fprintf(g, "set label 1 'target date %s' at %.0f, graph 0.04 right offset -0.6,0 tc rgb '%s'\n",
          c->target_date, x, TARGET_COLOR);
}

static void target_line_title(const plot_ctx *c, char *buf, size_t n, const char *note) {
  char num[32];
  fmt_count(num, sizeof num, c->target_gpus);
  snprintf(buf, n, "roadmap target: %s GPUs by %s%s", num, c->target_date, note);
}

/* Per-sample mean and 95% CI of the mean of row-major M[nd x ns]. */
static void sample_ci(const double *m, size_t nd, size_t ns, size_t j, double *mean, double *lo,
                      double *hi) {
  gp_ci ci = gp_stats_ci(m + j, nd, ns, 0.95);
  *mean = ci.mean;
  double half = isfinite(ci.half) ? ci.half : 0;
  *lo = ci.mean - half;
  *hi = ci.mean + half;
}

/* Panel layout for N panels: columns, rows and the chart's pixel height. */
static void layout(size_t n, int *cols, int *rows, int *w, int *h) {
  *cols = n > 3 ? 2 : 1;
  *rows = (int)((n + (size_t)*cols - 1) / (size_t)*cols);
  *w = *cols == 1 ? 1000 : 1400;
  *h = *rows == 1 ? 600 : 110 + 320 * *rows;
}

/* Start a multiplot of ROWS x COLS panels on a W x H pixel chart: the
 * two-line title T1/T2 on top and, when KEY, a row under it for a legend
 * shared by the panels (shared_key); UNDER pixels below each panel for its
 * tic labels and x label, RIGHT pixels right of the last column.  Margins are fixed in pixels so
 * that the panels line up and no label runs into the next panel. */
static void multiplot(FILE *g, int rows, int cols, int w, int h, int key, int under, int right,
                      const char *order, const char *t1, const char *t2) {
  double top = 50.0 + (key ? 30.0 : 0) + 26.0; /* title, legend, panel title */
  double left = 85, bottom = under, sx = 100, sy = under + 26 + 6;
  fprintf(g, "set multiplot layout %d,%d %s margins %.4f,%.4f,%.4f,%.4f spacing %.4f,%.4f ", rows,
          cols, order, left / w, 1 - (double)right / w, bottom / h, 1 - top / h, sx / w, sy / h);
  put_title(g, "title", t1, t2);
}

/* The legend of the first panel drawn, in the row multiplot() left for it. */
static void shared_key(FILE *g, int h) {
  fprintf(g,
          "set key at screen 0.5, screen %.4f center top horizontal reverse Left samplen 2 "
          "nobox noopaque\n",
          1 - 50.0 / h);
}

static size_t max_detail(const plot_ctx *c) {
  size_t nd = 0;
  for (size_t i = 0; i < c->np; i++)
    if (c->pol[i].ns && c->pol[i].nd > nd) nd = c->pol[i].nd;
  return nd;
}

#define NO_DETAIL "no detailed replications in the file (run with --detail K, K >= 1)"

/* ---- 1. capacity ---- */

static int chart_capacity(plot_ctx *c, FILE *g, gp_err *err) {
  static const int series[] = {GP_TS_INSTALLED, GP_TS_USABLE, GP_TS_ALLOCATED, GP_TS_BUSY};
  static const char *const label[] = {"installed (all shares)", "government-usable",
                                      "allocated to projects", "busy (in use)"};
  static const char *const color[] = {"#444444", "#1f77b4", "#ff7f0e", "#2ca02c"};
  enum { NS = 4 };
  int cols, rows, w, h;
  layout(c->np, &cols, &rows, &w, &h);
  preamble(c, g, "capacity", w, h);
  char *t1 = gp_strf("%s: government GPUs over time, by policy", c->label);
  char *t2 = gp_strf("lines: mean over %zu detailed replications; shaded: its 95%% confidence "
                  "interval (Student t)",
                  max_detail(c));
  if (!t1 || !t2) {
    free(t1), free(t2);
    return GP_ERR_NOMEM(err);
  }
  multiplot(g, rows, cols, w, h, 1, 55, 25, "rowsfirst", t1, t2);
  free(t1), free(t2);
  double ymax = isfinite(c->target_gpus) ? c->target_gpus : 0;
  for (size_t i = 0; i < c->np; i++) {
    policy *p = &c->pol[i];
    char name[64];
    snprintf(name, sizeof name, "capacity-%zu.dat", i);
    FILE *f = tmp_open(c, name, err);
    if (!f) return -1;
    for (size_t j = 0; j < p->ns && p->nd; j++) {
      put_time(f, c, p->time[j]);
      for (int s = 0; s < NS; s++) {
        double mean, lo, hi;
        sample_ci(p->ts[series[s]], p->nd, p->ns, j, &mean, &lo, &hi);
        put_num(f, mean), put_num(f, lo), put_num(f, hi);
        if (isfinite(hi)) ymax = fmax(ymax, hi);
      }
      fputc('\n', f);
    }
    if (tmp_close(c, f, name, err)) return -1;
  }
  char tl[160];
  target_line_title(c, tl, sizeof tl, "");
  int keyed = 0;
  for (size_t i = 0; i < c->np; i++) {
    policy *p = &c->pol[i];
    char *pt = gp_strf("policy %s", p->shown);
    if (!pt) return GP_ERR_NOMEM(err);
    if (!p->nd || !p->ns) {
      message_panel(g, pt, NO_DETAIL);
      free(pt);
      continue;
    }
    fputs("set title ", g);
    put_strn(g, pt, TITLE_CHARS);
    fputc('\n', g);
    free(pt);
    /* Every panel sets its axes: a message panel before it unset them. */
    fputs("set border\nset tics\n", g);
    time_axis(c, g, (w - 110 - (cols - 1) * 100) / cols);
    fprintf(g, "set ylabel 'GPUs'\nset format y '%%.0f'\nset yrange [0:%.0f]\n",
            ymax > 0 ? ymax * 1.1 : 1);
    if (keyed)
      fputs("unset key\n", g);
    else
      shared_key(g, h), keyed = 1;
    target_date_marker(c, g);
    /* The target line is labelled where it is drawn: a long legend entry
     * would not fit the legend's single row. */
    if (isfinite(c->target_gpus)) {
      fputs("set label 2 ", g);
      put_str(g, tl);
      fprintf(g, " at graph 0.01, first %.0f left offset 0,0.7 tc rgb '%s'\n", c->target_gpus,
              TARGET_COLOR);
    }
    fputs("plot ", g);
    for (int s = 0; s < NS; s++)
      fprintf(g, "'capacity-%zu.dat' using 1:%d:%d with filledcurves lc rgb '%s' notitle, \\\n  ",
              i, 3 + 3 * s, 4 + 3 * s, color[s]);
    for (int s = 0; s < NS; s++)
      fprintf(g, "%s'capacity-%zu.dat' using 1:%d with lines lw 2 lc rgb '%s' title '%s'",
              s ? ", \\\n  " : "", i, 2 + 3 * s, color[s], label[s]);
    if (isfinite(c->target_gpus))
      fprintf(g, ", \\\n  %.0f with lines dt 2 lw 2 lc rgb '%s' notitle", c->target_gpus,
              TARGET_COLOR);
    fputc('\n', g);
  }
  fputs("unset multiplot\n", g);
  return 0;
}

/* ---- 2. queue ---- */

static int chart_queue(plot_ctx *c, FILE *g, gp_err *err) {
  preamble(c, g, "queue", 1000, 700);
  char *t1 = gp_strf("%s: waiting projects and review backlog", c->label);
  /* Bands of more than three policies pile up into mud: lines only. */
  int bands = c->np <= 3;
  char *t2 = gp_strf("lines: mean over %zu detailed replications%s", max_detail(c),
                  bands ? "; shaded: its 95% confidence interval (Student t)"
                        : " (95% bands left out with more than 3 policies)");
  if (!t1 || !t2) {
    free(t1), free(t2);
    return GP_ERR_NOMEM(err);
  }
  /* The legend goes right of the panels, as wide as the longest name. */
  size_t longest = 6;
  for (size_t i = 0; i < c->np; i++) {
    size_t n = text_chars(c->pol[i].shown);
    if (n > longest) longest = n;
  }
  if (longest > LEGEND_CHARS) longest = LEGEND_CHARS + 3;
  int right = 80 + 7 * (int)longest;
  multiplot(g, 2, 1, 1000, 700, 0, 55, right, "columnsfirst", t1, t2);
  free(t1), free(t2);
  for (size_t i = 0; i < c->np; i++) {
    policy *p = &c->pol[i];
    char name[64];
    snprintf(name, sizeof name, "queue-%zu.dat", i);
    FILE *f = tmp_open(c, name, err);
    if (!f) return -1;
    for (size_t j = 0; j < p->ns && p->nd; j++) {
      put_time(f, c, p->time[j]);
      static const int v[] = {GP_TS_QUEUE, GP_TS_BACKLOG};
      for (int s = 0; s < 2; s++) {
        double mean, lo, hi;
        sample_ci(p->ts[v[s]], p->nd, p->ns, j, &mean, &lo, &hi);
        put_num(f, mean), put_num(f, lo > 0 ? lo : 0), put_num(f, hi);
      }
      fputc('\n', f);
    }
    if (tmp_close(c, f, name, err)) return -1;
  }
  time_axis(c, g, 1000 - 85 - right);
  fputs("set yrange [0:*]\nset format y '%.0f'\n", g);
  static const char *const title[] = {
      "accepted projects ready and waiting for GPUs (queue_length)",
      "proposals submitted and not yet decided (backlog, in review)"};
  static const char *const ylabel[] = {"projects waiting", "proposals in review"};
  for (int s = 0; s < 2; s++) {
    put_title(g, "set title", title[s], NULL);
    fprintf(g, "set ylabel '%s'\n", ylabel[s]);
    if (s == 0)
      fputs("set key outside right top vertical reverse Left samplen 3 title 'policy' left\n", g);
    else
      fputs("unset key\n", g);
    fputs("plot ", g);
    int first = 1;
    for (size_t i = 0; i < c->np; i++) {
      if (!c->pol[i].nd || !c->pol[i].ns) continue;
      const char *col = pol_color[i % NPOLCOLOR];
      fputs(first ? "" : ", \\\n  ", g);
      if (bands)
        fprintf(g, "'queue-%zu.dat' using 1:%d:%d with filledcurves lc rgb '%s' notitle, \\\n  ", i,
                3 + 3 * s, 4 + 3 * s, col);
      /* dashes tell apart the policies whose lines coincide */
      fprintf(g, "'queue-%zu.dat' using 1:%d with lines lw 2 dt %zu lc rgb '%s' title ", i,
              2 + 3 * s, i % 5 + 1, col);
      put_strn(g, c->pol[i].shown, LEGEND_CHARS);
      first = 0;
    }
    fputc('\n', g);
  }
  fputs("unset multiplot\n", g);
  return 0;
}

/* ---- 3. time to GPU ---- */

#define ECDF_POINTS 2000

static int chart_time_to_gpu(plot_ctx *c, FILE *g, gp_err *err) {
  static const char *const color[GP_NSECTORS] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd",
                                                 "#d62728"};
  int cols, rows, w, h;
  layout(c->np, &cols, &rows, &w, &h);
  preamble(c, g, "time_to_gpu", w, h);
  char *t1 = gp_strf("%s: time from submission to GPUs, by sector", c->label);
  char *t2 = gp_strf("empirical distribution over started projects, pooled over %zu detailed "
                  "replications; sectors with none started left out",
                  max_detail(c));
  if (!t1 || !t2) {
    free(t1), free(t2);
    return GP_ERR_NOMEM(err);
  }
  multiplot(g, rows, cols, w, h, 0, 55, 25, "rowsfirst", t1, t2);
  free(t1), free(t2);

  size_t maxn = 0;
  for (size_t i = 0; i < c->np; i++) maxn = c->pol[i].nprop > maxn ? c->pol[i].nprop : maxn;
  double *x = malloc((maxn ? maxn : 1) * sizeof *x);
  if (!x) return GP_ERR_NOMEM(err);
  /* counts[i][s]: started projects of policy i, sector s */
  size_t(*counts)[GP_NSECTORS] = calloc(c->np, sizeof *counts);
  if (!counts) {
    free(x);
    return GP_ERR_NOMEM(err);
  }
  double xmax = 0;
  int rc = 0;
  for (size_t i = 0; i < c->np && !rc; i++) {
    policy *p = &c->pol[i];
    for (int s = 0; s < GP_NSECTORS && !rc; s++) {
      size_t n = 0;
      for (size_t r = 0; r < p->nprop; r++) {
        const prop_row *q = &p->prop[r];
        if (q->sector == s && q->started >= 0 && q->started >= q->submitted)
          x[n++] = q->started - q->submitted;
      }
      counts[i][s] = n;
      if (!n) continue;
      qsort(x, n, sizeof *x, cmp_double);
      xmax = fmax(xmax, x[n - 1]);
      char name[64];
      snprintf(name, sizeof name, "ttg-%zu-%d.dat", i, s);
      FILE *f = tmp_open(c, name, err);
      if (!f) {
        rc = -1;
        break;
      }
      fprintf(f, "%.10g 0\n", x[0]);
      size_t m = n < ECDF_POINTS ? n : ECDF_POINTS;
      for (size_t k = 0; k < m; k++) {
        size_t idx = (size_t)((double)(k + 1) * (double)n / (double)m) - 1;
        fprintf(f, "%.10g %.10g\n", x[idx], 100.0 * (double)(idx + 1) / (double)n);
      }
      rc = tmp_close(c, f, name, err);
    }
  }
  free(x);
  if (rc) {
    free(counts);
    return -1;
  }
  fprintf(g, "set xrange [0:%.0f]\nset yrange [0:100]\nset ytics 0,25,100\n",
          xmax > 0 ? ceil(xmax * 1.02) : 1);
  fputs("set xlabel 'days from submission to start on GPUs'\n"
        "set ylabel 'started projects (cumulative %)'\n"
        "set key inside right bottom vertical\n",
        g);
  for (size_t i = 0; i < c->np; i++) {
    size_t total = 0;
    for (int s = 0; s < GP_NSECTORS; s++) total += counts[i][s];
    char *pt = gp_strf("policy %s", c->pol[i].shown);
    if (!pt) {
      free(counts);
      return GP_ERR_NOMEM(err);
    }
    if (!total) {
      message_panel(
          g, pt, c->pol[i].nprop ? "no project of the detailed replications got GPUs" : NO_DETAIL);
      free(pt);
      /* message_panel unsets what the next panels need */
      fprintf(g,
              "set border\nset tics\nset key\nset xrange [0:%.0f]\nset yrange [0:100]\n"
              "set xlabel 'days from submission to start on GPUs'\n"
              "set ylabel 'started projects (cumulative %%)'\nset key inside right bottom\n",
              xmax > 0 ? ceil(xmax * 1.02) : 1);
      continue;
    }
    fputs("set title ", g);
    put_strn(g, pt, TITLE_CHARS);
    fputc('\n', g);
    free(pt);
    fputs("plot ", g);
    int first = 1;
    for (int s = 0; s < GP_NSECTORS; s++) {
      if (!counts[i][s]) continue;
      char num[32];
      fmt_count(num, sizeof num, (double)counts[i][s]);
      fprintf(g, "%s'ttg-%zu-%d.dat' using 1:2 with steps lw 2 lc rgb '%s' title '%s: %s started'",
              first ? "" : ", \\\n  ", i, s, color[s], gp_sector_names[s], num);
      first = 0;
    }
    fputc('\n', g);
  }
  free(counts);
  fputs("unset multiplot\n", g);
  return 0;
}

/* ---- 4. acceptance ---- */

static int metric_index(const char *name) {
  gp_stat_count();
  for (int k = 0; k < gp_stat_nmetrics; k++)
    if (strcmp(gp_stat_metric_names[k], name) == 0) return k;
  return -1;
}

/* Statistics of every policy's summaries: c->np x gp_stat_nmetrics rows. */
static gp_stat_row *policy_stats(plot_ctx *c, int paired, gp_err *err) {
  size_t nm = (size_t)gp_stat_count();
  gp_stat_row *st = malloc(c->np * nm * sizeof *st);
  if (!st) return GP_ERR_NOMEM(err), NULL;
  for (size_t i = 0; i < c->np; i++)
    gp_stat_compute(c->pol[i].sum, paired ? c->pol[0].sum : NULL, c->nreps, st + i * nm);
  return st;
}

static int chart_acceptance(plot_ctx *c, FILE *g, gp_err *err) {
  enum { NCAT = GP_NSECTORS + 1 };
  preamble(c, g, "acceptance", 1000, 600);
  gp_stat_row *st = policy_stats(c, 0, err);
  if (!st) return -1;
  size_t nm = (size_t)gp_stat_nmetrics;
  int idx[NCAT];
  idx[0] = metric_index("acceptance_rate");
  for (int s = 0; s < GP_NSECTORS; s++) {
    char m[64];
    snprintf(m, sizeof m, "acceptance_rate_%s", gp_sector_names[s]);
    idx[s + 1] = metric_index(m);
  }
  double width = fmin(0.16, 0.7 / (double)c->np);
  int any = 0;
  double ytop = 0; /* highest interval end, % */
  int rc = 0;
  for (size_t i = 0; i < c->np && !rc; i++) {
    char name[64];
    snprintf(name, sizeof name, "acceptance-%zu.dat", i);
    FILE *f = tmp_open(c, name, err);
    if (!f) {
      rc = -1;
      break;
    }
    double off = ((double)i - (double)(c->np - 1) / 2.0) * width;
    for (int k = 0; k < NCAT; k++) {
      if (idx[k] < 0) continue;
      const gp_stat_row *r = &st[i * nm + (size_t)idx[k]];
      if (r->n == 0 || !isfinite(r->mean)) continue;
      double half = isfinite(r->half_width) ? r->half_width : 0;
      fprintf(f, "%.4f", k + off);
      put_num(f, 100 * r->mean);
      put_num(f, 100 * fmax(0, r->mean - half));
      put_num(f, 100 * fmin(1, r->mean + half));
      fputc('\n', f);
      ytop = fmax(ytop, 100 * fmin(1, r->mean + half));
      any = 1;
    }
    rc = tmp_close(c, f, name, err);
  }
  free(st);
  if (rc) return -1;
  char *t1 = gp_strf("%s: acceptance rate by sector and policy", c->label);
  char *t2 =
      gp_strf("mean over %zu replications with its 95%% confidence interval (Student t)", c->nreps);
  if (!t1 || !t2) {
    free(t1), free(t2);
    return GP_ERR_NOMEM(err);
  }
  put_title(g, "set title", t1, t2);
  free(t1), free(t2);
  if (!any) {
    message_panel(g, "acceptance", "no proposal was decided in any replication");
    return 0;
  }
  fprintf(g, "set xrange [-0.6:5.6]\nset yrange [0:%.0f]\nset ytics 0,%d,100\n",
          fmin(100, 10 * ceil(ytop / 10 + 0.5)), ytop > 50 ? 10 : 5);
  fputs("set xlabel 'applicant sector'\n"
        "set ylabel 'accepted / decided proposals (%)'\n"
        "set key outside right top vertical title 'policy'\n"
        "set grid noxtics ytics\n",
        g);
  fputs("set xtics ('all sectors' 0", g);
  for (int s = 0; s < GP_NSECTORS; s++) fprintf(g, ", '%s' %d", gp_sector_names[s], s + 1);
  fputs(")\n", g);
  fputs("set arrow 1 from 0.5, graph 0 to 0.5, graph 1 nohead lc rgb '#999999'\n", g);
  fputs("plot ", g);
  for (size_t i = 0; i < c->np; i++) {
    fprintf(
        g,
        "%s'acceptance-%zu.dat' using 1:2:3:4 with yerrorbars pt 7 ps 1.3 lw 2 lc rgb '%s' title ",
        i ? ", \\\n  " : "", i, pol_color[i % NPOLCOLOR]);
    put_strn(g, c->pol[i].shown, LEGEND_CHARS);
  }
  fputc('\n', g);
  return 0;
}

/* ---- 5. differences ---- */

static const struct diff_metric {
  const char *metric; /* summary field */
  const char *title;  /* panel title */
  const char *unit;   /* y label */
  double scale;       /* unit / the field's unit */
} diff_metrics[] = {
    {"acceptance_rate", "acceptance rate", "percentage points", 100},
    {"started", "projects started", "proposals", 1},
    {"mean_days_to_decision", "mean days to decision", "days", 1},
    {"mean_days_to_gpu", "mean days to GPU", "days", 1},
    {"mean_days_in_queue", "mean days in queue", "days", 1},
    {"utilization", "utilization (busy / installed)", "percentage points", 100},
    {"mean_quality_accepted", "quality of accepted projects", "quality score", 1},
    {"subsidy_krw", "subsidy", "billion KRW", 1e-9},
};
#define NDIFF (sizeof diff_metrics / sizeof diff_metrics[0])

static int chart_differences(plot_ctx *c, FILE *g, gp_err *err) {
  size_t nc = c->np - 1; /* comparisons: policy i against policy 0 */
  char *t1 =
      gp_strf("%s: paired differences between policies (policy - %s)", c->label, c->pol[0].shown);
  char *t2 = gp_strf("mean difference over %zu replications (same world per replication) with its "
                  "95%% confidence interval; filled: the interval excludes 0",
                  c->nreps);
  if (!t1 || !t2) {
    free(t1), free(t2);
    return GP_ERR_NOMEM(err);
  }
  if (nc == 0) {
    preamble(c, g, "differences", 1000, 600);
    char *msg = gp_strf("one policy (%s) in the file: no differences to show", c->pol[0].shown);
    if (msg) message_panel(g, t1, msg);
    free(msg);
    if (!msg) {
      free(t1), free(t2);
      return GP_ERR_NOMEM(err);
    }
    free(t1), free(t2);
    return 0;
  }
  gp_stat_row *st = policy_stats(c, 1, err);
  if (!st) {
    free(t1), free(t2);
    return -1;
  }
  size_t nm = (size_t)gp_stat_nmetrics;
  /* Keep the metrics with at least one difference to show. */
  size_t keep[NDIFF], nk = 0;
  double lo[NDIFF], hi[NDIFF];
  for (size_t k = 0; k < NDIFF; k++) {
    int m = metric_index(diff_metrics[k].metric);
    if (m < 0) continue;
    lo[nk] = 0, hi[nk] = 0;
    int any = 0;
    for (size_t i = 1; i < c->np; i++) {
      const gp_stat_row *r = &st[i * nm + (size_t)m];
      if (r->n == 0 || !isfinite(r->mean)) continue;
      any = 1;
      double a = isfinite(r->lo) ? r->lo : r->mean, b = isfinite(r->hi) ? r->hi : r->mean;
      lo[nk] = fmin(lo[nk], a * diff_metrics[k].scale);
      hi[nk] = fmax(hi[nk], b * diff_metrics[k].scale);
    }
    if (any) keep[nk++] = k;
  }
  /* A panel per metric, and the last cell for the legend. */
  size_t cells = nk + 1;
  int cols = cells <= 4 ? (int)cells : cells <= 9 ? 3 : 4;
  int rows = (int)((cells + (size_t)cols - 1) / (size_t)cols);
  int under = nc > 2 ? 85 : 40; /* slanted tic labels need more room */
  int h = (rows == 1 ? 420 : 80 + 250 * rows) + rows * (under - 40);
  preamble(c, g, "differences", 1000, h);
  multiplot(g, rows, cols, 1000, h, 0, under, 25, "rowsfirst", t1, t2);
  free(t1), free(t2);
  if (nk == 0) {
    free(st);
    message_panel(g, "differences", "no metric has a value in every replication");
    fputs("unset multiplot\n", g);
    return 0;
  }
  int rc = 0;
  for (size_t j = 0; j < nk && !rc; j++) {
    const struct diff_metric *dm = &diff_metrics[keep[j]];
    int m = metric_index(dm->metric);
    char name[64];
    snprintf(name, sizeof name, "diff-%zu.dat", j);
    FILE *f = tmp_open(c, name, err);
    if (!f) {
      rc = -1;
      break;
    }
    for (size_t i = 1; i < c->np; i++) {
      const gp_stat_row *r = &st[i * nm + (size_t)m];
      if (r->n == 0 || !isfinite(r->mean)) continue;
      double a = isfinite(r->lo) ? r->lo : r->mean, b = isfinite(r->hi) ? r->hi : r->mean;
      int sig = isfinite(r->half_width) && (r->lo > 0 || r->hi < 0);
      fprintf(f, "%zu", i - 1);
      put_num(f, r->mean * dm->scale), put_num(f, a * dm->scale), put_num(f, b * dm->scale);
      fprintf(f, " %d\n", sig);
    }
    rc = tmp_close(c, f, name, err);
  }
  free(st);
  if (rc) return -1;
  fprintf(g, "set xrange [-0.6:%.1f]\nunset key\nset grid noxtics ytics\n", (double)nc - 0.4);
  fputs("set xtics (", g);
  for (size_t i = 1; i < c->np; i++) {
    /* "A - B" when there is room; the title says "policy - B" anyway */
    char *tic =
        nc > 2 ? strdup(c->pol[i].shown) : gp_strf("%s - %s", c->pol[i].shown, c->pol[0].shown);
    if (!tic) return GP_ERR_NOMEM(err);
    fputs(i > 1 ? ", " : "", g);
    put_strn(g, tic, nc > 2 ? 14 : 28);
    fprintf(g, " %zu", i - 1);
    free(tic);
  }
  fprintf(g, ")%s\n", nc > 2 ? " rotate by 30 right" : "");
  fputs("set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead dt 2 lc rgb '#666666'\n", g);
  for (size_t j = 0; j < nk; j++) {
    const struct diff_metric *dm = &diff_metrics[keep[j]];
    double span = hi[j] - lo[j];
    if (!(span > 0)) span = 1;
    fprintf(g, "set yrange [%.6g:%.6g]\n", lo[j] - 0.12 * span, hi[j] + 0.12 * span);
    fprintf(g, "set title '%s'\nset ylabel '%s'\n", dm->title, dm->unit);
    fprintf(g,
            "plot 'diff-%zu.dat' using 1:($5 > 0 ? $2 : NaN):3:4 with yerrorbars pt 7 ps 1.5 lw 2 "
            "lc rgb '#1f77b4' notitle, \\\n"
            "  'diff-%zu.dat' using 1:($5 > 0 ? NaN : $2):3:4 with yerrorbars pt 6 ps 1.5 lw 2 "
            "lc rgb '#1f77b4' notitle\n",
            j, j);
  }
  /* The legend cell (keyentry: legend lines without data). */
  fputs("unset title\nunset border\nunset tics\nunset xlabel\nunset ylabel\nunset arrow\n"
        "unset grid\nset xrange [0:1]\nset yrange [0:1]\n"
        "set key center center vertical reverse Left samplen 2 box lc rgb '#bbbbbb' width 1\n"
        "set key title 'mean difference, 95% interval:' left\n",
        g);
  fputs("plot keyentry with yerrorbars pt 7 ps 1.5 lw 2 lc rgb '#1f77b4' "
        "title 'excludes 0', \\\n"
        "  keyentry with yerrorbars pt 6 ps 1.5 lw 2 lc rgb '#1f77b4' "
        "title 'includes 0', \\\n"
        "  -1 notitle\n"
        "unset multiplot\n",
        g);
  return 0;
}

/* ---- 6. H100-equivalents ---- */

/* Quantiles Q[nq] over replications of sample J of M[nd x ns]; BUF[nd]. */
static void sample_quantiles(const double *m, size_t nd, size_t ns, size_t j, double *buf,
                             const double *q, double *out, int nq) {
  size_t n = 0;
  for (size_t r = 0; r < nd; r++)
    if (isfinite(m[r * ns + j])) buf[n++] = m[r * ns + j];
  if (n) gsl_sort(buf, 1, n);
  for (int k = 0; k < nq; k++)
    out[k] = n ? gsl_stats_quantile_from_sorted_data(buf, 1, n, q[k]) : NAN;
}

static int same_series(const policy *a, const policy *b, int v) {
  if (a->nd != b->nd || a->ns != b->ns) return 0;
  if (memcmp(a->time, b->time, a->ns * sizeof *a->time) != 0) return 0;
  return memcmp(a->ts[v], b->ts[v], a->nd * a->ns * sizeof *a->ts[v]) == 0;
}

static int chart_h100e(plot_ctx *c, FILE *g, gp_err *err) {
  preamble(c, g, "h100e", 1000, 600);
  size_t nd = max_detail(c);
  char *t1 = gp_strf("%s: installed capacity in H100-equivalents vs the roadmap", c->label);
  char *t2 = gp_strf("line: median of %zu detailed replications; shaded: 5-95%% of them (delivery "
                  "slips); the roadmap target counts GPUs, not H100-equivalents",
                  nd);
  if (!t1 || !t2) {
    free(t1), free(t2);
    return GP_ERR_NOMEM(err);
  }
  put_title(g, "set title", t1, t2);
  free(t1), free(t2);
  /* The roadmap is part of the world, so every policy usually has the same
   * installed series: then it is drawn once. */
  int same = 1;
  for (size_t i = 1; i < c->np; i++)
    if (!same_series(&c->pol[0], &c->pol[i], GP_TS_INSTALLED_H100E)) same = 0;
  size_t nshow = same ? 1 : c->np;
  double *buf = malloc(nd * sizeof *buf);
  if (!buf) return GP_ERR_NOMEM(err);
  static const double q[] = {0.5, 0.05, 0.95};
  double ymax = isfinite(c->target_gpus) ? c->target_gpus : 0;
  int rc = 0;
  for (size_t i = 0; i < nshow && !rc; i++) {
    policy *p = &c->pol[i];
    char name[64];
    snprintf(name, sizeof name, "h100e-%zu.dat", i);
    FILE *f = tmp_open(c, name, err);
    if (!f) {
      rc = -1;
      break;
    }
    for (size_t j = 0; j < p->ns && p->nd; j++) {
      double h[3], gpus[1];
      sample_quantiles(p->ts[GP_TS_INSTALLED_H100E], p->nd, p->ns, j, buf, q, h, 3);
      sample_quantiles(p->ts[GP_TS_INSTALLED], p->nd, p->ns, j, buf, q, gpus, 1);
      put_time(f, c, p->time[j]);
      put_num(f, h[0]), put_num(f, h[1]), put_num(f, h[2]), put_num(f, gpus[0]);
      fputc('\n', f);
      if (isfinite(h[2])) ymax = fmax(ymax, h[2]);
    }
    rc = tmp_close(c, f, name, err);
  }
  free(buf);
  if (rc) return -1;
  time_axis(c, g, 890);
  fprintf(g,
          "set ylabel 'H100-equivalents (target line: GPUs)'\nset format y '%%.0f'\n"
          "set yrange [0:%.0f]\nset key inside left top vertical reverse Left\n",
          ymax > 0 ? ymax * 1.25 : 1);
  target_date_marker(c, g);
  /* The band of the first policy with data; only the medians of the others,
   * so that near-identical bands do not pile up. */
  size_t first = 0;
  while (first + 1 < nshow && !(c->pol[first].nd && c->pol[first].ns)) first++;
  const char *col0 = same ? "#1f77b4" : pol_color[first % NPOLCOLOR];
  char *bt = same ? gp_strf("5-95%% of replications")
                  : gp_strf("5-95%% of replications, policy %s", c->pol[first].shown);
  char *lt = same ? gp_strf("installed H100-equivalents, median (same under every policy)")
                  : gp_strf("installed H100-equivalents, median, policy %s", c->pol[first].shown);
  if (!lt || !bt) {
    free(lt), free(bt);
    return GP_ERR_NOMEM(err);
  }
  fprintf(g, "plot 'h100e-%zu.dat' using 1:3:4 with filledcurves lc rgb '%s' title ", first, col0);
  put_strn(g, bt, TITLE_CHARS);
  fprintf(g, ", \\\n  'h100e-%zu.dat' using 1:2 with lines lw 2 lc rgb '%s' title ", first, col0);
  put_strn(g, lt, TITLE_CHARS);
  free(lt), free(bt);
  for (size_t i = first + 1; i < nshow; i++) {
    if (!c->pol[i].nd || !c->pol[i].ns) continue;
    char *mt = gp_strf("median, policy %s", c->pol[i].shown);
    if (!mt) return GP_ERR_NOMEM(err);
    fprintf(g, ", \\\n  'h100e-%zu.dat' using 1:2 with lines lw 2 dt 2 lc rgb '%s' title ", i,
            pol_color[i % NPOLCOLOR]);
    put_strn(g, mt, TITLE_CHARS);
    free(mt);
  }
  fprintf(g,
          ", \\\n  'h100e-%zu.dat' using 1:5 with lines lw 1.5 dt 3 lc rgb '#444444' "
          "title 'installed GPUs (median), for comparison'",
          first);
  if (isfinite(c->target_gpus)) {
    char tl[200];
    target_line_title(c, tl, sizeof tl, " (a count of GPUs, not H100-equivalents)");
    fprintf(g, ", \\\n  %.0f with lines dt 2 lw 2 lc rgb '%s' title ", c->target_gpus,
            TARGET_COLOR);
    put_str(g, tl);
  }
  fputc('\n', g);
  return 0;
}

/* ---- driver ---- */

static const struct chart {
  const char *name; /* file name, less the extension */
  const char *what; /* title when there is nothing to draw */
  int detail;       /* 1: drawn from the detailed replications */
  int (*draw)(plot_ctx *c, FILE *g, gp_err *err);
} charts[] = {
    {"capacity", "government GPUs over time", 1, chart_capacity},
    {"queue", "waiting projects and review backlog", 1, chart_queue},
    {"time_to_gpu", "time from submission to GPUs", 1, chart_time_to_gpu},
    {"acceptance", "acceptance rate by sector", 0, chart_acceptance},
    {"differences", "paired differences between policies", 0, chart_differences},
    {"h100e", "installed capacity in H100-equivalents", 1, chart_h100e},
};

/* A chart that says it has nothing to show. */
static int no_detail(plot_ctx *c, const struct chart *ch, FILE *g, gp_err *err) {
  char *t = gp_strf("%s: %s", c->label, ch->what);
  if (!t) return GP_ERR_NOMEM(err);
  preamble(c, g, ch->name, 1000, 600);
  message_panel(g, t, NO_DETAIL);
  free(t);
  return 0;
}

static int draw(plot_ctx *c, const struct chart *ch, FILE *list, gp_err *err) {
  char script[64];
  snprintf(script, sizeof script, "%s.gp", ch->name);
  FILE *g = tmp_open(c, script, err);
  if (!g) return -1;
  int rc = ch->detail && !max_detail(c) ? no_detail(c, ch, g, err) : ch->draw(c, g, err);
  if (rc) {
    fclose(g);
    return -1;
  }
  if (tmp_close(c, g, script, err) || run_gnuplot(c, ch->name, err)) return -1;
  char *from = gp_strf("%s/%s.%s", c->tmp, ch->name, c->ext);
  char *to = gp_strf("%s/%s.%s", c->dir, ch->name, c->ext);
  struct stat st;
  if (!from || !to)
    rc = GP_ERR_NOMEM(err);
  else if (stat(from, &st) != 0 || st.st_size == 0)
    rc = GP_ERR(err, GP_EX_SOFTWARE, "gnuplot wrote no %s.%s", ch->name, c->ext);
  else if (rename(from, to) != 0)
    rc = GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create: %s", to, strerror(errno));
  else if (list)
    fprintf(list, "%s\n", to);
  free(from);
  free(to);
  return rc;
}

int gp_plot_write(const char *path, const gp_plot_opts *o, gp_err *err) {
  plot_ctx c;
  memset(&c, 0, sizeof c);
  c.file = path;
  c.point = o->point;
  c.ext = o->format ? o->format : "png";
  if (strcmp(c.ext, "png") != 0 && strcmp(c.ext, "svg") != 0 && strcmp(c.ext, "pdf") != 0)
    return GP_ERR(err, GP_EX_USAGE, "unknown format \"%s\" (png, svg or pdf)", c.ext);
  int rc = -1;
  if (!(c.h = gp_h5in_open(path, err)) || load(&c, err) || find_gnuplot(&c, err)) goto done;
  if (o->dir) {
    c.dir = strdup(o->dir);
  } else {
    size_t n = strlen(path);
    if (n > 3 && strcmp(path + n - 3, ".h5") == 0) n -= 3;
    c.dir = gp_strf("%.*s-charts", (int)n, path);
  }
  if (!c.dir) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  if (make_dirs(c.dir, err)) goto done;
  char *tmpl = gp_strf("%s/.gpuplan-plot-XXXXXX", c.dir);
  if (!tmpl) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  if (!mkdtemp(tmpl)) {
    GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create a file there: %s", c.dir, strerror(errno));
    free(tmpl);
    goto done;
  }
  c.tmp = tmpl;
  rc = 0;
  for (size_t i = 0; i < sizeof charts / sizeof charts[0] && !rc; i++)
    rc = draw(&c, &charts[i], o->list, err);
done:
  tmp_remove(&c);
  free(c.tmp);
  free(c.dir);
  free(c.gnuplot);
  free(c.base);
  free(c.label);
  policies_free(&c);
  gp_h5in_close(c.h);
  return rc;
}
