#!/usr/bin/env bash
# Island groups (--group-size): sub-masters running their share of the islands give the
# result of the one-process run. The reference is `snnfit run --threads 2` (no MPI, one
# optimizer holding every island); compared: history.csv columns 1-6, result.h5 best and
# history, and every dataset of the final checkpoint's /islands and /best (populations,
# objectives, ids, RNG states) and /state's counters and migration RNG.
# Cases: -n 3 groups of 2 (group 1 = a sub-master without workers), -n 4 groups of 2,
# -n 3 and -n 4 groups of 1 (every rank a sub-master), with ring and with random migration
# every 2 generations; a run stopped under one group size and resumed under another (and
# from threads); SIGUSR1 with groups; asynchronous groups (--async-groups); bad group sizes
# and too few islands (one line, exit 2, no hang).
set -uo pipefail
source "$(dirname "$0")/signal_lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cfg=$SNNFIT_DATA/examples/single_cell_izhikevich.toml
G=6
common=(--quiet --set optimizer.islands=4 --set optimizer.population=12
        --set optimizer.migration.interval=2 --set optimizer.termination.target=0)
random=(--set optimizer.migration.topology=random --set optimizer.migration.policy=random)
status=0
fail() { echo "FAIL: $*"; status=1; }
T() { timeout 300 "$@"; }
same() {
  diff <(cut -d, -f1-6 "$1/history.csv") <(cut -d, -f1-6 "$2/history.csv") >/dev/null || { echo "history.csv differs"; return 1; }
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys, glob, os, h5py, numpy as np
a_dir, b_dir = sys.argv[1:]
a, b = (h5py.File(os.path.join(d, "result.h5"), "r") for d in (a_dir, b_dir))
for k in ["best/parameters", "best/objectives", "best/search", "history/best", "history/mean", "history/std",
          "history/evaluations", "history/islands/best", "best/spikes/cell/times", "best/spikes/cell/offsets"]:
    assert np.array_equal(a[k][:], b[k][:], equal_nan=True), k
assert a.attrs["evaluations"] == b.attrs["evaluations"]
last = lambda d: sorted(glob.glob(os.path.join(d, "checkpoints", "ckpt-*.h5")))[-1]
ca, cb = h5py.File(last(a_dir), "r"), h5py.File(last(b_dir), "r")
assert os.path.basename(last(a_dir)) == os.path.basename(last(b_dir))
def walk(g, out, prefix):
    for k, v in g.items():
        if isinstance(v, h5py.Dataset): out[prefix + k] = v[()]
        else: walk(v, out, prefix + k + "/")
for grp in ["islands", "best"]:
    da, db = {}, {}
    walk(ca[grp], da, grp + "/"); walk(cb[grp], db, grp + "/")
    assert da.keys() == db.keys(), grp
    for k in da:
        assert np.array_equal(np.asarray(da[k]), np.asarray(db[k]), equal_nan=True), k
for k in ["generation", "evaluations", "next_id", "migration_rng"]:
    if k in ca["state"]:
        assert np.array_equal(ca["state"][k][()], cb["state"][k][()]), "state/" + k
PY
}

for mig in ring random; do
  extra=(); [ $mig = random ] && extra=("${random[@]}")
  T "$SNNFIT" run "$cfg" --out "$work/ref-$mig" --generations $G --threads 2 "${common[@]}" "${extra[@]}" >/dev/null 2>&1 ||
    { fail "reference ($mig)"; continue; }
  for layout in "3 2" "4 2" "3 1" "4 1"; do
    set -- $layout; n=$1; r=$2
    out=$work/np$n-g$r-$mig
    if T "$MPIRUN" -n "$n" "$SNNFIT" run "$cfg" --out "$out" --generations $G --group-size "$r" --threads 1 "${common[@]}" "${extra[@]}" \
        >"$work/log" 2>&1; then
      same "$work/ref-$mig" "$out" && echo "ok: -n $n --group-size $r ($mig migration) identical to threads" ||
        fail "-n $n --group-size $r ($mig migration) differs from threads"
    else
      fail "-n $n --group-size $r: $(tail -3 "$work/log")"
    fi
  done
done

# Stopped under one layout, resumed under another: the answer of the uninterrupted run.
T "$MPIRUN" -n 4 "$SNNFIT" run "$cfg" --out "$work/resume" --generations 3 --group-size 2 --threads 1 "${common[@]}" >/dev/null 2>&1 ||
  fail "resume: part 1"
T "$MPIRUN" -n 3 "$SNNFIT" run "$cfg" --out "$work/resume" --generations 5 --group-size 1 --resume auto --threads 1 "${common[@]}" \
  >"$work/log" 2>&1 || fail "resume: part 2: $(tail -3 "$work/log")"
T "$MPIRUN" -n 3 "$SNNFIT" run "$cfg" --out "$work/resume" --generations $G --resume auto --threads 1 "${common[@]}" \
  >"$work/log" 2>&1 || fail "resume: part 3: $(tail -3 "$work/log")"
same "$work/ref-ring" "$work/resume" && echo "ok: groups of 2 on 4 ranks -> groups of 1 on 3 -> one group on 3 = uninterrupted" ||
  fail "resume across group sizes differs"
T "$SNNFIT" run "$cfg" --out "$work/mixed" --generations 3 --threads 2 "${common[@]}" >/dev/null 2>&1 || fail "mixed: threads part"
T "$MPIRUN" -n 4 "$SNNFIT" run "$cfg" --out "$work/mixed" --generations $G --group-size 2 --resume auto --threads 1 "${common[@]}" \
  >"$work/log" 2>&1 || fail "mixed: groups part: $(tail -3 "$work/log")"
same "$work/ref-ring" "$work/mixed" && echo "ok: threads -> groups of 2 on 4 ranks = uninterrupted" || fail "mixed: differs"

# SIGUSR1 to mpirun with groups: rank 0 decides, every group checkpoints and stops, exit 75.
slow=(--set simulation.duration=1200 --set checkpoint.every=1)
T "$SNNFIT" run "$cfg" --out "$work/ref-slow" --generations $G --threads 2 "${common[@]}" "${slow[@]}" >/dev/null 2>&1 ||
  fail "reference (slow)"
"$MPIRUN" -n 3 "$SNNFIT" run "$cfg" --out "$work/signal" --generations $G --group-size 2 --threads 1 "${common[@]}" "${slow[@]}" \
  >"$work/siglog" 2>&1 &
usr1_once_checkpointed $! "$work/signal"; rc=$?
if [ $rc -eq 75 ]; then
  T "$MPIRUN" -n 4 "$SNNFIT" run "$cfg" --out "$work/signal" --generations $G --group-size 2 --resume auto --threads 1 "${common[@]}" \
    "${slow[@]}" >"$work/log" 2>&1 || fail "resume after SIGUSR1: $(tail -3 "$work/log")"
  same "$work/ref-slow" "$work/signal" && echo "ok: SIGUSR1 with groups: exit 75, resumed = uninterrupted" ||
    fail "signal: differs"
elif [ $rc -eq 0 ]; then
  echo "note: the run ended before the signal arrived; signal path not exercised"
else
  fail "SIGUSR1: mpirun exit $rc: $(tail -5 "$work/siglog")"
fi

# Asynchronous groups (--async-groups) need a generation limit alone: the example without
# its target. Synchronised only at migrations (every 3), checkpoints, every 10th generation
# and the limit; the same answer, also resumed under another layout (and with a target,
# where they fall back to every generation).
nt=$work/single_cell_no_target.toml
sed '/^target = 0.001/d' "$cfg" >"$nt"
acommon=(--quiet --set optimizer.islands=4 --set optimizer.population=12 --set optimizer.migration.interval=3)
A=12
T "$SNNFIT" run "$nt" --out "$work/ref-async" --generations $A --threads 2 "${acommon[@]}" >/dev/null 2>&1 || fail "reference (async)"
for layout in "3 2" "4 1" "4 2"; do
  set -- $layout; n=$1; r=$2
  out=$work/async-np$n-g$r
  if T "$MPIRUN" -n "$n" "$SNNFIT" run "$nt" --out "$out" --generations $A --group-size "$r" --async-groups --threads 1 \
      "${acommon[@]}" >"$work/log" 2>&1; then
    same "$work/ref-async" "$out" && echo "ok: -n $n --group-size $r --async-groups identical to threads" ||
      fail "-n $n --group-size $r --async-groups differs from threads"
  else
    fail "-n $n --group-size $r --async-groups: $(tail -3 "$work/log")"
  fi
done
T "$MPIRUN" -n 4 "$SNNFIT" run "$nt" --out "$work/async-resume" --generations 5 --group-size 2 --async-groups --threads 1 \
  "${acommon[@]}" --set checkpoint.every=4 >/dev/null 2>&1 || fail "async resume: part 1"
T "$MPIRUN" -n 3 "$SNNFIT" run "$nt" --out "$work/async-resume" --generations $A --group-size 1 --async-groups --threads 1 \
  --resume auto "${acommon[@]}" --set checkpoint.every=4 >"$work/log" 2>&1 || fail "async resume: part 2: $(tail -3 "$work/log")"
same "$work/ref-async" "$work/async-resume" &&
  echo "ok: --async-groups, 2 groups of 2 stopped at 5, resumed as 3 groups of 1 = uninterrupted" || fail "async resume differs"
# SIGUSR1 with --async-groups: acted on at the next synchronisation point (checkpoints every
# 2 generations here), then resumable to the uninterrupted answer.
aslow=(--set simulation.duration=1200 --set checkpoint.every=2)
T "$SNNFIT" run "$nt" --out "$work/ref-async-slow" --generations $A --threads 2 "${acommon[@]}" "${aslow[@]}" \
  >/dev/null 2>&1 || fail "reference (async, slow)"
"$MPIRUN" -n 4 "$SNNFIT" run "$nt" --out "$work/async-signal" --generations $A --group-size 2 --async-groups \
  --threads 1 "${acommon[@]}" "${aslow[@]}" >"$work/siglog" 2>&1 &
usr1_once_checkpointed $! "$work/async-signal"; rc=$?
if [ $rc -eq 75 ]; then
  T "$MPIRUN" -n 3 "$SNNFIT" run "$nt" --out "$work/async-signal" --generations $A --group-size 1 --async-groups \
    --resume auto --threads 1 "${acommon[@]}" "${aslow[@]}" >"$work/log" 2>&1 ||
    fail "resume after SIGUSR1 (async): $(tail -3 "$work/log")"
  same "$work/ref-async-slow" "$work/async-signal" &&
    echo "ok: SIGUSR1 with --async-groups: exit 75, resumed = uninterrupted" || fail "async signal: differs"
elif [ $rc -eq 0 ]; then
  echo "note: the async run ended before the signal arrived; signal path not exercised"
else
  fail "SIGUSR1 (async): mpirun exit $rc: $(tail -5 "$work/siglog")"
fi

if T "$MPIRUN" -n 3 "$SNNFIT" run "$cfg" --out "$work/async-target" --generations $G --group-size 2 --async-groups \
    --threads 1 "${common[@]}" >"$work/log" 2>&1; then
  same "$work/ref-ring" "$work/async-target" && echo "ok: --async-groups with a target limit (every generation) identical" ||
    fail "--async-groups with a target differs"
else
  fail "--async-groups with a target: $(tail -3 "$work/log")"
fi

# Bad layouts and outputs: one line from rank 0, exit 2, every rank gone (timeout: no hang).
bad() {  # expected-message n args...
  local msg=$1 n=$2; shift 2
  timeout 60 "$MPIRUN" -n "$n" "$SNNFIT" run "$cfg" --out "${BAD_OUT:-$work/bad}" --threads 1 "${common[@]}" "$@" >"$work/out.txt" 2>"$work/err.txt"
  local rc=$? lines
  lines=$(grep -c "snnfit" "$work/err.txt")
  if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -q -- "$msg" "$work/err.txt" && [ ! -e "$work/bad/result.h5" ]; then
    echo "ok: -n $n $*: one message, exit 2, no hang"
  else
    fail "-n $n $*: exit $rc, $lines lines: $(cat "$work/err.txt")"
  fi
}
bad "--group-size 4: expected 1 to 3 ranks per group" 3 --group-size 4
bad "optimizer.islands: 3 islands for 4 island groups" 4 --group-size 1 --set optimizer.islands=3
# An output directory rank 0 cannot create: every group learns it before the first exchange.
touch "$work/file"
BAD_OUT=$work/file/out bad "cannot create the output directory" 3 --group-size 2
exit $status
