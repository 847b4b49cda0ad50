"""Spike-train distances with PySpike 0.7's functional API, computed by snnfit's C++ core.

``import snnfit as spk`` works in a PySpike script: the same names and call structures
(``f(st1, st2)``, ``f(st1, st2, st3)``, ``f(trains, indices=..., interval=...)``), PySpike
``SpikeTrain`` objects or plain numpy arrays with ``edges=(t_start, t_end)``, and profiles
with ``get_plottable_data()``, ``avrg()`` and ``integral()``. Values equal PySpike's to
rounding (the tests hold them to 1e-12). Multivariate values and matrices run on the
matrix kernels and take ``threads`` (default 1; 0 = one per core).
"""

import collections.abc

import numpy as np

from . import _snnfit

__all__ = [
    "SpikeTrain", "PieceWiseConstFunc", "PieceWiseLinFunc", "DiscreteFunc",
    "load_spike_trains_from_txt",
    "isi_distance", "isi_distance_multi", "isi_distance_matrix", "isi_profile", "isi_profile_multi",
    "spike_distance", "spike_distance_multi", "spike_distance_matrix", "spike_profile", "spike_profile_multi",
    "spike_sync", "spike_sync_multi", "spike_sync_matrix", "spike_sync_profile", "spike_sync_profile_multi",
    "victor_purpura_distance", "victor_purpura_distance_matrix",
    "van_rossum_distance", "van_rossum_distance_matrix",
]


class SpikeTrain:
    """A spike train on its edges, as PySpike's: ``spikes`` (sorted float array), ``t_start``, ``t_end``.

    ``edges`` is a pair (t_start, t_end) or a single t_end (t_start = 0)."""

    def __init__(self, spike_times, edges, is_sorted=True):
        spikes = np.array(spike_times, dtype=float)
        self.spikes = spikes if is_sorted else np.sort(spikes)
        if isinstance(edges, collections.abc.Sequence) or isinstance(edges, np.ndarray):
            self.t_start, self.t_end = float(edges[0]), float(edges[1])
        else:
            self.t_start, self.t_end = 0.0, float(edges)

    def __getitem__(self, index):
        return self.spikes[index]

    def __len__(self):
        return len(self.spikes)

    def __repr__(self):
        return f"SpikeTrain({len(self.spikes)} spikes on [{self.t_start:g}, {self.t_end:g}])"

    def sort(self):
        self.spikes = np.sort(self.spikes)

    def copy(self):
        return SpikeTrain(self.spikes.copy(), [self.t_start, self.t_end])


def load_spike_trains_from_txt(file_name, edges, separator=" ", comment="#", is_sorted=False, ignore_empty_lines=True):
    """PySpike's text format: one train per line, ``comment`` lines skipped; an empty line is
    skipped too unless ignore_empty_lines is False (then it is an empty train)."""
    trains = []
    with open(file_name) as f:
        for line in f:
            if line.startswith(comment):
                continue
            if len(line) > 1:
                times = [float(t) for t in line.strip().split(separator if separator != " " else None) if t]
                trains.append(SpikeTrain(times, edges, is_sorted))
            elif not ignore_empty_lines:
                trains.append(SpikeTrain([], edges))
    return trains


# ---- profiles --------------------------------------------------------------------------------

def _intervals(interval):
    """None, (t0, t1) or a sequence of pairs -> list of pairs."""
    if interval is None:
        return None
    if not isinstance(interval, (collections.abc.Sequence, np.ndarray)):
        raise ValueError("interval: expected None, a pair (T0, T1) or a sequence of pairs")
    if isinstance(interval[0], (collections.abc.Sequence, np.ndarray)):
        return [(float(a), float(b)) for a, b in interval]
    return [(float(interval[0]), float(interval[1]))]


def _check_interval(x, t0, t1):
    if not (x[0] <= t0 <= t1 <= x[-1]):
        raise ValueError(f"averaging interval [{t0}, {t1}] is not inside the profile's [{x[0]}, {x[-1]}]")


class PieceWiseConstFunc:
    """The ISI profile: value ``y[k]`` on ``[x[k], x[k+1])``."""

    def __init__(self, x, y):
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def get_plottable_data(self):
        xp = np.repeat(self.x, 2)[1:-1]
        yp = np.repeat(self.y, 2)
        return xp, yp

    def integral(self, interval=None):
        if interval is None:
            return float(np.sum(np.diff(self.x) * self.y))
        (t0, t1), = _intervals(interval)
        _check_interval(self.x, t0, t1)
        lo, hi = np.clip(self.x[:-1], t0, t1), np.clip(self.x[1:], t0, t1)
        return float(np.sum((hi - lo) * self.y))

    def avrg(self, interval=None):
        if interval is None:
            return self.integral() / (self.x[-1] - self.x[0])
        ivals = _intervals(interval)
        return sum(self.integral(iv) for iv in ivals) / sum(b - a for a, b in ivals)


class PieceWiseLinFunc:
    """The SPIKE profile: linear on ``[x[k], x[k+1]]`` from ``y1[k]`` to ``y2[k]``."""

    def __init__(self, x, y1, y2):
        self.x = np.asarray(x, dtype=float)
        self.y1, self.y2 = np.asarray(y1, dtype=float), np.asarray(y2, dtype=float)

    def get_plottable_data(self):
        xp = np.repeat(self.x, 2)[1:-1]
        yp = np.empty_like(xp)
        yp[0::2], yp[1::2] = self.y1, self.y2
        return xp, yp

    def integral(self, interval=None):
        dx = np.diff(self.x)
        if interval is None:
            return float(np.sum(dx * 0.5 * (self.y1 + self.y2)))
        (t0, t1), = _intervals(interval)
        _check_interval(self.x, t0, t1)
        lo, hi = np.clip(self.x[:-1], t0, t1), np.clip(self.x[1:], t0, t1)
        slope = np.divide(self.y2 - self.y1, dx, out=np.zeros_like(dx), where=dx > 0)
        at = lambda t: self.y1 + slope * (t - self.x[:-1])  # noqa: E731
        return float(np.sum((hi - lo) * 0.5 * (at(lo) + at(hi))))

    def avrg(self, interval=None):
        if interval is None:
            return self.integral() / (self.x[-1] - self.x[0])
        ivals = _intervals(interval)
        return sum(self.integral(iv) for iv in ivals) / sum(b - a for a, b in ivals)


class DiscreteFunc:
    """The SPIKE-synchronization profile: ``y[k]`` coincidences out of ``mp[k]`` at each spike ``x[k]``;
    the first and last points are the window edges, copies of their neighbours."""

    def __init__(self, x, y, mp):
        self.x, self.y, self.mp = (np.asarray(v, dtype=float) for v in (x, y, mp))

    def get_plottable_data(self):
        return 1.0 * self.x, self.y / self.mp

    def integral(self, interval=None):
        """(summed coincidences, summed multiplicity) over the inner points, or the points strictly inside
        the interval(s)."""
        if interval is None:
            return float(np.sum(self.y[1:-1])), float(np.sum(self.mp[1:-1]))
        value = mp = 0.0
        for t0, t1 in _intervals(interval):
            inside = (self.x > t0) & (self.x < t1)
            value += float(np.sum(self.y[inside]))
            mp += float(np.sum(self.mp[inside]))
        return value, mp

    def avrg(self, interval=None, normalize=True):
        value, mp = self.integral(interval)
        if not normalize:
            return value
        return value / mp if mp > 0 else 1.0


# ---- inputs ----------------------------------------------------------------------------------

def _train(t, edges):
    """(spikes, t_start, t_end) of a PySpike SpikeTrain (or anything with .spikes, .t_start,
    .t_end) or of an array with the given edges (None: decided by the caller)."""
    if hasattr(t, "spikes") and hasattr(t, "t_start") and hasattr(t, "t_end"):
        return np.ascontiguousarray(t.spikes, dtype=float), float(t.t_start), float(t.t_end)
    a = np.ascontiguousarray(t, dtype=float)
    if a.ndim != 1:
        raise ValueError(f"a spike train must be 1-D, got an array of shape {a.shape}")
    if edges is None:
        return a, None, None
    if isinstance(edges, (collections.abc.Sequence, np.ndarray)):
        return a, float(edges[0]), float(edges[1])
    return a, 0.0, float(edges)


def _prepare(trains, edges):
    """-> (list of spike arrays, t_start, t_end), checking that every train shares the edges
    (PySpike asserts it). Arrays without edges take [0, last spike] (snnfit distance's default)."""
    parsed = [_train(t, edges) for t in trains]
    known = {(a, b) for _, a, b in parsed if a is not None}
    if len(known) > 1:
        raise ValueError(f"the spike trains are not defined on the same interval: {sorted(known)}")
    if known:
        t0, t1 = known.pop()
    else:
        last = max((s[-1] for s, _, _ in parsed if len(s)), default=None)
        if last is None:
            raise ValueError("no spikes to infer the edges from; give edges=(t_start, t_end)")
        t0, t1 = min(0.0, min(s[0] for s, _, _ in parsed if len(s))), float(last)
    return [s for s, _, _ in parsed], t0, t1


def _raster(spikes):
    offsets = np.zeros(len(spikes) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(s) for s in spikes])
    times = np.concatenate(spikes) if spikes else np.zeros(0)
    return np.ascontiguousarray(times, dtype=float), offsets


def _select(trains, indices):
    trains = list(trains)
    if indices is None:
        return trains
    idx = np.asarray(indices, dtype=int)
    if ((idx < 0) | (idx >= len(trains))).any():
        raise ValueError("Invalid index list.")
    return [trains[i] for i in idx]


def _split(args):
    """PySpike's call structures: (st1, st2) a pair; (trains,) or (st1, st2, st3, ...) many."""
    if len(args) == 1:
        return None, list(args[0])
    if len(args) == 2:
        return (args[0], args[1]), None
    return None, list(args)


_DEFAULTS = dict(q=1.0, tau=10.0, norm="rossum2001", max_tau=0.0)


def _opts(**kw):
    o = dict(_DEFAULTS)
    o.update({k: v for k, v in kw.items() if v is not None})
    return o


def _pair(metric, a, b, edges, **kw):
    (sa, sb), t0, t1 = _prepare([a, b], edges)
    o = _opts(**kw)
    return _snnfit.pair(metric, sa, sb, t0, t1, o["q"], o["tau"], o["norm"], o["max_tau"])


def _multi(metric, trains, edges, threads, **kw):
    spikes, t0, t1 = _prepare(trains, edges)
    if len(spikes) < 2:
        raise ValueError(f"a multivariate value needs at least two spike trains, got {len(spikes)}")
    o = _opts(**kw)
    return _snnfit.multi(metric, *_raster(spikes), t0, t1, o["q"], o["tau"], o["norm"], o["max_tau"], threads)


def _matrix(metric, trains, edges, threads, **kw):
    spikes, t0, t1 = _prepare(trains, edges)
    o = _opts(**kw)
    return _snnfit.matrix(metric, *_raster(spikes), t0, t1, o["q"], o["tau"], o["norm"], o["max_tau"], threads)


def _profile(metric, trains, edges, max_tau=None):
    spikes, t0, t1 = _prepare(trains, edges)
    if len(spikes) < 2:
        raise ValueError(f"a profile needs at least two spike trains, got {len(spikes)}")
    parts = _snnfit.profile(metric, *_raster(spikes), t0, t1, max_tau or 0.0)
    return {"isi": PieceWiseConstFunc, "spike": PieceWiseLinFunc, "sync": DiscreteFunc}[metric](*parts)


# ---- ISI and SPIKE ---------------------------------------------------------------------------

_CODE = {"isi": 0, "spike": 1, "sync": 2}


def _distance_api(metric):
    """isi_distance / spike_distance and their multi, matrix and profile forms."""
    code = _CODE[metric]

    def profile_multi(spike_trains, indices=None, edges=None):
        return _profile(metric, _select(spike_trains, indices), edges)

    def profile(*args, indices=None, edges=None):
        pair, many = _split(args)
        return _profile(metric, list(pair), edges) if pair else profile_multi(many, indices, edges)

    def pair_distance(a, b, interval=None, edges=None):
        if interval is None:
            return _pair(metric, a, b, edges)
        return _profile(metric, [a, b], edges).avrg(interval)

    def distance_multi(spike_trains, indices=None, interval=None, edges=None, threads=1):
        trains = _select(spike_trains, indices)
        if interval is None:
            return _multi(metric, trains, edges, threads)
        n = len(trains)
        return sum(pair_distance(trains[i], trains[j], interval, edges)
                   for i in range(n) for j in range(i + 1, n)) / (n * (n - 1) / 2)

    def distance(*args, indices=None, interval=None, edges=None, threads=1):
        if len(args) == 2 and interval is None:  # the pair on the kernels, without Python in between
            return _snnfit.pair_fast(code, args[0], args[1], edges, 0.0)
        pair, many = _split(args)
        if pair:
            return pair_distance(*pair, interval=interval, edges=edges)
        return distance_multi(many, indices, interval, edges, threads)

    def distance_matrix(spike_trains, indices=None, interval=None, edges=None, threads=1):
        trains = _select(spike_trains, indices)
        if interval is None:
            return _matrix(metric, trains, edges, threads)
        n = len(trains)
        m = np.zeros((n, n))
        for i in range(n):
            for j in range(i + 1, n):
                m[i, j] = m[j, i] = pair_distance(trains[i], trains[j], interval, edges)
        return m

    return distance, distance_multi, distance_matrix, profile, profile_multi


isi_distance, isi_distance_multi, isi_distance_matrix, isi_profile, isi_profile_multi = _distance_api("isi")
spike_distance, spike_distance_multi, spike_distance_matrix, spike_profile, spike_profile_multi = \
    _distance_api("spike")
isi_distance.__doc__ = "ISI-distance (Kreuz 2007) of two trains, or the mean over all pairs of many."
spike_distance.__doc__ = "SPIKE-distance (Kreuz 2013, PySpike's edge correction) of two trains, or the mean " \
    "over all pairs of many."


# ---- SPIKE-synchronization -------------------------------------------------------------------

def spike_sync_profile_multi(spike_trains, indices=None, max_tau=None, edges=None):
    return _profile("sync", _select(spike_trains, indices), edges, max_tau)


def spike_sync_profile(*args, indices=None, max_tau=None, edges=None):
    pair, many = _split(args)
    if pair:
        return _profile("sync", list(pair), edges, max_tau)
    return spike_sync_profile_multi(many, indices, max_tau, edges)


def _sync_values(a, b, interval, max_tau, edges):
    return _profile("sync", [a, b], edges, max_tau).integral(interval)


def spike_sync_multi(spike_trains, indices=None, interval=None, max_tau=None, edges=None, threads=1):
    trains = _select(spike_trains, indices)
    if interval is None:
        return _multi("sync", trains, edges, threads, max_tau=max_tau)
    c = mp = 0.0
    for i in range(len(trains)):
        for j in range(i + 1, len(trains)):
            ci, mi = _sync_values(trains[i], trains[j], interval, max_tau, edges)
            c, mp = c + ci, mp + mi
    return c / mp if mp > 0 else 1.0


def spike_sync(*args, indices=None, interval=None, max_tau=None, edges=None, threads=1):
    """SPIKE-synchronization (Kreuz 2015): coincident spikes / all spikes, pooled over pairs."""
    if len(args) == 2 and interval is None:
        return _snnfit.pair_fast(2, args[0], args[1], edges, max_tau or 0.0)
    pair, many = _split(args)
    if not pair:
        return spike_sync_multi(many, indices, interval, max_tau, edges, threads)
    c, mp = _sync_values(*pair, interval, max_tau, edges)
    return c / mp if mp > 0 else 1.0


def spike_sync_matrix(spike_trains, indices=None, interval=None, max_tau=None, edges=None, threads=1):
    """SYNC of every pair; the diagonal is 0, as PySpike leaves it (``snnfit distance`` prints 1)."""
    trains = _select(spike_trains, indices)
    if interval is None:
        m = _matrix("sync", trains, edges, threads, max_tau=max_tau)
    else:
        n = len(trains)
        m = np.zeros((n, n))
        for i in range(n):
            for j in range(i + 1, n):
                m[i, j] = m[j, i] = spike_sync(trains[i], trains[j], interval=interval, max_tau=max_tau,
                                               edges=edges)
    np.fill_diagonal(m, 0.0)
    return m


# ---- Victor-Purpura and van Rossum -----------------------------------------------------------

def victor_purpura_distance(*args, q=1.0, indices=None, edges=None, threads=1):
    """Victor-Purpura with cost q per time unit; of two trains, or the mean over all pairs of many."""
    pair, many = _split(args)
    if pair:
        return _pair("vp", *pair, edges, q=q)
    return _multi("vp", _select(many, indices), edges, threads, q=q)


def victor_purpura_distance_matrix(spike_trains, q=1.0, indices=None, edges=None, threads=1):
    return _matrix("vp", _select(spike_trains, indices), edges, threads, q=q)


def van_rossum_distance(*args, tau=10.0, norm="rossum2001", indices=None, edges=None, threads=1):
    """van Rossum with time constant tau; norm "rossum2001" (the paper's) or "elephant" (sqrt(2) times it)."""
    pair, many = _split(args)
    if pair:
        return _pair("vr", *pair, edges, tau=tau, norm=norm)
    return _multi("vr", _select(many, indices), edges, threads, tau=tau, norm=norm)


def van_rossum_distance_matrix(spike_trains, tau=10.0, norm="rossum2001", indices=None, edges=None, threads=1):
    return _matrix("vr", _select(spike_trains, indices), edges, threads, tau=tau, norm=norm)
