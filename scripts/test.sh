#!/usr/bin/env bash
# The README's test command: installs what is missing, builds with warnings as
# errors, runs every test registered in ctest (unit, MPI, whole-program, SLURM) and the
# Python package's pytest suite, then builds the unit tests again with AddressSanitizer + UBSan
# and runs them, and runs every libFuzzer target (tests/fuzz) for a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --slurm   # the SLURM job-script tests run on a local SLURM
jobs=$(nproc)

cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Release -DSNNFIT_WERROR=ON -DSNNFIT_BUILD_TESTS=ON >/dev/null
cmake --build build/test -j"$jobs"
ctest --test-dir build/test --output-on-failure -j"$jobs"
# The Python package (python/tests): against PySpike's fixture, live PySpike and the CLI.
SNNFIT_BIN=$PWD/build/test/apps/snnfit PYTHONPATH=$PWD/build/test/python \
  /usr/bin/python3 -m pytest -q -p no:cacheprovider python/tests

# Sanitizers: unit tests only (the whole-program and MPI tests run above), with
# optimisation kept so the suite stays fast.
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSNNFIT_WERROR=ON -DSNNFIT_SANITIZE=ON \
  -DSNNFIT_WITH_MPI=OFF -DSNNFIT_WITH_PYTHON=OFF >/dev/null
cmake --build build/asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j"$jobs" -L unit

# Every reader of outside input under libFuzzer for a few seconds (scripts/fuzz.sh with
# no argument runs them for long).
FUZZ_SEED=1 scripts/fuzz.sh 5
