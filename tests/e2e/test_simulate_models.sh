#!/bin/bash
# Every neuron model through the whole program: --list-models lists each model with its
# parameters, each data/examples/<model>_*.toml simulates, and the HDF5 output, read with
# h5py, holds what closed forms and the NEURON fixture say it must.
# Env: SNNFIT (binary), SNNFIT_DATA, SNNFIT_FIXTURES (set by ctest).
set -euo pipefail
SNNFIT=${SNNFIT:?path of the snnfit binary}
here=$(cd "$(dirname "$0")" && pwd)
DATA=${SNNFIT_DATA:-$here/../../data}
FIXTURES=${SNNFIT_FIXTURES:-$here/../fixtures}
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. --list-models: every model, a few parameters of each, with units and presets.
"$SNNFIT" simulate --list-models > "$tmp/models.txt"
for word in izhikevich2003 izhikevich2007 adex lif hh \
            "tau_w" "DeltaT" "C_m" "t_ref" "V_th" "gNa" "celsius" "b_cubic" "vpeak_u" \
            "nS" "pF" "pA" "initial_burst" "LTS" "squid" "NEST"; do
    grep -q -- "$word" "$tmp/models.txt" || fail "--list-models does not mention $word"
done
grep -Eq '^ +gNa +1200 +nS' "$tmp/models.txt" || fail "hh gNa default 1200 nS not listed"
grep -Eq '^ +tau_m +10 +ms' "$tmp/models.txt" || fail "lif tau_m default 10 ms not listed"

# 2. Each model's example runs and writes spikes and voltage.
for ex in izhikevich_rs_step izhikevich2007_rs_step adex_tonic_step lif_step hh_step; do
    "$SNNFIT" simulate "$DATA/examples/$ex.toml" --out "$tmp/$ex.h5" > "$tmp/$ex.log" || fail "$ex did not run"
done

# 3. Check the files against independent numbers.
"$PY" - "$tmp" "$FIXTURES/neuron/hh_step.txt" <<'PYEOF'
import math, sys
import h5py
import numpy as np

tmp, neuron_fixture = sys.argv[1], sys.argv[2]

def spikes(name, pop):
    with h5py.File(f"{tmp}/{name}.h5", "r") as f:
        g = f["spikes"][pop]
        t = g["times"][:] * 1000.0  # files hold seconds
        assert list(g["offsets"][:]) == [0, len(t)], g["offsets"][:]
        v = f["voltage"][pop]["v"][:] if "voltage" in f and pop in f["voltage"] else None
        return t, v

def check(cond, msg):
    if not cond:
        sys.exit("FAIL: " + msg)

# LIF, NEST defaults, 400 pA from 50 to 450 ms: R I = 16 mV, theta = 15 mV. The exact
# update samples V on the grid: each spike ceil(T*/dt) steps after integration resumes,
# T* = tau ln(RI/(RI - theta)), then round(t_ref/dt) clamped steps.
t, v = spikes("lif_step", "lif")
T = 10 * math.log(16 / (16 - 15))
n_cross, n_ref, dt = math.ceil(T / 0.1), 20, 0.1
expected = []
s = 50 + n_cross * dt
while s <= 450 + 1e-9:
    expected.append(s)
    s += (n_cross + n_ref) * dt
check(len(t) == len(expected), f"lif: {len(t)} spikes, closed form says {len(expected)}")
check(np.allclose(t, expected, atol=1e-6), f"lif: spikes {t} != {expected}")
check(v.shape == (1, 5000), f"lif voltage shape {v.shape}")
check(abs(v[0, 0] + 70) < 1e-12 and v.max() < -55, "lif voltage starts at -70 and stays below threshold")

# HH under 100 pA: NEURON's built-in hh (converged run) fires the same number of spikes,
# with the first-spike latency within 0.1 ms (see tests/unit/test_models.cpp).
ref = {}
block = {}
for line in open(neuron_fixture):
    if line.startswith("#") or not line.strip():
        continue
    k, *rest = line.split()
    if k == "end":
        ref[(block["case"], block["scheme"])] = block
        block = {}
    else:
        block[k] = rest[0] if rest else ""
nrn = ref[("hh_100pA", "cn_fine")]
t, v = spikes("hh_step", "hh")
check(len(t) == int(nrn["count"]), f"hh: {len(t)} spikes, NEURON {nrn['count']}")
check(abs((t[0] - 10) - float(nrn["latency"])) <= 0.1, f"hh latency {t[0] - 10} vs NEURON {nrn['latency']}")
check(abs(v[0, 0] + 65) < 1e-12 and v.max() > 30, "hh voltage starts at -65 mV and overshoots")

# The others: spikes only while the step is on (a spike already under way when it ends may
# land up to 20 ms later: the RS upstroke from c = -50 mV is slow), and the
# voltage never above the model's peak (sampled after resets).
for name, pop, on, off, vmax in [("izhikevich_rs_step", "rs", 100, 900, 30),
                                 ("izhikevich2007_rs_step", "rs", 100, 900, 35),
                                 ("adex_tonic_step", "adapting", 50, 550, 0)]:
    t, v = spikes(name, pop)
    check(len(t) >= 5, f"{name}: only {len(t)} spikes")
    check(t.min() > on and t.max() <= off + 20, f"{name}: spikes outside the step: {t.min()}..{t.max()}")
    check(np.all(np.diff(t) > 0), f"{name}: spike times not increasing")
    check(v is not None and v.max() < vmax, f"{name}: sampled voltage above the peak")
t, _ = spikes("adex_tonic_step", "tonic")
check(len(t) > 2 * len(spikes("adex_tonic_step", "adapting")[0]), "adex: tonic should fire far more than adapting")
isi = np.diff(spikes("adex_tonic_step", "adapting")[0])
check(isi[-1] > 2 * isi[0], "adex adapting: the last interval should be much longer than the first")
print("ok")
PYEOF

# 4. A nonsensical parameter is a one-line error naming the key, exit status 2.
sed 's/t_ref = 2.0, I_e = 0.0/t_ref = 2.0, tau_m = 0.0/' "$DATA/examples/lif_step.toml" > "$tmp/bad.toml"
set +e
"$SNNFIT" simulate "$tmp/bad.toml" --out "$tmp/bad.h5" 2> "$tmp/bad.err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "bad tau_m: exit status $rc, expected 2"
grep -q "tau_m" "$tmp/bad.err" || fail "bad tau_m: message does not name tau_m: $(cat "$tmp/bad.err")"
[ "$(wc -l < "$tmp/bad.err")" -eq 1 ] || fail "bad tau_m: message is not one line"
[ ! -e "$tmp/bad.h5" ] || fail "bad config still wrote an output file"
echo "test_simulate_models: ok"
