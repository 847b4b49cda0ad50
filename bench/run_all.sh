#!/usr/bin/env bash
# Runs every benchmark (each bench/*/run.sh) and prints one table. Each run.sh
# builds what it needs, runs the peer tool and snnfit in the same run, and prints
# tab-separated rows to stdout:
#   benchmark <TAB> case <TAB> peer <TAB> peer figure <TAB> snnfit figure <TAB> unit <TAB> ratio <TAB> command
# (ratio = how many times better snnfit is; > 1 means snnfit wins).
#   bench/run_all.sh            every benchmark
#   bench/run_all.sh NAME...    only bench/NAME/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --bench
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DSNNFIT_BUILD_TESTS=OFF -DSNNFIT_BUILD_BENCH=ON >/dev/null
cmake --build build/bench -j"$(nproc)" >/dev/null
export SNNFIT_BUILD=$PWD/build/bench
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for d in bench/*/run.sh; do names+=("$(basename "$(dirname "$d")")"); done
fi
rows=$(mktemp)
for n in "${names[@]}"; do
  echo "== bench/$n" >&2
  bash "bench/$n/run.sh" >>"$rows"
done
printf '| benchmark | case | peer | peer | snnfit | unit | ratio | reproduce |\n|---|---|---|---|---|---|---|---|\n'
awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | `%s` |\n", $1, $2, $3, $4, $5, $6, $7, $8}' "$rows"
rm -f "$rows"
