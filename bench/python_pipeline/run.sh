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

# snnfit: prints "cpu_seconds wall_seconds evaluations"
snn() {  # seed threads [--set ...]
  local seed=$1 threads=$2
  shift 2
  /usr/bin/time -f "%U %S %e" -o "$tmp/time" "$snnfit" run "$config" --out "$tmp/out" --seed "$seed" \
    --threads "$threads" "$@" >/dev/null 2>&1
  local evals
  evals=$(tail -1 "$tmp/out/history.csv" | cut -d, -f2)
  awk -v e="$evals" '{ printf "%.4f %.4f %d\n", $1 + $2, $3, e }' "$tmp/time"
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

/usr/bin/python3 - "$tmp" <<'PY'
import os, statistics as st, sys
tmp = sys.argv[1]
med = st.median
def rows(name):
    p = os.path.join(tmp, name)
    if not os.path.exists(p) or os.path.getsize(p) == 0:
        return []
    return [l.split() for l in open(p) if l.strip()]
snn_full = rows("snn_full"); snn_05 = rows("snn_05"); snn_full2 = rows("snn_full2")
py_batch = rows("py_batch"); py_ind = rows("py_ind"); py_brian2 = rows("py_brian2")
cmd = "bench/python_pipeline/run.sh"
case = "single-cell Izhikevich fit (4 params, 4 sweeps x 600 ms, dt 0.1)"
out = []
def row(c, peer, p, o, unit):
    out.append("python_pipeline\t%s: %s\t%s\t%.4g\t%.4g\t%s\t%.1f\t%s" % (case, c, peer, p, o, unit, p / o, cmd))
# per evaluation, 1 core: snnfit's whole run / its evaluations (GA, checkpoints, start-up included)
snn_per = med(float(r[0]) / int(r[2]) for r in snn_full) * 1e3
if py_ind:
    r = py_ind[0]
    row("CPU per evaluation, 1 core", "DEAP 1.3 + numpy (per candidate) + PySpike 0.7",
        float(r[2]) / int(r[1]) * 1e3, snn_per, "ms/eval")
if py_batch:
    row("CPU per evaluation, 1 core", "DEAP 1.3 + numpy (whole generation vectorised) + PySpike 0.7",
        med(float(r[2]) / int(r[1]) for r in py_batch) * 1e3, snn_per, "ms/eval")
if py_brian2:
    r = py_brian2[0]
    row("CPU per evaluation, 1 core", "Brian2 2.5.1 (Cython, one Network, restore + run) + PySpike 0.7",
        float(r[1]) / int(r[0]) * 1e3, snn_per, "ms/eval")
if py_batch:
    row("same budget (23 560 evaluations), 1 core, CPU", "DEAP + numpy (vectorised) + PySpike",
        med(float(r[2]) for r in py_batch), med(float(r[0]) for r in snn_full), "s")
    hits = [r for r in py_batch if int(r[5]) > 0]
    if hits and snn_05:
        row("time to SPIKE-distance <= 0.05, 1 core, CPU", "DEAP + numpy (vectorised) + PySpike",
            med(float(r[6]) for r in hits), med(float(r[0]) for r in snn_05), "s")
    if snn_full2:
        row("same budget, snnfit --threads 2 wall (min) vs Python 1 core wall (min)",
            "DEAP + numpy (vectorised) + PySpike", min(float(r[3]) for r in py_batch),
            min(float(r[1]) for r in snn_full2), "s")
print("\n".join(out))
PY
