#include "model/adex.hpp"

#include "common/error.hpp"

namespace snnfit::model {

const std::vector<ParamField<AdEx::Params>>& AdEx::fields() {
    using P = Params;
    static const std::vector<ParamField<P>> f = {
        {"C", &P::C, "pF", "membrane capacitance"},
        {"gL", &P::gL, "nS", "leak conductance"},
        {"EL", &P::EL, "mV", "leak reversal potential"},
        {"VT", &P::VT, "mV", "threshold (slope point of the exponential)"},
        {"DeltaT", &P::DeltaT, "mV", "slope factor of the exponential"},
        {"a", &P::a, "nS", "subthreshold adaptation"},
        {"tau_w", &P::tau_w, "ms", "adaptation time constant"},
        {"b", &P::b, "pA", "spike-triggered adaptation increment"},
        {"Vr", &P::Vr, "mV", "reset potential"},
        {"Vpeak", &P::Vpeak, "mV", "spike detection cut-off"},
        {"t_ref", &P::t_ref, "ms", "refractory period (V clamped at Vr)"},
        {"V0", &P::V0, "mV", "initial V (w starts at 0)"},
    };
    return f;
}

// "BG2005": the defaults, Brette & Gerstner (2005) Table 1 (regular spiking pyramidal
// cell fitted to a detailed model). The others: Naud, Marcille, Clopath & Gerstner (2008),
// "Firing patterns in the adaptive exponential integrate-and-fire model", Biol Cybern
// 99:335, Table 1 (the step current that shows the pattern in brackets); the same values
// are in Brian2's examples/frompapers/Naud_et_al_2008_adex_firing_patterns.py.
const std::vector<Preset>& AdEx::presets() {
    auto naud = [](double C, double gL, double EL, double a, double tau_w, double b, double Vr) {
        return std::vector<std::pair<std::string, double>>{{"C", C},      {"gL", gL},   {"EL", EL},       {"VT", -50},
                                                           {"DeltaT", 2}, {"a", a},     {"tau_w", tau_w}, {"b", b},
                                                           {"Vr", Vr},    {"Vpeak", 0}, {"V0", EL}};
    };
    static const std::vector<Preset> p = {
        {"BG2005",
         "Brette & Gerstner 2005 regular spiking (the defaults)",
         {{"C", 281},
          {"gL", 30},
          {"EL", -70.6},
          {"VT", -50.4},
          {"DeltaT", 2},
          {"a", 4},
          {"tau_w", 144},
          {"b", 80.5},
          {"Vr", -70.6},
          {"Vpeak", 0},
          {"V0", -70.6}}},
        {"tonic", "Naud 2008 tonic spiking [500 pA]", naud(200, 10, -70, 2, 30, 0, -58)},
        {"adapting", "Naud 2008 adaptation [500 pA]", naud(200, 12, -70, 2, 300, 60, -58)},
        {"initial_burst", "Naud 2008 initial burst [400 pA]", naud(130, 18, -58, 4, 150, 120, -50)},
        {"bursting", "Naud 2008 regular bursting [210 pA]", naud(200, 10, -58, 2, 120, 100, -46)},
        {"delayed_accelerating", "Naud 2008 delayed accelerating [300 pA]", naud(200, 12, -70, -10, 300, 0, -58)},
        {"delayed_bursting", "Naud 2008 delayed regular bursting [110 pA]", naud(100, 10, -65, -10, 90, 30, -47)},
        {"transient", "Naud 2008 transient spiking [180 pA]", naud(100, 10, -65, 10, 90, 100, -47)},
        {"irregular", "Naud 2008 irregular spiking [160 pA]", naud(100, 12, -60, -11, 130, 30, -48)},
    };
    return p;
}

void AdEx::validate(const Params& p) {
    for (const auto& f : fields())
        if (!std::isfinite(p.*(f.member))) throw ParameterError("adex: " + std::string(f.name) + " must be finite");
    if (!(p.C > 0)) throw ParameterError("adex: C must be > 0 (pF)");
    if (!(p.gL > 0)) throw ParameterError("adex: gL must be > 0 (nS)");
    if (!(p.DeltaT > 0)) throw ParameterError("adex: DeltaT must be > 0 (mV)");
    if (!(p.tau_w > 0)) throw ParameterError("adex: tau_w must be > 0 (ms)");
    if (!(p.t_ref >= 0)) throw ParameterError("adex: t_ref must be >= 0 (ms)");
    if (!(p.Vpeak > p.VT)) throw ParameterError("adex: Vpeak must be above VT");
    if (!(p.Vr < p.Vpeak)) throw ParameterError("adex: Vr must be below Vpeak");
    if (!(p.V0 < p.Vpeak)) throw ParameterError("adex: V0 must be below Vpeak");
    // exp((Vpeak - VT)/DeltaT) is the largest exponential a step evaluates; keep it finite.
    if ((p.Vpeak - p.VT) / p.DeltaT > 600) throw ParameterError("adex: (Vpeak - VT)/DeltaT must be <= 600");
}

}  // namespace snnfit::model
