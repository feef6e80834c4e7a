/*
 * analysis/gnuplot.c - running gnuplot (see gnuplot.h).
 *
 * Invariant: gnuplot runs as a child process (fork + exec, no shell) inside
 * the directory it is given, on a script of that directory, with its input
 * from /dev/null and its output into a log beside the script; the child
 * makes only async-signal-safe calls before exec.  While it runs, the
 * parent looks at the stop flag (sim/interrupt.h) every 10 ms: on SIGINT or
 * SIGTERM the child's process group (its own, set before exec) is killed
 * and the child reaped, and the call returns at once.
 */
#include "analysis/gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis/text.h"
#include "sim/interrupt.h"

static int is_program(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

char *gp_gnuplot_find(gp_err *err) {
  const char *env = getenv("GPUPLAN_GNUPLOT");
  const char *name = env && env[0] ? env : "gnuplot";
  char *found = NULL;
  if (strchr(name, '/')) {
    if (is_program(name) && !(found = strdup(name))) return GP_ERR_NOMEM(err), NULL;
  } else {
    const char *path = getenv("PATH");
    if (!path) path = "/usr/bin:/bin";
    for (const char *s = path; !found;) {
      size_t n = strcspn(s, ":");
      char *cand = n ? gp_strf("%.*s/%s", (int)n, s, name) : gp_strf("./%s", name);
      if (!cand) return GP_ERR_NOMEM(err), NULL;
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
      GP_ERR(err, GP_EX_UNAVAILABLE,
             "gnuplot not found: GPUPLAN_GNUPLOT=%s is not a program; install gnuplot "
             "(" GP_GNUPLOT_INSTALL ") or unset GPUPLAN_GNUPLOT",
             env);
    else
      GP_ERR(err, GP_EX_UNAVAILABLE,
             "gnuplot not found on PATH; plot needs it: " GP_GNUPLOT_INSTALL);
    return NULL;
  }
  /* gnuplot runs in the private directory: the path must not be relative. */
  if (found[0] == '/') return found;
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd)) {
    free(found);
    GP_ERR(err, GP_EX_OSERR, "cannot find the current directory: %s", strerror(errno));
    return NULL;
  }
  char *abs = gp_strf("%s/%s", cwd, found);
  free(found);
  if (!abs) GP_ERR_NOMEM(err);
  return abs;
}

/* The line of gnuplot's log DIR/LOG that says what went wrong, into MSG. */
static void log_reason(const char *dir, const char *log, char *msg, size_t size) {
  msg[0] = '\0';
  char *p = gp_strf("%s/%s", dir, log);
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

int gp_gnuplot_run(const char *gnuplot, const char *dir, const char *chart, const char *ext,
                   gp_err *err) {
  char script[64], log[64];
  snprintf(script, sizeof script, "%s.gp", chart);
  snprintf(log, sizeof log, "%s.log", chart);
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) return GP_ERR(err, GP_EX_OSERR, "cannot start gnuplot: %s", strerror(errno));
  if (pid == 0) {
    /* Child: only async-signal-safe calls until exec.  Its own process
     * group, so that stopping it stops whatever it started too. */
    setpgid(0, 0);
    int in = open("/dev/null", O_RDONLY);
    if (chdir(dir) != 0 || in < 0) _exit(126);
    int out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) _exit(126);
    char *const args[] = {"gnuplot", script, NULL};
    execv(gnuplot, args);
    _exit(127);
  }
  int st;
  for (;;) {
    pid_t w = waitpid(pid, &st, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) return GP_ERR(err, GP_EX_OSERR, "gnuplot: %s", strerror(errno));
    int sig = (int)gp_interrupted;
    if (sig) { /* polled, not waited on: a signal between a check and a wait is never lost */
      kill(-pid, SIGKILL); /* the group: gnuplot and anything it started */
      kill(pid, SIGKILL);  /* in case setpgid failed */
      while (waitpid(pid, &st, 0) < 0 && errno == EINTR) continue;
      return GP_ERR(err, GP_EX_SIGNAL + sig, "interrupted by signal %d; nothing written", sig);
    }
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return 0;
  if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
    return GP_ERR(err, GP_EX_UNAVAILABLE,
                  "%s: cannot run it; reinstall gnuplot: " GP_GNUPLOT_INSTALL, gnuplot);
  if (WIFEXITED(st) && WEXITSTATUS(st) == 126)
    return GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot run gnuplot there", dir);
  if (WIFEXITED(st) && WEXITSTATUS(st) == GP_GNUPLOT_NO_TERMINAL)
    return GP_ERR(
        err, GP_EX_UNAVAILABLE,
        "%s cannot write %s (no %scairo terminal); install the full gnuplot: " GP_GNUPLOT_INSTALL,
        gnuplot, ext, ext);
  char msg[512];
  log_reason(dir, log, msg, sizeof msg);
  if (!msg[0] && WIFEXITED(st))
    snprintf(msg, sizeof msg, "%s exited with status %d and no message", gnuplot, WEXITSTATUS(st));
  if (WIFSIGNALED(st))
    return GP_ERR(err, GP_EX_SOFTWARE, "gnuplot was killed by signal %d drawing %s", WTERMSIG(st),
                  chart);
  return GP_ERR(err, GP_EX_SOFTWARE, "gnuplot failed drawing %s: %s", chart, msg);
}
