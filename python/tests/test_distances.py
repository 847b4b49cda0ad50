"""snnfit's PySpike-compatible API against PySpike 0.7's own numbers (the committed fixture,
tests/fixtures/pyspike, from gen_pyspike.py), against live PySpike when it is installed, and
against `snnfit distance`."""
import numpy as np
import pytest

import snnfit as spk

TOL = 1e-12


def load_cases(repo):
    cases, cur = [], None
    for line in (repo / "tests/fixtures/pyspike/pyspike_cases.txt").read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        key, *vals = line.split()
        if key == "case":
            cur = {"name": vals[0]}
            cases.append(cur)
        elif key == "file":
            cur["file"], cur["count"] = vals[0], int(vals[1])
        else:
            cur[key] = np.array([float(v) for v in vals])
    return cases


@pytest.fixture(scope="module")
def cases(repo):
    return load_cases(repo)


@pytest.fixture(scope="module")
def testdata(repo):
    return spk.load_spike_trains_from_txt(str(repo / "tests/fixtures/pyspike/PySpike_testdata.txt"),
                                          edges=(0, 4000))


def pair_cases(cases):
    return [c for c in cases if "a" in c]


def test_pairs_match_pyspike_fixture(cases):
    checked = 0
    for c in pair_cases(cases):
        w = tuple(c["window"])
        a, b = spk.SpikeTrain(c["a"], w), spk.SpikeTrain(c["b"], w)
        mt = float(c["max_tau"][0]) if "max_tau" in c else None
        if "isi" in c:
            # PySpike divides 0 by 0 when both trains are one spike on t_end (NaN); identical
            # trains are at distance 0, which snnfit returns (README, "Distances").
            for name, want in (("isi_distance", c["isi"][0]), ("spike_distance", c["spike"][0])):
                got = getattr(spk, name)(a, b)
                assert got == (0.0 if np.isnan(want) else pytest.approx(want, abs=TOL)), (c["name"], name)
            p = spk.isi_profile(a, b)
            np.testing.assert_allclose(p.x, c["isi_x"], atol=TOL)
            if not np.isnan(c["isi"][0]):
                np.testing.assert_allclose(p.y, c["isi_y"], atol=TOL)
            p = spk.spike_profile(a, b)
            np.testing.assert_allclose(p.x, c["spike_x"], atol=TOL)
            if not np.isnan(c["spike"][0]):
                np.testing.assert_allclose(p.y1, c["spike_y1"], atol=TOL)
                np.testing.assert_allclose(p.y2, c["spike_y2"], atol=TOL)
        assert spk.spike_sync(a, b, max_tau=mt) == pytest.approx(c["sync"][0], abs=TOL), c["name"]
        p = spk.spike_sync_profile(a, b, max_tau=mt)
        np.testing.assert_allclose(p.x, c["sync_x"], atol=TOL)
        np.testing.assert_allclose(p.y, c["sync_y"], atol=TOL)
        np.testing.assert_allclose(p.mp, c["sync_mp"], atol=TOL)
        checked += 1
    assert checked == 65


def test_numpy_arrays_with_edges_equal_spike_trains(cases):
    for c in pair_cases(cases)[:20]:
        w = tuple(c["window"])
        assert spk.spike_distance(c["a"], c["b"], edges=w) == spk.spike_distance(
            spk.SpikeTrain(c["a"], w), spk.SpikeTrain(c["b"], w))
        assert spk.spike_sync(c["a"], c["b"], edges=w) == pytest.approx(c["sync"][0], abs=TOL)


def test_multivariate_and_matrices_match_fixture(cases, testdata):
    for c in (c for c in cases if "file" in c):
        trains = testdata[:c["count"]]
        n = c["count"]
        assert spk.isi_distance(trains) == pytest.approx(c["isi"][0], abs=TOL)
        assert spk.spike_distance(trains) == pytest.approx(c["spike"][0], abs=TOL)
        assert spk.spike_sync(trains) == pytest.approx(c["sync"][0], abs=TOL)
        assert spk.spike_distance(trains, threads=2) == spk.spike_distance(trains)
        np.testing.assert_allclose(spk.isi_distance_matrix(trains), c["isi_matrix"].reshape(n, n), atol=TOL)
        np.testing.assert_allclose(spk.spike_distance_matrix(trains), c["spike_matrix"].reshape(n, n), atol=TOL)
        np.testing.assert_allclose(spk.spike_sync_matrix(trains), c["sync_matrix"].reshape(n, n), atol=TOL)
        p = spk.spike_sync_profile(trains)
        np.testing.assert_allclose(p.y, c["sync_y"], atol=TOL)
        assert p.avrg() == pytest.approx(c["sync"][0], abs=TOL)
        assert spk.isi_profile(trains).avrg() == pytest.approx(c["isi"][0], abs=TOL)
        assert spk.spike_profile(trains).avrg() == pytest.approx(c["spike"][0], abs=TOL)


def test_call_structures_and_indices(testdata):
    t = testdata
    assert spk.isi_distance(t[0], t[1], t[2]) == pytest.approx(spk.isi_distance(t[:3]), abs=1e-15)
    assert spk.spike_distance(t, indices=[0, 1]) == pytest.approx(spk.spike_distance(t[0], t[1]), abs=1e-15)
    assert spk.spike_distance_matrix(t, indices=[3, 5]).shape == (2, 2)
    with pytest.raises(ValueError):
        spk.spike_distance(t, indices=[0, 99])
    with pytest.raises(ValueError):  # different edges
        spk.isi_distance(spk.SpikeTrain([1.0], (0, 10)), spk.SpikeTrain([1.0], (0, 11)))
    with pytest.raises(ValueError):  # unsorted
        spk.isi_distance(np.array([3.0, 1.0]), np.array([2.0]), edges=(0, 5))


def test_profiles_plottable_data(testdata):
    p = spk.isi_profile(testdata[0], testdata[1])
    x, y = p.get_plottable_data()
    assert len(x) == 2 * len(p.x) - 2 and len(y) == len(x)
    # The plotted step function integrates to the profile's integral.
    assert np.sum(np.diff(x)[::2] * y[::2]) == pytest.approx(p.integral(), rel=1e-12)


def test_vp_and_vr_by_hand():
    a, b = np.array([10.0]), np.array([12.0])
    # VP: moving one spike by 2 at cost q per unit, or deleting and inserting it (cost 2).
    assert spk.victor_purpura_distance(a, b, q=0.5, edges=(0, 20)) == pytest.approx(1.0)
    assert spk.victor_purpura_distance(a, b, q=2.0, edges=(0, 20)) == pytest.approx(2.0)
    # VR (rossum2001): sqrt((1/tau) int (f - g)^2) for exponentials shifted by d: sqrt(1 - exp(-d/tau)).
    assert spk.van_rossum_distance(a, b, tau=10.0, edges=(0, 20)) == pytest.approx(np.sqrt(1 - np.exp(-0.2)))
    m = spk.van_rossum_distance_matrix([a, b, a], tau=10.0, edges=(0, 20))
    assert m[0, 2] == 0.0 and m[0, 1] == m[1, 0]


def test_interval_averaging(testdata):
    a, b = testdata[0], testdata[1]
    p = spk.spike_profile(a, b)
    full = spk.spike_distance(a, b)
    # The average over [0, 2000] and [2000, 4000], weighted by length, is the whole average.
    halves = 0.5 * (spk.spike_distance(a, b, interval=(0, 2000)) + spk.spike_distance(a, b, interval=(2000, 4000)))
    assert halves == pytest.approx(full, abs=1e-12)
    assert p.avrg([(0, 1000), (3000, 4000)]) == pytest.approx(
        0.5 * (p.avrg((0, 1000)) + p.avrg((3000, 4000))), abs=1e-12)


def test_cli_agrees(cli, repo, testdata):
    f = repo / "tests/fixtures/pyspike/PySpike_testdata.txt"
    for metric, fn in (("isi", spk.isi_distance), ("spike", spk.spike_distance), ("sync", spk.spike_sync)):
        out = cli("distance", "--metric", metric, "--t-end", 4000, f).stdout
        assert float(out) == fn(testdata)
        m = np.loadtxt(cli("distance", "--metric", metric, "--t-end", 4000, "--matrix", f).stdout.splitlines(),
                       delimiter=",")
        mine = {"isi": spk.isi_distance_matrix, "spike": spk.spike_distance_matrix,
                "sync": spk.spike_sync_matrix}[metric](testdata)
        if metric == "sync":
            np.fill_diagonal(mine, 1.0)  # the CLI prints SYNC(i, i) = 1, PySpike leaves 0
        np.testing.assert_array_equal(m, mine)


# ---- live PySpike, when installed (Debian's python3-pyspike) -------------------------------------

def random_trains(n, seed, rate=0.02, t_end=1000.0):
    rng = np.random.default_rng(seed)
    return [np.unique(np.round(rng.uniform(0, t_end, rng.poisson(rate * t_end)), 3)) for _ in range(n)]


def test_live_pyspike_random():
    ps = pytest.importorskip("pyspike")
    raw = random_trains(12, 7) + [np.array([]), np.array([0.0, 1000.0])]
    mine = [spk.SpikeTrain(t, (0, 1000)) for t in raw]
    theirs = [ps.SpikeTrain(t, (0, 1000)) for t in raw]
    assert spk.isi_distance(theirs) == pytest.approx(ps.isi_distance(theirs), abs=TOL)  # PySpike objects in
    for name in ("isi_distance", "spike_distance", "spike_sync"):
        f, g = getattr(spk, name), getattr(ps, name)
        assert f(mine) == pytest.approx(g(theirs), abs=TOL), name
        assert f(mine[0], mine[1]) == pytest.approx(g(theirs[0], theirs[1]), abs=TOL), name
        assert f(mine, indices=[1, 4, 12]) == pytest.approx(g(theirs, indices=[1, 4, 12]), abs=TOL), name
        assert f(mine[2], mine[3], interval=(100, 700)) == pytest.approx(
            g(theirs[2], theirs[3], interval=(100, 700)), abs=TOL), name
        np.testing.assert_allclose(getattr(spk, name + "_matrix")(mine), getattr(ps, name + "_matrix")(theirs),
                                   atol=TOL)
    for name in ("isi_profile", "spike_profile", "spike_sync_profile"):
        p, q = getattr(spk, name)(mine), getattr(ps, name)(theirs)
        for u, v in zip(p.get_plottable_data(), q.get_plottable_data()):
            np.testing.assert_allclose(u, v, atol=TOL)
        assert p.avrg() == pytest.approx(q.avrg(), abs=TOL)
        assert p.avrg((250, 750)) == pytest.approx(q.avrg((250, 750)), abs=TOL), name
