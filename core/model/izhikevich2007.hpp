// Izhikevich (2007) simple model in physical units, "Dynamical Systems in Neuroscience", ch. 8:
//   C v' = k (v - vr)(v - vt) - u + I,  u' = a (U(v) - u);  if v >= vpeak: v <- c, u <- u + d.
#pragma once

#include <algorithm>
#include <limits>
#include <vector>

#include "model/neuron_model.hpp"

namespace snnfit::model {

// The book's simple form has U(v) = b (v - vr) and a fixed vpeak and reset. Three of its
// cell classes change that form; rather than approximate them, the model carries
// optional terms that are zero (or infinite) by default and exactly reproduce them:
//   U(v)   = b (v - vr) + b_hyper * min(v - vb, 0) + b_cubic * max(v - vb, 0)^3
//              TC (Fig. 8.31): b = 0, b_hyper = 15, vb = -65 (u-nullcline kinks at -65 mV);
//              FS (Fig. 8.27): b = 0, b_cubic = 0.025, vb = -55 (cubic u-nullcline);
//              RTN (Fig. 8.32): b = 2, b_hyper = 8, vb = vr = -65 (slope 10 below -65 mV).
//   peak   = vpeak + vpeak_u * u     LTS: 40 - 0.1 u;  TC: 35 + 0.1 u
//   reset  v <- c + c_u * u,  u <- min(u + d, u_max)
//                                    LTS: v <- -53 + 0.04 u, u <- min(u + 20, 670);  TC: v <- -60 - 0.1 u
// The peak and reset use u after the step, as the book's MATLAB loops do.
struct Izhikevich2007 {
    static constexpr std::string_view name = "izhikevich2007";
    static constexpr std::string_view description =
        "Izhikevich (2007) simple model in physical units (pF, pA, mV, ms), with the book's cell classes";
    // Forward Euler on (v, u) from the state at the start of the step (Brian2's 'euler');
    // use dt <= 0.1 ms. On the FS class the discrete map is chaotic at any practical dt:
    // runs are bit-reproducible, but late spike times are sensitive to rounding.
    static constexpr std::string_view integrator = "forward Euler";

    struct Params {
        double C = 100.0;                                        // pF
        double k = 0.7;                                          // nS/mV
        double vr = -60.0;                                       // mV, resting potential
        double vt = -40.0;                                       // mV, instantaneous threshold
        double vpeak = 35.0;                                     // mV, spike cut-off
        double a = 0.03;                                         // 1/ms
        double b = -2.0;                                         // nS
        double c = -50.0;                                        // mV, reset
        double d = 100.0;                                        // pA, recovery jump
        double v0 = -60.0;                                       // mV, initial v (u starts at 0)
        double vb = -60.0;                                       // mV, kink of the optional u-nullcline terms
        double b_hyper = 0.0;                                    // nS, slope of U below vb
        double b_cubic = 0.0;                                    // pA/mV^3, cubic U above vb
        double vpeak_u = 0.0;                                    // mV/pA, u-dependence of the peak
        double c_u = 0.0;                                        // mV/pA, u-dependence of the reset
        double u_max = std::numeric_limits<double>::infinity();  // pA, cap on u after a spike
    };
    struct Coeffs {
        double dt_C, k, vr, vt, vpeak, dt_a, b, c, d, vb, b_hyper, b_cubic, vpeak_u, c_u, u_max;
    };
    struct State {
        double v, u;
    };

    static const std::vector<ParamField<Params>>& fields();
    static const std::vector<Preset>& presets();
    static void validate(const Params& p);
    static Coeffs prepare(const Params& p, double dt) {
        return {dt / p.C, p.k,  p.vr,      p.vt,      p.vpeak,   dt * p.a, p.b,    p.c,
                p.d,      p.vb, p.b_hyper, p.b_cubic, p.vpeak_u, p.c_u,    p.u_max};
    }
    static State initial_state(const Params& p) { return {p.v0, 0.0}; }

    static bool step(const Coeffs& k, State& s, double I) noexcept {
        const double v = s.v, u = s.u;
        const double above = std::max(v - k.vb, 0.0);
        const double U = k.b * (v - k.vr) + k.b_hyper * std::min(v - k.vb, 0.0) + k.b_cubic * above * above * above;
        s.v = v + k.dt_C * (k.k * (v - k.vr) * (v - k.vt) - u + I);
        s.u = u + k.dt_a * (U - u);
        if (s.v >= k.vpeak + k.vpeak_u * s.u) {
            s.v = k.c + k.c_u * s.u;
            s.u = std::min(s.u + k.d, k.u_max);
            return true;
        }
        return false;
    }
};

}  // namespace snnfit::model
