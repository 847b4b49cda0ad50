#!/usr/bin/env bash
# Fits to recorded sweeps from the command line: both NWB examples run (3 generations)
# and write the six recorded sweeps as the target; the target read with spikes =
# "detect" from the voltage matches the precomputed one within 1 ms per spike; a CSV
# listing of sweeps works; bad files end in one line naming the file and the HDF5 path.
source "$(dirname "$0")/lib.sh"
ex=$SNNFIT_DATA/examples

for m in adex izhikevich2007; do
  if "$SNNFIT" run "$ex/fit_nwb_$m.toml" --out "$work/$m" --generations 3 --quiet >"$work/log" 2>&1; then
    pass "fit_nwb_$m runs"
  else
    fail "fit_nwb_$m: $(cat "$work/log")"
  fi
done
# The generator's spike counts per sweep: 0 1 3 6 11 17.
if $PY - "$work/adex/result.h5" "$SNNFIT_DATA/recordings/synthetic_adex.nwb" <<'PYEOF'
import sys, h5py, numpy as np
f, nwb = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
off = f["target/cell/offsets"][:]
assert list(np.diff(off)) == [0, 1, 3, 6, 11, 17], np.diff(off)
t = f["target/cell/times"][:]
want = np.concatenate([nwb[f"processing/spikes/Sweep_{n}/timestamps"][:] for n in (1, 3, 5, 7, 9, 11)])
assert np.allclose(t, want), (t, want)   # both in seconds
PYEOF
then pass "target = the precomputed spike times"; else fail "target of fit_nwb_adex"; fi

# Detected from the voltage: the same spikes, each within 1 ms (the drawn action
# potential crosses 0 mV 0.12 ms before the recorded time; 0.3 mV noise).
if "$SNNFIT" run "$ex/fit_nwb_adex.toml" --out "$work/detect" --generations 1 --quiet \
    --set fit.protocol.spikes=detect >"$work/log" 2>&1 &&
  $PY - "$work/detect/result.h5" "$work/adex/result.h5" <<'PYEOF'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
assert np.array_equal(a["target/cell/offsets"][:], b["target/cell/offsets"][:])
d = np.abs(a["target/cell/times"][:] - b["target/cell/times"][:]) * 1000
assert d.max() < 1.0, d.max()
PYEOF
then pass "spikes detected from the voltage"; else fail "detect: $(cat "$work/log")"; fi

cat >"$work/sweeps.csv" <<'CSV'
sweep,amplitude,spikes
a,150,
b,400,150 250 400
CSV
# spikes/threshold/sweeps are NWB keys: a CSV protocol must not carry them.
grep -v '^spikes = ' "$ex/fit_nwb_adex.toml" >"$work/csv.toml"
expect_error "NWB key on a CSV protocol" 2 "fit.protocol.spikes: unknown key" \
  -- run "$ex/fit_nwb_adex.toml" --out "$work/x" --set "fit.protocol.file=\"$work/sweeps.csv\"" \
  --set fit.protocol.delay=100.0 --set fit.protocol.duration=500.0 --set fit.protocol.length=700.0
if "$SNNFIT" run "$work/csv.toml" --out "$work/csv" --generations 1 --quiet --set fit.protocol.file=sweeps.csv \
    --set fit.protocol.delay=100.0 --set fit.protocol.duration=500.0 \
    --set fit.protocol.length=700.0 >"$work/log" 2>&1; then
  pass "CSV sweeps"
else
  fail "CSV sweeps: $(cat "$work/log")"
fi

cp "$SNNFIT_DATA/recordings/synthetic_adex.nwb" "$work/broken.nwb"
$PY - "$work/broken.nwb" <<'PYEOF'
import sys, h5py
with h5py.File(sys.argv[1], "a") as f:
    del f["acquisition/index_05/data"]
PYEOF
expect_error "missing dataset" 2 "broken.nwb: /acquisition/index_05/data: missing dataset$" \
  -- run "$ex/fit_nwb_adex.toml" --out "$work/x" --set "fit.protocol.file=\"$work/broken.nwb\"" \
  --set fit.protocol.spikes=detect
expect_error "missing file" 2 "nope.nwb" -- run "$ex/fit_nwb_adex.toml" --out "$work/x" --set fit.protocol.file=nope.nwb
expect_error "no such sweep" 2 "no series with sweep number 2 " \
  -- run "$ex/fit_nwb_adex.toml" --out "$work/x" --set "fit.protocol.sweeps=[2]"
finish
