#!/usr/bin/env bash
# Voltage features: extraction cost per sweep against the simulation cost per sweep, and
# a whole evaluation with and without features, for data/examples/fit_nwb_adex_features.toml
# (6 sweeps of 1 s of an AdEx cell at dt 0.1 ms). eFEL is not packaged in Debian (and
# PyPI is out of reach), so the reference is snnfit's own simulation, not a peer tool.
# Rows: benchmark, case, peer, peer figure, snnfit figure, unit, ratio, command.
#   bench/features/run.sh            (SNNFIT_BUILD = a build with SNNFIT_BUILD_BENCH=ON)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${SNNFIT_BUILD:-$root/build/bench}
bin=$build/bench/features/bench_features
if [ ! -x "$bin" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSNNFIT_BUILD_TESTS=OFF -DSNNFIT_BUILD_BENCH=ON >/dev/null
  cmake --build "$build" -j2 --target bench_features >/dev/null
fi
cmd="bench/features/run.sh"
out=$("$bin" "${N:-50}" "${REPS:-5}")
IFS=$'\t' read -r eval_spikes sim_voltage extract eval_features sweeps <<<"$out"
awk -v s="$sim_voltage" -v e="$extract" -v n="$sweeps" -v c="$cmd" 'BEGIN {
  printf "features\textraction of every feature of fit_nwb_adex_features.toml, per sweep (1 s, dt 0.1 ms)\tsimulation of the sweep\t%.4f\t%.4f\tms\t%.1f\t%s\n", s/n, e/n, s/e, c }'
awk -v a="$eval_spikes" -v b="$eval_features" -v c="$cmd" 'BEGIN {
  printf "features\twhole evaluation, 6 sweeps: spike timing only (fit_nwb_adex.toml) vs with features\tspike timing only\t%.4f\t%.4f\tms\t%.2f\t%s\n", a, b, a/b, c }'
echo "per evaluation: spike-timing evaluation $eval_spikes ms, simulation with voltages $sim_voltage ms, extraction $extract ms, features evaluation $eval_features ms" >&2
