// What to simulate, as plain data: populations of neuron models, the inputs that
// drive them, what to record, and the time grid. Built from a config by io/, turned
// into a running simulation by sim/. Units: ms, mV, pA, nS, pF, Hz.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace snnfit::model {

// A value that may differ from neuron to neuron (or connection to connection).
struct Distribution {
    enum class Kind {
        constant,  // a
        uniform,   // U(a, b)
        normal,    // N(a, b^2), redrawn until inside [lo, hi]
        scaled,    // a + b * r^power with one r ~ U(0,1) per neuron, shared by every
                   // "scaled" parameter of that neuron (Izhikevich 2003's network)
    };
    Kind kind = Kind::constant;
    double a = 0.0;
    double b = 0.0;
    double power = 1.0;
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();

    static Distribution constant(double x) { return {Kind::constant, x, 0.0, 1.0}; }
    bool is_constant() const { return kind == Kind::constant; }
};

struct SimulationSpec {
    double dt = 0.1;           // ms
    double duration = 1000.0;  // ms
    std::uint64_t seed = 1;
    // Runaway guard: a run whose mean rate exceeds this is stopped and reported
    // invalid (the evaluation contract's "runaway firing past a cap").
    double max_rate = 1000.0;  // Hz
};

struct PopulationSpec {
    std::string name;
    std::int64_t size = 1;
    std::string model;   // a name from model::model_catalog()
    std::string preset;  // empty: the model's defaults
    std::vector<std::pair<std::string, Distribution>> params;  // in config order
};

// A current injected into neurons of one population (pA; dimensionless for izhikevich2003).
struct CurrentInputSpec {
    enum class Kind {
        constant,  // amplitude for the whole run
        step,      // amplitude on [delay, delay + duration)
        steps,     // a sequence of (start, stop, amplitude) segments, summed
        noise,     // piecewise-constant N(mean, std^2), redrawn every `interval` ms (NEST noise_generator)
    };
    struct Segment {
        double start, stop, amplitude;
    };
    Kind kind = Kind::constant;
    std::string target;                 // population name
    std::vector<std::int64_t> neurons;  // indices within the target; empty = all
    double amplitude = 0.0;
    double delay = 0.0;
    double duration = 0.0;
    std::vector<Segment> segments;
    double mean = 0.0;
    double std = 0.0;
    double interval = 0.0;       // ms; 0 = every time step
    std::uint64_t seed = 0;      // noise stream; 0 = derived from the run seed and input index
};

struct VoltageRecordSpec {
    std::string population;
    std::vector<std::int64_t> neurons;  // empty = all
};

struct RecordingSpec {
    std::vector<std::string> spike_populations;  // empty = all populations
    std::vector<VoltageRecordSpec> voltage;
};

struct NetworkSpec {
    SimulationSpec simulation;
    std::vector<PopulationSpec> populations;
    std::vector<CurrentInputSpec> currents;
    RecordingSpec recording;

    const PopulationSpec* find_population(const std::string& name) const {
        for (const auto& p : populations)
            if (p.name == name) return &p;
        return nullptr;
    }
};

}  // namespace snnfit::model
