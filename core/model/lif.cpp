#include "model/lif.hpp"

#include "common/error.hpp"

namespace snnfit::model {

const std::vector<ParamField<Lif::Params>>& Lif::fields() {
    using P = Params;
    static const std::vector<ParamField<P>> f = {
        {"C_m", &P::C_m, "pF", "membrane capacitance"},
        {"tau_m", &P::tau_m, "ms", "membrane time constant"},
        {"E_L", &P::E_L, "mV", "resting potential"},
        {"V_th", &P::V_th, "mV", "spike threshold"},
        {"V_reset", &P::V_reset, "mV", "reset potential, held during t_ref"},
        {"t_ref", &P::t_ref, "ms", "absolute refractory period (rounded to steps)"},
        {"I_e", &P::I_e, "pA", "constant bias current"},
        {"V_init", &P::V_init, "mV", "initial membrane potential"},
    };
    return f;
}

const std::vector<Preset>& Lif::presets() {
    static const std::vector<Preset> p = {
        {"NEST",
         "NEST iaf_psc_* defaults (the defaults)",
         {{"C_m", 250}, {"tau_m", 10}, {"E_L", -70}, {"V_th", -55}, {"V_reset", -70}, {"t_ref", 2}}},
        // Brunel (2000), J Comput Neurosci 8:183: tau = 20 ms, theta = 20 mV, V_r = 10 mV,
        // tau_rp = 2 ms, all measured from rest (0 there, E_L = -70 mV here). Brunel drives
        // the cell with voltage jumps, where C_m does not enter; C_m keeps NEST's 250 pF.
        {"Brunel2000",
         "Brunel 2000 network neuron (theta 20 mV, V_r 10 mV above rest, tau 20 ms)",
         {{"C_m", 250}, {"tau_m", 20}, {"E_L", -70}, {"V_th", -50}, {"V_reset", -60}, {"t_ref", 2}, {"V_init", -70}}},
    };
    return p;
}

void Lif::validate(const Params& p) {
    for (const auto& f : fields())
        if (!std::isfinite(p.*(f.member))) throw ParameterError("lif: " + std::string(f.name) + " must be finite");
    if (!(p.C_m > 0)) throw ParameterError("lif: C_m must be > 0 (pF)");
    if (!(p.tau_m > 0)) throw ParameterError("lif: tau_m must be > 0 (ms)");
    if (!(p.t_ref >= 0)) throw ParameterError("lif: t_ref must be >= 0 (ms)");
    if (!(p.V_reset < p.V_th)) throw ParameterError("lif: V_reset must be below V_th");
    // V_init may lie above V_th (a normally distributed start, as in NEST's microcircuit):
    // the neuron then fires in its first step, as NEST's does.
}

}  // namespace snnfit::model
