#!/usr/bin/python3
"""Turns the raw figures bench/python_pipeline/run.sh collected in DIR (one file per
measurement kind) into the benchmark's table rows. summarize.py DIR"""
import os, statistics as st, sys
tmp = sys.argv[1]
med = st.median
def rows(name):
    p = os.path.join(tmp, name)
    if not os.path.exists(p) or os.path.getsize(p) == 0:
        return []
    return [l.split() for l in open(p) if l.strip()]
snn_full = rows("snn_full"); snn_05 = rows("snn_05"); snn_full2 = rows("snn_full2")
py_batch = rows("py_batch"); py_ind = rows("py_ind"); py_brian2 = rows("py_brian2")
cmd = "bench/python_pipeline/run.sh"
case = "single-cell Izhikevich fit (4 params, 4 sweeps x 600 ms, dt 0.1)"
out = []
def row(c, peer, p, o, unit):
    out.append("python_pipeline\t%s: %s\t%s\t%.4g\t%.4g\t%s\t%.1f\t%s" % (case, c, peer, p, o, unit, p / o, cmd))
# per evaluation, 1 core: snnfit's whole run / its evaluations (GA, checkpoints, start-up included)
snn_per = med(float(r[0]) / int(r[2]) for r in snn_full) * 1e3
if py_ind:
    r = py_ind[0]
    row("CPU per evaluation, 1 core", "DEAP 1.3 + numpy (per candidate) + PySpike 0.7",
        float(r[2]) / int(r[1]) * 1e3, snn_per, "ms/eval")
if py_batch:
    row("CPU per evaluation, 1 core", "DEAP 1.3 + numpy (whole generation vectorised) + PySpike 0.7",
        med(float(r[2]) / int(r[1]) for r in py_batch) * 1e3, snn_per, "ms/eval")
if py_brian2:
    r = py_brian2[0]
    row("CPU per evaluation, 1 core", "Brian2 2.5.1 (Cython, one Network, restore + run) + PySpike 0.7",
        float(r[2]) / int(r[1]) * 1e3, snn_per, "ms/eval")
if py_batch:
    row("same budget (23 560 evaluations), 1 core, CPU", "DEAP + numpy (vectorised) + PySpike",
        med(float(r[2]) for r in py_batch), med(float(r[0]) for r in snn_full), "s")
    # A seed that never reached 0.05 within the budget counts as infinitely slow.
    inf = float("inf")
    py_t = med(float(r[6]) if int(r[5]) > 0 else inf for r in py_batch)
    sn_t = med(float(r[0]) if float(r[3]) <= 0.05 else inf for r in snn_05) if snn_05 else inf
    if py_t < inf and sn_t < inf:
        row("time to SPIKE-distance <= 0.05 (median over seeds; a miss counts as infinite), 1 core, CPU",
            "DEAP + numpy (vectorised) + PySpike", py_t, sn_t, "s")
    if snn_full2:
        row("same budget, wall (min over seeds, same loaded machine): snnfit --threads 2 vs Python's one process",
            "DEAP + numpy (vectorised) + PySpike", min(float(r[3]) for r in py_batch),
            min(float(r[1]) for r in snn_full2), "s")
print("\n".join(out))
