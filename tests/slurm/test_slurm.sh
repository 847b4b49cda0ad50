#!/usr/bin/env bash
# The job scripts of scripts/slurm/ on a real one-node SLURM (scripts/slurm/local_slurm.sh):
#  1. the single-node template runs the example fit and gives the same result as a
#     direct run;
#  2. the long-run template, preempted twice (scancel --signal=USR1 --batch, i.e. the
#     wall-time warning), requeues itself, resumes, and ends bit-identical to an
#     uninterrupted run;
#  3. an array of 3 seeds gives 3 results;
#  4. a bad config ends with one clear line in the job's output and FAILED in SLURM's
#     job records.
set -uo pipefail
: "${SNNFIT:?}" "${SNNFIT_SOURCE:?}"
if ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  echo "SKIP: slurm-wlm and munge are not installed (scripts/setup.sh --slurm)"; exit 77
fi
src=$SNNFIT_SOURCE
work=$(mktemp -d /tmp/snnfit-slurm-test.XXXX)
sdir=$work/slurm
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
cleanup() { "$src/scripts/slurm/local_slurm.sh" stop "$sdir"; rm -rf "$work"; }
trap cleanup EXIT
# Test harness only: Open MPI refuses root without these.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
eval "$("$src/scripts/slurm/local_slurm.sh" start "$sdir")" || { echo "FAIL: cannot start SLURM"; exit 1; }
export SNNFIT

# Waits until job $1 has left the queue (completed, failed or cancelled), at most $2 s.
wait_gone() {
  local job=$1 limit=$2 t=0
  while squeue -h -j "$job" 2>/dev/null | grep -q .; do
    sleep 1; t=$((t + 1))
    [ "$t" -lt "$limit" ] || { echo "timeout waiting for job $job"; scancel "$job"; return 1; }
  done
}
# The state SLURM recorded for job $1 (JobState=... in the jobcomp file; the last record).
job_state() { grep "JobId=$1 " "$sdir/log/jobcomp.txt" | tail -1 | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'; }
# Compares two fit outputs: reproducible history columns and the best parameters.
same_result() {
  diff <(cut -d, -f1-6 "$1/history.csv") <(cut -d, -f1-6 "$2/history.csv") >/dev/null &&
    /usr/bin/python3 - "$1/result.h5" "$2/result.h5" <<'PY'
import sys, h5py, numpy as np
a, b = (h5py.File(p, "r") for p in sys.argv[1:])
for k in ["best/parameters", "best/objectives", "history/best", "history/mean", "history/std"]:
    assert np.array_equal(a[k][:], b[k][:], equal_nan=True), k
PY
}

# ---- 1. single-node template
cell=$src/data/examples/single_cell_izhikevich.toml
small=(--generations 6 --set optimizer.population=16)
"$SNNFIT" run "$cell" --out "$work/ref1" --threads 2 --quiet "${small[@]}" >/dev/null
job=$(CONFIG=$cell OUT=$work/job1 EXTRA_ARGS="--quiet ${small[*]}" \
  sbatch --parsable --ntasks=2 --output="$work/job1.out" "$src/scripts/slurm/snnfit_single_node.sbatch")
wait_gone "$job" 120
if [ "$(job_state "$job")" = COMPLETED ] && same_result "$work/ref1" "$work/job1"; then pass "single-node template"; else
  fail "single-node template (state $(job_state "$job")): $(tail -5 "$work/job1.out")"; fi

# ---- 2. preempted twice, requeued, resumed: identical to an uninterrupted run
net=$src/data/examples/ei_network.toml
# Long enough (60 generations, several seconds) that each preemption below lands while a
# run is still going, with this script polling every 0.5 s on a loaded machine.
long=(--generations 60 --set checkpoint.every=1 --set optimizer.population=16)
"$SNNFIT" run "$net" --out "$work/ref2" --threads 2 --quiet "${long[@]}" >/dev/null
job=$(CONFIG=$net OUT=$work/job2 EXTRA_ARGS="--quiet ${long[*]}" \
  sbatch --parsable --ntasks=2 --output="$work/job2.out" "$src/scripts/slurm/snnfit_requeue.sbatch")
newest_gen() { ls "$work/job2/checkpoints" 2>/dev/null | sed -n 's/^ckpt-0*\([0-9][0-9]*\)\.h5$/\1/p' | sort -n | tail -1; }
preempted=0
for round in 1 2; do
  # Wait for a checkpoint newer than the last preemption, then send the warning signal.
  before=$(newest_gen); before=${before:--1}
  for _ in $(seq 240); do
    now=$(newest_gen); now=${now:--1}
    if [ "$now" -gt "$before" ] && squeue -h -j "$job" -t RUNNING | grep -q .; then
      scancel --signal=USR1 --batch "$job" && preempted=$((preempted + 1))
      break
    fi
    sleep 0.5
  done
  # Wait until the job has been requeued and runs again (or has finished).
  for _ in $(seq 120); do
    grep -q "requeueing job" "$work/job2.out" 2>/dev/null && [ "$(grep -c 'requeueing job' "$work/job2.out")" -ge "$round" ] && break
    sleep 0.5
  done
done
wait_gone "$job" 300
runs=$(grep -c "^snnfit_requeue: job $job run" "$work/job2.out")
if [ "$preempted" -eq 2 ] && [ "$runs" -ge 3 ] && [ "$(job_state "$job")" = COMPLETED ] && same_result "$work/ref2" "$work/job2"; then
  pass "preempted twice, requeued, resumed: bit-identical to an uninterrupted run"
else
  fail "requeue (preempted $preempted, runs $runs, state $(job_state "$job")): $(tail -8 "$work/job2.out")"
fi

# ---- 3. an array of 3 seeds
job=$(CONFIG=$cell OUT_ROOT=$work/array EXTRA_ARGS="--quiet ${small[*]}" \
  sbatch --parsable --array=1-3 --ntasks=2 --output="$work/array-%a.out" "$src/scripts/slurm/snnfit_array.sbatch")
wait_gone "$job" 240
if /usr/bin/python3 - "$work/array" <<'PY'
import sys, h5py
seeds = sorted(int(h5py.File(f"{sys.argv[1]}/task-{k}/result.h5", "r").attrs["run_seed"]) for k in (1, 2, 3))
assert seeds == [1, 2, 3], seeds
PY
then pass "array of 3 seeds: 3 results"; else fail "array: $(ls -R "$work/array" 2>&1 | head)"; fi

# ---- 4. a bad config: a clear message in the output file, FAILED in SLURM's records
printf '[simulation]\ndt = "fast"\n' >"$work/bad.toml"
job=$(CONFIG=$work/bad.toml OUT=$work/bad sbatch --parsable --ntasks=2 --output="$work/bad.out" \
  "$src/scripts/slurm/snnfit_single_node.sbatch")
wait_gone "$job" 120
if [ "$(job_state "$job")" = FAILED ] && grep -q "bad.toml:2: simulation.dt: expected a number > 0" "$work/bad.out" &&
   [ "$(grep -c '^snnfit: error' "$work/bad.out")" -eq 1 ]; then pass "bad config: FAILED with one clear line"; else
  fail "bad config (state $(job_state "$job")): $(cat "$work/bad.out")"; fi

[ "$failures" -eq 0 ] && echo "all passed" || { echo "$failures failed"; exit 1; }
