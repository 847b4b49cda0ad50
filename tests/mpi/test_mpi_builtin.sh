#!/usr/bin/env bash
# data/examples/zdt1_mixed_islands.toml (a built-in problem; NSGA-II x2, jDE and CMA-ES
# islands, migrating) is bit-identical on 1 rank (threads) and on 2 and 3 ranks: workers build
# the problem from the broadcast config text through the same parse_fit_config; and on 3
# ranks in island groups (--group-size 1 and 2, with and without --async-groups), where
# the NSGA-II islands' Pareto-aware migration crosses groups.
set -uo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cfg=$SNNFIT_DATA/examples/zdt1_mixed_islands.toml
args=(run "$cfg" --quiet)
"$SNNFIT" "${args[@]}" --out "$work/threads" --threads 2 >/dev/null || { echo "FAIL: threads run"; exit 1; }
status=0
for layout in 2 3 "3 --group-size 1" "3 --group-size 2" "3 --group-size 1 --async-groups"; do
  read -r n extra <<<"$layout"
  name=np${layout// /_}
  # shellcheck disable=SC2086
  "$MPIRUN" --oversubscribe -n "$n" "$SNNFIT" "${args[@]}" --out "$work/$name" --threads 1 $extra >/dev/null ||
    { echo "FAIL: mpirun -n $layout"; status=1; continue; }
  if diff <(cut -d, -f1-6 "$work/threads/history.csv") <(cut -d, -f1-6 "$work/$name/history.csv") >/dev/null &&
     /usr/bin/python3 - "$work/threads/result.h5" "$work/$name/result.h5" <<'PY'
import sys, h5py, numpy as np
a, b = (h5py.File(p, "r") for p in sys.argv[1:])
for k in ["best/parameters", "best/objectives", "history/best", "history/mean", "pareto/parameters",
          "pareto/objectives", "pareto/ids"]:
    assert np.array_equal(a[k][:], b[k][:], equal_nan=True), k
PY
  then echo "ok: -n $layout identical to threads"; else echo "FAIL: -n $layout differs from threads"; status=1; fi
done
exit $status
