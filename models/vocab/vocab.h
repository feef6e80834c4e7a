/*
 * models/vocab/vocab.h - the words every stage shares: applicant sectors,
 * what becomes of a proposal, and the limits stored in fixed-width fields.
 *
 * The lowest layer of models/: the scenario, the rules, the results and
 * everything above include it; it includes nothing.
 *
 * The scenario names sectors (a call's sector mix, a designation's sector,
 * self-pay shares); runs record outcomes; result files store both as HDF5
 * enums whose values are these indices and whose names are these strings.
 * Indices never change meaning: new words are appended.
 */
#ifndef GP_VOCAB_H
#define GP_VOCAB_H

/* Sectors of applicants; the index is the value stored in HDF5 enums. */
enum { GP_SECTOR_INDUSTRY, GP_SECTOR_STARTUP, GP_SECTOR_ACADEMIA, GP_SECTOR_RESEARCH,
       GP_SECTOR_NATIONAL, GP_NSECTORS };
extern const char *const gp_sector_names[GP_NSECTORS];

/* What became of a proposal by the end of the run. */
enum { GP_OUT_IN_REVIEW, GP_OUT_REJECTED, GP_OUT_WAITING, GP_OUT_RUNNING, GP_OUT_FINISHED,
       GP_OUT_WITHDRAWN, GP_NOUTCOMES };
extern const char *const gp_outcome_names[GP_NOUTCOMES];

/* Returning applicants (issue 21, item 3): what a proposal is to the one it
 * follows, the value stored in the proposal table's `returning` enum. */
enum { GP_RET_NEW, GP_RET_RESUBMISSION, GP_RET_RENEWAL, GP_NRETURNING };
extern const char *const gp_returning_names[GP_NRETURNING];

/* GPU types of a scenario; a GPU type is stored as int8 in the proposal table. */
#define GP_MAX_GPU_TYPES 32

#endif /* GP_VOCAB_H */
