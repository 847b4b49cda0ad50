#!/usr/bin/env bash
# The network fit examples run end to end. firing_rate_17hz: the best raster's mean
# rate of M, recounted here from the file, is within 1% of 17 Hz. ei_network: a short
# run (3 generations) writes a result whose parameters lie inside their bounds, and
# `simulate` accepts the same file.
source "$(dirname "$0")/lib.sh"
ex=$SNNFIT_DATA/examples

if "$SNNFIT" run "$ex/firing_rate_17hz.toml" --out "$work/r17" --quiet >"$work/log" 2>&1; then pass "firing_rate_17hz runs"; else fail "firing_rate_17hz: $(cat "$work/log")"; fi
if $PY - "$work/r17/result.h5" <<'PYEOF'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
off = f["best/spikes/M/offsets"][:]
n_neurons, n_spikes = len(off) - 1, off[-1] - off[0]
rate = n_spikes / n_neurons / 1.0   # 1 s of simulated time
assert abs(rate - 17.0) / 17.0 <= 0.01, rate
assert "target" not in f or len(f["target"]) == 0
PYEOF
then pass "M fires at 17 Hz"; else fail "17 Hz"; fi

if "$SNNFIT" run "$ex/ei_network.toml" --out "$work/ei" --generations 2 --quiet >"$work/log" 2>&1; then pass "ei_network runs"; else fail "ei_network: $(cat "$work/log")"; fi
if $PY - "$work/ei/result.h5" <<'PYEOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
p, lo, hi = f["best/parameters"][:], f["parameters/lo"][:], f["parameters/hi"][:]
assert len(p) == 4 and np.all(p >= lo) and np.all(p <= hi), (p, lo, hi)
assert np.allclose(f["parameters/true_values"][:], [0.5, 0.8, 0.5, 0.8])
assert len(f["target/E/offsets"]) == 201
PYEOF
then pass "ei_network result"; else fail "ei_network result"; fi
if "$SNNFIT" simulate "$ex/ei_network.toml" --out "$work/ei.h5" >/dev/null 2>&1; then pass "simulate accepts a fit config"; else fail "simulate ei_network"; fi
finish
