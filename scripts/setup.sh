#!/usr/bin/env bash
# Installs every Debian package snnfit needs to build, test, run its examples and
# benchmarks. Idempotent: prints nothing and installs nothing when all is present.
#
#   scripts/setup.sh            build + tests (the fuzzers too) + examples + report figures
#   scripts/setup.sh --bench    also the peer tools the benchmarks run side by side
#   scripts/setup.sh --slurm    also slurm-wlm and munge for the local-SLURM tests
#   scripts/setup.sh --all      everything
set -euo pipefail

build_pkgs=(
  build-essential cmake pkg-config git
  libopenmpi-dev openmpi-bin
  libboost-mpi-dev libboost-serialization-dev libboost-math-dev
  libhdf5-dev hdf5-tools
  libtoml11-dev libcli11-dev libspdlog-dev libfmt-dev
  librandom123-dev libpugixml-dev nlohmann-json3-dev libtbb-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-h5py python3-numpy python3-matplotlib python3-scipy python3-pil
  pybind11-dev python3-dev python3-pytest python3-pyspike chromium
  clang-14 libfuzzer-14-dev
)
bench_pkgs=(python3-brian python3-pyspike python3-deap libpagmo-dev python3-neuron neuron hyperfine)
slurm_pkgs=(slurm-wlm munge)

want=("${build_pkgs[@]}")
for arg in "$@"; do
  case "$arg" in
    --bench) want+=("${bench_pkgs[@]}") ;;
    --slurm) want+=("${slurm_pkgs[@]}") ;;
    --all) want+=("${bench_pkgs[@]}" "${slurm_pkgs[@]}") ;;
    *) echo "setup.sh: unknown option '$arg' (expected --bench, --slurm or --all)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
