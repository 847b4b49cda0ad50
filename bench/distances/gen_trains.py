#!/usr/bin/python3
"""Writes N Poisson spike trains (rate R Hz, T s; times in ms) in PySpike's text format."""
import sys

import numpy as np

out, n, rate, T = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
rng = np.random.RandomState(12345)
with open(out, "w") as f:
    for _ in range(n):
        k = rng.poisson(rate * T)
        t = np.unique(np.round(np.sort(rng.uniform(0, T * 1000.0, k)), 6))
        f.write(" ".join(repr(float(x)) for x in t) + "\n")
