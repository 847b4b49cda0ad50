// The compiled half of the `snnfit` Python package: thin bindings of the C++ core
// (distances on whole rasters, profiles, simulate, run). The PySpike-compatible
// functions, the result readers and the argument handling are in python/snnfit/.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "common/error.hpp"
#include "common/spike_raster.hpp"
#include "fit/problem.hpp"
#include "fit/spike_fit.hpp"
#include "fit/run.hpp"
#include "io/config.hpp"
#include "metrics/distance.hpp"
#include "metrics/pair_kernels.hpp"
#include "metrics/profile.hpp"
#include "metrics/spike_sync.hpp"
#include "opt/evaluator.hpp"
#include "sim/simulator.hpp"

namespace py = pybind11;
using namespace snnfit;

namespace {

using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;
using IndexArray = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

template <class T>
py::array_t<T> to_numpy(const std::vector<T>& v) {
    py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
    std::copy(v.begin(), v.end(), a.mutable_data());
    return a;
}

std::vector<double> to_vector(const Array& a) {
    return {a.data(), a.data() + a.size()};
}

// The raster of trains given back to back (times) with their offsets, as in the files.
SpikeRaster to_raster(const Array& times, const IndexArray& offsets) {
    SpikeRaster r;
    r.times = to_vector(times);
    r.offsets.assign(offsets.data(), offsets.data() + offsets.size());
    if (r.offsets.empty() || r.offsets.front() != 0 || r.offsets.back() != static_cast<std::int64_t>(r.times.size()))
        throw InputError("spike raster: offsets must start at 0 and end at the number of spikes");
    for (std::size_t i = 1; i < r.offsets.size(); ++i)
        if (r.offsets[i] < r.offsets[i - 1]) throw InputError("spike raster: offsets must not decrease");
    return r;
}

metrics::MetricSpec make_spec(const std::string& metric, double q, double tau, const std::string& norm,
                              double max_tau) {
    metrics::MetricSpec s;
    s.metric = metrics::parse_metric(metric);
    s.q = q;
    s.tau = tau;
    if (norm != "rossum2001" && norm != "elephant")
        throw ParameterError("van Rossum normalisation '" + norm + "' (expected rossum2001 or elephant)");
    s.norm = norm == "elephant" ? metrics::VanRossumNorm::elephant : metrics::VanRossumNorm::rossum2001;
    s.max_tau = max_tau;
    return s;
}

// A train as PySpike passes it (an object with spikes, t_start, t_end) or a 1-D array,
// read in place when it already is contiguous float64 (no copy on the pair path).
struct TrainView {
    py::array_t<double, py::array::c_style | py::array::forcecast> spikes;
    bool has_edges = false;
    double t_start = 0.0, t_end = 0.0;
    std::span<const double> span() const { return {spikes.data(), static_cast<std::size_t>(spikes.size())}; }
};

TrainView view(py::handle h) {
    static const py::str k_spikes("spikes"), k_start("t_start"), k_end("t_end");
    TrainView v;
    if (PyObject_HasAttr(h.ptr(), k_spikes.ptr())) {
        v.spikes = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(h.attr(k_spikes));
        v.t_start = h.attr(k_start).cast<double>();
        v.t_end = h.attr(k_end).cast<double>();
        v.has_edges = true;
    } else {
        v.spikes = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(h);
    }
    if (!v.spikes) throw py::error_already_set();
    if (v.spikes.ndim() != 1) throw InputError("a spike train must be a 1-D array of spike times");
    return v;
}

// The pair forms on the kernels: metric 0 ISI, 1 SPIKE, 2 SYNC (the similarity). `edges`
// (t_start, t_end) for arrays; SpikeTrain objects bring theirs, and must agree.
double pair_fast(int metric, py::handle a, py::handle b, py::handle edges, double max_tau) {
    const auto va = view(a), vb = view(b);
    metrics::Window w{};
    if (va.has_edges || vb.has_edges) {
        const auto& e = va.has_edges ? va : vb;
        w = {e.t_start, e.t_end};
        if ((va.has_edges && vb.has_edges) && (va.t_start != vb.t_start || va.t_end != vb.t_end))
            throw InputError("the spike trains are not defined on the same interval");
    } else if (!edges.is_none()) {
        const auto t = edges.cast<std::pair<double, double>>();
        w = {t.first, t.second};
    } else {  // [0, last spike], as snnfit distance and the multivariate forms
        const auto sa = va.span(), sb = vb.span();
        if (sa.empty() && sb.empty())
            throw InputError("no spikes to infer the edges from; give edges=(t_start, t_end)");
        const double first = std::min(sa.empty() ? 0.0 : sa.front(), sb.empty() ? 0.0 : sb.front());
        const double last = std::max(sa.empty() ? first : sa.back(), sb.empty() ? first : sb.back());
        w = {std::min(0.0, first), last};
    }
    metrics::check_window(w);
    metrics::check_train(va.span(), w, "first spike train");
    metrics::check_train(vb.span(), w, "second spike train");
    using namespace metrics::detail;
    switch (metric) {
        case 0: {
            thread_local IsiTrain pa, pb;
            prepare_isi(va.span(), w, pa), prepare_isi(vb.span(), w, pb);
            return isi_pair(pa, pb, w);
        }
        case 1: {
            thread_local SpikeTrainSegments pa, pb;
            prepare_spike(va.span(), w, pa), prepare_spike(vb.span(), w, pb);
            return spike_pair(pa, pb, w);
        }
        default: {
            thread_local SyncTrain pa, pb;
            prepare_sync(va.span(), w, max_tau, pa), prepare_sync(vb.span(), w, max_tau, pb);
            return sync_pair(pa, pb);
        }
    }
}

py::dict raster_dict(const SpikeRaster& r) {
    py::dict d;
    d["times"] = to_numpy(r.times);
    d["offsets"] = to_numpy(r.offsets);
    return d;
}

io::ConfigDocument read_config(const std::string& config, bool is_text, const std::vector<std::string>& overrides) {
    return is_text ? io::ConfigDocument::from_string(config, "<dict>", overrides)
                   : io::ConfigDocument::from_file(config, overrides);
}

py::dict simulate(const std::string& config, bool is_text, const std::vector<std::string>& overrides,
                  std::optional<std::int64_t> seed) {
    const auto doc = read_config(config, is_text, overrides);
    const auto spec = fit::simulation_network(doc);
    const std::uint64_t s = seed ? static_cast<std::uint64_t>(*seed) : spec.simulation.seed;
    sim::SimResult res;
    {
        py::gil_scoped_release release;
        res = sim::simulate(spec, s);
    }
    py::dict out;
    out["seed"] = s;
    out["dt"] = res.dt;
    out["t_stop"] = res.t_stop;
    out["status"] = res.status == sim::SimResult::Status::ok ? "ok" : "invalid";
    out["message"] = res.message;
    out["config"] = doc.text();
    py::dict spikes;
    for (std::size_t p = 0; p < res.populations.size(); ++p) {
        auto d = raster_dict(res.spikes[p]);
        d["neurons"] = to_numpy(res.spike_neurons[p]);
        spikes[py::str(res.populations[p])] = d;
    }
    out["spikes"] = spikes;
    py::dict voltage;
    for (const auto& tr : res.voltage) {
        py::array_t<double> v({static_cast<py::ssize_t>(tr.neurons.size()), static_cast<py::ssize_t>(tr.samples)});
        std::copy(tr.v.begin(), tr.v.end(), v.mutable_data());
        py::dict d;
        d["v"] = v;
        d["neurons"] = to_numpy(tr.neurons);
        voltage[py::str(tr.population)] = d;
    }
    out["voltage"] = voltage;
    return out;
}

py::dict run(const std::string& config, bool is_text, const std::vector<std::string>& overrides,
             const std::string& out_dir, int threads, std::optional<std::int64_t> seed,
             std::optional<std::int64_t> generations, const std::string& resume, bool progress) {
    const auto doc = read_config(config, is_text, overrides);
    fit::RunOptions ro;
    ro.out_dir = out_dir;
    if (seed) ro.seed = static_cast<std::uint64_t>(*seed);
    ro.generations = generations;
    ro.progress = progress;
    ro.resume = resume;
    fit::RunSummary s;
    {
        py::gil_scoped_release release;
        // Ctrl-C (and SIGTERM, SIGUSR1) stop the run after its generation with a checkpoint, as in the CLI.
        fit::StopSignals signals;
        ro.stop_requested = fit::StopSignals::poll();
        fit::FitRun fit_run(doc, ro);
        opt::ThreadEvaluator evaluator(fit_run.objective(), threads);
        s = fit_run.run(evaluator, stdout);
        std::fflush(stdout);
    }
    py::dict d;
    d["termination"] = opt::to_string(s.reason);
    d["generations"] = s.generations;
    d["evaluations"] = s.evaluations;
    d["best_fitness"] = s.best_fitness;
    d["best_values"] = to_numpy(s.best_values);
    d["best_objectives"] = to_numpy(s.best_objectives);
    d["result"] = s.result_path;
    d["checkpoint"] = s.checkpoint_path;
    d["interrupted_by"] = s.interrupted_by;
    return d;
}

}  // namespace

PYBIND11_MODULE(_snnfit, m) {
    m.doc() = "snnfit's C++ core (use the snnfit package, not this module)";
    m.attr("__version__") = SNNFIT_VERSION;

    // Derived classes are registered after their base: pybind11 tries the newest first.
    static py::exception<Error> error(m, "Error", PyExc_RuntimeError);
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const InputError& e) {
            PyErr_SetString(PyExc_ValueError, e.what());
        } catch (const ConfigError& e) {
            PyErr_SetString(PyExc_ValueError, e.what());
        } catch (const ParameterError& e) {
            PyErr_SetString(PyExc_ValueError, e.what());
        } catch (const Error& e) {
            error(e.what());
        }
    });

    m.def(
        "pair",
        [](const std::string& metric, const Array& a, const Array& b, double t0, double t1, double q, double tau,
           const std::string& norm, double max_tau) {
            const auto spec = make_spec(metric, q, tau, norm, max_tau);
            const metrics::Window w{t0, t1};
            if (spec.metric == metrics::Metric::sync)
                return metrics::coincidences({a.data(), static_cast<std::size_t>(a.size())},
                                             {b.data(), static_cast<std::size_t>(b.size())}, w, max_tau)
                    .sync();
            return metrics::distance(spec, {a.data(), static_cast<std::size_t>(a.size())},
                                     {b.data(), static_cast<std::size_t>(b.size())}, w);
        },
        "distance of two trains (SYNC as the similarity)");
    m.def("pair_fast", &pair_fast, "ISI (0), SPIKE (1) or SYNC (2) of two trains on the kernels", py::arg("metric"),
          py::arg("a"), py::arg("b"), py::arg("edges"), py::arg("max_tau"));
    m.def(
        "multi",
        [](const std::string& metric, const Array& times, const IndexArray& offsets, double t0, double t1, double q,
           double tau, const std::string& norm, double max_tau, int threads) {
            const auto spec = make_spec(metric, q, tau, norm, max_tau);
            const auto r = to_raster(times, offsets);
            py::gil_scoped_release release;
            if (spec.metric == metrics::Metric::sync)
                return metrics::population_coincidences(r, {t0, t1}, max_tau, threads).sync();
            return metrics::population_distance(spec, r, {t0, t1}, threads);
        },
        "multivariate value of a raster (SYNC as the similarity)");
    m.def(
        "matrix",
        [](const std::string& metric, const Array& times, const IndexArray& offsets, double t0, double t1, double q,
           double tau, const std::string& norm, double max_tau, int threads) {
            const auto spec = make_spec(metric, q, tau, norm, max_tau);
            const auto r = to_raster(times, offsets);
            std::vector<double> v;
            {
                py::gil_scoped_release release;
                v = spec.metric == metrics::Metric::sync ? metrics::sync_matrix(r, {t0, t1}, max_tau, threads)
                                                         : metrics::distance_matrix(spec, r, {t0, t1}, threads);
            }
            const auto n = static_cast<py::ssize_t>(r.size());
            py::array_t<double> a({n, n});
            std::copy(v.begin(), v.end(), a.mutable_data());
            return a;
        },
        "all pairs, n x n (SYNC as the similarity, 1 on the diagonal)");
    m.def(
        "profile",
        [](const std::string& metric, const Array& times, const IndexArray& offsets, double t0, double t1,
           double max_tau) {
            const auto r = to_raster(times, offsets);
            const metrics::Window w{t0, t1};
            const auto kind = metrics::parse_metric(metric);
            if (kind == metrics::Metric::isi) {
                const auto p = metrics::isi_profile(r, w);
                return py::make_tuple(to_numpy(p.x), to_numpy(p.y));
            }
            if (kind == metrics::Metric::spike) {
                const auto p = metrics::spike_profile(r, w);
                return py::make_tuple(to_numpy(p.x), to_numpy(p.y1), to_numpy(p.y2));
            }
            if (kind == metrics::Metric::sync) {
                const auto p = metrics::sync_profile(r, w, max_tau);
                return py::make_tuple(to_numpy(p.x), to_numpy(p.y), to_numpy(p.mp));
            }
            throw ParameterError("profiles exist for isi, spike and sync, not " + metric);
        },
        "the multivariate profile of a raster (two trains: the pair's)");
    m.def("simulate", &simulate, py::arg("config"), py::arg("is_text"), py::arg("overrides"), py::arg("seed"));
    m.def("run", &run, py::arg("config"), py::arg("is_text"), py::arg("overrides"), py::arg("out"), py::arg("threads"),
          py::arg("seed"), py::arg("generations"), py::arg("resume"), py::arg("progress"));
}
