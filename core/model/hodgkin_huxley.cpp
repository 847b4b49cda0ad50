#include "model/hodgkin_huxley.hpp"

#include "common/error.hpp"

namespace snnfit::model {

const std::vector<ParamField<HodgkinHuxley::Params>>& HodgkinHuxley::fields() {
    using P = Params;
    static const std::vector<ParamField<P>> f = {
        {"C", &P::C, "pF", "membrane capacitance (1 uF/cm2 x 1000 um2)"},
        {"gNa", &P::gNa, "nS", "maximal sodium conductance (0.12 S/cm2 x 1000 um2)"},
        {"gK", &P::gK, "nS", "maximal potassium conductance (0.036 S/cm2 x 1000 um2)"},
        {"gL", &P::gL, "nS", "leak conductance (0.0003 S/cm2 x 1000 um2)"},
        {"ENa", &P::ENa, "mV", "sodium reversal potential"},
        {"EK", &P::EK, "mV", "potassium reversal potential"},
        {"EL", &P::EL, "mV", "leak reversal potential"},
        {"celsius", &P::celsius, "degC", "temperature; rates scale by 3^((celsius - 6.3)/10)"},
        {"V_th", &P::V_th, "mV", "spike = upward crossing of V_th"},
        {"V0", &P::V0, "mV", "initial V (gates at steady state)"},
    };
    return f;
}

const std::vector<Preset>& HodgkinHuxley::presets() {
    static const std::vector<Preset> p = {
        {"squid",
         "NEURON hh defaults at 6.3 degC on 1000 um2 (the defaults)",
         {{"C", 10}, {"gNa", 1200}, {"gK", 360}, {"gL", 3}, {"ENa", 50}, {"EK", -77}, {"EL", -54.3}, {"celsius", 6.3}}},
    };
    return p;
}

void HodgkinHuxley::validate(const Params& p) {
    for (const auto& f : fields())
        if (!std::isfinite(p.*(f.member))) throw ParameterError("hh: " + std::string(f.name) + " must be finite");
    if (!(p.C > 0)) throw ParameterError("hh: C must be > 0 (pF)");
    if (!(p.gNa >= 0)) throw ParameterError("hh: gNa must be >= 0 (nS)");
    if (!(p.gK >= 0)) throw ParameterError("hh: gK must be >= 0 (nS)");
    if (!(p.gL > 0)) throw ParameterError("hh: gL must be > 0 (nS)");
}

}  // namespace snnfit::model
