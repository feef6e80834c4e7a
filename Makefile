# gpuplan - build, test and demo.
#
#   make                      build ./gpuplan (installs Debian packages first if missing)
#   make test                 everything CI runs: `make check`, the same suite under
#                             ASan and UBSan, and `make fuzz-smoke`
#   make check                unit, validation and end-to-end tests of the release
#                             build, with every subcommand under valgrind's memcheck
#   make demo                 run the built-in baseline scenario into out/
#   make SANITIZE=address,undefined test    only the suite under ASan and UBSan
#   make CC=clang WERROR=1    any compiler; -Werror as CI uses it
#   make bench                build the benchmark programs of bench/
#   make bench-run            run them (a few minutes): one line per case, see bench/README.md
#   make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS="reader ..."]
#                             libFuzzer targets of tests/fuzz/ (clang), N s each (default 60)
#   make fuzz-smoke           the same for 15 s each (part of make test)
#
# Objects go to build/<compiler>-<variant>/ so that compilers and sanitizer
# builds never mix.

CC       ?= cc
PLAIN_CC := $(CC)
SANITIZE ?=
MPI      ?=
ifneq ($(MPI),)
CC       := mpicc
endif
WERROR   ?=
OPT      ?= -O2 -g

PKGS     := gsl hdf5 libcjson zlib
WARN     := -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2
ifneq ($(WERROR),)
WARN     += -Werror
endif

comma    := ,
VARIANT  := $(if $(SANITIZE),san-$(subst $(comma),-,$(SANITIZE)),release)$(if $(MPI),-mpi)
BUILD    := build/$(notdir $(firstword $(CC)))-$(VARIANT)

# pkg-config is asked only when the packages are there; otherwise the
# `deps` target installs them (or prints the command) before anything compiles.
HAVE_DEPS := $(shell pkg-config --exists $(PKGS) 2>/dev/null && echo yes)
# Random123 (Debian librandom123-dev, the counter-based generator of
# sim/rng.c) is header-only and ships no .pc file: the check is that the
# compiler finds <Random123/philox.h>.
ifeq ($(HAVE_DEPS),yes)
HAVE_DEPS := $(shell echo '\#include <Random123/philox.h>' | $(CC) -E -x c - >/dev/null 2>&1 && echo yes)
endif
ifeq ($(HAVE_DEPS),yes)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
# The HDF5 high-level library (dimension scales) has no .pc file of its own on
# Debian; it sits next to libhdf5.
HDF5_LIBDIR := $(patsubst -L%,%,$(filter -L%,$(shell pkg-config --libs-only-L hdf5)))
PKG_LIBS   := $(if $(HDF5_LIBDIR),-L$(HDF5_LIBDIR)) -lhdf5_hl $(PKG_LIBS)
endif

SANFLAGS := $(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all)
MPIFLAGS := $(if $(MPI),-DGP_MPI)
CFLAGS   += $(MPIFLAGS) -std=c11 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) $(SANFLAGS) $(PKG_CFLAGS) -I. -MMD -MP
LDFLAGS  += $(SANFLAGS)
LDLIBS   += $(PKG_LIBS) -lm -lpthread

LIB_SRC  := $(wildcard sim/*.c models/*/*.c analysis/*.c) $(BUILD)/gen/builtin_scenario.c
CLI_SRC  := $(wildcard cli/*.c)
TEST_SRC := $(wildcard tests/unit/test_*.c)

LIB_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(filter-out $(BUILD)/%,$(LIB_SRC))) $(BUILD)/gen/builtin_scenario.o
CLI_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(CLI_SRC))
TEST_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRC))
LIB      := $(BUILD)/libgpuplan.a
BIN      := $(BUILD)/gpuplan

# The MPI build compiles with mpicc only the two files that use MPI
# (MPI_SRC: the only ones that test GP_MPI, which tests/cli/test_build.sh
# checks); every other object is the plain build's of the same variant,
# built first by a make of its own (without GP_MPI such an object is the
# same whichever wrapper compiles it).  So make test compiles the library
# twice, not three times.
ifneq ($(MPI),)
MPI_SRC     := sim/par.c cli/main.c
PLAIN_BUILD := build/$(notdir $(firstword $(PLAIN_CC)))-$(patsubst %-mpi,%,$(VARIANT))
LIB_OBJ     := $(patsubst %.c,$(PLAIN_BUILD)/%.o,$(filter-out $(MPI_SRC) $(BUILD)/%,$(LIB_SRC))) \
               $(PLAIN_BUILD)/gen/builtin_scenario.o $(BUILD)/sim/par.o
CLI_OBJ     := $(patsubst %.c,$(PLAIN_BUILD)/%.o,$(filter-out $(MPI_SRC),$(CLI_SRC))) $(BUILD)/cli/main.o
PLAIN_OBJ   := $(filter $(PLAIN_BUILD)/%,$(LIB_OBJ) $(CLI_OBJ))
endif

.PHONY: all deps test check demo clean unit fuzz fuzz-smoke

ifneq ($(HAVE_DEPS),yes)
# The libraries are missing: install them (tools/deps.sh explains what it
# does, or prints the command to run), then start make again so that
# pkg-config sees them.
all test check demo unit fuzz fuzz-smoke: ; @sh tools/deps.sh build && $(MAKE) $@
bench bench-run calib-coverage: ; @sh tools/deps.sh build && $(MAKE) $@
else
all: deps $(BIN) gpuplan

deps:
	@sh tools/deps.sh build

# ./gpuplan at the top is the build last asked for: the plain (release) one
# after `make`, the MPI one after `make MPI=1`.  Compared at every make, not
# by date: the MPI copy is newer than the plain build, so a date rule left it
# in place after `make` and single-process runs went through MPI.
ifneq ($(filter release release-mpi,$(VARIANT)),)
.PHONY: gpuplan
gpuplan: $(BIN)
	@cmp -s $(BIN) $@ || { echo "cp $(BIN) $@"; cp $(BIN) $@; }
else
gpuplan: ;
endif

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

ifneq ($(MPI),)
.PHONY: plain-objects
$(PLAIN_OBJ): plain-objects ;
plain-objects: | deps
	@$(MAKE) --no-print-directory MPI= CC=$(PLAIN_CC) objects
endif

# Every object of the library and the command line (the MPI build's make
# asks the plain build's for them).
.PHONY: objects
objects: $(LIB_OBJ) $(CLI_OBJ) ; @:

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/builtin_scenario.c: scenarios/baseline.json tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh gp_builtin_scenario $< > $@

$(BUILD)/gen/builtin_scenario.o: $(BUILD)/gen/builtin_scenario.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/test.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

unit: $(TEST_BIN)

# The test runner prints one PASS/FAIL line per test and ends with
# "N passed, N failed".
# The MPI build the MPI test runs (under mpirun, against the plain binary).
MPI_BIN := build/mpicc-release-mpi/gpuplan
# The release binary, which the sanitizer suite compares some outputs with
# (tests/cli/test_report.sh: Chromium renders the release binary's pages)
# and which makes the result files its tests only read ($GPUPLAN_INPUT,
# tests/cli/lib.sh).
REL_BIN := build/$(notdir $(firstword $(CC)))-release/gpuplan

# Under the sanitizers, libhdf5's own leaks on its error paths are
# suppressed (tests/lsan.supp says which and why); GP_SANITIZED tells the
# scripts (valgrind cannot run an ASan binary).
check: all $(TEST_BIN)
	@sh tools/deps.sh test
	@$(MAKE) --no-print-directory MPI=1 SANITIZE= $(MPI_BIN) >/dev/null
	@$(MAKE) --no-print-directory MPI= SANITIZE= $(REL_BIN) >/dev/null
	@GP_SANITIZED=$(SANITIZE) LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp):print_suppressions=0 \
	  GPUPLAN=$(abspath $(BIN)) GPUPLAN_MPI=$(abspath $(MPI_BIN)) GPUPLAN_RELEASE=$(abspath $(REL_BIN)) \
	  BUILD=$(abspath $(BUILD)) sh tests/run.sh

# make test runs the three parts even when one fails, then fails if any did.
# Everything is built first (in parallel); then two lanes, one per core.
# This one runs the fuzzing, then the release suite, printing as it goes,
# then the sanitizer suite's tests not started yet (into $(SAN_LOG).b); the
# other runs the sanitizer suite (into $(SAN_LOG)), then the release suite's
# tests not started yet (into $(REL_LOG)).  A test runs in the lane that
# claims it first (tests/run.sh: the lanes share $(SAN_CLAIMS) and
# $(REL_CLAIMS)), so that neither core idles while the other finishes
# (most tests use one core).  The other lane's logs are printed at the end,
# then each suite's count over both lanes and, last, the total
# (tools/test-total.sh), which fails if a suite ran no test.
SAN_TEST   := address,undefined
SAN_LOG    := build/test-sanitizers.log
SAN_CLAIMS := build/test-sanitizers.claims
REL_LOG    := build/test-release.log
REL_CLAIMS := build/test-release.claims
NPROC    := $(shell nproc 2>/dev/null || echo 2)
ifeq ($(SANITIZE),)
test:
	@sh tools/deps.sh test
	@echo "== building: release, MPI, and SANITIZE=$(SAN_TEST)"
	@$(MAKE) --no-print-directory -j$(NPROC) all $(TEST_BIN) >/dev/null
	@$(MAKE) --no-print-directory -j$(NPROC) MPI=1 SANITIZE= $(MPI_BIN) >/dev/null
	@$(MAKE) --no-print-directory -j$(NPROC) SANITIZE=$(SAN_TEST) all unit >/dev/null
	@rc=0; rm -rf $(SAN_CLAIMS) $(REL_CLAIMS) $(SAN_LOG).b $(REL_LOG) $(REL_LOG).a $(REL_LOG).a.rc; mkdir -p $(SAN_CLAIMS) $(REL_CLAIMS); \
	echo "== 2/3 make SANITIZE=$(SAN_TEST) check, then the release suite's tests not started yet:"; \
	echo "   in the background, into $(SAN_LOG) and $(REL_LOG)"; \
	{ GP_TEST_CLAIMS=$(abspath $(SAN_CLAIMS)) $(MAKE) --no-print-directory SANITIZE=$(SAN_TEST) check \
	    >$(SAN_LOG) 2>&1; echo $$? >$(SAN_LOG).rc; \
	  GP_TEST_CLAIMS=$(abspath $(REL_CLAIMS)) $(MAKE) --no-print-directory check \
	    >$(REL_LOG) 2>&1; echo $$? >$(REL_LOG).rc; } & \
	echo "== 3/3 make fuzz-smoke"; \
	$(MAKE) --no-print-directory fuzz-smoke >build/test-fuzz.log 2>&1 || rc=1; \
	grep -v '^clang \|^ar \|^sh tools/embed' build/test-fuzz.log; \
	echo "== 1/3 make check: the release build"; \
	{ GP_TEST_CLAIMS=$(abspath $(REL_CLAIMS)) $(MAKE) --no-print-directory check || echo 1 >$(REL_LOG).a.rc; } \
	  | tee $(REL_LOG).a; [ ! -e $(REL_LOG).a.rc ] || rc=1; \
	echo "== 2/3 (this lane) the sanitizer suite's tests not started yet, into $(SAN_LOG).b"; \
	GP_TEST_CLAIMS=$(abspath $(SAN_CLAIMS)) $(MAKE) --no-print-directory SANITIZE=$(SAN_TEST) check \
	  >$(SAN_LOG).b 2>&1 || rc=1; \
	wait; \
	echo "== 1/3 (the other lane) the release suite's tests it ran, from $(REL_LOG)"; \
	cat $(REL_LOG); \
	echo "== 2/3 make SANITIZE=$(SAN_TEST) check (the logs of $(SAN_LOG) and $(SAN_LOG).b)"; \
	cat $(SAN_LOG) $(SAN_LOG).b; \
	[ "$$(cat $(SAN_LOG).rc)" = 0 ] || rc=1; \
	[ "$$(cat $(REL_LOG).rc)" = 0 ] || rc=1; \
	echo "== both lanes together"; \
	sh tools/test-total.sh "the release build" $(REL_LOG).a $(REL_LOG) || rc=1; \
	sh tools/test-total.sh "SANITIZE=$(SAN_TEST)" $(SAN_LOG) $(SAN_LOG).b || rc=1; \
	sh tools/test-total.sh "" $(REL_LOG).a $(REL_LOG) $(SAN_LOG) $(SAN_LOG).b || rc=1; \
	if [ $$rc -eq 0 ]; then echo "make test: check, sanitizers and fuzzing passed"; \
	else echo "make test: FAILED (the FAIL lines above say where)"; exit 1; fi
else
test: check
endif

# The places are the commands' defaults (issue 17, item 9): run writes
# out/NAME.h5, plot and report beside it.
demo: all
	./gpuplan run
	@./gpuplan plot out/baseline.h5 > /dev/null
	@./gpuplan report out/baseline.h5 > /dev/null
	@echo "data: out/baseline.h5   charts: out/baseline-charts/*.png   report: out/baseline.html"

# Fuzzing: the parsers' libFuzzer targets tests/fuzz/fuzz_*.c, built by
# clang against the library under ASan and UBSan, then run by
# tests/fuzz/run.sh (reproducers first, then SECONDS of fuzzing each).
# FUZZ_TARGETS names some of them (scenario swf csv reader; default all).
# The reader's seeds are result files written by the release binary, so it
# is built first.  libFuzzer is in Debian's libclang-rt-14-dev, which clang
# only recommends.
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 15
FUZZ_TARGETS ?=
FUZZ_SAN     := fuzzer-no-link,address,undefined
FUZZ_BUILD   := build/clang-san-$(subst $(comma),-,$(FUZZ_SAN))
FUZZ_NAMES   := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB) $(wildcard tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

fuzz fuzz-smoke: $(BIN)
	@mkdir -p $(FUZZ_BUILD)
	@echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return !d + (int)n; }' | \
	  clang -x c -fsanitize=fuzzer -o $(FUZZ_BUILD)/probe - 2>/dev/null || \
	  { echo "make $@ needs clang with libFuzzer: apt-get install clang libclang-rt-14-dev" >&2; exit 1; }
	@$(MAKE) --no-print-directory -j$(NPROC) CC=clang SANITIZE=$(FUZZ_SAN) OPT="-O1 -g" \
	  $(addprefix $(FUZZ_BUILD)/fuzz/,$(FUZZ_NAMES))
	@GPUPLAN=$(abspath $(BIN)) sh tests/fuzz/run.sh $(FUZZ_BUILD)/fuzz \
	  $(if $(filter fuzz-smoke,$@),$(FUZZ_SMOKE_SECONDS),$(FUZZ_SECONDS)) $(FUZZ_TARGETS)

# Benchmarks: one program per bench/*.c against the library (hold-heap is
# bench/hold.c on the old heap kernel, bench/heap_ref.c, to compare with);
# bench/run.sh runs every case and prints one line each (bench/README.md).
.PHONY: bench bench-run calib-coverage
BENCH_BIN := $(patsubst bench/%.c,$(BUILD)/bench/%,$(filter-out bench/heap_ref.c,$(wildcard bench/*.c))) \
             $(BUILD)/bench/hold-heap

$(BUILD)/bench/hold-heap: bench/hold.c bench/heap_ref.c bench/bench.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ bench/hold.c bench/heap_ref.c $(LIB) $(LDLIBS)

$(BUILD)/bench/%: bench/%.c bench/bench.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

bench: all $(BENCH_BIN)

bench-run: bench
	@BUILD=$(abspath $(BUILD)) GPUPLAN=$(abspath $(BIN)) sh bench/run.sh

# The coverage of calibrate's ABC intervals in 20 synthetic trials (issue 20;
# several minutes, not part of make test).
calib-coverage: all
	@GPUPLAN=$(abspath $(BIN)) sh bench/calib_coverage.sh

endif

clean:
	rm -rf build gpuplan

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_BIN:=.d)
