#!/usr/bin/env bash
# The single-cell fit (data/examples/single_cell_izhikevich.toml: Izhikevich 2003 RS cell,
# a b c d from 4 current steps, 4 islands x 40, 150 generations = 23 560 evaluations)
# done the Python way -- DEAP + numpy + PySpike (deap_fit.py says exactly what it does) --
# against `snnfit run` on the same budget, in the same run.
#
# Times are process CPU seconds (user + sys, /usr/bin/time and time.process_time): the
# machine is shared and wall time is not reproducible on it. The 2-thread snnfit row is
# wall time (the only way to see two cores at work), the minimum over seeds. Each side runs
# SEEDS seeds (default 3; the GA trajectories differ by seed); rows give the median.
# Rows: benchmark, case, peer, peer figure, snnfit figure, unit, ratio (peer/snnfit, > 1 =
# snnfit faster), command.
#   bench/python_pipeline/run.sh      (SNNFIT_BUILD = a build dir; SEEDS=N; BRIAN2=0 skips Brian2)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
build=${SNNFIT_BUILD:-$root/build/bench}
snnfit=$build/apps/snnfit
if [ ! -x "$snnfit" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSNNFIT_BUILD_TESTS=OFF -DSNNFIT_BUILD_BENCH=ON >/dev/null
  cmake --build "$build" -j2 --target snnfit >/dev/null
fi
seeds=${SEEDS:-3}
config=data/examples/single_cell_izhikevich.toml
py="/usr/bin/python3 -W ignore $here/deap_fit.py"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# snnfit: prints "cpu_seconds wall_seconds evaluations best"
snn() {  # seed threads [--set ...]
  local seed=$1 threads=$2
  shift 2
  /usr/bin/time -f "%U %S %e" -o "$tmp/time" "$snnfit" run "$config" --out "$tmp/out" --seed "$seed" \
    --threads "$threads" "$@" >/dev/null 2>&1
  local last
  last=$(tail -1 "$tmp/out/history.csv")
  awk -v e="$(cut -d, -f2 <<<"$last")" -v b="$(cut -d, -f3 <<<"$last")" \
    '{ printf "%.4f %.4f %d %s\n", $1 + $2, $3, e, b }' "$tmp/time"
  rm -rf "$tmp/out"
}

for s in $(seq 1 "$seeds"); do
  echo "bench/python_pipeline: seed $s: snnfit 1 thread, full budget / to 0.05; 2 threads" >&2
  snn "$s" 1 >>"$tmp/snn_full"
  snn "$s" 1 --set optimizer.termination.target=0.05 >>"$tmp/snn_05"
  snn "$s" 2 >>"$tmp/snn_full2"
  echo "bench/python_pipeline: seed $s: DEAP + numpy (batch-vectorised) + PySpike, full budget" >&2
  $py batch "$s" 150 0.001 >>"$tmp/py_batch"
done
echo "bench/python_pipeline: DEAP + numpy (one candidate per call) + PySpike, 2 generations" >&2
$py individual 1 2 0.001 >"$tmp/py_ind"
if [ "${BRIAN2:-1}" != 0 ]; then
  echo "bench/python_pipeline: Brian2 per-evaluation cost, 10 candidates" >&2
  $py brian2 10 2>/dev/null >"$tmp/py_brian2" || true
fi
for f in snn_full snn_05 snn_full2 py_batch py_ind py_brian2; do
  [ -s "$tmp/$f" ] && sed "s/^/$f: /" "$tmp/$f" >&2
done

/usr/bin/python3 "$here/summarize.py" "$tmp"
