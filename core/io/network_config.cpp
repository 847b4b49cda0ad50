#include "io/network_config.hpp"

#include <fmt/format.h>

#include "model/registry.hpp"

namespace snnfit::io {

namespace {

model::SimulationSpec parse_simulation(const ConfigTable& t) {
    model::SimulationSpec s;
    s.dt = t.number_or("dt", s.dt, Range::positive());
    s.duration = t.number_or("duration", s.duration, Range::positive());
    s.seed = static_cast<std::uint64_t>(t.integer_or("seed", 1, Range::at_least(0)));
    s.max_rate = t.number_or("max_rate", s.max_rate, Range::positive());
    if (s.duration / s.dt > 1e10) t.fail("duration", "duration/dt exceeds 1e10 steps");
    t.finish();
    return s;
}

model::PopulationSpec parse_population(const ConfigTable& t, const std::vector<model::PopulationSpec>& earlier) {
    model::PopulationSpec p;
    p.name = t.string("name");
    if (p.name.empty()) t.fail("name", "expected a non-empty name");
    for (const auto& q : earlier)
        if (q.name == p.name) t.fail("name", fmt::format("population \"{}\" is defined twice", p.name));
    p.size = t.integer_or("size", 1, Range::closed(1, 1e9));
    p.model = t.string("model");
    const model::ModelInfo* info = model::find_model(p.model);
    if (!info) t.fail("model", fmt::format("unknown neuron model \"{}\" (known: {})", p.model, model::model_names()));
    p.preset = t.string_or("preset", "");
    if (!p.preset.empty() && !info->find_preset(p.preset))
        t.fail("preset", fmt::format("model {} has no preset \"{}\" (known: {})", p.model, p.preset, info->preset_names()));
    std::map<std::string, double> constants;
    if (auto params = t.find_table("params")) {
        std::vector<std::pair<int, std::string>> keys;  // file order, for stable specs
        for (const auto& k : params->keys()) keys.emplace_back(params->line(k), k);
        std::sort(keys.begin(), keys.end());
        for (const auto& [line, k] : keys) {
            if (!info->has_param(k))
                params->fail(k, fmt::format("model {} has no parameter \"{}\" (its parameters: {})", p.model, k, info->param_names()));
            auto d = parse_distribution(*params, k);
            if (d.is_constant()) constants[k] = d.a;
            p.params.emplace_back(k, d);
        }
        params->finish();
    }
    // Validate the constant part now, so a bad value is reported against the config
    // (distributions are validated per neuron when the population is built).
    try {
        model::visit_model(p.model, [&](auto tag) {
            using M = typename decltype(tag)::type;
            (void)model::make_params<M>(p.preset, constants);
        });
    } catch (const ParameterError& e) {
        t.fail("params", e.what());
    }
    t.finish();
    return p;
}

std::vector<std::int64_t> parse_neurons(const ConfigTable& t, const model::PopulationSpec& pop) {
    if (!t.has("neurons")) return {};
    auto n = t.integers("neurons", Range::closed(0, static_cast<double>(pop.size - 1)));
    return n;
}

model::CurrentInputSpec parse_current(const ConfigTable& t, const std::string& type, const model::PopulationSpec& pop) {
    using K = model::CurrentInputSpec::Kind;
    model::CurrentInputSpec c;
    c.target = pop.name;
    c.neurons = parse_neurons(t, pop);
    if (type == "constant") {
        c.kind = K::constant;
        c.amplitude = t.number("amplitude");
    } else if (type == "step") {
        c.kind = K::step;
        c.amplitude = t.number("amplitude");
        c.delay = t.number_or("delay", 0.0, Range::nonnegative());
        c.duration = t.number("duration", Range::positive());
    } else if (type == "steps") {
        c.kind = K::steps;
        const auto starts = t.numbers("starts", Range::nonnegative());
        const auto stops = t.numbers("stops", Range::nonnegative());
        const auto amps = t.numbers("amplitudes");
        if (starts.size() != stops.size() || starts.size() != amps.size())
            t.fail("amplitudes", fmt::format("starts, stops and amplitudes must have the same length (got {}, {}, {})",
                                             starts.size(), stops.size(), amps.size()));
        for (std::size_t i = 0; i < starts.size(); ++i) {
            if (!(stops[i] > starts[i]))
                t.fail("stops", fmt::format("segment {} ends at {} ms, not after its start {} ms", i, stops[i], starts[i]));
            c.segments.push_back({starts[i], stops[i], amps[i]});
        }
    } else {  // noise
        c.kind = K::noise;
        c.mean = t.number_or("mean", 0.0);
        c.std = t.number("std", Range::nonnegative());
        c.interval = t.number_or("interval", 0.0, Range::nonnegative());
        c.delay = t.number_or("delay", 0.0, Range::nonnegative());
        c.duration = t.number_or("duration", std::numeric_limits<double>::infinity(), Range::positive());
        c.seed = static_cast<std::uint64_t>(t.integer_or("seed", 0, Range::at_least(0)));
    }
    return c;
}

model::RecordingSpec parse_recording(const ConfigTable& t, const model::NetworkSpec& net) {
    model::RecordingSpec r;
    if (t.has("spikes")) {
        if (t.is_string("spikes")) {
            t.choice("spikes", {"all"});
        } else {
            r.spike_populations = t.strings("spikes");
            for (const auto& name : r.spike_populations)
                if (!net.find_population(name)) t.fail("spikes", fmt::format("no population named \"{}\"", name));
        }
    }
    for (const auto& v : t.tables("voltage")) {
        model::VoltageRecordSpec vr;
        vr.population = v.string("population");
        const auto* pop = net.find_population(vr.population);
        if (!pop) v.fail("population", fmt::format("no population named \"{}\"", vr.population));
        vr.neurons = parse_neurons(v, *pop);
        v.finish();
        r.voltage.push_back(vr);
    }
    t.finish();
    return r;
}

}  // namespace

model::Distribution parse_distribution(const ConfigTable& table, std::string_view key, const Range& range) {
    using K = model::Distribution::Kind;
    if (!table.is_table(key)) return model::Distribution::constant(table.number(key, range));
    const ConfigTable t = table.table(key);
    model::Distribution d;
    const auto dist = t.choice("dist", {"constant", "uniform", "normal", "scaled"});
    if (dist == "constant") {
        d = model::Distribution::constant(t.number("value", range));
    } else if (dist == "uniform") {
        d.kind = K::uniform;
        d.a = t.number("lo", range);
        d.b = t.number("hi", range);
        if (d.a > d.b) t.fail("hi", fmt::format("expected hi >= lo = {}, got {}", d.a, d.b));
    } else if (dist == "normal") {
        d.kind = K::normal;
        d.a = t.number("mean");
        d.b = t.number("sd", Range::nonnegative());
        d.lo = t.number_or("lo", std::max(range.lo, -std::numeric_limits<double>::infinity()));
        d.hi = t.number_or("hi", range.hi);
        if (d.lo >= d.hi) t.fail("hi", fmt::format("expected hi > lo = {}, got {}", d.lo, d.hi));
        if (d.a < d.lo - 5 * d.b || d.a > d.hi + 5 * d.b)
            t.fail("mean", "the mean lies more than 5 sd outside [lo, hi]; the truncated draw would never end");
    } else {
        d.kind = K::scaled;
        d.a = t.number("base");
        d.b = t.number("scale");
        d.power = t.number_or("power", 1.0, Range::positive());
    }
    t.finish();
    return d;
}

model::NetworkSpec parse_network(const ConfigTable& root) {
    model::NetworkSpec net;
    if (auto sim = root.find_table("simulation")) net.simulation = parse_simulation(*sim);
    const auto pops = root.tables("populations");
    if (pops.empty()) root.fail("populations", "missing required key (expected at least one [[populations]] table)");
    for (const auto& p : pops) net.populations.push_back(parse_population(p, net.populations));
    for (const auto& in : root.tables("inputs")) {
        const auto type = in.choice("type", {"constant", "step", "steps", "noise"});
        const auto target = in.string("target");
        const auto* pop = net.find_population(target);
        if (!pop) in.fail("target", fmt::format("no population named \"{}\"", target));
        net.currents.push_back(parse_current(in, type, *pop));
        in.finish();
    }
    if (auto rec = root.find_table("recording")) net.recording = parse_recording(*rec, net);
    return net;
}

}  // namespace snnfit::io
