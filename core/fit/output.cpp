#include "fit/output.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "io/h5_layout.hpp"
#include "io/network_config.hpp"

namespace snnfit::fit {

std::vector<std::string> parameter_units(const Problem& problem) {
    std::vector<std::string> units;
    for (const auto& p : problem.space().parameters())
        units.push_back(problem.spec().builtin ? "1" : io::spec_field_unit(problem.spec().network, p.path));
    return units;
}

namespace {
constexpr const char* kPerParameter = "one per parameter, as /parameters/transform";
}  // namespace

void write_config(io::h5::Group& root, const io::ConfigDocument& doc) {
    root.write_string("config", doc.text());
    std::string overrides;
    for (const auto& o : doc.overrides()) overrides += o + "\n";
    root.set_dataset_attr("config", "overrides", overrides);
    root.set_dataset_attr("config", "file", doc.file());
}

void write_parameters(io::h5::Group& root, const Problem& problem) {
    auto g = root.create_group("parameters");
    std::vector<std::string> names, paths;
    std::vector<double> lo, hi, truth;
    std::vector<std::int64_t> log_scale, integer;
    const bool simulated = problem.spec().target.kind == TargetSpec::Kind::simulated;
    for (std::size_t i = 0; i < problem.space().size(); ++i) {
        const auto& p = problem.space().parameters()[i];
        names.push_back(p.name);
        paths.push_back(p.path);
        lo.push_back(p.lo);
        hi.push_back(p.hi);
        log_scale.push_back(p.log_scale ? 1 : 0);
        integer.push_back(p.integer ? 1 : 0);
        truth.push_back(simulated ? problem.config_values()[i] : std::numeric_limits<double>::quiet_NaN());
    }
    g.write_strings("names", names);
    g.write_strings("paths", paths);
    g.write("lo", lo);
    g.write("hi", hi);
    g.write("log_scale", log_scale);
    g.write("integer", integer);
    g.write("true_values", truth);
    // What each number means without the README: units, and how the optimizer's search
    // coordinates map to values (x = log10(value) for a log-scaled parameter).
    const auto units = parameter_units(problem);
    std::vector<std::string> transforms;
    for (const auto& p : problem.space().parameters()) transforms.push_back(p.log_scale ? "log10" : "identity");
    g.write_strings("units", units);
    g.write_strings("transform", transforms);
    g.set_dataset_attr("transform", "meaning",
                       "search coordinate x of each parameter: log10 -> x = log10(value); identity -> x = value");
    for (const char* d : {"lo", "hi", "true_values"}) g.set_dataset_attr(d, "units", units);
}

void write_losses(io::h5::Group& root, const Problem& problem) {
    auto g = root.create_group("losses");
    std::vector<std::string> labels, populations;
    std::vector<double> weights;
    labels = problem.objective_labels();
    for (const auto& l : problem.spec().losses) {
        populations.push_back(l.population);
        weights.push_back(l.weight);
    }
    if (problem.spec().builtin) {  // no populations; the [optimizer] weights, default 1
        populations.assign(labels.size(), "");
        weights = problem.spec().optimizer.weights;
        if (weights.empty()) weights.assign(labels.size(), 1.0);
    }
    g.write_strings("labels", labels);
    g.write_strings("populations", populations);
    g.write("weights", weights);
}

void write_targets(io::h5::Group& root, const Problem& problem) {
    auto g = root.create_group("target");
    for (const auto& [pop, raster] : problem.targets()) {
        auto p = g.create_group(pop);
        io::write_raster(p, raster);
        const auto& protocol = problem.spec().protocol;
        if (protocol && protocol->population == pop) {  // train i is sweep i: what it was and what drove it
            std::vector<std::string> names;
            std::vector<double> amplitude, delay, duration, length;
            for (const auto& sw : protocol->sweeps) {
                names.push_back(sw.name);
                amplitude.push_back(sw.amplitude);
                delay.push_back(sw.delay);
                duration.push_back(sw.duration);
                length.push_back(sw.length);
            }
            p.write_strings("sweeps", names);
            p.write("current", amplitude);
            p.write("current_delay", delay);
            p.write("current_duration", duration);
            p.write("sweep_length", length);
            const auto* pop_spec = &problem.spec().network.populations.front();
            for (const auto& ps : problem.spec().network.populations)
                if (ps.name == pop) pop_spec = &ps;
            p.set_dataset_attr("current", "units", pop_spec->model == "izhikevich2003" ? "1" : "pA");
            for (const char* d : {"current_delay", "current_duration", "sweep_length"})
                p.set_dataset_attr(d, "units", "ms");
            p.set_attr("source", protocol->source);
        }
    }
}

void write_best(io::h5::Group& root, const Problem& problem, const opt::BestSoFar& best, const sim::SimResult& sim) {
    auto g = root.create_group("best");
    g.set_attr("valid", static_cast<std::int64_t>(best.valid ? 1 : 0));
    g.set_attr("fitness", best.individual.fitness);
    g.set_attr("island", static_cast<std::int64_t>(best.island));
    g.set_attr("generation", best.generation);
    g.set_attr("id", best.individual.id);
    g.write("search", best.individual.x);
    g.write("parameters",
            best.individual.x.empty() ? std::vector<double>{} : problem.space().decode(best.individual.x));
    g.write("objectives", best.individual.objectives);
    g.write("status", std::vector<std::int64_t>{static_cast<std::int64_t>(best.individual.status)});
    g.set_dataset_attr("status", "meaning", "0 ok, 1 invalid, 2 failed");
    const auto units = parameter_units(problem);
    g.set_dataset_attr("parameters", "units", units);
    g.set_dataset_attr("search", "transform", kPerParameter);
    // name -> value for h5py: dict((k, v[()]) for k, v in f["best/values"].items()).
    if (!best.individual.x.empty()) {
        auto named = g.create_group("values");
        const auto values = problem.space().decode(best.individual.x);
        for (std::size_t i = 0; i < values.size(); ++i) {
            const auto& name = problem.space().parameters()[i].name;
            named.write(name, std::vector<double>{values[i]});
            named.set_dataset_attr(name, "units", units[i]);
        }
    }
    auto s = g.create_group("spikes");
    for (std::size_t p = 0; p < sim.populations.size(); ++p) {
        auto r = s.create_group(sim.populations[p]);
        io::write_raster(r, sim.spikes[p]);
    }
}

void write_pareto(io::h5::Group& root, const Problem& problem, const std::vector<opt::Individual>& front,
                  const std::vector<sim::SimResult>& sims) {
    auto g = root.create_group("pareto");
    const std::size_t n = front.size(), d = problem.space().size(), m = problem.objectives();
    std::vector<double> search, values, objectives;
    std::vector<std::int64_t> ids;
    for (const auto& ind : front) {
        search.insert(search.end(), ind.x.begin(), ind.x.end());
        const auto v = problem.space().decode(ind.x);
        values.insert(values.end(), v.begin(), v.end());
        objectives.insert(objectives.end(), ind.objectives.begin(), ind.objectives.end());
        ids.push_back(ind.id);
    }
    g.write_matrix("search", search, n, d);
    g.write_matrix("parameters", values, n, d);
    g.write_matrix("objectives", objectives, n, m);
    g.write("ids", ids);
    g.set_dataset_attr("parameters", "units", parameter_units(problem));
    g.set_dataset_attr("search", "transform", kPerParameter);
    // A built-in problem simulates nothing: no spikes group at all.
    if (std::none_of(sims.begin(), sims.end(), [](const sim::SimResult& r) { return !r.populations.empty(); })) return;
    auto spikes = g.create_group("spikes");
    for (std::size_t i = 0; i < sims.size(); ++i) {
        if (sims[i].populations.empty()) continue;
        auto member = spikes.create_group(std::to_string(i));
        for (std::size_t p = 0; p < sims[i].populations.size(); ++p) {
            auto r = member.create_group(sims[i].populations[p]);
            io::write_raster(r, sims[i].spikes[p]);
        }
    }
}

void write_history(io::h5::Group& root, const std::vector<opt::GenerationLog>& history) {
    auto g = root.create_group("history");
    const std::size_t n = history.size();
    const std::size_t k = n ? history.front().islands.size() : 0;
    std::vector<std::int64_t> generation(n), evaluations(n), invalid(n);
    std::vector<double> best(n), mean(n), sd(n), eps(n), elapsed(n);
    std::vector<double> ib(n * k), im(n * k), is(n * k);
    std::vector<std::int64_t> ie(n * k), ii(n * k);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& h = history[i];
        generation[i] = h.generation;
        evaluations[i] = h.evaluations;
        invalid[i] = h.invalid;
        best[i] = h.best;
        mean[i] = h.mean;
        sd[i] = h.std;
        eps[i] = h.evals_per_second;
        elapsed[i] = h.elapsed;
        for (std::size_t j = 0; j < k && j < h.islands.size(); ++j) {
            ib[i * k + j] = h.islands[j].best;
            im[i * k + j] = h.islands[j].mean;
            is[i * k + j] = h.islands[j].std;
            ie[i * k + j] = h.islands[j].evaluations;
            ii[i * k + j] = h.islands[j].invalid;
        }
    }
    g.write("generation", generation);
    g.write("evaluations", evaluations);
    g.write("best", best);
    g.write("mean", mean);
    g.write("std", sd);
    g.write("invalid", invalid);
    g.write("evals_per_second", eps);
    g.write("elapsed", elapsed);
    g.set_dataset_attr("elapsed", "units", "s");
    g.set_dataset_attr("evals_per_second", "units", "1/s");
    auto islands = g.create_group("islands");
    islands.write_matrix("best", ib, n, k);
    islands.write_matrix("mean", im, n, k);
    islands.write_matrix("std", is, n, k);
    islands.write_matrix("evaluations", ie, n, k);
    islands.write_matrix("invalid", ii, n, k);
}

void write_simulation(const std::string& path, const sim::SimResult& res, const io::ConfigDocument& doc,
                      std::uint64_t seed) {
    auto file = io::h5::File::create_atomic(path);
    auto root = file.root();
    io::write_header(root, "simulation");
    root.set_attr("seed", static_cast<std::int64_t>(seed));
    root.set_attr("dt", res.dt);
    root.set_attr("t_stop", res.t_stop);
    // An attribute cannot carry attributes: its unit is the attribute NAME_units.
    root.set_attr("dt_units", std::string("ms"));
    root.set_attr("t_stop_units", std::string("ms"));
    root.set_attr("status", std::string(res.status == sim::SimResult::Status::ok ? "ok" : "invalid"));
    root.set_attr("message", res.message);
    root.write_string("config", doc.text());
    std::string overrides;
    for (const auto& o : doc.overrides()) overrides += o + "\n";
    root.set_dataset_attr("config", "overrides", overrides);
    auto spikes = root.create_group("spikes");
    for (std::size_t p = 0; p < res.populations.size(); ++p) {
        auto g = spikes.create_group(res.populations[p]);
        io::write_raster(g, res.spikes[p]);
        if (!res.spike_neurons[p].empty()) g.write("neurons", res.spike_neurons[p]);  // selected neurons
    }
    if (!res.voltage.empty()) {
        auto volt = root.create_group("voltage");
        for (const auto& tr : res.voltage) {
            auto g = volt.create_group(tr.population);
            g.write_matrix("v", tr.v, tr.neurons.size(), tr.samples);
            g.set_dataset_attr("v", "units", "mV");
            g.write("neurons", tr.neurons);
            g.set_attr("dt", res.dt);
            g.set_attr("t_start", 0.0);
            g.set_attr("dt_units", std::string("ms"));
            g.set_attr("t_start_units", std::string("ms"));
        }
    }
    file.commit();
}

std::string history_csv_header() {
    return "generation,evaluations,best,mean,std,invalid,evals_per_second,elapsed\n";
}

std::string history_csv_line(const opt::GenerationLog& g) {
    // Full precision for the reproducible columns, so that files of two runs can be diffed.
    return fmt::format("{},{},{:.17g},{:.17g},{:.17g},{},{:.1f},{:.3f}\n", g.generation, g.evaluations, g.best, g.mean,
                       g.std, g.invalid, g.evals_per_second, g.elapsed);
}

}  // namespace snnfit::fit
