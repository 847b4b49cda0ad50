// A population of one neuron model: per-neuron coefficients and state in flat
// arrays, advanced together. Type-erased so the simulator holds populations of
// different models; the per-neuron loop inside step() is a direct, inlinable call.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "common/rng.hpp"
#include "model/network_spec.hpp"

namespace snnfit::sim {

class Population {
public:
    virtual ~Population() = default;
    virtual std::size_t size() const = 0;
    // Advances every neuron one step; I[i] is neuron i's input current over the step.
    // Appends the indices of neurons that spiked.
    virtual void step(const double* I, std::vector<std::uint32_t>& spiked) = 0;
    virtual double v(std::size_t i) const = 0;
    virtual void add_v(std::size_t i, double dv) = 0;
    // Whole-population forms, one virtual call per step: v[i] += dv[i]; out[i] = v[i].
    virtual void add_to_v(const double* dv) = 0;
    virtual void copy_v(double* out) const = 0;
    // False if any state variable is NaN or infinite.
    virtual bool finite() const = 0;
};

template <class M>
class PopulationOf final : public Population {
public:
    PopulationOf(std::vector<typename M::Coeffs> coeffs, std::vector<typename M::State> state)
        : k_(std::move(coeffs)), s_(std::move(state)) {}
    std::size_t size() const override { return s_.size(); }
    void step(const double* I, std::vector<std::uint32_t>& spiked) override {
        const std::size_t n = s_.size();
        for (std::size_t i = 0; i < n; ++i)
            if (M::step(k_[i], s_[i], I[i])) spiked.push_back(static_cast<std::uint32_t>(i));
    }
    double v(std::size_t i) const override { return s_[i].v; }
    void add_v(std::size_t i, double dv) override { s_[i].v += dv; }
    void add_to_v(const double* dv) override {
        for (std::size_t i = 0; i < s_.size(); ++i) s_[i].v += dv[i];
    }
    void copy_v(double* out) const override {
        for (std::size_t i = 0; i < s_.size(); ++i) out[i] = s_[i].v;
    }
    bool finite() const override {
        for (const auto& s : s_) {
            const double* p = reinterpret_cast<const double*>(&s);
            for (std::size_t j = 0; j < sizeof(s) / sizeof(double); ++j)
                if (!std::isfinite(p[j])) return false;
        }
        return true;
    }
    const std::vector<typename M::State>& states() const { return s_; }

private:
    std::vector<typename M::Coeffs> k_;
    std::vector<typename M::State> s_;
};

// Builds the population: parameters from defaults, preset and the spec's values,
// distributions drawn per neuron from `rng`, each neuron's set validated.
std::unique_ptr<Population> make_population(const model::PopulationSpec& spec, double dt, Rng& rng);

}  // namespace snnfit::sim
