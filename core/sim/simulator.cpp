#include "sim/simulator.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "common/error.hpp"
#include "sim/connectivity.hpp"
#include "sim/current_input.hpp"
#include "sim/spike_input.hpp"
#include "sim/synapse.hpp"

namespace snnfit::sim {

std::int64_t steps_for(double duration, double dt) {
    return static_cast<std::int64_t>(std::llround(duration / dt));
}

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
    std::vector<std::vector<double>> vnow;     // per population with conductances: v at the start of the step
    std::vector<std::pair<std::size_t, CurrentInput>> inputs;  // (population index, input)

    struct ReceptorOf {
        std::size_t pop;
        Receptor receptor;
    };
    std::vector<ReceptorOf> receptors;
    struct Projection {
        std::size_t source, receptor;
        Connections c;
        double release = 1.0;
        std::vector<Rng> release_rng;  // per source neuron, when release < 1
    };
    std::vector<Projection> projections;
    std::vector<std::vector<std::size_t>> outgoing;                    // per population: its projections
    std::vector<std::pair<std::size_t, PoissonInput>> poisson;         // (receptor, input)
    std::vector<std::pair<std::size_t, SpikeTimesInput>> spike_times;  // (receptor, input)

    std::vector<bool> record_spikes;
    std::vector<std::vector<std::int64_t>> record_neurons;  // per population; empty = all
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
    // The receptor of (population, synapse), made on first use; all are made before
    // the run, with `slots` ring slots.
    std::size_t receptor(std::size_t pop, const model::SynapseSpec& syn, std::size_t slots) {
        for (std::size_t r = 0; r < receptors.size(); ++r)
            if (receptors[r].pop == pop && receptors[r].receptor.spec() == syn) return r;
        receptors.push_back({pop, Receptor(syn, pops[pop]->size(), slots, spec.simulation.dt)});
        return receptors.size() - 1;
    }
};

namespace {

// dst[k] += w[k] for a contiguous block of targets (no aliasing: a ring slot and weights).
void add_block(double* __restrict dst, const double* __restrict w, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) dst[k] += w[k];
}

// The numbers a fit may write through io::spec_field after the config was checked:
// checked again here, so a candidate outside their domain is a ParameterError (an
// invalid evaluation), never a silently clipped value.
void validate(const model::NetworkSpec& spec) {
    auto fail = [](const std::string& what) { throw ParameterError(what); };
    auto in01 = [](double x) { return x >= 0.0 && x <= 1.0; };
    if (!(spec.simulation.dt > 0) || !std::isfinite(spec.simulation.dt))
        fail(fmt::format("simulation.dt = {} must be > 0", spec.simulation.dt));
    if (!(spec.simulation.duration > 0) || !std::isfinite(spec.simulation.duration))
        fail(fmt::format("simulation.duration = {} must be > 0", spec.simulation.duration));
    auto check_synapse = [&](const std::string& where, const model::SynapseSpec& s) {
        if (s.kind != model::SynapseSpec::Kind::delta && !(s.tau > 0 && std::isfinite(s.tau)))
            fail(fmt::format("{}.tau = {} must be > 0", where, s.tau));
        if (!std::isfinite(s.e_rev)) fail(fmt::format("{}.e_rev must be finite", where));
    };
    for (const auto& p : spec.projections) {
        const std::string where = "projections." + p.name;
        if (!in01(p.probability)) fail(fmt::format("{}.probability = {} must be in [0, 1]", where, p.probability));
        if (!in01(p.release_probability))
            fail(fmt::format("{}.release_probability = {} must be in [0, 1]", where, p.release_probability));
        if (!(p.weight_scale >= 0) || !std::isfinite(p.weight_scale))
            fail(fmt::format("{}.weight_scale = {} must be >= 0", where, p.weight_scale));
        const bool conductance = p.synapse.kind == model::SynapseSpec::Kind::exp_conductance;
        for (const auto* d : {&p.weight, &p.delay}) {
            const bool is_delay = d == &p.delay;
            if (!std::isfinite(d->a) || !std::isfinite(d->b))
                fail(fmt::format("{}.{} must be finite", where, is_delay ? "delay" : "weight"));
            if (d->kind == model::Distribution::Kind::uniform && d->a > d->b)
                fail(fmt::format("{}.{}: lo = {} > hi = {}", where, is_delay ? "delay" : "weight", d->a, d->b));
            if (d->kind == model::Distribution::Kind::normal && !(d->b >= 0))
                fail(fmt::format("{}.{}.sd = {} must be >= 0", where, is_delay ? "delay" : "weight", d->b));
            const double lowest = d->kind == model::Distribution::Kind::normal ? d->lo : d->a;
            if ((is_delay || conductance) && lowest < 0)
                fail(fmt::format("{}.{} can be negative ({})", where, is_delay ? "delay" : "weight (a conductance)",
                                 lowest));
        }
        check_synapse(where, p.synapse);
    }
    for (const auto& p : spec.poisson) {
        const std::string where = fmt::format("inputs[{}]", p.index);
        if (!(p.rate >= 0) || !std::isfinite(p.rate)) fail(fmt::format("{}.rate = {} must be >= 0", where, p.rate));
        if (!std::isfinite(p.weight)) fail(fmt::format("{}.weight must be finite", where));
        check_synapse(where, p.synapse);
    }
    for (const auto& s : spec.spike_times) check_synapse(fmt::format("inputs[{}]", s.index), s.synapse);
    for (const auto& c : spec.currents)
        if (!(c.std >= 0) || !std::isfinite(c.amplitude) || !std::isfinite(c.mean))
            fail(fmt::format("inputs[{}]: amplitude and mean must be finite and std >= 0", c.index));
}

}  // namespace

Simulator::Simulator(const model::NetworkSpec& spec, std::uint64_t seed) : impl_(std::make_unique<Impl>()) {
    validate(spec);
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
    for (const auto& c : spec.currents) {
        const std::size_t p = m.pop_index(c.target);
        // A noise input with its own seed is independent of the run seed.
        const std::uint64_t s = c.seed != 0 ? c.seed : seed;
        m.inputs.emplace_back(
            p, CurrentInput(c, m.pops[p]->size(), dt, s,
                            stream_id({static_cast<std::uint64_t>(StreamTag::input), 1, c.seed != 0 ? 0 : c.index})));
    }

    // Wiring first (it fixes the longest delay, hence the ring size), receptors after.
    std::vector<Connections> wired;
    std::uint32_t max_delay = 1;
    for (std::size_t k = 0; k < spec.projections.size(); ++k) {
        const auto& pr = spec.projections[k];
        const std::size_t s = m.pop_index(pr.source), t = m.pop_index(pr.target);
        wired.push_back(connect(pr, k, m.pops[s]->size(), m.pops[t]->size(), dt, seed));
        max_delay = std::max(max_delay, wired.back().delay);
    }
    const std::size_t slots = max_delay + 2;  // arrivals land at n + 1 + d, never in the slot being read
    m.outgoing.resize(m.pops.size());
    for (std::size_t k = 0; k < spec.projections.size(); ++k) {
        const auto& pr = spec.projections[k];
        const std::size_t s = m.pop_index(pr.source), t = m.pop_index(pr.target);
        Impl::Projection proj{s, m.receptor(t, pr.synapse, slots), std::move(wired[k]), pr.release_probability, {}};
        if (proj.release < 1.0)
            for (std::size_t i = 0; i < m.pops[s]->size(); ++i)
                proj.release_rng.emplace_back(seed, stream_id({static_cast<std::uint64_t>(StreamTag::input), 3, k, i}));
        m.outgoing[s].push_back(m.projections.size());
        m.projections.push_back(std::move(proj));
    }
    for (const auto& p : spec.poisson) {
        const std::size_t t = m.pop_index(p.target);
        m.poisson.emplace_back(m.receptor(t, p.synapse, slots), PoissonInput(p, m.pops[t]->size(), dt, seed));
    }
    for (const auto& s : spec.spike_times) {
        const std::size_t t = m.pop_index(s.target);
        m.spike_times.emplace_back(m.receptor(t, s.synapse, slots), SpikeTimesInput(s, m.pops[t]->size(), dt));
    }
    // exp_current into a model with a linear membrane (lif): the decay within a step
    // is integrated exactly, as NEST's iaf_psc_exp does.
    for (auto& r : m.receptors)
        if (r.receptor.spec().kind == model::SynapseSpec::Kind::exp_current)
            r.receptor.set_gain(m.pops[r.pop]->exp_current_gain(r.receptor.spec().tau, dt));
    m.vnow.resize(m.pops.size());
    for (const auto& r : m.receptors) {
        const auto n = m.pops[r.pop]->size();
        if (r.receptor.spec().kind == model::SynapseSpec::Kind::exp_conductance) m.vnow[r.pop].assign(n, 0.0);
    }
    // Delta receptors first: their jumps are applied before conductances read v.
    std::stable_partition(m.receptors.begin(), m.receptors.end(), [](const Impl::ReceptorOf& r) {
        return r.receptor.spec().kind == model::SynapseSpec::Kind::delta;
    });
    // (stable_partition moved receptors: re-point projections and inputs.)
    auto find_receptor = [&](std::size_t pop, const model::SynapseSpec& syn) {
        for (std::size_t r = 0; r < m.receptors.size(); ++r)
            if (m.receptors[r].pop == pop && m.receptors[r].receptor.spec() == syn) return r;
        throw InternalError("receptor lost");
    };
    for (std::size_t k = 0; k < spec.projections.size(); ++k)
        m.projections[k].receptor = find_receptor(m.pop_index(spec.projections[k].target), spec.projections[k].synapse);
    for (std::size_t k = 0; k < spec.poisson.size(); ++k)
        m.poisson[k].first = find_receptor(m.pop_index(spec.poisson[k].target), spec.poisson[k].synapse);
    for (std::size_t k = 0; k < spec.spike_times.size(); ++k)
        m.spike_times[k].first = find_receptor(m.pop_index(spec.spike_times[k].target), spec.spike_times[k].synapse);

    const bool all = spec.recording.spike_populations.empty() && spec.recording.spike_neurons.empty();
    m.record_spikes.assign(spec.populations.size(), all);
    m.record_neurons.assign(spec.populations.size(), {});
    for (const auto& name : spec.recording.spike_populations) m.record_spikes[m.pop_index(name)] = true;
    for (const auto& sr : spec.recording.spike_neurons) {
        const auto p = m.pop_index(sr.population);
        if (m.record_spikes[p]) continue;  // also recorded whole
        m.record_spikes[p] = true;
        m.record_neurons[p] = sr.neurons;
    }
    for (const auto& v : spec.recording.voltage) {
        Impl::VoltageProbe probe{m.pop_index(v.population), {v.population, v.neurons, {}, 0}};
        if (probe.trace.neurons.empty())
            for (std::size_t i = 0; i < m.pops[probe.pop]->size(); ++i)
                probe.trace.neurons.push_back(static_cast<std::int64_t>(i));
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

    std::size_t total_neurons = 0, largest = 0;
    for (const auto& p : m.pops) {
        total_neurons += p->size();
        largest = std::max(largest, p->size());
    }
    const double spike_cap = m.spec.simulation.max_rate * static_cast<double>(total_neurons) * res.t_stop / 1000.0;

    // Spikes as (step, neuron) per population, turned into trains after the run.
    std::vector<std::vector<std::pair<std::int64_t, std::uint32_t>>> fired(m.pops.size());
    for (std::size_t p = 0; p < m.pops.size(); ++p)
        if (m.record_spikes[p]) fired[p].reserve(std::min<std::size_t>(1u << 22, m.pops[p]->size() * 16));
    // Voltage rows, neuron-major with a stride of `steps`, written in place: one buffer per
    // probe and no transposition (a second buffer of the same size made every evaluation of
    // a features fit page-fault its way through both, as glibc returns them to the system).
    std::vector<std::vector<double>> samples(m.probes.size());
    for (std::size_t j = 0; j < m.probes.size(); ++j)
        samples[j].resize(m.probes[j].trace.neurons.size() * static_cast<std::size_t>(steps));

    std::vector<std::uint32_t> spiked;
    spiked.reserve(largest);
    std::uint64_t events = 0;
    double spike_count = 0;
    std::int64_t n = 0;
    for (; n < steps; ++n) {
        for (auto& c : m.current) std::fill(c.begin(), c.end(), 0.0);
        for (auto& [p, input] : m.inputs) input.add(n, m.current[p].data());
        for (auto& [r, input] : m.poisson) input.add(n, m.receptors[r].receptor.slot(n));
        for (auto& [r, input] : m.spike_times) input.add(n, m.receptors[r].receptor.slot(n));
        // Arrivals of this step: delta receptors (first in the list; one per
        // population, as every delta synapse is alike) jump v, then current and
        // conductance receptors add their current, from v after the jumps.
        std::size_t r = 0;
        for (; r < m.receptors.size() && m.receptors[r].receptor.spec().kind == model::SynapseSpec::Kind::delta; ++r) {
            auto& rc = m.receptors[r];
            double* arrivals = rc.receptor.slot(n);
            m.pops[rc.pop]->add_to_v(arrivals);
            std::fill(arrivals, arrivals + m.pops[rc.pop]->size(), 0.0);
        }
        for (std::size_t p = 0; p < m.pops.size(); ++p)
            if (!m.vnow[p].empty()) m.pops[p]->copy_v(m.vnow[p].data());
        for (; r < m.receptors.size(); ++r) {
            auto& rc = m.receptors[r];
            rc.receptor.take(n, nullptr, m.current[rc.pop].data(), m.vnow[rc.pop].data());
        }
        for (std::size_t j = 0; j < m.probes.size(); ++j) {
            const auto& neurons = m.probes[j].trace.neurons;
            for (std::size_t i = 0; i < neurons.size(); ++i)
                samples[j][i * static_cast<std::size_t>(steps) + static_cast<std::size_t>(n)] =
                    m.pops[m.probes[j].pop]->v(static_cast<std::size_t>(neurons[i]));
        }

        for (std::size_t p = 0; p < m.pops.size(); ++p) {
            spiked.clear();
            m.pops[p]->step(m.current[p].data(), spiked);
            spike_count += static_cast<double>(spiked.size());
            if (m.record_spikes[p])
                for (auto i : spiked) fired[p].emplace_back(n, i);
            // Delivery: each spike adds its weight to the target's slot of arrival.
            for (auto k : m.outgoing[p]) {
                auto& pr = m.projections[k];
                auto& rec = m.receptors[pr.receptor].receptor;
                const auto& c = pr.c;
                for (auto i : spiked) {
                    const auto b = c.offsets[i], e = c.offsets[i + 1];
                    if (pr.release < 1.0) {
                        Rng& rng = pr.release_rng[i];
                        for (auto q = b; q < e; ++q)
                            if (rng.uniform() < pr.release) {
                                const auto d = c.delays.empty() ? c.delay : c.delays[q];
                                rec.slot(n + 1 + d)[c.targets[q]] += c.weights[q];
                                ++events;
                            }
                    } else if (c.delays.empty()) {
                        double* slot = rec.slot(n + 1 + c.delay);
                        const std::uint32_t* tg = c.targets.data();
                        const double* w = c.weights.data();
                        if (c.contiguous[i] && e > b)
                            add_block(slot + tg[b], w + b, e - b);
                        else
                            for (auto q = b; q < e; ++q) slot[tg[q]] += w[q];
                        events += e - b;
                    } else {
                        // Slot of a delay d: (n + 1 + d) mod slots, with d < slots - 1, so one
                        // conditional subtraction instead of a division per synapse.
                        const std::size_t slots = rec.slots(), width = rec.neurons();
                        const auto base = static_cast<std::size_t>((n + 1) % static_cast<std::int64_t>(slots));
                        double* ring = rec.ring();
                        for (auto q = b; q < e; ++q) {
                            std::size_t s = base + c.delays[q];
                            s -= s >= slots ? slots : 0;
                            ring[s * width + c.targets[q]] += c.weights[q];
                        }
                        events += e - b;
                    }
                }
            }
        }
        for (auto& rc : m.receptors) rc.receptor.advance();
        if (spike_count > spike_cap) {
            res.status = SimResult::Status::invalid;
            res.message = fmt::format("runaway firing: more than {} Hz per neuron on average by t = {} ms",
                                      m.spec.simulation.max_rate, static_cast<double>(n + 1) * dt);
            ++n;
            break;
        }
    }
    for (const auto& [rc, input] : m.poisson) events += input.events();
    res.synaptic_events = events;
    if (res.status == SimResult::Status::ok)
        for (std::size_t p = 0; p < m.pops.size(); ++p)
            if (!m.pops[p]->finite()) {
                res.status = SimResult::Status::invalid;
                res.message =
                    fmt::format("population {}: the state became NaN or infinite", m.spec.populations[p].name);
                break;
            }
    for (std::size_t p = 0; p < m.pops.size(); ++p)
        if (m.record_spikes[p]) {
            std::vector<std::vector<double>> trains(m.pops[p]->size());
            for (const auto& [step, i] : fired[p]) trains[i].push_back(static_cast<double>(step + 1) * dt);
            const auto& selected = m.record_neurons[p];
            if (!selected.empty()) {
                std::vector<std::vector<double>> chosen;
                chosen.reserve(selected.size());
                for (auto i : selected) chosen.push_back(std::move(trains[static_cast<std::size_t>(i)]));
                trains = std::move(chosen);
            }
            res.populations.push_back(m.spec.populations[p].name);
            res.spikes.push_back(SpikeRaster::from_trains(trains));
            res.spike_neurons.push_back(selected);
        }
    // A run stopped early (runaway firing) sampled only its first steps: close the rows up.
    const auto sampled = static_cast<std::size_t>(std::min(n, steps));
    for (std::size_t j = 0; j < m.probes.size(); ++j) {
        VoltageTrace tr = m.probes[j].trace;
        const std::size_t k = tr.neurons.size();
        tr.samples = sampled;
        tr.v = std::move(samples[j]);
        if (sampled < static_cast<std::size_t>(steps)) {
            for (std::size_t i = 1; i < k; ++i)
                std::copy_n(tr.v.begin() + static_cast<std::ptrdiff_t>(i * static_cast<std::size_t>(steps)), sampled,
                            tr.v.begin() + static_cast<std::ptrdiff_t>(i * sampled));
            tr.v.resize(k * sampled);
        }
        res.voltage.push_back(std::move(tr));
    }
    return res;
}

SimResult simulate(const model::NetworkSpec& spec, std::uint64_t seed) {
    return Simulator(spec, seed).run();
}

}  // namespace snnfit::sim
