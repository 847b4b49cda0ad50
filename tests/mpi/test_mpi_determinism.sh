#!/usr/bin/env bash
# The example fit is bit-identical on 1 rank (threads only) and on 2, 3 and 4 ranks:
# the same history (every reproducible column) and the same best parameters.
set -uo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cfg=$SNNFIT_DATA/examples/single_cell_izhikevich.toml
args=(run "$cfg" --generations 8 --quiet --set optimizer.population=24)
"$SNNFIT" "${args[@]}" --out "$work/threads" --threads 2 >/dev/null || { echo "FAIL: threads run"; exit 1; }
status=0
for n in 2 3 4; do
  "$MPIRUN" --oversubscribe -n "$n" "$SNNFIT" "${args[@]}" --out "$work/np$n" --threads 1 >/dev/null || { echo "FAIL: mpirun -n $n"; status=1; continue; }
  # Columns 1-6 are reproducible; 7-8 (evaluations per second, elapsed) are wall clock.
  if diff <(cut -d, -f1-6 "$work/threads/history.csv") <(cut -d, -f1-6 "$work/np$n/history.csv") >/dev/null &&
     /usr/bin/python3 - "$work/threads/result.h5" "$work/np$n/result.h5" <<'PY'
import sys, h5py, numpy as np
a, b = (h5py.File(p, "r") for p in sys.argv[1:])
for k in ["best/parameters", "best/objectives", "best/search", "history/best", "history/mean"]:
    assert np.array_equal(a[k][:], b[k][:], equal_nan=True), k
PY
  then echo "ok: $n ranks identical to threads"; else echo "FAIL: $n ranks differ from threads"; status=1; fi
done
exit $status
