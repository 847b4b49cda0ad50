#include "fit/problem.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "common/error.hpp"
#include "fit/optimizer_config.hpp"
#include "io/network_config.hpp"
#include "io/spike_files.hpp"

namespace snnfit::fit {

namespace {

using io::ConfigTable;
using io::Range;

Parameter parse_parameter(const ConfigTable& t, const model::NetworkSpec& net) {
    Parameter p;
    p.path = t.string("path");
    {
        model::NetworkSpec copy = net;
        try {
            (void)io::spec_field(copy, p.path);
        } catch (const Error& e) {
            t.fail("path", e.what());
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

LossTerm parse_loss(const ConfigTable& t, const FitSpec& f) {
    LossTerm l;
    const auto kind =
        t.choice("type", {"spike_distance", "population_distance", "rate", "spike_count", "first_spike_latency"});
    using K = LossTerm::Kind;
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
        tg.file = t.string("file");
        // Relative paths are relative to the config file, as users expect.
        if (!tg.file.empty() && tg.file[0] != '/') {
            const auto slash = t.file().find_last_of('/');
            if (slash != std::string::npos) tg.file = t.file().substr(0, slash + 1) + tg.file;
        }
        if (tg.kind == K::hdf5)
            tg.group = t.string_or("group", "spikes/" + f.population);
        else
            tg.scale = t.choice_or("units", "ms", {"ms", "s"}) == "s" ? 1000.0 : 1.0;
    }
    t.finish();
    return tg;
}

FitSpec parse_builtin_config(const ConfigTable& root) {
    for (const auto& key : root.keys())
        if (key != "problem" && key != "optimizer" && key != "checkpoint")
            root.fail(key,
                      "a config with a [problem] table has no neuron model: [problem] replaces [simulation], "
                      "[[populations]] and [fit] (allowed beside it: [optimizer], [checkpoint])");
    FitSpec f;
    f.builtin = parse_builtin_problem(root.table("problem"));
    const auto& b = *f.builtin;
    f.seed = b.seed;
    std::vector<Parameter> params;
    for (std::size_t i = 0; i < b.dimension; ++i) {
        Parameter p;
        p.name = p.path = fmt::format("x{}", i + 1);
        p.lo = b.lo;
        p.hi = b.hi;
        params.push_back(p);
    }
    f.space = ParameterSpace(std::move(params));
    f.target.kind = TargetSpec::Kind::none;
    f.optimizer = default_optimizer_settings();
    if (root.has("optimizer")) {
        const auto t = root.table("optimizer");
        f.optimizer = parse_optimizer(t);
        check_optimizer_memory(t, f.optimizer, b.dimension, b.objectives());
        if (!f.optimizer.weights.empty() && f.optimizer.weights.size() != b.objectives())
            t.fail("weights", fmt::format("has {} entries but {} has {} objectives", f.optimizer.weights.size(),
                                          b.name(), b.objectives()));
    }
    f.checkpoint = parse_checkpoint_config(root);
    root.finish();
    return f;
}

}  // namespace

FitSpec parse_fit_config(const io::ConfigDocument& doc) {
    const auto root = doc.root();
    if (root.has("problem")) return parse_builtin_config(root);
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
    for (const auto& t : fit.tables("loss")) f.losses.push_back(parse_loss(t, f));
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
                fit.fail("t_start", fmt::format("sweep \"{}\" ends at {} ms, before t_start = {} ms",
                                                f.protocol->sweeps[i].name, f.sweep_windows[i].t_end, f.window.t_start));
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

    if (root.has("optimizer")) {
        const auto t = root.table("optimizer");
        // The objectives are the loss terms, so their weights live with them.
        if (t.has("weights")) t.fail("weights", "in a fit, give each [[fit.loss]] its weight instead");
        f.optimizer = parse_optimizer(t);
        check_optimizer_memory(t, f.optimizer, f.space.size(), f.losses.size());
    } else {
        f.optimizer = default_optimizer_settings();
    }
    f.optimizer.weights.clear();
    for (const auto& l : f.losses) f.optimizer.weights.push_back(l.weight);
    f.checkpoint = parse_checkpoint_config(root);
    root.finish();
    return f;
}

Problem::Problem(FitSpec spec) : spec_(std::move(spec)) {
    if (spec_.builtin) return;
    std::set<std::string> compared;
    for (const auto& l : spec_.losses) compared.insert(l.population);
    eval_spec_ = spec_.network;
    eval_spec_.recording.spike_populations.assign(compared.begin(), compared.end());
    eval_spec_.recording.voltage.clear();
    eval_spec_.recording.spike_neurons.clear();
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

std::uint64_t Problem::simulation_seed(std::uint64_t candidate_seed) const {
    return spec_.optimizer.seed_policy == opt::SeedPolicy::common ? spec_.network.simulation.seed : candidate_seed;
}

std::vector<double> Problem::losses(const sim::SimResult& result) const {
    std::vector<double> out;
    out.reserve(spec_.losses.size());
    static const SpikeRaster none;
    for (const auto& l : spec_.losses) {
        const auto t = targets_.find(l.population);
        const auto& target = t == targets_.end() ? none : t->second;
        if (spec_.protocol && l.population == spec_.protocol->population)
            out.push_back(loss_value(l, *result.find(l.population), target, spec_.sweep_windows));
        else
            out.push_back(loss_value(l, *result.find(l.population), target, spec_.window));
    }
    return out;
}

std::vector<std::string> Problem::objective_labels() const {
    std::vector<std::string> out;
    if (spec_.builtin)
        for (std::size_t i = 0; i < spec_.builtin->objectives(); ++i) out.push_back(fmt::format("f{}", i + 1));
    else
        for (const auto& l : spec_.losses) out.push_back(l.label());
    return out;
}

opt::EvalResult Problem::evaluate(std::span<const double> x, std::uint64_t seed) const {
    if (spec_.builtin) return opt::EvalResult::ok(spec_.builtin->evaluate(spec_.space.decode({x.begin(), x.end()})));
    const auto values = spec_.space.decode(std::vector<double>(x.begin(), x.end()));
    model::NetworkSpec s = eval_spec_;
    spec_.space.apply(s, values);
    sim::SimResult r;
    try {
        r = sim::simulate(s, simulation_seed(seed));
    } catch (const ParameterError& e) {
        return opt::EvalResult::invalid(e.what());
    }
    if (r.status != sim::SimResult::Status::ok) return opt::EvalResult::invalid(r.message);
    return opt::EvalResult::ok(losses(r));
}

sim::SimResult Problem::simulate(const std::vector<double>& values, std::uint64_t seed) const {
    if (spec_.builtin) return {};
    model::NetworkSpec s = spec_.network;
    // Compared populations are recorded whole (a whole recording wins over a selection).
    const bool all = s.recording.spike_populations.empty() && s.recording.spike_neurons.empty();
    for (const auto& l : spec_.losses)
        if (!all &&
            std::find(s.recording.spike_populations.begin(), s.recording.spike_populations.end(), l.population) ==
                s.recording.spike_populations.end())
            s.recording.spike_populations.push_back(l.population);
    spec_.space.apply(s, values);
    return sim::simulate(s, simulation_seed(seed));
}

}  // namespace snnfit::fit
