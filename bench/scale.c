/*
 * bench/scale.c - a synthetic programme K times the baseline, for the scaling
 * series.
 *
 *     bench/scale K IN.json OUT.json [--no-failures]
 *
 * Multiplies by K everything that sets the size of the programme and keeps
 * its shape: every tranche's nodes (and government_nodes), the roadmap
 * target, every call's proposals and per-type capacity (budget), every
 * stream's rate and per-committee capacity, the teams of every designated
 * phase, and the review panel (reviewers, interview slots a day), so that
 * oversubscription, queueing and review delays stay those of the baseline
 * while proposals, GPUs and events grow K-fold.  Request sizes, durations and
 * dates are unchanged.  The name gets a "-xK" suffix.  With --no-failures,
 * the tranches' "failures" are dropped (node failures cost the model time in
 * proportion to the projects running, so the series is also run without
 * them, to show the rest).
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void mul(cJSON *o, const char *key, double k) {
  cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (cJSON_IsNumber(v)) cJSON_SetNumberValue(v, floor(v->valuedouble * k + 0.5));
}

static void mul_real(cJSON *o, const char *key, double k) {
  cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (cJSON_IsNumber(v)) cJSON_SetNumberValue(v, v->valuedouble * k);
}

/* Every number of a capacity object (one per GPU type; "note" is text). */
static void mul_all(cJSON *o, double k) {
  cJSON *v;
  cJSON_ArrayForEach(v, o) {
    if (cJSON_IsNumber(v)) cJSON_SetNumberValue(v, floor(v->valuedouble * k + 0.5));
  }
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *b = malloc(cap);
  for (size_t got; b && (got = fread(b + n, 1, cap - n - 1, f)) > 0;) {
    n += got;
    if (n + 1 == cap) {
      char *nb = realloc(b, cap *= 2);
      if (!nb) free(b);
      b = nb;
    }
  }
  fclose(f);
  if (b) b[n] = '\0';
  return b;
}

int main(int argc, char **argv) {
  if (argc < 4 || argc > 5 || (argc == 5 && strcmp(argv[4], "--no-failures") != 0)) {
    fprintf(stderr, "usage: %s K IN.json OUT.json [--no-failures]\n", argv[0]);
    return 64;
  }
  int nofail = argc == 5;
  double k = atof(argv[1]);
  char *text = slurp(argv[2]);
  cJSON *root = text ? cJSON_Parse(text) : NULL;
  free(text);
  if (!root || !(k > 0)) {
    fprintf(stderr, "%s: cannot read %s (or bad K)\n", argv[0], argv[2]);
    return 65;
  }
  cJSON *x, *roadmap = cJSON_GetObjectItemCaseSensitive(root, "roadmap");
  cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(roadmap, "tranches")) {
    mul(x, "nodes", k);
    mul(x, "government_nodes", k);
    if (nofail) cJSON_DeleteItemFromObjectCaseSensitive(x, "failures");
  }
  mul(cJSON_GetObjectItemCaseSensitive(roadmap, "target"), "gpus", k);
  cJSON *demand = cJSON_GetObjectItemCaseSensitive(root, "demand");
  cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(demand, "calls")) {
    mul_real(x, "proposals", k);
    mul_all(cJSON_GetObjectItemCaseSensitive(x, "capacity"), k);
  }
  cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(demand, "streams")) {
    mul_real(x, "rate_per_day", k);
    mul_all(cJSON_GetObjectItemCaseSensitive(x, "capacity"), k);
  }
  cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(demand, "designated")) {
    cJSON *ph;
    cJSON_ArrayForEach(ph, cJSON_GetObjectItemCaseSensitive(x, "phases")) mul(ph, "teams", k);
  }
  cJSON *review = cJSON_GetObjectItemCaseSensitive(root, "review");
  mul(review, "reviewers", k);
  mul(review, "interview_slots_per_day", k);
  cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
  if (cJSON_IsString(name)) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s-x%s%s", name->valuestring, argv[1], nofail ? "-nofail" : "");
    cJSON_SetValuestring(name, buf);
  }
  char *out = cJSON_Print(root);
  FILE *f = fopen(argv[3], "w");
  if (!out || !f || fputs(out, f) == EOF || fclose(f) != 0) {
    fprintf(stderr, "%s: cannot write %s\n", argv[0], argv[3]);
    return 73;
  }
  free(out);
  cJSON_Delete(root);
  return 0;
}
