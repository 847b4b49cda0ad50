// The contract every point-neuron model follows, in NEST's shape: plain Params
// (user-facing, in snnfit units), Coeffs (what one step needs, derived once per dt),
// State, and a step function. Population code is generic over such models.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace snnfit::model {

// Units used everywhere (README "Units"): time ms, voltage mV, current pA,
// conductance nS, capacitance pF, rate Hz. Izhikevich (2003) is dimensionless
// by construction: v in mV, t in ms, I in the paper's units.

// One user-settable parameter of a model, bound to its Params member.
template <class Params>
struct ParamField {
    std::string_view name;
    double Params::*member;
    std::string_view unit;
    std::string_view doc;
};

// A named parameter set from the literature; values not listed keep the defaults.
struct Preset {
    std::string name;
    std::string doc;
    std::vector<std::pair<std::string, double>> values;
};

/*
A model type M provides:
    static constexpr std::string_view name, description, integrator;
    struct Params { ...doubles with defaults... };
    struct Coeffs;   // per-neuron constants for a fixed dt
    struct State { double v; ... };
    static const std::vector<ParamField<Params>>& fields();
    static const std::vector<Preset>& presets();
    static void validate(const Params&);              // throws ParameterError
    static Coeffs prepare(const Params&, double dt);
    static State initial_state(const Params&);
    // Advances one step of dt with input current I (constant over the step), then
    // applies threshold and reset. Returns true if the neuron spiked in this step;
    // the spike time is the end of the step (NEST's convention).
    static bool step(const Coeffs&, State&, double I) noexcept;
Optionally, a model whose membrane is linear between spikes provides
    static double exp_current_gain(const Coeffs&, double tau_syn, double dt);
the factor by which an exp_current synapse's current at the start of a step is
multiplied before the step treats it as constant, so that the exponential decay
within the step is integrated exactly (lif). Without it the current is held constant
over the step.
Every State has `v` (mV) so that voltage-jump synapses and recorders need no
model-specific code.
*/

}  // namespace snnfit::model
