#!/usr/bin/env bash
# PySpike 0.7 (cython backend, one thread) vs snnfit's metrics::distance_matrix on the
# same file: 200 Poisson trains, 10 s at 10 Hz. Rows: benchmark, case, peer, peer s,
# snnfit s, unit, ratio (peer/snnfit, > 1 = snnfit faster), command.
#   bench/distances/run.sh            (SNNFIT_BUILD = a build with SNNFIT_BUILD_BENCH=ON)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${SNNFIT_BUILD:-$root/build/bench}
bin=$build/bench/distances/bench_distances
if [ ! -x "$bin" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSNNFIT_BUILD_TESTS=OFF -DSNNFIT_BUILD_BENCH=ON >/dev/null
  cmake --build "$build" -j2 --target bench_distances >/dev/null
fi
reps=${REPS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
data=$tmp/poisson_200x10s_10Hz.txt
/usr/bin/python3 "$here/gen_trains.py" "$data" 200 10 10
/usr/bin/python3 "$here/time_pyspike.py" "$data" 10000 "$reps" >"$tmp/peer.tsv"
"$bin" "$data" 10000 "$reps" >"$tmp/ours.tsv"
cmd="bench/distances/run.sh"
# One thread: process CPU time (best of $reps), which a busy machine disturbs far less
# than wall-clock time. Two threads: wall-clock time against PySpike's wall-clock time.
kernel=$(awk -F'\t' '$1 == "kernel" {print $2}' "$tmp/ours.tsv")
join -t $'\t' <(sort "$tmp/peer.tsv") <(sort "$tmp/ours.tsv") | while IFS=$'\t' read -r m pcpu pwall cpu1 one two; do
  case $m in spike) f="spike_distance_matrix ($kernel kernel)" ;; isi) f="isi_distance_matrix ($kernel kernel)" ;; sync) f=spike_sync_matrix ;; esac
  awk -v f="$f" -v pc="$pcpu" -v pw="$pwall" -v c1="$cpu1" -v o="$one" -v t="$two" -v c="$cmd" 'BEGIN {
    printf "distances\t%s, 200 trains 10 s 10 Hz, 1 thread (CPU time)\tPySpike 0.7 cython\t%.4g\t%.4g\ts\t%.1f\t%s\n", f, pc, c1, pc/c1, c
    printf "distances\t%s, 200 trains 10 s 10 Hz, 2 threads (wall; %.2fx over 1 thread)\tPySpike 0.7 cython\t%.4g\t%.4g\ts\t%.1f\t%s\n", f, o/t, pw, t, pw/t, c
  }'
done
# The ISI and SPIKE matrices on the kernels below this CPU's best (what a CPU without
# AVX-512VL or AVX2 gets; the numbers are bit-identical), against the same PySpike times.
awk -F'\t' -v c="$cmd" 'NR == FNR { peer[$1] = $2; next }
$1 ~ /@/ {
  split($1, mk, "@"); f = (mk[1] == "spike") ? "spike_distance_matrix" : "isi_distance_matrix"
  printf "distances\t%s (%s kernel), 200 trains 10 s 10 Hz, 1 thread (CPU time)\tPySpike 0.7 cython\t%.4g\t%.4g\ts\t%.1f\t%s\n", f, mk[2], peer[mk[1]], $2, peer[mk[1]]/$2, c
}' "$tmp/peer.tsv" "$tmp/ours.tsv"
