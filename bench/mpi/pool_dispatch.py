#!/usr/bin/python3
"""The peer of bench_dispatch throughput: DEAP's documented way to evaluate in parallel,
toolbox.register("map", multiprocessing.Pool(W).map), on the same trivial objective (the
sum of a 4-vector) and the same batch. Pool.map's default chunking (len / (4 W)) plays the
part of snnfit's chunks. One untimed batch first, then the best and the median of REPS.
    /usr/bin/python3 pool_dispatch.py WORKERS BATCH REPS
Prints "workers batch evals_per_s(best) evals_per_s(median)"."""
import multiprocessing
import statistics
import sys
import time

from deap import base


def trivial(x):
    return (sum(x),)


def main():
    workers, batch, reps = (int(a) for a in sys.argv[1:4])
    xs = [[0.01 * i, 0.2, -65.0, 8.0] for i in range(batch)]
    with multiprocessing.Pool(workers) as pool:
        tb = base.Toolbox()
        tb.register("map", pool.map)
        tb.register("evaluate", trivial)
        list(tb.map(tb.evaluate, xs))
        rates = []
        for _ in range(reps):
            t0 = time.perf_counter()
            fits = list(tb.map(tb.evaluate, xs))
            rates.append(batch / (time.perf_counter() - t0))
            assert fits[-1][0] == sum(xs[-1])
    print("%d\t%d\t%.6g\t%.6g" % (workers, batch, max(rates), statistics.median(rates)))


if __name__ == "__main__":
    main()
