#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang-14, ASan + UBSan) in build/fuzz and
# runs each for SECONDS, its corpus seeded from the test fixtures and data/examples and
# kept in build/fuzz/corpus/TARGET between runs. A crash leaves its input in
# build/fuzz/crashes/TARGET/ and makes the script fail. Prints the executions per target.
#
#   scripts/fuzz.sh                 600 s per target (the long run)
#   scripts/fuzz.sh 5               5 s per target (scripts/test.sh, with FUZZ_SEED=1: the same
#                                   inputs on every run, so CI does not pass or fail by chance)
#   scripts/fuzz.sh 60 fuzz_config  one target
#   scripts/fuzz.sh 60 fuzz_hdf5_raw  raw bytes into libhdf5: not in the default list, as
#                                    Debian's libhdf5 crashes on them (docs/reliability.md)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
if ! command -v clang++-14 >/dev/null || ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz.sh: clang-14 and libfuzzer-14-dev are needed (scripts/setup.sh installs them)" >&2
  exit 2
fi
build=build/fuzz
CC=clang-14 CXX=clang++-14 cmake -S . -B $build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSNNFIT_FUZZ=ON \
  -DSNNFIT_WITH_MPI=OFF -DSNNFIT_BUILD_TESTS=OFF >/dev/null
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_config fuzz_spike_text fuzz_spike_csv fuzz_sweeps fuzz_neuroml fuzz_hdf5)
cmake --build $build -j"$(nproc)" --target "${targets[@]}" >/dev/null

# Seeds: the committed ones in tests/fuzz/seeds, plus the fixtures each reader is tested on.
seed() {
  local target=$1; shift
  mkdir -p "$build/corpus/$target"
  cp -n tests/fuzz/seeds/"$target"/* "$build/corpus/$target/" 2>/dev/null || true
  local f
  for f in "$@"; do [ -f "$f" ] && cp -n "$f" "$build/corpus/$target/" || true; done
}
seed fuzz_config data/examples/*.toml
seed fuzz_spike_text tests/fixtures/pyspike/*.txt
seed fuzz_spike_csv
seed fuzz_sweeps
seed fuzz_neuroml tests/fixtures/neuroml/*.nml data/examples/neuroml/*.nml
seed fuzz_hdf5
seed fuzz_hdf5_raw tests/fixtures/nwb/*.nwb data/recordings/*.nwb

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for t in "${targets[@]}"; do
  mkdir -p "$build/crashes/$t"
  log="$build/$t.log"
  # libhdf5 (Debian's, not instrumented) leaks 64 bytes on some malformed files with no
  # object of ours left open: the HDF5 targets check instead that every object is closed.
  leaks=1
  [ "$t" = fuzz_hdf5_raw ] && leaks=0
  if ASAN_OPTIONS=detect_leaks=$leaks:abort_on_error=1 \
      "$build/tests/fuzz/$t" ${FUZZ_SEED:+-seed=$FUZZ_SEED} -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="$build/crashes/$t/" "$build/corpus/$t" >"$log" 2>&1; then
    runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' || echo "?")
    printf 'fuzz.sh: %-16s %12s executions in %s s, no crash\n' "$t" "$runs" "$seconds"
  else
    echo "fuzz.sh: $t FAILED; input in $build/crashes/$t/, log $log:" >&2
    grep -E "ERROR|SUMMARY|runtime error|#[0-9]+ 0x" "$log" | head -20 >&2
    status=1
  fi
done
exit $status
