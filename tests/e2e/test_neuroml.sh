#!/usr/bin/env bash
# NeuroML import from the command line: data/examples/neuroml_import.toml simulates,
# and its AdEx cell spikes exactly like the adex model's "adapting" preset (Naud et al.
# 2008, the values cells.nml was written from) under the same 500 pA step; a bad
# NeuroML file ends in one line naming the file, line and element, exit status 2.
source "$(dirname "$0")/lib.sh"
ex=$SNNFIT_DATA/examples

if "$SNNFIT" simulate "$ex/neuroml_import.toml" --out "$work/nml.h5" >"$work/log" 2>&1; then
  pass "neuroml_import simulates"
else
  fail "neuroml_import: $(cat "$work/log")"
fi
cat >"$work/twin.toml" <<'TOML'
[simulation]
dt = 0.05
duration = 600.0
seed = 1
[[populations]]
name = "adex"
model = "adex"
preset = "adapting"
[[inputs]]
type = "step"
target = "adex"
amplitude = 500.0
delay = 50.0
duration = 500.0
TOML
"$SNNFIT" simulate "$work/twin.toml" --out "$work/twin.h5" >/dev/null 2>&1 || fail "twin does not simulate"
if $PY - "$work/nml.h5" "$work/twin.h5" <<'PYEOF'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
ta, tb = a["spikes/adex/times"][:], b["spikes/adex/times"][:]
assert len(ta) >= 5 and np.array_equal(ta, tb), (ta, tb)
PYEOF
then pass "imported AdEx = the adapting preset"; else fail "imported AdEx differs from its twin"; fi

mkdir -p "$work/cfg"
cp "$ex/neuroml_import.toml" "$work/cfg/"
mkdir -p "$work/cfg/neuroml"
sed 's/<pulseGenerator id="step100"/<spikeArray id="sa"\/>\n    <pulseGenerator id="step100"/' \
  "$ex/neuroml/cells.nml" >"$work/cfg/neuroml/cells.nml"
expect_error "unknown element" 2 'cells.nml:[0-9]+: <spikeArray id="sa">: unknown element' \
  -- simulate "$work/cfg/neuroml_import.toml" --out "$work/x.h5"
expect_error "unknown cell id" 2 'populations\[0\]\.cell: .*has no cell with id "pyr"' \
  -- simulate "$ex/neuroml_import.toml" --out "$work/x.h5" --set 'populations[0].cell="pyr"'
finish
