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

// Each target neuron receives a Poisson process of rate * sources: in every step
// n with round(start/dt) <= n < round(stop/dt) its count of events is
// Poisson(rate * sources * dt), drawn by inversion from one 32-bit uniform: half
// j mod 8 of the Philox block (n, j div 8) of the stream (seed, {input, 2, spec.index}),
// j the neuron's place in the input's list. So a neuron's train depends on
// nothing else, and a step's draws are independent blocks (no refill chain).
class PoissonInput {
public:
    PoissonInput(const model::PoissonInputSpec& spec, std::size_t population_size, double dt, std::uint64_t seed);
    // Adds the arrivals of step n into `arrivals` (indexed by neuron of the target).
    void add(std::int64_t n, double* arrivals);
    std::uint64_t events() const { return events_; }

private:
    std::vector<std::uint32_t> neurons_;
    std::vector<double> cdf_;  // P(count <= k), up to 1 - 1e-17
    std::uint64_t seed_, stream_;
    std::int64_t start_, stop_;
    double weight_;
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
