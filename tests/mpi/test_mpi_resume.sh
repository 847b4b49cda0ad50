#!/usr/bin/env bash
# Stop and resume under `mpirun -n 3` end with the result of an uninterrupted run on
# threads (the reference): stops by generation limits, a stop by SIGUSR1 sent to
# mpirun (which forwards it to every rank; the master checkpoints, the workers keep
# serving until stopped, the job exits 75), and a run stopped on threads and resumed
# under MPI. Compared: result.h5 best and history, history.csv columns 1-6.
set -uo pipefail
source "$(dirname "$0")/signal_lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cfg=$SNNFIT_DATA/examples/single_cell_izhikevich.toml
common=(--quiet --set optimizer.islands=3 --set optimizer.population=12 --set checkpoint.every=2
        --set optimizer.termination.target=0)
mpi=("$MPIRUN" --oversubscribe -n 3 "$SNNFIT" run "$cfg" --threads 1 "${common[@]}")
G=12
status=0
fail() { echo "FAIL: $*"; status=1; }
same() {
  diff <(cut -d, -f1-6 "$1/history.csv") <(cut -d, -f1-6 "$2/history.csv") >/dev/null &&
  /usr/bin/python3 - "$1/result.h5" "$2/result.h5" <<'PY'
import sys, h5py, numpy as np
a, b = (h5py.File(p, "r") for p in sys.argv[1:])
for k in ["best/parameters", "best/objectives", "best/search", "history/best", "history/mean", "history/std",
          "history/evaluations", "history/islands/best", "best/spikes/cell/times", "best/spikes/cell/offsets"]:
    assert np.array_equal(a[k][:], b[k][:], equal_nan=True), k
assert a.attrs["evaluations"] == b.attrs["evaluations"]
PY
}

"$SNNFIT" run "$cfg" --out "$work/ref" --generations $G --threads 2 "${common[@]}" >/dev/null 2>&1 || { echo "FAIL: reference"; exit 1; }

# Two stops by limit, under MPI throughout.
for g in 3 7 $G; do
  "${mpi[@]}" --out "$work/limits" --generations $g --resume auto >"$work/log" 2>&1 || fail "mpirun to $g: $(cat "$work/log")"
done
same "$work/ref" "$work/limits" && echo "ok: mpirun -n 3, 2 stops + resumes = uninterrupted" || fail "limits: differ"

# Stopped on threads, resumed under MPI.
"$SNNFIT" run "$cfg" --out "$work/mixed" --generations 5 --threads 2 "${common[@]}" >/dev/null 2>&1 || fail "threads part"
"${mpi[@]}" --out "$work/mixed" --generations $G --resume auto >"$work/log" 2>&1 || fail "mpi part: $(cat "$work/log")"
same "$work/ref" "$work/mixed" && echo "ok: threads stop, mpirun -n 3 resume = uninterrupted" || fail "mixed: differ"

# SIGUSR1 to mpirun once the first checkpoint exists.
"${mpi[@]}" --out "$work/signal" --generations $G --set simulation.duration=1200 >"$work/siglog" 2>&1 &
usr1_once_checkpointed $! "$work/signal"; rc=$?
ref2=$work/ref2
"$SNNFIT" run "$cfg" --out "$ref2" --generations $G --threads 2 "${common[@]}" --set simulation.duration=1200 >/dev/null 2>&1 ||
  fail "reference 2"
if [ $rc -eq 75 ]; then
  echo "ok: SIGUSR1 under mpirun: exit 75"
  grep -q "interrupted by SIGUSR1" "$work/siglog" || fail "not named in the log: $(cat "$work/siglog")"
  [ -e "$work/signal/result.h5" ] && fail "interrupted run wrote result.h5"
  "${mpi[@]}" --out "$work/signal" --generations $G --resume auto --set simulation.duration=1200 >"$work/log" 2>&1 ||
    fail "resume after SIGUSR1: $(cat "$work/log")"
  same "$ref2" "$work/signal" && echo "ok: SIGUSR1 + resume under mpirun -n 3 = uninterrupted" || fail "signal: differ"
elif [ $rc -eq 0 ]; then
  echo "note: the run ended before the signal arrived; signal path not exercised"
else
  fail "SIGUSR1: mpirun exit $rc: $(tail -5 "$work/siglog")"
fi
exit $status
