#!/usr/bin/env bash
# data/examples/zdt1_mixed_islands.toml (a built-in problem; NSGA-II x2, jDE and CMA-ES
# islands, migrating) is bit-identical on 1 rank (threads) and on 2 and 3 ranks: workers build
# the problem from the broadcast config text through the same parse_fit_config.
set -uo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cfg=$SNNFIT_DATA/examples/zdt1_mixed_islands.toml
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
