#include "model/izhikevich2007.hpp"

#include <cmath>

#include "common/error.hpp"

namespace snnfit::model {

const std::vector<ParamField<Izhikevich2007::Params>>& Izhikevich2007::fields() {
    using P = Params;
    static const std::vector<ParamField<P>> f = {
        {"C", &P::C, "pF", "membrane capacitance"},
        {"k", &P::k, "nS/mV", "scale of the quadratic v-nullcline"},
        {"vr", &P::vr, "mV", "resting potential"},
        {"vt", &P::vt, "mV", "instantaneous threshold potential"},
        {"vpeak", &P::vpeak, "mV", "spike cut-off (plus vpeak_u * u)"},
        {"a", &P::a, "1/ms", "recovery time constant 1/a"},
        {"b", &P::b, "nS", "slope of the u-nullcline, U = b (v - vr) + ..."},
        {"c", &P::c, "mV", "after-spike reset of v (plus c_u * u)"},
        {"d", &P::d, "pA", "after-spike increment of u"},
        {"v0", &P::v0, "mV", "initial v (u starts at 0)"},
        {"vb", &P::vb, "mV", "kink of the b_hyper and b_cubic terms of U"},
        {"b_hyper", &P::b_hyper, "nS", "U += b_hyper * min(v - vb, 0) (TC class)"},
        {"b_cubic", &P::b_cubic, "pA/mV^3", "U += b_cubic * max(v - vb, 0)^3 (FS class)"},
        {"vpeak_u", &P::vpeak_u, "mV/pA", "spike cut-off is vpeak + vpeak_u * u (LTS, TC)"},
        {"c_u", &P::c_u, "mV/pA", "reset is c + c_u * u (LTS, TC)"},
        {"u_max", &P::u_max, "pA", "cap on u after the reset increment (LTS)"},
    };
    return f;
}

// Cell classes of Izhikevich (2007), "Dynamical Systems in Neuroscience", ch. 8; the
// figure numbers are the book's. Every preset sets all of the simple-form values; they
// agree with NetPyNE's Izhi2007 table. NetPyNE writes the TC u-nullcline below -65 mV as
// 15 (v - vr) = 15 (v + 60); we keep the book's 15 (v + 65), continuous at the kink.
const std::vector<Preset>& Izhikevich2007::presets() {
    static const std::vector<Preset> p = {
        {"RS",
         "regular spiking L5 pyramidal cell (Fig. 8.12)",
         {{"C", 100},
          {"k", 0.7},
          {"vr", -60},
          {"vt", -40},
          {"vpeak", 35},
          {"a", 0.03},
          {"b", -2},
          {"c", -50},
          {"d", 100},
          {"v0", -60}}},
        {"IB",
         "intrinsically bursting L5 pyramidal cell (Fig. 8.19)",
         {{"C", 150},
          {"k", 1.2},
          {"vr", -75},
          {"vt", -45},
          {"vpeak", 50},
          {"a", 0.01},
          {"b", 5},
          {"c", -56},
          {"d", 130},
          {"v0", -75}}},
        {"CH",
         "chattering L2/3 pyramidal cell (Fig. 8.23)",
         {{"C", 50},
          {"k", 1.5},
          {"vr", -60},
          {"vt", -40},
          {"vpeak", 25},
          {"a", 0.03},
          {"b", 1},
          {"c", -40},
          {"d", 150},
          {"v0", -60}}},
        {"LTS",
         "low-threshold spiking interneuron (Fig. 8.25): peak 40 - 0.1u, reset -53 + 0.04u, u capped at 670 pA",
         {{"C", 100},
          {"k", 1},
          {"vr", -56},
          {"vt", -42},
          {"vpeak", 40},
          {"a", 0.03},
          {"b", 8},
          {"c", -53},
          {"d", 20},
          {"v0", -56},
          {"vpeak_u", -0.1},
          {"c_u", 0.04},
          {"u_max", 670}}},
        {"FS",
         "fast spiking interneuron (Fig. 8.27): U = 0.025 (v + 55)^3 above -55 mV, 0 below",
         {{"C", 20},
          {"k", 1},
          {"vr", -55},
          {"vt", -40},
          {"vpeak", 25},
          {"a", 0.2},
          {"b", 0},
          {"c", -45},
          {"d", 0},
          {"v0", -55},
          {"vb", -55},
          {"b_cubic", 0.025}}},
        {"TC",
         "thalamocortical relay cell (Fig. 8.31): U = 15 (v + 65) below -65 mV, 0 above; peak 35 + 0.1u, "
         "reset -60 - 0.1u",
         {{"C", 200},
          {"k", 1.6},
          {"vr", -60},
          {"vt", -50},
          {"vpeak", 35},
          {"a", 0.01},
          {"b", 0},
          {"c", -60},
          {"d", 10},
          {"v0", -60},
          {"vb", -65},
          {"b_hyper", 15},
          {"vpeak_u", 0.1},
          {"c_u", -0.1}}},
        {"RTN",
         "reticular thalamic nucleus cell (Fig. 8.32): U = 10 (v + 65) below -65 mV, 2 (v + 65) above",
         {{"C", 40},
          {"k", 0.25},
          {"vr", -65},
          {"vt", -45},
          {"vpeak", 0},
          {"a", 0.015},
          {"b", 2},
          {"c", -55},
          {"d", 50},
          {"v0", -65},
          {"vb", -65},
          {"b_hyper", 8}}},
    };
    return p;
}

void Izhikevich2007::validate(const Params& p) {
    for (const auto& f : fields())
        if (f.name != "u_max" && !std::isfinite(p.*(f.member)))
            throw ParameterError("izhikevich2007: " + std::string(f.name) + " must be finite");
    if (std::isnan(p.u_max)) throw ParameterError("izhikevich2007: u_max must be a number");
    if (!(p.C > 0)) throw ParameterError("izhikevich2007: C must be > 0 (pF)");
    if (!(p.k > 0)) throw ParameterError("izhikevich2007: k must be > 0 (nS/mV)");
    if (!(p.a > 0)) throw ParameterError("izhikevich2007: a must be > 0 (1/ms)");
    if (!(p.vr < p.vt)) throw ParameterError("izhikevich2007: vr must be below vt");
    if (!(p.vt < p.vpeak)) throw ParameterError("izhikevich2007: vt must be below vpeak");
    if (!(p.c < p.vpeak)) throw ParameterError("izhikevich2007: c must be below vpeak");
    if (!(p.v0 < p.vpeak)) throw ParameterError("izhikevich2007: v0 must be below vpeak");
}

}  // namespace snnfit::model
