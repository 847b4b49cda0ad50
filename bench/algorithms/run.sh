#!/usr/bin/env bash
# snnfit's island algorithms against pagmo2 2.x on the same problems, populations and
# budgets, SEEDS seeds (default 11), serial, in one program and one run:
#   DE rand/1/bin and best/1/bin (pop 50, F 0.8, CR 0.9), jDE (pagmo sade variant 7,
#   variant_adptv 1, memory on; pop 50), CMA-ES (lambda 10, sigma0 0.3 of the box; pagmo
#   with force_bounds) on Rosenbrock 10-D [-5, 10]^10 to f < 1e-6; NSGA-II (pop 100,
#   SBX 0.9/15, polynomial 1/30/20) on ZDT1 30-D until the front's hypervolume w.r.t.
#   (1, 1) is within 0.01 of 2/3. Budgets: 400,000 (DE), 100,000 (CMA-ES, NSGA-II)
#   evaluations; an unsolved seed counts as its budget.
# Two rows per case: median evaluations to the tolerance, and median wall time per
# evaluation (whole run / evaluations; the fitness itself is trivial, so this is the
# algorithm's own overhead). ratio = pagmo / snnfit (> 1 = snnfit better).
#   bench/algorithms/run.sh          (SNNFIT_BUILD = a build with SNNFIT_BUILD_BENCH=ON)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${SNNFIT_BUILD:-$root/build/bench}
bin=$build/bench/algorithms/bench_algorithms
if [ ! -x "$bin" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSNNFIT_BUILD_TESTS=OFF -DSNNFIT_BUILD_BENCH=ON >/dev/null
  cmake --build "$build" -j2 --target bench_algorithms >/dev/null 2>&1 || true
fi
if [ ! -x "$bin" ]; then echo "bench/algorithms: pagmo2 (libpagmo-dev) not found, skipped" >&2; exit 0; fi
seeds=${SEEDS:-11}
cmd="bench/algorithms/run.sh"
for c in de_rand1bin de_best1bin jde cmaes nsga2; do
  row=$("$bin" "$c" "$seeds")
  IFS=$'\t' read -r name pe oe pt ot ps os n <<<"$row"
  case $c in
    de_rand1bin) label="DE rand/1/bin, Rosenbrock 10-D to 1e-6" peer="pagmo2 de 7" ;;
    de_best1bin) label="DE best/1/bin, Rosenbrock 10-D to 1e-6" peer="pagmo2 de 6" ;;
    jde) label="jDE, Rosenbrock 10-D to 1e-6" peer="pagmo2 sade 7/1" ;;
    cmaes) label="CMA-ES, Rosenbrock 10-D to 1e-6" peer="pagmo2 cmaes" ;;
    nsga2) label="NSGA-II, ZDT1 30-D to HV gap 0.01" peer="pagmo2 nsga2" ;;
  esac
  awk -v l="$label" -v p="$peer" -v pe="$pe" -v oe="$oe" -v ps="$ps" -v os="$os" -v n="$n" -v c="$cmd" \
    'BEGIN { printf "algorithms\t%s: median evaluations over %d seeds (solved: pagmo %d, snnfit %d)\t%s\t%.0f\t%.0f\tevaluations\t%.2f\t%s\n", l, n, ps, os, p, pe, oe, pe/oe, c }'
  awk -v l="$label" -v p="$peer" -v pt="$pt" -v ot="$ot" -v c="$cmd" \
    'BEGIN { printf "algorithms\t%s: wall time per evaluation, serial\t%s\t%.3g\t%.3g\tus/eval\t%.2f\t%s\n", l, p, pt, ot, pt/ot, c }'
done
