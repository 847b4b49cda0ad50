// The simulator: an instance is built from (spec, seed) and run once. Time is a
// grid of steps of dt; step n advances every neuron from t_n = n dt to t_{n+1},
// with inputs evaluated at t_n. Spikes are stamped t_{n+1} (NEST's convention).
// A spike at t through a connection of delay D (D/dt rounded, at least one step)
// arrives at t + D and acts from the step that starts there: a voltage jump of v
// at t + D, or a synaptic current/conductance that starts at t + D. This is what
// Brian2 computes for the same delay (it stamps the spike dt earlier, at the
// start of the step in which v crossed threshold).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/spike_raster.hpp"
#include "model/network_spec.hpp"
#include "sim/population.hpp"

namespace snnfit::sim {

// Voltage of selected neurons of one population, sampled at t_n = n dt for
// n = 0..steps-1 (the state at the start of each step, after any reset).
struct VoltageTrace {
    std::string population;
    std::vector<std::int64_t> neurons;
    std::vector<double> v;  // neurons.size() x samples, row-major
    std::size_t samples = 0;
};

struct SimResult {
    enum class Status { ok, invalid };
    Status status = Status::ok;
    std::string message;                   // why invalid
    std::vector<std::string> populations;  // names, in spec order, of the recorded populations
    std::vector<SpikeRaster> spikes;       // one raster per recorded population
    // Per recorded population: the neuron of each train of its raster; empty = all
    // neurons in order (the raster then has one train per neuron).
    std::vector<std::vector<std::int64_t>> spike_neurons;
    std::vector<VoltageTrace> voltage;
    double dt = 0.0;
    double t_stop = 0.0;  // ms
    std::int64_t steps = 0;
    std::uint64_t synaptic_events = 0;  // spikes delivered to synapses (projections and spike inputs)

    const SpikeRaster* find(const std::string& population) const;
};

// Number of steps for a duration: round(duration / dt).
std::int64_t steps_for(double duration, double dt);

class Simulator {
public:
    // Builds populations and inputs. `seed` replaces spec.simulation.seed, so the
    // evaluation seed of the fit, not the config, names the realisation.
    Simulator(const model::NetworkSpec& spec, std::uint64_t seed);
    explicit Simulator(const model::NetworkSpec& spec) : Simulator(spec, spec.simulation.seed) {}
    ~Simulator();
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;

    SimResult run();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Convenience: build and run.
SimResult simulate(const model::NetworkSpec& spec, std::uint64_t seed);

}  // namespace snnfit::sim
