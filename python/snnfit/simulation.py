"""simulate() and run(): the `snnfit simulate` and `snnfit run` commands from Python.

A config is a TOML file path or a dict of the same tables; keyword overrides are the
CLI's ``--set`` assignments, with ``__`` standing for the dots of the key path:
``simulate("net.toml", simulation__duration=500, populations__E__size=100)``. Times
in the returned objects are in ms (the configs' unit); the HDF5 files store seconds.
"""

import math
import os

import numpy as np

from . import _snnfit
from .spikes import SpikeTrain


def _toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} {v!r} as TOML")


def _key(k):
    k = str(k)
    return k if k.replace("_", "").replace("-", "").isalnum() else _toml_value(k)


def _is_table_array(v):
    return isinstance(v, (list, tuple)) and len(v) > 0 and all(isinstance(x, dict) for x in v)


def to_toml(config, _prefix=""):
    """A dict of TOML tables -> TOML text (tables, arrays of tables, inline values)."""
    lines, tables = [], []
    for k, v in config.items():
        if isinstance(v, dict) or _is_table_array(v):
            tables.append((k, v))
        else:
            lines.append(f"{_key(k)} = {_toml_value(v)}")
    out = "\n".join(lines) + ("\n" if lines else "")
    for k, v in tables:
        name = f"{_prefix}{_key(k)}"
        if isinstance(v, dict):
            out += f"\n[{name}]\n" + to_toml(v, name + ".")
        else:
            for item in v:
                out += f"\n[[{name}]]\n" + to_toml(item, name + ".")
    return out


def _config(config, overrides):
    sets = [f"{k.replace('__', '.')}={_toml_value(v)}" for k, v in overrides.items()]
    if isinstance(config, dict):
        return to_toml(config), True, sets
    path = os.fspath(config)
    return path, False, sets


class Simulation:
    """What `snnfit simulate` writes, as numpy arrays.

    - ``spikes[pop]``: list of spike-time arrays (ms), one per recorded neuron;
    - ``raster(pop)``: (times, offsets) of the same trains back to back;
    - ``neurons[pop]``: the neuron of each train;
    - ``voltage[pop]``: neurons x samples (mV), ``voltage_neurons[pop]``, time axis ``t`` (ms);
    - ``dt``, ``t_stop`` (ms), ``seed``, ``status`` ("ok" or "invalid"), ``message``, ``config``.
    """

    def __init__(self, d):
        self.dt, self.t_stop, self.seed = d["dt"], d["t_stop"], d["seed"]
        self.status, self.message, self.config = d["status"], d["message"], d["config"]
        self._rasters = {p: (r["times"], r["offsets"]) for p, r in d["spikes"].items()}
        self.spikes = {p: np.split(t, o[1:-1]) for p, (t, o) in self._rasters.items()}
        self.neurons = {p: (r["neurons"] if len(r["neurons"]) else np.arange(len(r["offsets"]) - 1))
                        for p, r in d["spikes"].items()}
        self.voltage = {p: v["v"] for p, v in d["voltage"].items()}
        self.voltage_neurons = {p: v["neurons"] for p, v in d["voltage"].items()}
        samples = max((v.shape[1] for v in self.voltage.values()), default=0)
        self.t = np.arange(samples) * self.dt

    def raster(self, population):
        return self._rasters[population]

    def spike_trains(self, population):
        """PySpike SpikeTrain objects on [0, t_stop] ms, ready for the distances."""
        return [SpikeTrain(s, (0.0, self.t_stop)) for s in self.spikes[population]]

    def rates(self, population):
        """Mean rate of each recorded neuron, Hz."""
        return np.array([len(s) for s in self.spikes[population]]) / (self.t_stop / 1000.0)

    def __repr__(self):
        pops = ", ".join(f"{p}: {len(s)} trains" for p, s in self.spikes.items())
        return f"Simulation({pops}; {self.t_stop:g} ms, status {self.status})"


def simulate(config, seed=None, **overrides):
    """Simulates the network of a config (path or dict) as `snnfit simulate` does; returns a Simulation."""
    text, is_text, sets = _config(config, overrides)
    return Simulation(_snnfit.simulate(text, is_text, sets, seed))


def run(config, out="out", threads=0, seed=None, generations=None, resume="", progress=True, **overrides):
    """Runs a fit as `snnfit run CONFIG --out OUT` does (threads; 0 = one per core), printing one
    progress line per generation unless progress is False, and returns load_result(OUT/result.h5)
    (or, when a signal stopped the run, load_checkpoint of its last checkpoint)."""
    from .results import load_checkpoint, load_result

    text, is_text, sets = _config(config, overrides)
    summary = _snnfit.run(text, is_text, sets, os.fspath(out), int(threads), seed, generations, resume,
                          bool(progress))
    if summary["interrupted_by"]:
        return load_checkpoint(summary["checkpoint"])
    return load_result(summary["result"])
