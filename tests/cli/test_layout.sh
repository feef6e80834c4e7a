# tests/cli/test_layout.sh - the source layout keeps its rule (tests/check_layers.sh):
# nothing includes upward, rules see rule.h only, files and folders stay small;
# and the checker does fail on each kind of breach (checked on a copy).
. tests/cli/lib.sh

sh tests/check_layers.sh >"$T/out" 2>&1
rc=$?
check "the tree keeps the layout rule" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/    /' "$T/out" | head -n 20

# A copy of the sources to break on purpose.
fresh() {
  rm -rf "$T/tree"
  mkdir -p "$T/tree"
  cp -R sim models analysis cli "$T/tree/"
}

fresh
sed -i '1i #include "models/experiment/experiment.h"' "$T/tree/models/world/world.c"
sh tests/check_layers.sh "$T/tree" >"$T/out" 2>&1
check "an upward include fails the check" [ $? -eq 1 ]
check "the breach is named" grep -q 'includes models/experiment/experiment.h .*nothing includes upward' "$T/out"

fresh
sed -i '1i #include "analysis/compare.h"' "$T/tree/sim/sim.c"
sh tests/check_layers.sh "$T/tree" >"$T/out" 2>&1
check "the kernel including analysis fails" [ $? -eq 1 ]

fresh
rule=$(ls "$T"/tree/models/rules/sel_*.c | head -n 1)
sed -i '1i #include "models/run/run_int.h"' "$rule"
sh tests/check_layers.sh "$T/tree" >"$T/out" 2>&1
check "a rule including the run's internals fails" [ $? -eq 1 ]
check "the rule breach is named" grep -q 'a rule sees models/rules/rule.h only' "$T/out"

fresh
mkdir -p "$T/tree/models/extra"
echo '#include "sim/err.h"' >"$T/tree/models/extra/x.c"
sh tests/check_layers.sh "$T/tree" >"$T/out" 2>&1
check "a folder without a layer fails" [ $? -eq 1 ]

fresh
awk 'BEGIN { for (i = 0; i < 1001; i++) print "/* filler */" }' >"$T/tree/sim/long.c"
sh tests/check_layers.sh "$T/tree" >"$T/out" 2>&1
check "a file over 1000 lines fails" [ $? -eq 1 ]
rm -rf "$T"
