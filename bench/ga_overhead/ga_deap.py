"""DEAP's GA with the same operators and budget as bench_ga_overhead: tournament of 3,
SBX (cxSimulatedBinaryBounded, eta 15, probability 0.9), polynomial mutation
(mutPolynomialBounded, eta 20, 1/d per gene), one elite kept, population - 1 children
per generation, each evaluated. Prints "deap<TAB>microseconds per evaluation<TAB>evaluations<TAB>best".
    /usr/bin/python3 ga_deap.py POPULATION GENERATIONS DIM REPS
"""
import random
import sys
import time

from deap import base, creator, tools

pop_size, gens, dim, reps = (int(a) for a in sys.argv[1:5])
lo, hi = -5.0, 5.0

creator.create("FitnessMin", base.Fitness, weights=(-1.0,))
creator.create("Individual", list, fitness=creator.FitnessMin)


def sphere(x):
    return (sum(v * v for v in x),)


tb = base.Toolbox()
tb.register("attr", random.uniform, lo, hi)
tb.register("individual", tools.initRepeat, creator.Individual, tb.attr, dim)
tb.register("population", tools.initRepeat, list, tb.individual)
tb.register("evaluate", sphere)
tb.register("mate", tools.cxSimulatedBinaryBounded, eta=15.0, low=lo, up=hi)
tb.register("mutate", tools.mutPolynomialBounded, eta=20.0, low=lo, up=hi, indpb=1.0 / dim)
tb.register("select", tools.selTournament, tournsize=3)


def run(seed):
    random.seed(seed)
    evals = 0
    pop = tb.population(n=pop_size)
    for ind in pop:
        ind.fitness.values = tb.evaluate(ind)
    evals += len(pop)
    for _ in range(gens):
        elite = tools.selBest(pop, 1)
        off = [tb.clone(i) for i in tb.select(pop, pop_size - 1)]
        for a, b in zip(off[::2], off[1::2]):
            if random.random() < 0.9:
                tb.mate(a, b)
        for ind in off:
            tb.mutate(ind)
            ind.fitness.values = tb.evaluate(ind)
        evals += len(off)
        pop = elite + off
    return evals, min(i.fitness.values[0] for i in pop)


best = None
for r in range(reps):
    t0 = time.perf_counter()
    evals, f = run(r + 1)
    us = 1e6 * (time.perf_counter() - t0) / evals
    if best is None or us < best[0]:
        best = (us, evals, f)
print("deap\t%.6g\t%d\t%.3g" % best)
