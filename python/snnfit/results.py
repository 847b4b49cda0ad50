"""load_result() and load_checkpoint(): a result.h5 or checkpoint as Python objects, with no
knowledge of the HDF5 layout needed (README, "Files"). Spike times come back in ms, as in
configs and in simulate(); the files store seconds."""

import numpy as np

_HISTORY = ("generation", "evaluations", "best", "mean", "std", "invalid", "evals_per_second", "elapsed")


def _h5py():
    try:
        import h5py
    except ImportError as e:  # pragma: no cover - Debian's python3-h5py is a dependency
        raise ImportError("snnfit.load_result needs h5py (Debian: apt-get install python3-h5py)") from e
    return h5py


def _str(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def _strings(ds):
    return [_str(v) for v in ds[()]]


def _trains(group):
    """A raster group (times in s, offsets) -> list of arrays in ms."""
    t, off = group["times"][()] * 1000.0, group["offsets"][()]
    return np.split(t, off[1:-1]) if len(off) > 1 else []


def _rasters(group):
    return {name: _trains(group[name]) for name in group} if group is not None else {}


def _record(names, rows):
    """Rows of values -> a structured array with one float field per name."""
    rows = np.atleast_2d(np.asarray(rows, dtype=float))
    out = np.zeros(rows.shape[0] if rows.size else 0, dtype=[(n, float) for n in names])
    for i, n in enumerate(names):
        if rows.size:
            out[n] = rows[:, i]
    return out


class Parameter:
    """One fitted parameter: name, config path, bounds, log scale, integer, true value (NaN if unknown)."""

    def __init__(self, name, path, lo, hi, log_scale, integer, true_value, unit=""):
        self.name, self.path, self.lo, self.hi = name, path, lo, hi
        self.log_scale, self.integer, self.true_value, self.unit = bool(log_scale), bool(integer), true_value, unit

    def decode(self, x):
        """Search coordinates -> values (log10 for a log-scaled parameter), as the optimizer decodes them."""
        v = np.power(10.0, x) if self.log_scale else np.asarray(x, dtype=float)
        v = np.clip(v, self.lo, self.hi)
        if self.integer:
            v = np.clip(np.round(v), np.ceil(self.lo), np.floor(self.hi))
        return v

    def __repr__(self):
        scale = ", log" if self.log_scale else ""
        return f"Parameter({self.name}: [{self.lo:g}, {self.hi:g}]{scale})"


class Result:
    """A result.h5 (kind "result") or a checkpoint (kind "checkpoint").

    - ``parameters``: best parameter values by name (dict, in fit order);
    - ``parameter_info``: list of Parameter (bounds, transform, true values);
    - ``objectives``: best objectives by loss label; ``fitness``, ``best`` (attributes of the best);
    - ``history``: structured array, one row per generation (generation, evaluations, best, mean,
      std, invalid, evals_per_second, elapsed); ``island_history``: name -> generations x islands;
    - ``best_spikes[pop]`` and ``target[pop]``: lists of spike-time arrays (ms);
    - ``pareto``: None, or a structured array (one field per parameter and per loss label, plus
      ``id``), with ``pareto_spikes`` (list of {pop: trains});
    - ``islands`` (checkpoints): per island a structured array of its population in model units
      plus ``fitness``, ``status``, ``id``;
    - ``config`` (TOML text), ``overrides``, ``attrs`` (root attributes), ``kind``, ``path``.
    """

    def __init__(self, path):
        h5py = _h5py()
        self.path = str(path)
        with h5py.File(self.path, "r") as f:
            self.attrs = {k: (_str(v) if isinstance(v, (bytes, str)) else v.item() if hasattr(v, "item") else v)
                          for k, v in f.attrs.items()}
            self.kind = self.attrs.get("kind", "")
            if self.kind not in ("result", "checkpoint"):
                raise ValueError(f"{self.path}: not a snnfit result or checkpoint (kind '{self.kind}')")
            self.config = _str(f["config"][()])
            self.overrides = [o for o in _str(f["config"].attrs.get("overrides", "")).splitlines() if o]
            self._read_parameters(f)
            labels = _strings(f["losses/labels"])
            self.loss_labels = labels
            self._read_best(f, labels)
            self._read_history(f)
            self.target = _rasters(f.get("target"))
            self._read_pareto(f, labels)
            self.islands = self._read_islands(f, labels) if "islands" in f else []

    def _read_parameters(self, f):
        g = f["parameters"]
        names = _strings(g["names"])
        units = _strings(g["units"]) if "units" in g else [""] * len(names)
        self.parameter_info = [
            Parameter(n, p, lo, hi, ls, it, tv, u)
            for n, p, lo, hi, ls, it, tv, u in zip(names, _strings(g["paths"]), g["lo"][()], g["hi"][()],
                                                   g["log_scale"][()], g["integer"][()], g["true_values"][()], units)]
        self.parameter_names = names

    def _read_best(self, f, labels):
        b = f["best"]
        self.best = {k: (v.item() if hasattr(v, "item") else v) for k, v in b.attrs.items()}
        values = b["parameters"][()]
        self.parameters = dict(zip(self.parameter_names, values.tolist()))
        self.objectives = dict(zip(labels, b["objectives"][()].tolist()))
        self.fitness = self.best.get("fitness")
        self.best_spikes = _rasters(b.get("spikes"))

    def _read_history(self, f):
        h = f["history"]
        n = len(h["generation"])
        dtype = [(c, np.int64 if c in ("generation", "evaluations", "invalid") else float) for c in _HISTORY]
        self.history = np.zeros(n, dtype=dtype)
        for c in _HISTORY:
            self.history[c] = h[c][()]
        self.island_history = {k: h["islands"][k][()] for k in h["islands"]} if "islands" in h else {}

    def _read_pareto(self, f, labels):
        self.pareto, self.pareto_spikes = None, []
        if "pareto" not in f:
            return
        p = f["pareto"]
        values, objectives, ids = p["parameters"][()], p["objectives"][()], p["ids"][()]
        fields = [(n, float) for n in self.parameter_names] + [(l, float) for l in labels] + [("id", np.int64)]
        self.pareto = np.zeros(len(ids), dtype=fields)
        for i, n in enumerate(self.parameter_names):
            self.pareto[n] = values[:, i]
        for i, l in enumerate(labels):
            self.pareto[l] = objectives[:, i]
        self.pareto["id"] = ids
        if "spikes" in p:
            self.pareto_spikes = [_rasters(p["spikes"][str(i)]) if str(i) in p["spikes"] else {}
                                  for i in range(len(ids))]

    def _read_islands(self, f, labels):
        out = []
        for k in range(int(f["islands"].attrs["count"])):
            g = f["islands"][str(k)]
            pop = np.atleast_2d(g["population"][()])
            fields = [(n, float) for n in self.parameter_names] + [(l, float) for l in labels] + \
                [("fitness", float), ("status", np.int64), ("id", np.int64)]
            isl = np.zeros(len(g["fitness"]), dtype=fields)
            for i, p in enumerate(self.parameter_info):
                isl[p.name] = p.decode(pop[:, i]) if pop.size else []
            obj = np.atleast_2d(g["objectives"][()])
            for i, l in enumerate(labels):
                isl[l] = obj[:, i] if obj.size else []
            isl["fitness"], isl["status"], isl["id"] = g["fitness"][()], g["status"][()], g["ids"][()]
            out.append(isl)
        return out

    def __repr__(self):
        params = ", ".join(f"{k} = {v:.6g}" for k, v in self.parameters.items())
        return (f"<snnfit {self.kind} {self.path}: {len(self.history)} generations, "
                f"best fitness {self.fitness:.6g}: {params}>")


def load_result(path):
    """A result.h5 written by `snnfit run` (or snnfit.run) as a Result."""
    r = Result(path)
    if r.kind != "result":
        raise ValueError(f"{path}: a {r.kind}, not a result (use load_checkpoint)")
    return r


def load_checkpoint(path):
    """A checkpoint (DIR/checkpoints/ckpt-*.h5) as a Result with its islands."""
    r = Result(path)
    if r.kind != "checkpoint":
        raise ValueError(f"{path}: a {r.kind}, not a checkpoint (use load_result)")
    return r
