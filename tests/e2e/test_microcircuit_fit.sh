#!/usr/bin/env bash
# The microcircuit fit examples (10 % scale, shortened to 0.4 s and 4 per island): the
# NSGA-II version stopped after one generation and resumed ends exactly as a run never
# stopped (best, history, Pareto front); the GA version runs and fits its 3 parameters
# inside their bounds, g written into all 23 inhibitory projections through `also`; a
# wrong `also` path is one clear config error.
source "$(dirname "$0")/lib.sh"
ex=$SNNFIT_DATA/examples
short=(--quiet --threads 2 --set simulation.duration=400 --set fit.t_start=100 --set optimizer.population=4)

"$SNNFIT" run "$ex/microcircuit_fit_nsga2.toml" --out "$work/ref" --generations 2 "${short[@]}" >"$work/log" 2>&1 ||
  fail "nsga2 reference: $(cat "$work/log")"
"$SNNFIT" run "$ex/microcircuit_fit_nsga2.toml" --out "$work/stop" --generations 1 "${short[@]}" >"$work/log" 2>&1 ||
  fail "nsga2 stop: $(cat "$work/log")"
"$SNNFIT" run "$ex/microcircuit_fit_nsga2.toml" --out "$work/stop" --generations 2 --resume auto "${short[@]}" \
  >"$work/log" 2>&1 || fail "nsga2 resume: $(cat "$work/log")"
if $PY - "$work/ref/result.h5" "$work/stop/result.h5" <<'PYEOF'
import sys, h5py, numpy as np
a, b = (h5py.File(f, "r") for f in sys.argv[1:])
for k in ["best/parameters", "best/objectives", "history/best", "history/mean", "pareto/parameters", "pareto/objectives"]:
    assert np.array_equal(a[k][:], b[k][:], equal_nan=True), k
assert a["pareto/objectives"].shape[1] == 8, a["pareto/objectives"].shape  # one rate error per population
PYEOF
then pass "nsga2 over 8 rate errors: stopped + resumed = uninterrupted"; else fail "nsga2 resume differs"; fi
if diff <(cut -d, -f1-6 "$work/ref/history.csv") <(cut -d, -f1-6 "$work/stop/history.csv") >/dev/null; then
  pass "history.csv identical"; else fail "history.csv differs"; fi

"$SNNFIT" run "$ex/microcircuit_fit.toml" --out "$work/ga" --generations 1 "${short[@]}" >"$work/log" 2>&1 ||
  fail "ga: $(cat "$work/log")"
if $PY - "$work/ga/result.h5" <<'PYEOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
p, lo, hi = f["best/parameters"][:], f["parameters/lo"][:], f["parameters/hi"][:]
assert len(p) == 3 and np.all(p >= lo) and np.all(p <= hi), (p, lo, hi)
PYEOF
then pass "ga fits bg_rate, g, l4e_factor in bounds"; else fail "ga result"; fi

expect_error "bad also path" 2 "also.*no projection named \"nope\"" -- run "$ex/microcircuit_fit.toml" --out "$work/x" \
  --set 'fit.parameters[1].also=["projections.nope.weight_scale"]'
finish
