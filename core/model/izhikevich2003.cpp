#include "model/izhikevich2003.hpp"

#include <cmath>
#include <cstring>

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

namespace {
using v2d = double __attribute__((vector_size(16)));
using v2l = long long __attribute__((vector_size(16)));
inline v2d load(const double* p) {
    v2d r;
    std::memcpy(&r, p, sizeof r);
    return r;
}
inline void store(double* p, v2d x) {
    std::memcpy(p, &x, sizeof x);
}
}  // namespace

void Izhikevich2003::step_fields(const double* const* k, double* const* s, const double* I, std::uint8_t* fired,
                                 std::size_t n) noexcept {
    const double *ka = k[0], *kb = k[1], *kc = k[2], *kd = k[3], *kp = k[4], *kt = k[5];
    double *sv = s[0], *su = s[1];
    const v2d c004 = {0.04, 0.04}, c5 = {5.0, 5.0}, c140 = {140.0, 140.0};
    std::size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        const v2d v = load(sv + i), u = load(su + i), dt = load(kt + i);
        const v2d vn = v + dt * (c004 * v * v + c5 * v + c140 - u + load(I + i));
        const v2d un = u + dt * (load(ka + i) * (load(kb + i) * v - u));
        const v2l spike = vn >= load(kp + i);
        store(sv + i, spike ? load(kc + i) : vn);
        store(su + i, spike ? un + load(kd + i) : un);
        fired[i] = static_cast<std::uint8_t>(spike[0] & 1);
        fired[i + 1] = static_cast<std::uint8_t>(spike[1] & 1);
    }
    for (; i < n; ++i) {
        State st{sv[i], su[i]};
        fired[i] = step({ka[i], kb[i], kc[i], kd[i], kp[i], kt[i]}, st, I[i]);
        sv[i] = st.v;
        su[i] = st.u;
    }
}

}  // namespace snnfit::model
