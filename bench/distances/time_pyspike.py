#!/usr/bin/python3
"""Times PySpike's *_matrix functions on a text file: time_pyspike.py FILE T_END REPS.
Prints name, best process CPU seconds, best wall seconds.

Fails unless PySpike's compiled (cython) backend is the one in use: the cython modules
must import, and the pure-python fallback is made to raise if anything reaches it.
"""
import sys
import time

import pyspike as spk
import pyspike.cython.cython_distances as cd
import pyspike.cython.cython_profiles as cp
import pyspike.cython.python_backend as pb


def _forbidden(*a, **k):
    raise RuntimeError("PySpike fell back to its python backend")


for name in dir(pb):
    if name.endswith("_python"):
        setattr(pb, name, _forbidden)

path, t_end, reps = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
trains = spk.load_spike_trains_from_txt(path, edges=(0.0, t_end))
print("backend\t%s\t%s" % (cd.__file__, cp.__file__), file=sys.stderr)
for name, fn in (("spike", spk.spike_distance_matrix), ("isi", spk.isi_distance_matrix),
                 ("sync", spk.spike_sync_matrix)):
    best = best_cpu = float("inf")
    for _ in range(reps):
        c0, t0 = time.process_time(), time.perf_counter()
        fn(trains)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    print("%s\t%.6g\t%.6g" % (name, best_cpu, best))
