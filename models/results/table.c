/*
 * models/results/table.c - reading one field of a described row (see table.h).
 *
 * Invariant: a row is only ever touched through memcpy at the field's offset,
 * so rows need no particular alignment (they may sit in a packed buffer).
 */
#include "models/results/table.h"

#include <math.h>
#include <string.h>

double gp_field_get(const gp_field *f, const void *row) {
  const unsigned char *p = (const unsigned char *)row + f->offset;
  switch (f->type) {
  case GP_F_INT32: {
    int32_t v;
    memcpy(&v, p, sizeof v);
    return (double)v;
  }
  case GP_F_INT64: {
    int64_t v;
    memcpy(&v, p, sizeof v);
    return (double)v;
  }
  case GP_F_DOUBLE: {
    double v;
    memcpy(&v, p, sizeof v);
    return v;
  }
  case GP_F_ENUM: {
    int8_t v;
    memcpy(&v, p, sizeof v);
    return (double)v;
  }
  }
  return NAN; /* not a gp_field_type: a bug in the caller's description */
}
