#!/usr/bin/env bash
# The 10 % microcircuit, one biological second: the whole snnfit process against
# Brian2 2.5.1 (runtime/cython and C++ standalone with 2 OpenMP threads) on the same
# network, in one run (bench/microcircuit/run.py small). The full-scale measurement
# (minutes, ~5 GB) is separate: bench/microcircuit/run.py full.
#   bench/microcircuit/run.sh       (SNNFIT_BUILD = a build dir with apps/snnfit)
set -euo pipefail
cd "$(dirname "$0")/../.."
export SNNFIT=${SNNFIT:-${SNNFIT_BUILD:-$PWD/build/dev}/apps/snnfit}
[ -x "$SNNFIT" ] || { echo "bench/microcircuit: no snnfit at $SNNFIT" >&2; exit 1; }
exec /usr/bin/python3 bench/microcircuit/run.py small
