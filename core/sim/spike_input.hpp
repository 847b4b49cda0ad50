// Spike sources outside the network: independent Poisson trains and given spike
// times. Each adds its weight to a receptor's arrivals of the step the spike falls
// in: a spike at t in [t_n, t_{n+1}) acts at t_n, before step n's update.
#pragma once

#include <cstdint>
#include <vector>

#include "common/rng.hpp"
#include "model/network_spec.hpp"
#include "sim/synapse.hpp"

namespace snnfit::sim {

// Each target neuron draws its own Poisson process of rate*sources from
// Rng(seed, {input, 2, spec.index, neuron}), event by event (exponential
// intervals in continuous time), so its train depends on nothing else.
class PoissonInput {
public:
    PoissonInput(const model::PoissonInputSpec& spec, std::size_t population_size, double dt, std::uint64_t seed);
    // Adds the arrivals of step n into `arrivals` (indexed by neuron of the target).
    void add(std::int64_t n, double* arrivals);
    std::uint64_t events() const { return events_; }

private:
    std::vector<std::uint32_t> neurons_;
    std::vector<Rng> rng_;
    std::vector<double> next_;  // ms; next event per target neuron
    double rate_per_ms_, start_, stop_, dt_, weight_;
    std::uint64_t events_ = 0;
};

// Given spike times, one train for every target neuron or one per neuron.
class SpikeTimesInput {
public:
    SpikeTimesInput(const model::SpikeTimesInputSpec& spec, std::size_t population_size, double dt);
    void add(std::int64_t n, double* arrivals);

private:
    struct Event {
        std::int64_t step;
        std::uint32_t neuron;
    };
    std::vector<Event> events_;  // sorted by step
    std::size_t next_ = 0;
    double weight_;
};

}  // namespace snnfit::sim
