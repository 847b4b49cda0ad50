#include "sim/simulator.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/error.hpp"
#include "sim/current_input.hpp"

namespace snnfit::sim {

std::int64_t steps_for(double duration, double dt) { return static_cast<std::int64_t>(std::llround(duration / dt)); }

const SpikeRaster* SimResult::find(const std::string& population) const {
    for (std::size_t i = 0; i < populations.size(); ++i)
        if (populations[i] == population) return &spikes[i];
    return nullptr;
}

struct Simulator::Impl {
    model::NetworkSpec spec;
    std::uint64_t seed;
    std::vector<std::unique_ptr<Population>> pops;
    std::vector<std::vector<double>> current;  // per population, per neuron: input of this step
    std::vector<std::pair<std::size_t, CurrentInput>> inputs;  // (population index, input)
    std::vector<bool> record_spikes;
    struct VoltageProbe {
        std::size_t pop;
        VoltageTrace trace;
    };
    std::vector<VoltageProbe> probes;

    std::size_t pop_index(const std::string& name) const {
        for (std::size_t i = 0; i < spec.populations.size(); ++i)
            if (spec.populations[i].name == name) return i;
        throw InternalError("no population " + name);
    }
};

Simulator::Simulator(const model::NetworkSpec& spec, std::uint64_t seed) : impl_(std::make_unique<Impl>()) {
    auto& m = *impl_;
    m.spec = spec;
    m.seed = seed;
    const double dt = spec.simulation.dt;
    for (std::size_t p = 0; p < spec.populations.size(); ++p) {
        // Heterogeneity draws have their own stream per population: adding an input
        // or a projection never changes which neuron gets which parameters.
        Rng rng(seed, stream_id({static_cast<std::uint64_t>(StreamTag::heterogeneity), p}));
        m.pops.push_back(make_population(spec.populations[p], dt, rng));
        m.current.emplace_back(m.pops.back()->size(), 0.0);
    }
    for (std::size_t k = 0; k < spec.currents.size(); ++k) {
        const auto& c = spec.currents[k];
        const std::size_t p = m.pop_index(c.target);
        // A noise input with its own seed is independent of the run seed.
        const std::uint64_t s = c.seed != 0 ? c.seed : seed;
        Rng rng(s, stream_id({static_cast<std::uint64_t>(StreamTag::input), 1, c.seed != 0 ? 0 : k}));
        m.inputs.emplace_back(p, CurrentInput(c, m.pops[p]->size(), dt, rng));
    }
    m.record_spikes.assign(spec.populations.size(), spec.recording.spike_populations.empty());
    for (const auto& name : spec.recording.spike_populations) m.record_spikes[m.pop_index(name)] = true;
    for (const auto& v : spec.recording.voltage) {
        Impl::VoltageProbe probe{m.pop_index(v.population), {v.population, v.neurons, {}, 0}};
        if (probe.trace.neurons.empty())
            for (std::size_t i = 0; i < m.pops[probe.pop]->size(); ++i) probe.trace.neurons.push_back(static_cast<std::int64_t>(i));
        m.probes.push_back(std::move(probe));
    }
}

Simulator::~Simulator() = default;

SimResult Simulator::run() {
    auto& m = *impl_;
    const double dt = m.spec.simulation.dt;
    const std::int64_t steps = steps_for(m.spec.simulation.duration, dt);
    SimResult res;
    res.dt = dt;
    res.steps = steps;
    res.t_stop = static_cast<double>(steps) * dt;

    std::size_t total_neurons = 0;
    for (const auto& p : m.pops) total_neurons += p->size();
    const double spike_cap = m.spec.simulation.max_rate * static_cast<double>(total_neurons) * res.t_stop / 1000.0;

    std::vector<std::vector<std::vector<double>>> trains(m.pops.size());
    for (std::size_t p = 0; p < m.pops.size(); ++p)
        if (m.record_spikes[p]) trains[p].resize(m.pops[p]->size());
    std::vector<std::vector<double>> samples(m.probes.size());
    for (std::size_t j = 0; j < m.probes.size(); ++j)
        samples[j].reserve(m.probes[j].trace.neurons.size() * static_cast<std::size_t>(steps));

    std::vector<std::uint32_t> spiked;
    double spike_count = 0;
    std::int64_t n = 0;
    for (; n < steps; ++n) {
        for (std::size_t j = 0; j < m.probes.size(); ++j)
            for (auto i : m.probes[j].trace.neurons) samples[j].push_back(m.pops[m.probes[j].pop]->v(static_cast<std::size_t>(i)));
        for (auto& c : m.current) std::fill(c.begin(), c.end(), 0.0);
        for (auto& [p, input] : m.inputs) input.add(n, m.current[p].data());
        const double t_spike = static_cast<double>(n + 1) * dt;
        for (std::size_t p = 0; p < m.pops.size(); ++p) {
            spiked.clear();
            m.pops[p]->step(m.current[p].data(), spiked);
            spike_count += static_cast<double>(spiked.size());
            if (m.record_spikes[p])
                for (auto i : spiked) trains[p][i].push_back(t_spike);
        }
        if (spike_count > spike_cap) {
            res.status = SimResult::Status::invalid;
            res.message = fmt::format("runaway firing: more than {} Hz per neuron on average by t = {} ms",
                                      m.spec.simulation.max_rate, t_spike);
            ++n;
            break;
        }
    }
    if (res.status == SimResult::Status::ok)
        for (std::size_t p = 0; p < m.pops.size(); ++p)
            if (!m.pops[p]->finite()) {
                res.status = SimResult::Status::invalid;
                res.message = fmt::format("population {}: the state became NaN or infinite", m.spec.populations[p].name);
                break;
            }
    for (std::size_t p = 0; p < m.pops.size(); ++p)
        if (m.record_spikes[p]) {
            res.populations.push_back(m.spec.populations[p].name);
            res.spikes.push_back(SpikeRaster::from_trains(trains[p]));
        }
    // Samples were taken step-major; store them neuron-major (one row per neuron).
    for (std::size_t j = 0; j < m.probes.size(); ++j) {
        VoltageTrace tr = m.probes[j].trace;
        const std::size_t k = tr.neurons.size();
        tr.samples = k ? samples[j].size() / k : 0;
        tr.v.resize(k * tr.samples);
        for (std::size_t s = 0; s < tr.samples; ++s)
            for (std::size_t i = 0; i < k; ++i) tr.v[i * tr.samples + s] = samples[j][s * k + i];
        res.voltage.push_back(std::move(tr));
    }
    return res;
}

SimResult simulate(const model::NetworkSpec& spec, std::uint64_t seed) { return Simulator(spec, seed).run(); }

}  // namespace snnfit::sim
