#!/usr/bin/python3
"""The single-cell fit of data/examples/single_cell_izhikevich.toml done the Python way:
DEAP (python3-deap) drives the GA, numpy simulates the cell, PySpike (python3-pyspike, its
compiled cython backend, enforced) computes the loss. Run with /usr/bin/python3.

    deap_fit.py MODE SEED GENERATIONS TARGET [brian2 N]

MODE  individual  DEAP's usual way: toolbox.map(evaluate, offspring), one candidate per
                  call; the simulation is vectorised over the 4 sweeps (arrays of 4).
      batch       the most favourable numpy form: one call per generation simulates every
                  new candidate x 4 sweeps as one (n, 4) array per step.
      brian2      per-evaluation cost of the same cell in Brian2 2.5.1 (runtime mode,
                  Cython target, code cached before timing; one Network of 4 neurons
                  built once, restore() + new parameters + run(600 ms) per candidate)
                  over N candidates drawn from the initial population; no GA.

What matches snnfit's config exactly: the search box ([log10 a, b, c, d], a on a log
scale), 4 islands x 40, generational replacement with one elite and 39 children per
island, tournament of 3, SBX (cxSimulatedBinaryBounded, eta 15, probability 0.9 per pair,
0.5 per gene), polynomial mutation (mutPolynomialBounded, eta 20, 1/4 per gene), ring
migration every 10 generations of the 2 best replacing the 2 worst, stop after GENERATIONS
or when the best loss <= TARGET. The model: Izhikevich (2003), forward Euler on (v, u) from
the step's starting state, dt = 0.1 ms, 600 ms, v >= 30 -> v = c, u += d, a spike in step n
stamped (n+1) dt, steps 5/10/20/40 on for 500 <= n < 5500; v0 = -65, u0 = b v0. The loss:
mean over the 4 sweeps of PySpike's SPIKE-distance on [0, 600] ms against the target made
by the same code from a = 0.02, b = 0.2, c = -65, d = 8. A run whose mean rate exceeds
1000 Hz or whose state is not finite gets the penalty 1e9 (snnfit's max_rate and penalty).
The random streams differ from snnfit's (DEAP uses Python's `random`), so trajectories differ.

Prints progress every 25 generations to stderr and, at the end, tab-separated on stdout:
  mode  evaluations  cpu_seconds  wall_seconds  best  evals_at_0.05  cpu_at_0.05  wall_at_0.05
(cpu = process CPU time of the whole fit: GA + simulation + distances; the *_at_0.05 fields
are -1 when the best never reached 0.05).
"""
import math
import random
import sys
import time

import numpy as np
import pyspike as spk
import pyspike.cython.cython_distances as _cd  # noqa: F401  (must import: compiled backend)
import pyspike.cython.python_backend as _pb


def _forbidden(*a, **k):
    raise RuntimeError("PySpike fell back to its python backend")


for _name in dir(_pb):
    if _name.endswith("_python"):
        setattr(_pb, _name, _forbidden)

DT, T_END = 0.1, 600.0
STEPS = int(round(T_END / DT))
ON, OFF = int(round(50.0 / DT)), int(round(550.0 / DT))
AMPS = np.array([5.0, 10.0, 20.0, 40.0])
VPEAK, V0 = 30.0, -65.0
PENALTY = 1e9
MAX_RATE = 1000.0  # Hz per neuron
LO = [math.log10(0.005), 0.1, -75.0, 0.05]
HI = [math.log10(0.2), 0.3, -40.0, 10.0]
TRUE = (0.02, 0.2, -65.0, 8.0)


def simulate(a, b, c, d):
    """a, b, c, d: arrays of shape (n, 1) or scalars. Returns a bool raster (STEPS, n, 4)
    (spike in step k = a spike at (k+1) dt) and, per candidate, whether the state stayed finite."""
    shape = np.broadcast(np.asarray(a), AMPS).shape
    v = np.full(shape, V0)
    u = b * v
    spikes = np.zeros((STEPS,) + shape, dtype=bool)
    zero = np.zeros_like(AMPS)
    for n in range(STEPS):
        I = AMPS if ON <= n < OFF else zero
        vn = v + DT * (0.04 * v * v + 5.0 * v + 140.0 - u + I)
        u = u + DT * (a * (b * v - u))
        s = vn >= VPEAK
        spikes[n] = s
        v = np.where(s, c, vn)
        u = u + d * s
    return spikes, (np.isfinite(v) & np.isfinite(u)).all(axis=-1)


def trains_of(raster_col):
    """raster_col: (STEPS, 4) bools -> 4 PySpike trains (ms)."""
    return [spk.SpikeTrain((np.flatnonzero(raster_col[:, j]) + 1) * DT, edges=(0.0, T_END))
            for j in range(raster_col.shape[1])]


TARGET_RASTER, _ = simulate(*TRUE)
TARGET_TRAINS = trains_of(TARGET_RASTER)


def loss_of(raster_col, finite):
    if not finite or raster_col.sum() / 4.0 / (T_END / 1000.0) > MAX_RATE:
        return PENALTY
    model = trains_of(raster_col)
    return sum(spk.spike_distance(m, t) for m, t in zip(model, TARGET_TRAINS)) / 4.0


def params(x):
    return 10.0 ** x[0], x[1], x[2], x[3]


def evaluate(x):
    """One candidate, vectorised over the 4 sweeps."""
    raster, finite = simulate(*params(x))
    return (loss_of(raster, finite),)


def evaluate_batch(xs):
    """Every candidate of a generation at once: (n, 4) arrays per step."""
    if not xs:
        return []
    p = np.array([params(x) for x in xs])
    raster, finite = simulate(*(p[:, k:k + 1] for k in range(4)))
    return [(loss_of(raster[:, i, :], finite[i]),) for i in range(len(xs))]


def run_ga(mode, seed, gens, target):
    from deap import base, creator, tools

    creator.create("FitnessMin", base.Fitness, weights=(-1.0,))
    creator.create("Individual", list, fitness=creator.FitnessMin)
    tb = base.Toolbox()
    tb.register("individual", lambda: creator.Individual(random.uniform(l, h) for l, h in zip(LO, HI)))
    tb.register("population", tools.initRepeat, list, tb.individual)
    tb.register("mate", tools.cxSimulatedBinaryBounded, eta=15.0, low=LO, up=HI)
    tb.register("mutate", tools.mutPolynomialBounded, eta=20.0, low=LO, up=HI, indpb=1.0 / 4)
    tb.register("select", tools.selTournament, tournsize=3)
    tb.register("evaluate", evaluate)

    def assign(inds):
        fits = evaluate_batch(inds) if mode == "batch" else list(map(tb.evaluate, inds))
        for ind, f in zip(inds, fits):
            ind.fitness.values = f

    random.seed(seed)
    n_islands, mu = 4, 40
    c0, t0 = time.process_time(), time.perf_counter()
    islands = [tb.population(n=mu) for _ in range(n_islands)]
    assign([i for isl in islands for i in isl])
    evals = n_islands * mu
    hit = (-1, -1.0, -1.0)
    best = min(i.fitness.values[0] for isl in islands for i in isl)
    for g in range(1, gens + 1):
        if best <= target:
            break
        children = []
        for k, pop in enumerate(islands):
            elite = tools.selBest(pop, 1)
            off = [tb.clone(i) for i in tb.select(pop, mu - 1)]
            for a, b in zip(off[::2], off[1::2]):
                if random.random() < 0.9:
                    tb.mate(a, b)
            for ind in off:
                tb.mutate(ind)
                del ind.fitness.values
            children.extend(off)
            islands[k] = elite + off
        assign(children)
        evals += len(children)
        if g % 10 == 0:
            tools.migRing(islands, 2, tools.selBest, replacement=tools.selWorst)
        best = min(i.fitness.values[0] for isl in islands for i in isl)
        if hit[0] < 0 and best <= 0.05:
            hit = (evals, time.process_time() - c0, time.perf_counter() - t0)
        if g % 25 == 0 or best <= target:
            print("%s seed %d: gen %3d evals %6d best %.6g cpu %.2f s" % (mode, seed, g, evals, best,
                                                                         time.process_time() - c0), file=sys.stderr)
    return evals, time.process_time() - c0, time.perf_counter() - t0, best, hit


def brian2_cost(n):
    import brian2 as b2

    b2.prefs.codegen.target = "cython"
    b2.defaultclock.dt = DT * b2.ms
    eqs = """dv/dt = (0.04*v**2 + 5*v + 140 - u + I)/ms : 1
             du/dt = a*(b*v - u)/ms : 1
             I = Iamp * int(t > 49.95*ms and t < 549.95*ms) : 1  # on in steps 500..5499
             Iamp : 1 (constant)
             a : 1 (constant)
             b : 1 (constant)
             c : 1 (constant)
             d : 1 (constant)"""
    G = b2.NeuronGroup(4, eqs, threshold="v >= 30", reset="v = c; u += d", method="euler")
    G.Iamp = AMPS
    G.v = V0
    M = b2.SpikeMonitor(G)
    net = b2.Network(G, M)
    net.store()
    random.seed(1)
    xs = [[random.uniform(l, h) for l, h in zip(LO, HI)] for _ in range(n + 1)]

    def one(x):
        net.restore()
        pa, pb, pc, pd = params(x)
        G.a, G.b, G.c, G.d = pa, pb, pc, pd
        G.u = pb * V0
        net.run(T_END * b2.ms)
        tr = M.spike_trains()
        # Brian2 stamps a spike at t_n, snnfit and the numpy code at t_{n+1}: shift by dt.
        model = [spk.SpikeTrain(np.asarray(tr[j] / b2.ms) + DT, edges=(0.0, T_END)) for j in range(4)]
        return sum(spk.spike_distance(m, t) for m, t in zip(model, TARGET_TRAINS)) / 4.0

    # The first call compiles and caches the Cython code: untimed. It also checks that
    # Brian2 and the numpy code agree on the loss.
    print("brian2 loss %.6g, numpy loss %.6g" % (one(xs[0]), evaluate(xs[0])[0]), file=sys.stderr)
    c0, t0 = time.process_time(), time.perf_counter()
    for x in xs[1:]:
        one(x)
    return n, time.process_time() - c0, time.perf_counter() - t0


def main():
    mode = sys.argv[1]
    if mode == "brian2":
        n, cpu, wall = brian2_cost(int(sys.argv[2]))
        print("brian2\t%d\t%.6g\t%.6g" % (n, cpu, wall))
        return
    seed, gens, target = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    evals, cpu, wall, best, hit = run_ga(mode, seed, gens, target)
    print("%s\t%d\t%.6g\t%.6g\t%.6g\t%d\t%.6g\t%.6g" % ((mode, evals, cpu, wall, best) + hit))


if __name__ == "__main__":
    main()
