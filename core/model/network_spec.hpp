// What to simulate, as plain data: populations of neuron models, the inputs that
// drive them, what to record, and the time grid. Built from a config by io/, turned
// into a running simulation by sim/. Units: ms, mV, pA, nS, pF, Hz.
#pragma once

#include <cstddef>
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
    // normal: also redrawn until the draw has the sign of the mean (>= 0 for a mean >= 0,
    // <= 0 for a negative one), decided at draw time so a fit that moves the mean keeps
    // the rule (NEST microcircuit: redraw with min 0 for excitatory, max 0 for inhibitory).
    bool keep_sign = false;

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
    std::string model;                                         // a name from model::model_catalog()
    std::string preset;                                        // empty: the model's defaults
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
    double interval = 0.0;   // ms; 0 = every time step
    std::uint64_t seed = 0;  // noise stream; 0 = derived from the run seed and input index
    std::string name;        // optional; config paths reach it as inputs.NAME
    std::size_t index = 0;   // position in the config's [[inputs]]
};

// How a spike acts on its target neuron. Weights are in the unit of the kind:
// delta mV (a jump of v), current pA (peak of the postsynaptic current),
// conductance nS (peak conductance). Inhibition is a negative weight for delta and
// current synapses and a reversal potential below rest for conductance ones.
struct SynapseSpec {
    enum class Kind {
        delta,            // v += w on arrival (Brian2 on_pre="v += w", NEST iaf_psc_delta)
        exp_current,      // I jumps by w, decays with tau (NEST iaf_psc_exp)
        alpha_current,    // I = w (t/tau) e^(1 - t/tau): peak w at t = tau (NEST iaf_psc_alpha)
        exp_conductance,  // g jumps by w, decays with tau; I = g (e_rev - v) (NEST iaf_cond_exp)
    };
    Kind kind = Kind::delta;
    double tau = 5.0;    // ms
    double e_rev = 0.0;  // mV; AMPA-like 0, GABA_A-like -70..-80
    bool operator==(const SynapseSpec&) const = default;
};

// Connections from one population to another (NetPyNE connParams, Brian2 Synapses.connect).
struct ProjectionSpec {
    enum class Rule {
        probability,   // each pair independently with `probability` (NetPyNE "probability", Brian2 p=)
        in_degree,     // every target gets exactly `degree` sources (NetPyNE "convergence", NEST fixed_indegree)
        out_degree,    // every source gets exactly `degree` targets (NetPyNE "divergence", NEST fixed_outdegree)
        one_to_one,    // source i -> target i (sizes must match)
        all_to_all,    // every pair
        list,          // the explicit (pre[k], post[k]) pairs
        total_number,  // exactly `total` connections, each pair equally likely (NEST fixed_total_number)
    };
    std::string name;
    std::string source, target;  // population names
    Rule rule = Rule::probability;
    double probability = 1.0;             // rule = probability
    std::int64_t degree = 0;              // rule = in_degree / out_degree
    std::int64_t total = 0;               // rule = total_number
    bool allow_autapses = false;          // i -> i when source == target
    bool allow_multapses = false;         // in/out_degree, total_number: the same pair drawn more than once
    std::vector<std::int64_t> pre, post;  // rule = list
    std::vector<double> list_weights;     // rule = list: per-connection weights (empty: `weight`)
    std::vector<double> list_delays;      // rule = list: per-connection delays in ms (empty: `delay`)
    Distribution weight = Distribution::constant(1.0);
    double weight_scale = 1.0;                         // multiplies every weight (a fit can scale a whole projection)
    Distribution delay = Distribution::constant(1.0);  // ms; rounded to steps, at least one step, below max_delay_steps
    double release_probability = 1.0;                  // each spike reaches each synapse with this probability
    SynapseSpec synapse;
};

// Largest delay, in steps of dt, the simulator's ring buffers take.
inline constexpr double max_delay_steps = 1e8;
// Largest mean count of a Poisson input per neuron and step (rate x sources x dt): its
// table of cumulative probabilities grows with it.
inline constexpr double max_poisson_per_step = 1e6;

// Independent Poisson spike trains into every selected neuron of a population
// (Brian2 PoissonInput, NetPyNE NetStim background, NEST poisson_generator).
struct PoissonInputSpec {
    std::string name;
    std::size_t index = 0;  // position in the config's [[inputs]] (names the noise stream)
    std::string target;
    std::vector<std::int64_t> neurons;                      // empty = all
    double rate = 0.0;                                      // Hz, per source
    std::int64_t sources = 1;                               // independent sources per neuron (Brian2 PoissonInput N)
    double start = 0.0;                                     // ms
    double stop = std::numeric_limits<double>::infinity();  // ms
    double weight = 1.0;
    SynapseSpec synapse;
};

// Given spike times delivered to neurons of a population (Brian2 SpikeGeneratorGroup).
struct SpikeTimesInputSpec {
    std::string name;
    std::size_t index = 0;
    std::string target;
    std::vector<std::int64_t> neurons;        // empty = all
    std::vector<std::vector<double>> trains;  // ms; one train for all neurons, or one per neuron
    std::string file;                         // where the trains came from (for messages)
    double weight = 1.0;
    SynapseSpec synapse;
};

struct VoltageRecordSpec {
    std::string population;
    std::vector<std::int64_t> neurons;  // empty = all
};

// Spikes of selected neurons of one population (NEST: a spike_recorder connected to
// some neurons; Brian2: a SpikeMonitor on a subgroup).
struct SpikeRecordSpec {
    std::string population;
    std::vector<std::int64_t> neurons;  // in this order; empty = all
};

struct RecordingSpec {
    // Both empty = every population, whole.
    std::vector<std::string> spike_populations;  // recorded whole
    std::vector<SpikeRecordSpec> spike_neurons;  // selected neurons of other populations
    std::vector<VoltageRecordSpec> voltage;
};

struct NetworkSpec {
    SimulationSpec simulation;
    std::vector<PopulationSpec> populations;
    std::vector<ProjectionSpec> projections;
    std::vector<CurrentInputSpec> currents;
    std::vector<PoissonInputSpec> poisson;
    std::vector<SpikeTimesInputSpec> spike_times;
    RecordingSpec recording;

    const PopulationSpec* find_population(const std::string& name) const {
        for (const auto& p : populations)
            if (p.name == name) return &p;
        return nullptr;
    }
};

}  // namespace snnfit::model
