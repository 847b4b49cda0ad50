#!/usr/bin/env bash
# Built-in problems ([problem] instead of a neuron model) through the whole program:
# the shipped examples reach their known optima (ZDT1's front: hypervolume within 0.01
# of 2/3; Rosenbrock below 1e-6 and the optimum x = 1), one and two threads give
# identical files, a run of every algorithm stopped and resumed equals the uninterrupted
# one (result.h5 with /pareto, checkpoint islands with operator_state), and config errors
# for the new keys are one line with exit status 2.
source "$(dirname "$0")/lib.sh"
ex=$SNNFIT_DATA/examples

# One island of each algorithm on ZDT1 (12 variables), migrating every 3 generations.
mixed=$ex/zdt1_mixed_islands.toml

same_results() {
  $PY - "$1" "$2" <<'PY'
import sys, glob, h5py, numpy as np
a, b = sys.argv[1:]
ra, rb = h5py.File(a + "/result.h5", "r"), h5py.File(b + "/result.h5", "r")
for k in ["best/parameters", "best/objectives", "history/best", "history/mean", "history/std",
          "history/islands/best", "pareto/parameters", "pareto/objectives", "pareto/ids"]:
    assert np.array_equal(ra[k][:], rb[k][:], equal_nan=True), k
ca, cb = (h5py.File(sorted(glob.glob(d + "/checkpoints/ckpt-*.h5"))[-1], "r") for d in (a, b))
for k in range(ca["islands"].attrs["count"]):
    for n in ["population", "objectives", "fitness", "ids", "rng", "operator_state"]:
        assert np.array_equal(ca[f"islands/{k}/{n}"][:], cb[f"islands/{k}/{n}"][:]), f"islands/{k}/{n}"
PY
}
same_csv() { diff <(cut -d, -f1-6 "$1/history.csv") <(cut -d, -f1-6 "$2/history.csv") >/dev/null; }

# The examples reach the known optima.
"$SNNFIT" run "$ex/zdt1_nsga2.toml" --out "$work/zdt1" --quiet >/dev/null 2>&1 || fail "zdt1_nsga2 run"
if $PY - "$work/zdt1/result.h5" <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
o = f["pareto/objectives"][:]
assert o.shape[1] == 2 and len(o) >= 50, o.shape
assert f["pareto/parameters"].shape == (len(o), 30)
# Hypervolume w.r.t. (1, 1) by the staircase sweep; the true front's is 2/3.
o = o[np.argsort(o[:, 0])]
hv, bound = 0.0, 1.0
for f1, f2 in o:
    if f1 < 1 and f2 < bound:
        hv += (1 - f1) * (bound - f2); bound = f2
assert 2 / 3 - 0.01 < hv < 2 / 3, hv
PY
then pass "zdt1_nsga2: /pareto within 0.01 of the true hypervolume"; else fail "zdt1_nsga2: front"; fi
for c in rosenbrock_cmaes rosenbrock_de; do
  "$SNNFIT" run "$ex/$c.toml" --out "$work/$c" --quiet >/dev/null 2>&1 || fail "$c run"
  if $PY - "$work/$c/result.h5" <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
assert f.attrs["termination"] == "target", f.attrs["termination"]
assert f["best/objectives"][0] < 1e-6
assert np.allclose(f["best/parameters"][:], 1.0, atol=5e-3), f["best/parameters"][:]
assert "pareto" not in f
PY
  then pass "$c: Rosenbrock below 1e-6 at x = 1"; else fail "$c: not solved"; fi
done

# Threads do not change anything.
"$SNNFIT" run "$mixed" --out "$work/t1" --threads 1 --quiet >/dev/null 2>&1 || fail "mixed, 1 thread"
"$SNNFIT" run "$mixed" --out "$work/t2" --threads 2 --quiet >/dev/null 2>&1 || fail "mixed, 2 threads"
if same_results "$work/t1" "$work/t2" && same_csv "$work/t1" "$work/t2"; then pass "1 and 2 threads identical"
else fail "1 and 2 threads differ"; fi

# Stopped after 5 generations (between checkpoints and migrations) and resumed.
"$SNNFIT" run "$mixed" --out "$work/r" --generations 5 --quiet >/dev/null 2>&1 || fail "stop at 5"
"$SNNFIT" run "$mixed" --out "$work/r" --resume auto --quiet >"$work/log" 2>&1 || fail "resume: $(cat "$work/log")"
grep -q "resuming from .*ckpt-000006.h5" "$work/log" || fail "did not resume after generation 5: $(cat "$work/log")"
if same_results "$work/t1" "$work/r" && same_csv "$work/t1" "$work/r"; then pass "stop + resume equals uninterrupted"
else fail "stop + resume differs"; fi

# NSGA-II on a neuron fit with two loss terms: /pareto holds mutually non-dominated
# members, each with the raster of its own re-simulation (different parameters give
# different spike trains, and the best member's raster equals /best's).
nfit=$work/two_losses.toml
{ cat "$ex/single_cell_izhikevich.toml"; printf '\n[[fit.loss]]\ntype = "spike_distance"\nmetric = "isi"\n'; } >"$nfit"
if "$SNNFIT" run "$nfit" --out "$work/nn" --quiet --generations 4 --set optimizer.algorithm=nsga2 \
     --set optimizer.population=12 >/dev/null 2>&1 && $PY - "$work/nn/result.h5" <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
o, ids = f["pareto/objectives"][:], f["pareto/ids"][:]
assert o.shape[1] == 2 and len(o) >= 1 and len(set(ids)) == len(ids)
for a in o:
    for b in o:
        assert not (np.all(b <= a) and np.any(b < a)), "dominated member on the front"
assert sorted(f["pareto/spikes"].keys(), key=int) == [str(i) for i in range(len(o))]
# The best (least weighted sum) member is on the front; its raster is /best's.
i = list(ids).index(f["best"].attrs["id"]) if f["best"].attrs["id"] in ids else None
if i is not None:
    assert np.array_equal(f[f"pareto/spikes/{i}/cell/times"][:], f["best/spikes/cell/times"][:])
PY
then pass "NSGA-II neuron fit: /pareto front with one raster per member"; else fail "NSGA-II neuron fit: /pareto"; fi

# Config errors: one line naming file, line and key; exit status 2.
bad() {  # NAME REGEX TOML
  printf '%s\n' "$3" >"$work/bad.toml"
  expect_error "$1" 2 "$2" -- run "$work/bad.toml" --out "$work/bad"
}
bad "unknown builtin" 'bad.toml:2.*problem\.builtin.*zdt1' $'[problem]\nbuiltin = "ackley"'
bad "dimension 1" 'bad.toml:3.*problem\.dimension' $'[problem]\nbuiltin = "sphere"\ndimension = 1'
bad "ZDT bounds fixed" 'bad.toml:3.*problem\.lo' $'[problem]\nbuiltin = "zdt2"\nlo = -1'
bad "hi <= lo" 'problem\.hi' $'[problem]\nbuiltin = "sphere"\nlo = 1\nhi = 1'
bad "neuron model beside [problem]" 'bad.toml:3.*fit.*\[problem\] replaces' $'[problem]\nbuiltin = "sphere"\n[fit]\nseed = 1'
bad "unknown key in [problem]" 'problem\.dimensions' $'[problem]\nbuiltin = "sphere"\ndimensions = 3'
bad "unknown DE variant" 'bad.toml:5.*optimizer\.de_variant.*rand1bin' $'[problem]\nbuiltin = "sphere"\n[optimizer]\nalgorithm = "de"\nde_variant = "current-to-best"'
bad "unknown algorithm" 'optimizer\.algorithm' $'[problem]\nbuiltin = "sphere"\n[optimizer]\nalgorithm = "pso"'
bad "CMA-ES sigma0 out of range" 'optimizer\.cmaes_sigma0' $'[problem]\nbuiltin = "sphere"\n[optimizer]\ncmaes_sigma0 = 2'
bad "weights vs objectives" 'optimizer\.weights.*zdt1 has 2' $'[problem]\nbuiltin = "zdt1"\n[optimizer]\nweights = [1.0]'
finish
