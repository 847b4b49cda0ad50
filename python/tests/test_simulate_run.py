"""simulate(), run(), load_result() and load_checkpoint() against the CLI's own files."""
import h5py
import numpy as np
import pytest

import snnfit


def h5_trains(group):
    t, off = group["times"][()] * 1000.0, group["offsets"][()]
    return np.split(t, off[1:-1])


def test_simulate_equals_cli(cli, repo, tmp_path):
    cfg = repo / "data/examples/adex_tonic_step.toml"
    out = tmp_path / "sim.h5"
    cli("simulate", cfg, "--out", out, "--set", "simulation.duration=300")
    sim = snnfit.simulate(cfg, simulation__duration=300)
    assert sim.t_stop == 300 and sim.status == "ok"
    with h5py.File(out) as f:
        assert set(sim.spikes) == set(f["spikes"])
        for pop in sim.spikes:
            cli_trains = h5_trains(f["spikes"][pop])
            assert len(cli_trains) == len(sim.spikes[pop])
            for a, b in zip(cli_trains, sim.spikes[pop]):
                np.testing.assert_allclose(a, b, rtol=1e-15, atol=1e-12)  # the file holds seconds
        for pop in f.get("voltage", {}):
            np.testing.assert_array_equal(f["voltage"][pop]["v"][()], sim.voltage[pop])
    assert len(sim.t) == max(v.shape[1] for v in sim.voltage.values())


def test_simulate_dict_config_and_closed_form():
    # A LIF cell under a constant current fires with period (ceil(T*/dt) + round(t_ref/dt)) dt,
    # T* = tau ln(RI / (RI - theta)) (README, "How snnfit is checked").
    C, tau, EL, Vth, I, tref, dt = 250.0, 10.0, -70.0, -55.0, 500.0, 2.0, 0.1
    cfg = {
        "simulation": {"dt": dt, "duration": 200.0, "seed": 1},
        "populations": [{"name": "n", "size": 1, "model": "lif",
                         "params": {"C_m": C, "tau_m": tau, "E_L": EL, "V_th": Vth, "V_reset": EL, "t_ref": tref,
                                    "V_init": EL}}],
        "inputs": [{"type": "constant", "target": "n", "amplitude": I}],
    }
    sim = snnfit.simulate(cfg)
    R = tau / C
    tstar = tau * np.log(R * I / (R * I - (Vth - EL)))
    period = (np.ceil(tstar / dt) + round(tref / dt)) * dt
    isi = np.diff(sim.spikes["n"][0])
    np.testing.assert_allclose(isi, period, atol=1e-9)
    assert snnfit.simulate(cfg, populations__n__params__t_ref=0.0).spikes["n"][0].size > isi.size + 1
    with pytest.raises(ValueError, match="dtt"):
        snnfit.simulate(cfg, simulation__dtt=0.1)


def test_run_equals_cli_and_results(cli, repo, tmp_path):
    cfg = repo / "data/examples/single_cell_izhikevich.toml"
    sets = ["optimizer.population=12", "optimizer.islands=2"]
    cli("run", cfg, "--out", tmp_path / "cli", "--generations", 3, "--threads", 1, "--quiet",
        *[a for s in sets for a in ("--set", s)])
    res = snnfit.run(cfg, out=tmp_path / "py", generations=3, threads=2, progress=False,
                     optimizer__population=12, optimizer__islands=2)
    ref = h5py.File(tmp_path / "cli/result.h5")
    names = [n.decode() for n in ref["parameters/names"][()]]
    assert list(res.parameters) == names == ["a", "b", "c", "d"]
    np.testing.assert_array_equal(list(res.parameters.values()), ref["best/parameters"][()])
    np.testing.assert_array_equal(res.history["best"], ref["history/best"][()])
    assert res.history["generation"].tolist() == [0, 1, 2, 3]
    assert res.history.dtype.names[:3] == ("generation", "evaluations", "best")
    assert res.fitness == ref["best"].attrs["fitness"]
    assert list(res.objectives) == ["spike_distance(spike)"]
    # The best raster is the target's shape; simulating the best parameters gives it again.
    assert len(res.best_spikes["cell"]) == 4 and len(res.target["cell"]) == 4
    p = res.parameter_info[0]
    assert p.name == "a" and p.log_scale and p.lo == 0.005
    best = snnfit.simulate(cfg, **{f"populations__cell__params__{k}": v for k, v in res.parameters.items()})
    for a, b in zip(best.spikes["cell"], res.best_spikes["cell"]):
        np.testing.assert_allclose(a, b, atol=1e-9)

    ckpt = sorted((tmp_path / "py/checkpoints").glob("ckpt-*.h5"))[-1]
    c = snnfit.load_checkpoint(ckpt)
    assert len(c.islands) == 2 and len(c.islands[0]) == 12
    # Populations come back in model units: within bounds, and the best individual is among them.
    for isl in c.islands:
        assert ((isl["a"] >= 0.005) & (isl["a"] <= 0.2)).all()
    ids = np.concatenate([i["id"] for i in c.islands])
    fits = np.concatenate([i["fitness"] for i in c.islands])
    assert fits.min() >= c.fitness
    with pytest.raises(ValueError, match="not a checkpoint"):
        snnfit.load_checkpoint(tmp_path / "py/result.h5")
    assert ids.size == 24


def test_pareto_front(repo, tmp_path):
    res = snnfit.run(repo / "data/examples/zdt1_nsga2.toml", out=tmp_path / "z", generations=3, progress=False)
    assert res.pareto is not None and len(res.pareto) > 0
    assert "f1" in res.pareto.dtype.names and "x1" in res.pareto.dtype.names
    f1, f2 = res.pareto["f1"], res.pareto["f2"]
    # Non-dominated: no member is at least as good in both objectives and better in one.
    for i in range(len(f1)):
        assert not np.any((f1 <= f1[i]) & (f2 <= f2[i]) & ((f1 < f1[i]) | (f2 < f2[i])))
