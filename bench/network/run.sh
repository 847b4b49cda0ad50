#!/usr/bin/env bash
# The Izhikevich (2003) network (data/examples/izhikevich2003_network.toml: 1000
# neurons, 1M synapses, 1 s of model time), snnfit against Brian2 2.5.1 in the
# same run, at the same step: Brian2's runtime mode (Cython, code cached before
# timing) and its C++ standalone run phase (device._last_run_time: the simulation
# loop, without compilation, synapse creation or file output). All single-threaded.
# Also states how far snnfit is from this machine's memory-bandwidth and
# arithmetic limits. Rows: benchmark, case, peer, peer figure, snnfit figure,
# unit, ratio (>1: snnfit better), command.
#   bench/network/run.sh            (SNNFIT_BUILD = a build dir with SNNFIT_BUILD_BENCH=ON)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=${SNNFIT_BUILD:-$root/build/bench-network}
if [ -z "${SNNFIT_BUILD:-}" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSNNFIT_BUILD_TESTS=OFF -DSNNFIT_BUILD_BENCH=ON -DSNNFIT_WITH_MPI=OFF >/dev/null
  cmake --build "$build" -j2 --target bench_network >/dev/null
fi
bench=$(find "$build" -name bench_network -type f -perm -u+x | head -1)
[ -x "$bench" ] || { echo "bench/network: no bench_network in $build" >&2; exit 1; }
config=data/examples/izhikevich2003_network.toml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bench" --machine >"$tmp/machine"
for dt in 0.5 0.1; do
  echo "bench/network: dt = $dt ms: Brian2 runtime" >&2
  /usr/bin/python3 bench/network/brian2_bench.py runtime "$config" "$dt" 2>/dev/null >"$tmp/rt_$dt"
  echo "bench/network: dt = $dt ms: Brian2 standalone (compiling, ~1-2 min)" >&2
  /usr/bin/python3 bench/network/brian2_bench.py standalone "$config" "$dt" 2>/dev/null >"$tmp/sa_$dt"
  echo "bench/network: dt = $dt ms: snnfit" >&2
  "$bench" "$config" --repeat 7 --set simulation.dt=$dt >"$tmp/sn_$dt"
done

python3 - "$tmp" "$config" "${bench#$root/}" <<'PY'
import sys
tmp, config, bench = sys.argv[1:4]

def kv(path):
    out = {}
    for line in open(path):
        if "=" in line:
            k, v = line.strip().split("=", 1)
            out[k] = float(v)
    return out

m = kv(f"{tmp}/machine")
rows = []
for dt in ("0.5", "0.1"):
    sn, rt, sa = kv(f"{tmp}/sn_{dt}"), kv(f"{tmp}/rt_{dt}"), kv(f"{tmp}/sa_{dt}")
    case = f"izhikevich2003 1000 neurons 1 s dt={dt} ms"
    cmd = f"{bench} {config} --set simulation.dt={dt}"
    for peer_name, peer in (("Brian2 runtime (cython)", rt), ("Brian2 C++ standalone run phase", sa)):
        rows.append(("network", case, peer_name, f"{peer['run_s']:.4f}", f"{sn['run_s']:.4f}", "s wall",
                     f"{peer['run_s'] / sn['run_s']:.2f}", cmd))
        rows.append(("network", case, peer_name, f"{peer['neuron_updates_per_s']:.3g}", f"{sn['neuron_updates_per_s']:.3g}",
                     "neuron updates/s", f"{sn['neuron_updates_per_s'] / peer['neuron_updates_per_s']:.2f}", cmd))
        rows.append(("network", case, peer_name, f"{peer['synaptic_events_per_s']:.3g}", f"{sn['synaptic_events_per_s']:.3g}",
                     "synaptic events/s", f"{sn['synaptic_events_per_s'] / peer['synaptic_events_per_s']:.2f}", cmd))
    # Limits of this machine for snnfit's work (one core). Per neuron update: 48 B
    # coefficients + 2x16 B state + 16 B input (L2-resident: 1000 neurons) and ~14
    # flops; per synaptic event: an 8 B weight streamed from L3 (the network is
    # all-to-all, so its rows are contiguous and delivery reads no targets; 1M synapses
    # = 8 MB < 32 MB L3) and 1 add; per noise draw (1000 per ms) ~4 flops.
    updates = sn["neurons"] * sn["steps"]
    events = sn["synaptic_events"]
    normals = sn["neurons"] * 1000.0
    t_mem = events * 8 / (m["l3_read_GBps"] * 1e9) + updates * 96 / (m["l2_read_GBps"] * 1e9)
    t_flop = (updates * 14 + events * 1 + normals * 4) / (m["flops_G"] * 1e9)
    bind = "memory bandwidth" if t_mem > t_flop else "arithmetic"
    rows.append(("network", case + ": machine limit", f"memory bound (L3 {m['l3_read_GBps']:.0f} GB/s, L2 {m['l2_read_GBps']:.0f} GB/s)",
                 f"{t_mem:.4f}", f"{sn['run_s']:.4f}", "s wall", f"{t_mem / sn['run_s']:.2f}", f"{bench} --machine"))
    rows.append(("network", case + ": machine limit", f"arithmetic bound ({m['flops_G']:.1f} Gflop/s measured); binds: {bind}",
                 f"{t_flop:.4f}", f"{sn['run_s']:.4f}", "s wall", f"{t_flop / sn['run_s']:.2f}", f"{bench} --machine"))
for r in rows:
    print("\t".join(r))
PY
