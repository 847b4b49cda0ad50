#!/usr/bin/env bash
# A built-in problem run with one island of each algorithm (NSGA-II x2, jDE, CMA-ES,
# migrating) is bit-identical on 1 rank (threads) and on 2 and 3 ranks: workers build
# the problem from the broadcast config text through the same parse_fit_config.
set -uo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cfg=$work/mixed.toml
cat >"$cfg" <<'TOML'
[problem]
builtin = "zdt1"
dimension = 12
[optimizer]
population = 12
[[optimizer.island]]
algorithm = "nsga2"
[[optimizer.island]]
algorithm = "nsga2"
[[optimizer.island]]
algorithm = "de"
de_variant = "jde"
[[optimizer.island]]
algorithm = "cmaes"
[optimizer.migration]
interval = 3
migrants = 2
[optimizer.termination]
generations = 10
TOML
args=(run "$cfg" --quiet)
"$SNNFIT" "${args[@]}" --out "$work/threads" --threads 2 >/dev/null || { echo "FAIL: threads run"; exit 1; }
status=0
for n in 2 3; do
  "$MPIRUN" --oversubscribe -n "$n" "$SNNFIT" "${args[@]}" --out "$work/np$n" --threads 1 >/dev/null || { echo "FAIL: mpirun -n $n"; status=1; continue; }
  if diff <(cut -d, -f1-6 "$work/threads/history.csv") <(cut -d, -f1-6 "$work/np$n/history.csv") >/dev/null &&
     /usr/bin/python3 - "$work/threads/result.h5" "$work/np$n/result.h5" <<'PY'
import sys, h5py, numpy as np
a, b = (h5py.File(p, "r") for p in sys.argv[1:])
for k in ["best/parameters", "best/objectives", "history/best", "history/mean", "pareto/parameters",
          "pareto/objectives", "pareto/ids"]:
    assert np.array_equal(a[k][:], b[k][:], equal_nan=True), k
PY
  then echo "ok: $n ranks identical to threads"; else echo "FAIL: $n ranks differ from threads"; status=1; fi
done
exit $status
