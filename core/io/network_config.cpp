#include "io/network_config.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/error.hpp"
#include "common/memory.hpp"
#include "io/neuroml.hpp"
#include "io/spike_files.hpp"
#include "model/registry.hpp"

namespace snnfit::io {

namespace {

// What the simulator (sim/) allocates per item, from its layout: a neuron's state and
// coefficients with its input and spike buffers (measured, peak RSS of `snnfit simulate`
// on 2e6 neurons: LIF 115, Izhikevich 125, HH 155 bytes); a synapse's target (uint32),
// weight (double) and delay (uint32); one double per neuron and delay slot in a ring
// buffer; one double per recorded voltage sample. Lower bounds: a config refused on
// these would not have run.
constexpr double kBytesPerNeuron = 112;
constexpr double kBytesPerSynapse = 16;
constexpr double kBytesPerSample = 8;

// Refuses KEY of T when `bytes` exceed the memory budget (common/memory).
void check_memory(const ConfigTable& t, std::string_view key, double bytes, const std::string& what) {
    if (auto excess = memory_excess(bytes); !excess.empty()) t.fail(key, what + " " + excess);
}

// The largest value a distribution draws (for delay ring buffers).
double largest(const model::Distribution& d) {
    using K = model::Distribution::Kind;
    switch (d.kind) {
        case K::constant:
            return d.a;
        case K::uniform:
            return std::max(d.a, d.b);
        default:
            return std::isfinite(d.hi) ? d.hi : d.a + 6 * std::fabs(d.b);
    }
}

model::SimulationSpec parse_simulation(const ConfigTable& t) {
    model::SimulationSpec s;
    s.dt = t.number_or("dt", s.dt, Range::positive());
    s.duration = t.number_or("duration", s.duration, Range::positive());
    s.seed = static_cast<std::uint64_t>(t.integer_or("seed", 1, Range::at_least(0)));
    s.max_rate = t.number_or("max_rate", s.max_rate, Range::positive());
    if (s.duration / s.dt > 1e10) t.fail("duration", "duration/dt exceeds 1e10 steps");
    if (s.duration < s.dt)
        t.fail("duration", fmt::format("{} ms is shorter than one time step (dt = {} ms): nothing would be simulated",
                                       s.duration, s.dt));
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
    check_memory(t, "size", static_cast<double>(p.size) * kBytesPerNeuron,
                 fmt::format("a population of {} neurons", p.size));
    std::map<std::string, double> constants;
    if (t.has("neuroml")) {
        // A cell defined in a NeuroML file brings its model and every parameter;
        // [populations.params] may still override single values.
        if (t.has("model")) t.fail("model", "a NeuroML cell brings its model; remove model or neuroml");
        if (t.has("preset")) t.fail("preset", "a NeuroML cell brings its parameters; remove preset or neuroml");
        const auto doc = read_neuroml(t.relative_to_file(t.string("neuroml")));
        const auto id = t.string("cell");
        const auto* cell = doc.find_cell(id);
        if (!cell)
            t.fail("cell", fmt::format("{} has no cell with id \"{}\" (its cells: {})", doc.file, id, doc.cell_ids()));
        p.model = cell->model;
        for (const auto& [k, v] : cell->params) {
            p.params.emplace_back(k, model::Distribution::constant(v));
            constants[k] = v;
        }
    } else {
        p.model = t.string("model");
    }
    const model::ModelInfo* info = model::find_model(p.model);
    if (!info) t.fail("model", fmt::format("unknown neuron model \"{}\" (known: {})", p.model, model::model_names()));
    p.preset = t.string_or("preset", "");
    if (!p.preset.empty() && !info->find_preset(p.preset))
        t.fail("preset",
               fmt::format("model {} has no preset \"{}\" (known: {})", p.model, p.preset, info->preset_names()));
    if (auto params = t.find_table("params")) {
        std::vector<std::pair<int, std::string>> keys;  // file order, for stable specs
        for (const auto& k : params->keys()) keys.emplace_back(params->line(k), k);
        std::sort(keys.begin(), keys.end());
        for (const auto& [line, k] : keys) {
            if (!info->has_param(k))
                params->fail(k, fmt::format("model {} has no parameter \"{}\" (its parameters: {})", p.model, k,
                                            info->param_names()));
            auto d = parse_distribution(*params, k);
            if (d.is_constant())
                constants[k] = d.a;
            else
                constants.erase(k);
            auto same =
                std::find_if(p.params.begin(), p.params.end(), [&key = k](const auto& q) { return q.first == key; });
            if (same != p.params.end())
                same->second = d;
            else
                p.params.emplace_back(k, d);
        }
        params->finish();
    }
    // A preset whose every value `params` sets again changes nothing (e.g. --set ...preset=FS
    // on a population that spells out a, b, c, d): say so rather than ignore the preset silently.
    if (const auto* preset = p.preset.empty() ? nullptr : info->find_preset(p.preset);
        preset && !preset->values.empty()) {
        const bool all_overridden = std::all_of(preset->values.begin(), preset->values.end(), [&](const auto& v) {
            return std::any_of(p.params.begin(), p.params.end(), [&](const auto& q) { return q.first == v.first; });
        });
        if (all_overridden) {
            std::string names;
            for (const auto& v : preset->values) names += (names.empty() ? "" : ", ") + v.first;
            config_warning(
                fmt::format("{}:{}: population \"{}\": params sets every value of preset \"{}\" ({}), so the "
                            "preset changes nothing",
                            t.file(), t.line("preset"), p.name, p.preset, names));
        }
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
                t.fail("stops",
                       fmt::format("segment {} ends at {} ms, not after its start {} ms", i, stops[i], starts[i]));
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

// A pulseGenerator of a NeuroML file as a step input. Its current unit must be the
// model's: pA for every model but izhikevich2003, whose dimensionless input takes
// NeuroML's pulseGeneratorDL (the input izhikevichCell takes).
model::CurrentInputSpec parse_neuroml_pulse(const ConfigTable& t, const model::PopulationSpec& pop) {
    const auto doc = read_neuroml(t.relative_to_file(t.string("file")));
    const auto id = t.string("id");
    const auto* pulse = doc.find_pulse(id);
    if (!pulse)
        t.fail("id", fmt::format("{} has no pulseGenerator with id \"{}\" (its pulse generators: {})", doc.file, id,
                                 doc.pulse_ids()));
    const bool dimensionless_model = pop.model == "izhikevich2003";
    if (pulse->dimensionless != dimensionless_model)
        t.fail("id", fmt::format("{} \"{}\" is a {} but population \"{}\" ({}) takes a {}", doc.file, id,
                                 pulse->dimensionless ? "pulseGeneratorDL" : "pulseGenerator", pop.name, pop.model,
                                 dimensionless_model ? "pulseGeneratorDL (dimensionless current)"
                                                     : "pulseGenerator (a current)"));
    model::CurrentInputSpec c;
    c.kind = model::CurrentInputSpec::Kind::step;
    c.target = pop.name;
    c.neurons = parse_neurons(t, pop);
    c.amplitude = pulse->amplitude;
    c.delay = pulse->delay;
    c.duration = pulse->duration;
    return c;
}

// The synapse keys of a projection or spike input: synapse (kind), tau, e_rev.
model::SynapseSpec parse_synapse(const ConfigTable& t) {
    using K = model::SynapseSpec::Kind;
    model::SynapseSpec s;
    const auto kind = t.choice_or("synapse", "delta", {"delta", "exp_current", "alpha_current", "exp_conductance"});
    s.kind = kind == "delta"           ? K::delta
             : kind == "exp_current"   ? K::exp_current
             : kind == "alpha_current" ? K::alpha_current
                                       : K::exp_conductance;
    if (s.kind != K::delta) s.tau = t.number_or("tau", s.tau, Range::positive());
    if (s.kind == K::exp_conductance) s.e_rev = t.number_or("e_rev", s.e_rev);
    return s;
}

// Weights: conductances cannot be negative; a "scaled" distribution has no meaning per connection.
model::Distribution parse_connection_value(const ConfigTable& t, std::string_view key, const Range& range) {
    auto d = parse_distribution(t, key, range);
    if (d.kind == model::Distribution::Kind::scaled)
        t.fail(key, "a per-connection value is a number or a constant, uniform or normal distribution, not \"scaled\"");
    return d;
}

Range weight_range(const model::SynapseSpec& s) {
    return s.kind == model::SynapseSpec::Kind::exp_conductance ? Range::nonnegative() : Range::any();
}

model::ProjectionSpec parse_projection(const ConfigTable& t, const model::NetworkSpec& net, std::size_t index) {
    using R = model::ProjectionSpec::Rule;
    model::ProjectionSpec p;
    p.name = t.string_or("name", fmt::format("projection{}", index));
    if (p.name.empty()) t.fail("name", "expected a non-empty name");
    for (const auto& q : net.projections)
        if (q.name == p.name) t.fail("name", fmt::format("projection \"{}\" is defined twice", p.name));
    p.source = t.string("source");
    const auto* src = net.find_population(p.source);
    if (!src) t.fail("source", fmt::format("no population named \"{}\"", p.source));
    p.target = t.string("target");
    const auto* tgt = net.find_population(p.target);
    if (!tgt) t.fail("target", fmt::format("no population named \"{}\"", p.target));
    const auto rule = t.choice(
        "rule", {"probability", "in_degree", "out_degree", "total_number", "one_to_one", "all_to_all", "list"});
    p.allow_autapses = t.boolean_or("allow_autapses", false);
    const bool self = p.source == p.target;
    if (rule == "probability") {
        p.rule = R::probability;
        p.probability = t.number("probability", Range::probability());
    } else if (rule == "in_degree" || rule == "out_degree") {
        p.rule = rule == "in_degree" ? R::in_degree : R::out_degree;
        p.allow_multapses = t.boolean_or("allow_multapses", false);
        const std::int64_t pool = rule == "in_degree" ? src->size : tgt->size;
        p.degree = t.integer(rule, Range::at_least(0));
        const std::int64_t avail = pool - (self && !p.allow_autapses ? 1 : 0);
        if (!p.allow_multapses && p.degree > avail)
            t.fail(rule, fmt::format("{} = {} exceeds the {} distinct partners available (set allow_multapses = true "
                                     "to draw with replacement)",
                                     rule, p.degree, avail));
        if (p.allow_multapses && p.degree > 0 && avail < 1) t.fail(rule, "no partner is available");
    } else if (rule == "total_number") {
        p.rule = R::total_number;
        p.allow_multapses = t.boolean_or("allow_multapses", false);
        p.total = t.integer("total_number", Range::closed(0, 4e9));
        const std::int64_t pairs = (src->size - (self && !p.allow_autapses ? 1 : 0)) * tgt->size;
        if (!p.allow_multapses && p.total > pairs)
            t.fail("total_number", fmt::format("total_number = {} exceeds the {} distinct pairs available (set "
                                               "allow_multapses = true to draw with replacement)",
                                               p.total, pairs));
        if (p.total > 0 && pairs < 1) t.fail("total_number", "no pair is available");
    } else if (rule == "one_to_one") {
        p.rule = R::one_to_one;
        if (src->size != tgt->size)
            t.fail("rule", fmt::format("one_to_one needs populations of equal size ({} has {}, {} has {})", src->name,
                                       src->size, tgt->name, tgt->size));
    } else if (rule == "all_to_all") {
        p.rule = R::all_to_all;
    } else {
        p.rule = R::list;
        p.pre = t.integers("pre", Range::closed(0, static_cast<double>(src->size - 1)));
        p.post = t.integers("post", Range::closed(0, static_cast<double>(tgt->size - 1)));
        if (p.pre.size() != p.post.size())
            t.fail("post",
                   fmt::format("pre and post must have the same length (got {} and {})", p.pre.size(), p.post.size()));
    }
    p.synapse = parse_synapse(t);
    if (p.rule == R::list && t.has("weights")) {
        p.list_weights = t.numbers("weights", weight_range(p.synapse));
        if (p.list_weights.size() != p.pre.size())
            t.fail("weights",
                   fmt::format("expected {} weights (one per pair), got {}", p.pre.size(), p.list_weights.size()));
    } else {
        p.weight = parse_connection_value(t, "weight", weight_range(p.synapse));
    }
    if (p.rule == R::list && t.has("delays")) {
        p.list_delays = t.numbers("delays", Range::nonnegative());
        if (p.list_delays.size() != p.pre.size())
            t.fail("delays",
                   fmt::format("expected {} delays (one per pair), got {}", p.pre.size(), p.list_delays.size()));
    } else if (t.has("delay")) {
        p.delay = parse_connection_value(t, "delay", Range::nonnegative());
    } else {
        p.delay = model::Distribution::constant(net.simulation.dt);
    }
    {
        const auto ns = static_cast<double>(src->size), nt = static_cast<double>(tgt->size);
        double synapses = 0;
        std::string key = "rule";
        switch (p.rule) {
            case R::probability:
                synapses = p.probability * ns * nt;
                key = "probability";
                break;
            case R::in_degree:
                synapses = static_cast<double>(p.degree) * nt;
                key = rule;
                break;
            case R::out_degree:
                synapses = static_cast<double>(p.degree) * ns;
                key = rule;
                break;
            case R::total_number:
                synapses = static_cast<double>(p.total);
                key = rule;
                break;
            case R::one_to_one:
                synapses = ns;
                break;
            case R::all_to_all:
                synapses = ns * nt;
                break;
            case R::list:
                synapses = static_cast<double>(p.pre.size());
                key = "pre";
                break;
        }
        check_memory(t, key, synapses * kBytesPerSynapse, fmt::format("about {:.3g} synapses", synapses));
        double max_delay = 0;
        for (double d : p.list_delays) max_delay = std::max(max_delay, d);
        if (p.list_delays.empty()) max_delay = largest(p.delay);
        const double slots = max_delay / net.simulation.dt + 2;
        const auto delay_key = t.has("delays") ? "delays" : "delay";
        if (!(std::round(max_delay / net.simulation.dt) < model::max_delay_steps))
            t.fail(delay_key, fmt::format("a delay of {} ms is more than {:g} steps of dt = {} ms", max_delay,
                                          model::max_delay_steps, net.simulation.dt));
        check_memory(t, delay_key, slots * nt * kBytesPerSample,
                     fmt::format("a delay of {} ms ({:.3g} steps of dt for each of {} target neurons)", max_delay,
                                 slots, tgt->size));
    }
    p.weight_scale = t.number_or("weight_scale", 1.0, Range::nonnegative());
    p.release_probability = t.number_or("release_probability", 1.0, Range::probability());
    if (self && !p.allow_autapses && p.rule == R::one_to_one)
        t.fail("allow_autapses",
               "one_to_one from a population to itself makes only autapses; set allow_autapses = true");
    t.finish();
    return p;
}

// A spike file in PySpike's text format (io::read_spike_text: an empty line is skipped,
// a line of blanks is a silent neuron), times in ms, finite and >= 0; each train sorted.
std::vector<std::vector<double>> read_spike_file(const ConfigTable& t, const std::string& path) {
    SpikeText text;
    try {
        text = read_spike_text_file(path);
    } catch (const InputError& e) {
        t.fail("file", e.what());
    }
    std::vector<std::vector<double>> trains = text.raster.to_trains();
    for (std::size_t i = 0; i < trains.size(); ++i) {
        for (double x : trains[i])
            if (!std::isfinite(x) || x < 0)
                t.fail("file",
                       fmt::format("{}:{}: spike times must be finite and >= 0, got {}", path, text.lines[i], x));
        std::sort(trains[i].begin(), trains[i].end());
    }
    return trains;
}

void check_trains(const ConfigTable& t, std::string_view key, const model::SpikeTimesInputSpec& s,
                  std::int64_t targets) {
    if (s.trains.size() != 1 && static_cast<std::int64_t>(s.trains.size()) != targets)
        t.fail(key,
               fmt::format("expected one spike train (for every target neuron) or {} (one per target neuron), got {}",
                           targets, s.trains.size()));
}

model::RecordingSpec parse_recording(const ConfigTable& t, const model::NetworkSpec& net) {
    model::RecordingSpec r;
    if (t.has("spikes")) {
        const auto& raw = t.raw("spikes");
        if (t.is_string("spikes")) {
            t.choice("spikes", {"all"});
        } else if (raw.is_array() && !raw.as_array().empty() && raw.as_array().front().is_table()) {
            // [[recording.spikes]] tables: population and optional neurons.
            std::vector<std::string> seen;
            for (const auto& s : t.tables("spikes")) {
                model::SpikeRecordSpec sr;
                sr.population = s.string("population");
                const auto* pop = net.find_population(sr.population);
                if (!pop) s.fail("population", fmt::format("no population named \"{}\"", sr.population));
                if (std::find(seen.begin(), seen.end(), sr.population) != seen.end())
                    s.fail("population", fmt::format("population \"{}\" is recorded twice", sr.population));
                seen.push_back(sr.population);
                sr.neurons = parse_neurons(s, *pop);
                auto sorted = sr.neurons;
                std::sort(sorted.begin(), sorted.end());
                if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
                    s.fail("neurons", "a neuron is listed twice");
                s.finish();
                if (sr.neurons.empty())
                    r.spike_populations.push_back(sr.population);
                else
                    r.spike_neurons.push_back(std::move(sr));
            }
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
        const double n = vr.neurons.empty() ? static_cast<double>(pop->size) : static_cast<double>(vr.neurons.size());
        const double steps = net.simulation.duration / net.simulation.dt;
        check_memory(v, vr.neurons.empty() ? "population" : "neurons", n * steps * kBytesPerSample,
                     fmt::format("a voltage recording of {} neurons x {:.3g} steps", n, steps));
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
        d.keep_sign = t.boolean_or("keep_sign", false);
        if (d.keep_sign && (t.has("lo") || t.has("hi")))
            t.fail("keep_sign", "keep_sign sets the bound at 0 on the side of the mean; drop lo and hi");
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
    for (std::size_t k = 0; const auto& pr : root.tables("projections"))
        net.projections.push_back(parse_projection(pr, net, k++));
    const auto inputs = root.tables("inputs");
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        const auto& in = inputs[k];
        const auto type =
            in.choice("type", {"constant", "step", "steps", "noise", "poisson", "spike_times", "neuroml"});
        const auto name = in.string_or("name", "");
        const auto target = in.string("target");
        const auto* pop = net.find_population(target);
        if (!pop) in.fail("target", fmt::format("no population named \"{}\"", target));
        auto targets = [&](const std::vector<std::int64_t>& n) {
            return n.empty() ? pop->size : static_cast<std::int64_t>(n.size());
        };
        if (type == "poisson") {
            model::PoissonInputSpec p;
            p.name = name;
            p.index = k;
            p.target = target;
            p.neurons = parse_neurons(in, *pop);
            p.rate = in.number("rate", Range::nonnegative());
            p.sources = in.integer_or("sources", 1, Range::closed(1, 1e9));
            if (const double lambda = p.rate * static_cast<double>(p.sources) * net.simulation.dt / 1000.0;
                lambda > model::max_poisson_per_step)
                in.fail("rate", fmt::format("rate x sources x dt = {:g} spikes per neuron and step, more than {:g}",
                                            lambda, model::max_poisson_per_step));
            p.start = in.number_or("start", 0.0, Range::nonnegative());
            p.stop = in.number_or("stop", p.stop, Range::nonnegative());
            if (p.stop < p.start)
                in.fail("stop", fmt::format("expected stop >= start = {} ms, got {}", p.start, p.stop));
            p.synapse = parse_synapse(in);
            p.weight = in.number_or("weight", 1.0, weight_range(p.synapse));
            net.poisson.push_back(std::move(p));
        } else if (type == "spike_times") {
            model::SpikeTimesInputSpec s;
            s.name = name;
            s.index = k;
            s.target = target;
            s.neurons = parse_neurons(in, *pop);
            if (in.has("file") == in.has("times"))
                in.fail(in.has("file") ? "times" : "type", "a spike_times input needs exactly one of file or times");
            if (in.has("file")) {
                s.file = in.relative_to_file(in.string("file"));
                s.trains = read_spike_file(in, s.file);
                check_trains(in, "file", s, targets(s.neurons));
            } else {
                auto times = in.numbers("times", Range::nonnegative());
                std::sort(times.begin(), times.end());
                s.trains.push_back(std::move(times));
            }
            s.synapse = parse_synapse(in);
            s.weight = in.number_or("weight", 1.0, weight_range(s.synapse));
            net.spike_times.push_back(std::move(s));
        } else if (type == "neuroml") {
            net.currents.push_back(parse_neuroml_pulse(in, *pop));
            net.currents.back().name = name;
            net.currents.back().index = k;
        } else {
            auto c = parse_current(in, type, *pop);
            c.name = name;
            c.index = k;
            net.currents.push_back(std::move(c));
        }
        for (std::size_t j = 0; j < k && !name.empty(); ++j)
            if (inputs[j].string_or("name", "") == name)
                in.fail("name", fmt::format("input \"{}\" is defined twice", name));
        in.finish();
    }
    if (auto rec = root.find_table("recording")) net.recording = parse_recording(*rec, net);
    return net;
}

// ---------------------------------------------------------------- spec_field

namespace {

[[noreturn]] void path_fail(std::string_view path, const std::string& what) {
    throw Error(fmt::format("config path \"{}\": {}", path, what));
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> seg;
    std::string cur;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const char c = path[i];
        if (c == '.') {
            if (cur.empty()) path_fail(path, "empty segment");
            seg.push_back(cur);
            cur.clear();
        } else if (c == '[') {
            if (!cur.empty()) seg.push_back(cur);
            cur.clear();
            const auto close = path.find(']', i);
            if (close == std::string_view::npos) path_fail(path, "unclosed '['");
            std::string bracketed(1, '[');  // built in place: GCC 12 warns (-Wrestrict) on "[" + s + "]"
            bracketed.append(path.substr(i + 1, close - i - 1));
            bracketed.push_back(']');
            seg.push_back(std::move(bracketed));
            i = close;
            if (i + 1 < path.size() && path[i + 1] == '.') ++i;
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) seg.push_back(cur);
    if (seg.empty()) path_fail(path, "empty path");
    return seg;
}

// "[3]" -> 3; otherwise nullopt.
std::optional<std::size_t> index_of(const std::string& seg) {
    if (seg.size() < 3 || seg.front() != '[' || seg.back() != ']') return std::nullopt;
    const auto body = seg.substr(1, seg.size() - 2);
    if (!std::all_of(body.begin(), body.end(), ::isdigit)) return std::nullopt;
    return std::stoul(body);
}

// Looks a field name up in a (name, member) table, or fails listing the names.
double& pick(std::string_view path, const std::string& key,
             std::initializer_list<std::pair<const char*, double*>> fields, std::string_view what) {
    std::string names;
    for (const auto& [n, ptr] : fields) {
        if (key == n) return *ptr;
        names += (names.empty() ? "" : ", ") + std::string(n);
    }
    path_fail(path, fmt::format("{} has no number \"{}\" (addressable: {})", what, key, names));
}

double& distribution_field(std::string_view path, model::Distribution& d, const std::string* sub) {
    using K = model::Distribution::Kind;
    if (!sub) {
        if (d.kind == K::constant) return d.a;
        const char* subs = d.kind == K::uniform  ? "lo, hi"
                           : d.kind == K::normal ? "mean, sd, lo, hi"
                                                 : "base, scale, power";
        path_fail(path, fmt::format("is a distribution, not a number; address one of its parameters ({})", subs));
    }
    switch (d.kind) {
        case K::constant:
            return pick(path, *sub, {{"value", &d.a}}, "a constant");
        case K::uniform:
            return pick(path, *sub, {{"lo", &d.a}, {"hi", &d.b}}, "a uniform distribution");
        case K::normal:
            return pick(path, *sub, {{"mean", &d.a}, {"sd", &d.b}, {"lo", &d.lo}, {"hi", &d.hi}},
                        "a normal distribution");
        case K::scaled:
            return pick(path, *sub, {{"base", &d.a}, {"scale", &d.b}, {"power", &d.power}}, "a scaled distribution");
    }
    throw InternalError("distribution kind");
}

// Elements of a spec vector found by name or by [K].
template <class T, class Index>
T& element(std::string_view path, std::vector<T>& v, const std::string& seg, std::string_view what, Index index) {
    if (auto k = index_of(seg)) {
        for (auto& x : v)
            if (index(x) == *k) return x;
        path_fail(path, fmt::format("there is no {} [{}]", what, *k));
    }
    for (auto& x : v)
        if (x.name == seg) return x;
    path_fail(path, fmt::format("no {} named \"{}\"", what, seg));
}

double& population_param(std::string_view path, model::PopulationSpec& pop, const std::string& name,
                         const std::string* sub) {
    for (auto& [n, d] : pop.params)
        if (n == name) return distribution_field(path, d, sub);
    const model::ModelInfo* info = model::find_model(pop.model);
    if (!info || !info->has_param(name))
        path_fail(path, fmt::format("model {} has no parameter \"{}\" (its parameters: {})", pop.model, name,
                                    info ? info->param_names() : std::string("?")));
    if (sub && *sub != "value")
        path_fail(path, fmt::format("parameter \"{}\" is a constant; address it without \".{}\"", name, *sub));
    // Not set by the config: add it as a constant holding the value it had (default or preset).
    double value = 0.0;
    model::visit_model(pop.model, [&](auto tag) {
        using M = typename decltype(tag)::type;
        const auto p = model::make_params<M>(pop.preset, {});
        for (const auto& f : M::fields())
            if (f.name == name) value = p.*(f.member);
    });
    pop.params.emplace_back(name, model::Distribution::constant(value));
    return pop.params.back().second.a;
}

}  // namespace

double& spec_field(model::NetworkSpec& spec, std::string_view path) {
    const auto seg = split_path(path);
    const auto n = seg.size();
    auto need = [&](std::size_t len, const char* form) {
        if (n < len) path_fail(path, fmt::format("incomplete; expected {}", form));
    };
    const std::string& head = seg[0];
    if (head == "simulation") {
        if (n != 2) path_fail(path, "expected simulation.dt, simulation.duration or simulation.max_rate");
        auto& s = spec.simulation;
        return pick(path, seg[1], {{"dt", &s.dt}, {"duration", &s.duration}, {"max_rate", &s.max_rate}},
                    "[simulation]");
    }
    if (head == "populations") {
        need(4, "populations.NAME.params.P");
        auto& pop = element(path, spec.populations, seg[1], "population", [&](const model::PopulationSpec& p) {
            return static_cast<std::size_t>(&p - spec.populations.data());
        });
        if (seg[2] != "params")
            path_fail(path, "the numbers of a population are its params: populations.NAME.params.P");
        if (n > 5) path_fail(path, "too many segments");
        return population_param(path, pop, seg[3], n == 5 ? &seg[4] : nullptr);
    }
    if (head == "projections") {
        need(3, "projections.NAME.FIELD");
        auto& pr = element(path, spec.projections, seg[1], "projection", [&](const model::ProjectionSpec& p) {
            return static_cast<std::size_t>(&p - spec.projections.data());
        });
        const std::string* sub = n == 4 ? &seg[3] : nullptr;
        if (n > 4) path_fail(path, "too many segments");
        if (seg[2] == "weight") return distribution_field(path, pr.weight, sub);
        if (seg[2] == "delay") return distribution_field(path, pr.delay, sub);
        if (sub)
            path_fail(path,
                      fmt::format("projection field \"{}\" is a number; address it without \".{}\"", seg[2], *sub));
        return pick(path, seg[2],
                    {{"probability", &pr.probability},
                     {"weight_scale", &pr.weight_scale},
                     {"release_probability", &pr.release_probability},
                     {"tau", &pr.synapse.tau},
                     {"e_rev", &pr.synapse.e_rev}},
                    fmt::format("projection {} (also weight, delay)", pr.name));
    }
    if (head == "inputs") {
        need(3, "inputs.NAME.FIELD or inputs[K].FIELD");
        if (n > 3) path_fail(path, "too many segments");
        const auto k = index_of(seg[1]);
        auto matches = [&](const std::string& name, std::size_t index) { return k ? *k == index : name == seg[1]; };
        for (auto& c : spec.currents)
            if (matches(c.name, c.index))
                return pick(path, seg[2],
                            {{"amplitude", &c.amplitude},
                             {"delay", &c.delay},
                             {"duration", &c.duration},
                             {"mean", &c.mean},
                             {"std", &c.std},
                             {"interval", &c.interval}},
                            "a current input");
        for (auto& p : spec.poisson)
            if (matches(p.name, p.index))
                return pick(path, seg[2],
                            {{"rate", &p.rate},
                             {"start", &p.start},
                             {"stop", &p.stop},
                             {"weight", &p.weight},
                             {"tau", &p.synapse.tau},
                             {"e_rev", &p.synapse.e_rev}},
                            "a poisson input");
        for (auto& s : spec.spike_times)
            if (matches(s.name, s.index))
                return pick(path, seg[2], {{"weight", &s.weight}, {"tau", &s.synapse.tau}, {"e_rev", &s.synapse.e_rev}},
                            "a spike_times input");
        path_fail(path, k ? fmt::format("there is no input [{}]", *k) : fmt::format("no input named \"{}\"", seg[1]));
    }
    path_fail(path, "expected a path starting with simulation, populations, projections or inputs");
}

namespace {
const char* weight_unit(const model::SynapseSpec& syn) {
    switch (syn.kind) {
        case model::SynapseSpec::Kind::delta:
            return "mV";
        case model::SynapseSpec::Kind::exp_current:
        case model::SynapseSpec::Kind::alpha_current:
            return "pA";
        case model::SynapseSpec::Kind::exp_conductance:
            return "nS";
    }
    return "";
}

// The unit of a field that spec_field found: by the last segment's meaning.
template <class T>
const T* find_element(const std::vector<T>& v, const std::string& seg) {
    const auto k = index_of(seg);
    for (std::size_t i = 0; i < v.size(); ++i)
        if (k ? i == *k : v[i].name == seg) return &v[i];
    return nullptr;
}
}  // namespace

std::string spec_field_unit(const model::NetworkSpec& spec, std::string_view path) {
    {
        auto copy = spec;
        spec_field(copy, path);  // the same errors as spec_field for a path that does not resolve
    }
    const auto seg = split_path(path);
    const std::string& head = seg[0];
    const std::string& field = seg.back();
    if (head == "simulation") return field == "max_rate" ? "Hz" : "ms";
    if (head == "populations") {
        if (seg.size() == 5 && seg[4] == "power") return "1";
        const auto* pop = find_element(spec.populations, seg[1]);
        const auto* info = pop ? model::find_model(pop->model) : nullptr;
        if (info)
            for (const auto& p : info->params)
                if (p.name == seg[3]) return p.unit;
        return "";
    }
    const auto time_or_reversal = [&](const model::SynapseSpec& syn) -> std::string {
        if (field == "tau" || field == "delay" || field == "start" || field == "stop") return "ms";
        if (field == "e_rev") return "mV";
        if (field == "rate") return "Hz";
        return weight_unit(syn);
    };
    if (head == "projections") {
        const auto* pr = find_element(spec.projections, seg[1]);
        const std::string& f = seg[2];
        if (f == "probability" || f == "weight_scale" || f == "release_probability") return "1";
        if (f == "weight") return weight_unit(pr->synapse);
        return f == "e_rev" ? "mV" : "ms";  // delay, tau
    }
    const auto k = index_of(seg[1]);
    const auto matches = [&](const std::string& name, std::size_t index) { return k ? *k == index : name == seg[1]; };
    for (const auto& c : spec.currents)
        if (matches(c.name, c.index)) {
            if (field == "delay" || field == "duration" || field == "interval") return "ms";
            const auto* pop = find_element(spec.populations, c.target);
            return pop && pop->model == "izhikevich2003" ? "1" : "pA";
        }
    for (const auto& p : spec.poisson)
        if (matches(p.name, p.index)) return time_or_reversal(p.synapse);
    for (const auto& t : spec.spike_times)
        if (matches(t.name, t.index)) return time_or_reversal(t.synapse);
    return "";
}

}  // namespace snnfit::io
