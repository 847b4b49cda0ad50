// A population of one neuron model: per-neuron coefficients and state in flat
// arrays, advanced together. Type-erased so the simulator holds populations of
// different models; the per-neuron loop inside step() is a direct, inlinable call.
#pragma once

#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>
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
    // Per neuron, the factor for an exp_current synapse of time constant tau_syn that
    // integrates its decay within a step exactly (model::Lif::exp_current_gain); empty
    // when the model has none (the current is then held constant over each step).
    virtual std::vector<double> exp_current_gain(double tau_syn, double dt) const = 0;
};

template <class M>
concept HasExpCurrentGain = requires(const typename M::Coeffs& k, double x) {
    { M::exp_current_gain(k, x, x) } -> std::convertible_to<double>;
};

// Per-neuron structs of doubles stored field-major (structure of arrays), for models
// whose update loop is written over whole fields (vectorized).
template <class T>
class FieldMajor {
public:
    static_assert(std::is_trivially_copyable_v<T> && sizeof(T) % sizeof(double) == 0, "a struct of doubles");
    static constexpr std::size_t fields = sizeof(T) / sizeof(double);

    explicit FieldMajor(const std::vector<T>& v) : n_(v.size()), d_(fields * v.size()) {
        for (std::size_t i = 0; i < n_; ++i) {
            double w[fields];
            std::memcpy(w, &v[i], sizeof(T));
            for (std::size_t f = 0; f < fields; ++f) d_[f * n_ + i] = w[f];
        }
    }
    std::size_t size() const { return n_; }
    double* field(std::size_t f) { return d_.data() + f * n_; }
    const double* field(std::size_t f) const { return d_.data() + f * n_; }
    const std::vector<double>& data() const { return d_; }

private:
    std::size_t n_ = 0;
    std::vector<double> d_;
};

// A model with a whole-population update over field-major arrays:
//   M::step_fields(k, s, I, fired, n): k[f] / s[f] = field f of Coeffs / State (v first),
//   sets fired[i] to whether neuron i spiked, with the arithmetic of M::step.
template <class M>
concept FieldStepper =
    requires(const double* const* k, double* const* s, const double* I, std::uint8_t* fired, std::size_t n) {
        M::step_fields(k, s, I, fired, n);
    };

template <class M>
class PopulationOf final : public Population {
    static constexpr bool kFields = FieldStepper<M>;
    using Coeffs = typename M::Coeffs;
    using State = typename M::State;

public:
    static_assert(offsetof(State, v) == 0, "v is the first state variable");

    PopulationOf(std::vector<Coeffs> coeffs, std::vector<State> state)
        : k_(std::move(coeffs)), s_(std::move(state)), fired_(kFields ? s_.size() : 0) {}
    std::size_t size() const override { return s_.size(); }
    void step(const double* I, std::vector<std::uint32_t>& spiked) override {
        if constexpr (kFields) {
            const double* k[FieldMajor<Coeffs>::fields];
            double* s[FieldMajor<State>::fields];
            for (std::size_t f = 0; f < FieldMajor<Coeffs>::fields; ++f) k[f] = k_.field(f);
            for (std::size_t f = 0; f < FieldMajor<State>::fields; ++f) s[f] = s_.field(f);
            const std::size_t n = s_.size();
            M::step_fields(k, s, I, fired_.data(), n);
            // Spikes are rare: skip eight silent neurons per 64-bit word.
            std::size_t i = 0;
            for (; i + 8 <= n; i += 8) {
                std::uint64_t w;
                std::memcpy(&w, fired_.data() + i, sizeof w);
                if (w == 0) continue;
                for (std::size_t j = i; j < i + 8; ++j)
                    if (fired_[j]) spiked.push_back(static_cast<std::uint32_t>(j));
            }
            for (; i < n; ++i)
                if (fired_[i]) spiked.push_back(static_cast<std::uint32_t>(i));
        } else {
            const std::size_t n = s_.size();
            for (std::size_t i = 0; i < n; ++i)
                if (M::step(k_[i], s_[i], I[i])) spiked.push_back(static_cast<std::uint32_t>(i));
        }
    }
    double v(std::size_t i) const override {
        if constexpr (kFields)
            return s_.field(0)[i];
        else
            return s_[i].v;
    }
    void add_v(std::size_t i, double dv) override {
        if constexpr (kFields)
            s_.field(0)[i] += dv;
        else
            s_[i].v += dv;
    }
    void add_to_v(const double* dv) override {
        if constexpr (kFields) {
            double* v = s_.field(0);
            for (std::size_t i = 0; i < s_.size(); ++i) v[i] += dv[i];
        } else {
            for (std::size_t i = 0; i < s_.size(); ++i) s_[i].v += dv[i];
        }
    }
    void copy_v(double* out) const override {
        for (std::size_t i = 0; i < size(); ++i) out[i] = v(i);
    }
    bool finite() const override {
        if constexpr (kFields) {
            for (double x : s_.data())
                if (!std::isfinite(x)) return false;
        } else {
            for (const auto& s : s_) {
                const double* p = reinterpret_cast<const double*>(&s);
                for (std::size_t j = 0; j < sizeof(s) / sizeof(double); ++j)
                    if (!std::isfinite(p[j])) return false;
            }
        }
        return true;
    }

    std::vector<double> exp_current_gain(double tau_syn, double dt) const override {
        std::vector<double> g;
        static_assert(!(HasExpCurrentGain<M> && kFields), "exp_current_gain is read from Coeffs structs");
        if constexpr (HasExpCurrentGain<M> && !kFields) {
            g.reserve(k_.size());
            for (const auto& k : k_) g.push_back(M::exp_current_gain(k, tau_syn, dt));
        }
        return g;
    }

private:
    // Fields for FieldStepper models, else structs (updated neuron by neuron).
    template <class T>
    using Store = std::conditional_t<kFields, FieldMajor<T>, std::vector<T>>;
    Store<Coeffs> k_;
    Store<State> s_;
    std::vector<std::uint8_t> fired_;  // FieldStepper models: whether each neuron spiked this step
};

// Builds the population: parameters from defaults, preset and the spec's values,
// distributions drawn per neuron from `rng`, each neuron's set validated.
std::unique_ptr<Population> make_population(const model::PopulationSpec& spec, double dt, Rng& rng);

}  // namespace snnfit::sim
