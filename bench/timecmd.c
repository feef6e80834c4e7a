/*
 * bench/timecmd.c - time a command and report it as a benchmark line.
 *
 *     bench/timecmd NAME SIZE UNITS -- COMMAND [ARG]...
 *
 * Runs COMMAND (standard output discarded), waits for it, and prints
 *     NAME SIZE UNITS/s ns/UNIT peak_rss_mib
 * with the wall time of the whole command (start-up, HDF5 writing and all)
 * and the child's own peak resident memory, then a comment line with the
 * wall and CPU seconds.  Exits with the command's status when it fails.
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double tv(struct timeval t) { return (double)t.tv_sec + 1e-6 * (double)t.tv_usec; }

int main(int argc, char **argv) {
  if (argc < 6 || strcmp(argv[4], "--") != 0) {
    fprintf(stderr, "usage: %s NAME SIZE UNITS -- COMMAND [ARG]...\n", argv[0]);
    return 64;
  }
  double size = atof(argv[2]), units = atof(argv[3]);
  fflush(stdout);
  double t0 = now();
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 71;
  }
  if (pid == 0) {
    int fd = open("/dev/null", O_WRONLY);
    if (fd >= 0) dup2(fd, 1);
    execvp(argv[5], argv + 5);
    perror(argv[5]);
    _exit(127);
  }
  int status;
  struct rusage u;
  if (wait4(pid, &status, 0, &u) < 0) {
    perror("wait4");
    return 71;
  }
  double secs = now() - t0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "%s: %s failed (status %d)\n", argv[0], argv[5], status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 70;
  }
  double rate = units / secs;
  printf("%s %.0f %.1f %.1f %.1f\n", argv[1], size, rate, 1e9 / rate, (double)u.ru_maxrss / 1024.0);
  printf("# %s: %.2f s wall, %.2f s CPU (user %.2f, system %.2f)\n", argv[1], secs,
         tv(u.ru_utime) + tv(u.ru_stime), tv(u.ru_utime), tv(u.ru_stime));
  return 0;
}
