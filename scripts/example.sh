#!/usr/bin/env bash
# The README's main-example command: installs what is missing, builds snnfit and
# runs the main example (the single-cell fit and its report), writing into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DSNNFIT_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j"$(nproc)" --target snnfit
mkdir -p out
./build/release/apps/snnfit run data/examples/single_cell_izhikevich.toml --out out/single_cell_izhikevich
# ... and ends with the report of its own fit: figures, validation, index.html.
./build/release/apps/snnfit report out/single_cell_izhikevich/result.h5 --out out/single_cell_izhikevich/report
