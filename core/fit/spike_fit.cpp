#include "fit/spike_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "common/error.hpp"
#include "fit/feature_loss.hpp"
#include "fit/output.hpp"
#include "io/network_config.hpp"
#include "io/spike_files.hpp"

namespace snnfit::fit {

namespace {

using io::ConfigTable;
using io::Range;

Parameter parse_parameter(const ConfigTable& t, const model::NetworkSpec& net) {
    Parameter p;
    p.path = t.string("path");
    if (t.has("also")) p.also = t.strings("also");
    {
        model::NetworkSpec copy = net;
        try {
            (void)io::spec_field(copy, p.path);
        } catch (const Error& e) {
            t.fail("path", e.what());
        }
        for (const auto& q : p.also) {
            try {
                (void)io::spec_field(copy, q);
            } catch (const Error& e) {
                t.fail("also", e.what());
            }
        }
    }
    p.name = t.string_or("name", p.path);
    p.lo = t.number("lo");
    p.hi = t.number("hi");
    if (!(p.lo < p.hi)) t.fail("hi", fmt::format("expected hi > lo = {}, got {}", p.lo, p.hi));
    p.log_scale = t.choice_or("scale", "linear", {"linear", "log"}) == "log";
    if (p.log_scale && !(p.lo > 0)) t.fail("lo", fmt::format("a log scale needs lo > 0, got {}", p.lo));
    p.integer = t.boolean_or("integer", false);
    if (p.integer && std::ceil(p.lo) > std::floor(p.hi)) t.fail("hi", "no integer lies between lo and hi");
    t.finish();
    return p;
}

// The protocol's voltages, recorded only for a features loss: the other fits record spikes
// alone, as fast as before.
void record_feature_voltages(const FitSpec& f, model::NetworkSpec& net) {
    if (f.protocol && std::any_of(f.losses.begin(), f.losses.end(),
                                  [](const LossTerm& l) { return l.kind == LossTerm::Kind::features; }))
        net.recording.voltage.push_back({f.protocol->population, {}});
}

// A features term compares the protocol's sweeps, so it lives on the protocol's population.
LossTerm parse_features_term(const ConfigTable& t, const FitSpec& f) {
    LossTerm l;
    l.kind = LossTerm::Kind::features;
    if (!f.protocol) t.fail("type", "a features loss needs the sweeps of a [fit.protocol] (stimulus start and end)");
    l.population = t.string_or("population", f.protocol->population);
    if (l.population != f.protocol->population)
        t.fail("population",
               fmt::format("a features loss is computed on the protocol's population \"{}\"", f.protocol->population));
    l.weight = t.number_or("weight", 1.0, Range::positive());
    // Every built-in model but hh spikes by threshold and reset: its voltage never shows an AP.
    const bool point_model = f.network.find_population(l.population)->model != "hh";
    auto parsed = parse_feature_loss(t, *f.protocol, point_model);
    l.features = std::make_shared<const FeatureLossSpec>(std::move(parsed.spec));
    l.separate_features = parsed.separate;
    t.finish();
    return l;
}

LossTerm parse_loss(const ConfigTable& t, const FitSpec& f) {
    LossTerm l;
    const auto kind = t.choice(
        "type", {"spike_distance", "population_distance", "rate", "spike_count", "first_spike_latency", "features"});
    using K = LossTerm::Kind;
    if (kind == "features") return parse_features_term(t, f);
    l.kind = kind == "spike_distance"        ? K::spike_distance
             : kind == "population_distance" ? K::population_distance
             : kind == "rate"                ? K::rate
             : kind == "spike_count"         ? K::spike_count
                                             : K::first_spike_latency;
    if (l.kind == K::spike_distance || l.kind == K::population_distance) {
        const auto metric = t.string_or("metric", "spike");
        try {
            l.metric.metric = metrics::parse_metric(metric);
        } catch (const Error& e) {
            t.fail("metric", e.what());
        }
        if (l.metric.metric == metrics::Metric::victor_purpura)
            l.metric.q = t.number_or("q", l.metric.q, Range::positive());
        if (l.metric.metric == metrics::Metric::van_rossum)
            l.metric.tau = t.number_or("tau", l.metric.tau, Range::positive());
    }
    if (l.kind == K::rate)
        if (auto r = t.find_number("target_rate", Range::positive())) l.target_rate = *r;
    if (l.kind == K::first_spike_latency)
        if (auto r = t.find_number("scale", Range::positive())) l.latency_scale = *r;
    l.weight = t.number_or("weight", 1.0, Range::positive());
    l.population = t.string_or("population", f.population);
    if (!f.network.find_population(l.population))
        t.fail("population", fmt::format("no population named \"{}\"", l.population));
    if (f.protocol && l.population == f.protocol->population && l.kind == K::population_distance)
        t.fail("type", "the sweeps of a protocol are compared one by one; use spike_distance");
    t.finish();
    return l;
}

TargetSpec parse_target(const ConfigTable& t, FitSpec& f) {
    TargetSpec tg;
    const auto kind = t.choice("type", {"simulated", "hdf5", "pyspike", "csv"});
    using K = TargetSpec::Kind;
    if (kind == "simulated") {
        tg.kind = K::simulated;
        tg.seed = static_cast<std::uint64_t>(
            t.integer_or("seed", static_cast<std::int64_t>(f.network.simulation.seed), Range::at_least(0)));
        // Ground truth that differs from the config's values, by parameter name.
        if (auto truth = t.find_table("truth")) {
            for (const auto& key : truth->keys()) {
                const auto& ps = f.space.parameters();
                auto it = std::find_if(ps.begin(), ps.end(),
                                       [&](const Parameter& p) { return p.name == key || p.path == key; });
                if (it == ps.end()) truth->fail(key, "not the name or path of a [[fit.parameters]] entry");
                const double v = truth->number(key, Range::closed(it->lo, it->hi));
                io::spec_field(f.network, it->path) = v;
            }
            truth->finish();
        }
    } else {
        tg.kind = kind == "hdf5" ? K::hdf5 : kind == "pyspike" ? K::pyspike : K::csv;
        tg.file = t.relative_to_file(t.string("file"));
        if (tg.kind == K::hdf5)
            tg.group = t.string_or("group", "spikes/" + f.population);
        else
            tg.scale = t.choice_or("units", "ms", {"ms", "s"}) == "s" ? 1000.0 : 1.0;
    }
    t.finish();
    return tg;
}

}  // namespace

FitSpec read_spike_fit(const ConfigTable& root) {
    FitSpec f;
    f.network = io::parse_network(root);
    const auto fit = root.table("fit");
    f.seed = static_cast<std::uint64_t>(fit.integer_or("seed", 1, Range::at_least(0)));
    f.population = fit.string_or("population", f.network.populations.front().name);
    if (!f.network.find_population(f.population))
        fit.fail("population", fmt::format("no population named \"{}\"", f.population));
    if (auto proto = fit.find_table("protocol")) {
        if (fit.has("target")) fit.fail("target", "a [fit.protocol] is the target; remove [fit.target]");
        if (auto sim = root.find_table("simulation"); sim && sim->has("duration"))
            sim->fail("duration", "a [fit.protocol] runs as long as its longest sweep; remove duration");
        f.protocol = parse_protocol(*proto, f.network, f.population);
        apply_protocol(*f.protocol, f.network);
    }
    const double duration = f.network.simulation.duration;
    f.window.t_start = fit.number_or("t_start", 0.0, Range::closed(0.0, duration));
    f.window.t_end = fit.number_or("t_end", duration, Range::closed(0.0, duration));
    if (!(f.window.t_end > f.window.t_start))
        fit.fail("t_end", fmt::format("expected t_end > t_start = {}, got {}", f.window.t_start, f.window.t_end));

    std::vector<Parameter> params;
    const auto param_tables = fit.tables("parameters");
    for (const auto& t : param_tables) {
        params.push_back(parse_parameter(t, f.network));
        for (std::size_t i = 0; i + 1 < params.size(); ++i)
            if (params[i].name == params.back().name)
                t.fail("name", fmt::format("parameter name \"{}\" is used twice", params.back().name));
    }
    if (params.empty()) fit.fail("parameters", "missing required key (expected at least one [[fit.parameters]] table)");
    {
        // Two parameters addressing one value (the same path, or a name and an index of one
        // element) would fight over it, the last silently winning: mark each value with its
        // parameter's index; a value holding another index is shared.
        model::NetworkSpec marked = f.network;
        for (std::size_t i = 0; i < params.size(); ++i) io::spec_field(marked, params[i].path) = static_cast<double>(i);
        for (std::size_t i = 0; i < params.size(); ++i) {
            const auto j = static_cast<std::size_t>(io::spec_field(marked, params[i].path));
            if (j != i)
                param_tables[j].fail("path", fmt::format("addresses the same value as parameter \"{}\" (path {})",
                                                         params[i].name, params[i].path));
        }
    }
    f.space = ParameterSpace(std::move(params));
    for (const auto& t : fit.tables("loss")) {
        auto l = parse_loss(t, f);
        if (l.kind == LossTerm::Kind::features && l.separate_features) {
            for (auto& one : split_feature_objectives(l)) f.losses.push_back(std::move(one));
        } else {
            f.losses.push_back(std::move(l));
        }
    }
    if (f.losses.empty()) {
        LossTerm l;  // SPIKE-distance of matched neurons, SpikeNetOpt's loss
        l.population = f.population;
        f.losses.push_back(l);
    }
    // A rate loss against a given rate needs no target spike trains (NetPyNE's 17 Hz fit).
    const bool needs_target = std::any_of(f.losses.begin(), f.losses.end(), [](const LossTerm& l) {
        return l.kind != LossTerm::Kind::rate || !l.target_rate;
    });
    if (f.protocol) {
        f.target.kind = TargetSpec::Kind::protocol;
        f.target.file = f.protocol->source;
        f.sweep_windows = protocol_windows(*f.protocol, f.window);
        for (std::size_t i = 0; i < f.sweep_windows.size(); ++i)
            if (!(f.sweep_windows[i].t_end > f.sweep_windows[i].t_start))
                fit.fail("t_start",
                         fmt::format("sweep \"{}\" ends at {} ms, before t_start = {} ms", f.protocol->sweeps[i].name,
                                     f.sweep_windows[i].t_end, f.window.t_start));
    } else if (needs_target || fit.has("target")) {
        f.target = parse_target(fit.table("target"), f);
    } else {
        f.target.kind = TargetSpec::Kind::none;
    }
    if (f.target.kind != TargetSpec::Kind::simulated && f.target.kind != TargetSpec::Kind::none &&
        f.target.kind != TargetSpec::Kind::protocol)
        for (const auto& l : f.losses)
            if (l.population != f.population)
                fit.fail("loss", fmt::format("a target file holds the spikes of [fit] population \"{}\" only; a loss "
                                             "on \"{}\" needs a simulated target",
                                             f.population, l.population));
    fit.finish();
    return f;
}

model::NetworkSpec simulation_network(const io::ConfigDocument& doc) {
    const auto root = doc.root();
    if (root.has("fit")) {
        (void)parse_fit_config(doc);  // every section, as strictly as `snnfit run`
        return read_spike_fit(root).network;
    }
    auto spec = io::parse_network(root);
    root.finish();
    return spec;
}

ProblemConfig spike_fit_config(const ConfigTable& root) {
    FitSpec f = read_spike_fit(root);
    ProblemConfig c;
    c.name = "the fit";
    c.seed = f.seed;
    c.dimension = f.space.size();
    c.objectives = f.losses.size();
    // The objectives are the loss terms, so their weights live with them.
    c.weights.emplace();
    for (const auto& l : f.losses) c.weights->push_back(l.weight);
    c.weights_elsewhere = "in a fit, give each [[fit.loss]] its weight instead";
    // Common random numbers: every candidate simulates the target's realisation.
    c.common_seed = f.network.simulation.seed;
    c.make_problem = [f = std::move(f)] { return std::make_unique<SpikeFit>(f); };
    return c;
}

SpikeFit::SpikeFit(FitSpec spec) : spec_(std::move(spec)) {
    std::set<std::string> compared;
    for (const auto& l : spec_.losses) compared.insert(l.population);
    eval_spec_ = spec_.network;
    eval_spec_.recording.spike_populations.assign(compared.begin(), compared.end());
    eval_spec_.recording.voltage.clear();
    eval_spec_.recording.spike_neurons.clear();
    record_feature_voltages(spec_, eval_spec_);
    {
        model::NetworkSpec copy = spec_.network;
        for (const auto& p : spec_.space.parameters()) config_values_.push_back(io::spec_field(copy, p.path));
    }

    const auto& tg = spec_.target;
    if (tg.kind == TargetSpec::Kind::none) return;
    if (tg.kind == TargetSpec::Kind::protocol) {
        targets_[spec_.protocol->population] = protocol_target(*spec_.protocol);
        return;
    }
    if (tg.kind == TargetSpec::Kind::simulated) {
        const auto res = sim::simulate(eval_spec_, tg.seed);
        if (res.status != sim::SimResult::Status::ok)
            throw Error("the ground-truth simulation of the target is invalid: " + res.message);
        for (const auto& name : compared) targets_[name] = *res.find(name);
        return;
    }
    SpikeRaster r;
    switch (tg.kind) {
        case TargetSpec::Kind::hdf5:
            r = io::read_spike_h5(tg.file, tg.group);
            break;
        case TargetSpec::Kind::pyspike:
            r = io::read_spike_text_file(tg.file, tg.scale).raster;
            break;
        default:
            r = io::read_spike_csv(tg.file, spec_.network.find_population(spec_.population)->size, tg.scale);
            break;
    }
    const auto size = static_cast<std::size_t>(spec_.network.find_population(spec_.population)->size);
    if (r.size() != size)
        throw InputError(fmt::format("{}: the target has {} spike trains but population \"{}\" has {} neurons", tg.file,
                                     r.size(), spec_.population, size));
    const double duration = spec_.network.simulation.duration;
    std::size_t late = 0;
    for (std::size_t i = 0; i < r.size(); ++i) {
        const auto t = r.train(i);
        for (std::size_t k = 0; k < t.size(); ++k) {
            if (!std::isfinite(t[k]))
                throw InputError(fmt::format("{}: spike {} of train {} is not a finite time", tg.file, k, i));
            if (t[k] < 0)
                throw InputError(fmt::format(
                    "{}: spike {} of train {} is at {} ms, before the simulation starts (0 ms)", tg.file, k, i, t[k]));
            if (t[k] > duration) ++late;
            if (k > 0 && !(t[k] > t[k - 1]))
                throw InputError(fmt::format("{}: spike train {} is not strictly increasing at spike {} ({} after {})",
                                             tg.file, i, k, t[k], t[k - 1]));
        }
    }
    // A recording may be longer than the part fitted, so this is legitimate, but all of
    // a target beyond the simulation (times in s read as ms, say) is not: say so.
    if (late > 0)
        warnings_.push_back(
            fmt::format("{}: {} of the target's {} spikes lie after the simulated {} ms and are not "
                        "compared (check the units of the times)",
                        tg.file, late, r.times.size(), duration));
    targets_[spec_.population] = std::move(r);
}

std::vector<double> SpikeFit::losses(const sim::SimResult& result) const {
    std::vector<double> out;
    out.reserve(spec_.losses.size());
    static const SpikeRaster none;
    for (const auto& l : spec_.losses) {
        const auto t = targets_.find(l.population);
        const auto& target = t == targets_.end() ? none : t->second;
        if (l.kind == LossTerm::Kind::features)
            out.push_back(feature_loss_value(*l.features, *spec_.protocol, result, l.population));
        else if (spec_.protocol && l.population == spec_.protocol->population)
            out.push_back(loss_value(l, *result.find(l.population), target, spec_.sweep_windows));
        else
            out.push_back(loss_value(l, *result.find(l.population), target, spec_.window));
    }
    return out;
}

std::vector<std::string> SpikeFit::objective_labels() const {
    std::vector<std::string> out;
    for (const auto& l : spec_.losses) out.push_back(l.label());
    return out;
}

opt::EvalResult SpikeFit::evaluate(std::span<const double> x, std::uint64_t seed) const {
    const auto values = spec_.space.decode(std::vector<double>(x.begin(), x.end()));
    model::NetworkSpec s = eval_spec_;
    spec_.space.apply(s, values);
    sim::SimResult r;
    try {
        r = sim::simulate(s, seed);
    } catch (const ParameterError& e) {
        return opt::EvalResult::invalid(e.what());
    }
    if (r.status != sim::SimResult::Status::ok) return opt::EvalResult::invalid(r.message);
    return opt::EvalResult::ok(losses(r));
}

sim::SimResult SpikeFit::simulate(const std::vector<double>& values, std::uint64_t seed) const {
    model::NetworkSpec s = spec_.network;
    // Compared populations are recorded whole (a whole recording wins over a selection).
    const bool all = s.recording.spike_populations.empty() && s.recording.spike_neurons.empty();
    for (const auto& l : spec_.losses)
        if (!all && std::find(s.recording.spike_populations.begin(), s.recording.spike_populations.end(),
                              l.population) == s.recording.spike_populations.end())
            s.recording.spike_populations.push_back(l.population);
    record_feature_voltages(spec_, s);
    spec_.space.apply(s, values);
    return sim::simulate(s, seed);
}

std::vector<std::string> SpikeFit::objective_populations() const {
    std::vector<std::string> out;
    for (const auto& l : spec_.losses) out.push_back(l.population);
    return out;
}

std::string SpikeFit::describe_objectives() const {
    return fmt::format("{} loss terms", spec_.losses.size());
}

std::optional<std::vector<double>> SpikeFit::true_values() const {
    if (spec_.target.kind != TargetSpec::Kind::simulated) return std::nullopt;
    return config_values_;
}

void SpikeFit::write_outputs(io::h5::Group& root, const sim::SimResult& best) const {
    write_features(root, *this, best);
}

void SpikeFit::describe_target(io::h5::Group& p, const std::string& pop) const {
    const auto& protocol = spec_.protocol;
    if (!protocol || protocol->population != pop) return;
    // Train i is sweep i: what it was and what drove it.
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
    const auto* pop_spec = &spec_.network.populations.front();
    for (const auto& ps : spec_.network.populations)
        if (ps.name == pop) pop_spec = &ps;
    p.set_dataset_attr("current", "units", pop_spec->model == "izhikevich2003" ? "1" : "pA");
    for (const char* d : {"current_delay", "current_duration", "sweep_length"}) p.set_dataset_attr(d, "units", "ms");
    p.set_attr("source", protocol->source);
}

std::vector<std::string> SpikeFit::parameter_units() const {
    std::vector<std::string> units;
    for (const auto& p : spec_.space.parameters()) units.push_back(io::spec_field_unit(spec_.network, p.path));
    return units;
}

}  // namespace snnfit::fit
