/* models/vocab/vocab.c - sector, outcome and returning names (see vocab.h). */
#include "models/vocab/vocab.h"

const char *const gp_sector_names[GP_NSECTORS] = {"industry", "startup", "academia", "research",
                                                  "national"};
const char *const gp_outcome_names[GP_NOUTCOMES] = {"in_review", "rejected", "waiting",
                                                    "running",   "finished", "withdrawn"};
const char *const gp_returning_names[GP_NRETURNING] = {"new", "resubmission", "renewal"};
