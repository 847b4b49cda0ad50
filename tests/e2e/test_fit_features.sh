#!/usr/bin/env bash
# Voltage features from the command line: fit_nwb_adex_features.toml runs (2 generations),
# result.h5 holds the feature table (targets taken from the recorded voltage: the
# recorded Spikecount-derived mean_frequency of index_03 is 1 spike / (184.8 - 100) ms)
# and both voltages of every sweep; snnfit report draws voltage.png and the Features table;
# bad feature configs end in one line with exit status 2.
source "$(dirname "$0")/lib.sh"
ex=$SNNFIT_DATA/examples
cfg=$ex/fit_nwb_adex_features.toml

if "$SNNFIT" run "$cfg" --out "$work/run" --generations 2 --quiet >"$work/log" 2>&1; then
  pass "fit_nwb_adex_features runs"
else
  fail "fit_nwb_adex_features: $(cat "$work/log")"
fi
if $PY - "$work/run/result.h5" <<'PYEOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
g = f["features"]
labels = [x.decode() for x in g["labels"][:]]
assert len(labels) == 24, labels
i = labels.index("mean_frequency@index_03")
# The generator's one spike of index_03 at 184.8 ms, its step from 100 ms: eFEL's mean
# frequency 1 * 1000 / 84.8 Hz (the peak of the drawn AP lies within 0.1 ms of it).
assert abs(g["target_mean"][i] - 1000 / 84.8) < 0.05, g["target_mean"][i]
assert np.all(g["target_sd"][:] > 0)
assert np.all(np.isfinite(g["score"][:]))
assert sorted(g["sweeps"].keys()) == [f"index_{n:02d}" for n in (1, 3, 5, 7, 9, 11)]
s = g["sweeps/index_01"]
assert len(s["target_v"]) == 10000 and len(s["fitted_v"]) == 10000
assert s.attrs["stim_start"] == 100 and s.attrs["stim_end"] == 800
PYEOF
then pass "result.h5 /features"; else fail "result.h5 /features"; fi

if "$SNNFIT" report "$work/run/result.h5" --out "$work/rep" --replay no --seeds 1 >"$work/rlog" 2>&1 &&
  [ -s "$work/rep/voltage.png" ] && grep -q "<h2>Features</h2>" "$work/rep/index.html" &&
  grep -q "mean_frequency@index_03" "$work/rep/index.html"; then
  pass "report: voltage.png and the Features table"
else
  fail "report: $(cat "$work/rlog")"
fi

expect_error "unknown feature" 2 "fit.loss\[2\].feature\[0\].name: \"AP_heigth\" is not a feature" \
  -- run "$cfg" --out "$work/x" --set 'fit.loss[2].feature[0].name="AP_heigth"'
expect_error "AP shape of a reset model" 2 "AP_amplitude needs an action potential" \
  -- run "$cfg" --out "$work/x" --set 'fit.loss[2].feature[0].name="AP_amplitude"'
expect_error "features without a protocol" 2 "needs the sweeps of a \[fit.protocol\]" \
  -- run "$ex/single_cell_izhikevich.toml" --out "$work/x" --set 'fit.loss=[{type = "features"}]'
finish
