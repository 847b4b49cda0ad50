#!/usr/bin/env bash
# MPI master/worker benchmarks (task #6); docs/scaling-model.md uses their figures.
#
# 1. Dispatch rate: mpi::MasterEvaluator + mpi::worker_loop (bench_dispatch throughput) on a
#    trivial objective (sum of a 4-vector), batches of BATCHES candidates (default 100 000 and
#    20 000: the master cuts a batch into chunks of about batch / (4 workers), and chunks of
#    more than a few thousand candidates, > ~0.3 MB, are slow on the wire), 2, 3, 4 ranks (1, 2, 3 workers; --oversubscribe), against DEAP's documented parallel map,
#    multiprocessing.Pool(W).map, with the same W workers, objective and batch
#    (pool_dispatch.py). Median evaluations/second over REPS batches after an untimed one.
#    Target: >= 100 000 evaluations/second.
# 2. The cost of one chunk of k candidates (bench_dispatch pingpong): round trip and the
#    master's own pack/unpack time, k = 1 ... 16384 (stderr; the scaling model's inputs).
# 3. Parallel efficiency of a real network fit (data/examples/ei_network.toml, GENS
#    generations, default 25): E = T1 / (2 T3), T1 = wall time of `snnfit run --threads 1`
#    (one process, one evaluation thread), T3 = wall time of `mpirun -n 3 snnfit run
#    --threads 1` (master + 2 workers of one thread each: the master only dispatches, so 2
#    cores compute; start-up included). Minimum over EFF_REPS (3) alternating runs. Beside
#    it, in the same runs: T2 = `snnfit run --threads 2` (the same two cores without MPI:
#    T1 / (2 T2) is what the machine allowed at the time, T2 / T3 what MPI costs against
#    threads), the same ratio for the generation loop alone (history.csv elapsed: no
#    start-up), and CPU(T1) / CPU(all ranks of T3), the work distribution adds. Wall-time
#    efficiency needs two otherwise idle cores: the load average is printed with it; on a
#    shared machine it is a lower bound.
# 4. Island groups (bench_dispatch groups): the whole generation loop on the trivial objective,
#    GROUP_ISLANDS (8) islands of GROUP_POP (500), 30 generations, on 4 ranks as one master +
#    3 workers (G = 1, --group-size 4) and as 2 groups of a sub-master + 1 worker (G = 2,
#    --group-size 2), and on 2 ranks as master + worker (G = 1) and as 2 sub-masters without
#    workers (G = 2): per generation, the (sub-)master's own serial time (GA + bookkeeping,
#    outside evaluate() and the exchanges), the time in the exchanges between groups, and the
#    evaluations per second of the whole loop; median over generations (the exchanges: mean),
#    minimum over GROUP_REPS (3) runs; and G = 2 with --async-groups (exchanges at
#    synchronisation points only). On 2 shared cores 4 ranks are oversubscribed: the exchange time then
#    includes waiting for the other group's turn on a core.
# Rows: benchmark, case, peer, peer figure, snnfit figure, unit, ratio (> 1 = snnfit better), command.
#   bench/mpi/run.sh      (SNNFIT_BUILD = a build dir with SNNFIT_BUILD_BENCH=ON; BATCHES, REPS, GENS,
#                          EFF_REPS, GROUP_ISLANDS, GROUP_POP, GROUP_REPS; ONLY=dispatch|groups|efficiency
#                          runs one part)
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
batches=${BATCHES:-100000 20000}
reps=${REPS:-5}
gens=${GENS:-25}
cmd="bench/mpi/run.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

only=${ONLY:-all}
[ "$only" = efficiency ] || [ "$only" = groups ] && batches=""
for batch in $batches; do for n in 2 3 4; do
  w=$((n - 1))
  echo "bench/mpi: dispatch, batch $batch, $n ranks" >&2
  ours=$($mpirun -n "$n" "$bench" throughput "$batch" "$reps")
  peer=$(/usr/bin/python3 "$here/pool_dispatch.py" "$w" "$batch" "$reps")
  echo "  snnfit [$ours] (ranks workers batch best median messages/batch); Pool [$peer] (workers batch best median)" >&2
  awk -v o="$(cut -f5 <<<"$ours")" -v p="$(cut -f4 <<<"$peer")" -v n="$n" -v w="$w" -v b="$batch" -v c="$cmd" \
    'BEGIN { printf "mpi\tdispatch rate, trivial fitness, batch %d, %d ranks (%d workers), median, target >= 1e5\tDEAP map on multiprocessing.Pool(%d)\t%.3g\t%.3g\tevals/s\t%.2f\t%s\n", b, n, w, w, p, o, o/p, c }'
done; done

if [ "$only" = all ] || [ "$only" = dispatch ]; then
  echo "bench/mpi: cost of one chunk of k candidates (k, rtt min us, rtt median us, master pack+unpack us)" >&2
  $mpirun -n 2 "$bench" pingpong 200 | sed 's/^/  /' >&2
fi
[ "$only" = dispatch ] && exit 0

if [ "$only" = all ] || [ "$only" = groups ]; then
  gi=${GROUP_ISLANDS:-8}; gp=${GROUP_POP:-500}
  for n in 4 2; do
    for r in $n $((n / 2)); do
      for _ in $(seq 1 "${GROUP_REPS:-3}"); do $mpirun -n "$n" "$bench" groups "$r" "$gi" "$gp" 30; done >"$tmp/g$n-$r"
      echo "  groups: $n ranks, --group-size $r (ranks groups islands batch gen_ms evaluate_ms serial_ms exchange_ms evals_per_s):" >&2
      sed 's/^/    /' "$tmp/g$n-$r" >&2
    done
    for _ in $(seq 1 "${GROUP_REPS:-3}"); do $mpirun -n "$n" "$bench" groups $((n / 2)) "$gi" "$gp" 30 async; done >"$tmp/a$n"
    echo "  groups: $n ranks, --group-size $((n / 2)) --async-groups:" >&2
    sed 's/^/    /' "$tmp/a$n" >&2
    /usr/bin/python3 - "$tmp/g$n-$n" "$tmp/g$n-$((n / 2))" "$n" "$cmd" "$tmp/a$n" <<'PY'
import sys
one, two, asy = ([list(map(float, l.split())) for l in open(p) if l.strip()] for p in sys.argv[1:3] + sys.argv[5:6])
n, cmd = sys.argv[3], sys.argv[4]
batch = int(one[0][3])
s1, s2 = min(r[6] for r in one), min(r[6] for r in two)
x2 = min(r[7] for r in two)  # mean exchange time per generation
r1, r2 = max(r[8] for r in one), max(r[8] for r in two)
w = "1 master + %d workers" % (int(n) - 1)
g2 = "2 sub-masters + 1 worker each" if n == "4" else "2 sub-masters without workers"
print("mpi\tmaster's serial time per generation (GA + bookkeeping), trivial fitness, batch %d, %s ranks: G = 2 (%s; "
      "exchanges %.3g ms besides) vs G = 1 (%s)\tone master (G = 1)\t%.3g\t%.3g\tms\t%.2f\t%s"
      % (batch, n, g2, x2, w, s1, s2, s1 / s2, cmd))
print("mpi\tgeneration loop, trivial fitness, batch %d, %s ranks: G = 2 (%s) vs G = 1 (%s)\tone master (G = 1)"
      "\t%.3g\t%.3g\tevals/s\t%.2f\t%s" % (batch, n, g2, w, r1, r2, r2 / r1, cmd))
xa, ga, g2m = min(r[7] for r in asy), min(r[4] for r in asy), min(r[4] for r in two)
print("mpi\texchanges between groups per generation (mean), batch %d, %s ranks, G = 2: --async-groups (synchronised at "
      "migrations, every 5) vs every generation; generation time (median) %.3g vs %.3g ms\tevery generation\t%.3g"
      "\t%.3g\tms\t%.2f\t%s" % (batch, n, ga, g2m, x2, xa, x2 / xa if xa > 0 else float("inf"), cmd))
PY
  done
fi
[ "$only" = groups ] && exit 0

config=data/examples/ei_network.toml
# One run: `timed NAME THREADS [LAUNCHER...]` appends "wall user sys loop" to $tmp/NAME
# (loop = the generation loop's wall time, history.csv elapsed at the last generation minus
# at generation 0: no start-up).
timed() {
  local name=$1 threads=$2
  shift 2
  rm -rf "$tmp/o"
  /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$@" "$snnfit" run "$config" --out "$tmp/o" --threads "$threads" \
    --generations "$gens" >/dev/null 2>&1
  local g0 gl
  g0=$(sed -n 2p "$tmp/o/history.csv" | cut -d, -f8)
  gl=$(tail -1 "$tmp/o/history.csv" | cut -d, -f8)
  echo "$(cat "$tmp/t") $(awk -v a="$g0" -v b="$gl" 'BEGIN { print b - a }')" >>"$tmp/$name"
}
for r in $(seq 1 "${EFF_REPS:-3}"); do
  echo "bench/mpi: efficiency, $config, $gens generations, repetition $r" >&2
  timed t1 1
  timed t2 2
  timed t3 1 $mpirun -n 3
done
load=$(cut -d' ' -f1 /proc/loadavg)
for f in t1 t2 t3; do sed "s/^/  $f (wall user sys loop): /" "$tmp/$f" >&2; done
/usr/bin/python3 - "$tmp" "$gens" "$load" "$cmd" <<'PY'
import sys
tmp, gens, load, cmd = sys.argv[1:5]
t = {k: [list(map(float, l.split())) for l in open("%s/%s" % (tmp, k)) if l.strip()] for k in ("t1", "t2", "t3")}
wall = {k: min(r[0] for r in v) for k, v in t.items()}
cpu = {k: min(r[1] + r[2] for r in v) for k, v in t.items()}
loop = {k: min(r[3] for r in v) for k, v in t.items()}
case = "ei_network.toml, %s generations, wall (min of runs), load average %s on 2 cores" % (gens, load)
e_mpi = wall["t1"] / (2 * wall["t3"])
e_thr = wall["t1"] / (2 * wall["t2"])
print("mpi\tparallel efficiency T1 / (2 T3): mpirun -n 3 (master + 2 workers, 1 thread each) vs 1 thread; %s"
      "\ttarget (task #6)\t0.9\t%.3g\tefficiency\t%.2f\t%s" % (case, e_mpi, e_mpi / 0.9, cmd))
e_loop = loop["t1"] / (2 * loop["t3"])
print("mpi\tparallel efficiency of the generation loop alone (start-up excluded: history.csv elapsed, last minus "
      "generation 0); %s\ttarget (task #6)\t0.9\t%.3g\tefficiency\t%.2f\t%s" % (case, e_loop, e_loop / 0.9, cmd))
print("mpi\tthe same 2 cores without MPI: T1 / (2 T2), snnfit --threads 2 vs 1 thread (this machine's ceiling "
      "for E at the time); %s\ttarget (task #6)\t0.9\t%.3g\tefficiency\t%.2f\t%s" % (case, e_thr, e_thr / 0.9, cmd))
print("mpi\tMPI against threads on the same 2 cores: T2 / T3; %s\tsnnfit --threads 2\t%.4g\t%.4g\ts\t%.2f\t%s"
      % (case, wall["t2"], wall["t3"], wall["t2"] / wall["t3"], cmd))
print("mpi\twork added by distribution: CPU(1 thread) / CPU(3 ranks), %s generations\ttarget (task #6)\t0.9\t%.3g"
      "\tefficiency\t%.2f\t%s" % (gens, cpu["t1"] / cpu["t3"], cpu["t1"] / cpu["t3"] / 0.9, cmd))
PY
