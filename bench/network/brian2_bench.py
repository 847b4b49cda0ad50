#!/usr/bin/python3
"""Times Brian2 2.5.1 on an snnfit network config (the same network, built by
tests/fixtures/generators/gen_brian2_network.py), single-threaded.
  brian2_bench.py runtime CONFIG [DT]     run phase of net.run() in runtime mode (Cython
                                      code cached by a first, untimed run)
  brian2_bench.py standalone CONFIG [DT]  C++ standalone: compile (untimed), then the
                                      simulation loop's own time (device._last_run_time)
                                      and the whole binary's wall time
Prints key=value lines like bench_network."""
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "fixtures", "generators"))
import numpy as np  # noqa: E402

import gen_brian2_network as gen  # noqa: E402


def events(groups, net):
    """Synaptic events: for every spike, the out-degree of its neuron."""
    import brian2 as b2

    total = 0
    for obj in net.objects:
        if isinstance(obj, b2.Synapses):
            src = obj.source
            mon = [m for g, m in groups.values() if g is src][0]
            deg = np.bincount(np.asarray(obj.i[:]), minlength=len(src))
            total += int(deg[np.asarray(mon.i[:])].sum())
    return total


def main():
    mode, config = sys.argv[1], sys.argv[2]
    dt = float(sys.argv[3]) if len(sys.argv) > 3 else None
    import brian2 as b2

    b2.prefs.codegen.target = "cython"
    if mode == "runtime":
        # First run compiles and caches the Cython code; time the second.
        net, groups, duration, dt = gen.build(config, 1, dt=dt)
        net.run(duration * b2.ms)
        b2.start_scope()
        times = []
        for rep in range(3):
            net, groups, duration, dt = gen.build(config, 2 + rep, dt=dt)
            t0 = time.perf_counter()
            net.run(duration * b2.ms)
            times.append(time.perf_counter() - t0)
            b2.start_scope()
        run_s = sorted(times)[1]
    else:
        out = tempfile.mkdtemp(prefix="snnfit_b2_standalone_")
        b2.set_device("cpp_standalone", directory=out, build_on_run=False)
        b2.prefs.devices.cpp_standalone.openmp_threads = 0
        net, groups, duration, dt = gen.build(config, 2, dt=dt)
        net.run(duration * b2.ms)
        t0 = time.perf_counter()
        b2.device.build(directory=out, compile=True, run=False)
        compile_s = time.perf_counter() - t0
        times, whole = [], []
        for rep in range(3):
            t0 = time.perf_counter()
            b2.device.run(directory=out, with_output=False, run_args=[])
            whole.append(time.perf_counter() - t0)
            times.append(b2.device._last_run_time)
        run_s = sorted(times)[1]
        print(f"compile_s={compile_s:.3f}")
        print(f"binary_s={sorted(whole)[1]:.6f}")
    n = sum(len(g) for g, _ in groups.values())
    steps = int(round(duration / dt))
    spikes = sum(m.num_spikes for _, m in groups.values())
    ev = events(groups, net)
    print(f"run_s={run_s:.6f}\nneurons={n}\nsteps={steps}\nspikes={spikes}\nsynaptic_events={ev}")
    print(f"neuron_updates_per_s={n * steps / run_s:.4g}\nsynaptic_events_per_s={ev / run_s:.4g}")
    if mode != "runtime":
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
