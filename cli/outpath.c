/*
 * cli/outpath.c - where a command will write, checked before it does any
 * work (see cli.h), so that a bad -o or -d costs nothing: no result is
 * computed only to be lost.
 *
 * Invariant: a check creates nothing that outlives it.  Whether a file can
 * be made in a directory is found out by making one (mkstemp, then unlink):
 * permissions alone do not tell (root, ACLs, a read-only mount).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/text.h"
#include "cli/cli.h"
#include "sim/escape.h"

/* Print "PATH: WHAT: strerror(E)" (escaped) and return GP_EX_CANTCREAT. */
static int fail(const char *path, const char *what, int e) {
  gp_err err;
  gp_err_clear(&err);
  if (e) GP_ERR(&err, GP_EX_CANTCREAT, "%s: %s: %s", path, what, strerror(e));
  else GP_ERR(&err, GP_EX_CANTCREAT, "%s: %s", path, what);
  return gp_cli_fail(&err);
}

/* 0 when a file can be created in directory DIR; else errno. */
static int can_create_in(const char *dir) {
  char *probe = gp_strf("%s/.gpuplan-probe-XXXXXX", dir);
  if (!probe) return ENOMEM;
  int fd = mkstemp(probe), e = fd < 0 ? errno : 0;
  if (fd >= 0) {
    close(fd);
    unlink(probe);
  }
  free(probe);
  return e;
}

/* The directory part of PATH (malloc'd): "." when it has none. */
static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup(".");
  return gp_strf("%.*s", (int)(slash == path ? 1 : slash - path), path);
}

int gp_cli_out_file(const char *path) {
  struct stat st;
  size_t n = strlen(path);
  if (n == 0 || path[n - 1] == '/') return fail(path, "not a file name", 0);
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return fail(path, "is a directory", 0);
  char *dir = dir_of(path);
  if (!dir) return fail(path, "cannot create", ENOMEM);
  int e = stat(dir, &st) != 0 ? errno : !S_ISDIR(st.st_mode) ? ENOTDIR : can_create_in(dir);
  free(dir);
  return e ? fail(path, "cannot create", e) : 0;
}

int gp_cli_out_dir(const char *path, int parents) {
  struct stat st;
  if (!path[0]) return fail(path, "not a directory name", 0);
  if (stat(path, &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return fail(path, "exists and is not a directory", 0);
    int e = can_create_in(path);
    return e ? fail(path, "cannot create a file there", e) : 0;
  }
  if (errno != ENOENT) return fail(path, "cannot create directory", errno);
  /* The directory will be made: in its parent, or (PARENTS) in the
   * nearest ancestor that exists, the others made on the way. */
  char *up = strdup(path);
  if (!up) return fail(path, "cannot create directory", ENOMEM);
  int e = 0;
  for (;;) {
    size_t n = strlen(up);
    while (n > 1 && up[n - 1] == '/') up[--n] = '\0'; /* "a/b/" is "a/b" */
    char *slash = strrchr(up, '/');
    if (!slash) {
      strcpy(up, ".");
    } else {
      slash[slash == up ? 1 : 0] = '\0';
    }
    if (stat(up, &st) == 0) {
      e = !S_ISDIR(st.st_mode) ? ENOTDIR : can_create_in(up);
      break;
    }
    if (errno != ENOENT || !parents || strcmp(up, ".") == 0 || strcmp(up, "/") == 0) {
      e = errno;
      break;
    }
  }
  free(up);
  return e ? fail(path, "cannot create directory", e) : 0;
}

int gp_cli_same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}
