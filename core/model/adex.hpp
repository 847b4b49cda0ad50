// Adaptive exponential integrate-and-fire neuron, Brette & Gerstner (2005), J Neurophysiol 94:3637:
//   C V' = -gL (V - EL) + gL DeltaT exp((V - VT)/DeltaT) - w + I,  tau_w w' = a (V - EL) - w;
//   if V >= Vpeak: V <- Vr, w <- w + b, then V is held at Vr for t_ref.
#pragma once

#include <cmath>
#include <vector>

#include "model/neuron_model.hpp"

namespace snnfit::model {

struct AdEx {
    static constexpr std::string_view name = "adex";
    static constexpr std::string_view description =
        "adaptive exponential integrate-and-fire (Brette & Gerstner 2005), firing patterns of Naud et al. 2008";
    // Forward Euler on (V, w) from the state at the start of the step (Brian2's 'euler').
    // The exponential makes V diverge within a step or two once it passes VT + a few
    // DeltaT; the spike is then detected at Vpeak, so spike times are exact to one step.
    // During the refractory period V is clamped at Vr and w keeps integrating (NEST aeif).
    static constexpr std::string_view integrator = "forward Euler";

    struct Params {
        double C = 281.0;      // pF
        double gL = 30.0;      // nS
        double EL = -70.6;     // mV
        double VT = -50.4;     // mV, threshold slope point
        double DeltaT = 2.0;   // mV, slope factor
        double a = 4.0;        // nS, subthreshold adaptation
        double tau_w = 144.0;  // ms
        double b = 80.5;       // pA, spike-triggered adaptation
        double Vr = -70.6;     // mV, reset
        // Cut-off 0 mV, as Brian2's rendering of Naud et al. (2008). Past VT + 5 DeltaT V
        // diverges within a step or two, so any cut-off well above that gives the same step.
        double Vpeak = 0.0;  // mV
        double t_ref = 0.0;  // ms, rounded to whole steps
        double V0 = -70.6;   // mV, initial V (w starts at 0)
    };
    struct Coeffs {
        double dt_C, gL, EL, VT, DeltaT, a, dt_tauw, b, Vr, Vpeak, n_ref;
    };
    struct State {
        double v, w;
        double ref;  // refractory steps left
    };

    static const std::vector<ParamField<Params>>& fields();
    static const std::vector<Preset>& presets();
    static void validate(const Params& p);
    static Coeffs prepare(const Params& p, double dt) {
        return {dt / p.C,
                p.gL,
                p.EL,
                p.VT,
                p.DeltaT,
                p.a,
                dt / p.tau_w,
                p.b,
                p.Vr,
                p.Vpeak,
                static_cast<double>(std::llround(p.t_ref / dt))};
    }
    static State initial_state(const Params& p) { return {p.V0, 0.0, 0.0}; }

    static bool step(const Coeffs& k, State& s, double I) noexcept {
        const double v = s.v, w = s.w;
        s.w = w + k.dt_tauw * (k.a * (v - k.EL) - w);
        if (s.ref > 0) {
            // V clamped at Vr; a voltage jump that arrived during the dead time is discarded.
            s.ref -= 1;
            s.v = k.Vr;
            return false;
        }
        s.v = v + k.dt_C * (-k.gL * (v - k.EL) + k.gL * k.DeltaT * std::exp((v - k.VT) / k.DeltaT) - w + I);
        if (s.v >= k.Vpeak) {
            s.v = k.Vr;
            s.w += k.b;
            s.ref = k.n_ref;
            return true;
        }
        return false;
    }
};

}  // namespace snnfit::model
