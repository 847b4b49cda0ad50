#include "sim/synapse.hpp"

#include <algorithm>

namespace snnfit::sim {

Receptor::Receptor(const model::SynapseSpec& spec, std::size_t neurons, std::size_t slots, double dt)
    : spec_(spec), n_(neurons), slots_(slots), ring_(slots * neurons, 0.0) {
    using K = model::SynapseSpec::Kind;
    if (spec_.kind != K::delta) {
        decay_ = std::exp(-dt / spec_.tau);
        s1_.assign(n_, 0.0);
    }
    if (spec_.kind == K::alpha_current) {
        rise_ = dt / spec_.tau * decay_;
        s2_.assign(n_, 0.0);
    }
}

void Receptor::take(std::int64_t n, double* dv, double* I, const double* v) {
    using K = model::SynapseSpec::Kind;
    double* a = slot(n);
    switch (spec_.kind) {
        case K::delta:
            for (std::size_t i = 0; i < n_; ++i) dv[i] += a[i];
            break;
        case K::exp_current:
            if (gain_.empty())
                for (std::size_t i = 0; i < n_; ++i) {
                    s1_[i] += a[i];
                    I[i] += s1_[i];
                }
            else
                for (std::size_t i = 0; i < n_; ++i) {
                    s1_[i] += a[i];
                    I[i] += gain_[i] * s1_[i];
                }
            break;
        case K::alpha_current: {
            // I(t) = x0 (t/tau) e^(-t/tau) after x jumps by x0; x0 = e w gives peak w at t = tau.
            constexpr double e = 2.718281828459045235;
            for (std::size_t i = 0; i < n_; ++i) {
                s2_[i] += e * a[i];
                I[i] += s1_[i];
            }
            break;
        }
        case K::exp_conductance:
            for (std::size_t i = 0; i < n_; ++i) {
                s1_[i] += a[i];
                I[i] += s1_[i] * (spec_.e_rev - v[i]);
            }
            break;
    }
    std::fill(a, a + n_, 0.0);
}

void Receptor::advance() {
    using K = model::SynapseSpec::Kind;
    switch (spec_.kind) {
        case K::delta:
            break;
        case K::exp_current:
        case K::exp_conductance:
            for (auto& x : s1_) x *= decay_;
            break;
        case K::alpha_current:
            // Exact propagator of x' = -x/tau, I' = -I/tau + x/tau over one step.
            for (std::size_t i = 0; i < n_; ++i) {
                s1_[i] = decay_ * s1_[i] + rise_ * s2_[i];
                s2_[i] *= decay_;
            }
            break;
    }
}

}  // namespace snnfit::sim
