// Leaky integrate-and-fire neuron with an absolute refractory period, NEST's iaf_psc_*:
// C_m V' = -(C_m/tau_m)(V - E_L) + I + I_e;  if V >= V_th: V <- V_reset and V is held at
// V_reset for t_ref. With exp_current synapses it is NEST's iaf_psc_exp, integrated exactly.
#pragma once

#include <cmath>
#include <vector>

#include "model/neuron_model.hpp"

namespace snnfit::model {

struct Lif {
    static constexpr std::string_view name = "lif";
    static constexpr std::string_view description =
        "leaky integrate-and-fire with refractory period (NEST iaf_psc names and defaults)";
    // The input is constant over a step, so the linear ODE is integrated exactly
    // (Rotter & Diesmann 1999): V_{n+1} = E_L + (V_n - E_L) P22 + (I + I_e) P20 with
    // P22 = exp(-dt/tau_m), P20 = tau_m/C_m (1 - P22). No error beyond rounding at any dt.
    // Refractoriness as NEST: round(t_ref/dt) steps after a spike V stays at V_reset.
    // exp_current synapses into a lif population are integrated exactly too (exp_current_gain).
    static constexpr std::string_view integrator = "exact (linear propagator)";

    struct Params {
        double C_m = 250.0;      // pF
        double tau_m = 10.0;     // ms
        double E_L = -70.0;      // mV
        double V_th = -55.0;     // mV
        double V_reset = -70.0;  // mV
        double t_ref = 2.0;      // ms
        double I_e = 0.0;        // pA, constant bias current
        double V_init = -70.0;   // mV
    };
    struct Coeffs {
        double P22, P20, E_L, V_th, V_reset, I_e, n_ref;
        double tau_m, C_m;  // for exp_current_gain
    };
    struct State {
        double v;
        double ref;  // refractory steps left
    };

    static const std::vector<ParamField<Params>>& fields();
    static const std::vector<Preset>& presets();
    static void validate(const Params& p);
    static Coeffs prepare(const Params& p, double dt) {
        const double P22 = std::exp(-dt / p.tau_m);
        // -expm1 keeps 1 - P22 accurate when dt << tau_m.
        return {P22,   -p.tau_m / p.C_m * std::expm1(-dt / p.tau_m),    p.E_L,   p.V_th, p.V_reset,
                p.I_e, static_cast<double>(std::llround(p.t_ref / dt)), p.tau_m, p.C_m};
    }
    // An exponentially decaying synaptic current I_s(t) = I_s(t_n) e^{-(t - t_n)/tau_syn}
    // moves V over a step by P21 I_s(t_n), with (Rotter & Diesmann 1999; NEST's
    // iaf_psc_exp "P21ex")
    //   P21 = tau_syn tau_m / (C_m (tau_m - tau_syn)) (e^{-dt/tau_m} - e^{-dt/tau_syn})
    //       = e^{-dt/tau_m} (1 - e^{-dt delta}) / (C_m delta),  delta = 1/tau_syn - 1/tau_m,
    // (h/C_m e^{-h/tau_m} when tau_syn = tau_m). The step integrates its input as a
    // constant current I (V moves by P20 I), so the synapse hands it gain * I_s with
    // gain = P21 / P20: the coupled linear system is then integrated exactly, as NEST
    // and Brian2 ("exact") do, whatever dt.
    static double exp_current_gain(const Coeffs& k, double tau_syn, double dt) {
        const double delta = 1.0 / tau_syn - 1.0 / k.tau_m;
        const double x = dt * delta;
        const double P21 = std::exp(-dt / k.tau_m) * (x == 0.0 ? dt : -std::expm1(-x) / delta) / k.C_m;
        return P21 / k.P20;
    }
    static State initial_state(const Params& p) { return {p.V_init, 0.0}; }

    static bool step(const Coeffs& k, State& s, double I) noexcept {
        if (s.ref > 0) {
            // Clamped: a voltage jump that arrived during the dead time is discarded, as NEST does.
            s.ref -= 1;
            s.v = k.V_reset;
            return false;
        }
        s.v = k.E_L + (s.v - k.E_L) * k.P22 + (I + k.I_e) * k.P20;
        if (s.v >= k.V_th) {
            s.v = k.V_reset;
            s.ref = k.n_ref;
            return true;
        }
        return false;
    }
};

}  // namespace snnfit::model
