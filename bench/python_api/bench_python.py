#!/usr/bin/python3
"""snnfit's Python API against PySpike 0.7 in one Python process: the same SpikeTrain
objects, 600 Poisson trains of 10 s at 10 Hz, the pair, multivariate and matrix forms of
the ISI-distance, SPIKE-distance and SPIKE-synchronization, each on one thread. Prints
tab-separated rows: benchmark, case, peer, peer s, snnfit s, unit, ratio, command.

    PYTHONPATH=BUILD/python /usr/bin/python3 bench/python_api/bench_python.py [N] [REPS]
"""
import sys
import time

import numpy as np
import pyspike
import snnfit

n = int(sys.argv[1]) if len(sys.argv) > 1 else 600
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
T, rate = 10000.0, 10.0  # ms, Hz
rng = np.random.RandomState(12345)
raw = [np.unique(np.round(np.sort(rng.uniform(0, T, rng.poisson(rate * T / 1000.0))), 6)) for _ in range(n)]
trains = [pyspike.SpikeTrain(t, (0.0, T)) for t in raw]
pairs = [(i % n, (i * 7 + 1) % n) for i in range(2000)]
pairs = [(i, j) for i, j in pairs if i != j]


def cpu(f, repeat):
    """Best process CPU time of `repeat` calls (a shared machine disturbs CPU time far less than wall time)."""
    best, value = float("inf"), None
    for _ in range(repeat):
        t0 = time.process_time()
        value = f()
        best = min(best, time.process_time() - t0)
    return best, value


cmd = "bench/python_api/run.sh"
for name in ("isi_distance", "spike_distance", "spike_sync"):
    ps, sn = getattr(pyspike, name), getattr(snnfit, name)
    psm, snm = getattr(pyspike, name + "_matrix"), getattr(snnfit, name + "_matrix")
    # Pair: per call, over a fixed list of pairs.
    tp, vp = cpu(lambda: [ps(trains[i], trains[j]) for i, j in pairs], 1)
    ts, vs = cpu(lambda: [sn(trains[i], trains[j]) for i, j in pairs], reps)
    assert np.allclose(vp, vs, atol=1e-12, rtol=0), name
    k = len(pairs)
    print(f"python_api\t`{name}(st1, st2)`, one pair of {n} Poisson trains 10 s 10 Hz, per call (CPU)\t"
          f"PySpike 0.7 cython\t{tp / k:.3g}\t{ts / k:.3g}\ts\t{tp / ts:.1f}\t{cmd}")
    tp, vp = cpu(lambda: ps(trains), 1)
    ts, vs = cpu(lambda: sn(trains), reps)
    assert abs(vp - vs) < 1e-12, (name, vp, vs)
    print(f"python_api\t`{name}(trains)`, multivariate, {n} trains, 1 thread (CPU)\t"
          f"PySpike 0.7 cython\t{tp:.3g}\t{ts:.3g}\ts\t{tp / ts:.1f}\t{cmd}")
    tp, vp = cpu(lambda: psm(trains), 1)
    ts, vs = cpu(lambda: snm(trains), reps)
    assert np.allclose(vp, vs, atol=1e-12, rtol=0), name
    print(f"python_api\t`{name}_matrix(trains)`, {n} trains, 1 thread (CPU)\t"
          f"PySpike 0.7 cython\t{tp:.3g}\t{ts:.3g}\ts\t{tp / ts:.1f}\t{cmd}")
    sys.stdout.flush()
