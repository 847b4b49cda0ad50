// Single-compartment Hodgkin-Huxley neuron with the rate functions of NEURON's built-in
// `hh` mechanism (squid axon, rest near -65 mV, q10 = 3^((celsius - 6.3)/10)).
#pragma once

#include <cmath>
#include <vector>

#include "model/neuron_model.hpp"

namespace snnfit::model {

// Units are absolute (pF, nS, pA), not per area. The defaults are NEURON's densities
// (cm = 1 uF/cm2, gnabar = 0.12, gkbar = 0.036, gl = 0.0003 S/cm2) on a compartment of
// 1000 um2 = 1e-5 cm2: C = 10 pF, gNa = 1200 nS, gK = 360 nS, gL = 3 nS. For another area A
// scale C and the g's by A/1000 um2; 100 pA on the default cell = 10 uA/cm2 = 0.1 nA in NEURON.
//   C V' = gNa m^3 h (ENa - V) + gK n^4 (EK - V) + gL (EL - V) + I
//   x' = q10 (alpha_x(V) (1 - x) - beta_x(V) x)  for x = m, h, n.
struct HodgkinHuxley {
    static constexpr std::string_view name = "hh";
    static constexpr std::string_view description =
        "single-compartment Hodgkin-Huxley, NEURON's hh mechanism on a 1000 um2 compartment";
    // Exponential Euler (Brian2's 'exponential_euler'): every variable is linear in
    // itself given the others, so each is advanced exactly over the step with the
    // others (and the rates) frozen at their values at the start of the step. The gates
    // can never leave [0, 1]. Accurate spike times need dt <= 0.025 ms.
    // A spike is an upward crossing of V_th within the step; it re-arms below V_th.
    static constexpr std::string_view integrator = "exponential Euler";

    struct Params {
        double C = 10.0;       // pF
        double gNa = 1200.0;   // nS
        double gK = 360.0;     // nS
        double gL = 3.0;       // nS
        double ENa = 50.0;     // mV
        double EK = -77.0;     // mV
        double EL = -54.3;     // mV
        double celsius = 6.3;  // degC
        double V_th = 0.0;     // mV, spike detection threshold
        double V0 = -65.0;     // mV, initial V; gates start at their steady state
    };
    struct Coeffs {
        double C, gNa, gK, gL, ENa, EK, EL, q10dt, V_th, dt;
    };
    struct State {
        double v, m, h, n;
    };

    // NEURON's vtrap(x, y) = x / (exp(x/y) - 1), continued through x = 0; `e` is exp(x/y).
    static double vtrap(double x, double y, double e) noexcept {
        return std::fabs(x / y) < 1e-6 ? y * (1 - x / y / 2) : x / (e - 1);
    }
    struct Rates {
        double am, bm, ah, bh, an, bn;
    };
    // The rates of hh.mod. The four exponentials in (v + c)/10 and (v + 65)/20 are one
    // exp and a square root: exp(-(v+40)/10) = E e^-0.5, exp(-(v+55)/10) = E e^-2 and
    // exp(-(v+65)/20) = sqrt(E e^-3) with E = exp(-(v+35)/10). Same values to an ulp,
    // 7 instead of 10 exponentials per step.
    static Rates rates(double v) noexcept {
        const double E = std::exp(-(v + 35) / 10);
        constexpr double e_half = 0.60653065971263342360;    // e^-0.5
        constexpr double e_two = 0.13533528323661269189;     // e^-2
        constexpr double e_three = 0.049787068367863942979;  // e^-3
        return {0.1 * vtrap(-(v + 40), 10, E * e_half), 4 * std::exp(-(v + 65) / 18),
                0.07 * std::sqrt(E * e_three),          1 / (E + 1),
                0.01 * vtrap(-(v + 55), 10, E * e_two), 0.125 * std::exp(-(v + 65) / 80)};
    }

    static const std::vector<ParamField<Params>>& fields();
    static const std::vector<Preset>& presets();
    static void validate(const Params& p);
    static Coeffs prepare(const Params& p, double dt) {
        const double q10 = std::pow(3.0, (p.celsius - 6.3) / 10);
        return {p.C, p.gNa, p.gK, p.gL, p.ENa, p.EK, p.EL, q10 * dt, p.V_th, dt};
    }
    static State initial_state(const Params& p) {
        const Rates r = rates(p.V0);
        return {p.V0, r.am / (r.am + r.bm), r.ah / (r.ah + r.bh), r.an / (r.an + r.bn)};
    }

    static bool step(const Coeffs& k, State& s, double I) noexcept {
        const double v = s.v;
        const Rates r = rates(v);
        const double gna = k.gNa * s.m * s.m * s.m * s.h;
        const double gk = k.gK * s.n * s.n * s.n * s.n;
        const double g = gna + gk + k.gL;
        const double v_inf = (gna * k.ENa + gk * k.EK + k.gL * k.EL + I) / g;
        s.v = v_inf + (v - v_inf) * std::exp(-k.dt * g / k.C);
        s.m = gate(s.m, r.am, r.bm, k.q10dt);
        s.h = gate(s.h, r.ah, r.bh, k.q10dt);
        s.n = gate(s.n, r.an, r.bn, k.q10dt);
        return v < k.V_th && s.v >= k.V_th;
    }

private:
    static double gate(double x, double alpha, double beta, double q10dt) noexcept {
        const double sum = alpha + beta;
        const double inf = alpha / sum;
        return inf + (x - inf) * std::exp(-q10dt * sum);
    }
};

}  // namespace snnfit::model
