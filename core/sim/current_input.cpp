#include "sim/current_input.hpp"

#include <cmath>
#include <limits>

#include "sim/gaussian.hpp"
#include "sim/simulator.hpp"

namespace snnfit::sim {

namespace {
std::int64_t to_step(double t, double dt) {
    if (!std::isfinite(t)) return std::numeric_limits<std::int64_t>::max();
    return static_cast<std::int64_t>(std::llround(t / dt));
}
}  // namespace

CurrentInput::CurrentInput(const model::CurrentInputSpec& spec, std::size_t population_size, double dt, Rng rng)
    : kind_(spec.kind), rng_(rng) {
    using K = model::CurrentInputSpec::Kind;
    if (spec.neurons.empty())
        for (std::size_t i = 0; i < population_size; ++i) neurons_.push_back(static_cast<std::uint32_t>(i));
    else
        for (auto i : spec.neurons) neurons_.push_back(static_cast<std::uint32_t>(i));
    switch (kind_) {
        case K::constant:
            windows_.push_back({0, std::numeric_limits<std::int64_t>::max(), spec.amplitude});
            break;
        case K::step:
            windows_.push_back({to_step(spec.delay, dt), to_step(spec.delay + spec.duration, dt), spec.amplitude});
            break;
        case K::steps:
            for (const auto& s : spec.segments)
                windows_.push_back({to_step(s.start, dt), to_step(s.stop, dt), s.amplitude});
            break;
        case K::noise:
            mean_ = spec.mean;
            std_ = spec.std;
            every_ = spec.interval > 0 ? std::max<std::int64_t>(1, to_step(spec.interval, dt)) : 1;
            start_ = to_step(spec.delay, dt);
            stop_ = to_step(spec.delay + spec.duration, dt);
            current_.assign(neurons_.size(), 0.0);
            break;
    }
}

void CurrentInput::add(std::int64_t n, double* I) {
    if (kind_ != model::CurrentInputSpec::Kind::noise) {
        for (const auto& w : windows_)
            if (n >= w.start && n < w.stop)
                for (auto i : neurons_) I[i] += w.amplitude;
        return;
    }
    if (n < start_ || n >= stop_) return;
    if ((n - start_) % every_ == 0)
        for (auto& c : current_) c = mean_ + std_ * ziggurat_normal(rng_);
    for (std::size_t j = 0; j < neurons_.size(); ++j) I[neurons_[j]] += current_[j];
}

}  // namespace snnfit::sim
