#!/usr/bin/env bash
# Checkpoints: write and read time of a checkpoint of 8 islands x 500 individuals x 20
# parameters with a best raster of 10 000 neurons (snnfit vs h5py writing and reading the
# same datasets with the same Fletcher-32 chunks), and the cost of checkpointing as a
# share of the run time of the main example (the default rule, and every = 10), from
# the run's own accounting (time inside the checkpoint writes / time of the generation
# loop). Rows: benchmark, case, peer, peer figure, snnfit figure, unit, ratio, command.
#   bench/checkpoint/run.sh          (SNNFIT_BUILD = a build with SNNFIT_BUILD_BENCH=ON)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${SNNFIT_BUILD:-$root/build/bench}
bin=$build/bench/checkpoint/bench_checkpoint
snnfit=$build/apps/snnfit
if [ ! -x "$bin" ] || [ ! -x "$snnfit" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSNNFIT_BUILD_TESTS=OFF -DSNNFIT_BUILD_BENCH=ON >/dev/null
  cmake --build "$build" -j2 --target bench_checkpoint snnfit >/dev/null
fi
reps=${REPS:-5}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cmd="bench/checkpoint/run.sh"

out=$("$bin" "$work/big" 8 500 20 10000 200 "$reps" 2>"$work/info")
w=$(cut -f1 <<<"$out") r=$(cut -f2 <<<"$out") mb=$(cut -f3 <<<"$out") file=$(cut -f4 <<<"$out")
peer=$(/usr/bin/python3 "$here/h5py_peer.py" "$file" "$work/peer.h5" "$reps")
h5v=$(/usr/bin/python3 -c "import h5py; print(h5py.__version__)")
label="8 islands x 500 x 20 parameters, best raster 10000 neurons, ${mb} MB"
awk -v l="$label" -v p="$(cut -f1 <<<"$peer")" -v o="$w" -v c="$cmd" -v v="$h5v" \
  'BEGIN { printf "checkpoint\twrite, %s\th5py %s\t%.1f\t%.1f\tms\t%.1f\t%s\n", l, v, p, o, p/o, c }'
awk -v l="$label" -v p="$(cut -f2 <<<"$peer")" -v o="$r" -v c="$cmd" -v v="$h5v" \
  'BEGIN { printf "checkpoint\tread + check, %s\th5py %s\t%.1f\t%.1f\tms\t%.1f\t%s\n", l, v, p, o, p/o, c }'
echo "$(cat "$work/info")" >&2

# Overhead in a whole run: the main example, the default rule, then every = 10.
cfg=$root/data/examples/single_cell_izhikevich.toml
for rule in default every10; do
  set -- ; [ $rule = every10 ] && set -- --set checkpoint.every=10
  line=$("$snnfit" run "$cfg" --out "$work/run_$rule" --quiet --threads 2 "$@" | grep '^checkpoints:')
  pct=$(sed -E 's/.* s, ([0-9.]+)% of .*/\1/' <<<"$line")
  case_label="share of run time, single_cell_izhikevich.toml, $([ $rule = default ] && echo "default (every 60 s + last)" || echo "every = 10")"
  awk -v l="$case_label" -v o="$pct" -v c="$cmd" \
    'BEGIN { printf "checkpoint\t%s\ttarget\t1\t%.2f\t%% of run\t%.1f\t%s\n", l, o, (o > 0 ? 1/o : 0), c }'
  echo "$rule: $line" >&2
done
