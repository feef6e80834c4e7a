/*
 * cli/policies.c - `gpuplan policies`: the allocation rules a scenario can
 * name, from the registry, with their parameters; and the reclaim rule's
 * settings, from the loader's table (gp_reclaim_params).
 */
#include <stdio.h>

#include "cli/cli.h"
#include "models/rules/registry.h"
#include "models/scenario/scenario.h"

const char gp_cmd_policies_usage[] =
    "usage: gpuplan policies\n"
    "\n"
    "List the selection and scheduling rules a scenario's \"policies\" can name, and\n"
    "the settings of the reclaim rule a policy may add.\n";

static const struct option options[] = {{NULL, 0, NULL, 0}};

static void print_params(const gp_param *p) {
  for (; p && p->name; p++)
    printf("  %14s   %s = %g (%g to %g): %s\n", "", p->name, p->def, p->min, p->max, p->doc);
}

int gp_cmd_policies(int argc, char **argv) {
  if (gp_cli_getopt("policies", argc, argv, "", options) != -1) return GP_EX_USAGE;
  if (optind < argc) return gp_cli_usage_error("policies", "unexpected argument %s", argv[optind]);
  printf("selection rules (who is accepted; \"selection\" in a policy):\n");
  for (int i = 0; gp_selection_types[i]; i++) {
    printf("  %-14s %s\n", gp_selection_types[i]->name, gp_selection_types[i]->doc);
    print_params(gp_selection_types[i]->params);
  }
  printf("scheduling rules (when and where accepted projects start; \"scheduling\"):\n");
  for (int i = 0; gp_scheduling_types[i]; i++) {
    printf("  %-14s %s\n", gp_scheduling_types[i]->name, gp_scheduling_types[i]->doc);
    print_params(gp_scheduling_types[i]->params);
  }
  printf("reclaim rule (take back under-used servers; \"reclaim\", optional, none by default):\n");
  printf("  %-14s %s\n", "reclaim",
         "at a point of each project's time, one using too little of its GPUs loses units");
  print_params(gp_reclaim_params());
  printf("  %-14s %s\n", "calendar",
         "on fixed dates, one that has used too little of its allocation loses units:");
  printf("  %-14s %s\n", "",
         "[{\"date\", \"below_use\", \"take\", \"min_days\"}, ...] (scenarios/README.md)");
  printf("\nParameters go in the policy's \"params\" object, the reclaim settings in its\n"
         "\"reclaim\" object, e.g.\n"
         "  {\"name\": \"quota-50-30-20\", \"selection\": \"quota\", \"params\": {\"redistribute\": 0}}\n"
         "  {\"name\": \"score-reclaim\", \"selection\": \"score\", \"reclaim\": {\"at\": 0.5}}\n");
  return 0;
}
