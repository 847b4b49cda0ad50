#!/usr/bin/env bash
# result.h5 and checkpoints describe themselves (README "Files"): units on every quantity,
# parameters by name with their units and search transform, /best/status, integer counts
# as integers, UTF-8 strings, populations in model units, protocol targets with their
# sweeps and currents, and no empty /pareto/spikes for a built-in problem.
source "$(dirname "$0")/lib.sh"
ex=$SNNFIT_DATA/examples
"$SNNFIT" run "$ex/single_cell_izhikevich.toml" --out "$work/cell" --generations 2 --quiet \
  --set optimizer.population=8 --set optimizer.islands=2 >/dev/null 2>&1 || fail "single-cell run"
if $PY - "$work/cell" <<'PY'; then pass "result and checkpoint are self-describing"; else fail "self-description"; fi
import sys, glob, h5py, numpy as np
d = sys.argv[1]
f = h5py.File(d + "/result.h5", "r")
s = lambda ds: [x.decode() for x in ds[()]]
p = f["parameters"]
# The model's own units (snnfit simulate --list-models), and a = log10-searched (scale = "log").
assert s(p["units"]) == ["1/ms", "1", "mV", "1"], s(p["units"])
assert s(p["transform"]) == ["log10", "identity", "identity", "identity"], s(p["transform"])
assert list(p["lo"].attrs["units"]) == ["1/ms", "1", "mV", "1"]
b = f["best"]
assert b["status"].dtype == np.int64 and b["status"][0] == 0
assert list(b["parameters"].attrs["units"]) == ["1/ms", "1", "mV", "1"]
named = {k: v[0] for k, v in b["values"].items()}
assert named == dict(zip(s(p["names"]), b["parameters"][()])), named
assert b["values/c"].attrs["units"] == "mV"
assert np.isclose(np.log10(named["a"]), b["search"][0], rtol=0, atol=1e-12)
h = f["history"]
for k in ("evaluations", "invalid"):
    assert h["islands"][k].dtype == np.int64, (k, h["islands"][k].dtype)
assert h["elapsed"].attrs["units"] == "s" and h["evals_per_second"].attrs["units"] == "1/s"
assert f["target/cell/times"].attrs["units"] == "s" and f["best/spikes/cell/times"].attrs["units"] == "s"
# Strings are UTF-8.
for ds in (p["names"], p["units"], f["config"]):
    assert ds.id.get_type().get_cset() == h5py.h5t.CSET_UTF8, ds.name
assert "pareto" not in f
c = h5py.File(sorted(glob.glob(d + "/checkpoints/ckpt-*.h5"))[-1], "r")
assert c["state/wall_time_used"].attrs["units"] == "s"
for k in range(c["islands"].attrs["count"]):
    x, v = c[f"islands/{k}/population"][()], c[f"islands/{k}/values"][()]
    assert np.allclose(v[:, 0], 10 ** x[:, 0], rtol=1e-12) and np.array_equal(v[:, 1:], x[:, 1:])
    assert list(c[f"islands/{k}/values"].attrs["units"]) == ["1/ms", "1", "mV", "1"]
assert c["best/status"][0] == 0
PY

# A resumed run still reads checkpoints written before the units (format_version unchanged):
# the extra datasets are for readers only.
"$SNNFIT" run "$ex/single_cell_izhikevich.toml" --out "$work/cell" --generations 3 --resume auto --quiet \
  --set optimizer.population=8 --set optimizer.islands=2 >/dev/null 2>&1 && pass "resume" || fail "resume"

# Built-in problems simulate nothing: no /pareto/spikes group, and their x_i are pure numbers.
"$SNNFIT" run "$ex/zdt1_nsga2.toml" --out "$work/z" --generations 2 --quiet >/dev/null 2>&1 || fail "zdt1 run"
$PY -c "
import sys, h5py
f = h5py.File(sys.argv[1], 'r')
assert 'pareto' in f and 'spikes' not in f['pareto'], list(f['pareto'])
assert set(x.decode() for x in f['parameters/units'][()]) == {'1'}
" "$work/z/result.h5" && pass "no empty /pareto/spikes for a built-in problem" || fail "zdt1 pareto layout"

# A current-clamp protocol target records its sweeps and their currents.
"$SNNFIT" run "$ex/fit_nwb_adex.toml" --out "$work/nwb" --generations 0 --quiet \
  --set optimizer.population=4 >/dev/null 2>"$work/err" || fail "NWB fit: $(cat "$work/err")"
$PY -c "
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], 'r')
pop = list(f['target'])[0]
g = f['target'][pop]
n = len(g['offsets']) - 1
assert len(g['sweeps']) == n and len(g['current']) == n, (n, list(g))
assert g['current'].attrs['units'] == 'pA' and g['sweep_length'].attrs['units'] == 'ms'
assert np.all(np.isfinite(g['current'][()])) and n >= 2
" "$work/nwb/result.h5" && pass "protocol target: sweeps and currents" || fail "protocol target layout"
finish
