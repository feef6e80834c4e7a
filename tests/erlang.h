/*
 * tests/erlang.h - Erlang C, the oracle of the M/M/c checks (tests/unit/
 * test_mmc.c and test_size.c, bench/mmc.c), written once.
 *
 * erlang_c(c, a) is the probability that a customer of M/M/c waits, with
 * offered load a = lambda / mu < c: (a^c / c!) (c / (c - a)) over
 * sum_{k<c} a^k / k! plus that term, summed as a^k / k! grows (no
 * factorials, no overflow for the c of the tests).  Known answers in
 * test_mmc.c: c = 2, a = 1 gives 1/3; c = 1 gives rho.
 */
#ifndef GP_TEST_ERLANG_H
#define GP_TEST_ERLANG_H

static inline double erlang_c(int c, double a) {
  double term = 1, sum = 0; /* a^k / k! */
  for (int k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  double last = term * c / (c - a);
  return last / (sum + last);
}

#endif /* GP_TEST_ERLANG_H */
