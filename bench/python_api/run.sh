#!/usr/bin/env bash
# snnfit's Python package against PySpike 0.7 in one Python process (bench_python.py):
# 600 Poisson trains 10 s at 10 Hz; pair, multivariate and matrix ISI/SPIKE/SYNC, 1 thread.
#   bench/python_api/run.sh          (SNNFIT_BUILD = a build with the Python package)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${SNNFIT_BUILD:-$root/build/bench}
if ! ls "$build"/python/snnfit/_snnfit*.so >/dev/null 2>&1; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSNNFIT_BUILD_TESTS=OFF -DSNNFIT_BUILD_BENCH=ON \
    -DSNNFIT_WITH_PYTHON=ON >/dev/null
  cmake --build "$build" -j2 --target _snnfit >/dev/null
fi
PYTHONPATH="$build/python" /usr/bin/python3 "$here/bench_python.py" "${N:-600}" "${REPS:-3}"
