#!/usr/bin/env bash
# MPI master/worker benchmarks (task #6); docs/scaling-model.md uses their figures.
#
# 1. Dispatch rate: mpi::MasterEvaluator + mpi::worker_loop (bench_dispatch throughput) on a
#    trivial objective (sum of a 4-vector), batches of BATCH (default 100 000) candidates,
#    2, 3, 4 ranks (1, 2, 3 workers; --oversubscribe), against DEAP's documented parallel map,
#    multiprocessing.Pool(W).map, with the same W workers, objective and batch
#    (pool_dispatch.py). Median evaluations/second over REPS batches after an untimed one.
#    Target: >= 100 000 evaluations/second.
# 2. The cost of one chunk of k candidates (bench_dispatch pingpong): round trip and the
#    master's own pack/unpack time, k = 1 ... 16384 (stderr; the scaling model's inputs).
# 3. Parallel efficiency of a real network fit (data/examples/ei_network.toml, GENS
#    generations, default 6): E = T1 / (2 T3), T1 = wall time of `snnfit run --threads 1`
#    (one process, one evaluation thread), T3 = wall time of `mpirun -n 3 snnfit run
#    --threads 1` (master + 2 workers of one thread each: the master only dispatches, so 2
#    cores compute). Minimum over REPS alternating runs. Also E_cpu = CPU(T1 run) / CPU(all
#    ranks of the T3 run): the work distribution adds (it does not see idle time at the
#    generation barrier). Wall-time efficiency needs two otherwise idle cores: the load
#    average is printed with it; on a shared machine it is a lower bound.
# Rows: benchmark, case, peer, peer figure, snnfit figure, unit, ratio (> 1 = snnfit better), command.
#   bench/mpi/run.sh      (SNNFIT_BUILD = a build dir with SNNFIT_BUILD_BENCH=ON; BATCH, REPS, GENS)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
build=${SNNFIT_BUILD:-$root/build/bench}
bench=$build/bench/mpi/bench_dispatch
snnfit=$build/apps/snnfit
if [ ! -x "$bench" ] || [ ! -x "$snnfit" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSNNFIT_BUILD_TESTS=OFF -DSNNFIT_BUILD_BENCH=ON >/dev/null
  cmake --build "$build" -j2 --target bench_dispatch snnfit >/dev/null
fi
# The harness runs as root in a container with 2 cores: allow both.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1
mpirun="mpirun --oversubscribe"
batch=${BATCH:-100000}
reps=${REPS:-5}
gens=${GENS:-6}
cmd="bench/mpi/run.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for n in 2 3 4; do
  w=$((n - 1))
  echo "bench/mpi: dispatch, $n ranks" >&2
  ours=$($mpirun -n "$n" "$bench" throughput "$batch" "$reps")
  peer=$(/usr/bin/python3 "$here/pool_dispatch.py" "$w" "$batch" "$reps")
  echo "  snnfit [$ours] (ranks workers batch best median messages/batch); Pool [$peer] (workers batch best median)" >&2
  awk -v o="$(cut -f5 <<<"$ours")" -v p="$(cut -f4 <<<"$peer")" -v n="$n" -v w="$w" -v b="$batch" -v c="$cmd" \
    'BEGIN { printf "mpi\tdispatch rate, trivial fitness, batch %d, %d ranks (%d workers), target >= 1e5\tDEAP map on multiprocessing.Pool(%d)\t%.3g\t%.3g\tevals/s\t%.2f\t%s\n", b, n, w, w, p, o, o/p, c }'
done

echo "bench/mpi: cost of one chunk of k candidates (k, rtt min us, rtt median us, master pack+unpack us)" >&2
$mpirun -n 2 "$bench" pingpong 200 | tee "$tmp/pingpong" | sed 's/^/  /' >&2

config=data/examples/ei_network.toml
run1() {
  /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$snnfit" run "$config" --out "$tmp/o1" --threads 1 --generations "$gens" >/dev/null 2>&1
  cat "$tmp/t"
  rm -rf "$tmp/o1"
}
run3() {
  /usr/bin/time -f "%e %U %S" -o "$tmp/t" $mpirun -n 3 "$snnfit" run "$config" --out "$tmp/o3" --threads 1 --generations "$gens" >/dev/null 2>&1
  cat "$tmp/t"
  rm -rf "$tmp/o3"
}
for r in $(seq 1 "${EFF_REPS:-3}"); do
  echo "bench/mpi: efficiency, $config, $gens generations, repetition $r" >&2
  run1 >>"$tmp/t1"
  run3 >>"$tmp/t3"
done
load=$(cut -d' ' -f1 /proc/loadavg)
sed 's/^/  T1 (wall user sys): /' "$tmp/t1" >&2
sed 's/^/  T3 (wall user sys): /' "$tmp/t3" >&2
/usr/bin/python3 - "$tmp" "$gens" "$load" "$cmd" <<'PY'
import sys
tmp, gens, load, cmd = sys.argv[1:5]
t1 = [list(map(float, l.split())) for l in open(tmp + "/t1") if l.strip()]
t3 = [list(map(float, l.split())) for l in open(tmp + "/t3") if l.strip()]
w1 = min(r[0] for r in t1); w3 = min(r[0] for r in t3)
c1 = min(r[1] + r[2] for r in t1); c3 = min(r[1] + r[2] for r in t3)
e = w1 / (2 * w3)
print("mpi\tparallel efficiency, ei_network.toml %s generations: T1 / (2 T3), wall, mpirun -n 3 "
      "(master + 2 workers) vs 1 thread; load average %s on 2 cores\ttarget (task #6)\t0.9\t%.3g\t"
      "efficiency\t%.2f\t%s" % (gens, load, e, e / 0.9, cmd))
print("mpi\twork added by distribution, ei_network.toml %s generations: CPU(1 thread) / CPU(3 ranks)"
      "\ttarget (task #6)\t0.9\t%.3g\tefficiency\t%.2f\t%s" % (gens, c1 / c3, c1 / c3 / 0.9, cmd))
PY
