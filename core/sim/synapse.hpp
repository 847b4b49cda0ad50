// Postsynaptic receptors: one per (target population, synapse kind, tau, e_rev).
// Every projection and spike input of that kind into the population shares it.
// Arrivals are summed per target neuron in a ring buffer with one slot per step
// of delay (NEST's ring buffers); the synaptic state advances with exact
// exponential propagators, so the result does not depend on dt beyond the
// piecewise-constant current the neuron models integrate — and not even that for an
// exp_current receptor given the target's gains (set_gain: lif, integrated exactly).
#pragma once

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "model/network_spec.hpp"

namespace snnfit::sim {

class Receptor {
public:
    // `slots` must exceed the largest delay in steps plus one.
    Receptor(const model::SynapseSpec& spec, std::size_t neurons, std::size_t slots, double dt);

    const model::SynapseSpec& spec() const { return spec_; }
    std::size_t slots() const { return slots_; }
    std::size_t neurons() const { return n_; }
    // The ring: slot s of neuron i at [s * neurons() + i].
    double* ring() { return ring_.data(); }
    // The arrivals (summed weights) of step n, one per target neuron; writable.
    double* slot(std::int64_t n) {
        return ring_.data() + static_cast<std::size_t>(n % static_cast<std::int64_t>(slots_)) * n_;
    }

    // Step n: takes the arrivals of step n (and clears their slot). Delta synapses
    // add them to dv (a jump of v now); current and conductance synapses update their
    // state and add the current of this step to I, using v at the start of the step.
    void take(std::int64_t n, double* dv, double* I, const double* v);
    // Advances the synaptic state from t_n to t_{n+1}.
    void advance();
    // exp_current: per target neuron, the factor applied to the current handed to the
    // neuron (Population::exp_current_gain); empty = 1.
    void set_gain(std::vector<double> gain) { gain_ = std::move(gain); }

private:
    model::SynapseSpec spec_;
    std::size_t n_, slots_;
    std::vector<double> ring_;  // slots x neurons
    std::vector<double> s1_;    // I (current), g (conductance), I (alpha)
    std::vector<double> s2_;    // alpha: the rising variable x
    std::vector<double> gain_;  // exp_current: per neuron, empty = 1
    double decay_ = 0.0;        // exp(-dt/tau)
    double rise_ = 0.0;         // alpha: (dt/tau) exp(-dt/tau)
};

}  // namespace snnfit::sim
