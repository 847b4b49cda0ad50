#include "model/izhikevich2003.hpp"

#include <cmath>

#include "common/error.hpp"

namespace snnfit::model {

const std::vector<ParamField<Izhikevich2003::Params>>& Izhikevich2003::fields() {
    using P = Params;
    static const std::vector<ParamField<P>> f = {
        {"a", &P::a, "1/ms", "time scale of the recovery variable u"},
        {"b", &P::b, "1", "sensitivity of u to subthreshold v"},
        {"c", &P::c, "mV", "after-spike reset of v"},
        {"d", &P::d, "1", "after-spike increment of u"},
        {"vpeak", &P::vpeak, "mV", "spike cut-off"},
        {"v0", &P::v0, "mV", "initial v (u starts at b*v0)"},
    };
    return f;
}

// The firing patterns of Fig. 2 of the 2003 paper (a, b, c, d).
const std::vector<Preset>& Izhikevich2003::presets() {
    static const std::vector<Preset> p = {
        {"RS", "regular spiking (excitatory cortical)", {{"a", 0.02}, {"b", 0.2}, {"c", -65}, {"d", 8}}},
        {"IB", "intrinsically bursting", {{"a", 0.02}, {"b", 0.2}, {"c", -55}, {"d", 4}}},
        {"CH", "chattering (fast rhythmic bursting)", {{"a", 0.02}, {"b", 0.2}, {"c", -50}, {"d", 2}}},
        {"FS", "fast spiking (inhibitory)", {{"a", 0.1}, {"b", 0.2}, {"c", -65}, {"d", 2}}},
        {"LTS", "low-threshold spiking (inhibitory)", {{"a", 0.02}, {"b", 0.25}, {"c", -65}, {"d", 2}}},
        {"TC", "thalamo-cortical", {{"a", 0.02}, {"b", 0.25}, {"c", -65}, {"d", 0.05}}},
        {"RZ", "resonator", {{"a", 0.1}, {"b", 0.26}, {"c", -65}, {"d", 2}}},
    };
    return p;
}

void Izhikevich2003::validate(const Params& p) {
    for (const auto& f : fields())
        if (!std::isfinite(p.*(f.member)))
            throw ParameterError("izhikevich2003: " + std::string(f.name) + " must be finite");
    if (!(p.a > 0)) throw ParameterError("izhikevich2003: a must be > 0 (1/ms)");
    if (!(p.c < p.vpeak)) throw ParameterError("izhikevich2003: c must be below vpeak");
    if (!(p.v0 < p.vpeak)) throw ParameterError("izhikevich2003: v0 must be below vpeak");
}

}  // namespace snnfit::model
