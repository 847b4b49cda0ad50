#!/usr/bin/env bash
# Stop and resume: the reference is a run never stopped. A run stopped three times by
# generation limits and resumed with --resume auto, and a run stopped by a real SIGTERM
# (then SIGINT while the checkpoint is written) and resumed, end with the same
# result.h5 (best, history except wall clock, final checkpoint populations) and the same
# history.csv columns 1-6. The interrupted run exits 75 and writes no result.
source "$(dirname "$0")/lib.sh"
cfg=$SNNFIT_DATA/examples/single_cell_izhikevich.toml
common=(--quiet --threads 2 --set optimizer.islands=3 --set optimizer.population=12 --set checkpoint.every=3
        --set optimizer.termination.target=0)

# Compares two output directories: result.h5 and the newest checkpoint's islands.
same_results() {
  $PY - "$1" "$2" <<'PY'
import sys, glob, h5py, numpy as np
a, b = sys.argv[1:]
ra, rb = h5py.File(a + "/result.h5", "r"), h5py.File(b + "/result.h5", "r")
assert ra.attrs["generations"] == rb.attrs["generations"], "generations"
assert ra.attrs["evaluations"] == rb.attrs["evaluations"], "evaluations"
keys = ["best/parameters", "best/search", "best/objectives", "history/generation", "history/evaluations",
        "history/best", "history/mean", "history/std", "history/invalid", "history/islands/best",
        "history/islands/mean", "history/islands/evaluations"]
for k in keys:
    assert np.array_equal(ra[k][:], rb[k][:], equal_nan=True), k
for k in ["fitness", "id", "generation", "island"]:
    assert ra["best"].attrs[k] == rb["best"].attrs[k], "best." + k
pa, pb = ra["best/spikes/cell"], rb["best/spikes/cell"]
assert np.array_equal(pa["times"][:], pb["times"][:]) and np.array_equal(pa["offsets"][:], pb["offsets"][:])
ca, cb = (h5py.File(sorted(glob.glob(d + "/checkpoints/ckpt-*.h5"))[-1], "r") for d in (a, b))
for k in range(ca["islands"].attrs["count"]):
    for n in ["population", "objectives", "fitness", "ids", "status", "rng", "operator_state"]:
        x, y = ca[f"islands/{k}/{n}"][:], cb[f"islands/{k}/{n}"][:]
        assert np.array_equal(x, y, equal_nan=True), f"islands/{k}/{n}"
for n in ["migration_rng", "next_id", "generation", "evaluations"]:
    assert np.array_equal(ca["state/" + n][:], cb["state/" + n][:]), "state/" + n
PY
}
same_csv() { diff <(cut -d, -f1-6 "$1/history.csv") <(cut -d, -f1-6 "$2/history.csv") >/dev/null; }

G=14
"$SNNFIT" run "$cfg" --out "$work/ref" --generations $G "${common[@]}" >/dev/null 2>&1 || fail "reference run"

# Three stops by limit, each resumed with a larger one.
d=$work/stops
"$SNNFIT" run "$cfg" --out "$d" --generations 4 --resume auto "${common[@]}" >/dev/null 2>&1 || fail "stop 1"
for g in 7 11 $G; do
  "$SNNFIT" run "$cfg" --out "$d" --generations $g --resume auto "${common[@]}" >"$work/log" 2>&1 ||
    fail "resume to $g: $(cat "$work/log")"
done
if same_results "$work/ref" "$d"; then pass "3 stops + resumes: result.h5 identical"; else fail "3 stops: result.h5 differs"; fi
if same_csv "$work/ref" "$d"; then pass "3 stops + resumes: history.csv identical"; else fail "3 stops: history.csv differs"; fi
n=$(ls "$d/checkpoints" | wc -l)
[ "$n" -eq 3 ] && pass "keep = 3 checkpoints" || fail "expected 3 checkpoints, found $n"

# A real SIGTERM after the first checkpoint exists, a SIGINT right after it.
d=$work/signal
"$SNNFIT" run "$cfg" --out "$d" --generations $G "${common[@]}" --set checkpoint.every=2 \
  --set simulation.duration=600 >"$work/siglog" 2>&1 &
pid=$!
for _ in $(seq 1 1000); do
  ls "$d/checkpoints/"ckpt-*.h5 >/dev/null 2>&1 && break
  sleep 0.01
done
kill -TERM $pid 2>/dev/null
kill -INT $pid 2>/dev/null
wait $pid; rc=$?
if [ $rc -eq 75 ]; then
  pass "SIGTERM: exit 75"
  grep -q "interrupted by SIGTERM" "$work/siglog" && pass "SIGTERM: named in the log" || fail "log: $(cat "$work/siglog")"
  [ ! -e "$d/result.h5" ] && pass "SIGTERM: no result written" || fail "SIGTERM: result.h5 written"
  "$SNNFIT" run "$cfg" --out "$d" --generations $G --resume auto "${common[@]}" --set checkpoint.every=2 \
    >"$work/log" 2>&1 || fail "resume after SIGTERM: $(cat "$work/log")"
  grep -q "resuming from" "$work/log" || true
  if same_results "$work/ref" "$d" && same_csv "$work/ref" "$d"; then pass "SIGTERM + resume: identical";
  else fail "SIGTERM + resume: differs"; fi
elif [ $rc -eq 0 ] || { [ $rc -gt 128 ] && [ -s "$d/history.csv" ] &&
                         [ "$(wc -l <"$d/history.csv")" -eq "$(wc -l <"$work/ref/history.csv")" ]; }; then
  # The run had finished every generation before the signal came (a loaded machine can
  # delay this script's polling): it ended normally, or the signal met the default
  # handler after the run's own had been restored, at exit. Correct either way.
  echo "note: the run ended before the signal arrived (exit $rc); signal path not exercised"
else
  fail "SIGTERM: exit $rc: $(cat "$work/siglog")"
fi

# Resuming a finished run with the same limits changes nothing.
"$SNNFIT" run "$cfg" --out "$work/stops" --generations $G --resume auto "${common[@]}" >/dev/null 2>&1 ||
  fail "resume of a finished run"
same_results "$work/ref" "$work/stops" && pass "resume of a finished run: unchanged" || fail "finished run changed"

# A changed config is refused, naming every difference; limits may change.
expect_error "changed config refused" 2 "cannot resume from .*ckpt-0000$((G + 1)).h5.*optimizer.population: 12 -> 10; simulation.dt: 0.1 -> 0.05" \
  -- run "$cfg" --out "$work/stops" --resume auto "${common[@]}" --set optimizer.population=10 --set simulation.dt=0.05 \
  --generations 30
expect_error "explicit missing checkpoint" 2 "nope.h5: no such file" -- run "$cfg" --out "$work/x" --resume "$work/nope.h5"
expect_error "result is not a checkpoint" 2 "not a checkpoint \(kind \"result\"\)" \
  -- run "$cfg" --out "$work/x" --resume "$work/ref/result.h5"

# A checkpoint that cannot be written stops the run with status 3 (the input was fine).
mkdir -p "$work/bad" && touch "$work/bad/checkpoints"
expect_error "checkpoint not writable: exit 3" 3 "cannot create the checkpoint directory" \
  -- run "$cfg" --out "$work/bad" --generations 2 "${common[@]}"

# Damage: a truncated newest checkpoint and a corrupted chunk in the one before are named and
# skipped; the run resumes from the third and still ends identical.
d=$work/stops
files=($(ls "$d/checkpoints/"ckpt-*.h5 | sort -r))
truncate -s 2000 "${files[0]}"
$PY - "${files[1]}" <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
off = f["islands/0/population"].id.get_chunk_info(0).byte_offset
f.close()
with open(sys.argv[1], "r+b") as fh:
    fh.seek(off + 8); b = fh.read(1); fh.seek(off + 8); fh.write(bytes([b[0] ^ 0xFF]))
PY
"$SNNFIT" run "$cfg" --out "$d" --generations $G --resume auto "${common[@]}" >"$work/log" 2>"$work/err" ||
  fail "resume past damaged files: $(cat "$work/err")"
grep -q "skipping damaged checkpoint: ${files[0]}" "$work/err" && pass "truncated checkpoint named" ||
  fail "truncated not named: $(cat "$work/err")"
grep -q "skipping damaged checkpoint: ${files[1]}.*islands/0/population" "$work/err" &&
  pass "corrupted checkpoint named with the object" || fail "corrupted not named: $(cat "$work/err")"
grep -q "resuming from ${files[2]}" "$work/log" && pass "resumed from the third" || fail "log: $(cat "$work/log")"
same_results "$work/ref" "$d" && same_csv "$work/ref" "$d" && pass "after damage: identical" || fail "after damage: differs"
finish
