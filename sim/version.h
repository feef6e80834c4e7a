/* sim/version.h - gpuplan's version, written into every result file. */
#ifndef GP_VERSION_H
#define GP_VERSION_H
#define GP_VERSION "0.1.0"
#endif
