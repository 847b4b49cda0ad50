"""snnfit from Python: the C++ core's spike distances (PySpike's functional API, so
``import snnfit as spk`` works in a PySpike script), simulate(), run(), and the result
and checkpoint readers. See the README, "Python"."""

from ._snnfit import Error, __version__
from .results import Parameter, Result, load_checkpoint, load_result
from .simulation import Simulation, run, simulate, to_toml
from .spikes import *  # noqa: F401,F403
from .spikes import __all__ as _spike_names

__all__ = ["Error", "__version__", "Parameter", "Result", "load_checkpoint", "load_result", "Simulation", "run",
           "simulate", "to_toml"] + list(_spike_names)
