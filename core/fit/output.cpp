#include "fit/output.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <span>

#include <fmt/format.h>

#include "common/error.hpp"
#include "fit/feature_loss.hpp"
#include "fit/spike_fit.hpp"
#include "io/h5_layout.hpp"
#include "io/network_config.hpp"

namespace snnfit::fit {

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

StoredConfig read_config(const io::h5::Group& root) {
    StoredConfig c;
    c.text = root.read_string("config");
    const auto attrs = root.dataset_attrs("config");
    if (attrs.has_attr("file")) c.file = attrs.attr_string("file");
    const std::string o = attrs.has_attr("overrides") ? attrs.attr_string("overrides") : std::string();
    for (std::size_t a = 0; a < o.size();) {
        const auto b = std::min(o.find('\n', a), o.size());
        if (b > a) c.overrides.push_back(o.substr(a, b - a));
        a = b + 1;
    }
    return c;
}

io::ConfigDocument StoredConfig::document(const std::string& path) const {
    try {
        return io::ConfigDocument::from_string(text, file, overrides);
    } catch (const Error& e) {
        throw InputError(fmt::format("{}: the stored config does not parse: {}", path, e.what()));
    }
}

void write_parameters(io::h5::Group& root, const Problem& problem) {
    auto g = root.create_group("parameters");
    std::vector<std::string> names, paths;
    std::vector<double> lo, hi, truth;
    std::vector<std::int64_t> log_scale, integer;
    const auto true_values = problem.true_values();
    for (std::size_t i = 0; i < problem.space().size(); ++i) {
        const auto& p = problem.space().parameters()[i];
        names.push_back(p.name);
        paths.push_back(p.path);
        lo.push_back(p.lo);
        hi.push_back(p.hi);
        log_scale.push_back(p.log_scale ? 1 : 0);
        integer.push_back(p.integer ? 1 : 0);
        truth.push_back(true_values ? (*true_values)[i] : std::numeric_limits<double>::quiet_NaN());
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
    const auto units = problem.parameter_units();
    std::vector<std::string> transforms;
    for (const auto& p : problem.space().parameters()) transforms.push_back(p.log_scale ? "log10" : "identity");
    g.write_strings("units", units);
    g.write_strings("transform", transforms);
    g.set_dataset_attr("transform", "meaning",
                       "search coordinate x of each parameter: log10 -> x = log10(value); identity -> x = value");
    for (const char* d : {"lo", "hi", "true_values"}) g.set_dataset_attr(d, "units", units);
}

ParameterSpace read_parameters(const io::h5::Group& g) {
    const auto names = g.read_strings("names"), paths = g.read_strings("paths");
    const auto lo = g.read_doubles("lo"), hi = g.read_doubles("hi");
    const auto log_scale = g.read_int64s("log_scale"), integer = g.read_int64s("integer");
    const std::size_t n = names.size();
    if (paths.size() != n || lo.size() != n || hi.size() != n || log_scale.size() != n || integer.size() != n)
        g.fail("", "the parameter table's columns have different lengths");
    std::vector<Parameter> params(n);
    for (std::size_t i = 0; i < n; ++i) {
        params[i].name = names[i];
        params[i].path = paths[i];
        params[i].lo = lo[i];
        params[i].hi = hi[i];
        params[i].log_scale = log_scale[i] != 0;
        params[i].integer = integer[i] != 0;
    }
    return ParameterSpace(std::move(params));
}

void write_losses(io::h5::Group& root, const Problem& problem, std::vector<double> weights) {
    auto g = root.create_group("losses");
    const auto labels = problem.objective_labels();
    if (weights.empty()) weights.assign(labels.size(), 1.0);
    g.write_strings("labels", labels);
    g.write_strings("populations", problem.objective_populations());
    g.write("weights", weights);
}

void write_targets(io::h5::Group& root, const Problem& problem) {
    auto g = root.create_group("target");
    for (const auto& [pop, raster] : problem.targets()) {
        auto p = g.create_group(pop);
        io::write_raster(p, raster);
        problem.describe_target(p, pop);
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
    const auto units = problem.parameter_units();
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
    g.set_dataset_attr("parameters", "units", problem.parameter_units());
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

void write_features(io::h5::Group& root, const SpikeFit& problem, const sim::SimResult& sim) {
    const auto& spec = problem.spec();
    if (!spec.protocol) return;
    std::vector<std::string> labels;
    std::vector<double> mean, sd, fitted, score;
    for (const auto& l : spec.losses) {
        if (l.kind != LossTerm::Kind::features) continue;
        std::vector<std::vector<double>> values(l.features->targets.size());
        if (sim.status == sim::SimResult::Status::ok && !sim.voltage.empty())
            values = model_feature_values(*l.features, *spec.protocol, sim, l.population);
        for (std::size_t k = 0; k < values.size(); ++k) {
            const auto& t = l.features->targets[k];
            labels.push_back(t.label());
            mean.push_back(t.mean);
            sd.push_back(t.sd);
            double m = std::numeric_limits<double>::quiet_NaN();
            if (!values[k].empty()) m = std::accumulate(values[k].begin(), values[k].end(), 0.0) / values[k].size();
            fitted.push_back(m);
            score.push_back(feature_score(t, values[k], l.features->penalty));
        }
    }
    if (labels.empty()) return;
    auto g = root.create_group("features");
    g.write_strings("labels", labels);
    g.write("target_mean", mean);
    g.write("target_sd", sd);
    g.write("fitted", fitted);
    g.write("score", score);
    auto sweeps = g.create_group("sweeps");
    const auto& p = *spec.protocol;
    const auto trace = std::find_if(sim.voltage.begin(), sim.voltage.end(),
                                    [&](const sim::VoltageTrace& v) { return v.population == p.population; });
    for (std::size_t i = 0; i < p.sweeps.size(); ++i) {
        const auto& s = p.sweeps[i];
        auto w = sweeps.create_group(s.name);
        w.write("target_v", s.voltage);
        w.set_attr("target_dt", s.voltage_dt);
        if (trace != sim.voltage.end() && i < trace->neurons.size()) {
            const auto n = std::min(trace->samples, static_cast<std::size_t>(std::llround(s.length / sim.dt)));
            w.write("fitted_v", std::span<const double>(trace->v).subspan(i * trace->samples, n));
            w.set_attr("fitted_dt", sim.dt);
        }
        w.set_attr("stim_start", s.delay);
        w.set_attr("stim_end", s.delay + s.duration);
        w.set_attr("amplitude", s.amplitude);
    }
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
    write_config(root, doc);
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
