#!/usr/bin/python3
"""Spontaneous-activity statistics of a microcircuit run, as Potjans & Diesmann (2014)
report them (their Fig. 6), from an `snnfit simulate` HDF5 file:

- rate: mean over all neurons of the population (silent ones included), in Hz;
- irregularity: mean CV of the interspike intervals over the neurons with at least
  `MIN_SPIKES` spikes in the window;
- synchrony: variance / mean of the population spike-count histogram (bin 3 ms) of a
  random subsample of 1000 neurons per population (all when fewer).

The window is [t_start, t_stop] (ms; default: 500 ms transient dropped).

    stats.py RUN.h5 [--t-start 500] [--json]
Prints one line per population: name rate cv synchrony (or a JSON object).
Run with /usr/bin/python3 (h5py, numpy).
"""
import argparse
import json

import h5py
import numpy as np

POPULATIONS = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
MIN_SPIKES = 4  # at least 3 intervals for a CV
SYNC_BIN = 3.0  # ms
SYNC_SAMPLE = 1000


def population_stats(times_s, offsets, t0, t1, rng):
    """(rate Hz, mean CV ISI, synchrony) of one population's raster."""
    t = times_s * 1000.0
    n = len(offsets) - 1
    counts, cvs = np.zeros(n), []
    trains = []
    for i in range(n):
        tr = t[offsets[i]:offsets[i + 1]]
        tr = tr[(tr >= t0) & (tr <= t1)]
        trains.append(tr)
        counts[i] = len(tr)
        if len(tr) >= MIN_SPIKES:
            isi = np.diff(tr)
            cvs.append(isi.std() / isi.mean())
    rate = counts.mean() / ((t1 - t0) / 1000.0)
    pick = rng.choice(n, size=min(n, SYNC_SAMPLE), replace=False)
    sample = np.concatenate([trains[i] for i in pick]) if len(pick) else np.array([])
    hist, _ = np.histogram(sample, bins=np.arange(t0, t1 + SYNC_BIN / 2, SYNC_BIN))
    sync = hist.var() / hist.mean() if hist.mean() > 0 else float("nan")
    return rate, (float(np.mean(cvs)) if cvs else float("nan")), sync


def stats(path, t_start=500.0, t_stop=None, seed=1):
    rng = np.random.default_rng(seed)
    out = {}
    with h5py.File(path, "r") as f:
        t1 = float(f.attrs["t_stop"]) if t_stop is None else t_stop
        for pop in POPULATIONS:
            g = f["spikes"][pop]
            out[pop] = population_stats(g["times"][:], g["offsets"][:], t_start, t1, rng)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--t-start", type=float, default=500.0)
    ap.add_argument("--t-stop", type=float)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    s = stats(a.file, a.t_start, a.t_stop)
    if a.json:
        print(json.dumps({k: dict(rate=v[0], cv=v[1], synchrony=v[2]) for k, v in s.items()}))
    else:
        for k, (r, cv, sy) in s.items():
            print(f"{k}\t{r:.3f}\t{cv:.3f}\t{sy:.3f}")


if __name__ == "__main__":
    main()
