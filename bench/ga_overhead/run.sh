#!/usr/bin/env bash
# GA overhead per evaluation on a trivial fitness (10-d sphere): snnfit's optimizer vs
# DEAP (python3-deap) and pagmo2 (libpagmo-dev, sga), same operators (tournament 3, SBX
# eta 15 p 0.9, polynomial eta 20 p 1/d), same population and generations, serial, in
# the same run; best of REPS (default 3). Rows: benchmark, case, peer, peer us/eval,
# snnfit us/eval, unit, ratio (peer/snnfit, > 1 = snnfit cheaper), command.
#   bench/ga_overhead/run.sh          (SNNFIT_BUILD = a build with SNNFIT_BUILD_BENCH=ON)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${SNNFIT_BUILD:-$root/build/bench}
bin=$build/bench/ga_overhead/bench_ga_overhead
pagmo=$build/bench/ga_overhead/bench_ga_pagmo
if [ ! -x "$bin" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSNNFIT_BUILD_TESTS=OFF -DSNNFIT_BUILD_BENCH=ON >/dev/null
  cmake --build "$build" -j2 --target bench_ga_overhead >/dev/null
  cmake --build "$build" -j2 --target bench_ga_pagmo >/dev/null 2>&1 || true
fi
reps=${REPS:-3}
dim=10
cmd="bench/ga_overhead/run.sh"
for case in "50 200" "500 20"; do
  set -- $case
  pop=$1 gens=$2
  ours=$("$bin" "$pop" "$gens" "$dim" "$reps")
  label="sphere d=$dim, population $pop, $gens generations, serial"
  ours_us=$(cut -f2 <<<"$ours")
  deap=$(/usr/bin/python3 "$here/ga_deap.py" "$pop" "$gens" "$dim" "$reps")
  awk -v l="$label" -v p="$(cut -f2 <<<"$deap")" -v o="$ours_us" -v c="$cmd" \
    'BEGIN { printf "ga_overhead\t%s\tDEAP 1.3\t%.4g\t%.4g\tus/eval\t%.1f\t%s\n", l, p, o, p/o, c }'
  if [ -x "$pagmo" ]; then
    pg=$("$pagmo" "$pop" "$gens" "$dim" "$reps")
    awk -v l="$label" -v p="$(cut -f2 <<<"$pg")" -v o="$ours_us" -v c="$cmd" \
      'BEGIN { printf "ga_overhead\t%s\tpagmo2 2.18 sga\t%.4g\t%.4g\tus/eval\t%.2f\t%s\n", l, p, o, p/o, c }'
  fi
  echo "$label: snnfit [$ours] deap [$deap] pagmo [${pg:-n/a}] (us/eval, evaluations, best f)" >&2
done
