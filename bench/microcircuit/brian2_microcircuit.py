#!/usr/bin/python3
"""The microcircuit of scripts/microcircuit.py built in Brian2 2.5.1 (Debian
python3-brian): the same populations, total numbers, weight and delay distributions,
Poisson background and DC as the snnfit config, with Brian2's own realisation.

Neurons: NEST's iaf_psc_exp as Brian2 equations, integrated with method='exact' (the
coupled linear system V, I_syn, as NEST and snnfit do), V clamped during t_ref
(unless refractory). Connections: fixed_total_number with multapses and autapses is
"draw each of the K pairs uniformly", done with numpy; weights and delays redrawn
as NEST does; delays rounded to whole steps of at least one (snnfit's rule).

    brian2_microcircuit.py runtime    SCALE DURATION_MS
    brian2_microcircuit.py standalone SCALE DURATION_MS THREADS
Prints key=value lines: whole_s (the process's work: build, run, collect; Python start
and imports excluded), run_s (net.run; runtime mode also run_cpu_s, its CPU time), and
rate_POP per population (Hz, after 0 ms).
"""
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
import numpy as np  # noqa: E402

import microcircuit as mc  # noqa: E402


def redraw_normal(rng, mean, sd, n, lo=-np.inf, hi=np.inf):
    x = rng.normal(mean, sd, n)
    bad = (x < lo) | (x > hi)
    while bad.any():
        x[bad] = rng.normal(mean, sd, bad.sum())
        bad = (x < lo) | (x > hi)
    return x


def build(scale, seed=1):
    """One NeuronGroup for all populations (slices per population) and one Synapses for
    all projections: Brian2 then generates and compiles a handful of code objects
    instead of one set per projection."""
    import brian2 as b2

    net_p = mc.derive(scale, scale)
    dt = mc.DT
    b2.defaultclock.dt = dt * b2.ms
    rng = np.random.default_rng(seed)
    b2.seed(seed)
    eqs = """
    dv/dt = -(v - E_L)/tau_m + (I_syn + I_e)/C_m : volt (unless refractory)
    dI_syn/dt = -I_syn/tau_syn : amp
    I_e : amp
    """
    ns = dict(E_L=mc.NEURON["E_L"] * b2.mV, tau_m=mc.NEURON["tau_m"] * b2.ms, C_m=mc.NEURON["C_m"] * b2.pF,
              tau_syn=mc.TAU_SYN * b2.ms, V_th=mc.NEURON["V_th"] * b2.mV, V_reset=mc.NEURON["V_reset"] * b2.mV)
    sizes = net_p["sizes"]
    first = np.concatenate([[0], np.cumsum(sizes)])
    g = b2.NeuronGroup(int(first[-1]), eqs, threshold="v >= V_th", reset="v = V_reset",
                       refractory=mc.NEURON["t_ref"] * b2.ms, method="exact", namespace=ns, name="neurons")
    v0, ie = np.empty(first[-1]), np.empty(first[-1])
    net = b2.Network(g)
    slices = {}
    for k, name in enumerate(mc.POPULATIONS):
        a, b = first[k], first[k + 1]
        v0[a:b] = rng.normal(mc.V0_MEAN[k], mc.V0_SD[k], b - a)
        ie[a:b] = net_p["dc"][k]
        net.add(b2.PoissonInput(g[a:b], "I_syn", N=net_p["k_ext"][k], rate=net_p["bg_rate"] * b2.Hz,
                                weight=net_p["w_ext"] * b2.pA))
        slices[name] = (a, b)
    g.v = v0 * b2.mV
    g.I_e = ie * b2.pA
    mon = b2.SpikeMonitor(g, name="spikes")
    net.add(mon)
    pre, post, w, d = [], [], [], []
    for p in net_p["projections"]:
        (sa, sb), (ta, tb) = slices[p["source"]], slices[p["target"]]
        pre.append(rng.integers(sa, sb, p["total"]))
        post.append(rng.integers(ta, tb, p["total"]))
        lo, hi = (0.0, np.inf) if p["w_mean"] >= 0 else (-np.inf, 0.0)
        w.append(redraw_normal(rng, p["w_mean"], p["w_sd"], p["total"], lo, hi))
        d.append(redraw_normal(rng, p["d_mean"], p["d_sd"], p["total"], lo=dt / 2))
    s = b2.Synapses(g, g, "w : amp", on_pre="I_syn_post += w", name="synapses")
    s.connect(i=np.concatenate(pre), j=np.concatenate(post))
    s.w = np.concatenate(w) * b2.pA
    s.delay = np.maximum(1, np.round(np.concatenate(d) / dt)) * dt * b2.ms
    net.add(s)
    return net, (mon, slices)


def main():
    mode, scale, duration = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    import brian2 as b2

    t0 = time.perf_counter()
    if mode == "runtime":
        b2.prefs.codegen.target = "cython"
        net, groups = build(scale)
        t1, c1 = time.perf_counter(), time.process_time()
        net.run(duration * b2.ms)
        run_s, run_cpu = time.perf_counter() - t1, time.process_time() - c1
        print(f"run_cpu_s={run_cpu:.3f}")
    else:
        threads = int(sys.argv[4])
        out = tempfile.mkdtemp(prefix="snnfit_b2_microcircuit_")
        b2.set_device("cpp_standalone", directory=out, build_on_run=False)
        b2.prefs.devices.cpp_standalone.openmp_threads = threads
        net, groups = build(scale)
        net.run(duration * b2.ms)
        b2.device.build(directory=out, compile=True, run=False)
        t0 = time.perf_counter()  # the binary: synapse creation, the run, writing results
        b2.device.run(directory=out, with_output=False, run_args=[])
        run_s = b2.device._last_run_time
    whole_s = time.perf_counter() - t0
    if mode != "runtime":
        shutil.rmtree(out, ignore_errors=True)
    print(f"whole_s={whole_s:.3f}\nrun_s={run_s:.3f}")
    mon, slices = groups
    idx = np.asarray(mon.i[:])
    for name, (a, b) in slices.items():
        n = int(((idx >= a) & (idx < b)).sum())
        print(f"rate_{name}={n / (b - a) / (duration / 1000.0):.4f}")


if __name__ == "__main__":
    main()
