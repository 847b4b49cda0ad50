// Izhikevich (2003) simple model, "Simple model of spiking neurons", IEEE TNN 14:1569:
//   v' = 0.04 v^2 + 5 v + 140 - u + I,  u' = a (b v - u);  if v >= vpeak: v <- c, u <- u + d.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/neuron_model.hpp"

namespace snnfit::model {

struct Izhikevich2003 {
    static constexpr std::string_view name = "izhikevich2003";
    static constexpr std::string_view description = "Izhikevich (2003) simple model; dimensionless I, v in mV, t in ms";
    // Forward Euler on (v, u) from the state at the start of the step, as Brian2's
    // 'euler' method. The paper's own loop takes two 0.5 ms half-steps for v; use
    // dt = 0.5 or smaller to stay near it.
    static constexpr std::string_view integrator = "forward Euler";

    struct Params {
        double a = 0.02;      // 1/ms, recovery time scale
        double b = 0.2;       // 1, recovery sensitivity
        double c = -65.0;     // mV, reset potential
        double d = 8.0;       // 1, recovery jump after a spike
        double vpeak = 30.0;  // mV, spike cut-off
        double v0 = -65.0;    // mV, initial membrane potential (u0 = b v0)
    };
    struct Coeffs {
        double a, b, c, d, vpeak, dt;
    };
    struct State {
        double v, u;
    };

    static const std::vector<ParamField<Params>>& fields();
    static const std::vector<Preset>& presets();
    static void validate(const Params& p);
    static Coeffs prepare(const Params& p, double dt) { return {p.a, p.b, p.c, p.d, p.vpeak, dt}; }
    static State initial_state(const Params& p) { return {p.v0, p.b * p.v0}; }

    // The same update over whole populations stored field-major (k: a, b, c, d, vpeak,
    // dt; s: v, u), two neurons per SSE2 vector, with selects for the reset: the same
    // operations in the same order as step(), so bit-identical to it.
    static void step_fields(const double* const* k, double* const* s, const double* I, std::uint8_t* fired,
                            std::size_t n) noexcept;
    static bool step(const Coeffs& k, State& s, double I) noexcept {
        const double v = s.v, u = s.u;
        s.v = v + k.dt * (0.04 * v * v + 5.0 * v + 140.0 - u + I);
        s.u = u + k.dt * (k.a * (k.b * v - u));
        if (s.v >= k.vpeak) {
            s.v = k.c;
            s.u += k.d;
            return true;
        }
        return false;
    }
};

}  // namespace snnfit::model
